import WeirAvro
import WeirColumnar
import WeirFileIO
import WeirPaimon

/// Manifest files (`manifest/manifest-<uuid>-<n>`): Avro files of ``ManifestEntry`` records in Java 1.3's exact
/// schema (spec/paimon-format.md sections 4.4 and 4.8), compressed with `manifest.compression` (`zstd` is written
/// as Avro's `zstandard`). Mirrors `org.apache.paimon.manifest.ManifestFile` without rolling (one file per write).
public enum ManifestFile {
    /// Every entry of the manifest at `path`, in file order. Errors name the file (`subject` when given, else the
    /// path): missing file (`notFound`), a truncated or garbled file, `_VERSION` other than 2, a bad row or field
    /// (`corrupt`).
    public static func read(io: any FileIO, path: StoragePath, subject: String? = nil) async throws(TableError) -> [ManifestEntry] {
        let subject = subject ?? path.description
        let records: [AvroValue]
        do {
            records = try await ManifestAvro.readRecords(io: io, path: path, readerSchema: ManifestAvro.manifestEntrySchema)
        } catch {
            throw TableError(error.kind, subject, error.subject == path.description ? error.message : error.description)
        }
        var out: [ManifestEntry] = []
        out.reserveCapacity(records.count)
        for (index, record) in records.enumerated() {
            out.append(try ManifestAvro.decodeManifestEntry(record, subject: subject, index: index))
        }
        return out
    }

    /// The entries of manifest `fileName` of the table at `paths`.
    public static func read(io: any FileIO, paths: TablePaths, fileName: String) async throws(TableError) -> [ManifestEntry] {
        try await read(io: io, path: try paths.manifest(fileName))
    }

    /// Writes `entries` as a new manifest file and returns its list record: exact size, ADD/DELETE counts,
    /// full-mode partition stats over `partitionType`, the largest `_SCHEMA_ID` of the entries (`schemaId` when
    /// there are none), and the bucket and level ranges.
    public static func write(io: any FileIO, paths: TablePaths, entries: [ManifestEntry], partitionType: RowType,
                             schemaId: Int64, options: CoreOptions) async throws(TableError) -> ManifestFileMeta {
        let codec = try ManifestAvro.codec(options)
        let stats = try partitionStats(entries.map(\.partition), partitionType: partitionType)
        let fileName = paths.newManifestFileName()
        let path = try paths.manifest(fileName)
        let size = try await ManifestAvro.writeRecords(io: io, path: path, schema: ManifestAvro.manifestEntrySchema, codec: codec,
                                                       records: entries.map(ManifestAvro.encode))
        return ManifestFileMeta.describing(fileName: fileName, fileSize: size, entries: entries, partitionStats: stats, schemaId: schemaId)
    }

    /// Full-mode stats over the partition columns of `partitions` (`SimpleStatsConverter` in all mode, as Java's
    /// `ManifestFile` collects them): min, max and null count per partition column.
    public static func partitionStats(_ partitions: [BinaryRow], partitionType: RowType) throws(TableError) -> SimpleStats {
        let types = partitionType.fields.map(\.type)
        do {
            var collector = try SimpleStatsCollector(
                rowType: partitionType, modes: [SimpleColStatsCollector.Mode](repeating: .full, count: types.count))
            var seen = Set<BinaryRow>()
            var counts: [BinaryRow: Int64] = [:]
            for partition in partitions {
                counts[partition, default: 0] += 1
                guard seen.insert(partition).inserted else { continue }
                guard partition.arity == types.count else {
                    throw TableError(.invalidInput, "partition \(partition)", "has \(partition.arity) fields; the table has \(types.count) partition keys")
                }
            }
            // Null counts count entries, not distinct partitions: collect each distinct row once per entry.
            for partition in seen {
                let values = try partition.values(types: types, subject: "partition")
                for _ in 0..<(counts[partition] ?? 1) { try collector.collect(values) }
            }
            return try SimpleStatsConverter(rowType: partitionType).toBinaryAllMode(collector.extract())
        } catch let error as PaimonFormatError {
            throw TableError(.invalidInput, error.subject, error.message)
        } catch let error as TableError {
            throw error
        } catch {
            throw TableError(.invalidInput, "partition stats", String(describing: error))
        }
    }
}

/// Manifest lists (`manifest/manifest-list-<uuid>-<n>`): Avro files of ``ManifestFileMeta`` records in Java 1.3's
/// schema (spec section 4.3). Mirrors `org.apache.paimon.manifest.ManifestList`.
public enum ManifestList {
    /// Every record of the list at `path`, in file order (errors as ``ManifestFile/read(io:path:subject:)``).
    public static func read(io: any FileIO, path: StoragePath, subject: String? = nil) async throws(TableError) -> [ManifestFileMeta] {
        let subject = subject ?? path.description
        let records: [AvroValue]
        do {
            records = try await ManifestAvro.readRecords(io: io, path: path, readerSchema: ManifestAvro.manifestFileMetaReadSchema)
        } catch {
            throw TableError(error.kind, subject, error.subject == path.description ? error.message : error.description)
        }
        var out: [ManifestFileMeta] = []
        out.reserveCapacity(records.count)
        for (index, record) in records.enumerated() {
            out.append(try ManifestAvro.decodeManifestFileMeta(record, subject: subject, index: index))
        }
        return out
    }

    /// The records of list `fileName` of the table at `paths`.
    public static func read(io: any FileIO, paths: TablePaths, fileName: String) async throws(TableError) -> [ManifestFileMeta] {
        try await read(io: io, path: try paths.manifest(fileName))
    }

    /// Writes `metas` as a new manifest list (an empty list is a valid file with no records); returns its name
    /// and size.
    public static func write(io: any FileIO, paths: TablePaths, metas: [ManifestFileMeta],
                             options: CoreOptions) async throws(TableError) -> (fileName: String, size: Int64) {
        let codec = try ManifestAvro.codec(options)
        let fileName = paths.newManifestListFileName()
        let size = try await ManifestAvro.writeRecords(io: io, path: try paths.manifest(fileName), schema: ManifestAvro.manifestFileMetaSchema,
                                                       codec: codec, records: metas.map(ManifestAvro.encode))
        return (fileName, size)
    }
}

/// Index manifests (`manifest/index-manifest-<uuid>-<n>`): Avro files of ``IndexManifestEntry`` records
/// (`_VERSION` 1, spec section 4.5), a full listing of a snapshot's live index files. Mirrors
/// `org.apache.paimon.manifest.IndexManifestFile`.
public enum IndexManifestFile {
    public static func read(io: any FileIO, path: StoragePath, subject: String? = nil) async throws(TableError) -> [IndexManifestEntry] {
        let subject = subject ?? path.description
        let records: [AvroValue]
        do {
            records = try await ManifestAvro.readRecords(io: io, path: path, readerSchema: ManifestAvro.indexManifestEntrySchema)
        } catch {
            throw TableError(error.kind, subject, error.subject == path.description ? error.message : error.description)
        }
        var out: [IndexManifestEntry] = []
        out.reserveCapacity(records.count)
        for (index, record) in records.enumerated() {
            out.append(try ManifestAvro.decodeIndexManifestEntry(record, subject: subject, index: index))
        }
        return out
    }

    public static func read(io: any FileIO, paths: TablePaths, fileName: String) async throws(TableError) -> [IndexManifestEntry] {
        try await read(io: io, path: try paths.manifest(fileName))
    }

    /// Writes `entries` as a new index manifest; returns its name and size.
    public static func write(io: any FileIO, paths: TablePaths, entries: [IndexManifestEntry],
                             options: CoreOptions) async throws(TableError) -> (fileName: String, size: Int64) {
        let codec = try ManifestAvro.codec(options)
        let fileName = paths.newIndexManifestFileName()
        let size = try await ManifestAvro.writeRecords(io: io, path: try paths.manifest(fileName), schema: ManifestAvro.indexManifestEntrySchema,
                                                       codec: codec, records: entries.map(ManifestAvro.encode))
        return (fileName, size)
    }

    /// `IndexManifestFileHandler.write`: the full listing after applying `changes` to `previous` (all ADD).
    /// HASH entries, and deletion-vector entries of bucketed tables, are keyed by (partition, bucket, index
    /// type): a DELETE removes the key, then an ADD replaces it. Deletion-vector entries of unaware-bucket tables
    /// are keyed by file name. Other index types are refused.
    public static func combine(previous: [IndexManifestEntry], changes: [IndexManifestEntry],
                               bucketMode: BucketMode) throws(TableError) -> [IndexManifestEntry] {
        for entry in previous + changes {
            let type = entry.indexFile.indexType
            guard type == IndexFileMeta.hashIndex || type == IndexFileMeta.deletionVectorsIndex else {
                throw TableError(.unsupported, "index file \(entry.indexFile.fileName)", "index type '\(type)' is not supported (HASH, DELETION_VECTORS)")
            }
        }
        struct Key: Hashable {
            var partition: BinaryRow
            var bucket: Int32
            var type: String
            var fileName: String?
        }
        func key(_ entry: IndexManifestEntry) -> Key {
            if entry.indexFile.indexType == IndexFileMeta.deletionVectorsIndex && bucketMode == .bucketUnaware {
                return Key(partition: .emptyRow, bucket: 0, type: entry.indexFile.indexType, fileName: entry.indexFile.fileName)
            }
            return Key(partition: entry.partition, bucket: entry.bucket, type: entry.indexFile.indexType, fileName: nil)
        }
        var order: [Key] = []
        var ordered = Set<Key>()
        var byKey: [Key: IndexManifestEntry] = [:]
        for entry in previous where entry.kind == .add {
            let k = key(entry)
            byKey[k] = entry
            if ordered.insert(k).inserted { order.append(k) }
        }
        for entry in changes where entry.kind == .delete { byKey.removeValue(forKey: key(entry)) }
        for entry in changes where entry.kind == .add {
            let k = key(entry)
            var added = entry
            added.kind = .add
            byKey[k] = added
            if ordered.insert(k).inserted { order.append(k) }
        }
        return order.compactMap { byKey[$0] }
    }
}
