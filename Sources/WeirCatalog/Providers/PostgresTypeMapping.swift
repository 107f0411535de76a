import Foundation

/// Gravitino column types to PostgreSQL column types and back, for the `jdbc-postgresql` provider.
///
/// Mapped both ways: boolean, short (`smallint`), integer, long (`bigint`), float (`real`), double
/// (`double precision`), decimal(p,s) (`numeric`), date, time[(p)], timestamp[(p)], timestamp_tz[(p)]
/// (`timestamptz`), string (`text`), varchar(n), char(n), binary (`bytea`), uuid, and lists of these (arrays).
/// `byte` is written as `smallint` (PostgreSQL has no one-byte integer) and reads back as short. Other
/// PostgreSQL types read back as Gravitino's `unparsed` type carrying PostgreSQL's own name.
public enum PostgresTypeMapping {
    /// The PostgreSQL type for a Gravitino type; unsupported for types PostgreSQL cannot hold.
    public static func postgresType(_ type: JSONValue, column: String) throws -> String {
        if case .string(let text) = type, let (name, p) = DataTypeJSON.parsePrimitive(text) {
            switch (name, p.count) {
            case ("boolean", 0): return "boolean"
            case ("byte", 0), ("short", 0): return "smallint"
            case ("integer", 0): return "integer"
            case ("long", 0): return "bigint"
            case ("float", 0): return "real"
            case ("double", 0): return "double precision"
            case ("decimal", 2): return "numeric(\(p[0]),\(p[1]))"
            case ("date", 0): return "date"
            case ("time", 0): return "time"
            case ("time", 1): return "time(\(p[0]))"
            case ("timestamp", 0): return "timestamp"
            case ("timestamp", 1): return "timestamp(\(p[0]))"
            case ("timestamp_tz", 0): return "timestamptz"
            case ("timestamp_tz", 1): return "timestamptz(\(p[0]))"
            case ("string", 0): return "text"
            case ("varchar", 1): return "varchar(\(p[0]))"
            case ("char", 1): return "char(\(p[0]))"
            case ("binary", 0): return "bytea"
            case ("uuid", 0): return "uuid"
            default: break
            }
        }
        if type["type"]?.stringValue?.lowercased() == "list", let element = type["elementType"], element.stringValue != nil {
            return try postgresType(element, column: column) + "[]"
        }
        if type["type"]?.stringValue?.lowercased() == "external", let text = type["catalogString"]?.stringValue,
           text.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x20 || $0 == 0x28 || $0 == 0x29 || $0 == 0x2c || $0 == 0x5f || $0 == 0x5b || $0 == 0x5d }) {
            return text
        }
        throw CatalogError(.unsupported, .table, "column \(column): PostgreSQL has no type for \(describe(type))")
    }

    /// The Gravitino type for a PostgreSQL type as `format_type` prints it.
    public static func gravitinoType(_ formatted: String) -> JSONValue {
        let text = formatted.trimmingCharacters(in: .whitespaces)
        if text.hasSuffix("[]") {
            return .object(["type": .string("list"), "elementType": gravitinoType(String(text.dropLast(2))), "containsNull": .bool(true)])
        }
        let (base, params) = split(text)
        switch base {
        case "boolean": return .string("boolean")
        case "smallint": return .string("short")
        case "integer": return .string("integer")
        case "bigint": return .string("long")
        case "real": return .string("float")
        case "double precision": return .string("double")
        case "numeric" where params.count == 2: return .string("decimal(\(params[0]),\(params[1]))")
        case "date": return .string("date")
        case "time without time zone": return .string(params.count == 1 ? "time(\(params[0]))" : "time")
        case "timestamp without time zone": return .string(params.count == 1 ? "timestamp(\(params[0]))" : "timestamp")
        case "timestamp with time zone": return .string(params.count == 1 ? "timestamp_tz(\(params[0]))" : "timestamp_tz")
        case "text": return .string("string")
        case "character varying": return params.count == 1 ? .string("varchar(\(params[0]))") : .string("string")
        case "character": return .string("char(\(params.first ?? 1))")
        case "bytea": return .string("binary")
        case "uuid": return .string("uuid")
        default: return .object(["type": .string("unparsed"), "unparsedType": .string(text)])
        }
    }

    /// `timestamp(3) without time zone` → (`timestamp without time zone`, [3]); `numeric(10,2)` → (`numeric`, [10, 2]).
    static func split(_ text: String) -> (String, [Int]) {
        guard let open = text.firstIndex(of: "("), let close = text[open...].firstIndex(of: ")") else { return (text, []) }
        let params = text[text.index(after: open)..<close].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let base = (text[..<open] + text[text.index(after: close)...]).trimmingCharacters(in: .whitespaces)
        return (base, params)
    }

    static func describe(_ type: JSONValue) -> String {
        (try? CatalogJSON.encode(type)).map { String($0.prefix(120)) } ?? "this type"
    }
}
