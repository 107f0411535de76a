import WeirColumnar
import WeirPaimon

/// Option helpers shared by the merge functions' factories: reading `CoreOptions` with errors as
/// ``TableError`` and the per-field `fields.<field>.<name>` options that `CoreOptions` does not type
/// (Java's `CoreOptions.fieldNestedUpdateAggNestedKey` and friends).
enum MergeOptions {
    /// Runs an option accessor, turning a bad option value into an `.invalidTable` error.
    static func read<T>(_ body: () throws(PaimonFormatError) -> T) throws(TableError) -> T {
        do throws(PaimonFormatError) {
            return try body()
        } catch {
            throw TableError.format(error, kind: .invalidTable)
        }
    }

    /// `fields.<field>.<suffix>`.
    static func fieldKey(_ field: String, _ suffix: String) -> String {
        "\(CoreOptions.fieldsPrefix).\(field).\(suffix)"
    }

    /// The raw value of `fields.<field>.<suffix>`.
    static func fieldOption(_ options: CoreOptions, _ field: String, _ suffix: String) -> String? {
        options.options[fieldKey(field, suffix)]
    }

    /// A comma-separated list option, each item trimmed (Java's `split(",")` then `String::trim`); nil → [].
    static func list(_ text: String?) -> [String] {
        guard let text else { return [] }
        return text.split(separator: ",", omittingEmptySubsequences: false).map { javaTrim($0) }
    }

    /// Java's `String.trim`: drops characters up to U+0020 at both ends.
    static func javaTrim(_ text: Substring) -> String {
        let isTrimmed = { (c: Unicode.Scalar) in c.value <= 0x20 }
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { !isTrimmed($0) }), let end = scalars.lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return String(scalars[start...end])
    }

    /// `fields.<field>.count-limit` (default `Int32.max`, `Integer.parseInt` syntax).
    static func countLimit(_ options: CoreOptions, _ field: String) throws(TableError) -> Int {
        let option = ConfigOption<Int32>(key: fieldKey(field, "count-limit"), default: Int32.max, parse: ConfigOption<Int32>.int32)
        return Int(try read { () throws(PaimonFormatError) in try options.get(option) ?? Int32.max })
    }

    /// `fields.<field>.nested-key-null-strategy` (default `merge`).
    static func nestedKeyNullStrategy(_ options: CoreOptions, _ field: String) throws(TableError) -> NestedKeyNullStrategy {
        let option = ConfigOption<NestedKeyNullStrategy>.enumeration(fieldKey(field, "nested-key-null-strategy"), default: .merge)
        return try read { () throws(PaimonFormatError) in try options.get(option) ?? .merge }
    }

    /// The subject of errors about one field's configuration or values.
    static func fieldSubject(_ field: String) -> String { "field '\(field)'" }
}

/// `CoreOptions.NestedKeyNullStrategy`: what `nested_update` and `nested_partial_update` do with a nested row
/// whose nested key has a null.
enum NestedKeyNullStrategy: String, OptionEnum {
    /// Merge such rows anyway (the null is part of the key).
    case merge
    /// Drop such rows.
    case ignore
    /// Fail the merge.
    case error
}
