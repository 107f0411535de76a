/// A number of bytes given in a table option, mirroring `org.apache.paimon.options.MemorySize`.
///
/// ``parse(_:subject:)`` follows `MemorySize.parseBytes`: surrounding white space is ignored; the text is decimal
/// digits (no sign, no fraction) then an optional unit, case-insensitive and optionally separated by spaces:
/// `b`/`bytes`, `k`/`kb`/`kibibytes`, `m`/`mb`/`mebibytes`, `g`/`gb`/`gibibytes`, `t`/`tb`/`tebibytes`, all powers
/// of 1024. No unit means bytes. `256 mb`, `128MB`, `64 kb` and `500 B` are valid; the result must fit an Int64.
public struct MemorySize: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var bytes: Int64

    public init(bytes: Int64) { self.bytes = bytes }

    public static func ofMebiBytes(_ n: Int64) -> MemorySize { MemorySize(bytes: n * 1024 * 1024) }
    public static func ofKibiBytes(_ n: Int64) -> MemorySize { MemorySize(bytes: n * 1024) }

    public static func < (lhs: MemorySize, rhs: MemorySize) -> Bool { lhs.bytes < rhs.bytes }

    public var description: String { "\(bytes) bytes" }

    static let units: [(labels: [String], multiplier: Int64)] = [
        (["b", "bytes"], 1),
        (["k", "kb", "kibibytes"], 1 << 10),
        (["m", "mb", "mebibytes"], 1 << 20),
        (["g", "gb", "gibibytes"], 1 << 30),
        (["t", "tb", "tebibytes"], 1 << 40),
    ]

    /// Parses `text`; `subject` names the option in errors.
    public static func parse(_ text: String, subject: String = "memory size") throws(PaimonFormatError) -> MemorySize {
        guard text.utf8.count <= 64 else { throw PaimonFormatError(subject, "'\(text.prefix(64))…' is too long for a memory size") }
        let trimmed = TimeUtils.javaTrim(text)
        guard !trimmed.isEmpty else { throw PaimonFormatError(subject, "the memory size is empty or white space only") }
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { throw PaimonFormatError(subject, "'\(text)' does not start with a number") }
        guard let value = Int64(digits) else {
            throw PaimonFormatError(subject, "the value '\(digits)' cannot be represented as a 64-bit number (numeric overflow)")
        }
        let unit = TimeUtils.javaTrim(String(trimmed.dropFirst(digits.count))).lowercased()
        var multiplier: Int64 = 1
        if !unit.isEmpty {
            guard let match = units.first(where: { $0.labels.contains(unit) }) else {
                throw PaimonFormatError(
                    subject,
                    "memory size unit '\(unit)' does not match any of the recognized units: "
                        + units.map { "(" + $0.labels.joined(separator: " | ") + ")" }.joined(separator: " / "))
            }
            multiplier = match.multiplier
        }
        let (result, overflow) = value.multipliedReportingOverflow(by: multiplier)
        guard !overflow else {
            throw PaimonFormatError(subject, "the value '\(text)' cannot be represented as a 64-bit number of bytes (numeric overflow)")
        }
        return MemorySize(bytes: result)
    }
}
