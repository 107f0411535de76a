import Foundation

/// A JSON value as it appears in a schema (field defaults, and the schema text itself while parsing).
///
/// Numbers without a fraction or exponent that fit 64 bits are ``integer``; every other number is ``double``.
/// Objects are unordered (printing sorts their keys). Parsing goes through Foundation's `JSONSerialization`
/// after a byte scan that enforces ``AvroLimits/schemaJSONBytesMax`` and ``AvroLimits/schemaJSONDepthMax``, so a
/// hostile text can neither exhaust memory nor the stack of the JSON parser.
public indirect enum AvroJSON: Hashable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([AvroJSON])
    case object([String: AvroJSON])

    /// Parses JSON text (a bare string or number is accepted too: `"int"` is a schema).
    /// Errors name `source` as the file and say what is wrong.
    public static func parse(_ text: some Collection<UInt8>, limits: AvroLimits = .default,
                             source: String = "schema") throws(AvroError) -> AvroJSON {
        let bytes = Array(text)
        guard bytes.count <= limits.schemaJSONBytesMax else {
            throw AvroError(file: source, "JSON text of \(bytes.count) bytes is over the limit of \(limits.schemaJSONBytesMax)")
        }
        try checkDepth(bytes, depthMax: limits.schemaJSONDepthMax, source: source)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            throw AvroError(file: source, "not valid JSON: \(error.localizedDescription)")
        }
        return try convert(object, source: source)
    }

    /// Parses JSON text given as a String.
    public static func parse(_ text: String, limits: AvroLimits = .default, source: String = "schema") throws(AvroError) -> AvroJSON {
        try parse(Array(text.utf8), limits: limits, source: source)
    }

    /// The nesting depth of `[`/`{` outside strings must stay within `depthMax`.
    static func checkDepth(_ bytes: [UInt8], depthMax: Int, source: String) throws(AvroError) {
        var depth = 0
        var inString = false
        var escaped = false
        for (offset, byte) in bytes.enumerated() {
            if inString {
                if escaped { escaped = false } else if byte == 0x5c { escaped = true } else if byte == 0x22 { inString = false }
                continue
            }
            switch byte {
            case 0x22: inString = true
            case 0x5b, 0x7b:
                depth += 1
                guard depth <= depthMax else {
                    throw AvroError(file: source, location: "byte \(offset)", "JSON nests deeper than \(depthMax) levels")
                }
            case 0x5d, 0x7d: depth -= 1
            default: break
            }
        }
    }

    private static func convert(_ value: Any, source: String) throws(AvroError) -> AvroJSON {
        switch value {
        case is NSNull: return .null
        case let string as String: return .string(string)
        case let number as NSNumber:
            let kind = String(cString: number.objCType)
            if kind == "c" || kind == "B" { return .bool(number.boolValue) }
            if kind == "d" || kind == "f" {
                let d = number.doubleValue
                return .double(d)
            }
            if kind == "Q" {
                let u = number.uint64Value
                if let i = Int64(exactly: u) { return .integer(i) }
                return .double(Double(u))
            }
            return .integer(number.int64Value)
        case let array as [Any]:
            var out: [AvroJSON] = []
            out.reserveCapacity(array.count)
            for item in array { out.append(try convert(item, source: source)) }
            return .array(out)
        case let dictionary as [String: Any]:
            var out: [String: AvroJSON] = [:]
            out.reserveCapacity(dictionary.count)
            for (key, item) in dictionary { out[key] = try convert(item, source: source) }
            return .object(out)
        default:
            throw AvroError(file: source, "unexpected JSON value \(type(of: value))")
        }
    }

    /// Compact JSON text (no spaces) or, with `pretty`, two-space indented text with `"key": value`.
    /// Object keys are printed sorted; non-finite doubles print as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
    public func serialized(pretty: Bool = false) -> String {
        var printer = JSONPrinter(pretty: pretty)
        printer.write(self)
        return printer.out
    }

    /// The string, when this is one.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// A short name of the JSON kind, for messages.
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// Writes JSON text: values, and objects whose members come in a chosen order (schemas print keys in the order
/// Avro's own printers use).
struct JSONPrinter {
    let pretty: Bool
    var out = ""
    var indent = 0

    init(pretty: Bool) { self.pretty = pretty }

    mutating func write(_ value: AvroJSON) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let n): out += String(n)
        case .double(let d):
            if d.isNaN { out += "\"NaN\"" } else if d.isInfinite { out += d > 0 ? "\"Infinity\"" : "\"-Infinity\"" } else { out += d.description }
        case .string(let s): writeString(s)
        case .array(let items):
            writeArray(items.count) { (printer, index) in printer.write(items[index]) }
        case .object(let members):
            let keys = members.keys.sorted()
            writeObject(keys.map { key in (key, { (p: inout JSONPrinter) in p.write(members[key]!) }) })
        }
    }

    mutating func writeArray(_ count: Int, _ item: (inout JSONPrinter, Int) -> Void) {
        if count == 0 { out += "[]"; return }
        out += "["
        indent += 1
        for index in 0..<count {
            if index > 0 { out += "," }
            newline()
            item(&self, index)
        }
        indent -= 1
        newline()
        out += "]"
    }

    mutating func writeObject(_ members: [(String, (inout JSONPrinter) -> Void)]) {
        if members.isEmpty { out += "{}"; return }
        out += "{"
        indent += 1
        for (index, (key, value)) in members.enumerated() {
            if index > 0 { out += "," }
            newline()
            writeString(key)
            out += pretty ? ": " : ":"
            value(&self)
        }
        indent -= 1
        newline()
        out += "}"
    }

    mutating func newline() {
        guard pretty else { return }
        out += "\n"
        out += String(repeating: "  ", count: indent)
    }

    mutating func writeString(_ text: String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    let hex = Array("0123456789abcdef")
                    out += "\\u00" + String(hex[Int(scalar.value >> 4)]) + String(hex[Int(scalar.value & 15)])
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
