import Testing
import WeirColumnar
import WeirFileIO
@testable import WeirParquet

/// What the writer puts in the file: Java Paimon's schema mapping and field ids, footer facts, statistics,
/// dictionary on/off/fallback, page and row-group cutting, codecs; and its failure behaviour.
@Suite struct WriterTests {
    typealias E = SchemaElement

    @Test func javaSchemaMappingWithFieldIDs() throws {
        let f = Schemas.f
        let schema = RowType([
            f(0, "k", DataType(.bigint, nullable: false)),
            f(1, "i8", DataType(.tinyint)), f(2, "i16", DataType(.smallint, nullable: false)),
            f(3, "d9", DataType(.decimal(precision: 9, scale: 2))), f(4, "d18", DataType(.decimal(precision: 18, scale: 0))),
            f(5, "d19", DataType(.decimal(precision: 19, scale: 4))), f(6, "d38", DataType(.decimal(precision: 38, scale: 0))),
            f(7, "s", DataType(.varchar(length: 10))), f(8, "bin", DataType(.binary(length: 3))),
            f(9, "day", DataType(.date)), f(10, "tod", DataType(.time(precision: 0))),
            f(11, "ts3", DataType(.timestamp(precision: 3))), f(12, "ts6", DataType(.timestamp(precision: 5))),
            f(13, "ts9", DataType(.timestamp(precision: 7))), f(14, "ltz3", DataType(.timestampLTZ(precision: 0))),
            f(15, "ltz6", DataType(.timestampLTZ(precision: 6))),
            f(16, "tags", DataType(.array(element: .string))),
            f(17, "m", DataType(.map(key: .string, value: DataType(.array(element: DataType(.bigint, nullable: false)))), nullable: false)),
            f(18, "r", DataType(.row(fields: [f(19, "x", DataType(.int)), f(20, "y", DataType(.boolean, nullable: false))]))),
            f(2_147_483_646, "_SEQUENCE_NUMBER", DataType(.bigint, nullable: false)),
        ])
        let elements = try WriteSchema(schema).elements
        let arr16 = Int32(536_870_911 + 16 * 1024 + 1)
        let expected: [E] = [
            E(name: "paimon_schema", numChildren: 20),
            E(name: "k", type: .int64, repetition: .required, fieldID: 0),
            E(name: "i8", type: .int32, repetition: .optional, convertedType: .int8, fieldID: 1, logicalType: .integer(bitWidth: 8, signed: true)),
            E(name: "i16", type: .int32, repetition: .required, convertedType: .int16, fieldID: 2, logicalType: .integer(bitWidth: 16, signed: true)),
            E(name: "d9", type: .int32, repetition: .optional, convertedType: .decimal, scale: 2, precision: 9, fieldID: 3, logicalType: .decimal(scale: 2, precision: 9)),
            E(name: "d18", type: .int64, repetition: .optional, convertedType: .decimal, scale: 0, precision: 18, fieldID: 4, logicalType: .decimal(scale: 0, precision: 18)),
            E(name: "d19", type: .fixedLenByteArray, typeLength: 9, repetition: .optional, convertedType: .decimal, scale: 4, precision: 19, fieldID: 5, logicalType: .decimal(scale: 4, precision: 19)),
            E(name: "d38", type: .fixedLenByteArray, typeLength: 16, repetition: .optional, convertedType: .decimal, scale: 0, precision: 38, fieldID: 6, logicalType: .decimal(scale: 0, precision: 38)),
            E(name: "s", type: .byteArray, repetition: .optional, convertedType: .utf8, fieldID: 7, logicalType: .string),
            E(name: "bin", type: .byteArray, repetition: .optional, fieldID: 8),
            E(name: "day", type: .int32, repetition: .optional, convertedType: .date, fieldID: 9, logicalType: .date),
            E(name: "tod", type: .int32, repetition: .optional, convertedType: .timeMillis, fieldID: 10, logicalType: .time(adjustedToUTC: true, unit: .millis)),
            E(name: "ts3", type: .int64, repetition: .optional, fieldID: 11, logicalType: .timestamp(adjustedToUTC: false, unit: .millis)),
            E(name: "ts6", type: .int64, repetition: .optional, fieldID: 12, logicalType: .timestamp(adjustedToUTC: false, unit: .micros)),
            E(name: "ts9", type: .int96, repetition: .optional, fieldID: 13),
            E(name: "ltz3", type: .int64, repetition: .optional, convertedType: .timestampMillis, fieldID: 14, logicalType: .timestamp(adjustedToUTC: true, unit: .millis)),
            E(name: "ltz6", type: .int64, repetition: .optional, convertedType: .timestampMicros, fieldID: 15, logicalType: .timestamp(adjustedToUTC: true, unit: .micros)),
            E(name: "tags", repetition: .optional, numChildren: 1, convertedType: .list, fieldID: 16, logicalType: .list),
            E(name: "list", repetition: .repeated, numChildren: 1),
            E(name: "element", type: .byteArray, repetition: .optional, convertedType: .utf8, fieldID: arr16, logicalType: .string),
            E(name: "m", repetition: .required, numChildren: 1, convertedType: .map, fieldID: 17, logicalType: .map),
            E(name: "key_value", repetition: .repeated, numChildren: 2),
            E(name: "key", type: .byteArray, repetition: .required, convertedType: .utf8, fieldID: Int32(536_870_911 - 17 * 1024 - 1), logicalType: .string),
            E(name: "value", repetition: .optional, numChildren: 1, convertedType: .list, fieldID: Int32(536_870_911 + 17 * 1024 + 1), logicalType: .list),
            E(name: "list", repetition: .repeated, numChildren: 1),
            E(name: "element", type: .int64, repetition: .required, fieldID: Int32(536_870_911 + 17 * 1024 + 2)),
            E(name: "r", repetition: .optional, numChildren: 2, fieldID: 18),
            E(name: "x", type: .int32, repetition: .optional, fieldID: 19),
            E(name: "y", type: .boolean, repetition: .required, fieldID: 20),
            E(name: "_SEQUENCE_NUMBER", type: .int64, repetition: .required, fieldID: 2_147_483_646),
        ]
        #expect(elements.count == expected.count)
        for (a, b) in zip(elements, expected) { #expect(a == b) }
        // Java computes derived ids in 32-bit arithmetic: a system field's element id wraps.
        #expect(WriteSchema.arrayElementID(2_147_483_646, depth: 1) == Int32(truncatingIfNeeded: 536_870_911 + 2_147_483_646 * 1024 + 1))
        #expect((1...38).map { WriteSchema.decimalBytes(precision: $0) } == [1, 1, 2, 2, 3, 3, 4, 4, 4, 5, 5, 6, 6, 6, 7, 7, 8, 8, 9, 9, 9, 10, 10, 11, 11, 11, 12, 12, 13, 13, 13, 14, 14, 15, 15, 16, 16, 16])
    }

    @Test func footerFacts() async throws {
        let schema = Schemas.nested
        var g = ValueGenerator(seed: 1)
        let batch = try PQ.batch(schema, g.rows(schema, count: 50))
        let bytes = try await PQ.bytes(schema, [batch], options: ParquetWriteOptions(keyValueMetadata: ["a": "1"]))
        #expect(Array(bytes.prefix(4)) == parquetMagic && Array(bytes.suffix(4)) == parquetMagic)
        let metadata = try FileSurgery.metadata(bytes)
        #expect(metadata.version == 1)
        #expect(metadata.createdBy == "weir version 0.1.0")
        #expect(metadata.schema[0].name == "paimon_schema")
        #expect(metadata.keyValueMetadata == [KeyValue(key: "a", value: "1")])
        let footer = try FileSurgery.footer(bytes)
        #expect(metadata.columnOrders == Array(repeating: 1, count: footer.schema.leaves.count))
        #expect(footer.schema.rowType.fields.map(\.id) == schema.fields.map(\.id))
        for chunk in metadata.rowGroups[0].columns {
            #expect(chunk.metaData!.codec == CompressionKind.zstd.rawValue)
        }
        // Every page is a v1 data page or a dictionary page.
        for column in metadata.rowGroups[0].columns.indices {
            for page in try FileSurgery.pages(bytes, rowGroup: 0, column: column) {
                #expect(page.header.type == PageType.dataPage.rawValue || page.header.type == PageType.dictionaryPage.rawValue)
            }
        }
    }

    @Test func statisticsInTheFileAndTheSummary() async throws {
        let schema = Schemas.atomic
        var g = ValueGenerator(seed: 5)
        let rows = g.rows(schema, count: 800)
        let batch = try PQ.batch(schema, rows)
        let (io, path, summary) = try await PQ.write(schema, [batch], options: ParquetWriteOptions(rowGroupBytes: 1 << 30))
        let reader = try await ParquetFileReader.open(io: io, path: path)
        let fileStats = reader.rowGroups[0].columns
        for (i, field) in schema.fields.enumerated() {
            let values = rows.map { $0[i] }.filter { $0 != .null }
            let nulls = rows.count - values.count
            #expect(summary.columns[i].nullCount == Int64(nulls), "\(field.name)")
            #expect(fileStats[i]?.nullCount == Int64(nulls), "\(field.name)")
            guard !values.isEmpty else { continue }
            let sorted = values.sorted { Self.less($0, $1) }
            #expect(summary.columns[i].min == sorted.first, "\(field.name) min")
            #expect(summary.columns[i].max == sorted.last, "\(field.name) max")
            if case .timestamp(let p) = field.type.kind, p > 6 {
                #expect(fileStats[i]?.min == nil, "INT96 has no statistics")
            } else if case .timestampLTZ(let p) = field.type.kind, p > 6 {
                #expect(fileStats[i]?.min == nil, "INT96 has no statistics")
            } else {
                #expect(fileStats[i]?.min == sorted.first, "\(field.name) file min")
                #expect(fileStats[i]?.max == sorted.last, "\(field.name) file max")
            }
        }
        // Statistics off: nothing in the file, the summary still has them.
        let (io2, path2, summary2) = try await PQ.write(schema, [batch], options: ParquetWriteOptions(statistics: false))
        #expect(summary2.columns == summary.columns && summary2.rowCount == summary.rowCount)
        let reader2 = try await ParquetFileReader.open(io: io2, path: path2)
        #expect(reader2.rowGroups[0].columns.allSatisfy { $0 == ParquetColumnStatistics() })
    }

    static func less(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.boolean(let x), .boolean(let y)): return !x && y
        case (.integer(let x), .integer(let y)): return x < y
        case (.float(let x), .float(let y)): return x < y
        case (.double(let x), .double(let y)): return x < y
        case (.decimal(let x, _), .decimal(let y, _)): return x < y
        case (.string(let x), .string(let y)): return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
        case (.bytes(let x), .bytes(let y)): return x.lexicographicallyPrecedes(y)
        case (.date(let x), .date(let y)): return x < y
        case (.time(let x), .time(let y)): return x < y
        case (.timestamp(let x), .timestamp(let y)): return x < y
        default: return false
        }
    }

    static func encodings(_ bytes: [UInt8], column: Int) throws -> [String] {
        try FileSurgery.metadata(bytes).rowGroups[0].columns[column].metaData!.encodings.map(Encoding.name)
    }

    @Test func dictionaryOnOffAndFallback() async throws {
        let schema = RowType([Schemas.f(0, "few", .string), Schemas.f(1, "many", DataType(.bigint)), Schemas.f(2, "flag", DataType(.boolean))])
        let rows: [[Value]] = (0..<5000).map { i in [.string("v\(i % 7)"), .integer(Int64(i) * 7919), .boolean(i % 3 == 0)] }
        let batch = try PQ.batch(schema, rows)
        let on = try await PQ.bytes(schema, [batch])
        #expect(try Self.encodings(on, column: 0) == ["PLAIN_DICTIONARY", "RLE"])
        #expect(try Self.encodings(on, column: 1) == ["PLAIN_DICTIONARY", "RLE"])
        #expect(try Self.encodings(on, column: 2) == ["PLAIN", "RLE"])
        let metadata = try FileSurgery.metadata(on)
        #expect(metadata.rowGroups[0].columns[0].metaData!.dictionaryPageOffset == 4)
        #expect(try FileSurgery.pages(on, rowGroup: 0, column: 0)[0].header.dictionaryPageHeader?.numValues == 7)

        let off = try await PQ.bytes(schema, [batch], options: ParquetWriteOptions(dictionary: false))
        #expect(try Self.encodings(off, column: 0) == ["PLAIN", "RLE"])
        #expect(try FileSurgery.metadata(off).rowGroups[0].columns.allSatisfy { $0.metaData!.dictionaryPageOffset == nil })

        // A 1 KiB dictionary limit: the strings fit, the 5000 distinct longs fall back to PLAIN after the limit.
        let options = ParquetWriteOptions(pageBytes: 2048, dictionaryPageBytes: 1024)
        let fallback = try await PQ.bytes(schema, [batch], options: options)
        #expect(try Self.encodings(fallback, column: 0) == ["PLAIN_DICTIONARY", "RLE"])
        #expect(try Self.encodings(fallback, column: 1) == ["PLAIN_DICTIONARY", "PLAIN", "RLE"])
        let pages = try FileSurgery.pages(fallback, rowGroup: 0, column: 1)
        #expect(pages[0].header.dictionaryPageHeader != nil)
        let dataEncodings = pages.compactMap { $0.header.dataPageHeader?.encoding }
        #expect(dataEncodings.first == Encoding.plainDictionary.rawValue && dataEncodings.last == Encoding.plain.rawValue)
        #expect(dataEncodings.count > 5)
        #expect(Array(dataEncodings.drop { $0 == Encoding.plainDictionary.rawValue }).allSatisfy { $0 == Encoding.plain.rawValue })
        for file in [on, off, fallback] {
            #expect(PQ.rows(try ParquetFile.readBatches(bytes: file).1) == rows)
        }
    }

    @Test func pagesAndRowGroups() async throws {
        let schema = Schemas.nested
        var g = ValueGenerator(seed: 8)
        let rows = g.rows(schema, count: 1000)
        let batch = try PQ.batch(schema, rows)
        // Page row limit: 1000 rows in pages of at most 90 rows.
        let limited = try await PQ.bytes(schema, [batch], options: ParquetWriteOptions(pageRowCountMax: 90))
        let idPages = try FileSurgery.pages(limited, rowGroup: 0, column: 0).filter { $0.header.dataPageHeader != nil }
        #expect(idPages.count == 12)
        #expect(idPages.allSatisfy { $0.header.dataPageHeader!.numValues <= 90 })
        // Page byte limit: many small pages, each starting at a row boundary (the reader checks rows per column).
        let small = try await PQ.bytes(schema, [batch], options: ParquetWriteOptions(pageBytes: 512))
        let labelPages = try FileSurgery.pages(small, rowGroup: 0, column: 9).filter { $0.header.dataPageHeader != nil }
        #expect(labelPages.count > 3)
        let plain = try await PQ.bytes(schema, [batch])
        #expect(try FileSurgery.pages(plain, rowGroup: 0, column: 9).filter { $0.header.dataPageHeader != nil }.count == 1)
        // Row groups: a 16 KiB limit makes several.
        let grouped = try await PQ.bytes(schema, [batch], options: ParquetWriteOptions(rowGroupBytes: 16 << 10, pageBytes: 4096))
        let metadata = try FileSurgery.metadata(grouped)
        #expect(metadata.rowGroups.count > 1)
        #expect(metadata.rowGroups.reduce(0) { $0 + $1.numRows } == 1000)
        #expect(metadata.numRows == 1000)
        for file in [limited, small, grouped] {
            #expect(PQ.rows(try ParquetFile.readBatches(bytes: file).1) == rows)
        }
    }

    @Test func sizeSoFarIsWrittenPlusBuffered() async throws {
        let schema = Schemas.atomic
        var g = ValueGenerator(seed: 11)
        let rows = g.rows(schema, count: 3000)
        let io = MemoryFileIO()
        let path = PQ.path("sizes.parquet")
        // Small pages, so most of what is buffered is closed (compressed) pages; row groups only when asked.
        let writer = try ParquetFileWriter(file: try await io.create(path, overwrite: false), schema: schema,
                                           options: ParquetWriteOptions(rowGroupBytes: 1 << 30, pageBytes: 2048))
        func sizes() async -> (written: Int64, buffered: Int, rows: Int, estimate: Int64) {
            (await writer.bytesWritten, await writer.bytesBuffered, await writer.rowsBuffered, await writer.estimatedFileBytes)
        }
        var now = await sizes()
        #expect(now.written == 0 && now.buffered == 0 && now.rows == 0 && now.estimate == 0)
        try await writer.write(try PQ.batch(schema, Array(rows[..<1500])))
        now = await sizes()
        let buffered = now.buffered
        #expect(now.written == 0 && buffered > 0 && now.rows == 1500 && now.estimate == Int64(buffered))
        try await writer.finishRowGroup()
        // The row group as written is about what was buffered (the open pages were counted uncompressed).
        now = await sizes()
        let first = now.written
        #expect(now.buffered == 0 && now.rows == 0 && now.estimate == first)
        #expect(first > 4 && first - 4 <= Int64(buffered) && Double(first - 4) > 0.5 * Double(buffered))
        try await writer.write(try PQ.batch(schema, Array(rows[1500...])))
        now = await sizes()
        #expect(now.written == first && now.estimate > first)
        let summary = try await writer.close()
        #expect(summary.rowGroupCount == 2)
        let stored = try await io.status(path).size
        #expect(summary.fileBytes > first && summary.fileBytes == stored)
        #expect(PQ.rows(try await ParquetFile.readBatches(io: io, path: path).1) == rows)
    }

    @Test(arguments: [ParquetWriteOptions.Compression.uncompressed, .snappy, .gzip, .zstd(level: 3), .lz4Raw])
    func codecIsRecorded(_ compression: ParquetWriteOptions.Compression) async throws {
        let schema = Schemas.atomic
        var g = ValueGenerator(seed: 2)
        let bytes = try await PQ.bytes(schema, [try PQ.batch(schema, g.rows(schema, count: 100))], options: ParquetWriteOptions(compression: compression))
        #expect(try FileSurgery.metadata(bytes).rowGroups[0].columns.allSatisfy { $0.metaData!.codec == compression.kind.rawValue })
    }

    @Test func badOptionsAndBatchesAreRefused() async throws {
        let io = MemoryFileIO()
        let schema = RowType([Schemas.f(0, "a", DataType(.int, nullable: false))])
        let file = try await io.create(PQ.path("x.parquet"), overwrite: false)
        #expect(throws: ParquetError.self) { _ = try ParquetFileWriter(file: file, schema: schema, options: ParquetWriteOptions(pageBytes: 0)) }
        #expect(throws: ParquetError.self) { _ = try ParquetFileWriter(file: file, schema: schema, options: ParquetWriteOptions(compression: .zstd(level: 99))) }
        let writer = try ParquetFileWriter(file: file, schema: schema)
        // A batch of another schema is refused and the writer stays usable.
        let other = try PQ.batch(RowType([Schemas.f(0, "b", DataType(.int, nullable: false))]), [[.integer(1)]])
        await #expect(throws: ParquetError.self) { try await writer.write(other) }
        try await writer.write(try PQ.batch(schema, [[.integer(7)]]))
        let summary = try await writer.close()
        #expect(summary.rowCount == 1)
        await #expect(throws: ParquetError.self) { try await writer.write(try PQ.batch(schema, [[.integer(8)]])) }
        #expect(PQ.rows(try await ParquetFile.readBatches(io: io, path: PQ.path("x.parquet")).1) == [[.integer(7)]])
    }

    @Test func valuesThatDoNotFitTheirStorageAreRefused() async throws {
        // Columns built by hand (not through ColumnBuilder) can hold decimals wider than their precision.
        let d9 = DataType(.decimal(precision: 9, scale: 0), nullable: false)
        let d19 = DataType(.decimal(precision: 19, scale: 0), nullable: false)
        let schema = RowType([Schemas.f(0, "d", d9)])
        let wide = ColumnBatch(schema: schema, columns: [Column(type: d9, validity: nil, values: .int64([1, 5_000_000_000]))])
        await #expect(throws: ParquetError.self) { _ = try await PQ.write(schema, [wide]) }
        let schema19 = RowType([Schemas.f(0, "d", d19)])
        let wide19 = ColumnBatch(schema: schema19, columns: [Column(type: d19, validity: nil, values: .int128([Int128(1) << 72]))])
        await #expect(throws: ParquetError.self) { _ = try await PQ.write(schema19, [wide19]) }
        // Nesting deeper than the writer's level limit.
        var type = DataType(.int)
        for _ in 0..<120 { type = DataType(.array(element: type)) }
        #expect(throws: ParquetError.self) { _ = try WriteSchema(RowType([Schemas.f(0, "deep", type)])) }
    }

    @Test func nothingIsVisibleAfterAFailure() async throws {
        let io = MemoryFileIO()
        let schema = RowType([Schemas.f(0, "m", DataType(.multiset(element: DataType(.int))))])
        let path = PQ.path("failed.parquet")
        await #expect(throws: ParquetError.self) {
            _ = try await ParquetFile.write(io: io, path: path, schema: schema, batches: [try PQ.batch(schema, [[.list([.null])]])], overwrite: false)
        }
        #expect(try await io.exists(path) == false)
        // Refusing to overwrite names the file.
        _ = try await ParquetFile.write(io: io, path: path, schema: schema, batches: [], overwrite: false)
        do {
            _ = try await ParquetFile.write(io: io, path: path, schema: schema, batches: [], overwrite: false)
            Issue.record("overwrote")
        } catch {
            #expect(error.file == path.description)
        }
    }
}
