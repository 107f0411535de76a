import Foundation

/// Gravitino's column-type JSON (spec/gravitino-api.md section 5, "Type grammar"): primitive types are strings
/// (`integer`, `varchar(10)`, `decimal(10,2)`, ...), complex types are objects (`list`, `map`, `struct`, `union`,
/// `external`, `unparsed`).
public enum DataTypeJSON {
    /// Primitive type names without parameters.
    public static let simpleNames: Set<String> = [
        "boolean", "byte", "byte unsigned", "short", "short unsigned", "integer", "integer unsigned", "long", "long unsigned",
        "float", "double", "date", "time", "timestamp", "timestamp_tz", "interval_year", "interval_day", "string", "uuid",
        "binary", "null",
    ]
    /// Primitive type names that take parameters in parentheses, with how many.
    public static let parameterised: [String: ClosedRange<Int>] = [
        "time": 1...1, "timestamp": 1...1, "timestamp_tz": 1...1, "decimal": 2...2, "fixed": 1...1, "char": 1...1, "varchar": 1...1,
    ]
    /// The deepest nesting of complex types.
    public static let depthMax = 32

    /// Checks `type`; `place` names where it was found (for example `type of column id`).
    public static func validate(_ type: JSONValue, at place: String, depth: Int = 0) throws {
        guard depth <= depthMax else { throw invalid(place, "nested deeper than \(depthMax) levels") }
        switch type {
        case .string(let text):
            guard parsePrimitive(text) != nil else { throw invalid(place, "unknown type '\(text.prefix(64))'") }
        case .object(let members):
            guard let kind = members["type"]?.stringValue else { throw invalid(place, "a complex type needs a string 'type'") }
            switch kind.lowercased() {
            case "list":
                guard let element = members["elementType"] else { throw invalid(place, "a list type needs 'elementType'") }
                try validate(element, at: place, depth: depth + 1)
            case "map":
                guard let key = members["keyType"], let value = members["valueType"] else { throw invalid(place, "a map type needs 'keyType' and 'valueType'") }
                try validate(key, at: place, depth: depth + 1)
                try validate(value, at: place, depth: depth + 1)
            case "struct":
                guard let fields = members["fields"]?.arrayValue else { throw invalid(place, "a struct type needs 'fields'") }
                for field in fields {
                    guard let name = field["name"]?.stringValue, let fieldType = field["type"] else { throw invalid(place, "a struct field needs 'name' and 'type'") }
                    try Names.validate(name, what: "struct field name in \(place)")
                    try validate(fieldType, at: place, depth: depth + 1)
                }
            case "union":
                guard let types = members["types"]?.arrayValue, !types.isEmpty else { throw invalid(place, "a union type needs 'types'") }
                for t in types { try validate(t, at: place, depth: depth + 1) }
            case "external":
                guard members["catalogString"]?.stringValue != nil else { throw invalid(place, "an external type needs 'catalogString'") }
            case "unparsed":
                guard members["unparsedType"]?.stringValue != nil else { throw invalid(place, "an unparsed type needs 'unparsedType'") }
            default:
                throw invalid(place, "unknown complex type '\(kind.prefix(64))'")
            }
        default:
            throw invalid(place, "a type must be a string or an object")
        }
    }

    /// Splits a primitive type string into its lower-case name and integer parameters (`decimal(10,2)` →
    /// (`decimal`, [10, 2])); nil when it is not one.
    public static func parsePrimitive(_ text: String) -> (name: String, parameters: [Int])? {
        let lowered = text.lowercased().trimmingCharacters(in: .whitespaces)
        if simpleNames.contains(lowered) { return (lowered, []) }
        guard let open = lowered.firstIndex(of: "("), lowered.hasSuffix(")") else { return nil }
        let name = String(lowered[..<open]).trimmingCharacters(in: .whitespaces)
        guard let arity = parameterised[name] else { return nil }
        let inner = lowered[lowered.index(after: open)..<lowered.index(before: lowered.endIndex)]
        let parameters = inner.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard arity.contains(parameters.count), parameters.allSatisfy({ $0 != nil && $0! >= 0 && $0! <= 1 << 20 }) else { return nil }
        return (name, parameters.map { $0! })
    }

    static func invalid(_ place: String, _ why: String) -> CatalogError {
        CatalogError(.illegalArgument, .table, "invalid \(place): \(why)")
    }
}

/// Gravitino's expression JSON (literals, field references, functions, unparsed expressions), used for default
/// values, sort terms and function arguments.
public enum ExpressionJSON {
    public static let depthMax = 32

    public static func validate(_ expression: JSONValue, at place: String, depth: Int = 0) throws {
        guard depth <= depthMax else { throw DataTypeJSON.invalid(place, "nested deeper than \(depthMax) levels") }
        guard let kind = expression["type"]?.stringValue else {
            throw DataTypeJSON.invalid(place, "an expression must be an object with a string 'type'")
        }
        switch kind.lowercased() {
        case "literal":
            guard let dataType = expression["dataType"] else { throw DataTypeJSON.invalid(place, "a literal needs 'dataType'") }
            try DataTypeJSON.validate(dataType, at: place)
            if let value = expression["value"], !value.isNull, value.stringValue == nil {
                throw DataTypeJSON.invalid(place, "a literal's 'value' must be a string or null")
            }
        case "field":
            try FieldNames.validatePath(expression["fieldName"], at: place)
        case "function":
            guard expression["funcName"]?.stringValue != nil else { throw DataTypeJSON.invalid(place, "a function needs 'funcName'") }
            for arg in expression["funcArgs"]?.arrayValue ?? [] { try validate(arg, at: place, depth: depth + 1) }
        case "unparsed":
            guard expression["unparsedExpression"]?.stringValue != nil else { throw DataTypeJSON.invalid(place, "an unparsed expression needs 'unparsedExpression'") }
        default:
            throw DataTypeJSON.invalid(place, "unknown expression type '\(kind.prefix(64))'")
        }
    }
}
