import WeirCodecs
import WeirColumnar

/// Deterministic random values of every Paimon type, with the extremes mixed in, for round trips.
struct ValueGenerator {
    var random: SplitMix64
    /// The chance of a null in a nullable position.
    var nullRate: Double

    init(seed: UInt64, nullRate: Double = 0.15) {
        random = SplitMix64(seed: seed)
        self.nullRate = nullRate
    }

    mutating func chance(_ p: Double) -> Bool { Double(random.next() % 1_000_000) / 1_000_000 < p }

    mutating func int(_ range: ClosedRange<Int64>) -> Int64 {
        if chance(0.05) { return range.lowerBound }
        if chance(0.05) { return range.upperBound }
        if chance(0.05) { return 0 }
        return Int64.random(in: range, using: &random)
    }

    mutating func string(maxLength: Int) -> String {
        let alphabet: [String] = ["a", "b", "c", "x", "Z", "0", " ", "é", "ß", "日", "🙂", "\"", "\\", "\n"]
        if chance(0.1) { return "" }
        let n = Int(random.next() % UInt64(maxLength + 1))
        return (0..<n).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }.joined()
    }

    mutating func decimal(_ p: Int, _ s: Int) -> Value {
        var limit: Int128 = 1
        for _ in 0..<p { limit *= 10 }
        let maxValue = limit - 1
        if chance(0.05) { return .decimal(unscaled: maxValue, scale: s) }
        if chance(0.05) { return .decimal(unscaled: -maxValue, scale: s) }
        let digits = Int(random.next() % UInt64(p)) + 1
        var v: Int128 = 0
        for _ in 0..<digits { v = v * 10 + Int128(random.next() % 10) }
        return .decimal(unscaled: chance(0.5) ? -v : v, scale: s)
    }

    mutating func value(_ type: DataType, depth: Int = 0) -> Value {
        if type.isNullable && chance(nullRate) { return .null }
        switch type.kind {
        case .boolean: return .boolean(random.next() & 1 == 1)
        case .tinyint: return .integer(int(Int64(Int8.min)...Int64(Int8.max)))
        case .smallint: return .integer(int(Int64(Int16.min)...Int64(Int16.max)))
        case .int: return .integer(int(Int64(Int32.min)...Int64(Int32.max)))
        case .bigint: return .integer(int(Int64.min...Int64.max))
        case .float:
            if chance(0.05) { return .float(.greatestFiniteMagnitude) }
            if chance(0.05) { return .float(-.leastNonzeroMagnitude) }
            if chance(0.03) { return .float(.infinity) }
            return .float(Float(Int64.random(in: -1_000_000...1_000_000, using: &random)) / 64)
        case .double:
            if chance(0.05) { return .double(-.greatestFiniteMagnitude) }
            if chance(0.05) { return .double(.leastNonzeroMagnitude) }
            if chance(0.03) { return .double(-.infinity) }
            return .double(Double(Int64.random(in: -1_000_000_000...1_000_000_000, using: &random)) / 1024)
        case .decimal(let p, let s): return decimal(p, s)
        case .char(let n), .varchar(let n): return .string(string(maxLength: min(n, 12)))
        case .binary(let n): return .bytes((0..<n).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        case .varbinary(let n):
            let count = Int(random.next() % UInt64(min(n, 16) + 1))
            return .bytes((0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        case .date: return .date(days: Int32(int(-719_162...2_932_896)))  // years 0001 to 9999
        case .time: return .time(millis: Int32(int(0...86_399_999)))
        case .timestamp(let p), .timestampLTZ(let p):
            // Years 1677..2262 fit nanoseconds; keep every unit inside that range.
            let seconds = int(-9_200_000_000 ... 9_200_000_000)
            switch p {
            case 0...3: return .timestamp(seconds * 1000 + int(0...999))
            case 4...6: return .timestamp(seconds * 1_000_000 + int(0...999_999))
            default: return .timestamp(seconds * 1_000_000_000 + int(0...999_999_999))
            }
        case .array(let e), .multiset(let e):
            let n = depth > 3 ? 0 : Int(random.next() % 4)
            return .list((0..<n).map { _ in value(e, depth: depth + 1) })
        case .map(let k, let v):
            let n = depth > 3 ? 0 : Int(random.next() % 4)
            var seen = Set<Value>()
            var entries: [Value.MapEntry] = []
            for _ in 0..<n {
                let key = value(k.nullable(false), depth: depth + 1)
                if seen.insert(key).inserted { entries.append(.init(key: key, value: value(v, depth: depth + 1))) }
            }
            return .map(entries)
        case .row(let fields):
            return .row(fields.map { value($0.type, depth: depth + 1) })
        }
    }

    mutating func rows(_ schema: RowType, count: Int) -> [[Value]] {
        (0..<count).map { _ in schema.fields.map { value($0.type) } }
    }
}

/// Schemas used across the tests.
enum Schemas {
    static func f(_ id: Int, _ name: String, _ type: DataType) -> DataField { DataField(id: id, name: name, type: type) }

    /// Every atomic Paimon type, nullable.
    static var atomic: RowType {
        RowType([
            f(0, "id", DataType(.bigint, nullable: false)),
            f(1, "b", DataType(.boolean)),
            f(2, "i8", DataType(.tinyint)),
            f(3, "i16", DataType(.smallint)),
            f(4, "i32", DataType(.int)),
            f(5, "i64", DataType(.bigint)),
            f(6, "f32", DataType(.float)),
            f(7, "f64", DataType(.double)),
            f(8, "dec9", DataType(.decimal(precision: 9, scale: 2))),
            f(9, "dec18", DataType(.decimal(precision: 18, scale: 6))),
            f(10, "dec19", DataType(.decimal(precision: 19, scale: 0))),
            f(11, "dec38", DataType(.decimal(precision: 38, scale: 10))),
            f(12, "s", .string),
            f(13, "c", DataType(.char(length: 5))),
            f(14, "vc", DataType(.varchar(length: 20))),
            f(15, "bin", .bytes),
            f(16, "fbin", DataType(.binary(length: 4))),
            f(17, "vbin", DataType(.varbinary(length: 8))),
            f(18, "day", DataType(.date)),
            f(19, "tod", DataType(.time(precision: 3))),
            f(20, "ts0", DataType(.timestamp(precision: 0))),
            f(21, "ts3", DataType(.timestamp(precision: 3))),
            f(22, "ts6", DataType(.timestamp(precision: 6))),
            f(23, "ts9", DataType(.timestamp(precision: 9))),
            f(24, "ltz3", DataType(.timestampLTZ(precision: 3))),
            f(25, "ltz6", DataType(.timestampLTZ(precision: 6))),
            f(26, "ltz9", DataType(.timestampLTZ(precision: 9))),
        ])
    }

    /// The same types, NOT NULL.
    static var atomicRequired: RowType {
        RowType(atomic.fields.map { DataField(id: $0.id, name: $0.name, type: $0.type.nullable(false)) })
    }

    /// Nested types: arrays, maps, rows, and their combinations.
    static var nested: RowType {
        let point = DataType(.row(fields: [f(101, "x", DataType(.int)), f(102, "label", .string),
                                           f(103, "weights", DataType(.array(element: DataType(.double))))]))
        return RowType([
            f(0, "id", DataType(.bigint, nullable: false)),
            f(1, "ints", DataType(.array(element: DataType(.int)))),
            f(2, "names", DataType(.array(element: DataType.string.nullable(false)), nullable: false)),
            f(3, "attrs", DataType(.map(key: DataType.string.nullable(false), value: DataType(.bigint)))),
            f(4, "point", point),
            f(5, "points", DataType(.array(element: point))),
            f(6, "deep", DataType(.array(element: DataType(.map(key: DataType(.int, nullable: false),
                                                               value: DataType(.array(element: DataType(.decimal(precision: 20, scale: 3))))))))),
            f(7, "req_row", DataType(.row(fields: [f(104, "a", DataType(.int, nullable: false)),
                                                   f(105, "b", DataType(.timestamp(precision: 9)))]), nullable: false)),
            f(8, "matrix", DataType(.array(element: DataType(.array(element: DataType(.smallint)))))),
        ])
    }
}
