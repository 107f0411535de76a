/// A parsed JSON value (RFC 8259). Numbers keep their text, so a DECIMAL or a BIGINT converts exactly (no trip
/// through Double). Used for JSON Lines, schema documents and Paimon's schema and snapshot files.
/// Limits: nesting depth ``depthMax``; the input size is the caller's to bound. Errors are `CodecError`s of
/// codec "json" whose message starts with "invalid JSON at character N".
public indirect enum JSONNode: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Substring)
    case string(String)
    case array([JSONNode])
    /// Members in document order (duplicate names are an error).
    case object([(key: String, value: JSONNode)])

    public static let depthMax = 64

    /// The member named `key` of an object (nil for other values or a missing member).
    public subscript(key: String) -> JSONNode? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    public static func == (lhs: JSONNode, rhs: JSONNode) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// Parses one JSON document; trailing non-space text is an error.
    public static func parse(_ text: Substring) throws(CodecError) -> JSONNode {
        var parser = Parser(bytes: Array(text.utf8))
        let node = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.position == parser.bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return node
    }

    struct Parser {
        let bytes: [UInt8]
        var position = 0

        func error(_ message: String) -> CodecError { CodecError.corrupt("json", "invalid JSON at character \(position + 1): \(message)") }

        mutating func skipSpace() {
            while position < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[position]) { position += 1 }
        }

        mutating func value(depth: Int) throws(CodecError) -> JSONNode {
            guard depth < JSONNode.depthMax else { throw error("nested deeper than \(JSONNode.depthMax)") }
            skipSpace()
            guard position < bytes.count else { throw error("unexpected end") }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                position += 1
                var members: [(key: String, value: JSONNode)] = []
                var names = Set<String>()
                skipSpace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a member name") }
                    let key = try string()
                    guard names.insert(key).inserted else { throw error("duplicate member \"\(key)\"") }
                    skipSpace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected ':'") }
                    position += 1
                    members.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    guard position < bytes.count else { throw error("unexpected end in an object") }
                    if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                    if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
                    throw error("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                position += 1
                var items: [JSONNode] = []
                skipSpace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
                while true {
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard position < bytes.count else { throw error("unexpected end in an array") }
                    if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                    if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
                    throw error("expected ',' or ']'")
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default:
                return try number()
            }
        }

        mutating func literal(_ word: String) throws(CodecError) {
            let w = Array(word.utf8)
            guard position + w.count <= bytes.count, Array(bytes[position..<position + w.count]) == w else {
                throw error("unexpected character")
            }
            position += w.count
        }

        mutating func number() throws(CodecError) -> JSONNode {
            let start = position
            if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
            var digits = 0
            while position < bytes.count, (48...57).contains(bytes[position]) { position += 1; digits += 1 }
            guard digits > 0 else { throw error("unexpected character") }
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                position += 1
                var fraction = 0
                while position < bytes.count, (48...57).contains(bytes[position]) { position += 1; fraction += 1 }
                guard fraction > 0 else { throw error("a number needs digits after '.'") }
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
                position += 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
                var exponent = 0
                while position < bytes.count, (48...57).contains(bytes[position]) { position += 1; exponent += 1 }
                guard exponent > 0 else { throw error("a number needs digits in its exponent") }
            }
            return .number(Substring(String(decoding: bytes[start..<position], as: UTF8.self)))
        }

        mutating func string() throws(CodecError) -> String {
            position += 1  // opening quote
            var out = [UInt8]()
            while true {
                guard position < bytes.count else { throw error("unterminated string") }
                let byte = bytes[position]
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard position < bytes.count else { throw error("unterminated escape") }
                    let escape = bytes[position]
                    position += 1
                    switch escape {
                    case UInt8(ascii: "\""): out.append(0x22)
                    case UInt8(ascii: "\\"): out.append(0x5c)
                    case UInt8(ascii: "/"): out.append(0x2f)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0c)
                    case UInt8(ascii: "n"): out.append(0x0a)
                    case UInt8(ascii: "r"): out.append(0x0d)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if (0xd800...0xdbff).contains(scalar) {
                            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                                throw error("a lone surrogate in \\u escapes")
                            }
                            position += 2
                            let low = try hex4()
                            guard (0xdc00...0xdfff).contains(low) else { throw error("a bad surrogate pair") }
                            scalar = 0x10000 + ((scalar - 0xd800) << 10) + (low - 0xdc00)
                        }
                        guard let unicode = Unicode.Scalar(scalar) else { throw error("\\u escape is not a character") }
                        out.append(contentsOf: Array(String(Character(unicode)).utf8))
                    default:
                        throw error("unknown escape")
                    }
                default:
                    guard byte >= 0x20 else { throw error("a control character inside a string") }
                    out.append(byte)
                }
            }
        }

        mutating func hex4() throws(CodecError) -> UInt32 {
            guard position + 4 <= bytes.count else { throw error("short \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[position]
                position += 1
                let digit: UInt32
                switch c {
                case 48...57: digit = UInt32(c - 48)
                case 97...102: digit = UInt32(c - 87)
                case 65...70: digit = UInt32(c - 55)
                default: throw error("bad hex digit in \\u escape")
                }
                value = value << 4 | digit
            }
            return value
        }
    }
}
