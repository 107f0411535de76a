import Foundation
import Testing
import WeirAvro
import WeirCodecs
import WeirColumnar
import WeirFileIO
import WeirTestSupport
import WeirTextFormats

/// Avro files against fastavro 1.13.1 (peers `avro_read.py`, `avro_write.py`): what Weir writes fastavro reads
/// with identical values, what fastavro writes Weir reads with identical values, and every Avro file of the
/// pypaimon fixture warehouse (manifest lists, manifests, index manifests, `fmt_avro` data files) reads the same
/// in Weir as in fastavro. Values are compared as JSON lines: the column-batch path with ``ValueJSON`` against the
/// peer's `paimon` mode, the generic-record path with ``genericJSON(_:_:_:)`` against its `generic` mode.
@Suite struct AvroInteropTests {
    static let codecs: [AvroCodec] = [.null, .deflate(), .snappy, .zstandard(level: 1)]

    // MARK: Weir writes, fastavro reads

    @Test func weirWritesFastavroReads() async throws {
        let scratch = try Scratch("avro-weir-writes")
        defer { scratch.remove() }
        let io = LocalFileIO()
        var expected: [String: String] = [:]
        var paths: [String] = []
        for codec in Self.codecs {
            for (name, schema) in [("types", Self.everyType), ("notnull", Self.notNullTypes)] {
                let path = scratch.path + "/\(name)-\(codec.name).avro"
                let batches = [try Self.batch(schema, rows: 300, seed: UInt64(paths.count + 1)), try Self.batch(schema, rows: 200, seed: 99)]
                let summary = try await AvroFile.write(io: io, path: StoragePath(parsing: path), schema: schema, batches: batches,
                                                       codec: codec, overwrite: false, blockBytes: 16 << 10)
                #expect(summary.blockCount > 1)
                expected[path] = batches.flatMap { batch in (0..<batch.rowCount).map { ValueJSON.encodeRow(batch, row: $0) } }.joined(separator: "\n")
                paths.append(path)
            }
        }
        let sections = try await Self.sections(PythonPeer.run("avro_read.py", ["paimon"] + paths))
        #expect(sections.count == paths.count)
        for path in paths {
            let section = try #require(sections[path], "fastavro printed nothing for \(path)")
            #expect(path.contains("-\(section.codec).avro"), "\(path) codec \(section.codec)")
            if let difference = try JSONLines.difference(expected[path]!, section.rows) {
                Issue.record("\(path): \(difference)")
            }
        }

        // Generic records (enums, fixed, multi-branch unions, recursion, maps) written with AvroFileWriter.
        let path = scratch.path + "/generic.avro"
        let writer = try await AvroFileWriter.create(io: io, path: StoragePath(parsing: path), schema: Self.genericSchema,
                                                     codec: .zstandard(level: 3), metadata: ["weir.k": [1, 2]], overwrite: false,
                                                     blockBytes: 1000)
        let records = (0..<400).map(Self.genericRecord)
        for record in records { try await writer.append(record) }
        try await writer.close()
        let names = Self.namedTypes(Self.genericSchema)
        let weir = records.map { Self.genericJSON($0, Self.genericSchema, names) }.joined(separator: "\n")
        let generic = try await Self.sections(PythonPeer.run("avro_read.py", ["generic", path]))
        let section = try #require(generic[path])
        #expect(section.blocks == writer.blockCount)
        if let difference = try JSONLines.difference(weir, section.rows) { Issue.record("generic: \(difference)") }
    }

    // MARK: fastavro writes, Weir reads

    @Test func fastavroWritesWeirReads() async throws {
        let scratch = try Scratch("avro-fastavro-writes")
        defer { scratch.remove() }
        let written = try await PythonPeer.run("avro_write.py", [scratch.path, "1500"])
            .split(separator: "\n").map(String.init)
        #expect(written.count == 8)
        let generic = try await Self.sections(PythonPeer.run("avro_read.py", ["generic"] + written))
        let paimon = try await Self.sections(PythonPeer.run("avro_read.py", ["paimon"] + written.filter { $0.contains("/columns_") }))
        let io = LocalFileIO()
        for path in written {
            let storagePath = try StoragePath(parsing: path)
            let section = try #require(generic[path])
            let reader = try await AvroFileReader.open(io: io, path: storagePath)
            let names = Self.namedTypes(reader.writerSchema)
            var rows: [String] = []
            var blocks = 0
            while let records = try await reader.nextRecords() {
                blocks += 1
                rows += records.map { Self.genericJSON($0, reader.writerSchema, names) }
            }
            await reader.close()
            #expect(reader.header.codec.name == section.codec)
            #expect(blocks == section.blocks, "\(path)")
            #expect(blocks > 5, "\(path): \(blocks) blocks")
            #expect(rows.count == 1500)
            if let difference = try JSONLines.difference(section.rows, rows.joined(separator: "\n")) {
                Issue.record("\(path) (generic): \(difference)")
            }
            if path.contains("/columns_") {
                #expect(reader.header.userMetadata.isEmpty)
                let (_, batches) = try await AvroFile.readBatches(io: io, path: storagePath)
                let weir = batches.flatMap { batch in (0..<batch.rowCount).map { ValueJSON.encodeRow(batch, row: $0) } }
                if let difference = try JSONLines.difference(try #require(paimon[path]).rows, weir.joined(separator: "\n")) {
                    Issue.record("\(path) (columns): \(difference)")
                }
            } else {
                #expect(reader.header.userMetadata["weir.test"] == Array("fastavro \(section.codec)".utf8))
            }
        }
    }

    // MARK: the pypaimon fixture warehouse

    @Test func warehouseFilesReadLikeFastavro() async throws {
        let root = PackageRoot.path + "/../shared/fixtures/pypaimon/warehouse"
        var files: [String] = []
        let enumerator = try #require(FileManager.default.enumerator(atPath: root))
        while let relative = enumerator.nextObject() as? String {
            let path = root + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            guard let handle = FileHandle(forReadingAtPath: path) else { continue }
            let magic = try handle.read(upToCount: 4) ?? Data()
            try handle.close()
            if Array(magic) == [0x4f, 0x62, 0x6a, 0x01] { files.append(URL(fileURLWithPath: path).standardized.path) }
        }
        files.sort()
        #expect(files.count >= 40, "\(files.count) Avro files")
        #expect(files.contains { $0.contains("/fmt_avro/bucket-0/") && $0.hasSuffix(".avro") })
        #expect(files.contains { $0.contains("/manifest/index-manifest-") })
        let generic = try await Self.sections(PythonPeer.run("avro_read.py", ["generic"] + files))
        let paimon = try await Self.sections(PythonPeer.run("avro_read.py", ["paimon"] + files))
        let io = LocalFileIO()
        var records = 0
        for path in files {
            let storagePath = try StoragePath(parsing: path)
            let (header, values) = try await AvroFileReader.readAll(io: io, path: storagePath)
            records += values.count
            let names = Self.namedTypes(header.schema)
            let weir = values.map { Self.genericJSON($0, header.schema, names) }.joined(separator: "\n")
            let section = try #require(generic[path], "\(path)")
            #expect(header.codec.name == section.codec)
            if let difference = try JSONLines.difference(section.rows, weir) { Issue.record("\(path) (generic): \(difference)") }
            // Every one of them also has a Paimon row type: the column-batch path agrees too.
            let (_, batches) = try await AvroFile.readBatches(io: io, path: storagePath)
            let rows = batches.flatMap { batch in (0..<batch.rowCount).map { ValueJSON.encodeRow(batch, row: $0) } }
            if let difference = try JSONLines.difference(try #require(paimon[path]).rows, rows.joined(separator: "\n")) {
                Issue.record("\(path) (columns): \(difference)")
            }
        }
        #expect(records > 40)
    }

    // MARK: helpers

    struct Section {
        var codec: String
        var blocks: Int
        var rows: String
    }

    /// Splits the peer's output at its `{"__file__": ...}` lines.
    static func sections(_ output: String) throws -> [String: Section] {
        var out: [String: Section] = [:]
        var current: String? = nil
        var lines: [Substring] = []
        func flush() {
            if let current { out[current]!.rows = lines.joined(separator: "\n") }
            lines = []
        }
        for line in output.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("{\"__file__\"") {
                flush()
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                let path = object["__file__"] as! String
                out[path] = Section(codec: object["codec"] as! String, blocks: (object["blocks"] as! NSNumber).intValue, rows: "")
                current = path
            } else {
                lines.append(line)
            }
        }
        flush()
        return out
    }

    /// Every named type of a schema by full name.
    static func namedTypes(_ schema: AvroSchema) -> [String: AvroSchema] {
        var names: [String: AvroSchema] = [:]
        func walk(_ s: AvroSchema) {
            switch s.kind {
            case .record(let r):
                names[r.name.fullName] = s
                r.fields.forEach { walk($0.type) }
            case .enumeration(let e): names[e.name.fullName] = s
            case .fixed(let f): names[f.name.fullName] = s
            case .array(let items): walk(items)
            case .map(let values): walk(values)
            case .union(let branches): branches.forEach(walk)
            default: break
            }
        }
        walk(schema)
        return names
    }

    /// The generic JSON encoding of `avro_read.py generic`: raw Avro values (logical types not applied), except
    /// decimals, which print as their decimal string; bytes and fixed as hex; maps as [key, value] pairs; records as
    /// objects; unions as the branch's value; non-finite floats as "NaN", "Infinity", "-Infinity".
    static func genericJSON(_ value: AvroValue, _ schemaIn: AvroSchema, _ names: [String: AvroSchema]) -> String {
        var schema = schemaIn
        if case .reference(let name) = schema.kind { schema = names[name]! }
        if case .decimal(_, let scale)? = schema.logicalType, let bytes = value.bytesValue {
            var unscaled: Int128 = bytes.first.map { $0 & 0x80 != 0 ? -1 : 0 } ?? 0
            for b in bytes { unscaled = unscaled << 8 | Int128(b) }
            return ValueJSON.quote(ValueJSON.decimalString(unscaled: unscaled, scale: scale))
        }
        func number(_ d: Double) -> String {
            d.isNaN ? "\"NaN\"" : d.isInfinite ? (d > 0 ? "\"Infinity\"" : "\"-Infinity\"") : d.description
        }
        switch (value, schema.kind) {
        case (.null, _): return "null"
        case (.boolean(let b), _): return b ? "true" : "false"
        case (.int(let n), _): return String(n)
        case (.long(let n), _): return String(n)
        case (.float(let f), _): return number(Double(f))
        case (.double(let d), _): return number(d)
        case (.bytes(let b), _), (.fixed(let b), _): return ValueJSON.quote(ValueJSON.hex(b))
        case (.string(let s), _), (.enumeration(let s), _): return ValueJSON.quote(s)
        case (.array(let items), .array(let itemSchema)):
            return "[" + items.map { genericJSON($0, itemSchema, names) }.joined(separator: ",") + "]"
        case (.map(let entries), .map(let valueSchema)):
            return "[" + entries.map { "[" + ValueJSON.quote($0.key) + "," + genericJSON($0.value, valueSchema, names) + "]" }.joined(separator: ",") + "]"
        case (.record(let fields), .record(let r)):
            return "{" + zip(r.fields, fields).map { ValueJSON.quote($0.name) + ":" + genericJSON($1, $0.type, names) }.joined(separator: ",") + "}"
        case (.union(let branch, let inner), .union(let branches)):
            return genericJSON(inner, branches[branch], names)
        default:
            return "\"<\(value) does not match \(schema.typeName)>\""
        }
    }

    // MARK: what Weir writes

    static func f(_ id: Int, _ name: String, _ type: DataType) -> DataField { DataField(id: id, name: name, type: type) }

    /// Every Paimon type fastavro can read back (MULTISET, stored as counts, has no ValueJSON peer).
    static let everyType = RowType([
        f(0, "b", DataType(.boolean)), f(1, "ti", DataType(.tinyint)), f(2, "si", DataType(.smallint)), f(3, "i", DataType(.int)),
        f(4, "bi", DataType(.bigint)), f(5, "fl", DataType(.float)), f(6, "d", DataType(.double)),
        f(7, "dec", DataType(.decimal(precision: 10, scale: 2))), f(8, "dec18", DataType(.decimal(precision: 18, scale: 4))),
        f(9, "dec38", DataType(.decimal(precision: 38, scale: 10))), f(10, "c", DataType(.char(length: 5))),
        f(11, "vc", DataType(.varchar(length: 20))), f(12, "s", .string), f(13, "bin", DataType(.binary(length: 4))),
        f(14, "vb", DataType(.varbinary(length: 10))), f(15, "by", .bytes), f(16, "dt", DataType(.date)),
        f(17, "tm", DataType(.time(precision: 3))), f(18, "tm0", DataType(.time(precision: 0))),
        f(19, "ts0", DataType(.timestamp(precision: 0))), f(20, "ts3", DataType(.timestamp(precision: 3))),
        f(21, "ts6", DataType(.timestamp(precision: 6))), f(22, "ts9", DataType(.timestamp(precision: 9))),
        f(23, "ltz3", DataType(.timestampLTZ(precision: 3))), f(24, "ltz6", DataType(.timestampLTZ(precision: 6))),
        f(25, "ltz9", DataType(.timestampLTZ(precision: 9))),
        f(26, "arr", DataType(.array(element: DataType(.int)))),
        f(27, "nested", DataType(.array(element: DataType(.array(element: DataType.string))))),
        f(28, "m", DataType(.map(key: DataType.string.nullable(false), value: DataType(.double)))),
        f(29, "mi", DataType(.map(key: DataType(.int, nullable: false), value: DataType(.decimal(precision: 5, scale: 1))))),
        f(30, "r", DataType(.row(fields: [f(31, "x", DataType(.int, nullable: false)), f(32, "y", .string),
                                          f(33, "z", DataType(.row(fields: [f(34, "w", DataType(.timestamp(precision: 6))), f(35, "v", DataType(.array(element: DataType(.date))))])))]))),
        f(36, "ar", DataType(.array(element: DataType(.row(fields: [f(37, "k", DataType.bytes.nullable(false))]))))),
    ])

    /// The same types NOT NULL (bare Avro types, no unions).
    static let notNullTypes = RowType(everyType.fields.map { field in
        func strict(_ type: DataType) -> DataType {
            let kind: DataType.Kind
            switch type.kind {
            case .array(let e): kind = .array(element: strict(e))
            case .map(let k, let v): kind = .map(key: strict(k), value: strict(v))
            case .row(let fields): kind = .row(fields: fields.map { DataField(id: $0.id, name: $0.name, type: strict($0.type)) })
            default: kind = type.kind
            }
            return DataType(kind, nullable: false)
        }
        return DataField(id: field.id, name: field.name, type: strict(field.type))
    })

    /// Rows of random values (SplitMix64 from `seed`), within what Python's datetime can hold.
    static func batch(_ schema: RowType, rows: Int, seed: UInt64) throws -> ColumnBatch {
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        func int(_ range: ClosedRange<Int64>) -> Int64 {
            let width = UInt64(bitPattern: range.upperBound &- range.lowerBound) &+ 1
            return range.lowerBound &+ Int64(bitPattern: width == 0 ? next() : next() % width)
        }
        func value(_ type: DataType) -> Value {
            if type.isNullable, next() % 5 == 0 { return .null }
            switch type.kind {
            case .boolean: return .boolean(next() & 1 == 1)
            case .tinyint: return .integer(int(-128...127))
            case .smallint: return .integer(int(-32768...32767))
            case .int: return .integer([Int64(Int32.min), Int64(Int32.max), int(-1000...1000)][Int(next() % 3)])
            case .bigint: return .integer([Int64.min, Int64.max, int(Int64.min...Int64.max)][Int(next() % 3)])
            case .float: return .float([Float.infinity, -Float.infinity, 0.1, Float(int(-1_000_000...1_000_000)) / 7][Int(next() % 4)])
            case .double: return .double([Double.nan, 1e300, -0.0, Double(int(-1_000_000_000...1_000_000_000)) / 3][Int(next() % 4)])
            case .decimal(let p, let s):
                var limit: Int128 = 1
                for _ in 0..<p { limit *= 10 }
                let unscaled = (Int128(int(Int64.min...Int64.max)) << 64 | Int128(int(Int64.min...Int64.max)).magnitude.asInt128) % limit
                return .decimal(unscaled: [limit - 1, -(limit - 1), unscaled][Int(next() % 3)], scale: s)
            case .char(let n), .varchar(let n):
                let alphabet = Array("abcxyzÄé中文😀 \"\\\n\t/")
                return .string(String((0..<int(0...Int64(min(n, 10)))).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }))
            case .binary(let n), .varbinary(let n):
                return .bytes((0..<int(0...Int64(min(n, 10)))).map { _ in UInt8(truncatingIfNeeded: next()) })
            case .date: return .date(days: Int32(int(-700_000...2_900_000)))
            case .time: return .time(millis: Int32(int(0...86_399_999)))
            case .timestamp(let p), .timestampLTZ(let p):
                let range: Int64 = p <= 3 ? 60_000_000_000_000 : p <= 6 ? 60_000_000_000_000_000 : 9_000_000_000_000_000_000
                return .timestamp(int(-range...range))
            case .array(let e), .multiset(let e): return .list((0..<int(0...3)).map { _ in value(e) })
            case .map(let k, let v):
                // Keys are unique (fastavro reads Avro maps into dicts).
                var keys: [Value] = []
                for _ in 0..<int(0...3) {
                    let key = value(k.nullable(false))
                    if !keys.contains(key) { keys.append(key) }
                }
                return .map(keys.map { Value.MapEntry(key: $0, value: value(v)) })
            case .row(let fields): return .row(fields.map { value($0.type) })
            }
        }
        var builders = schema.fields.map { ColumnBuilder(type: $0.type) }
        for _ in 0..<rows { for i in builders.indices { try builders[i].append(value(schema.fields[i].type)) } }
        return ColumnBatch(schema: schema, columns: builders.map { $0.finish() })
    }

    static let genericSchema = try! AvroSchema.parse(#"""
        {"type":"record","name":"G","namespace":"weir.generic","fields":[
          {"name":"id","type":"long"},
          {"name":"u","type":["null","string",{"type":"fixed","name":"F","size":3},{"type":"enum","name":"E","symbols":["A","B","C"]},"double"]},
          {"name":"m","type":{"type":"map","values":{"type":"array","items":["null","float"]}}},
          {"name":"list","type":["null",{"type":"record","name":"Node","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","Node"]}]}]},
          {"name":"e","type":"E"},
          {"name":"fx","type":"F"},
          {"name":"dec","type":{"type":"fixed","name":"D","size":9,"logicalType":"decimal","precision":20,"scale":3}},
          {"name":"ts","type":{"type":"long","logicalType":"timestamp-micros"}},
          {"name":"day","type":{"type":"int","logicalType":"date"}},
          {"name":"b","type":"boolean"},
          {"name":"raw","type":"bytes"},
          {"name":"uid","type":{"type":"string","logicalType":"uuid"}},
          {"name":"tus","type":{"type":"long","logicalType":"time-micros"}},
          {"name":"tms","type":{"type":"int","logicalType":"time-millis"}},
          {"name":"lts","type":["null",{"type":"long","logicalType":"local-timestamp-millis"}]},
          {"name":"bdec","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":0}}
        ]}
        """#)

    static func genericRecord(_ i: Int) -> AvroValue {
        var list: AvroValue = .union(branch: 0, value: .null)
        for v in 0..<(i % 4) { list = .union(branch: 1, value: .record([.int(Int32(v * i)), list])) }
        let u: AvroValue = [
            .union(branch: 0, value: .null), .union(branch: 1, value: .string("s\(i) é")), .union(branch: 2, value: .fixed([1, 2, UInt8(i & 255)])),
            .union(branch: 3, value: .enumeration(["A", "B", "C"][i % 3])), .union(branch: 4, value: .double(Double(i) / 7)),
        ][i % 5]
        let unscaled = Int64(i) * 123_456_789 - 50_000_000_000
        var dec = [UInt8](repeating: unscaled < 0 ? 0xff : 0, count: 9)
        for k in 0..<8 { dec[8 - k] = UInt8(truncatingIfNeeded: unscaled >> (8 * k)) }
        return .record([
            .long(Int64(i) * 1_000_003 - 7),
            u,
            .map((0..<(i % 3)).map { AvroMapEntry(key: "k\($0)", value: .array([.union(branch: 1, value: .float(Float($0) / 3)), .union(branch: 0, value: .null)])) }),
            list,
            .enumeration(["C", "B", "A"][i % 3]),
            .fixed([UInt8(i & 255), 0, 255]),
            .fixed(dec),
            .long(Int64(i) * 86_400_000_123 - 1_000_000_000_000),
            .int(Int32(i * 37 - 5000)),
            .boolean(i % 2 == 0),
            .bytes((0..<(i % 7)).map { UInt8(truncatingIfNeeded: $0 * i) }),
            .string(Self.uuid(i)),
            .long(Int64(i) * 215_999_999 % 86_400_000_000),
            .int(Int32(i * 215_999 % 86_400_000)),
            i % 3 == 0 ? .union(branch: 0, value: .null) : .union(branch: 1, value: .long(Int64(i) * 3_600_001 - 400_000_000)),
            .bytes(i % 2 == 0 ? [UInt8(i & 0x7f)] : [0xff, UInt8(i & 0xff)]),
        ])
    }

    /// A lower-case RFC 4122 text form (what fastavro's uuid.UUID prints back).
    static func uuid(_ i: Int) -> String {
        var state = UInt64(i) &* 0x9E37_79B9_7F4A_7C15 | 1
        let hex = (0..<32).map { _ -> Character in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Array("0123456789abcdef")[Int(state & 15)]
        }
        let text = String(hex)
        let parts = [text.prefix(8), text.dropFirst(8).prefix(4), text.dropFirst(12).prefix(4), text.dropFirst(16).prefix(4), text.dropFirst(20)]
        return parts.joined(separator: "-")
    }
}

extension UInt128 {
    fileprivate var asInt128: Int128 { Int128(truncatingIfNeeded: self) }
}
