import WeirColumnar

/// Min, max and null count of one column, mirroring `org.apache.paimon.format.SimpleColStats`. A nil min/max is
/// unknown; a nil null count means the column has no stats at all (mode `none`).
public struct SimpleColStats: Hashable, Sendable {
    public var min: Value?
    public var max: Value?
    public var nullCount: Int64?

    public init(min: Value?, max: Value?, nullCount: Int64?) {
        self.min = min
        self.max = max
        self.nullCount = nullCount
    }

    /// `isNone`: no min, max or null count (the column is dropped in dense stats).
    public var isNone: Bool { min == nil && max == nil && nullCount == nil }
}

/// Collects one column's stats in a stats mode, mirroring `org.apache.paimon.statistics.SimpleColStatsCollector`
/// and its `None`/`Counts`/`Full`/`Truncate` implementations (spec/paimon-format.md section 4.7).
///
/// - `none`: nothing; `counts`: null count only; `full`: exact min/max; `truncate(n)`: strings' min cut to n code
///   points, max cut to n code points with the last one incremented (the next code point that is a valid scalar;
///   if none can be incremented the column's min and max become unknown for good).
/// - Only comparable values get min/max, as Java's `Comparable` check: booleans, integers, FLOAT/DOUBLE (Java's
///   `compareTo`: -0.0 < 0.0, NaN largest), DECIMAL, DATE, TIME, TIMESTAMP, and strings (by unsigned UTF-8 bytes).
///   BINARY/VARBINARY and composite values count nulls only.
public struct SimpleColStatsCollector: Sendable {
    /// A `metadata.stats-mode` value.
    public enum Mode: Hashable, Sendable, CustomStringConvertible {
        case none, counts, full
        case truncate(Int)

        /// `SimpleColStatsCollector.from`: `none`, `counts`, `full` or `truncate(N)` with N > 0, any case.
        public static func parse(_ text: String, subject: String = "stats mode") throws(PaimonFormatError) -> Mode {
            let upper = text.uppercased()
            switch upper {
            case "NONE": return .none
            case "COUNTS": return .counts
            case "FULL": return .full
            default:
                if upper.hasPrefix("TRUNCATE("), upper.hasSuffix(")") {
                    let digits = upper.dropFirst("TRUNCATE(".count).dropLast()
                    if !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits) {
                        guard n > 0 else { throw PaimonFormatError(subject, "truncate length should be larger than zero") }
                        return .truncate(n)
                    }
                }
                throw PaimonFormatError(subject, "unexpected stats mode '\(text.prefix(64))' (none, counts, full or truncate(N))")
            }
        }

        public var description: String {
            switch self {
            case .none: return "none"
            case .counts: return "counts"
            case .full: return "full"
            case .truncate(let n): return "truncate(\(n))"
            }
        }
    }

    public let mode: Mode
    public private(set) var minValue: Value?
    public private(set) var maxValue: Value?
    public private(set) var nullCount: Int64 = 0
    var failed = false

    public init(mode: Mode) { self.mode = mode }

    /// `collect`: one value of the column (`.null` counts as a null).
    public mutating func collect(_ value: Value) {
        switch mode {
        case .none:
            return
        case .counts:
            if value == .null { nullCount += 1 }
        case .full:
            if value == .null { nullCount += 1; return }
            guard Self.isComparable(value) else { return }
            if minValue == nil || Self.compare(value, minValue!) < 0 { minValue = value }
            if maxValue == nil || Self.compare(value, maxValue!) > 0 { maxValue = value }
        case .truncate(let length):
            if value == .null { nullCount += 1; return }
            guard !failed, Self.isComparable(value) else { return }
            if minValue == nil || Self.compare(value, minValue!) < 0 { minValue = Self.truncateMin(value, length) }
            if maxValue == nil || Self.compare(value, maxValue!) > 0 {
                if let max = Self.truncateMax(value, length) { maxValue = max } else { failed = true }
            }
        }
    }

    /// `result`.
    public func result() -> SimpleColStats {
        switch mode {
        case .none: return SimpleColStats(min: nil, max: nil, nullCount: nil)
        case .counts: return SimpleColStats(min: nil, max: nil, nullCount: nullCount)
        case .full: return SimpleColStats(min: minValue, max: maxValue, nullCount: nullCount)
        case .truncate:
            return failed ? SimpleColStats(min: nil, max: nil, nullCount: nullCount) : SimpleColStats(min: minValue, max: maxValue, nullCount: nullCount)
        }
    }

    /// `convert`: applies this mode to stats gathered elsewhere (e.g. a file format's footer).
    public func convert(_ source: SimpleColStats) -> SimpleColStats {
        switch mode {
        case .none: return SimpleColStats(min: nil, max: nil, nullCount: nil)
        case .counts: return SimpleColStats(min: nil, max: nil, nullCount: source.nullCount)
        case .full: return source
        case .truncate(let length):
            let min = source.min.map { Self.truncateMin($0, length) }
            guard let sourceMax = source.max, let max = Self.truncateMax(sourceMax, length) else {
                return SimpleColStats(min: nil, max: nil, nullCount: source.nullCount)
            }
            return SimpleColStats(min: min, max: max, nullCount: source.nullCount)
        }
    }

    static func isComparable(_ value: Value) -> Bool {
        switch value {
        case .boolean, .integer, .float, .double, .decimal, .string, .date, .time, .timestamp: return true
        case .null, .bytes, .list, .map, .row: return false
        }
    }

    /// Java's `compareTo` of two comparable values of the same column.
    static func compare(_ a: Value, _ b: Value) -> Int {
        func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
        switch (a, b) {
        case (.boolean(let x), .boolean(let y)): return sign(x ? 1 : 0, y ? 1 : 0)
        case (.integer(let x), .integer(let y)): return sign(x, y)
        case (.float(let x), .float(let y)): return sign(javaFloatKey(Double(x)), javaFloatKey(Double(y)))
        case (.double(let x), .double(let y)): return sign(javaFloatKey(x), javaFloatKey(y))
        case (.decimal(let x, let xs), .decimal(let y, let ys)):
            let scale = Swift.max(xs, ys)
            let xv = BinarySection.rescale(x, from: xs, to: scale, precision: 38) ?? x
            let yv = BinarySection.rescale(y, from: ys, to: scale, precision: 38) ?? y
            return sign(xv, yv)
        case (.string(let x), .string(let y)): return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : (x == y ? 0 : 1)
        case (.date(let x), .date(let y)): return sign(x, y)
        case (.time(let x), .time(let y)): return sign(x, y)
        case (.timestamp(let x), .timestamp(let y)): return sign(x, y)
        default: return 0
        }
    }

    /// A total order matching `Double.compare`: -0.0 below 0.0, NaN above everything.
    static func javaFloatKey(_ d: Double) -> Int64 {
        if d.isNaN { return Int64.max }
        let bits = Int64(bitPattern: d.bitPattern)
        return bits ^ ((bits >> 63) & Int64.max)
    }

    static func truncateMin(_ value: Value, _ length: Int) -> Value {
        guard case .string(let s) = value else { return value }
        return .string(String(s.unicodeScalars.prefix(length)))
    }

    /// nil when no upper bound of `length` code points exists.
    static func truncateMax(_ value: Value, _ length: Int) -> Value? {
        guard case .string(let s) = value else { return value }
        let scalars = Array(s.unicodeScalars)
        if scalars.count <= length { return value }
        var truncated = Array(scalars.prefix(length))
        for i in stride(from: length - 1, through: 0, by: -1) {
            var next = truncated[i].value + 1
            if (0xD800...0xDFFF).contains(next) { next = 0xE000 }
            if let scalar = Unicode.Scalar(next) {
                truncated.removeSubrange(i...)
                truncated.append(scalar)
                var out = String.UnicodeScalarView()
                out.append(contentsOf: truncated)
                return .string(String(out))
            }
        }
        return nil
    }
}
