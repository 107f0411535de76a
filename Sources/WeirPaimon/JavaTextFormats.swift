/// Java's `toString` texts of the values Paimon puts in partition directory names (spec/paimon-format.md section
/// 1.3), and the parsers for the reverse direction. Pure arithmetic, proleptic Gregorian calendar, UTC.
public enum JavaTextFormats {
    // MARK: calendar

    /// Year, month, day of `days` since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days since 1970-01-01 of a civil date (`days_from_civil`).
    static func days(year: Int64, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func daysInMonth(year: Int64, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// `java.time.LocalDate#toString`: `yyyy-MM-dd`, years below 1000 zero-padded to 4 digits, years above 9999
    /// with a `+`.
    public static func localDateString(days: Int64) -> String {
        let (year, month, day) = civil(fromDays: days)
        var text: String
        if abs(year) < 1000 {
            text = (year < 0 ? "-" : "") + String(abs(year)).leftPadded(4)
        } else {
            text = (year > 9999 ? "+" : "") + String(year)
        }
        text += "-" + two(month) + "-" + two(day)
        return text
    }

    /// `java.time.LocalDateTime#toString` of epoch millis plus nano-of-millisecond (what Paimon's
    /// `Timestamp#toString` prints): `yyyy-MM-ddTHH:mm`, then `:ss` when seconds or fraction are non-zero, then the
    /// fraction as 3, 6 or 9 digits, the shortest that is exact.
    public static func localDateTimeString(epochMillis: Int64, nanoOfMillisecond: Int32) -> String {
        let (days, millisOfDay) = BinarySection.floorDivMod(epochMillis, 86_400_000)
        let nano = Int(millisOfDay % 1000) * 1_000_000 + Int(nanoOfMillisecond)
        let secondOfDay = Int(millisOfDay / 1000)
        let hour = secondOfDay / 3600, minute = secondOfDay / 60 % 60, second = secondOfDay % 60
        var text = localDateString(days: days) + "T" + two(hour) + ":" + two(minute)
        if second > 0 || nano > 0 {
            text += ":" + two(second)
            if nano > 0 {
                if nano % 1_000_000 == 0 {
                    text += "." + String(nano / 1_000_000).leftPadded(3)
                } else if nano % 1000 == 0 {
                    text += "." + String(nano / 1000).leftPadded(6)
                } else {
                    text += "." + String(nano).leftPadded(9)
                }
            }
        }
        return text
    }

    /// Paimon's `DateTimeUtils.formatDate` (cast DATE → STRING): `yyyy-MM-dd` with a 4-digit year.
    public static func sqlDateString(days: Int64) -> String {
        let (year, month, day) = civil(fromDays: days)
        return (year < 0 ? "-" : "") + String(abs(year)).leftPadded(4) + "-" + two(month) + "-" + two(day)
    }

    /// Paimon's `DateTimeUtils.formatTimestamp(ts, precision)` (cast TIMESTAMP → STRING):
    /// `yyyy-MM-dd HH:mm:ss`, then `.` and the 9-digit fraction with trailing zeros removed while it is longer than
    /// `precision`.
    public static func sqlTimestampString(epochMillis: Int64, nanoOfMillisecond: Int32, precision: Int) -> String {
        let (days, millisOfDay) = BinarySection.floorDivMod(epochMillis, 86_400_000)
        let nano = Int(millisOfDay % 1000) * 1_000_000 + Int(nanoOfMillisecond)
        let secondOfDay = Int(millisOfDay / 1000)
        var fraction = String(nano).leftPadded(9)
        while fraction.count > precision && fraction.hasSuffix("0") { fraction.removeLast() }
        var text = sqlDateString(days: days) + " " + two(secondOfDay / 3600) + ":" + two(secondOfDay / 60 % 60) + ":" + two(secondOfDay % 60)
        if !fraction.isEmpty { text += "." + fraction }
        return text
    }

    /// Paimon's `DateTimeUtils.formatTimestampMillis(time, precision)` (cast TIME → STRING): `HH:mm:ss`, and for
    /// precision > 0 a fraction of at most `precision` digits that stops after the last non-zero digit (at least one).
    public static func sqlTimeString(millisOfDay: Int32, precision: Int) -> String {
        var time = Int(millisOfDay)
        while time < 0 { time += 86_400_000 }
        let h = time / 3_600_000, m = time % 3_600_000 / 60_000, s = time % 60_000 / 1000
        var ms = time % 1000
        var text = two(h) + ":" + two(m) + ":" + two(s)
        if precision > 0 {
            text += "."
            var remaining = precision
            while remaining > 0 {
                text += String(ms / 100)
                ms = ms % 100 * 10
                if ms == 0 { break }
                remaining -= 1
            }
        }
        return text
    }

    /// `BigDecimal#toPlainString` of `unscaled × 10^-scale` (scale ≥ 0).
    public static func plainDecimalString(unscaled: Int128, scale: Int) -> String {
        let negative = unscaled < 0
        var digits = String(unscaled.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return (negative ? "-" : "") + digits
    }

    /// Java `Double.toString` (JDK 19+ shortest-digits algorithm; Swift's shortest round-trip digits): plain
    /// notation with at least one fraction digit for 10^-3 ≤ |v| < 10^7, else `d.dddE±n`. Known differences: for
    /// subnormal values whose shortest form has one digit Java picks the closest two-digit form (`4.9E-324`, here
    /// `5.0E-324`), and JDKs before 19 print more digits than needed for a few values.
    public static func doubleString(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        return javaFloatingText(value.description, magnitude: value.magnitude)
    }

    /// Java `Float.toString`, as ``doubleString(_:)`` for 32-bit floats.
    public static func floatString(_ value: Float) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        return javaFloatingText(value.description, magnitude: Double(value.magnitude))
    }

    /// Reformats Swift's shortest description (`1e-05`, `12.5`, `1.2345e+20`) the way Java prints the same digits.
    static func javaFloatingText(_ swiftText: String, magnitude: Double) -> String {
        var text = Substring(swiftText)
        let negative = text.hasPrefix("-")
        if negative { text = text.dropFirst() }
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...])!
            text = text[..<e]
        }
        // digits d1 d2 … with the decimal point after `pointPosition` digits, times 10^exponent.
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integerPart = String(parts[0]), fractionPart = parts.count > 1 ? String(parts[1]) : ""
        var digits = integerPart + fractionPart
        var pointPosition = integerPart.count + exponent
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        var out = negative ? "-" : ""
        if magnitude >= 1e-3 && magnitude < 1e7 {
            if pointPosition <= 0 {
                out += "0." + String(repeating: "0", count: -pointPosition) + digits
            } else if pointPosition >= digits.count {
                out += digits + String(repeating: "0", count: pointPosition - digits.count) + ".0"
            } else {
                let index = digits.index(digits.startIndex, offsetBy: pointPosition)
                out += String(digits[..<index])
                out += "."
                out += String(digits[index...])
            }
        } else {
            let first = String(digits.prefix(1)), rest = String(digits.dropFirst())
            out += first + "." + (rest.isEmpty ? "0" : rest) + "E" + String(pointPosition - 1)
        }
        return out
    }

    // MARK: parsing back

    /// `yyyy-MM-dd` (also `-yyyy…` and `+yyyyy…`) → days since the epoch; nil when malformed or not a real date.
    static func parseDate(_ text: Substring) -> Int64? {
        var body = text
        var sign: Int64 = 1
        if body.first == "-" { sign = -1; body = body.dropFirst() } else if body.first == "+" { body = body.dropFirst() }
        let parts = body.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count >= 4, parts[0].count <= 9, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int64(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1, d <= daysInMonth(year: sign * y, month: m)
        else { return nil }
        return days(year: sign * y, month: m, day: d)
    }

    /// `HH:mm[:ss[.fffffffff]]` → nanoseconds of the day; nil when malformed.
    static func parseTimeOfDay(_ text: Substring) -> Int64? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return nil }
        guard parts[0].count == 2, parts[1].count == 2, let h = Int64(parts[0]), let m = Int64(parts[1]),
              (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        var seconds: Int64 = 0, nanos: Int64 = 0
        if parts.count == 3 {
            let secondParts = parts[2].split(separator: ".", omittingEmptySubsequences: false)
            guard secondParts.count <= 2, secondParts[0].count == 2, let s = Int64(secondParts[0]), (0..<60).contains(s) else { return nil }
            seconds = s
            if secondParts.count == 2 {
                let fraction = secondParts[1]
                guard (1...9).contains(fraction.count), fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
                nanos = Int64(fraction + String(repeating: "0", count: 9 - fraction.count))!
            }
        }
        return ((h * 60 + m) * 60 + seconds) * 1_000_000_000 + nanos
    }

    /// `yyyy-MM-ddTHH:mm[:ss[.f…]]` or with a space instead of `T` → (epoch millis, nano-of-millisecond).
    static func parseLocalDateTime(_ text: String) -> (millis: Int64, nanoOfMilli: Int32)? {
        guard let separator = text.firstIndex(where: { $0 == "T" || $0 == " " }),
              let days = parseDate(text[..<separator]),
              let nanosOfDay = parseTimeOfDay(text[text.index(after: separator)...]) else { return nil }
        let (dayMillis, overflow) = days.multipliedReportingOverflow(by: 86_400_000)
        guard !overflow else { return nil }
        let (millis, overflow2) = dayMillis.addingReportingOverflow(nanosOfDay / 1_000_000)
        guard !overflow2 else { return nil }
        return (millis, Int32(nanosOfDay % 1_000_000))
    }

    /// A plain or exponent decimal text as an unscaled value at `scale` with at most `precision` digits; nil when
    /// malformed or not exact.
    static func parseDecimal(_ text: String, precision: Int, scale: Int) -> Int128? {
        var body = Substring(text)
        var negative = false
        if body.first == "-" { negative = true; body = body.dropFirst() } else if body.first == "+" { body = body.dropFirst() }
        var exponent = 0
        if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let x = Int(body[body.index(after: e)...]), abs(x) <= 100 else { return nil }
            exponent = x
            body = body[..<e]
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, !(parts[0].isEmpty && (parts.count == 1 || parts[1].isEmpty)) else { return nil }
        let digits = parts[0] + (parts.count == 2 ? parts[1] : "")
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let trimmed = digits.drop { $0 == "0" }
        guard trimmed.count <= 38 else { return nil }
        let magnitude = trimmed.isEmpty ? Int128(0) : Int128(String(trimmed))!
        let fromScale = (parts.count == 2 ? parts[1].count : 0) - exponent
        var unscaled = negative ? -magnitude : magnitude
        var from = fromScale
        if from < 0 {
            guard -from <= 38, let shifted = BinarySection.rescale(unscaled, from: 0, to: -from, precision: 38) else { return nil }
            unscaled = shifted
            from = 0
        }
        guard from <= 38 else { return nil }
        return BinarySection.rescale(unscaled, from: from, to: scale, precision: precision)
    }
}
