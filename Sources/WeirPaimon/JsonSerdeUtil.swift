import WeirCodecs

/// The JSON side of Paimon's metadata files, mirroring `org.apache.paimon.utils.JsonSerdeUtil`.
///
/// Java writes schema and snapshot files with Jackson's `writerWithDefaultPrettyPrinter()`, so this type prints an
/// ordered ``Node`` tree exactly as Jackson's `DefaultPrettyPrinter` does:
///
/// - objects: `{`, newline, two spaces per nesting level, `"key" : value`, members separated by `,` + newline,
///   closing `}` on its own line at the outer level; an empty object is `{ }`;
/// - arrays are inline (Jackson's `FixedSpaceIndenter`): `[ 1, 2 ]`, `[ ]`, and an object inside an array opens on
///   the same line (`[ {` … `}, {` … `} ]`); arrays do not add indentation;
/// - strings escape `"`, `\`, and control characters (`\b \t \n \f \r`, others `\u00XX` with upper-case hex);
///   everything else, `/` and non-ASCII included, is written as is (UTF-8);
/// - no trailing newline; line feeds are `\n` (Java on Linux).
///
/// Reading goes through `WeirCodecs.JSONNode` (numbers keep their exact text) with ``ObjectReader`` for typed,
/// path-named access.
public enum JsonSerdeUtil {
    /// An ordered JSON value to print. Numbers are given as their final text (integers exactly).
    public indirect enum Node: Sendable, Equatable {
        case object([Member])
        case array([Node])
        case string(String)
        case number(String)
        case bool(Bool)
        case null

        public static func integer<I: BinaryInteger>(_ value: I) -> Node { .number(String(value)) }
    }

    /// One member of an object, in the order it is printed.
    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: Node
        public init(_ key: String, _ value: Node) {
            self.key = key
            self.value = value
        }
    }

    /// `JsonSerdeUtil.toJson`: the Jackson default-pretty-printed text of `node`.
    public static func toJson(_ node: Node) -> String {
        var out = ""
        write(node, nesting: 0, into: &out)
        return out
    }

    static func write(_ node: Node, nesting: Int, into out: inout String) {
        switch node {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let text): out += text
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            out += "["
            if items.isEmpty {
                out += " ]"
                return
            }
            for (index, item) in items.enumerated() {
                out += index == 0 ? " " : ", "
                write(item, nesting: nesting, into: &out)
            }
            out += " ]"
        case .object(let members):
            out += "{"
            if members.isEmpty {
                out += " }"
                return
            }
            for (index, member) in members.enumerated() {
                out += index == 0 ? "\n" : ",\n"
                out += String(repeating: "  ", count: nesting + 1)
                writeString(member.key, into: &out)
                out += " : "
                write(member.value, nesting: nesting + 1, into: &out)
            }
            out += "\n" + String(repeating: "  ", count: nesting) + "}"
        }
    }

    static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{09}": out += "\\t"
            case "\u{0A}": out += "\\n"
            case "\u{0C}": out += "\\f"
            case "\u{0D}": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    let hex = Array("0123456789ABCDEF")
                    out += "\\u00" + String(hex[Int(scalar.value >> 4)]) + String(hex[Int(scalar.value & 0xF)])
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    // MARK: reading

    /// Parses a whole JSON document of at most `bytesMax` bytes of UTF-8, naming `subject` in errors.
    public static func parse(_ bytes: [UInt8], subject: String, bytesMax: Int) throws(PaimonFormatError) -> JSONNode {
        guard bytes.count <= bytesMax else {
            throw PaimonFormatError(subject, "the document has \(bytes.count) bytes, more than the limit of \(bytesMax)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw PaimonFormatError(subject, "the document is not valid UTF-8")
        }
        do {
            return try JSONNode.parse(text[...])
        } catch {
            throw PaimonFormatError(subject, error.message)
        }
    }

    /// Typed access to the members of one JSON object; every error names the subject and the JSON path.
    /// Unknown members are ignored (Java's `FAIL_ON_UNKNOWN_PROPERTIES = false`).
    public struct ObjectReader {
        public let subject: String
        /// The path of this object inside the document, e.g. `fields[2].type`; empty for the root.
        public let path: String
        let members: [(key: String, value: JSONNode)]

        public init(_ node: JSONNode, subject: String, path: String = "") throws(PaimonFormatError) {
            guard case .object(let members) = node else {
                throw PaimonFormatError(subject, "\(path.isEmpty ? "the document" : path) must be a JSON object")
            }
            self.subject = subject
            self.path = path
            self.members = members
        }

        public func error(_ message: String) -> PaimonFormatError { PaimonFormatError(subject, message) }

        func where_(_ key: String) -> String { path.isEmpty ? "\"\(key)\"" : "\(path).\(key)" }

        /// The member `key`, nil when absent (a JSON `null` is returned as `.null`).
        public func member(_ key: String) -> JSONNode? { members.first { $0.key == key }?.value }

        public func has(_ key: String) -> Bool { member(key) != nil }

        public func required(_ key: String) throws(PaimonFormatError) -> JSONNode {
            guard let node = member(key) else { throw error("missing \(where_(key))") }
            return node
        }

        public func int64(_ key: String) throws(PaimonFormatError) -> Int64 {
            try Self.int64(try required(key), at: where_(key), subject: subject)
        }

        /// nil when the member is absent or JSON `null`.
        public func optionalInt64(_ key: String) throws(PaimonFormatError) -> Int64? {
            guard let node = member(key), node != .null else { return nil }
            return try Self.int64(node, at: where_(key), subject: subject)
        }

        public func int32(_ key: String) throws(PaimonFormatError) -> Int32 {
            let value = try int64(key)
            guard let narrow = Int32(exactly: value) else { throw error("\(where_(key)) = \(value) does not fit a 32-bit int") }
            return narrow
        }

        public func optionalInt32(_ key: String) throws(PaimonFormatError) -> Int32? {
            guard let value = try optionalInt64(key) else { return nil }
            guard let narrow = Int32(exactly: value) else { throw error("\(where_(key)) = \(value) does not fit a 32-bit int") }
            return narrow
        }

        public func string(_ key: String) throws(PaimonFormatError) -> String {
            guard case .string(let s) = try required(key) else { throw error("\(where_(key)) must be a string") }
            return s
        }

        /// nil when the member is absent or JSON `null`.
        public func optionalString(_ key: String) throws(PaimonFormatError) -> String? {
            guard let node = member(key) else { return nil }
            switch node {
            case .null: return nil
            case .string(let s): return s
            default: throw error("\(where_(key)) must be a string")
            }
        }

        /// An array of strings (may be empty).
        public func stringArray(_ key: String) throws(PaimonFormatError) -> [String] {
            guard case .array(let items) = try required(key) else { throw error("\(where_(key)) must be an array of strings") }
            var out: [String] = []
            out.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                guard case .string(let s) = item else { throw error("\(where_(key))[\(index)] must be a string") }
                out.append(s)
            }
            return out
        }

        /// An object whose values are taken as text the way Jackson's `asText()` does for scalars (strings as is,
        /// numbers by their literal text, booleans as `true`/`false`); `null`, arrays and objects are errors.
        public func stringMap(_ key: String) throws(PaimonFormatError) -> [(key: String, value: String)] {
            guard case .object(let entries) = try required(key) else { throw error("\(where_(key)) must be an object") }
            var out: [(key: String, value: String)] = []
            out.reserveCapacity(entries.count)
            for entry in entries {
                switch entry.value {
                case .string(let s): out.append((entry.key, s))
                case .number(let n): out.append((entry.key, String(n)))
                case .bool(let b): out.append((entry.key, b ? "true" : "false"))
                default: throw error("\(where_(key)).\(entry.key) must be a string")
                }
            }
            return out
        }

        static func int64(_ node: JSONNode, at place: String, subject: String) throws(PaimonFormatError) -> Int64 {
            guard case .number(let text) = node else { throw PaimonFormatError(subject, "\(place) must be an integer") }
            guard let value = Int64(text) else {
                throw PaimonFormatError(subject, "\(place) = \(text) is not a 64-bit integer")
            }
            return value
        }
    }
}

/// Java `String.hashCode` over UTF-16 code units and the iteration order of a `java.util.HashMap<String, ?>`
/// built by inserting `keys` in the given order: buckets ascending (`(capacity - 1) & (h ^ (h >>> 16))`, capacity
/// the power of two ≥ 16 that keeps the load ≤ 0.75), insertion order within a bucket. Java writes option maps in
/// this order; bins that Java would turn into trees (8 or more keys in one bucket) keep insertion order here.
enum JavaHashMapOrder {
    static func stringHashCode(_ s: String) -> Int32 {
        var h: Int32 = 0
        for unit in s.utf16 { h = h &* 31 &+ Int32(unit) }
        return h
    }

    static func ordered(_ keys: [String]) -> [String] {
        var capacity = 16
        while Double(keys.count) > Double(capacity) * 0.75 { capacity *= 2 }
        func bucket(_ key: String) -> Int {
            let h = UInt32(bitPattern: stringHashCode(key))
            return Int((h ^ (h >> 16)) & UInt32(capacity - 1))
        }
        return keys.enumerated()
            .map { (index: $0.offset, key: $0.element, bucket: bucket($0.element)) }
            .sorted { $0.bucket != $1.bucket ? $0.bucket < $1.bucket : $0.index < $1.index }
            .map(\.key)
    }

    /// The members of a string map in Java `HashMap` order, inserting keys in sorted order (deterministic; a Java
    /// writer that reads the result and writes it again keeps the same order).
    static func members(_ map: [String: String]) -> [JsonSerdeUtil.Member] {
        ordered(map.keys.sorted()).map { JsonSerdeUtil.Member($0, .string(map[$0]!)) }
    }
}
