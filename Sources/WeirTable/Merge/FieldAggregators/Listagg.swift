import WeirColumnar

/// `listagg` (`FieldListaggAgg`): joins strings with `fields.<f>.list-agg-delimiter` (default `,`).
///
/// - A null or blank input (only Java whitespace) leaves the accumulator unchanged; a null or blank accumulator
///   is replaced by the input as it is.
/// - With `fields.<f>.distinct`, the input is split on the whole delimiter (an empty delimiter splits on a space)
///   and only tokens that are not blank and not yet among the accumulator's tokens are appended; the
///   accumulator itself is not de-duplicated.
/// - No retraction.
struct Listagg: Sendable {
    let delimiter: String
    let distinct: Bool

    func agg(_ acc: Value, _ input: Value, _ aggregator: FieldAggregator) throws(TableError) -> Value {
        guard case .string(let incoming) = input, !Self.isBlank(incoming) else {
            if input == .null { return acc }
            if case .string = input { return acc }
            throw aggregator.mismatch(input)
        }
        guard case .string(let current) = acc, !Self.isBlank(current) else {
            if acc == .null { return input }
            if case .string = acc { return input }
            throw aggregator.mismatch(acc)
        }
        guard distinct else { return .string(current + delimiter + incoming) }
        let separator = Array((delimiter.isEmpty ? " " : delimiter).utf8)
        var existing = Set(Self.split(Array(current.utf8), on: separator))
        var result = Array(current.utf8)
        for token in Self.split(Array(incoming.utf8), on: separator) {
            guard !Self.isBlank(token), existing.insert(token).inserted else { continue }
            result.append(contentsOf: delimiter.utf8)
            result.append(contentsOf: token)
        }
        return .string(String(decoding: result, as: UTF8.self))
    }

    /// Apache Commons' `splitByWholeSeparatorPreserveAllTokens` on bytes: every occurrence of `separator`
    /// splits, empty tokens included (`"a,,b,"` → `a`, ``, `b`, ``); an empty string has no tokens.
    static func split(_ bytes: [UInt8], on separator: [UInt8]) -> [[UInt8]] {
        guard !bytes.isEmpty else { return [] }
        var tokens: [[UInt8]] = []
        var start = 0, i = 0
        while i + separator.count <= bytes.count {
            if bytes[i..<(i + separator.count)].elementsEqual(separator) {
                tokens.append(Array(bytes[start..<i]))
                i += separator.count
                start = i
            } else {
                i += 1
            }
        }
        tokens.append(Array(bytes[start...]))
        return tokens
    }

    /// `StringUtils.isBlank`: empty or only characters that Java's `Character.isWhitespace` accepts.
    static func isBlank(_ text: String) -> Bool { text.utf16.allSatisfy(isJavaWhitespace) }

    static func isBlank(_ utf8: [UInt8]) -> Bool { isBlank(String(decoding: utf8, as: UTF8.self)) }

    /// `Character.isWhitespace(char)`: the Unicode space, line and paragraph separators except the no-break
    /// spaces U+00A0, U+2007 and U+202F, plus U+0009…U+000D and U+001C…U+001F.
    static func isJavaWhitespace(_ unit: UInt16) -> Bool {
        switch unit {
        case 0x09...0x0D, 0x1C...0x20: return true
        case 0x1680, 0x2000...0x2006, 0x2008...0x200A, 0x2028, 0x2029, 0x205F, 0x3000: return true
        default: return false
        }
    }
}
