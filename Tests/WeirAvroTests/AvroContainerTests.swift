import Synchronization
import Testing
import WeirAvro
import WeirCodecs
import WeirFileIO

/// Object container files: header, blocks, codecs, sync markers, streaming.
@Suite struct AvroContainerTests {
    static let codecs: [AvroCodec] = [.null, .deflate(), .deflate(level: 9), .snappy, .zstandard(level: 1), .zstandard()]

    static let schema = try! AvroSchema.parse(#"""
        {"type":"record","name":"Row","namespace":"weir.test","fields":[
          {"name":"id","type":"long"},
          {"name":"name","type":["null","string"],"default":null},
          {"name":"tags","type":{"type":"array","items":"string"}},
          {"name":"score","type":"double"},
          {"name":"blob","type":"bytes"}
        ]}
        """#)

    static func row(_ i: Int) -> AvroValue {
        .record([
            .long(Int64(i) * 7919 - 100_000),
            i % 5 == 0 ? .union(branch: 0, value: .null) : .union(branch: 1, value: .string("name-\(i)-\(String(repeating: "x", count: i % 17))")),
            .array((0..<(i % 4)).map { .string("t\($0)") }),
            .double(Double(i) / 3),
            .bytes((0..<(i % 23)).map { UInt8(truncatingIfNeeded: $0 &* i) }),
        ])
    }

    static func path(_ name: String) -> StoragePath { try! StoragePath(parsing: "memory://avro/\(name)") }

    @Test(arguments: codecs)
    func roundTripEveryCodec(_ codec: AvroCodec) async throws {
        let io = MemoryFileIO()
        let path = Self.path("rt.avro")
        let rows = (0..<5000).map(Self.row)
        let writer = try await AvroFileWriter.create(io: io, path: path, schema: Self.schema, codec: codec,
                                                     metadata: ["weir.note": Array("hello".utf8)], overwrite: false, blockBytes: 16 << 10)
        for row in rows { try await writer.append(row) }
        let size = try await writer.close()
        #expect(writer.blockCount > 5, "\(writer.blockCount) blocks")
        #expect(size == (try await io.status(path)).size)

        let reader = try await AvroFileReader.open(io: io, path: path)
        #expect(reader.header.codec.name == codec.name)
        #expect(reader.header.schema == Self.schema)
        #expect(reader.header.userMetadata == ["weir.note": Array("hello".utf8)])
        #expect(reader.header.sync.count == 16)
        var blocks = 0
        var read: [AvroValue] = []
        while let records = try await reader.nextRecords() {
            blocks += 1
            read += records
        }
        await reader.close()
        #expect(blocks == writer.blockCount)
        #expect(read == rows)
    }

    /// The header's layout byte by byte: magic, the metadata map (avro.schema, avro.codec, then user keys
    /// sorted), the sync marker; then a block: count, size, data, sync.
    @Test func headerAndBlockLayout() async throws {
        let io = MemoryFileIO()
        let path = Self.path("layout.avro")
        let sync = [UInt8](0..<16)
        let file = try await io.create(path, overwrite: false)
        let writer = try AvroFileWriter(file: file, schema: .long, codec: .null, metadata: ["k": [9]], sync: sync)
        try await writer.append(.long(1))
        try await writer.append(.long(-1))
        try await writer.close()
        let bytes = try await io.readAll(path)
        var expected: [UInt8] = [0x4f, 0x62, 0x6a, 0x01, 0x06]  // magic, 3 entries
        expected += [0x16] + Array("avro.schema".utf8) + [0x0c] + Array("\"long\"".utf8)
        expected += [0x14] + Array("avro.codec".utf8) + [0x08] + Array("null".utf8)
        expected += [0x02, 0x6b, 0x02, 0x09, 0x00] + sync
        expected += [0x04, 0x04, 0x02, 0x01] + sync  // 2 records, 2 bytes: 1 and -1
        #expect(bytes == expected)
    }

    @Test func emptyFileHasHeaderOnly() async throws {
        let io = MemoryFileIO()
        let path = Self.path("empty.avro")
        let writer = try await AvroFileWriter.create(io: io, path: path, schema: Self.schema, codec: .zstandard(), overwrite: false)
        try await writer.close()
        let (header, records) = try await AvroFileReader.readAll(io: io, path: path)
        #expect(records.isEmpty)
        #expect(header.schema == Self.schema)
    }

    /// A file of several MiB is read block by block through chunked reads (the reader never asks for the whole file).
    @Test func largeFileStreams() async throws {
        let io = CountingFileIO(MemoryFileIO())
        let path = Self.path("large.avro")
        let writer = try await AvroFileWriter.create(io: io, path: path, schema: Self.schema, codec: .null, overwrite: false)
        let big = AvroValue.record([.long(1), .union(branch: 0, value: .null), .array([]), .double(0), .bytes([UInt8](repeating: 7, count: 100_000))])
        for _ in 0..<60 { try await writer.append(big) }
        try await writer.close()
        let reader = try await AvroFileReader.open(io: io, path: path)
        var count = 0
        while let records = try await reader.nextRecords() { count += records.count }
        await reader.close()
        #expect(count == 60)
        #expect(io.largestRead.withLock { $0 } <= 1 << 20)
    }

    @Test func headerProblemsAreNamed() async throws {
        let io = MemoryFileIO()
        func check(_ bytes: [UInt8], _ message: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let path = Self.path("bad.avro")
            try await io.write(path, bytes, overwrite: true)
            do {
                _ = try await AvroFileReader.readAll(io: io, path: path)
                Issue.record("read \(bytes.prefix(16))", sourceLocation: sourceLocation)
            } catch let error as AvroError {
                #expect(error.message.contains(message), "\(error)", sourceLocation: sourceLocation)
                #expect(error.file == path.description, sourceLocation: sourceLocation)
            }
        }
        func header(_ entries: [(String, [UInt8])], sync: [UInt8] = [UInt8](repeating: 1, count: 16)) -> [UInt8] {
            var out: [UInt8] = [0x4f, 0x62, 0x6a, 0x01, UInt8(entries.count * 2)]
            for (k, v) in entries { out += [UInt8(k.utf8.count * 2)] + Array(k.utf8) + [UInt8(v.count * 2)] + v }
            return out + [0] + sync
        }
        try await check(Array("PAR1".utf8), "not an Avro object container file")
        try await check([0x4f, 0x62], "too short")
        try await check(header([("avro.codec", Array("null".utf8))]), "no avro.schema")
        try await check(header([("avro.schema", Array("\"int\"".utf8)), ("avro.codec", Array("bzip2".utf8))]), "not supported")
        try await check(header([("avro.schema", Array("\"int\"".utf8)), ("avro.codec", Array("lzma9".utf8))]), "unknown codec")
        try await check(header([("avro.schema", Array("{\"type\":\"nope\"}".utf8))]), "unknown type")
        try await check(Array(header([("avro.schema", Array("\"int\"".utf8))]).dropLast(3)), "sync marker")
        let good = header([("avro.schema", Array("\"int\"".utf8))])
        // A block whose sync marker differs from the header's.
        try await check(good + [0x02, 0x02, 0x54] + [UInt8](repeating: 2, count: 16), "sync marker")
        // A block whose size runs past the end of the file.
        try await check(good + [0x02, 0x7e, 0x54], "past the end")
        // Negative counts and sizes.
        try await check(good + [0x01, 0x02, 0x54] + [UInt8](repeating: 1, count: 16), "negative record count")
        try await check(good + [0x02, 0x01, 0x54] + [UInt8](repeating: 1, count: 16), "negative block size")
        // More records than the block's bytes can hold.
        try await check(good + [0x7e, 0x02, 0x54] + [UInt8](repeating: 1, count: 16), "cannot fit")
        // Bytes left after the block's records.
        try await check(good + [0x02, 0x04, 0x54, 0x54] + [UInt8](repeating: 1, count: 16), "bytes left")
        // A truncated trailing block.
        try await check(good + [0x02], "block header")
        // A snappy block with a wrong CRC.
        var snappyBlock = try CompressionCodec.snappy.compress([0x54])
        snappyBlock += [0, 0, 0, 0]
        try await check(header([("avro.schema", Array("\"int\"".utf8)), ("avro.codec", Array("snappy".utf8))])
                        + [0x02, UInt8(snappyBlock.count * 2)] + snappyBlock + [UInt8](repeating: 1, count: 16), "CRC-32 mismatch")
    }

    @Test func writerRefusesBadInput() async throws {
        let io = MemoryFileIO()
        let path = Self.path("w.avro")
        await #expect(throws: AvroError.self) {
            _ = try await AvroFileWriter.create(io: io, path: path, schema: .int, metadata: ["avro.x": []], overwrite: true)
        }
        await #expect(throws: AvroError.self) {
            _ = try await AvroFileWriter.create(io: io, path: path, schema: .reference("Nope"), overwrite: true)
        }
        let writer = try await AvroFileWriter.create(io: io, path: path, schema: .int, overwrite: true)
        await #expect(throws: AvroError.self) { try await writer.append(.string("x")) }
        try await writer.append(.int(3))
        try await writer.close()
        #expect(try await AvroFileReader.readAll(io: io, path: path).records == [.int(3)])
        await #expect(throws: AvroError.self) { try await writer.append(.int(4)) }
        // Nothing is visible after abort.
        let aborted = try await AvroFileWriter.create(io: io, path: Self.path("aborted.avro"), schema: .int, overwrite: false)
        try await aborted.append(.int(1))
        await aborted.abort()
        #expect(try await io.exists(Self.path("aborted.avro")) == false)
    }

    /// Reading with a reader schema resolves every record.
    @Test func readerSchemaResolves() async throws {
        let io = MemoryFileIO()
        let path = Self.path("resolve.avro")
        let writer = try await AvroFileWriter.create(io: io, path: path, schema: Self.schema, overwrite: false)
        for i in 0..<10 { try await writer.append(Self.row(i)) }
        try await writer.close()
        let reader = try AvroSchema.parse(#"{"type":"record","name":"X","fields":[{"name":"score","type":"double"},{"name":"extra","type":["null","int"]},{"name":"id","type":"double"}]}"#)
        let (_, records) = try await AvroFileReader.readAll(io: io, path: path, readerSchema: reader)
        #expect(records.count == 10)
        #expect(records[3] == .record([.double(1), .union(branch: 0, value: .null), .double(Double(3 * 7919 - 100_000))]))
    }
}

/// A FileIO that remembers the largest single read (for the streaming test).
final class CountingFileIO: FileIO {
    let base: MemoryFileIO
    let largestRead = Mutex(0)
    init(_ base: MemoryFileIO) { self.base = base }
    var capabilities: FileIOCapabilities { base.capabilities }
    func status(_ path: StoragePath) async throws -> FileStatus { try await base.status(path) }
    func openForReading(_ path: StoragePath) async throws -> any ReadableFile {
        CountingFile(try await base.openForReading(path), owner: self)
    }
    func create(_ path: StoragePath, overwrite: Bool) async throws -> any WritableFile { try await base.create(path, overwrite: overwrite) }
    func list(_ directory: StoragePath, options: ListOptions) async throws -> ListPage { try await base.list(directory, options: options) }
    func delete(_ path: StoragePath, recursive: Bool) async throws -> Bool { try await base.delete(path, recursive: recursive) }
    func rename(_ source: StoragePath, to target: StoragePath) async throws { try await base.rename(source, to: target) }
    func mkdirs(_ path: StoragePath) async throws { try await base.mkdirs(path) }
}

final class CountingFile: ReadableFile {
    let file: any ReadableFile
    let owner: CountingFileIO
    init(_ file: any ReadableFile, owner: CountingFileIO) {
        self.file = file
        self.owner = owner
    }
    var path: StoragePath { file.path }
    var size: Int64 { file.size }
    func read(at offset: Int64, count: Int) async throws -> [UInt8] {
        owner.largestRead.withLock { $0 = max($0, count) }
        return try await file.read(at: offset, count: count)
    }
    func close() async { await file.close() }
}
