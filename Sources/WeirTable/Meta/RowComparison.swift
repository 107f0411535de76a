import WeirColumnar
import WeirPaimon

/// Orders values of one column the way Java's generated `RecordComparator` does for key rows: nulls first,
/// numbers numerically (floating point as `Double.compare`), decimals by value, strings by unsigned UTF-8 bytes,
/// byte strings unsigned lexicographically, dates, times and timestamps by their numbers, lists and rows
/// element by element.
enum ValueOrder {
    static func compare(_ a: Value, _ b: Value) -> Int {
        func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
        func bytes<C: Collection<UInt8>>(_ x: C, _ y: C) -> Int {
            var i = x.makeIterator(), j = y.makeIterator()
            while true {
                switch (i.next(), j.next()) {
                case (nil, nil): return 0
                case (nil, _): return -1
                case (_, nil): return 1
                case (let p?, let q?): if p != q { return p < q ? -1 : 1 }
                }
            }
        }
        switch (a, b) {
        case (.null, .null): return 0
        case (.null, _): return -1
        case (_, .null): return 1
        case (.boolean(let x), .boolean(let y)): return sign(x ? 1 : 0, y ? 1 : 0)
        case (.integer(let x), .integer(let y)): return sign(x, y)
        case (.float(let x), .float(let y)): return sign(doubleKey(Double(x)), doubleKey(Double(y)))
        case (.double(let x), .double(let y)): return sign(doubleKey(x), doubleKey(y))
        case (.decimal(let x, let xs), .decimal(let y, let ys)):
            if xs == ys { return sign(x, y) }
            // Compare x·10^-xs with y·10^-ys without overflow: scale the one with the smaller scale up if it fits.
            let (small, big, flip) = xs < ys ? ((x, xs), (y, ys), 1) : ((y, ys), (x, xs), -1)
            var scaled = small.0
            for _ in 0..<(big.1 - small.1) {
                let (m, overflow) = scaled.multipliedReportingOverflow(by: 10)
                if overflow { return (scaled < 0 ? -1 : 1) * flip }
                scaled = m
            }
            return sign(scaled, big.0) * flip
        case (.string(let x), .string(let y)): return bytes(x.utf8, y.utf8)
        case (.bytes(let x), .bytes(let y)): return bytes(x, y)
        case (.date(let x), .date(let y)): return sign(x, y)
        case (.time(let x), .time(let y)): return sign(x, y)
        case (.timestamp(let x), .timestamp(let y)): return sign(x, y)
        case (.list(let x), .list(let y)), (.row(let x), .row(let y)):
            for (p, q) in zip(x, y) {
                let c = compare(p, q)
                if c != 0 { return c }
            }
            return sign(x.count, y.count)
        default:
            return 0
        }
    }

    /// A total order matching `Double.compare`: -0.0 below 0.0, NaN above everything.
    static func doubleKey(_ d: Double) -> Int64 {
        if d.isNaN { return Int64.max }
        let bits = Int64(bitPattern: d.bitPattern)
        return bits ^ ((bits >> 63) & Int64.max)
    }

    static func compare(_ a: [Value], _ b: [Value]) -> Int {
        for (p, q) in zip(a, b) {
            let c = compare(p, q)
            if c != 0 { return c }
        }
        return a.count < b.count ? -1 : (a.count == b.count ? 0 : 1)
    }
}

/// Compares key BinaryRows (`_MIN_KEY`, `_MAX_KEY`) of a primary-key table field by field in the trimmed
/// primary key's types: Java's key comparator.
public struct KeyComparator: Sendable {
    public let keyType: RowType

    public init(keyType: RowType) { self.keyType = keyType }

    /// The comparator of `schema`'s trimmed primary key; nil for append tables.
    public init?(schema: TableSchema) {
        guard !schema.trimmedPrimaryKeys.isEmpty else { return nil }
        self.init(keyType: schema.logicalTrimmedPrimaryKeysType)
    }

    /// The key's field values; errors name `subject`.
    public func values(_ row: BinaryRow, subject: String) throws(TableError) -> [Value] {
        do {
            return try row.values(types: keyType.fields.map(\.type), subject: subject)
        } catch {
            throw TableError(.corrupt, error.subject, error.message)
        }
    }

    /// -1, 0 or 1 as `a` sorts before, with or after `b`.
    public func compare(_ a: BinaryRow, _ b: BinaryRow, subject: String = "key") throws(TableError) -> Int {
        ValueOrder.compare(try values(a, subject: subject), try values(b, subject: subject))
    }
}
