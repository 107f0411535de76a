import Foundation
import WeirCodecs
import WeirColumnar
import WeirPaimon
@testable import WeirTable


func column(_ type: DataType, _ values: [Value]) -> Column {
    var builder = ColumnBuilder(type: type)
    for value in values { try! builder.append(value) }
    return builder.finish()
}

func batch(_ fields: [DataField], _ rows: [[Value]]) -> ColumnBatch {
    ColumnBatch(schema: RowType(fields), columns: fields.indices.map { c in column(fields[c].type, rows.map { $0[c] }) })
}

func rowsOf(_ batch: ColumnBatch) -> [[Value]] {
    (0..<batch.rowCount).map { r in batch.columns.map { $0.value(at: r) } }
}

/// Java's `compareTo` of values of one column, nulls first (the reference for the key encoder).
func referenceCompare(_ a: Value, _ b: Value) -> Int {
    func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
    func floatKey(_ d: Double) -> Int64 {
        if d.isNaN { return Int64.max }
        let bits = Int64(bitPattern: d.bitPattern)
        return bits < 0 ? ~(bits & Int64.max) : bits  // negative numbers below positive ones, -0 below 0
    }
    func bytes(_ x: [UInt8], _ y: [UInt8]) -> Int {
        for (p, q) in zip(x, y) where p != q { return p < q ? -1 : 1 }
        return sign(x.count, y.count)
    }
    switch (a, b) {
    case (.null, .null): return 0
    case (.null, _): return -1
    case (_, .null): return 1
    case (.boolean(let x), .boolean(let y)): return sign(x ? 1 : 0, y ? 1 : 0)
    case (.integer(let x), .integer(let y)): return sign(x, y)
    case (.float(let x), .float(let y)):
        if x.isNaN && y.isNaN { return 0 }
        return sign(floatKey(Double(x)), floatKey(Double(y)))
    case (.double(let x), .double(let y)):
        if x.isNaN && y.isNaN { return 0 }
        return sign(floatKey(x), floatKey(y))
    case (.decimal(let x, _), .decimal(let y, _)): return sign(x, y)
    case (.string(let x), .string(let y)): return bytes(Array(x.utf8), Array(y.utf8))
    case (.bytes(let x), .bytes(let y)): return bytes(x, y)
    case (.date(let x), .date(let y)): return sign(x, y)
    case (.time(let x), .time(let y)): return sign(x, y)
    case (.timestamp(let x), .timestamp(let y)): return sign(x, y)
    default: fatalError("incomparable \(a) \(b)")
    }
}

func referenceCompare(_ a: [Value], _ b: [Value], descending: Bool = false) -> Int {
    for (x, y) in zip(a, b) {
        let c = referenceCompare(x, y)
        if c != 0 {
            if descending, x != .null, y != .null { return -c }
            return c
        }
    }
    return 0
}

func memcmpOrder(_ a: [UInt8], _ b: [UInt8]) -> Int {
    for (p, q) in zip(a, b) where p != q { return p < q ? -1 : 1 }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}

/// A random value of `type` (nulls about one in eight when nullable); small domains make ties likely.
func randomValue(_ type: DataType, _ g: inout SplitMix64, ties: Bool = true) -> Value {
    if type.isNullable, Int.random(in: 0..<8, using: &g) == 0 { return .null }
    let small = ties && Bool.random(using: &g)
    switch type.kind {
    case .boolean: return .boolean(Bool.random(using: &g))
    case .tinyint: return .integer(Int64(small ? Int8.random(in: -2...2, using: &g) : Int8.random(in: .min ... .max, using: &g)))
    case .smallint: return .integer(Int64(small ? Int16.random(in: -2...2, using: &g) : Int16.random(in: .min ... .max, using: &g)))
    case .int: return .integer(Int64(small ? Int32.random(in: -2...2, using: &g) : Int32.random(in: .min ... .max, using: &g)))
    case .bigint: return .integer(small ? Int64.random(in: -2...2, using: &g) : Int64.random(in: .min ... .max, using: &g))
    case .float:
        let specials: [Float] = [0, -0.0, .nan, -.nan, .infinity, -.infinity, 1, -1, .leastNonzeroMagnitude, -.greatestFiniteMagnitude]
        if small { return .float(specials.randomElement(using: &g)!) }
        return .float(Float(bitPattern: UInt32.random(in: 0 ... .max, using: &g)))
    case .double:
        let specials: [Double] = [0, -0.0, .nan, .infinity, -.infinity, 1, -1, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        if small { return .double(specials.randomElement(using: &g)!) }
        return .double(Double(bitPattern: UInt64.random(in: 0 ... .max, using: &g)))
    case .decimal(let p, let s):
        var limit: Int128 = 1
        for _ in 0..<p { limit *= 10 }
        let v = small ? Int128(Int.random(in: -3...3, using: &g)) : Int128(Int64.random(in: .min ... .max, using: &g)) * Int128(Int.random(in: 0...1000, using: &g)) % limit
        return .decimal(unscaled: v, scale: s)
    case .char, .varchar:
        let alphabet: [Character] = ["a", "b", "\u{0}", "é", "z", "\u{7f}", "日"]
        var n = Int.random(in: 0...(small ? 2 : 12), using: &g)
        if case .char(let length) = type.kind { n = min(n, length) }
        if case .varchar(let length) = type.kind { n = min(n, length) }
        return .string(String((0..<n).map { _ in alphabet.randomElement(using: &g)! }))
    case .binary, .varbinary:
        let alphabet: [UInt8] = [0, 1, 0xFF, 0x7F, 0x80, 0xFE]
        var n = Int.random(in: 0...(small ? 2 : 12), using: &g)
        if case .binary(let length) = type.kind { n = min(n, length) }
        if case .varbinary(let length) = type.kind { n = min(n, length) }
        return .bytes((0..<n).map { _ in small ? alphabet.randomElement(using: &g)! : UInt8.random(in: 0...255, using: &g) })
    case .date: return .date(days: small ? Int32.random(in: -2...2, using: &g) : Int32.random(in: -1_000_000...1_000_000, using: &g))
    case .time: return .time(millis: Int32.random(in: 0..<86_400_000, using: &g))
    case .timestamp, .timestampLTZ:
        return .timestamp(small ? Int64.random(in: -2...2, using: &g) : Int64.random(in: -(1 << 60)...(1 << 60), using: &g))
    case .array(let e):
        return .list((0..<Int.random(in: 0...3, using: &g)).map { _ in randomValue(e, &g) })
    case .multiset(let e):
        return .list((0..<Int.random(in: 0...3, using: &g)).map { _ in randomValue(e, &g) })
    case .map(let k, let v):
        var seen = Set<Value>()
        var entries: [Value.MapEntry] = []
        for _ in 0..<Int.random(in: 0...3, using: &g) {
            let key = randomValue(k.nullable(false), &g)
            if seen.insert(key).inserted { entries.append(.init(key: key, value: randomValue(v, &g))) }
        }
        return .map(entries)
    case .row(let fields):
        return .row(fields.map { randomValue($0.type, &g) })
    }
}

/// Values equal as Java compares them (for test expectations on round trips: NaN equals NaN).
func sameValue(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.float(let x), .float(let y)): return (x.isNaN && y.isNaN) || x.bitPattern == y.bitPattern
    case (.double(let x), .double(let y)): return (x.isNaN && y.isNaN) || x.bitPattern == y.bitPattern
    case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy { sameValue($0, $1) }
    case (.row(let x), .row(let y)): return x.count == y.count && zip(x, y).allSatisfy { sameValue($0, $1) }
    case (.map(let x), .map(let y)):
        return x.count == y.count && zip(x, y).allSatisfy { sameValue($0.key, $1.key) && sameValue($0.value, $1.value) }
    default: return a == b
    }
}

func sameRows(_ a: [[Value]], _ b: [[Value]]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { x, y in x.count == y.count && zip(x, y).allSatisfy { sameValue($0, $1) } }
}
