import WeirColumnar

/// The total order of two non-null values of one type, as Paimon compares them (`InternalRowUtils.compare` and
/// the generated record comparators): integers, dates, times and timestamps numerically; FLOAT and DOUBLE as
/// Java's `Float.compare`/`Double.compare` (-0.0 below 0.0, NaN above everything and equal to itself);
/// decimals by value across scales; booleans false < true; CHAR/VARCHAR and BINARY/VARBINARY by unsigned bytes,
/// then length. Composite values (which Paimon does not allow as max/min or sequence fields) compare element by
/// element with nulls first, then by length.
///
/// The result is negative, zero or positive. A `.null` argument compares below every value, so callers that
/// already handled nulls never see it matter.
public enum ValueComparison {
    public static func compare(_ a: Value, _ b: Value, type: DataType) -> Int {
        switch (a, b) {
        case (.null, .null): return 0
        case (.null, _): return -1
        case (_, .null): return 1
        case (.boolean(let x), .boolean(let y)): return x == y ? 0 : (x ? 1 : -1)
        case (.integer(let x), .integer(let y)): return order(x, y)
        case (.date(let x), .date(let y)): return order(x, y)
        case (.time(let x), .time(let y)): return order(x, y)
        case (.timestamp(let x), .timestamp(let y)): return order(x, y)
        case (.float(let x), .float(let y)): return javaCompare(Double(x), Double(y))
        case (.double(let x), .double(let y)): return javaCompare(x, y)
        case (.float(let x), .double(let y)): return javaCompare(Double(x), y)
        case (.double(let x), .float(let y)): return javaCompare(x, Double(y))
        case (.decimal(let x, let xs), .decimal(let y, let ys)): return compareDecimals(x, xs, y, ys)
        case (.integer(let x), .decimal(let y, let ys)): return compareDecimals(Int128(x), 0, y, ys)
        case (.decimal(let x, let xs), .integer(let y)): return compareDecimals(x, xs, Int128(y), 0)
        case (.string(let x), .string(let y)): return compareBytes(x.utf8, y.utf8)
        case (.bytes(let x), .bytes(let y)): return compareBytes(x, y)
        case (.list(let x), .list(let y)):
            return compareSequences(x, y, elementType: elementType(of: type))
        case (.row(let x), .row(let y)):
            if case .row(let fields) = type.kind, fields.count == x.count, fields.count == y.count {
                for i in x.indices {
                    let c = compare(x[i], y[i], type: fields[i].type)
                    if c != 0 { return c }
                }
                return 0
            }
            return compareSequences(x, y, elementType: type)
        case (.map(let x), .map(let y)):
            var keyType = type, valueType = type
            if case .map(let k, let v) = type.kind { keyType = k; valueType = v }
            for (ex, ey) in zip(x, y) {
                let k = compare(ex.key, ey.key, type: keyType)
                if k != 0 { return k }
                let v = compare(ex.value, ey.value, type: valueType)
                if v != 0 { return v }
            }
            return order(x.count, y.count)
        default:
            // Values of different kinds never meet for one well-typed column; order them by kind so the
            // order stays total.
            return order(rank(a), rank(b))
        }
    }

    @inline(__always)
    static func order<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }

    /// `Double.compare`: numeric order, except -0.0 < 0.0 and NaN greater than everything and equal to NaN.
    static func javaCompare(_ x: Double, _ y: Double) -> Int {
        if x < y { return -1 }
        if x > y { return 1 }
        switch (x.isNaN, y.isNaN) {
        case (true, true): return 0
        case (true, false): return 1
        case (false, true): return -1
        case (false, false):
            // Equal numerically; only the sign of zero can differ.
            return order(x.sign == .minus ? 0 : 1, y.sign == .minus ? 0 : 1)
        }
    }

    /// Compares unscaled `x`·10^-xs with `y`·10^-ys exactly: integer parts (truncated) first, then the
    /// fractions brought to the larger scale (both below 10^38, so no overflow).
    static func compareDecimals(_ x: Int128, _ xs: Int, _ y: Int128, _ ys: Int) -> Int {
        if xs == ys { return order(x, y) }
        let px = DecimalArithmetic.powerOfTen(xs), py = DecimalArithmetic.powerOfTen(ys)
        let (qx, rx) = x.quotientAndRemainder(dividingBy: px)
        let (qy, ry) = y.quotientAndRemainder(dividingBy: py)
        if qx != qy { return order(qx, qy) }
        let scale = max(xs, ys)
        return order(rx * DecimalArithmetic.powerOfTen(scale - xs), ry * DecimalArithmetic.powerOfTen(scale - ys))
    }

    /// Unsigned byte order, then length (`BinaryString.compareTo`, `byteArrayCompare`).
    static func compareBytes<C: Collection>(_ x: C, _ y: C) -> Int where C.Element == UInt8 {
        var i = x.makeIterator(), j = y.makeIterator()
        while true {
            switch (i.next(), j.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let a?, let b?): if a != b { return a < b ? -1 : 1 }
            }
        }
    }

    static func compareSequences(_ x: [Value], _ y: [Value], elementType: DataType) -> Int {
        for (a, b) in zip(x, y) {
            let c = compare(a, b, type: elementType)
            if c != 0 { return c }
        }
        return order(x.count, y.count)
    }

    static func elementType(of type: DataType) -> DataType {
        switch type.kind {
        case .array(let e), .multiset(let e): return e
        default: return type
        }
    }

    private static func rank(_ value: Value) -> Int {
        switch value {
        case .null: return 0
        case .boolean: return 1
        case .integer: return 2
        case .float: return 3
        case .double: return 4
        case .decimal: return 5
        case .string: return 6
        case .bytes: return 7
        case .date: return 8
        case .time: return 9
        case .timestamp: return 10
        case .list: return 11
        case .map: return 12
        case .row: return 13
        }
    }

    /// True for the types Paimon can order (`TypeCheckUtils.isComparable`): everything but ARRAY, MULTISET,
    /// MAP and ROW.
    static func isComparable(_ type: DataType) -> Bool {
        switch type.kind {
        case .array, .multiset, .map, .row: return false
        default: return true
        }
    }
}
