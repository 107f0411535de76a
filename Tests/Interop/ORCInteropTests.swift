import Foundation
import Testing
import WeirColumnar
import WeirFileIO
import WeirORC
import WeirTestSupport
import WeirTextFormats

/// ORC files checked against the pinned pyarrow (`pyarrow.orc`, ORC C++ 2.0) both ways, and the ORC files of the
/// pypaimon fixture warehouse. Values are compared as parsed JSON in Weir's value encoding (`ValueJSON`).
@Suite struct ORCInteropTests {
    static let codecs = ["uncompressed", "zlib", "snappy", "zstd", "lz4"]

    /// The rows of batches as JSON lines.
    static func jsonLines(_ batches: [ColumnBatch]) -> String {
        var out = ""
        for batch in batches {
            for row in 0..<batch.rowCount { out += ValueJSON.encodeRow(batch, row: row) + "\n" }
        }
        return out
    }

    static func path(_ local: String) throws -> StoragePath { try StoragePath(parsing: local) }

    /// The first difference between two JSON-lines texts, parsing (with `JSONLines.difference`) only the lines
    /// that differ as text.
    static func difference(_ expected: String, _ actual: String) throws -> String? {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: true)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: true)
        guard e.count == a.count else { return "expected \(e.count) rows, got \(a.count)" }
        for (index, (x, y)) in zip(e, a).enumerated() where x != y {
            if let difference = try JSONLines.difference(String(x), String(y)) { return "row \(index + 1): \(difference)" }
        }
        return nil
    }

    // MARK: pyarrow writes, Weir reads

    /// pyarrow writes every case (flat types with nulls everywhere, dictionary and direct strings, many stripes,
    /// nested types, no rows) with every codec it has; Weir reads each file to the rows pyarrow reads back.
    @Test func weirReadsWhatPyarrowWrites() async throws {
        let scratch = try Scratch("orc-pyarrow")
        defer { scratch.remove() }
        var specs = Self.codecs.map { "flat:\($0)" } + Self.codecs.map { "nested:\($0)" }
        specs += ["dictionary:zstd", "direct:zstd", "dictionary:uncompressed", "direct:snappy", "stripes:zstd", "stripes:uncompressed", "empty:zlib"]
        _ = try await PythonPeer.run("orc_write.py", [scratch.path] + specs)
        let io = LocalFileIO()
        var checkedRows = 0
        for spec in specs {
            let base = scratch.path + "/" + spec.replacingOccurrences(of: ":", with: "-")
            let expected = try String(contentsOfFile: base + ".jsonl", encoding: .utf8)
            let (schema, batches) = try await ORCFile.readBatches(io: io, path: Self.path(base + ".orc"))
            for batch in batches { try batch.validate() }
            let difference = try Self.difference(expected, Self.jsonLines(batches))
            #expect(difference == nil, "\(spec): \(difference ?? "")")
            checkedRows += batches.reduce(0) { $0 + $1.rowCount }
            if spec.hasPrefix("stripes") { #expect(batches.count > 1, "\(spec): \(batches.count) stripes") }
            if spec.hasPrefix("flat") {
                #expect(schema.fields.map(\.type.description).contains("TIMESTAMP(9) WITH LOCAL TIME ZONE"))
            }
        }
        #expect(checkedRows == 5 * 3000 + 5 * 2000 + 4 * 8000 + 2 * 30000)
    }

    // MARK: Weir writes, pyarrow reads

    /// A deterministic generator (64-bit LCG).
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 11
        }
        mutating func int(_ range: ClosedRange<Int64>) -> Int64 {
            range.lowerBound &+ Int64(bitPattern: next() % (UInt64(bitPattern: range.upperBound &- range.lowerBound) &+ 1))
        }
        mutating func chance(_ percent: Int) -> Bool { next() % 100 < UInt64(percent) }
    }

    static let allTypes = RowType([
        DataField(id: 0, name: "b", type: DataType(.boolean)),
        DataField(id: 1, name: "ti", type: DataType(.tinyint)),
        DataField(id: 2, name: "si", type: DataType(.smallint)),
        DataField(id: 3, name: "i", type: DataType(.int)),
        DataField(id: 4, name: "bi", type: DataType(.bigint, nullable: false)),
        DataField(id: 5, name: "f", type: DataType(.float)),
        DataField(id: 6, name: "d", type: DataType(.double)),
        DataField(id: 7, name: "dec", type: DataType(.decimal(precision: 10, scale: 2))),
        DataField(id: 8, name: "dec38", type: DataType(.decimal(precision: 38, scale: 10))),
        DataField(id: 9, name: "c", type: DataType(.char(length: 8))),
        DataField(id: 10, name: "vc", type: DataType(.varchar(length: 20))),
        DataField(id: 11, name: "s", type: .string),
        DataField(id: 12, name: "bin", type: DataType(.binary(length: 4))),
        DataField(id: 13, name: "vb", type: .bytes),
        DataField(id: 14, name: "dt", type: DataType(.date)),
        DataField(id: 15, name: "ts", type: DataType(.timestamp(precision: 6))),
        DataField(id: 16, name: "ts3", type: DataType(.timestamp(precision: 3))),
        DataField(id: 17, name: "ts9", type: DataType(.timestamp(precision: 9))),
        DataField(id: 18, name: "ltz", type: DataType(.timestampLTZ(precision: 6))),
        DataField(id: 19, name: "arr", type: DataType(.array(element: DataType(.int)))),
        DataField(id: 20, name: "arrs", type: DataType(.array(element: .string))),
        DataField(id: 21, name: "m", type: DataType(.map(key: DataType(.varchar(length: 10), nullable: false), value: DataType(.bigint)))),
        DataField(id: 22, name: "r", type: DataType(.row(fields: [
            DataField(id: 23, name: "a", type: DataType(.int)),
            DataField(id: 24, name: "b", type: .string),
            DataField(id: 25, name: "c", type: DataType(.array(element: DataType(.double)))),
        ]))),
        DataField(id: 26, name: "nested", type: DataType(.array(element: DataType(.row(fields: [
            DataField(id: 27, name: "x", type: DataType(.bigint, nullable: false)),
            DataField(id: 28, name: "y", type: DataType(.map(key: DataType(.int, nullable: false), value: .string))),
        ]))))),
    ])

    /// A value of `type` (never in the (-1 s, 0) timestamp interval ORC cannot represent).
    static func value(_ type: DataType, _ r: inout Random, row: Int) -> Value {
        if type.isNullable && r.chance(12) { return .null }
        switch type.kind {
        case .boolean: return .boolean(r.chance(50))
        case .tinyint: return .integer(r.int(-128...127))
        case .smallint: return .integer(row % 3 == 0 ? Int64(row) : r.int(-32768...32767))
        case .int: return .integer(row % 5 == 0 ? r.int(-3...3) : r.int(-2_147_483_648...2_147_483_647))
        case .bigint: return .integer(row % 4 == 0 ? Int64(row) * 1000 : Int64(bitPattern: r.next() << 11 | r.next()))
        case .float: return .float(Float(r.int(-1_000_000...1_000_000)) / 64)
        case .double: return .double(row % 50 == 7 ? .infinity : Double(r.int(-1_000_000_000...1_000_000_000)) / 1024)
        case .decimal(let p, let s):
            let digits = p <= 18 ? r.int(-99_999_999...99_999_999) : r.int(Int64.min / 2...Int64.max / 2)
            return .decimal(unscaled: p <= 18 ? Int128(digits) : Int128(digits) * 1_000_000_000_000_000 + Int128(row), scale: s)
        case .char, .varchar:
            let words = ["", "a", "paimon", "ORC", "ünïcødé", "日本語", "x y z", "tail "]
            var text = words[Int(r.next() % UInt64(words.count))]
            if case .varchar(let n) = type.kind, n == DataType.lengthMax { text += "-\(row % 37)" }
            return .string(text)
        case .binary(let n): return .bytes((0..<Int(r.next() % UInt64(n + 1))).map { _ in UInt8(truncatingIfNeeded: r.next()) })
        case .varbinary: return .bytes((0..<Int(r.next() % 9)).map { _ in UInt8(truncatingIfNeeded: r.next()) })
        case .date: return .date(days: Int32(r.int(-200_000...200_000)))
        case .timestamp(let p), .timestampLTZ(let p):
            let perSecond: Int64 = p <= 3 ? 1_000 : p <= 6 ? 1_000_000 : 1_000_000_000
            var seconds = r.int(-4_000_000_000...7_000_000_000)
            if seconds == -1 { seconds = -2 }
            return .timestamp(seconds * perSecond + r.int(0...(perSecond - 1)))
        case .array(let element):
            return .list((0..<Int(r.next() % 4)).map { _ in value(element, &r, row: row) })
        case .map(let key, let item):
            let count = Int(r.next() % 4)
            return .map((0..<count).map { k in
                let keyValue: Value = if case .int = key.kind { .integer(Int64(k)) } else { .string("k\(k)") }
                return Value.MapEntry(key: keyValue, value: value(item, &r, row: row))
            })
        case .row(let fields): return .row(fields.map { value($0.type, &r, row: row) })
        default: return .null
        }
    }

    static func batch(_ schema: RowType, rows: Int, seed: UInt64) throws -> ColumnBatch {
        var r = Random(state: seed)
        var builders = schema.fields.map { ColumnBuilder(type: $0.type) }
        for row in 0..<rows {
            for index in builders.indices { try builders[index].append(value(schema.fields[index].type, &r, row: row)) }
        }
        return ColumnBatch(schema: schema, columns: builders.map { $0.finish() })
    }

    /// Weir writes every type with nulls with each codec (several stripes, row groups of 1,000 rows), and with
    /// dictionary and direct strings forced; pyarrow reads the same rows, and sees the codec, the stripes and
    /// the writer version Weir recorded.
    @Test func pyarrowReadsWhatWeirWrites() async throws {
        let scratch = try Scratch("orc-weir")
        defer { scratch.remove() }
        let io = LocalFileIO()
        let batches = [try Self.batch(Self.allTypes, rows: 2500, seed: 1), try Self.batch(Self.allTypes, rows: 1700, seed: 2)]
        let expected = Self.jsonLines(batches)
        var variants: [(String, ORCWriteOptions)] = []
        for codec in Self.codecs {
            let compression = ORCCompression(name: codec)!
            variants.append((codec, ORCWriteOptions(compression: compression, compressionBlockSize: 8192, stripeSizeBytes: 200_000, rowIndexStride: 1000)))
        }
        variants.append(("dictionary", ORCWriteOptions(compression: .zstd(), dictionaryKeySizeThreshold: 1)))
        variants.append(("direct", ORCWriteOptions(compression: .snappy, dictionaryKeySizeThreshold: 0)))
        var files: [String] = []
        var summaries: [ORCWriteSummary] = []
        for (name, options) in variants {
            let file = scratch.path + "/weir-\(name).orc"
            summaries.append(try await ORCFile.write(io: io, path: Self.path(file), schema: Self.allTypes, batches: batches, options: options))
            files.append(file)
        }
        let empty = scratch.path + "/weir-empty.orc"
        let emptySummary = try await ORCFile.write(io: io, path: Self.path(empty), schema: Self.allTypes, batches: [])
        #expect(emptySummary.stripeCount == 0)
        let precisions = #"{"ts": 6, "ts3": 3, "ts9": 9, "ltz": 6}"#
        _ = try await PythonPeer.run("orc_read.py", ["--each", precisions] + files + [empty])
        #expect(try String(contentsOfFile: empty + ".jsonl", encoding: .utf8).isEmpty)
        for (file, summary) in zip(files, summaries) {
            #expect(summary.rowCount == 4200)
            let actual = try String(contentsOfFile: file + ".jsonl", encoding: .utf8)
            let difference = try Self.difference(expected, actual)
            #expect(difference == nil, "\(file): \(difference ?? "")")
        }
        let meta = try await PythonPeer.run("orc_read.py", ["--meta"] + files + [empty]).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        for (index, codec) in Self.codecs.enumerated() {
            #expect(meta[index]["compression"] as? String == (codec == "uncompressed" ? "UNCOMPRESSED" : codec.uppercased()))
            #expect(meta[index]["stripes"] as? Int == summaries[index].stripeCount)
            #expect(summaries[index].stripeCount > 1)
            #expect(meta[index]["rows"] as? Int == 4200)
            #expect(meta[index]["writer"] as? String == "unregistered")
            #expect(meta[index]["writer_version"] as? String == "ORC_135")
            // The C++ reader prefixes the writer's name (unknown for an unregistered code).
            #expect(meta[index]["software_version"] as? String == "Unknown(87) Weir 0.1")
            #expect(meta[index]["file_version"] as? String == "0.12")
            #expect(meta[index]["row_index_stride"] as? Int == 1000)
        }
        #expect(meta.last?["rows"] as? Int == 0)
        #expect(meta.last?["stripes"] as? Int == 0)
        // pyarrow sees TIMESTAMP_LTZ as an instant and CHAR, VARCHAR and STRING as strings.
        #expect((meta.last?["schema"] as? String)?.contains("ltz: timestamp[ns, tz=UTC]") == true, "\(meta.last ?? [:])")
        let schema = meta.last?["schema"] as? String ?? ""
        for expected in ["\nc: string", "\nvc: string", "\ns: string", "\nbin: binary", "\nts3: timestamp[ns]"] {
            #expect(schema.contains(expected), "\(expected) in \(schema)")
        }
        // pyarrow shows Paimon's field ids, which Weir stores as ORC type attributes, as field metadata.
        #expect(schema.hasPrefix("b: bool\n  -- field metadata --\n  paimon.id: '0'"))
    }

    // MARK: the pypaimon fixture warehouse

    /// The ORC data files pypaimon wrote into the fixture warehouse read the same in Weir and pyarrow.
    @Test func fixtureWarehouseFilesReadAsPyarrowReadsThem() async throws {
        let directory = PackageRoot.path + "/../shared/fixtures/pypaimon/warehouse/db.db/fmt_orc/bucket-0"
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".orc") }.sorted()
        #expect(names.count == 2)
        let io = LocalFileIO()
        var rows = 0
        for name in names {
            let file = URL(fileURLWithPath: directory + "/" + name).standardizedFileURL.path
            let expected = try await PythonPeer.run("orc_read.py", [file])
            let (schema, batches) = try await ORCFile.readBatches(io: io, path: Self.path(file))
            #expect(schema.fieldNames == ["_KEY_id", "_SEQUENCE_NUMBER", "_VALUE_KIND", "id", "name", "v"])
            let difference = try Self.difference(expected, Self.jsonLines(batches))
            #expect(difference == nil, "\(name): \(difference ?? "")")
            rows += batches.reduce(0) { $0 + $1.rowCount }
        }
        #expect(rows == 8)
    }
}
