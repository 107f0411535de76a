/// A small, bounded XML reader for S3 response bodies (no FoundationXML, no DTDs).
///
/// Accepts well-formed XML 1.0 documents in UTF-8 with: an optional declaration, comments and processing
/// instructions, elements with attributes (parsed and checked, kept but unused), character data with the five
/// predefined entities and numeric character references, and CDATA sections. Rejects, with
/// ``FileIOError/Kind/protocolError`` naming `context`: documents over ``documentBytesMax``, nesting deeper than
/// ``depthMax``, a DOCTYPE (so no entity expansion is possible), unknown entities, characters XML forbids,
/// invalid UTF-8, mismatched or unclosed tags and anything after the root element except comments and whitespace.
///
/// Element names keep only their local part (`s3:Key` is `Key`), since S3 documents use one default namespace.
public enum S3XML {
    /// The largest document accepted, in bytes.
    public static let documentBytesMax = 16 << 20
    /// The deepest element nesting accepted (S3 documents nest at most four levels).
    public static let depthMax = 32

    /// Parses `bytes` into its root element. `context` (a URL or path) names the document in errors.
    public static func parse(_ bytes: some Collection<UInt8>, context: String) throws(FileIOError) -> S3XMLElement {
        guard bytes.count <= documentBytesMax else {
            throw FileIOError(.protocolError, path: context, "XML document of \(bytes.count) bytes exceeds the \(documentBytesMax)-byte limit")
        }
        var parser = Parser(bytes: Array(bytes), context: context)
        return try parser.document()
    }

    /// Escapes `&`, `<`, `>`, `"` and `'` for use in character data or attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private struct Parser {
        let bytes: [UInt8]
        let context: String
        var index = 0

        init(bytes: [UInt8], context: String) {
            self.bytes = bytes
            self.context = context
        }

        mutating func document() throws(FileIOError) -> S3XMLElement {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
            try miscellany(allowDeclaration: true)
            guard index < bytes.count, bytes[index] == 0x3c else { throw fail("expected the root element") }
            let root = try element(depth: 1)
            try miscellany(allowDeclaration: false)
            guard index == bytes.count else { throw fail("content after the root element") }
            return root
        }

        /// Whitespace, comments and processing instructions (and at the start the XML declaration).
        mutating func miscellany(allowDeclaration: Bool) throws(FileIOError) {
            while true {
                skipWhitespace()
                if looking(at: "<?") {
                    try processingInstruction()
                } else if looking(at: "<!--") {
                    try comment()
                } else if looking(at: "<!") {
                    throw fail("DOCTYPE and other declarations are not accepted")
                } else {
                    return
                }
            }
        }

        mutating func element(depth: Int) throws(FileIOError) -> S3XMLElement {
            guard depth <= S3XML.depthMax else { throw fail("elements nested deeper than \(S3XML.depthMax) levels") }
            index += 1  // "<"
            let qualifiedName = try name()
            var node = S3XMLElement(name: Self.localName(qualifiedName))
            // Attributes.
            while true {
                let hadSpace = skipWhitespace()
                guard index < bytes.count else { throw fail("unterminated start tag <\(qualifiedName)>") }
                if bytes[index] == 0x2f {  // "/>"
                    guard index + 1 < bytes.count, bytes[index + 1] == 0x3e else { throw fail("expected '>' after '/'") }
                    index += 2
                    return node
                }
                if bytes[index] == 0x3e {
                    index += 1
                    break
                }
                guard hadSpace else { throw fail("expected whitespace before an attribute in <\(qualifiedName)>") }
                let attributeName = try name()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == 0x3d else { throw fail("expected '=' after attribute \(attributeName)") }
                index += 1
                skipWhitespace()
                guard index < bytes.count, bytes[index] == 0x22 || bytes[index] == 0x27 else {
                    throw fail("expected a quoted value for attribute \(attributeName)")
                }
                let quote = bytes[index]
                index += 1
                var value: [UInt8] = []
                while true {
                    guard index < bytes.count else { throw fail("unterminated attribute value") }
                    let b = bytes[index]
                    if b == quote { index += 1; break }
                    if b == 0x3c { throw fail("'<' in an attribute value") }
                    if b == 0x26 { try reference(into: &value); continue }
                    try checkCharacter(b)
                    value.append(b)
                    index += 1
                }
                node.attributes.append(S3Field(attributeName, try string(value)))
            }
            // Content.
            var text: [UInt8] = []
            while true {
                guard index < bytes.count else { throw fail("element <\(qualifiedName)> is not closed") }
                let b = bytes[index]
                if b == 0x3c {
                    if looking(at: "</") {
                        index += 2
                        let closing = try name()
                        guard closing == qualifiedName else { throw fail("</\(closing)> closes <\(qualifiedName)>") }
                        skipWhitespace()
                        guard index < bytes.count, bytes[index] == 0x3e else { throw fail("expected '>' in </\(closing)>") }
                        index += 1
                        node.text = try string(text)
                        return node
                    } else if looking(at: "<!--") {
                        try comment()
                    } else if looking(at: "<![CDATA[") {
                        index += 9
                        guard let end = find("]]>") else { throw fail("unterminated CDATA section") }
                        for i in index..<end { try checkCharacter(bytes[i]) }
                        text += bytes[index..<end]
                        index = end + 3
                    } else if looking(at: "<?") {
                        try processingInstruction()
                    } else if looking(at: "<!") {
                        throw fail("declarations are not accepted inside elements")
                    } else {
                        node.children.append(try element(depth: depth + 1))
                    }
                } else if b == 0x26 {
                    try reference(into: &text)
                } else {
                    try checkCharacter(b)
                    text.append(b)
                    index += 1
                }
            }
        }

        /// Decodes `&name;` or `&#N;` / `&#xH;` at `index` into UTF-8.
        mutating func reference(into out: inout [UInt8]) throws(FileIOError) {
            let start = index
            guard let semicolon = bytes[index...].prefix(12).firstIndex(of: 0x3b) else {
                throw fail("'&' without a terminated entity or character reference")
            }
            let body = Array(bytes[(start + 1)..<semicolon])
            index = semicolon + 1
            switch String(decoding: body, as: UTF8.self) {
            case "lt": out.append(0x3c)
            case "gt": out.append(0x3e)
            case "amp": out.append(0x26)
            case "quot": out.append(0x22)
            case "apos": out.append(0x27)
            default:
                guard body.first == 0x23 else {
                    throw fail("unknown entity &\(String(decoding: body, as: UTF8.self));")
                }
                let hex = body.count > 1 && body[1] == 0x78
                let digits = body.dropFirst(hex ? 2 : 1)
                guard !digits.isEmpty, digits.count <= 8 else { throw fail("malformed character reference") }
                var value: UInt32 = 0
                for d in digits {
                    let digit: UInt32
                    switch d {
                    case 0x30...0x39: digit = UInt32(d - 0x30)
                    case 0x61...0x66 where hex: digit = UInt32(d - 0x61 + 10)
                    case 0x41...0x46 where hex: digit = UInt32(d - 0x41 + 10)
                    default: throw fail("malformed character reference")
                    }
                    value = value * (hex ? 16 : 10) + digit
                }
                guard Self.isXMLCharacter(value), let scalar = Unicode.Scalar(value) else {
                    throw fail("character reference to U+\(String(value, radix: 16, uppercase: true)), which XML does not allow")
                }
                out += Array(String(Character(scalar)).utf8)
            }
        }

        mutating func comment() throws(FileIOError) {
            index += 4
            guard let end = find("-->") else { throw fail("unterminated comment") }
            index = end + 3
        }

        mutating func processingInstruction() throws(FileIOError) {
            index += 2
            guard let end = find("?>") else { throw fail("unterminated processing instruction") }
            index = end + 2
        }

        mutating func name() throws(FileIOError) -> String {
            let start = index
            while index < bytes.count {
                let b = bytes[index]
                if b == 0x20 || b == 0x09 || b == 0x0a || b == 0x0d || b == 0x2f || b == 0x3e || b == 0x3d
                    || b == 0x3c || b == 0x26 || b == 0x22 || b == 0x27 { break }
                index += 1
            }
            guard index > start, index - start <= 256 else { throw fail("missing or overlong name") }
            let first = bytes[start]
            guard !(first >= 0x30 && first <= 0x39) && first != 0x2d && first != 0x2e else {
                throw fail("a name starts with a digit, '-' or '.'")
            }
            return try string(Array(bytes[start..<index]))
        }

        @discardableResult
        mutating func skipWhitespace() -> Bool {
            let start = index
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0a || bytes[index] == 0x0d {
                index += 1
            }
            return index > start
        }

        func looking(at literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            let pointer = literal.utf8Start
            for i in 0..<count where bytes[index + i] != pointer[i] { return false }
            return true
        }

        /// The index where `literal` next occurs at or after `index`.
        func find(_ literal: StaticString) -> Int? {
            let count = literal.utf8CodeUnitCount
            let pointer = literal.utf8Start
            var i = index
            while i + count <= bytes.count {
                if bytes[i] == pointer[0] {
                    var match = true
                    for j in 1..<count where bytes[i + j] != pointer[j] { match = false; break }
                    if match { return i }
                }
                i += 1
            }
            return nil
        }

        /// Rejects control characters XML 1.0 forbids (everything below 0x20 except tab, LF and CR).
        func checkCharacter(_ b: UInt8) throws(FileIOError) {
            if b < 0x20 && b != 0x09 && b != 0x0a && b != 0x0d {
                throw fail("control character 0x\(String(b, radix: 16)) in the document")
            }
        }

        func string(_ utf8: [UInt8]) throws(FileIOError) -> String {
            guard let s = String(validating: utf8, as: UTF8.self) else { throw fail("text that is not valid UTF-8") }
            return s
        }

        func fail(_ message: String) -> FileIOError {
            FileIOError(.protocolError, path: context, "malformed XML at byte \(index): \(message)")
        }

        static func localName(_ name: String) -> String {
            guard let colon = name.lastIndex(of: ":") else { return name }
            return String(name[name.index(after: colon)...])
        }

        static func isXMLCharacter(_ v: UInt32) -> Bool {
            v == 0x9 || v == 0xA || v == 0xD || (0x20...0xD7FF).contains(v) || (0xE000...0xFFFD).contains(v)
                || (0x10000...0x10FFFF).contains(v)
        }
    }
}

/// One element of a parsed document: its local name, attributes, child elements and its own character data
/// (the text directly inside it, entities decoded, concatenated across children).
public struct S3XMLElement: Sendable, Equatable {
    public var name: String
    public var attributes: [S3Field] = []
    public var children: [S3XMLElement] = []
    public var text: String = ""

    public init(name: String, attributes: [S3Field] = [], children: [S3XMLElement] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// The first child named `name`.
    public func child(_ name: String) -> S3XMLElement? { children.first { $0.name == name } }

    /// Every child named `name`, in document order.
    public func children(_ name: String) -> [S3XMLElement] { children.filter { $0.name == name } }

    /// The text of the first child named `name`.
    public func text(of name: String) -> String? { child(name)?.text }
}
