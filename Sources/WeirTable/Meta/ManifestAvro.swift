import WeirAvro
import WeirColumnar
import WeirFileIO
import WeirPaimon

/// The Avro side of manifest lists, manifests and index manifests: the Paimon row types Java 1.3 writes them with
/// (spec/paimon-format.md sections 4.3 to 4.5), the Avro schemas derived from them with Paimon's mapping
/// (``AvroSchema/init(paimonRowType:)``, so the text equals spec section 4.8), and the conversion of records to
/// and from the WeirPaimon values.
///
/// Writing uses exactly the Java 1.3 field set. Reading resolves the file's schema against a reader schema by
/// field name whatever the record names (pypaimon names its records differently): fields the reader does not
/// know are skipped, nullable fields the writer lacks read as null, and a NOT NULL field the writer lacks is an
/// error naming the file, as in Java. The manifest-list reader also takes Java 1.4's `_MIN_ROW_ID`/`_MAX_ROW_ID`.
enum ManifestAvro {
    // MARK: row types

    static func field(_ id: Int, _ name: String, _ kind: DataType.Kind, nullable: Bool = false) -> DataField {
        DataField(id: id, name: name, type: DataType(kind, nullable: nullable))
    }

    static func field(_ id: Int, _ name: String, _ type: DataType) -> DataField {
        DataField(id: id, name: name, type: type)
    }

    static let stringNotNull = DataType(.varchar(length: DataType.lengthMax), nullable: false)
    static let bytesNotNull = DataType(.varbinary(length: DataType.lengthMax), nullable: false)

    /// `SimpleStats.SCHEMA`, NOT NULL.
    static let statsType = DataType(.row(fields: [
        field(0, "_MIN_VALUES", bytesNotNull),
        field(1, "_MAX_VALUES", bytesNotNull),
        field(2, "_NULL_COUNTS", DataType(.array(element: DataType(.bigint, nullable: true)), nullable: true)),
    ]), nullable: false)

    /// `DataFileMeta.SCHEMA` of Java 1.3, NOT NULL.
    static let dataFileMetaType = DataType(.row(fields: [
        field(0, "_FILE_NAME", stringNotNull),
        field(1, "_FILE_SIZE", .bigint),
        field(2, "_ROW_COUNT", .bigint),
        field(3, "_MIN_KEY", bytesNotNull),
        field(4, "_MAX_KEY", bytesNotNull),
        field(5, "_KEY_STATS", statsType),
        field(6, "_VALUE_STATS", statsType),
        field(7, "_MIN_SEQUENCE_NUMBER", .bigint),
        field(8, "_MAX_SEQUENCE_NUMBER", .bigint),
        field(9, "_SCHEMA_ID", .bigint),
        field(10, "_LEVEL", .int),
        field(11, "_EXTRA_FILES", DataType(.array(element: stringNotNull), nullable: false)),
        field(12, "_CREATION_TIME", .timestamp(precision: 3), nullable: true),
        field(13, "_DELETE_ROW_COUNT", .bigint, nullable: true),
        field(14, "_EMBEDDED_FILE_INDEX", .varbinary(length: DataType.lengthMax), nullable: true),
        field(15, "_FILE_SOURCE", .tinyint, nullable: true),
        field(16, "_VALUE_STATS_COLS", DataType(.array(element: stringNotNull), nullable: true)),
        field(17, "_EXTERNAL_PATH", .varchar(length: DataType.lengthMax), nullable: true),
        field(18, "_FIRST_ROW_ID", .bigint, nullable: true),
        field(19, "_WRITE_COLS", DataType(.array(element: stringNotNull), nullable: true)),
    ]), nullable: false)

    /// `ManifestEntrySerializer` row: `_VERSION` then `ManifestEntry.SCHEMA`.
    static let manifestEntryRowType = RowType([
        field(0, "_VERSION", .int),
        field(1, "_KIND", .tinyint),
        field(2, "_PARTITION", bytesNotNull),
        field(3, "_BUCKET", .int),
        field(4, "_TOTAL_BUCKETS", .int),
        field(5, "_FILE", dataFileMetaType),
    ])

    /// `ManifestFileMetaSerializer` row of Java 1.3: `_VERSION` then `ManifestFileMeta.SCHEMA`.
    static let manifestFileMetaRowType = RowType([
        field(0, "_VERSION", .int),
        field(1, "_FILE_NAME", stringNotNull),
        field(2, "_FILE_SIZE", .bigint),
        field(3, "_NUM_ADDED_FILES", .bigint),
        field(4, "_NUM_DELETED_FILES", .bigint),
        field(5, "_PARTITION_STATS", statsType),
        field(6, "_SCHEMA_ID", .bigint),
        field(7, "_MIN_BUCKET", .int, nullable: true),
        field(8, "_MAX_BUCKET", .int, nullable: true),
        field(9, "_MIN_LEVEL", .int, nullable: true),
        field(10, "_MAX_LEVEL", .int, nullable: true),
    ])

    /// The manifest-list reader row: Java 1.3's fields plus 1.4's row-id range.
    static let manifestFileMetaReadRowType = RowType(manifestFileMetaRowType.fields + [
        field(11, "_MIN_ROW_ID", .bigint, nullable: true),
        field(12, "_MAX_ROW_ID", .bigint, nullable: true),
    ])

    /// `IndexManifestEntrySerializer` row of Java 1.3: `_VERSION` then `IndexManifestEntry.SCHEMA`.
    static let indexManifestEntryRowType = RowType([
        field(0, "_VERSION", .int),
        field(1, "_KIND", .tinyint),
        field(2, "_PARTITION", bytesNotNull),
        field(3, "_BUCKET", .int),
        field(4, "_INDEX_TYPE", stringNotNull),
        field(5, "_FILE_NAME", stringNotNull),
        field(6, "_FILE_SIZE", .bigint),
        field(7, "_ROW_COUNT", .bigint),
        field(8, "_DELETIONS_VECTORS_RANGES", DataType(.array(element: DataType(.row(fields: [
            field(9, "f0", stringNotNull),
            field(10, "f1", .int),
            field(11, "f2", .int),
            field(12, "_CARDINALITY", .bigint, nullable: true),
        ]), nullable: true)), nullable: true)),
        field(13, "_EXTERNAL_PATH", .varchar(length: DataType.lengthMax), nullable: true),
    ])

    static func schema(_ rowType: RowType) -> AvroSchema {
        do {
            return try AvroSchema(paimonRowType: rowType)
        } catch {
            preconditionFailure("manifest row type has no Avro schema: \(error)")
        }
    }

    static let manifestEntrySchema = schema(manifestEntryRowType)
    static let manifestFileMetaSchema = schema(manifestFileMetaRowType)
    static let manifestFileMetaReadSchema = schema(manifestFileMetaReadRowType)
    static let indexManifestEntrySchema = schema(indexManifestEntryRowType)

    // MARK: codec

    /// The Avro codec of `manifest.compression` (`zstd` → `zstandard` at `file.compression.zstd-level`); an
    /// `avro.codec` table option wins, as in Java. `manifest.format` must be `avro`.
    static func codec(_ options: CoreOptions) throws(TableError) -> AvroCodec {
        do {
            let format = try options.manifestFormat()
            guard format == "avro" else {
                throw TableError(.unsupported, "option 'manifest.format'", "manifest format '\(format)' is not supported (only avro)")
            }
            let name: String
            if let codec = options.options["avro.codec"] { name = codec } else { name = try options.manifestCompression() }
            switch name.lowercased() {
            case "zstd", "zstandard": return .zstandard(level: try options.fileCompressionZstdLevel())
            case "null", "none", "uncompressed": return .null
            case "deflate": return .deflate()
            case "snappy": return .snappy
            default:
                throw TableError(.unsupported, "option 'manifest.compression'",
                                 "manifest compression '\(name)' is not supported (zstd, deflate, snappy or null)")
            }
        } catch let error as PaimonFormatError {
            throw TableError.format(error, kind: .invalidTable)
        } catch let error as TableError {
            throw error
        } catch {
            throw TableError(.invalidTable, "manifest options", String(describing: error))
        }
    }

    // MARK: encoding

    static func long(_ value: Int64) -> AvroValue { .long(value) }
    static func nullable(_ value: AvroValue?) -> AvroValue { value.map { .union(branch: 1, value: $0) } ?? .union(branch: 0, value: .null) }
    static func bytes(_ row: BinaryRow) -> AvroValue { .bytes(SerializationUtils.serializeBinaryRow(row)) }
    static func strings(_ values: [String]) -> AvroValue { .array(values.map { .string($0) }) }

    static func encode(_ stats: SimpleStats) -> AvroValue {
        .record([
            bytes(stats.minValues),
            bytes(stats.maxValues),
            // Always an array: Java's SimpleStats.fromRow calls size() on it.
            .union(branch: 1, value: .array(stats.nullCounts.map { nullable($0.map(long)) })),
        ])
    }

    static func encode(_ file: DataFileMeta) -> AvroValue {
        .record([
            .string(file.fileName),
            .long(file.fileSize),
            .long(file.rowCount),
            bytes(file.minKey),
            bytes(file.maxKey),
            encode(file.keyStats),
            encode(file.valueStats),
            .long(file.minSequenceNumber),
            .long(file.maxSequenceNumber),
            .long(file.schemaId),
            .int(file.level),
            strings(file.extraFiles),
            nullable(file.creationTime.map(long)),
            nullable(file.deleteRowCount.map(long)),
            nullable(file.embeddedIndex.map { .bytes($0) }),
            nullable(file.fileSource.map { .int(Int32($0.rawValue)) }),
            nullable(file.valueStatsCols.map(strings)),
            nullable(file.externalPath.map { .string($0) }),
            nullable(file.firstRowId.map(long)),
            nullable(file.writeCols.map(strings)),
        ])
    }

    static func encode(_ entry: ManifestEntry) -> AvroValue {
        .record([
            .int(ManifestEntry.version),
            .int(Int32(entry.kind.rawValue)),
            bytes(entry.partition),
            .int(entry.bucket),
            .int(entry.totalBuckets),
            encode(entry.file),
        ])
    }

    static func encode(_ meta: ManifestFileMeta) -> AvroValue {
        .record([
            .int(ManifestFileMeta.version),
            .string(meta.fileName),
            .long(meta.fileSize),
            .long(meta.numAddedFiles),
            .long(meta.numDeletedFiles),
            encode(meta.partitionStats),
            .long(meta.schemaId),
            nullable(meta.minBucket.map { .int($0) }),
            nullable(meta.maxBucket.map { .int($0) }),
            nullable(meta.minLevel.map { .int($0) }),
            nullable(meta.maxLevel.map { .int($0) }),
        ])
    }

    static func encode(_ entry: IndexManifestEntry) -> AvroValue {
        let ranges = entry.indexFile.deletionVectorRanges.map { ranges in
            AvroValue.array(ranges.map { range in
                .union(branch: 1, value: .record([
                    .string(range.dataFileName),
                    .int(range.offset),
                    .int(range.length),
                    nullable(range.cardinality.map(long)),
                ]))
            })
        }
        return .record([
            .int(IndexManifestEntry.version),
            .int(Int32(entry.kind.rawValue)),
            bytes(entry.partition),
            .int(entry.bucket),
            .string(entry.indexFile.indexType),
            .string(entry.indexFile.fileName),
            .long(entry.indexFile.fileSize),
            .long(entry.indexFile.rowCount),
            nullable(ranges),
            nullable(entry.indexFile.externalPath.map { .string($0) }),
        ])
    }

    // MARK: decoding

    /// The fields of one decoded record (in the reader schema's order), read with checks; every error names the
    /// file, the record and the field.
    struct Record {
        let values: [AvroValue]
        let names: [String]
        let subject: String
        let location: String

        init(_ value: AvroValue, rowType: RowType, subject: String, location: String) throws(TableError) {
            guard let values = value.recordFields, values.count == rowType.fields.count else {
                throw TableError(.corrupt, subject, "\(location): not a record of \(rowType.fields.count) fields")
            }
            self.values = values
            self.names = rowType.fieldNames
            self.subject = subject
            self.location = location
        }

        func fail(_ name: String, _ message: String) -> TableError {
            TableError(.corrupt, subject, "\(location), \(name): \(message)")
        }

        func value(_ name: String) -> AvroValue {
            guard let index = names.firstIndex(of: name) else { preconditionFailure("no field \(name)") }
            return values[index]
        }

        func isNull(_ name: String) -> Bool { value(name).isNull }

        func int64(_ name: String) throws(TableError) -> Int64 {
            guard let n = value(name).integerValue else { throw fail(name, "missing or not an integer") }
            return n
        }

        func int32(_ name: String) throws(TableError) -> Int32 {
            let n = try int64(name)
            guard let narrow = Int32(exactly: n) else { throw fail(name, "\(n) is not a 32-bit integer") }
            return narrow
        }

        func optionalInt64(_ name: String) throws(TableError) -> Int64? { isNull(name) ? nil : try int64(name) }
        func optionalInt32(_ name: String) throws(TableError) -> Int32? { isNull(name) ? nil : try int32(name) }

        func string(_ name: String) throws(TableError) -> String {
            guard let s = value(name).stringValue else { throw fail(name, "missing or not a string") }
            return s
        }

        func optionalString(_ name: String) throws(TableError) -> String? { isNull(name) ? nil : try string(name) }

        func bytes(_ name: String) throws(TableError) -> [UInt8] {
            guard let b = value(name).bytesValue else { throw fail(name, "missing or not bytes") }
            return b
        }

        func optionalBytes(_ name: String) throws(TableError) -> [UInt8]? { isNull(name) ? nil : try bytes(name) }

        func binaryRow(_ name: String) throws(TableError) -> BinaryRow {
            do {
                return try SerializationUtils.deserializeBinaryRow(try bytes(name), subject: name)
            } catch let error as PaimonFormatError {
                throw fail(name, error.message)
            } catch let error as TableError {
                throw error
            } catch {
                throw fail(name, String(describing: error))
            }
        }

        func strings(_ name: String) throws(TableError) -> [String] {
            guard let items = value(name).arrayItems else { throw fail(name, "missing or not an array") }
            var out: [String] = []
            out.reserveCapacity(items.count)
            for item in items {
                guard let s = item.stringValue else { throw fail(name, "an element is not a string") }
                out.append(s)
            }
            return out
        }

        func optionalStrings(_ name: String) throws(TableError) -> [String]? { isNull(name) ? nil : try strings(name) }

        func record(_ name: String, _ rowType: RowType) throws(TableError) -> Record {
            try Record(value(name), rowType: rowType, subject: subject, location: "\(location), \(name)")
        }

        func stats(_ name: String) throws(TableError) -> SimpleStats {
            guard case .row(let fields) = ManifestAvro.statsType.kind else { preconditionFailure() }
            let r = try record(name, RowType(fields))
            var nullCounts: [Int64?] = []
            if !r.isNull("_NULL_COUNTS") {
                guard let items = r.value("_NULL_COUNTS").arrayItems else { throw r.fail("_NULL_COUNTS", "not an array") }
                for item in items {
                    if item.isNull {
                        nullCounts.append(nil)
                    } else if let n = item.integerValue {
                        nullCounts.append(n)
                    } else {
                        throw r.fail("_NULL_COUNTS", "an element is not a long")
                    }
                }
            }
            let stats = SimpleStats(minValues: try r.binaryRow("_MIN_VALUES"), maxValues: try r.binaryRow("_MAX_VALUES"),
                                    nullCounts: nullCounts)
            // Java reads a null _NULL_COUNTS as no counts; rows of some arity with no counts would fail validation,
            // so pad with unknown counts.
            if r.isNull("_NULL_COUNTS") && stats.minValues.arity == stats.maxValues.arity {
                return SimpleStats(minValues: stats.minValues, maxValues: stats.maxValues,
                                   nullCounts: [Int64?](repeating: nil, count: stats.minValues.arity))
            }
            return stats
        }
    }

    static func checkVersion(_ r: Record, expected: Int32) throws(TableError) {
        let version = try r.int64("_VERSION")
        guard version == Int64(expected) else {
            throw TableError(.corrupt, r.subject,
                             "\(r.location): unsupported _VERSION \(version) (expected \(expected); files of version 1 come from Paimon ≤ 0.7, please recreate the table)")
        }
    }

    static func decodeDataFileMeta(_ r: Record) throws(TableError) -> DataFileMeta {
        let fileSource: FileSource?
        if let raw = try r.optionalInt32("_FILE_SOURCE") {
            do {
                fileSource = try FileSource(byteValue: raw)
            } catch {
                throw r.fail("_FILE_SOURCE", error.message)
            }
        } else {
            fileSource = nil
        }
        let meta = DataFileMeta(
            fileName: try r.string("_FILE_NAME"), fileSize: try r.int64("_FILE_SIZE"), rowCount: try r.int64("_ROW_COUNT"),
            minKey: try r.binaryRow("_MIN_KEY"), maxKey: try r.binaryRow("_MAX_KEY"),
            keyStats: try r.stats("_KEY_STATS"), valueStats: try r.stats("_VALUE_STATS"),
            minSequenceNumber: try r.int64("_MIN_SEQUENCE_NUMBER"), maxSequenceNumber: try r.int64("_MAX_SEQUENCE_NUMBER"),
            schemaId: try r.int64("_SCHEMA_ID"), level: try r.int32("_LEVEL"), extraFiles: try r.strings("_EXTRA_FILES"),
            creationTime: try r.optionalInt64("_CREATION_TIME"), deleteRowCount: try r.optionalInt64("_DELETE_ROW_COUNT"),
            embeddedIndex: try r.optionalBytes("_EMBEDDED_FILE_INDEX"), fileSource: fileSource,
            valueStatsCols: try r.optionalStrings("_VALUE_STATS_COLS"), externalPath: try r.optionalString("_EXTERNAL_PATH"),
            firstRowId: try r.optionalInt64("_FIRST_ROW_ID"), writeCols: try r.optionalStrings("_WRITE_COLS"))
        do {
            try meta.validate(subject: r.location)
        } catch {
            throw TableError(.corrupt, r.subject, error.description)
        }
        return meta
    }

    static func decodeManifestEntry(_ value: AvroValue, subject: String, index: Int) throws(TableError) -> ManifestEntry {
        let r = try Record(value, rowType: manifestEntryRowType, subject: subject, location: "record \(index)")
        try checkVersion(r, expected: ManifestEntry.version)
        let kind: FileKind
        do {
            kind = try FileKind(byteValue: try r.int32("_KIND"))
        } catch let error as PaimonFormatError {
            throw r.fail("_KIND", error.message)
        } catch let error as TableError {
            throw error
        } catch {
            throw r.fail("_KIND", String(describing: error))
        }
        guard case .row(let fileFields) = dataFileMetaType.kind else { preconditionFailure() }
        let file = try decodeDataFileMeta(try r.record("_FILE", RowType(fileFields)))
        return ManifestEntry(kind: kind, partition: try r.binaryRow("_PARTITION"), bucket: try r.int32("_BUCKET"),
                             totalBuckets: try r.int32("_TOTAL_BUCKETS"), file: file)
    }

    static func decodeManifestFileMeta(_ value: AvroValue, subject: String, index: Int) throws(TableError) -> ManifestFileMeta {
        let r = try Record(value, rowType: manifestFileMetaReadRowType, subject: subject, location: "record \(index)")
        try checkVersion(r, expected: ManifestFileMeta.version)
        let meta = ManifestFileMeta(
            fileName: try r.string("_FILE_NAME"), fileSize: try r.int64("_FILE_SIZE"),
            numAddedFiles: try r.int64("_NUM_ADDED_FILES"), numDeletedFiles: try r.int64("_NUM_DELETED_FILES"),
            partitionStats: try r.stats("_PARTITION_STATS"), schemaId: try r.int64("_SCHEMA_ID"),
            minBucket: try r.optionalInt32("_MIN_BUCKET"), maxBucket: try r.optionalInt32("_MAX_BUCKET"),
            minLevel: try r.optionalInt32("_MIN_LEVEL"), maxLevel: try r.optionalInt32("_MAX_LEVEL"),
            minRowId: try r.optionalInt64("_MIN_ROW_ID"), maxRowId: try r.optionalInt64("_MAX_ROW_ID"))
        guard TablePaths.isPlainName(meta.fileName) else { throw r.fail("_FILE_NAME", "'\(meta.fileName)' is not a plain file name") }
        guard meta.fileSize >= 0, meta.numAddedFiles >= 0, meta.numDeletedFiles >= 0 else {
            throw r.fail("_FILE_SIZE", "negative size or file count in \(meta.fileName)")
        }
        return meta
    }

    static func decodeIndexManifestEntry(_ value: AvroValue, subject: String, index: Int) throws(TableError) -> IndexManifestEntry {
        let r = try Record(value, rowType: indexManifestEntryRowType, subject: subject, location: "record \(index)")
        try checkVersion(r, expected: IndexManifestEntry.version)
        let kind: FileKind
        do {
            kind = try FileKind(byteValue: try r.int32("_KIND"))
        } catch let error as PaimonFormatError {
            throw r.fail("_KIND", error.message)
        } catch let error as TableError {
            throw error
        } catch {
            throw r.fail("_KIND", String(describing: error))
        }
        var ranges: [DeletionVectorMeta]? = nil
        if !r.isNull("_DELETIONS_VECTORS_RANGES") {
            guard let items = r.value("_DELETIONS_VECTORS_RANGES").arrayItems else {
                throw r.fail("_DELETIONS_VECTORS_RANGES", "not an array")
            }
            guard case .array(let element) = indexManifestEntryRowType.fields[8].type.kind, case .row(let rangeFields) = element.kind else {
                preconditionFailure()
            }
            var out: [DeletionVectorMeta] = []
            for (i, item) in items.enumerated() where !item.isNull {
                let range = try Record(item.unwrapped, rowType: RowType(rangeFields), subject: subject,
                                       location: "\(r.location), _DELETIONS_VECTORS_RANGES[\(i)]")
                out.append(DeletionVectorMeta(dataFileName: try range.string("f0"), offset: try range.int32("f1"),
                                              length: try range.int32("f2"), cardinality: try range.optionalInt64("_CARDINALITY")))
            }
            ranges = out
        }
        let file = IndexFileMeta(
            indexType: try r.string("_INDEX_TYPE"), fileName: try r.string("_FILE_NAME"), fileSize: try r.int64("_FILE_SIZE"),
            rowCount: try r.int64("_ROW_COUNT"), deletionVectorRanges: ranges, externalPath: try r.optionalString("_EXTERNAL_PATH"))
        guard TablePaths.isPlainName(file.fileName) else { throw r.fail("_FILE_NAME", "'\(file.fileName)' is not a plain file name") }
        return IndexManifestEntry(kind: kind, partition: try r.binaryRow("_PARTITION"), bucket: try r.int32("_BUCKET"), indexFile: file)
    }

    // MARK: files

    /// Every record of the Avro file at `path`, resolved to `readerSchema`.
    static func readRecords(io: any FileIO, path: StoragePath, readerSchema: AvroSchema) async throws(TableError) -> [AvroValue] {
        do {
            return try await AvroFileReader.readAll(io: io, path: path, readerSchema: readerSchema).records
        } catch {
            throw MetaIO.tableError(error, path)
        }
    }

    /// Writes `records` as a new Avro file at `path` (create-if-absent); returns the file's size.
    static func writeRecords(io: any FileIO, path: StoragePath, schema: AvroSchema, codec: AvroCodec,
                             records: [AvroValue]) async throws(TableError) -> Int64 {
        do {
            let writer = try await AvroFileWriter.create(io: io, path: path, schema: schema, codec: codec, overwrite: false)
            do {
                for record in records { try await writer.append(record) }
                return try await writer.close()
            } catch {
                await writer.abort()
                throw error
            }
        } catch {
            throw MetaIO.tableError(error, path)
        }
    }
}
