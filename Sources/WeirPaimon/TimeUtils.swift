/// Durations in table options, mirroring `org.apache.paimon.utils.TimeUtils#parseDuration`.
///
/// Surrounding white space is ignored; the text is decimal digits (no sign) then an optional unit label,
/// case-insensitive, optionally separated by spaces. No unit means milliseconds. Labels:
/// `d`/`day`/`days`, `h`/`hour`/`hours`, `min`/`m`/`minute`/`minutes`, `s`/`sec`/`secs`/`second`/`seconds`,
/// `ms`/`milli`/`millis`/`millisecond`/`milliseconds`, `µs`/`micro`/`micros`/`microsecond`/`microseconds`,
/// `ns`/`nano`/`nanos`/`nanosecond`/`nanoseconds`. So `1 h`, `30 min`, `10s` and `500` (ms) are valid.
public enum TimeUtils {
    static let labels: [(labels: [String], unit: Unit)] = [
        (["d", "day", "days"], .days),
        (["h", "hour", "hours"], .hours),
        (["min", "m", "minute", "minutes"], .minutes),
        (["s", "sec", "secs", "second", "seconds"], .seconds),
        (["ms", "milli", "millis", "millisecond", "milliseconds"], .millis),
        (["µs", "micro", "micros", "microsecond", "microseconds"], .micros),
        (["ns", "nano", "nanos", "nanosecond", "nanoseconds"], .nanos),
    ]

    enum Unit { case days, hours, minutes, seconds, millis, micros, nanos }

    /// Parses a duration; `subject` names the option in errors. Values whose seconds overflow an Int64 (Java's
    /// `ArithmeticException`) are errors.
    public static func parseDuration(_ text: String, subject: String = "duration") throws(PaimonFormatError) -> Duration {
        guard text.utf8.count <= 64 else { throw PaimonFormatError(subject, "'\(text.prefix(64))…' is too long for a duration") }
        let trimmed = javaTrim(text)
        guard !trimmed.isEmpty else { throw PaimonFormatError(subject, "the duration is empty or white space only") }
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { throw PaimonFormatError(subject, "'\(text)' does not start with a number") }
        guard let value = Int64(digits) else {
            throw PaimonFormatError(subject, "the value '\(digits)' cannot be represented as a 64-bit number (numeric overflow)")
        }
        let label = javaTrim(String(trimmed.dropFirst(digits.count))).lowercased()
        if label.isEmpty { return .milliseconds(value) }
        guard let unit = labels.first(where: { $0.labels.contains(label) })?.unit else {
            throw PaimonFormatError(
                subject,
                "time interval unit label '\(label)' does not match any of the recognized units: "
                    + labels.map { "(" + $0.labels.joined(separator: " | ") + ")" }.joined(separator: ", "))
        }
        func seconds(_ factor: Int64) throws(PaimonFormatError) -> Duration {
            let (s, overflow) = value.multipliedReportingOverflow(by: factor)
            guard !overflow else { throw PaimonFormatError(subject, "'\(text)' overflows a duration") }
            return .seconds(s)
        }
        switch unit {
        case .days: return try seconds(86_400)
        case .hours: return try seconds(3_600)
        case .minutes: return try seconds(60)
        case .seconds: return .seconds(value)
        case .millis: return .milliseconds(value)
        case .micros: return .microseconds(value)
        case .nanos: return .nanoseconds(value)
        }
    }

    /// Whole milliseconds of `duration` (truncated toward zero; Java's `Duration.toMillis`, which floors for
    /// negative values, agrees for the non-negative durations options hold).
    public static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds &* 1000 &+ attoseconds / 1_000_000_000_000_000
    }

    /// Java `String.trim()`: drops leading and trailing characters ≤ U+0020.
    static func javaTrim(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { $0.value > 0x20 }) else { return "" }
        let last = scalars.lastIndex(where: { $0.value > 0x20 })!
        return String(scalars[first...last])
    }
}
