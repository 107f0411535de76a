import WeirColumnar

/// Parses the text forms of ``ValueJSON``'s encoding (used by CSV cells and by JSON strings) into values of a
/// column type: `"12.30"` for DECIMAL, `"2024-01-02"` for DATE, `"12:34:56.789"` for TIME,
/// `"2024-01-01T12:00:01.001001"` (or with a space instead of `T`, up to 9 fractional digits) for TIMESTAMP,
/// lower-case or upper-case hex for BINARY, `true`/`false` for BOOLEAN. Errors are messages without location;
/// readers prefix the line and column.
public enum ValueParser {
    /// The value of `text` as `type` (never `.null`: the caller decides what is null).
    public static func parse(_ text: Substring, as type: DataType) throws(ColumnarError) -> Value {
        func bad() -> ColumnarError { ColumnarError("\"\(text.prefix(100))\" is not a \(type.nullable(true))") }
        switch type.kind {
        case .boolean:
            switch text.lowercased() {
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            default: throw bad()
            }
        case .tinyint, .smallint, .int, .bigint:
            guard let n = Int64(text) else { throw bad() }
            return .integer(n)
        case .float:
            guard let f = parseFloatingPoint(text).map(Float.init) else { throw bad() }
            return .float(f)
        case .double:
            guard let d = parseFloatingPoint(text) else { throw bad() }
            return .double(d)
        case .decimal:
            guard let (unscaled, scale) = parseDecimal(text) else { throw bad() }
            return .decimal(unscaled: unscaled, scale: scale)
        case .char, .varchar:
            return .string(String(text))
        case .binary, .varbinary:
            guard let bytes = parseHex(text) else { throw bad() }
            return .bytes(bytes)
        case .date:
            guard let days = parseDate(text) else { throw bad() }
            return .date(days: Int32(days))
        case .time:
            guard let millis = parseTime(text) else { throw bad() }
            return .time(millis: millis)
        case .timestamp(let p), .timestampLTZ(let p):
            guard let t = parseTimestamp(text, precision: p) else { throw bad() }
            return .timestamp(t)
        case .array, .multiset, .map, .row:
            throw ColumnarError("a \(type.nullable(true)) value has no text form here; use JSON")
        }
    }

    static func parseFloatingPoint(_ text: Substring) -> Double? {
        switch text {
        case "NaN": return .nan
        case "Infinity", "inf": return .infinity
        case "-Infinity", "-inf": return -.infinity
        default: return text.isEmpty ? nil : Double(text)
        }
    }

    /// `-12.340` → (-12340, 3). At most 38 digits.
    public static func parseDecimal(_ text: Substring) -> (Int128, Int)? {
        var digits = text.utf8[...]
        var negative = false
        if digits.first == UInt8(ascii: "-") || digits.first == UInt8(ascii: "+") {
            negative = digits.first == UInt8(ascii: "-")
            digits = digits.dropFirst()
        }
        var value: Int128 = 0
        var scale = 0
        var seenPoint = false
        var count = 0
        for byte in digits {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
                continue
            }
            guard byte >= 48 && byte <= 57, count < 38 else { return nil }
            value = value * 10 + Int128(byte - 48)
            count += 1
            if seenPoint { scale += 1 }
        }
        guard count > 0 else { return nil }
        return (negative ? -value : value, scale)
    }

    public static func parseHex(_ text: Substring) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 97...102: return c - 87
            case 65...70: return c - 55
            default: return nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var i = 0
        while i < utf8.count {
            guard let high = nibble(utf8[i]), let low = nibble(utf8[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        return out
    }

    /// `YYYY-MM-DD` → days since 1970-01-01 (years 0001 to 9999, real calendar days only).
    public static func parseDate(_ text: Substring) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int64(parts[0]), let m = Int64(parts[1]), let d = Int64(parts[2]),
              (1...9999).contains(y), (1...12).contains(m), (1...31).contains(d) else { return nil }
        let days = CivilTime.days(year: y, month: m, day: d)
        let (cy, cm, cd) = CivilTime.civil(days: days)
        guard cy == y && cm == m && cd == d else { return nil }  // 2024-02-30
        return days
    }

    /// `HH:MM:SS[.fff…]` → milliseconds of the day (extra fractional digits are cut, as Paimon stores millis).
    public static func parseTime(_ text: Substring) -> Int32? {
        guard let (seconds, nanos) = parseClock(text) else { return nil }
        return Int32(seconds * 1000 + nanos / 1_000_000)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.f…]` (or a space for `T`, or a date alone) → the unit of `precision`.
    /// Fractional digits beyond the precision's unit are an error, not silently cut.
    public static func parseTimestamp(_ text: Substring, precision: Int) -> Int64? {
        let separator = text.firstIndex(where: { $0 == "T" || $0 == " " })
        let datePart = separator.map { text[..<$0] } ?? text
        guard let days = parseDate(datePart) else { return nil }
        var seconds: Int64 = 0, nanos: Int64 = 0
        if let separator {
            guard let clock = parseClock(text[text.index(after: separator)...]) else { return nil }
            (seconds, nanos) = clock
        }
        let unitNanos: Int64 = precision <= 3 ? 1_000_000 : precision <= 6 ? 1_000 : 1
        guard nanos % unitNanos == 0 else { return nil }
        let perSecond = 1_000_000_000 / unitNanos
        let (total, overflow) = (days * 86_400 + seconds).multipliedReportingOverflow(by: perSecond)
        guard !overflow else { return nil }
        let (result, overflow2) = total.addingReportingOverflow(nanos / unitNanos)
        return overflow2 ? nil : result
    }

    /// `HH:MM:SS[.fffffffff]` → (seconds of the day, nanoseconds).
    static func parseClock(_ text: Substring) -> (Int64, Int64)? {
        let main = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let hms = main[0].split(separator: ":", omittingEmptySubsequences: false)
        guard hms.count == 3, hms.allSatisfy({ $0.count == 2 }),
              let h = Int64(hms[0]), let m = Int64(hms[1]), let s = Int64(hms[2]),
              (0...23).contains(h), (0...59).contains(m), (0...59).contains(s) else { return nil }
        var nanos: Int64 = 0
        if main.count == 2 {
            let fraction = main[1]
            guard (1...9).contains(fraction.count), fraction.allSatisfy(\.isASCII), let f = Int64(fraction), f >= 0 else { return nil }
            nanos = f
            for _ in fraction.count..<9 { nanos *= 10 }
        }
        return (h * 3600 + m * 60 + s, nanos)
    }
}
