/// Exact arithmetic on unscaled decimals of one scale, with Java `BigDecimal`'s rounding where Paimon rounds
/// (`Decimal.fromBigDecimal` sets the scale with `HALF_UP`). Every result is checked against a precision; an
/// overflow is reported as nil so the caller can name the field.
enum DecimalArithmetic {
    /// 10^n for 0 ≤ n ≤ 38.
    static func powerOfTen(_ n: Int) -> Int128 {
        precondition((0...38).contains(n), "decimal scale \(n) is outside 0...38")
        return powers[n]
    }

    private static let powers: [Int128] = {
        var out: [Int128] = [1]
        for _ in 1...38 { out.append(out.last! * 10) }
        return out
    }()

    /// True when `unscaled` has at most `precision` digits.
    static func fits(_ unscaled: Int128, precision: Int) -> Bool {
        let limit = powerOfTen(min(precision, 38))
        return unscaled > -limit && unscaled < limit
    }

    /// `unscaled`·10^-from as an unscaled value of scale `to`, exactly; nil when digits would be lost or the
    /// value overflows.
    static func rescale(_ unscaled: Int128, from: Int, to: Int) -> Int128? {
        if from == to { return unscaled }
        if from < to {
            guard to - from <= 38 else { return unscaled == 0 ? 0 : nil }
            let (product, overflow) = unscaled.multipliedReportingOverflow(by: powerOfTen(to - from))
            return overflow ? nil : product
        }
        guard from - to <= 38 else { return unscaled == 0 ? 0 : nil }
        let (q, r) = unscaled.quotientAndRemainder(dividingBy: powerOfTen(from - to))
        return r == 0 ? q : nil
    }

    static func add(_ a: Int128, _ b: Int128, precision: Int) -> Int128? {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return !overflow && fits(sum, precision: precision) ? sum : nil
    }

    static func subtract(_ a: Int128, _ b: Int128, precision: Int) -> Int128? {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        return !overflow && fits(difference, precision: precision) ? difference : nil
    }

    /// a·b for two values of scale `scale`, rounded HALF_UP back to `scale` (`BigDecimal.multiply` then
    /// `setScale(scale, HALF_UP)`).
    static func multiply(_ a: Int128, _ b: Int128, scale: Int, precision: Int) -> Int128? {
        let negative = (a < 0) != (b < 0)
        let wide = a.magnitude.multipliedFullWidth(by: b.magnitude)
        guard let q = divideRoundingHalfUp(high: wide.high, low: wide.low, by: UInt128(powerOfTen(scale))) else { return nil }
        return signed(q, negative: negative, precision: precision)
    }

    /// The outcome of an exact decimal division.
    enum Quotient: Equatable {
        case value(Int128)
        case divisionByZero
        /// The quotient has no finite decimal expansion (`BigDecimal.divide` throws).
        case nonTerminating
        case overflow
    }

    /// a/b for two values of scale `scale`: Java's exact `BigDecimal.divide(BigDecimal)`, then rounded HALF_UP to
    /// `scale`.
    static func divide(_ a: Int128, _ b: Int128, scale: Int, precision: Int) -> Quotient {
        guard b != 0 else { return .divisionByZero }
        if a == 0 { return .value(0) }
        // Terminating iff the reduced denominator has no prime factors but 2 and 5.
        var denominator = b.magnitude / gcd(a.magnitude, b.magnitude)
        while denominator % 2 == 0 { denominator /= 2 }
        while denominator % 5 == 0 { denominator /= 5 }
        guard denominator == 1 else { return .nonTerminating }
        let negative = (a < 0) != (b < 0)
        let wide = a.magnitude.multipliedFullWidth(by: UInt128(powerOfTen(scale)))
        guard let q = divideRoundingHalfUp(high: wide.high, low: wide.low, by: b.magnitude),
            let result = signed(q, negative: negative, precision: precision)
        else { return .overflow }
        return .value(result)
    }

    /// (high·2^128 + low) / divisor rounded half up; nil when the quotient does not fit 128 bits.
    private static func divideRoundingHalfUp(high: UInt128, low: UInt128, by divisor: UInt128) -> UInt128? {
        guard high < divisor else { return nil }
        let (q, r) = divisor.dividingFullWidth((high: high, low: low))
        // r < divisor ≤ 2^127, so 2r does not overflow.
        guard r * 2 >= divisor else { return q }
        let (rounded, overflow) = q.addingReportingOverflow(1)
        return overflow ? nil : rounded
    }

    private static func signed(_ magnitude: UInt128, negative: Bool, precision: Int) -> Int128? {
        guard magnitude <= UInt128(Int128.max) else { return nil }
        let value = negative ? -Int128(magnitude) : Int128(magnitude)
        return fits(value, precision: precision) ? value : nil
    }

    private static func gcd(_ a: UInt128, _ b: UInt128) -> UInt128 {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }
}
