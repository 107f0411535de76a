import WeirColumnar

/// The arithmetic of `sum` and `product` (`FieldSumAgg`, `FieldProductAgg`) for one numeric column type.
///
/// - TINYINT…BIGINT: exact, an overflow of the column's width is an `.invalidInput` error naming the field
///   (Java throws `ArithmeticException`); `product`'s retract is Java's truncating integer division.
/// - FLOAT, DOUBLE: IEEE arithmetic in the column's width, no overflow check.
/// - DECIMAL(p, s): the result keeps scale `s` and must fit precision `p`, else an error naming the field
///   (Java keeps an over-long compact value or yields null, see the report). `product` rounds HALF_UP to `s`; its
///   retract divides exactly as `BigDecimal.divide` does (an error for a non-terminating quotient), then rounds.
struct NumericAggregation: Sendable {
    enum Kind: Sendable, Equatable {
        case integer(min: Int64, max: Int64)
        case float, double
        case decimal(precision: Int, scale: Int)
    }

    let kind: Kind
    let field: String
    let type: DataType

    /// The arithmetic for `type`, nil for a type that is not numeric.
    init?(type: DataType, field: String) {
        switch type.kind {
        case .tinyint: kind = .integer(min: Int64(Int8.min), max: Int64(Int8.max))
        case .smallint: kind = .integer(min: Int64(Int16.min), max: Int64(Int16.max))
        case .int: kind = .integer(min: Int64(Int32.min), max: Int64(Int32.max))
        case .bigint: kind = .integer(min: Int64.min, max: Int64.max)
        case .float: kind = .float
        case .double: kind = .double
        case .decimal(let p, let s): kind = .decimal(precision: p, scale: s)
        default: return nil
        }
        self.field = field
        self.type = type
    }

    func add(_ a: Value, _ b: Value) throws(TableError) -> Value {
        switch kind {
        case .integer:
            let (x, y) = (try integer(a), try integer(b))
            let (r, overflow) = x.addingReportingOverflow(y)
            return try checked(r, overflow: overflow, "\(x) + \(y)")
        case .float: return .float(try float(a) + float(b))
        case .double: return .double(try double(a) + double(b))
        case .decimal(let p, let s):
            let (x, y) = (try unscaled(a), try unscaled(b))
            return try decimal(DecimalArithmetic.add(x, y, precision: p), "\(show(x, s)) + \(show(y, s))")
        }
    }

    func subtract(_ a: Value, _ b: Value) throws(TableError) -> Value {
        switch kind {
        case .integer:
            let (x, y) = (try integer(a), try integer(b))
            let (r, overflow) = x.subtractingReportingOverflow(y)
            return try checked(r, overflow: overflow, "\(x) - \(y)")
        case .float: return .float(try float(a) - float(b))
        case .double: return .double(try double(a) - double(b))
        case .decimal(let p, let s):
            let (x, y) = (try unscaled(a), try unscaled(b))
            return try decimal(DecimalArithmetic.subtract(x, y, precision: p), "\(show(x, s)) - \(show(y, s))")
        }
    }

    /// -a, null for null (`FieldSumAgg.negative`).
    func negate(_ a: Value) throws(TableError) -> Value {
        if a == .null { return .null }
        switch kind {
        case .integer:
            let x = try integer(a)
            let (r, overflow) = Int64(0).subtractingReportingOverflow(x)
            return try checked(r, overflow: overflow, "-\(x)")
        case .float: return .float(-(try float(a)))
        case .double: return .double(-(try double(a)))
        case .decimal(let p, let s):
            let x = try unscaled(a)
            return try decimal(DecimalArithmetic.subtract(0, x, precision: p), "-\(show(x, s))")
        }
    }

    func multiply(_ a: Value, _ b: Value) throws(TableError) -> Value {
        switch kind {
        case .integer:
            let (x, y) = (try integer(a), try integer(b))
            let (r, overflow) = x.multipliedReportingOverflow(by: y)
            return try checked(r, overflow: overflow, "\(x) * \(y)")
        case .float: return .float(try float(a) * float(b))
        case .double: return .double(try double(a) * double(b))
        case .decimal(let p, let s):
            let (x, y) = (try unscaled(a), try unscaled(b))
            return try decimal(DecimalArithmetic.multiply(x, y, scale: s, precision: p), "\(show(x, s)) * \(show(y, s))")
        }
    }

    func divide(_ a: Value, _ b: Value) throws(TableError) -> Value {
        switch kind {
        case .integer:
            let (x, y) = (try integer(a), try integer(b))
            guard y != 0 else { throw failure("/ by zero: \(x) / \(y)") }
            let (r, overflow) = x.dividedReportingOverflow(by: y)
            return try checked(r, overflow: overflow, "\(x) / \(y)")
        case .float: return .float(try float(a) / float(b))
        case .double: return .double(try double(a) / double(b))
        case .decimal(let p, let s):
            let (x, y) = (try unscaled(a), try unscaled(b))
            let expression = "\(show(x, s)) / \(show(y, s))"
            switch DecimalArithmetic.divide(x, y, scale: s, precision: p) {
            case .value(let r): return .decimal(unscaled: r, scale: s)
            case .divisionByZero: throw failure("Division by zero: \(expression)")
            case .nonTerminating: throw failure("Non-terminating decimal expansion; no exact representable decimal result: \(expression)")
            case .overflow: throw failure("\(expression) overflows \(type)")
            }
        }
    }

    // MARK: operands and results

    private func integer(_ v: Value) throws(TableError) -> Int64 {
        guard case .integer(let x) = v else { throw mismatch(v) }
        return x
    }

    private func float(_ v: Value) throws(TableError) -> Float {
        switch v {
        case .float(let x): return x
        case .double(let x): return Float(x)
        default: throw mismatch(v)
        }
    }

    private func double(_ v: Value) throws(TableError) -> Double {
        switch v {
        case .double(let x): return x
        case .float(let x): return Double(x)
        default: throw mismatch(v)
        }
    }

    /// The unscaled value at the column's scale (an input of another scale is rescaled exactly).
    private func unscaled(_ v: Value) throws(TableError) -> Int128 {
        guard case .decimal(let x, let scale) = v, case .decimal(let p, let s) = kind,
            let value = DecimalArithmetic.rescale(x, from: scale, to: s), DecimalArithmetic.fits(value, precision: p)
        else { throw mismatch(v) }
        return value
    }

    private func checked(_ r: Int64, overflow: Bool, _ expression: String) throws(TableError) -> Value {
        guard case .integer(let lo, let hi) = kind, !overflow, r >= lo, r <= hi else {
            throw failure("\(expression) overflows \(type)")
        }
        return .integer(r)
    }

    private func decimal(_ r: Int128?, _ expression: String) throws(TableError) -> Value {
        guard let r, case .decimal(_, let s) = kind else { throw failure("\(expression) overflows \(type)") }
        return .decimal(unscaled: r, scale: s)
    }

    private func show(_ unscaled: Int128, _ scale: Int) -> String {
        guard scale > 0 else { return String(unscaled) }
        let digits = String(unscaled.magnitude)
        let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
        return (unscaled < 0 ? "-" : "") + padded.dropLast(scale) + "." + padded.suffix(scale)
    }

    private func failure(_ message: String) -> TableError {
        TableError(.invalidInput, MergeOptions.fieldSubject(field), message)
    }

    private func mismatch(_ value: Value) -> TableError {
        TableError(.invalidInput, MergeOptions.fieldSubject(field), "\(value) is not a value of type \(type)")
    }
}
