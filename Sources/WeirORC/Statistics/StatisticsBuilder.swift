/// Accumulates the statistics of one column over a row group, a stripe or the file, and renders them as an
/// ``ORCColumnStatistics`` the way the ORC writers do: integer min, max and sum (no sum after an overflow);
/// float min, max and sum (NaN skipped for min and max, no sum when not finite); string min and max compared as
/// UTF-8 bytes (bounds instead when longer than 1024 bytes) and the total length; binary total length; boolean
/// true count; decimal min, max and sum as decimal strings (no sum past 38 digits); date min and max; timestamp
/// min and max in UTC milliseconds plus the nanoseconds within the millisecond; list and map child counts.
struct StatisticsBuilder: Sendable {
    enum Kind: Sendable {
        case integer, floating, string, binary, boolean, decimal(scale: Int), date, timestamp, collection, structure
    }

    let kind: Kind
    var count: UInt64 = 0
    var hasNull = false

    var intMin = Int64.max, intMax = Int64.min, intSum: Int64 = 0, intSumOverflow = false
    var doubleMin = Double.infinity, doubleMax = -Double.infinity, doubleSum = 0.0, sawDouble = false
    var stringMin: [UInt8]?, stringMax: [UInt8]?, lengthSum: Int64 = 0
    var trueCount: UInt64 = 0
    var decimalMin = Int128.max, decimalMax = Int128.min, decimalSum: Int128 = 0, decimalSumOverflow = false
    var dateMin = Int32.max, dateMax = Int32.min
    var timestampMin = (millis: Int64.max, nanos: Int32(999_999)), timestampMax = (millis: Int64.min, nanos: Int32(0))
    var childMin = UInt64.max, childMax: UInt64 = 0, childTotal: UInt64 = 0
    var bytesOnDisk: UInt64?

    /// Longest string minimum or maximum kept exactly (ORC-203).
    static let stringBoundBytesMax = 1024
    static let decimalLimit: Int128 = {
        var v: Int128 = 1
        for _ in 0..<38 { v *= 10 }
        return v
    }()

    init(kind: Kind) { self.kind = kind }

    @inline(__always) mutating func addNull() { hasNull = true }

    @inline(__always) mutating func add(integer v: Int64) {
        count &+= 1
        if v < intMin { intMin = v }
        if v > intMax { intMax = v }
        if !intSumOverflow {
            let (s, o) = intSum.addingReportingOverflow(v)
            if o { intSumOverflow = true } else { intSum = s }
        }
    }

    @inline(__always) mutating func add(double v: Double) {
        count &+= 1
        doubleSum += v
        guard !v.isNaN else { return }
        sawDouble = true
        if v < doubleMin { doubleMin = v }
        if v > doubleMax { doubleMax = v }
    }

    @inline(__always) mutating func add(boolean v: Bool) {
        count &+= 1
        if v { trueCount &+= 1 }
    }

    /// Counts `n` values of total `bytes` length whose min and max the caller determined.
    mutating func add(strings n: Int, bytes: Int, min: ArraySlice<UInt8>?, max: ArraySlice<UInt8>?) {
        count &+= UInt64(n)
        lengthSum &+= Int64(bytes)
        if let min, stringMin.map({ min.lexicographicallyPrecedes($0) }) ?? true { stringMin = Array(min) }
        if let max, stringMax.map({ $0.lexicographicallyPrecedes(max) }) ?? true { stringMax = Array(max) }
    }

    @inline(__always) mutating func add(decimal v: Int128) {
        count &+= 1
        if v < decimalMin { decimalMin = v }
        if v > decimalMax { decimalMax = v }
        if !decimalSumOverflow {
            let (s, o) = decimalSum.addingReportingOverflow(v)
            if o || s >= Self.decimalLimit || s <= -Self.decimalLimit { decimalSumOverflow = true } else { decimalSum = s }
        }
    }

    @inline(__always) mutating func add(date v: Int32) {
        count &+= 1
        if v < dateMin { dateMin = v }
        if v > dateMax { dateMax = v }
    }

    @inline(__always) mutating func add(timestampMillis millis: Int64, nanos: Int32) {
        count &+= 1
        if (millis, nanos) < timestampMin { timestampMin = (millis, nanos) }
        if (millis, nanos) > timestampMax { timestampMax = (millis, nanos) }
    }

    @inline(__always) mutating func add(children n: UInt64) {
        count &+= 1
        if n < childMin { childMin = n }
        if n > childMax { childMax = n }
        childTotal &+= n
    }

    @inline(__always) mutating func addPresent() { count &+= 1 }

    /// Folds another builder of the same kind into this one.
    mutating func merge(_ o: StatisticsBuilder) {
        count &+= o.count
        hasNull = hasNull || o.hasNull
        intMin = min(intMin, o.intMin)
        intMax = max(intMax, o.intMax)
        if intSumOverflow || o.intSumOverflow {
            intSumOverflow = true
        } else {
            let (s, over) = intSum.addingReportingOverflow(o.intSum)
            if over { intSumOverflow = true } else { intSum = s }
        }
        doubleSum += o.doubleSum
        if o.sawDouble {
            sawDouble = true
            doubleMin = min(doubleMin, o.doubleMin)
            doubleMax = max(doubleMax, o.doubleMax)
        }
        if let m = o.stringMin, stringMin.map({ m.lexicographicallyPrecedes($0) }) ?? true { stringMin = m }
        if let m = o.stringMax, stringMax.map({ $0.lexicographicallyPrecedes(m) }) ?? true { stringMax = m }
        lengthSum &+= o.lengthSum
        trueCount &+= o.trueCount
        decimalMin = min(decimalMin, o.decimalMin)
        decimalMax = max(decimalMax, o.decimalMax)
        if decimalSumOverflow || o.decimalSumOverflow {
            decimalSumOverflow = true
        } else {
            let (s, over) = decimalSum.addingReportingOverflow(o.decimalSum)
            if over || s >= Self.decimalLimit || s <= -Self.decimalLimit { decimalSumOverflow = true } else { decimalSum = s }
        }
        dateMin = min(dateMin, o.dateMin)
        dateMax = max(dateMax, o.dateMax)
        if o.timestampMin < timestampMin { timestampMin = o.timestampMin }
        if o.timestampMax > timestampMax { timestampMax = o.timestampMax }
        childMin = min(childMin, o.childMin)
        childMax = max(childMax, o.childMax)
        childTotal &+= o.childTotal
        if let b = o.bytesOnDisk { bytesOnDisk = (bytesOnDisk ?? 0) &+ b }
    }

    /// The statistics message.
    func message() -> ORCColumnStatistics {
        var m = ORCColumnStatistics()
        m.numberOfValues = count
        m.hasNull = hasNull
        m.bytesOnDisk = bytesOnDisk
        switch kind {
        case .integer:
            m.intStatistics = count == 0 ? ORCIntegerStatistics(sum: 0)
                : ORCIntegerStatistics(minimum: intMin, maximum: intMax, sum: intSumOverflow ? nil : intSum)
        case .floating:
            var s = ORCDoubleStatistics(sum: doubleSum.isFinite ? doubleSum : nil)
            if sawDouble {
                s.minimum = doubleMin
                s.maximum = doubleMax
            }
            m.doubleStatistics = s
        case .string:
            var s = ORCStringStatistics(sum: lengthSum)
            if let stringMin, let stringMax {
                if stringMin.count <= Self.stringBoundBytesMax { s.minimum = stringMin } else { s.lowerBound = Self.truncatedLowerBound(stringMin) }
                if stringMax.count <= Self.stringBoundBytesMax {
                    s.maximum = stringMax
                } else {
                    let bound = Self.truncatedUpperBound(stringMax)
                    if !bound.isEmpty { s.upperBound = bound }
                }
            }
            m.stringStatistics = s
        case .binary:
            m.binaryStatistics = lengthSum
        case .boolean:
            m.bucketStatistics = [trueCount]
        case .decimal(let scale):
            var s = ORCDecimalStatistics()
            if count > 0 {
                s.minimum = Self.decimalString(decimalMin, scale: scale)
                s.maximum = Self.decimalString(decimalMax, scale: scale)
            }
            if !decimalSumOverflow { s.sum = Self.decimalString(decimalSum, scale: scale) }
            m.decimalStatistics = s
        case .date:
            m.dateStatistics = count == 0 ? ORCDateStatistics() : ORCDateStatistics(minimum: dateMin, maximum: dateMax)
        case .timestamp:
            var s = ORCTimestampStatistics()
            if count > 0 {
                s.minimumUtc = timestampMin.millis
                s.maximumUtc = timestampMax.millis
                if timestampMin.nanos != 0 { s.minimumNanos = timestampMin.nanos + 1 }
                if timestampMax.nanos != 999_999 { s.maximumNanos = timestampMax.nanos + 1 }
            }
            m.timestampStatistics = s
        case .collection:
            if count > 0 {
                m.collectionStatistics = ORCCollectionStatistics(minChildren: childMin, maxChildren: childMax, totalChildren: childTotal)
            }
        case .structure:
            break
        }
        return m
    }

    /// `unscaled × 10^-scale` in plain notation.
    static func decimalString(_ unscaled: Int128, scale: Int) -> String {
        var digits = String(unscaled.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return unscaled < 0 ? "-" + digits : digits
    }

    /// The longest prefix of at most 1024 bytes that ends on a UTF-8 character boundary.
    static func truncatedLowerBound(_ bytes: [UInt8]) -> [UInt8] {
        var end = min(bytes.count, stringBoundBytesMax)
        while end > 0 && end < bytes.count && bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return Array(bytes[0..<end])
    }

    /// A string of at most 1024 bytes greater than every string with the prefix of `bytes`: the truncated
    /// prefix with its last character incremented (dropping characters that cannot be incremented).
    static func truncatedUpperBound(_ bytes: [UInt8]) -> [UInt8] {
        var scalars = Array(String(decoding: truncatedLowerBound(bytes), as: UTF8.self).unicodeScalars)
        while let last = scalars.popLast() {
            var next = last.value + 1
            if (0xD800...0xDFFF).contains(next) { next = 0xE000 }
            if let scalar = Unicode.Scalar(next) {
                var text = String.UnicodeScalarView()
                text.append(contentsOf: scalars)
                text.append(scalar)
                let result = Array(String(text).utf8)
                if result.count <= stringBoundBytesMax { return result }
            }
        }
        return []
    }
}
