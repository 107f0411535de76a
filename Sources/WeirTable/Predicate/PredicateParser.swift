import WeirColumnar
import WeirTextFormats

/// Parses the filter language of `weir table scan --where`: comparisons of a column with a literal
/// (`=`, `!=`, `<>`, `<`, `<=`, `>`, `>=`), `IS [NOT] NULL`, `[NOT] IN (…)`, `BETWEEN a AND b`, combined with
/// `AND`, `OR`, `NOT` and parentheses; keywords are case-insensitive. Column names are bare identifiers or
/// double-quoted/backquoted; literals are numbers, `'text'` (SQL quoting: `''` inside), `TRUE`, `FALSE`.
/// A literal is read as the column's type with the value encoding of ``ValueParser`` (`'2024-01-01'` for a
/// DATE, `'12.30'` or `12.30` for a DECIMAL).
///
/// Limits: `expressionBytesMax` of text, `nestingDepthMax` levels of parentheses/NOT, `inListCountMax`
/// literals per IN list. Errors name the byte offset and what was expected.
public struct PredicateParser: Sendable {
    public static let expressionBytesMax = 64 << 10
    public static let nestingDepthMax = 64
    public static let inListCountMax = 10_000

    public let fields: [DataField]

    public init(fields: [DataField]) { self.fields = fields }

    public func parse(_ text: String) throws(TableError) -> Predicate {
        guard text.utf8.count <= Self.expressionBytesMax else {
            throw TableError(.invalidInput, "--where", "the expression is longer than \(Self.expressionBytesMax) bytes")
        }
        var state = State(tokens: try Self.tokenize(text), fields: fields)
        let predicate = try state.parseOr(depth: 0)
        guard state.position == state.tokens.count else {
            throw state.error("unexpected \(state.tokens[state.position].text)")
        }
        return predicate
    }

    enum TokenKind: Equatable { case word, quotedName, string, number, symbol }

    struct Token {
        var kind: TokenKind
        var text: String
        var offset: Int

        func isKeyword(_ word: String) -> Bool { kind == .word && text.uppercased() == word }
    }

    static func tokenize(_ text: String) throws(TableError) -> [Token] {
        let bytes = Array(text.utf8)
        var tokens: [Token] = []
        var i = 0
        func fail(_ message: String) -> TableError { TableError(.invalidInput, "--where", "at offset \(i): \(message)") }
        while i < bytes.count {
            let b = bytes[i]
            let start = i
            switch b {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                i += 1
            case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
                var content: [UInt8] = []
                i += 1
                var closed = false
                while i < bytes.count {
                    if bytes[i] == b {
                        if i + 1 < bytes.count && bytes[i + 1] == b { content.append(b); i += 2; continue }
                        i += 1
                        closed = true
                        break
                    }
                    content.append(bytes[i])
                    i += 1
                }
                guard closed else { i = start; throw fail("unterminated \(Character(Unicode.Scalar(b))) quote") }
                tokens.append(Token(kind: b == UInt8(ascii: "'") ? .string : .quotedName,
                                    text: String(decoding: content, as: UTF8.self), offset: start))
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: "="):
                tokens.append(Token(kind: .symbol, text: String(Character(Unicode.Scalar(b))), offset: start))
                i += 1
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "!"):
                var op = String(Character(Unicode.Scalar(b)))
                i += 1
                if i < bytes.count && (bytes[i] == UInt8(ascii: "=") || (b == UInt8(ascii: "<") && bytes[i] == UInt8(ascii: ">"))) {
                    op.append(Character(Unicode.Scalar(bytes[i])))
                    i += 1
                }
                guard op != "!" else { i = start; throw fail("expected != ") }
                tokens.append(Token(kind: .symbol, text: op, offset: start))
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
                i += 1
                while i < bytes.count, isNumberByte(bytes[i]) || ((bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+"))
                                                                   && (bytes[i - 1] | 0x20) == UInt8(ascii: "e")) {
                    i += 1
                }
                tokens.append(Token(kind: .number, text: String(decoding: bytes[start..<i], as: UTF8.self), offset: start))
            default:
                guard isWordByte(b) else { throw fail("unexpected character \(String(decoding: [b], as: UTF8.self).debugDescription)") }
                while i < bytes.count, isWordByte(bytes[i]) || (bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9")) { i += 1 }
                tokens.append(Token(kind: .word, text: String(decoding: bytes[start..<i], as: UTF8.self), offset: start))
            }
        }
        return tokens
    }

    static func isNumberByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: ".") || b | 0x20 == UInt8(ascii: "e")
    }

    static func isWordByte(_ b: UInt8) -> Bool {
        (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z")) || b == UInt8(ascii: "_") || b >= 0x80
    }

    struct State {
        var tokens: [Token]
        var fields: [DataField]
        var position = 0

        var current: Token? { position < tokens.count ? tokens[position] : nil }

        func error(_ message: String) -> TableError {
            let offset = current?.offset ?? tokens.last.map { $0.offset + $0.text.utf8.count } ?? 0
            return TableError(.invalidInput, "--where", "at offset \(offset): \(message)")
        }

        mutating func accept(keyword: String) -> Bool {
            guard let token = current, token.isKeyword(keyword) else { return false }
            position += 1
            return true
        }

        mutating func accept(symbol: String) -> Bool {
            guard let token = current, token.kind == .symbol, token.text == symbol else { return false }
            position += 1
            return true
        }

        mutating func expect(symbol: String) throws(TableError) {
            guard accept(symbol: symbol) else { throw error("expected \(symbol)") }
        }

        mutating func parseOr(depth: Int) throws(TableError) -> Predicate {
            var children = [try parseAnd(depth: depth)]
            while accept(keyword: "OR") { children.append(try parseAnd(depth: depth)) }
            return children.count == 1 ? children[0] : .or(children)
        }

        mutating func parseAnd(depth: Int) throws(TableError) -> Predicate {
            var children = [try parseUnary(depth: depth)]
            while accept(keyword: "AND") { children.append(try parseUnary(depth: depth)) }
            return children.count == 1 ? children[0] : .and(children)
        }

        mutating func parseUnary(depth: Int) throws(TableError) -> Predicate {
            guard depth < PredicateParser.nestingDepthMax else {
                throw error("nested deeper than \(PredicateParser.nestingDepthMax) levels")
            }
            if accept(keyword: "NOT") { return .not(try parseUnary(depth: depth + 1)) }
            if accept(symbol: "(") {
                let inner = try parseOr(depth: depth + 1)
                try expect(symbol: ")")
                return inner
            }
            return try parseLeaf()
        }

        mutating func parseLeaf() throws(TableError) -> Predicate {
            guard let token = current, token.kind == .word || token.kind == .quotedName else {
                throw error(current == nil ? "expected a column name at the end" : "expected a column name, found \(current!.text)")
            }
            guard let index = fields.firstIndex(where: { $0.name == token.text }) else {
                throw error("no column named \(token.text.debugDescription) (columns: \(fields.map(\.name).joined(separator: ", ")))")
            }
            position += 1
            if accept(keyword: "IS") {
                let negated = accept(keyword: "NOT")
                guard accept(keyword: "NULL") else { throw error("expected NULL after IS") }
                return negated ? .isNotNull(field: index) : .isNull(field: index)
            }
            let notIn = accept(keyword: "NOT")
            if accept(keyword: "IN") {
                try expect(symbol: "(")
                var literals: [Value] = []
                repeat {
                    guard literals.count < PredicateParser.inListCountMax else {
                        throw error("more than \(PredicateParser.inListCountMax) values in IN (…)")
                    }
                    literals.append(try parseLiteral(for: fields[index]))
                } while accept(symbol: ",")
                try expect(symbol: ")")
                return notIn ? .not(.isIn(field: index, literals)) : .isIn(field: index, literals)
            }
            if accept(keyword: "BETWEEN") {
                let low = try parseLiteral(for: fields[index])
                guard accept(keyword: "AND") else { throw error("expected AND in BETWEEN") }
                let high = try parseLiteral(for: fields[index])
                let between = Predicate.and([.compare(field: index, .greaterOrEqual, low), .compare(field: index, .lessOrEqual, high)])
                return notIn ? .not(between) : between
            }
            guard !notIn else { throw error("expected IN or BETWEEN after NOT") }
            guard let opToken = current, opToken.kind == .symbol,
                  let op = opToken.text == "<>" ? .notEqual : Predicate.Comparison(rawValue: opToken.text) else {
                throw error("expected a comparison (=, !=, <, <=, >, >=), IS, IN or BETWEEN after \(token.text)")
            }
            position += 1
            return .compare(field: index, op, try parseLiteral(for: fields[index]))
        }

        mutating func parseLiteral(for field: DataField) throws(TableError) -> Value {
            guard let token = current else { throw error("expected a value for column \(field.name)") }
            if token.isKeyword("NULL") { throw error("comparisons with NULL are never true; use IS NULL or IS NOT NULL") }
            let text: String
            switch token.kind {
            case .string, .number: text = token.text
            case .word where token.isKeyword("TRUE") || token.isKeyword("FALSE"): text = token.text.lowercased()
            default: throw error("expected a value for column \(field.name), found \(token.text)")
            }
            do {
                let value = try ValueParser.parse(Substring(text), as: field.type)
                position += 1
                return value
            } catch {
                throw self.error("column \(field.name): \(error.description)")
            }
        }
    }
}
