import Synchronization
import Testing
import WeirColumnar
import WeirFileIO
@testable import WeirParquet

/// A FileIO that records every ranged read (to check the reader fetches only what it needs).
final class RecordingFileIO: FileIO {
    let base: MemoryFileIO
    let reads = Mutex<[(offset: Int64, count: Int)]>([])

    init(_ base: MemoryFileIO) { self.base = base }

    var capabilities: FileIOCapabilities { base.capabilities }
    func status(_ path: StoragePath) async throws -> FileStatus { try await base.status(path) }
    func openForReading(_ path: StoragePath) async throws -> any ReadableFile {
        RecordingFile(try await base.openForReading(path), self)
    }
    func create(_ path: StoragePath, overwrite: Bool) async throws -> any WritableFile { try await base.create(path, overwrite: overwrite) }
    func list(_ directory: StoragePath, options: ListOptions) async throws -> ListPage { try await base.list(directory, options: options) }
    func delete(_ path: StoragePath, recursive: Bool) async throws -> Bool { try await base.delete(path, recursive: recursive) }
    func rename(_ source: StoragePath, to target: StoragePath) async throws { try await base.rename(source, to: target) }
    func mkdirs(_ path: StoragePath) async throws { try await base.mkdirs(path) }

    var recorded: [(offset: Int64, count: Int)] { reads.withLock { $0 } }
    func clear() { reads.withLock { $0.removeAll() } }

    final class RecordingFile: ReadableFile {
        let inner: any ReadableFile
        let io: RecordingFileIO
        init(_ inner: any ReadableFile, _ io: RecordingFileIO) {
            self.inner = inner
            self.io = io
        }
        var path: StoragePath { inner.path }
        var size: Int64 { inner.size }
        func read(at offset: Int64, count: Int) async throws -> [UInt8] {
            io.reads.withLock { $0.append((offset, count)) }
            return try await inner.read(at: offset, count: count)
        }
        func close() async { await inner.close() }
    }
}

/// Reading: ranged reads of the footer and of only the projected chunks, projection, row-group skipping from
/// statistics, the inspection report, and errors that name the file and the place.
@Suite struct ReaderTests {
    @Test func projectionFetchesOnlyItsChunks() async throws {
        let schema = Schemas.nested
        var g = ValueGenerator(seed: 3)
        let rows = g.rows(schema, count: 400)
        let (memory, path, _) = try await PQ.write(schema, [try PQ.batch(schema, rows)])
        let io = RecordingFileIO(memory)
        let reader = try await ParquetFileReader.open(io: io, path: path)
        let size = try await memory.status(path).size
        // A small file: the footer comes in one read of the whole tail.
        #expect(io.recorded.count == 1 && io.recorded[0].offset + Int64(io.recorded[0].count) == size)
        io.clear()
        let batch = try await reader.read(rowGroup: 0, projection: ["point", "id"])
        #expect(batch.schema.fieldNames == ["point", "id"])
        #expect(PQ.rows([batch]) == rows.map { [$0[4], $0[0]] })
        // Exactly the bytes of the chunks of id (leaf 0) and point (leaves 5, 6, 7): two reads (id, then point's three
        // adjacent chunks merged), nothing else.
        let metadata = reader.footer.metadata.rowGroups[0]
        func range(_ leaf: Int) -> (Int64, Int) {
            let m = metadata.columns[leaf].metaData!
            let start = m.dictionaryPageOffset ?? m.dataPageOffset
            return (start, Int(m.totalCompressedSize))
        }
        let reads = io.recorded.sorted { $0.offset < $1.offset }
        #expect(reads.count == 2)
        #expect(reads[0].offset == range(0).0 && reads[0].count == range(0).1)
        #expect(reads[1].offset == range(5).0 && reads[1].count == range(5).1 + range(6).1 + range(7).1)
        // Unknown or repeated names and row groups out of range are errors naming the file.
        await #expect(throws: ParquetError.self) { _ = try await reader.read(rowGroup: 0, projection: ["nope"]) }
        await #expect(throws: ParquetError.self) { _ = try await reader.read(rowGroup: 0, projection: ["id", "id"]) }
        do {
            _ = try await reader.read(rowGroup: 1)
            Issue.record("row group 1 read")
        } catch {
            #expect(error.file == path.description && error.location == "row group 1")
        }
        await reader.close()
    }

    @Test func aFooterLongerThanTheTailIsReadInTwoPieces() async throws {
        let schema = RowType([Schemas.f(0, "a", DataType(.int))])
        let big = String(repeating: "metadata ", count: 12_000)  // 108 KB of key-value metadata
        let (memory, path, _) = try await PQ.write(schema, [try PQ.batch(schema, [[.integer(1)]])],
                                                   options: ParquetWriteOptions(keyValueMetadata: ["big": big]))
        let io = RecordingFileIO(memory)
        let size = try await memory.status(path).size
        let reader = try await ParquetFileReader.open(io: io, path: path)
        let reads = io.recorded
        #expect(reads.count == 2)
        #expect(reads[0].offset == size - 65_536 && reads[0].count == 65_536)
        let footerLength = reader.footer.metadataLength
        #expect(reads[1].offset == size - 8 - Int64(footerLength) && reads[1].count == footerLength + 8 - 65_536)
        #expect(reader.keyValueMetadata.first?.value == big)
        #expect(PQ.rows(try await reader.readAll()) == [[.integer(1)]])
    }

    /// Ten row groups of 100 rows each with ids 0..999 in order, a string, a decimal and a timestamp that grow with
    /// the id, and a column that is null only in row group 3.
    static func tenRowGroups(statistics: Bool = true) async throws -> (ParquetFileReader, [[Value]]) {
        let schema = RowType([
            Schemas.f(0, "id", DataType(.bigint, nullable: false)), Schemas.f(1, "name", .string),
            Schemas.f(2, "price", DataType(.decimal(precision: 10, scale: 2))), Schemas.f(3, "at", DataType(.timestamp(precision: 6))),
            Schemas.f(4, "sometimes", DataType(.int)), Schemas.f(5, "list", DataType(.array(element: DataType(.int)))),
        ])
        let io = MemoryFileIO()
        let path = PQ.path("groups.parquet")
        let writer = try ParquetFileWriter(file: try await io.create(path, overwrite: false), schema: schema,
                                           options: ParquetWriteOptions(statistics: statistics))
        var all: [[Value]] = []
        for group in 0..<10 {
            let rows: [[Value]] = (0..<100).map { i in
                let id = Int64(group * 100 + i)
                return [.integer(id), .string("n" + String(format3(id))), .decimal(unscaled: Int128(id) * 150, scale: 2),
                        .timestamp(id * 1_000_000), group == 3 ? .null : .integer(Int64(i)), .list([.integer(id)])]
            }
            all += rows
            try await writer.write(try PQ.batch(schema, rows))
            try await writer.finishRowGroup()
        }
        let summary = try await writer.close()
        #expect(summary.rowGroupCount == 10)
        return (try await ParquetFileReader.open(io: io, path: path), all)
    }

    static func format3(_ n: Int64) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, 3 - s.count)) + s
    }

    @Test func rowGroupSkippingFromStatistics() async throws {
        let (reader, all) = try await Self.tenRowGroups()
        #expect(reader.rowGroups.count == 10)
        #expect(reader.rowGroups[2].columns[0] == ParquetColumnStatistics(nullCount: 0, min: .integer(200), max: .integer(299)))
        #expect(reader.rowGroups[2].columns[5] == nil)  // nested: no statistics
        typealias F = ParquetRowGroupFilter
        #expect(try reader.rowGroups(matching: .equals("id", .integer(250))) == [2])
        #expect(try reader.rowGroups(matching: .equals("id", .integer(1000))) == [])
        #expect(try reader.rowGroups(matching: .less("id", .integer(100))) == [0])
        #expect(try reader.rowGroups(matching: .lessOrEqual("id", .integer(100))) == [0, 1])
        #expect(try reader.rowGroups(matching: .greater("id", .integer(899))) == [9])
        #expect(try reader.rowGroups(matching: .greaterOrEqual("id", .integer(899))) == [8, 9])
        #expect(try reader.rowGroups(matching: .between("id", .integer(150), .integer(420))) == [1, 2, 3, 4])
        #expect(try reader.rowGroups(matching: .equals("name", .string("n512"))) == [5])
        #expect(try reader.rowGroups(matching: .less("name", .string("n1"))) == [0])
        #expect(try reader.rowGroups(matching: .equals("price", .decimal(unscaled: 3000, scale: 1))) == [2])  // 300.0 at id 200
        #expect(try reader.rowGroups(matching: .equals("price", .decimal(unscaled: 30001, scale: 3))) == Array(0..<10))  // no exact bound: kept
        #expect(try reader.rowGroups(matching: .greater("at", .timestamp(949_000_000))) == [9])
        #expect(try reader.rowGroups(matching: .isNull("sometimes")) == [3])
        #expect(try reader.rowGroups(matching: .isNotNull("sometimes")) == [0, 1, 2, 4, 5, 6, 7, 8, 9])
        #expect(try reader.rowGroups(matching: .equals("sometimes", .integer(5))) == [0, 1, 2, 4, 5, 6, 7, 8, 9])
        #expect(try reader.rowGroups(matching: .and([.greater("id", .integer(150)), .less("id", .integer(320))])) == [1, 2, 3])
        #expect(try reader.rowGroups(matching: .or([.equals("id", .integer(5)), .equals("id", .integer(995))])) == [0, 9])
        // Nested, unknown and mistyped columns are errors.
        #expect(throws: ParquetError.self) { _ = try reader.rowGroups(matching: .isNull("list")) }
        #expect(throws: ParquetError.self) { _ = try reader.rowGroups(matching: .isNull("nope")) }
        #expect(throws: ParquetError.self) { _ = try reader.rowGroups(matching: .equals("id", .string("1"))) }
        // What survives the filter holds every matching row.
        let kept = try reader.rowGroups(matching: .between("id", .integer(150), .integer(420)))
        var rows: [[Value]] = []
        for index in kept { rows += PQ.rows([try await reader.read(rowGroup: index)]) }
        #expect(rows.filter { if case .integer(let id) = $0[0] { return (150...420).contains(id) }; return false }.count == 271)
        #expect(rows == Array(all[100..<500]))
        // Without statistics every row group may match.
        let (plain, _) = try await Self.tenRowGroups(statistics: false)
        #expect(try plain.rowGroups(matching: .equals("id", .integer(250))) == Array(0..<10))
        #expect(try plain.rowGroups(matching: .isNull("sometimes")) == Array(0..<10))
    }

    @Test func inspectionReport() async throws {
        let schema = RowType([Schemas.f(3, "id", DataType(.bigint, nullable: false)), Schemas.f(4, "tags", DataType(.array(element: .string))),
                              Schemas.f(5, "price", DataType(.decimal(precision: 10, scale: 2))), Schemas.f(6, "day", DataType(.date))])
        let batch = try PQ.batch(schema, [[.integer(-3), .list([.string("a")]), .decimal(unscaled: 1234, scale: 2), .date(days: 19_000)],
                                          [.integer(9), .null, .null, .date(days: 0)]])
        let (io, path, _) = try await PQ.write(schema, [batch])
        let report = try await ParquetFile.inspect(io: io, path: path)
        for expected in ["file: memory://pq/t.parquet", "created by: weir version 0.1.0", "rows: 2 in 1 row group",
                         "schema (message paimon_schema):",
                         "  required int64 id [field id 3] → BIGINT NOT NULL (id 3)",
                         "  optional group tags (LIST) [field id 4] → ARRAY<STRING> (id 4)",
                         "    repeated group list",
                         "      optional byte_array element (STRING) [field id \(536_870_911 + 4 * 1024 + 1)]",
                         "  optional int64 price (DECIMAL(10,2)) [field id 5] → DECIMAL(10, 2) (id 5)",
                         "row group 0: 2 rows",
                         "  id: INT64, ZSTD, encodings PLAIN_DICTIONARY, 2 values",
                         "  tags.list.element: BYTE_ARRAY, ZSTD, encodings PLAIN_DICTIONARY RLE, 2 values",
                         "nulls 0, min -3, max 9", "nulls 1, min 12.34, max 12.34", "min 1970-01-01, max 2022-01-08"] {
            #expect(report.contains(expected), "missing: \(expected)\n\(report)")
        }
        let bytes = try await io.readAll(path)
        #expect(try ParquetFile.inspect(bytes: bytes, name: "memory://pq/t.parquet") == report)
    }

    @Test func bytesAndFileIOPathsAgree() async throws {
        let schema = Schemas.nested
        var g = ValueGenerator(seed: 12)
        let (io, path, _) = try await PQ.write(schema, [try PQ.batch(schema, g.rows(schema, count: 300))],
                                               options: ParquetWriteOptions(rowGroupBytes: 8 << 10))
        let (schemaA, a) = try await ParquetFile.readBatches(io: io, path: path, projection: ["deep", "id"])
        let (schemaB, b) = try ParquetFile.readBatches(bytes: try await io.readAll(path), projection: ["deep", "id"])
        #expect(schemaA == schemaB && schemaA.fieldNames == ["deep", "id"])
        #expect(a == b && a.count > 1)
    }
}
