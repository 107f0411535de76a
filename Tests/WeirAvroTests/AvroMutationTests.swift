import Testing
import WeirAvro
import WeirCodecs
import WeirColumnar
import WeirFileIO

/// The mutated-file corpus: valid files (every codec, column batches of every type, and generic records with
/// recursion, unions, maps, enums and fixed) are damaged in many seeded ways — truncated, bits flipped, ranges
/// overwritten, bytes inserted, block counts and sizes rewritten to huge values — and read with both the generic
/// and the column-batch reader. Every read must end in valid values or an ``AvroError``: never a crash (which
/// would kill the test process), never another error type, never a hang.
@Suite struct AvroMutationTests {
    static let mutationsPerFile = 160

    static let genericSchema = try! AvroSchema.parse(#"""
        {"type":"record","name":"G","fields":[
          {"name":"id","type":"long"},
          {"name":"u","type":["null","string",{"type":"fixed","name":"F","size":3},{"type":"enum","name":"E","symbols":["A","B","C"]}]},
          {"name":"m","type":{"type":"map","values":{"type":"array","items":["null","double"]}}},
          {"name":"list","type":["null",{"type":"record","name":"Node","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","Node"]}]}]},
          {"name":"nothing","type":{"type":"array","items":"null"}},
          {"name":"dec","type":{"type":"bytes","logicalType":"decimal","precision":20,"scale":2}}
        ]}
        """#)

    static func genericRecord(_ i: Int) -> AvroValue {
        var list: AvroValue = .union(branch: 0, value: .null)
        for v in 0..<(i % 4) { list = .union(branch: 1, value: .record([.int(Int32(v)), list])) }
        let u: AvroValue
        switch i % 4 {
        case 0: u = .union(branch: 0, value: .null)
        case 1: u = .union(branch: 1, value: .string("s\(i)"))
        case 2: u = .union(branch: 2, value: .fixed([1, 2, UInt8(i & 255)]))
        default: u = .union(branch: 3, value: .enumeration(["A", "B", "C"][i % 3]))
        }
        return .record([
            .long(Int64(i) * 1_000_003),
            u,
            .map((0..<(i % 3)).map { AvroMapEntry(key: "k\($0)", value: .array([.union(branch: 1, value: .double(Double($0))), .union(branch: 0, value: .null)])) }),
            list,
            .array(Array(repeating: .null, count: i % 5)),
            .bytes([UInt8(i & 127), 1]),
        ])
    }

    /// The valid files the mutations start from, with the offsets of their blocks.
    static func baseFiles(io: MemoryFileIO) async throws -> [(name: String, bytes: [UInt8], blocks: [Int])] {
        var files: [(String, [UInt8], [Int])] = []
        let batch = try Values.batch(AvroBatchTests.everyType, rows: 40, seed: 77)
        for codec in [AvroCodec.null, .deflate(), .snappy, .zstandard(level: 1)] {
            let path = try StoragePath(parsing: "memory://mutation/base-\(codec.name).avro")
            _ = try await AvroFile.write(io: io, path: path, schema: AvroBatchTests.everyType, batches: [batch], codec: codec,
                                         overwrite: true, blockBytes: 1500)
            files.append(("columns-\(codec.name)", try await io.readAll(path), try await blockOffsets(io: io, path: path)))
        }
        let path = try StoragePath(parsing: "memory://mutation/base-generic.avro")
        let writer = try await AvroFileWriter.create(io: io, path: path, schema: genericSchema, codec: .null, overwrite: true, blockBytes: 400)
        for i in 0..<60 { try await writer.append(genericRecord(i)) }
        try await writer.close()
        files.append(("generic", try await io.readAll(path), try await blockOffsets(io: io, path: path)))
        return files
    }

    static func blockOffsets(io: any FileIO, path: StoragePath) async throws -> [Int] {
        let reader = try await AvroFileReader.open(io: io, path: path)
        var offsets: [Int] = []
        while let block = try await reader.nextBlock() { offsets.append(Int(block.offset)) }
        await reader.close()
        return offsets
    }

    static func varint(_ value: Int64) -> [UInt8] {
        var u = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        var out: [UInt8] = []
        while u >= 0x80 {
            out.append(UInt8(u & 0x7f) | 0x80)
            u >>= 7
        }
        out.append(UInt8(u))
        return out
    }

    /// The length of the varint at `offset`.
    static func varintLength(_ bytes: [UInt8], at offset: Int) -> Int {
        var n = 0
        while offset + n < bytes.count, bytes[offset + n] & 0x80 != 0, n < 10 { n += 1 }
        return min(n + 1, bytes.count - offset)
    }

    static func mutate(_ original: [UInt8], blocks: [Int], _ rng: inout SplitMix64) -> (String, [UInt8]) {
        var bytes = original
        let kind = Int.random(in: 0..<8, using: &rng)
        switch kind {
        case 0:
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            return ("truncate at \(at)", Array(bytes[..<at]))
        case 1:
            let flips = Int.random(in: 1...8, using: &rng)
            for _ in 0..<flips {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                bytes[at] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
            }
            return ("flip \(flips) bits", bytes)
        case 2:
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            let length = min(Int.random(in: 1...16, using: &rng), bytes.count - at)
            for i in at..<(at + length) { bytes[i] = UInt8.random(in: 0...255, using: &rng) }
            return ("overwrite \(length) at \(at)", bytes)
        case 3:
            let at = Int.random(in: 0...bytes.count, using: &rng)
            let inserted = (0..<Int.random(in: 1...8, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            bytes.insert(contentsOf: inserted, at: at)
            return ("insert \(inserted.count) at \(at)", bytes)
        case 4, 5:
            // A block's record count (kind 4) or byte size (kind 5) rewritten to a huge or negative value.
            guard let block = blocks.randomElement(using: &rng) else { return ("no block", bytes) }
            var at = block
            if kind == 5 { at += varintLength(bytes, at: block) }
            let huge: Int64 = [Int64.max, Int64.min, Int64(Int32.max), 1 << 40, -1, 1 << 20].randomElement(using: &rng)!
            let length = varintLength(bytes, at: at)
            bytes.replaceSubrange(at..<(at + length), with: varint(huge))
            return ("block at \(block): \(kind == 4 ? "count" : "size") := \(huge)", bytes)
        case 6:
            // Same length: a count that claims more records than the block holds, keeping the layout intact.
            guard let block = blocks.randomElement(using: &rng) else { return ("no block", bytes) }
            let length = varintLength(bytes, at: block)
            var replacement = [UInt8](repeating: 0xff, count: length)
            replacement[length - 1] = 0x7e
            bytes.replaceSubrange(block..<(block + length), with: replacement)
            return ("block at \(block): count rewritten in \(length) bytes", bytes)
        default:
            // A damaged header: the metadata region.
            let at = Int.random(in: 4..<min(bytes.count, 400), using: &rng)
            bytes[at] = UInt8.random(in: 0...255, using: &rng)
            return ("header byte \(at)", bytes)
        }
    }

    enum Outcome: Hashable { case values, avroError }

    static func read(_ bytes: [UInt8], io: MemoryFileIO, path: StoragePath) async -> (generic: Result<Int, Error>, batches: Result<Int, Error>) {
        do { try await io.write(path, bytes, overwrite: true) } catch { return (.failure(error), .failure(error)) }
        var limits = AvroLimits()
        limits.blockUncompressedBytesMax = 4 << 20
        let generic: Result<Int, Error>
        do {
            generic = .success(try await AvroFileReader.readAll(io: io, path: path, limits: limits).records.count)
        } catch {
            generic = .failure(error)
        }
        let batches: Result<Int, Error>
        do {
            let reader = try await AvroBatchReader.open(io: io, path: path, limits: limits)
            batches = .success(try await reader.readAll().reduce(0) { $0 + $1.rowCount })
        } catch {
            batches = .failure(error)
        }
        return (generic, batches)
    }

    @Test func mutatedFilesEndInValuesOrAvroErrors() async throws {
        let io = MemoryFileIO()
        let files = try await Self.baseFiles(io: io)
        var rng = SplitMix64(seed: 2026)
        var outcomes: [String: [Outcome: Int]] = [:]
        let path = try StoragePath(parsing: "memory://mutation/mutant.avro")
        for file in files {
            // The unmutated file reads in full both ways (the generic file has no row type: recursion).
            let clean = await Self.read(file.bytes, io: io, path: path)
            #expect((try? clean.generic.get()) != nil, "\(file.name): \(clean.generic)")
            if file.name != "generic" { #expect((try? clean.batches.get()) == 40, "\(file.name): \(clean.batches)") }
            for _ in 0..<Self.mutationsPerFile {
                let (what, mutant) = Self.mutate(file.bytes, blocks: file.blocks, &rng)
                let (generic, batches) = await Self.read(mutant, io: io, path: path)
                for (reader, result) in [("generic", generic), ("batches", batches)] {
                    switch result {
                    case .success:
                        outcomes[reader, default: [:]][.values, default: 0] += 1
                    case .failure(let error as AvroError):
                        #expect(!error.message.isEmpty)
                        #expect(error.file == path.description, "\(file.name), \(what): \(error)")
                        outcomes[reader, default: [:]][.avroError, default: 0] += 1
                    case .failure(let error):
                        Issue.record("\(file.name), \(what), \(reader) reader: not an AvroError: \(type(of: error)) \(error)")
                    }
                }
            }
        }
        print("avro mutation corpus: \(files.count) files × \(Self.mutationsPerFile) mutations: generic \(outcomes["generic", default: [:]]), batches \(outcomes["batches", default: [:]])")
        // Most mutations are caught; some (a flipped bit in a string) still decode to valid values.
        let generic = outcomes["generic", default: [:]]
        #expect(generic[.avroError, default: 0] > generic[.values, default: 0], "\(outcomes)")
        #expect(generic.values.reduce(0, +) == files.count * Self.mutationsPerFile)
    }
}
