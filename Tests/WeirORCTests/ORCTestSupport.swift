import WeirColumnar
import WeirFileIO
import WeirORC

/// Shared helpers of the ORC tests: a deterministic value generator over every Paimon type, and writing and
/// reading files in memory.
enum ORCTestSupport {
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state ^ (state >> 31)
        }
        mutating func int(_ range: ClosedRange<Int64>) -> Int64 {
            range.lowerBound &+ Int64(bitPattern: next() % (UInt64(bitPattern: range.upperBound &- range.lowerBound) &+ 1))
        }
        mutating func chance(_ percent: Int) -> Bool { next() % 100 < UInt64(percent) }
    }

    static func field(_ id: Int, _ name: String, _ type: DataType) -> DataField { DataField(id: id, name: name, type: type) }

    /// Every type Weir writes to ORC, nullable and NOT NULL, flat and nested.
    static let allTypes = RowType([
        field(0, "b", DataType(.boolean)),
        field(1, "ti", DataType(.tinyint)),
        field(2, "si", DataType(.smallint)),
        field(3, "i", DataType(.int)),
        field(4, "bi", DataType(.bigint, nullable: false)),
        field(5, "f", DataType(.float)),
        field(6, "d", DataType(.double)),
        field(7, "dec", DataType(.decimal(precision: 10, scale: 2))),
        field(8, "dec18", DataType(.decimal(precision: 18, scale: 0), nullable: false)),
        field(9, "dec38", DataType(.decimal(precision: 38, scale: 10))),
        field(10, "c", DataType(.char(length: 8))),
        field(11, "vc", DataType(.varchar(length: 20))),
        field(12, "s", .string),
        field(13, "bin", DataType(.binary(length: 4))),
        field(14, "vb", .bytes),
        field(15, "dt", DataType(.date)),
        field(16, "tm", DataType(.time(precision: 3))),
        field(17, "ts0", DataType(.timestamp(precision: 0))),
        field(18, "ts3", DataType(.timestamp(precision: 3))),
        field(19, "ts6", DataType(.timestamp(precision: 6))),
        field(20, "ts9", DataType(.timestamp(precision: 9))),
        field(21, "ltz", DataType(.timestampLTZ(precision: 6))),
        field(22, "arr", DataType(.array(element: DataType(.int)))),
        field(23, "arrs", DataType(.array(element: .string), nullable: false)),
        field(24, "m", DataType(.map(key: DataType(.varchar(length: 10), nullable: false), value: DataType(.bigint)))),
        field(25, "r", DataType(.row(fields: [
            field(26, "a", DataType(.int)),
            field(27, "b", DataType.string.nullable(false)),
            field(28, "c", DataType(.array(element: DataType(.double)))),
        ]))),
        field(29, "nested", DataType(.array(element: DataType(.row(fields: [
            field(30, "x", DataType(.bigint, nullable: false)),
            field(31, "y", DataType(.map(key: DataType(.int, nullable: false), value: DataType(.decimal(precision: 20, scale: 3))))),
        ]))))),
    ])

    /// A value of `type`; timestamps avoid the (-1 s, 0) interval ORC cannot represent.
    static func value(_ type: DataType, _ r: inout Random, row: Int, nullPercent: Int = 12) -> Value {
        if type.isNullable && r.chance(nullPercent) { return .null }
        switch type.kind {
        case .boolean: return .boolean(r.chance(50))
        case .tinyint: return .integer(r.int(-128...127))
        case .smallint: return .integer(row % 3 == 0 ? Int64(row % 30000) : r.int(-32768...32767))
        case .int: return .integer(row % 5 == 0 ? r.int(-3...3) : r.int(-2_147_483_648...2_147_483_647))
        case .bigint: return .integer(row % 4 == 0 ? Int64(row) * 1000 : Int64(bitPattern: r.next()))
        case .float: return .float(row % 97 == 1 ? -.infinity : Float(r.int(-1_000_000...1_000_000)) / 64)
        case .double: return .double(row % 50 == 7 ? .infinity : Double(r.int(-1_000_000_000...1_000_000_000)) / 1024)
        case .decimal(let p, let s):
            var limit: Int128 = 1
            for _ in 0..<p { limit *= 10 }
            let raw = Int128(Int64(bitPattern: r.next())) * Int128(Int64(bitPattern: r.next()))
            return .decimal(unscaled: row % 7 == 0 ? Int128(row) : raw % limit, scale: s)
        case .char, .varchar:
            let words = ["", "a", "paimon", "ORC", "ünïcødé", "日本語", "x y z", "tail "]
            var text = words[Int(r.next() % UInt64(words.count))]
            if case .varchar(let n) = type.kind, n == DataType.lengthMax { text += "-\(row % 37)" }
            return .string(text)
        case .binary(let n): return .bytes((0..<Int(r.next() % UInt64(n + 1))).map { _ in UInt8(truncatingIfNeeded: r.next()) })
        case .varbinary: return .bytes((0..<Int(r.next() % 9)).map { _ in UInt8(truncatingIfNeeded: r.next()) })
        case .date: return .date(days: Int32(r.int(-200_000...200_000)))
        case .time: return .time(millis: Int32(r.int(0...86_399_999)))
        case .timestamp(let p), .timestampLTZ(let p):
            let perSecond: Int64 = p <= 3 ? 1_000 : p <= 6 ? 1_000_000 : 1_000_000_000
            var seconds = r.int(-4_000_000_000...7_000_000_000)
            if seconds == -1 { seconds = -2 }
            let unit: Int64 = p == 0 ? 1000 : 1
            return .timestamp(seconds * perSecond + r.int(0...(perSecond - 1)) / unit * unit)
        case .array(let element):
            return .list((0..<Int(r.next() % 4)).map { _ in value(element, &r, row: row, nullPercent: nullPercent) })
        case .map(let key, let item):
            return .map((0..<Int(r.next() % 4)).map { k in
                let keyValue: Value = if case .int = key.kind { .integer(Int64(k)) } else { .string("k\(k)") }
                return Value.MapEntry(key: keyValue, value: value(item, &r, row: row, nullPercent: nullPercent))
            })
        case .row(let fields): return .row(fields.map { value($0.type, &r, row: row, nullPercent: nullPercent) })
        default: return .null
        }
    }

    static func batch(_ schema: RowType, rows: Int, seed: UInt64, nullPercent: Int = 12) throws -> ColumnBatch {
        var r = Random(state: seed)
        var builders = schema.fields.map { ColumnBuilder(type: $0.type) }
        for row in 0..<rows {
            for index in builders.indices {
                try builders[index].append(value(schema.fields[index].type, &r, row: row, nullPercent: nullPercent))
            }
        }
        return ColumnBatch(schema: schema, columns: builders.map { $0.finish() })
    }

    /// The rows of batches as values (NaN made comparable by its bit pattern).
    static func rows(_ batches: [ColumnBatch]) -> [[Value]] {
        var out: [[Value]] = []
        for batch in batches {
            for row in 0..<batch.rowCount { out.append(batch.columns.map { comparable($0.value(at: row)) }) }
        }
        return out
    }

    static func comparable(_ value: Value) -> Value {
        switch value {
        case .double(let d) where d.isNaN: return .string("NaN")
        case .float(let f) where f.isNaN: return .string("NaN")
        case .list(let items): return .list(items.map(comparable))
        case .map(let entries): return .map(entries.map { .init(key: comparable($0.key), value: comparable($0.value)) })
        case .row(let values): return .row(values.map(comparable))
        default: return value
        }
    }

    /// Writes `batches` to a fresh in-memory store and returns it with the path and the summary.
    static func write(_ batches: [ColumnBatch], schema: RowType, options: ORCWriteOptions = ORCWriteOptions()) async throws
        -> (MemoryFileIO, StoragePath, ORCWriteSummary) {
        let io = MemoryFileIO()
        let path = try StoragePath(parsing: "memory://orc/test.orc")
        let summary = try await ORCFile.write(io: io, path: path, schema: schema, batches: batches, options: options)
        return (io, path, summary)
    }

    /// The bytes of a file written from `batches`.
    static func fileBytes(_ batches: [ColumnBatch], schema: RowType, options: ORCWriteOptions = ORCWriteOptions()) async throws -> [UInt8] {
        let (io, path, _) = try await write(batches, schema: schema, options: options)
        return try await io.readAll(path)
    }

    /// A reader over `bytes` stored in a fresh in-memory store.
    static func open(_ bytes: [UInt8], options: ORCReadOptions = ORCReadOptions()) async throws -> ORCFileReader {
        let io = MemoryFileIO()
        let path = try StoragePath(parsing: "memory://orc/input.orc")
        try await io.write(path, bytes, overwrite: true)
        return try await ORCFileReader.open(io: io, path: path, options: options)
    }
}
