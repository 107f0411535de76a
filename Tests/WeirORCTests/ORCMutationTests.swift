import Foundation
import Testing
import WeirColumnar
import WeirFileIO
@testable import WeirORC

/// A corpus of damaged files: valid files truncated, with bits flipped, ranges overwritten or duplicated. Every
/// read must end in an ``ORCError`` or in batches that pass `ColumnBatch.validate()`: never a crash, a hang or
/// another kind of error.
@Suite struct ORCMutationTests {
    typealias S = ORCTestSupport

    static let limits = ORCReadLimits(tailBytesMax: 1 << 20, stripeFooterBytesMax: 1 << 16, streamBytesMax: 8 << 20,
                                      stripeRowsMax: 100_000, stripeValuesMax: 400_000)

    /// Small valid files covering every type, codec, both string encodings, several stripes, and a file from
    /// the ORC C++ writer (the pypaimon fixture).
    static func seeds() async throws -> [(String, [UInt8])] {
        var seeds: [(String, [UInt8])] = []
        let all = try S.batch(S.allTypes, rows: 120, seed: 5)
        for (name, compression) in [("none", ORCCompression.none), ("zstd", .zstd()), ("snappy", .snappy), ("zlib", .zlib), ("lz4", .lz4)] {
            let options = ORCWriteOptions(compression: compression, compressionBlockSize: 1024, stripeSizeBytes: 12_000, rowIndexStride: 50,
                                          dictionaryKeySizeThreshold: name == "zlib" ? 0 : 0.8)
            seeds.append(("all types, \(name)", try await S.fileBytes([all], schema: S.allTypes, options: options)))
        }
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../../shared/fixtures/pypaimon/warehouse/db.db/fmt_orc/bucket-0/data-ff11a7df-b908-4df7-9e34-a55ac2ba0499-0.orc").standardizedFileURL
        if let data = FileManager.default.contents(atPath: fixture.path) { seeds.append(("pypaimon fixture", Array(data))) }
        return seeds
    }

    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state ^ (state >> 29)
        }
        mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    }

    /// One mutation of `bytes`; half of them aim at the tail, where the postscript, footer and metadata are.
    static func mutate(_ bytes: [UInt8], _ r: inout Random) -> [UInt8] {
        var out = bytes
        let aimAtTail = r.below(2) == 0
        func position() -> Int { aimAtTail ? max(0, out.count - 1 - r.below(min(out.count, 400))) : r.below(out.count) }
        switch r.below(5) {
        case 0:
            out.removeLast(1 + r.below(out.count - 1))
        case 1:
            for _ in 0..<(1 + r.below(8)) {
                let at = position()
                out[at] ^= 1 << UInt8(r.below(8))
            }
        case 2:
            let at = position()
            let fill: UInt8 = [0x00, 0xff, 0x7f, 0x80][r.below(4)]
            for i in at..<min(out.count, at + 1 + r.below(16)) { out[i] = r.below(3) == 0 ? UInt8(truncatingIfNeeded: r.next()) : fill }
        case 3:
            let at = position(), length = 1 + r.below(64)
            let chunk = Array(out[r.below(out.count)...].prefix(length))
            out.insert(contentsOf: chunk, at: at)
        default:
            let at = position()
            out.removeSubrange(at..<min(out.count, at + 1 + r.below(32)))
        }
        return out
    }

    enum Outcome { case read, refused }

    /// Opens, inspects, filters and reads every stripe of `bytes`.
    static func exercise(_ bytes: [UInt8], io: MemoryFileIO, path: StoragePath) async throws -> Outcome {
        try await io.write(path, bytes, overwrite: true)
        do {
            let reader = try await ORCFileReader.open(io: io, path: path, options: ORCReadOptions(limits: limits))
            _ = try await ORCInspection.describe(reader)
            if let first = reader.schema.fields.first {
                _ = reader.stripes(matching: .or([.isNull(first.name), .greaterThan(first.name, .integer(3))]))
            }
            for stripe in reader.stripes {
                let batch = try await reader.read(stripe: stripe.index)
                try batch.validate()
                #expect(batch.rowCount == stripe.rowCount)
            }
            await reader.close()
            return .read
        } catch is ORCError {
            return .refused
        }
    }

    @Test func damagedFilesFailCleanly() async throws {
        let io = MemoryFileIO()
        let path = try StoragePath(parsing: "memory://orc/mutant.orc")
        var read = 0, refused = 0
        for (name, seed) in try await Self.seeds() {
            #expect(try await Self.exercise(seed, io: io, path: path) == .read, "seed \(name) must read")
            for iteration in 0..<260 {
                var r = Random(state: UInt64(iteration) &* 0x9E3779B97F4A7C15 &+ UInt64(seed.count))
                var mutant = Self.mutate(seed, &r)
                if iteration % 4 == 0 { mutant = Self.mutate(mutant, &r) }
                do {
                    switch try await Self.exercise(mutant, io: io, path: path) {
                    case .read: read += 1
                    case .refused: refused += 1
                    }
                } catch {
                    Issue.record("seed \(name), mutation \(iteration): \(type(of: error)): \(error)")
                }
            }
        }
        #expect(refused > 500, "refused \(refused), read \(read)")
        #expect(read > 20, "refused \(refused), read \(read)")
    }

    /// Hand-made damage at the tail names what is wrong.
    @Test func tailDamageIsNamed() async throws {
        let seed = try await S.fileBytes([try S.batch(S.allTypes, rows: 20, seed: 1)], schema: S.allTypes)
        let io = MemoryFileIO()
        let path = try StoragePath(parsing: "memory://orc/tail.orc")
        func message(_ bytes: [UInt8]) async throws -> String {
            try await io.write(path, bytes, overwrite: true)
            do {
                _ = try await ORCFileReader.open(io: io, path: path)
                return "opened"
            } catch let error as ORCError {
                #expect(error.file == "memory://orc/tail.orc")
                return error.location + ": " + error.message
            }
        }
        #expect(try await message([0x4f, 0x52]).contains("too short"))
        var wrongMagic = seed
        let psLength = Int(seed.last!)
        wrongMagic[seed.count - 2] = UInt8(ascii: "X")
        #expect(try await message(wrongMagic).contains("magic"))
        var longPostScript = seed
        longPostScript[seed.count - 1] = 255
        #expect(try await message(longPostScript).hasPrefix("postscript"))
        // The footer length in the postscript (field 1, right after the postscript starts) pointing before the file.
        var psBytes = Array(seed[(seed.count - 1 - psLength)..<(seed.count - 1)])
        var ps = try ORCPostScript.decode(psBytes, context: "ps")
        ps.footerLength = UInt64(seed.count * 2)
        psBytes = ps.serialized()
        let lying = Array(seed[0..<(seed.count - 1 - psLength)]) + psBytes + [UInt8(psBytes.count)]
        #expect(try await message(lying).contains("run past the start of the file"))
        ps.footerLength = 1 << 40
        psBytes = ps.serialized()
        let huge = Array(seed[0..<(seed.count - 1 - psLength)]) + psBytes + [UInt8(psBytes.count)]
        #expect(try await message(huge).contains("over the limit"))
        #expect(try await message(Array(seed.prefix(seed.count / 2))).count > 0)
    }

    /// A stripe that claims more rows than its streams hold, or fewer, is refused when read.
    @Test func lyingRowCountsAreRefused() async throws {
        let schema = RowType([DataField(id: 0, name: "x", type: DataType(.bigint))])
        var builder = ColumnBuilder(type: schema.fields[0].type)
        for i in 0..<1000 { try builder.append(.integer(Int64(i * 37 % 1001))) }
        let bytes = try await S.fileBytes([ColumnBatch(schema: schema, columns: [builder.finish()])], schema: schema,
                                          options: ORCWriteOptions(compression: .none))
        let reader = try await S.open(bytes)
        for rows: UInt64 in [999, 1001, 5000] {
            var footer = reader.footer
            footer.stripes[0].numberOfRows = rows
            footer.numberOfRows = rows
            let footerBytes = footer.serialized()
            var ps = reader.postScript
            ps.footerLength = UInt64(footerBytes.count)
            let psBytes = ps.serialized()
            let body = Array(bytes[0..<(bytes.count - 1 - Int(bytes.last!) - Int(reader.postScript.footerLength))])
            let lying = try await S.open(body + footerBytes + psBytes + [UInt8(psBytes.count)])
            do {
                _ = try await lying.read(stripe: 0)
                Issue.record("\(rows) rows read")
            } catch let error as ORCError {
                #expect(error.location.contains("stripe 0, column 1 (x)"), "\(error)")
            }
        }
    }

    /// The file with its footer replaced (same body, postscript adjusted).
    static func withFooter(_ bytes: [UInt8], _ change: (inout ORCFooter) -> Void) async throws -> [UInt8] {
        let reader = try await S.open(bytes)
        var footer = reader.footer
        change(&footer)
        let footerBytes = try ORCCompressor(compression: .zstd(), blockSize: Int(reader.postScript.compressionBlockSize ?? 262_144))
            .frame(footer.serialized()).bytes
        var ps = reader.postScript
        ps.footerLength = UInt64(footerBytes.count)
        ps.compression = .zstd
        let psBytes = ps.serialized()
        let body = Array(bytes[0..<(bytes.count - 1 - Int(bytes.last!) - Int(reader.postScript.footerLength))])
        return body + footerBytes + psBytes + [UInt8(psBytes.count)]
    }

    /// Stripe lengths that add up past 2^64, or past the file, and stripes that overlap are refused at open.
    @Test func lyingStripeLengthsAreRefused() async throws {
        let schema = RowType([DataField(id: 0, name: "x", type: DataType(.bigint))])
        var builder = ColumnBuilder(type: schema.fields[0].type)
        for i in 0..<3000 { try builder.append(.integer(Int64(i))) }
        let bytes = try await S.fileBytes([ColumnBatch(schema: schema, columns: [builder.finish()])], schema: schema,
                                          options: ORCWriteOptions(stripeSizeBytes: 8_000))
        let changes: [(String, (inout ORCFooter) -> Void)] = [
            ("wrapping lengths", { $0.stripes[0].indexLength = UInt64.max - 5; $0.stripes[0].dataLength = 100 }),
            ("past the file", { $0.stripes[0].dataLength = 1 << 30 }),
            ("overlapping", { $0.stripes[1].offset = $0.stripes[0].offset + 1 }),
            ("before the header", { $0.stripes[0].offset = 0 }),
            ("no footer", { $0.stripes[0].footerLength = 0 }),
            ("too many rows", { $0.stripes[0].numberOfRows = UInt64.max }),
            ("bad types", { $0.types[0].subtypes = [5] }),
            ("a union", { $0.types[1] = ORCType(kind: .union) }),
        ]
        for (name, change) in changes {
            let mutant = try await Self.withFooter(bytes, change)
            await #expect(throws: ORCError.self, "\(name)") { _ = try await S.open(mutant) }
        }
    }

    /// A stripe footer whose streams are longer than the stripe, or wrap, is refused when read.
    @Test func lyingStreamLengthsAreRefused() async throws {
        let schema = RowType([DataField(id: 0, name: "x", type: DataType(.bigint))])
        var builder = ColumnBuilder(type: schema.fields[0].type)
        for i in 0..<300 { try builder.append(.integer(Int64(i))) }
        let bytes = try await S.fileBytes([ColumnBatch(schema: schema, columns: [builder.finish()])], schema: schema,
                                          options: ORCWriteOptions(compression: .none))
        let reader = try await S.open(bytes)
        let info = reader.stripes[0].information
        var footer = try await reader.stripeFooter(0)
        let psLength = Int(bytes.last!)
        let ps = reader.postScript
        let metadataStart = bytes.count - 1 - psLength - Int(ps.footerLength) - Int(ps.metadataLength)
        let metadata = Array(bytes[metadataStart..<(metadataStart + Int(ps.metadataLength))])
        let start = Int(info.offset + info.indexLength + info.dataLength)
        for length in [UInt64.max, info.dataLength + 1, UInt64(1) << 40] {
            footer.streams[0].length = length
            let stripeFooter = footer.serialized()
            var fileFooter = reader.footer
            fileFooter.stripes[0].footerLength = UInt64(stripeFooter.count)
            fileFooter.contentLength = UInt64(start + stripeFooter.count)
            let footerBytes = fileFooter.serialized()
            var newPS = ps
            newPS.footerLength = UInt64(footerBytes.count)
            let psBytes = newPS.serialized()
            let mutant = Array(bytes[0..<start]) + stripeFooter + metadata + footerBytes + psBytes + [UInt8(psBytes.count)]
            let opened = try await S.open(mutant)
            await #expect(throws: ORCError.self) { _ = try await opened.read(stripe: 0) }
            await #expect(throws: ORCError.self) { _ = try await opened.rowIndex(stripe: 0, column: 1) }
        }
    }
}
