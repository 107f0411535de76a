import WeirColumnar

/// A predicate on top-level columns used to skip stripes by their statistics (ORC's predicate push-down at
/// stripe level). Values are in the column's in-memory convention (see `Column`): `.integer` for integer
/// columns, `.timestamp` in the unit of the column's precision, `.decimal` at any scale, and so on.
///
/// ``mightMatch(_:)`` is conservative: it answers false only when the statistics prove that no row of the
/// stripe satisfies the predicate; missing statistics, a value of another type or an undecidable comparison
/// count as "might match". Comparisons never match nulls (SQL semantics). NaN is not a valid bound.
public indirect enum ORCFilter: Sendable, Hashable {
    case equal(String, Value)
    case lessThan(String, Value)
    case lessThanOrEqual(String, Value)
    case greaterThan(String, Value)
    case greaterThanOrEqual(String, Value)
    case isNull(String)
    case isNotNull(String)
    case and([ORCFilter])
    case or([ORCFilter])

    /// Whether a stripe might hold matching rows; `statistics` gives, for a column name, its statistics, its
    /// type and the stripe's row count (nil when unknown).
    public func mightMatch(_ statistics: (String) -> (ORCColumnStatistics, DataType, Int)?) -> Bool {
        switch self {
        case .and(let filters): return filters.allSatisfy { $0.mightMatch(statistics) }
        case .or(let filters): return filters.isEmpty || filters.contains { $0.mightMatch(statistics) }
        case .isNull(let column):
            guard let (stats, _, rows) = statistics(column) else { return true }
            if let hasNull = stats.hasNull { return hasNull }
            return stats.numberOfValues < UInt64(rows)
        case .isNotNull(let column):
            guard let (stats, _, _) = statistics(column) else { return true }
            return stats.numberOfValues > 0 || stats.hasNull == nil
        case .equal(let column, let value):
            return compare(column, value, statistics) { low, high in (low.map { $0 <= 0 } ?? true) && (high.map { $0 >= 0 } ?? true) }
        case .lessThan(let column, let value):
            return compare(column, value, statistics) { low, _ in low.map { $0 < 0 } ?? true }
        case .lessThanOrEqual(let column, let value):
            return compare(column, value, statistics) { low, _ in low.map { $0 <= 0 } ?? true }
        case .greaterThan(let column, let value):
            return compare(column, value, statistics) { _, high in high.map { $0 > 0 } ?? true }
        case .greaterThanOrEqual(let column, let value):
            return compare(column, value, statistics) { _, high in high.map { $0 >= 0 } ?? true }
        }
    }

    /// Evaluates `decide` with the comparison of the column's minimum with the value and of its maximum with
    /// the value (-1, 0, 1, or nil when unknown).
    private func compare(_ column: String, _ value: Value, _ statistics: (String) -> (ORCColumnStatistics, DataType, Int)?,
                         _ decide: (Int?, Int?) -> Bool) -> Bool {
        guard let (stats, type, _) = statistics(column) else { return true }
        if stats.numberOfValues == 0 && stats.hasNull == true { return false }  // only nulls
        if value == .null { return false }
        if case .boolean(let b) = value, let counts = stats.bucketStatistics, let trueCount = counts.first {
            // Booleans: false < true; the bounds follow from the true count.
            let low = trueCount == stats.numberOfValues ? true : false
            let high = trueCount > 0
            func cmp(_ a: Bool, _ b: Bool) -> Int { a == b ? 0 : (!a && b ? -1 : 1) }
            return decide(cmp(low, b), cmp(high, b))
        }
        let (low, high) = ORCFilter.bounds(stats, type)
        guard let v = ORCFilter.key(value, type) else { return true }
        return decide(low.flatMap { $0.compare(v) }, high.flatMap { $0.compare(v) })
    }

    enum Key {
        case integer(Int64)
        case double(Double)
        case bytes([UInt8])
        case decimal(Int128, scale: Int)
        case timestamp(millis: Int64, nanos: Int32)

        /// -1, 0 or 1 comparing self with `other`; nil when they are not comparable.
        func compare(_ other: Key) -> Int? {
            func sign<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a > b ? 1 : 0) }
            switch (self, other) {
            case (.integer(let a), .integer(let b)): return sign(a, b)
            case (.double(let a), .double(let b)):
                guard !a.isNaN, !b.isNaN else { return nil }
                return sign(a, b)
            case (.integer(let a), .double(let b)), (.double(let b), .integer(let a)):
                guard !b.isNaN else { return nil }
                let r = sign(Double(a), b)
                if case .integer = self { return r } else { return -r }
            case (.bytes(let a), .bytes(let b)):
                return a == b ? 0 : (a.lexicographicallyPrecedes(b) ? -1 : 1)
            case (.decimal(let a, let sa), .decimal(let b, let sb)):
                var x = a, y = b
                if sa < sb {
                    guard let scaled = Self.scale(x, by: sb - sa) else { return nil }
                    x = scaled
                } else if sb < sa {
                    guard let scaled = Self.scale(y, by: sa - sb) else { return nil }
                    y = scaled
                }
                return sign(x, y)
            case (.timestamp(let am, let an), .timestamp(let bm, let bn)):
                return am == bm ? sign(an, bn) : sign(am, bm)
            default:
                return nil
            }
        }

        static func scale(_ v: Int128, by digits: Int) -> Int128? {
            guard digits <= 38 else { return nil }
            let (r, overflow) = v.multipliedReportingOverflow(by: ColumnDecoder.powersOfTen[digits])
            return overflow ? nil : r
        }
    }

    /// The column's minimum and maximum as keys (nil where unknown).
    static func bounds(_ stats: ORCColumnStatistics, _ type: DataType) -> (Key?, Key?) {
        if let s = stats.intStatistics { return (s.minimum.map(Key.integer), s.maximum.map(Key.integer)) }
        if let s = stats.doubleStatistics {
            return (s.minimum.flatMap { $0.isNaN ? nil : Key.double($0) }, s.maximum.flatMap { $0.isNaN ? nil : Key.double($0) })
        }
        if let s = stats.stringStatistics {
            return ((s.minimum ?? s.lowerBound).map(Key.bytes), (s.maximum ?? s.upperBound).map(Key.bytes))
        }
        if let s = stats.dateStatistics { return (s.minimum.map { .integer(Int64($0)) }, s.maximum.map { .integer(Int64($0)) }) }
        if let s = stats.decimalStatistics { return (s.minimum.flatMap(parseDecimal), s.maximum.flatMap(parseDecimal)) }
        if let s = stats.timestampStatistics {
            // Only the UTC bounds (ORC-135 and later); the older ones carry the writer's zone offset.
            let low = s.minimumUtc.map { Key.timestamp(millis: $0, nanos: s.minimumNanos.map { max(0, $0 - 1) } ?? 0) }
            let high = s.maximumUtc.map { Key.timestamp(millis: $0, nanos: s.maximumNanos.map { max(0, $0 - 1) } ?? 999_999) }
            return (low, high)
        }
        return (nil, nil)
    }

    /// A decimal statistics string (`-12.50`, `3`, `.5`) as unscaled value and scale.
    static func parseDecimal(_ text: String) -> Key? {
        var digits = Substring(text)
        var negative = false
        if digits.first == "-" {
            negative = true
            digits = digits.dropFirst()
        } else if digits.first == "+" {
            digits = digits.dropFirst()
        }
        var unscaled: Int128 = 0
        var scale = 0
        var seenPoint = false
        var any = false
        for ch in digits {
            if ch == "." {
                guard !seenPoint else { return nil }
                seenPoint = true
                continue
            }
            guard let d = ch.wholeNumberValue, ch.isASCII else { return nil }
            let (m, o1) = unscaled.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int128(d))
            guard !o1, !o2 else { return nil }
            unscaled = a
            any = true
            if seenPoint { scale += 1 }
        }
        guard any else { return nil }
        return .decimal(negative ? -unscaled : unscaled, scale: scale)
    }

    /// A filter value as a key comparable with the column's statistics.
    static func key(_ value: Value, _ type: DataType) -> Key? {
        switch (value, type.kind) {
        case (.integer(let v), .tinyint), (.integer(let v), .smallint), (.integer(let v), .int), (.integer(let v), .bigint):
            return .integer(v)
        case (.time(let v), .time): return .integer(Int64(v))
        case (.date(let v), .date): return .integer(Int64(v))
        case (.double(let v), .float), (.double(let v), .double): return v.isNaN ? nil : .double(v)
        case (.float(let v), .float), (.float(let v), .double): return v.isNaN ? nil : .double(Double(v))
        case (.integer(let v), .float), (.integer(let v), .double): return .double(Double(v))
        case (.string(let s), .char), (.string(let s), .varchar): return .bytes(Array(s.utf8))
        case (.decimal(let v, let s), .decimal): return .decimal(v, scale: s)
        case (.integer(let v), .decimal): return .decimal(Int128(v), scale: 0)
        case (.timestamp(let v), .timestamp(let p)), (.timestamp(let v), .timestampLTZ(let p)):
            let perMilli: Int64 = p <= 3 ? 1 : p <= 6 ? 1_000 : 1_000_000
            var millis = v / perMilli
            var rest = v % perMilli
            if rest < 0 {
                rest += perMilli
                millis -= 1
            }
            return .timestamp(millis: millis, nanos: Int32(rest * (1_000_000 / perMilli)))
        default:
            return nil
        }
    }
}
