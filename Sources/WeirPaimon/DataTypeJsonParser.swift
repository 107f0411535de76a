import WeirCodecs
import WeirColumnar

/// Reads data types and fields from schema JSON, mirroring `org.apache.paimon.types.DataTypeJsonParser`
/// (spec/paimon-format.md sections 2.2 and 2.3).
///
/// - Atomic types are strings in Java's SQL-like grammar, keywords case-insensitive: `BOOLEAN`, `TINYINT`,
///   `SMALLINT`, `INT`/`INTEGER`, `BIGINT`, `FLOAT`, `DOUBLE [PRECISION]`, `DECIMAL`/`NUMERIC`/`DEC [(p [, s])]`
///   (default (10, 0)), `CHAR [(n)]`, `VARCHAR [(n)]` (default length 1), `STRING`, `BINARY [(n)]`,
///   `VARBINARY [(n)]`, `BYTES`, `DATE`, `TIME [(p)] [WITHOUT TIME ZONE]` (default 0),
///   `TIMESTAMP [(p)] [WITHOUT TIME ZONE | WITH LOCAL TIME ZONE]` (default 6), `TIMESTAMP_LTZ [(p)]` (default 6),
///   each optionally followed by `NOT NULL` or `NULL`. Parameters are checked as Java does (DECIMAL precision
///   1...38, scale ≤ precision, lengths ≥ 1, time precisions 0...9).
/// - Composite types are objects whose `"type"` starts with `ARRAY`, `MULTISET`, `MAP` or `ROW` (case-sensitive,
///   like Java's `startsWith`) and is NOT NULL when it contains `NOT NULL`.
/// - `VARIANT` (Paimon ≥ 1.2) is recognised but rejected: Weir's `DataType` has no variant type.
///
/// Every field needs an integer `id`, a string `name` and a `type`; `description` and `defaultValue` are optional
/// (JSON `null` reads as absent). Because `WeirColumnar.DataField` has no default value, default values come back
/// separately, keyed by field id. Limits: an atomic type string has at most ``typeCharactersMax`` characters; nesting is
/// bounded by the JSON parser's depth limit.
public enum DataTypeJsonParser {
    public static let typeCharactersMax = 256

    /// The result of parsing a list of fields: the fields and the default values of any of them (nested included),
    /// by field id.
    public struct ParsedFields: Sendable, Equatable {
        public var fields: [DataField]
        public var defaultValues: [Int: String]
    }

    /// `parseAtomicTypeSQLString`: an atomic type from its text, e.g. `DECIMAL(10, 2) NOT NULL`.
    public static func parseAtomicTypeSQLString(_ text: String, subject: String = "data type") throws(PaimonFormatError) -> DataType {
        guard text.count <= typeCharactersMax else {
            throw PaimonFormatError(subject, "type string longer than \(typeCharactersMax) characters")
        }
        var parser = AtomicParser(text: text, subject: subject)
        return try parser.parse()
    }

    /// `parseDataType`: an atomic type (JSON string) or a composite type (JSON object). `path` names the place in
    /// the document for errors.
    public static func parseDataType(_ node: JSONNode, subject: String, path: String) throws(PaimonFormatError) -> DataType {
        var defaults: [Int: String] = [:]
        return try parseDataType(node, subject: subject, path: path, defaults: &defaults)
    }

    /// `parseDataField` over an array of field objects.
    public static func parseDataFields(_ nodes: [JSONNode], subject: String, path: String) throws(PaimonFormatError) -> ParsedFields {
        var defaults: [Int: String] = [:]
        var fields: [DataField] = []
        fields.reserveCapacity(nodes.count)
        for (index, node) in nodes.enumerated() {
            fields.append(try parseDataField(node, subject: subject, path: "\(path)[\(index)]", defaults: &defaults))
        }
        return ParsedFields(fields: fields, defaultValues: defaults)
    }

    static func parseDataField(_ node: JSONNode, subject: String, path: String, defaults: inout [Int: String]) throws(PaimonFormatError) -> DataField {
        let object = try JsonSerdeUtil.ObjectReader(node, subject: subject, path: path)
        let id64 = try object.int64("id")
        guard let id = Int(exactly: id64), id >= 0, id <= Int(Int32.max) else {
            throw PaimonFormatError(subject, "\(path).id = \(id64) is not a field id (0...\(Int32.max))")
        }
        let name = try object.string("name")
        let type = try parseDataType(try object.required("type"), subject: subject, path: path + ".type", defaults: &defaults)
        let description = try object.optionalString("description")
        if let defaultValue = try object.optionalString("defaultValue") {
            defaults[id] = defaultValue
        }
        return DataField(id: id, name: name, type: type, description: description)
    }

    static func parseDataType(_ node: JSONNode, subject: String, path: String, defaults: inout [Int: String]) throws(PaimonFormatError) -> DataType {
        switch node {
        case .string(let text):
            return try parseAtomicTypeSQLString(text, subject: subject + ", " + path)
        case .object:
            let object = try JsonSerdeUtil.ObjectReader(node, subject: subject, path: path)
            let head = try object.string("type")
            let nullable = !head.contains("NOT NULL")
            if head.hasPrefix("ARRAY") {
                let element = try parseDataType(try object.required("element"), subject: subject, path: path + ".element", defaults: &defaults)
                return DataType(.array(element: element), nullable: nullable)
            }
            if head.hasPrefix("MULTISET") {
                let element = try parseDataType(try object.required("element"), subject: subject, path: path + ".element", defaults: &defaults)
                return DataType(.multiset(element: element), nullable: nullable)
            }
            if head.hasPrefix("MAP") {
                let key = try parseDataType(try object.required("key"), subject: subject, path: path + ".key", defaults: &defaults)
                let value = try parseDataType(try object.required("value"), subject: subject, path: path + ".value", defaults: &defaults)
                return DataType(.map(key: key, value: value), nullable: nullable)
            }
            if head.hasPrefix("ROW") {
                guard case .array(let items) = try object.required("fields") else {
                    throw PaimonFormatError(subject, "\(path).fields must be an array of fields")
                }
                var fields: [DataField] = []
                for (index, item) in items.enumerated() {
                    fields.append(try parseDataField(item, subject: subject, path: "\(path).fields[\(index)]", defaults: &defaults))
                }
                return DataType(.row(fields: fields), nullable: nullable)
            }
            throw PaimonFormatError(subject, "\(path): can not parse the composite type \"\(head)\"")
        default:
            throw PaimonFormatError(subject, "\(path) must be a type string or a type object")
        }
    }

    /// A tokenizer and recursive-descent parser for one atomic type string.
    struct AtomicParser {
        enum Token: Equatable {
            case word(String)  // upper-cased
            case number(String)
            case open, close, comma, other(Character)
        }

        let text: String
        let subject: String
        var tokens: [Token] = []
        var position = 0

        init(text: String, subject: String) {
            self.text = text
            self.subject = subject
            var chars = Array(text)[...]
            while let c = chars.first {
                if c == " " || c == "\t" || c == "\n" || c == "\r" {
                    chars.removeFirst()
                } else if c == "(" {
                    tokens.append(.open); chars.removeFirst()
                } else if c == ")" {
                    tokens.append(.close); chars.removeFirst()
                } else if c == "," {
                    tokens.append(.comma); chars.removeFirst()
                } else if c.isASCII, c.isNumber {
                    let digits = chars.prefix { $0.isASCII && $0.isNumber }
                    tokens.append(.number(String(digits)))
                    chars.removeFirst(digits.count)
                } else if c.isASCII, c.isLetter || c == "_" {
                    let word = chars.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
                    tokens.append(.word(String(word).uppercased()))
                    chars.removeFirst(word.count)
                } else {
                    tokens.append(.other(c)); chars.removeFirst()
                }
            }
        }

        func error(_ message: String) -> PaimonFormatError {
            PaimonFormatError(subject, "type '\(text)': \(message)")
        }

        var next: Token? { position < tokens.count ? tokens[position] : nil }

        mutating func take(_ word: String) -> Bool {
            if next == .word(word) {
                position += 1
                return true
            }
            return false
        }

        mutating func expect(_ word: String) throws(PaimonFormatError) {
            guard take(word) else { throw error("expected \(word)") }
        }

        mutating func integer() throws(PaimonFormatError) -> Int {
            guard case .number(let digits)? = next else { throw error("expected a number") }
            position += 1
            guard let value = Int(digits), value <= Int(Int32.max) else { throw error("\(digits) is not a 32-bit integer") }
            return value
        }

        /// `(n)` or nothing.
        mutating func optionalParameter() throws(PaimonFormatError) -> Int? {
            guard next == .open else { return nil }
            position += 1
            let value = try integer()
            guard next == .close else { throw error("expected ')'") }
            position += 1
            return value
        }

        mutating func parse() throws(PaimonFormatError) -> DataType {
            guard case .word(let keyword)? = next else { throw error("expected a type name") }
            position += 1
            let kind: DataType.Kind
            switch keyword {
            case "BOOLEAN": kind = .boolean
            case "TINYINT": kind = .tinyint
            case "SMALLINT": kind = .smallint
            case "INT", "INTEGER": kind = .int
            case "BIGINT": kind = .bigint
            case "FLOAT": kind = .float
            case "DOUBLE":
                _ = take("PRECISION")
                kind = .double
            case "DECIMAL", "NUMERIC", "DEC":
                var precision = 10, scale = 0
                if next == .open {
                    position += 1
                    precision = try integer()
                    if next == .comma {
                        position += 1
                        scale = try integer()
                    }
                    guard next == .close else { throw error("expected ')'") }
                    position += 1
                }
                kind = .decimal(precision: precision, scale: scale)
            case "CHAR": kind = .char(length: try optionalParameter() ?? 1)
            case "VARCHAR": kind = .varchar(length: try optionalParameter() ?? 1)
            case "STRING": kind = .varchar(length: DataType.lengthMax)
            case "BINARY": kind = .binary(length: try optionalParameter() ?? 1)
            case "VARBINARY": kind = .varbinary(length: try optionalParameter() ?? 1)
            case "BYTES": kind = .varbinary(length: DataType.lengthMax)
            case "DATE": kind = .date
            case "TIME":
                let precision = try optionalParameter() ?? 0
                if take("WITHOUT") {
                    try expect("TIME")
                    try expect("ZONE")
                }
                kind = .time(precision: precision)
            case "TIMESTAMP":
                let precision = try optionalParameter() ?? 6
                if take("WITHOUT") {
                    try expect("TIME")
                    try expect("ZONE")
                    kind = .timestamp(precision: precision)
                } else if take("WITH") {
                    try expect("LOCAL")
                    try expect("TIME")
                    try expect("ZONE")
                    kind = .timestampLTZ(precision: precision)
                } else {
                    kind = .timestamp(precision: precision)
                }
            case "TIMESTAMP_LTZ": kind = .timestampLTZ(precision: try optionalParameter() ?? 6)
            case "VARIANT":
                throw error("VARIANT is not supported by Weir (WeirColumnar.DataType has no variant type)")
            default:
                throw error("unsupported type '\(keyword)'")
            }
            var nullable = true
            if take("NOT") {
                try expect("NULL")
                nullable = false
            } else {
                _ = take("NULL")
            }
            guard position == tokens.count else { throw error("unexpected text after the type") }
            let type = DataType(kind, nullable: nullable)
            do {
                try type.validate(context: "type")
            } catch {
                throw self.error(error.description)
            }
            return type
        }
    }
}
