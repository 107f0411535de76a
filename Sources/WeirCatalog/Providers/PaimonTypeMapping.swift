import WeirColumnar

/// Gravitino's column types to Paimon's and back, as Gravitino's `lakehouse-paimon` catalog maps them
/// (`PaimonTypeConverter`): boolean, byte, short, integer, long, float, double, decimal(p,s), string, varchar(n),
/// char(n), binary (BYTES), fixed(n) (BINARY(n)), date, time(p), timestamp(p) (TIMESTAMP, default 6),
/// timestamp_tz(p) (TIMESTAMP WITH LOCAL TIME ZONE), list, map and struct. Nullability is the column's (or
/// element's) `nullable` flag, carried on the Paimon type. Other Gravitino types have no Paimon form and are
/// refused as unsupported, naming the column.
enum PaimonTypeMapping {
    static func paimonType(_ json: JSONValue, nullable: Bool, column: String) throws -> DataType {
        func unsupported(_ what: String) -> CatalogError {
            CatalogError(.unsupported, .table, "column \(column): Paimon has no type for Gravitino's \(what)")
        }
        switch json {
        case .string(let text):
            guard let (name, p) = DataTypeJSON.parsePrimitive(text) else { throw unsupported("'\(text)'") }
            let kind: DataType.Kind
            switch (name, p.count) {
            case ("boolean", 0): kind = .boolean
            case ("byte", 0): kind = .tinyint
            case ("short", 0): kind = .smallint
            case ("integer", 0): kind = .int
            case ("long", 0): kind = .bigint
            case ("float", 0): kind = .float
            case ("double", 0): kind = .double
            case ("decimal", 2):
                guard (1...38).contains(p[0]), p[1] <= p[0] else {
                    throw CatalogError(.illegalArgument, .table, "column \(column): decimal(\(p[0]),\(p[1])) needs 1 ≤ precision ≤ 38 and scale ≤ precision")
                }
                kind = .decimal(precision: p[0], scale: p[1])
            case ("string", 0): kind = .varchar(length: DataType.lengthMax)
            case ("varchar", 1): kind = .varchar(length: max(1, p[0]))
            case ("char", 1): kind = .char(length: max(1, p[0]))
            case ("binary", 0): kind = .varbinary(length: DataType.lengthMax)
            case ("fixed", 1): kind = .binary(length: max(1, p[0]))
            case ("date", 0): kind = .date
            case ("time", 0): kind = .time(precision: 0)
            case ("time", 1): kind = .time(precision: min(p[0], 9))
            case ("timestamp", 0): kind = .timestamp(precision: 6)
            case ("timestamp", 1): kind = .timestamp(precision: min(p[0], 9))
            case ("timestamp_tz", 0): kind = .timestampLTZ(precision: 6)
            case ("timestamp_tz", 1): kind = .timestampLTZ(precision: min(p[0], 9))
            default: throw unsupported("'\(text)'")
            }
            return DataType(kind, nullable: nullable)
        case .object(let members):
            switch members["type"]?.stringValue?.lowercased() {
            case "list":
                let element = try paimonType(members["elementType"] ?? .null, nullable: members["containsNull"]?.boolValue ?? true, column: column)
                return DataType(.array(element: element), nullable: nullable)
            case "map":
                let key = try paimonType(members["keyType"] ?? .null, nullable: false, column: column)
                let value = try paimonType(members["valueType"] ?? .null, nullable: members["valueContainsNull"]?.boolValue ?? true, column: column)
                return DataType(.map(key: key, value: value), nullable: nullable)
            case "struct":
                var fields: [DataField] = []
                for (index, field) in (members["fields"]?.arrayValue ?? []).enumerated() {
                    guard let name = field["name"]?.stringValue, let type = field["type"] else { throw unsupported("struct without field names") }
                    fields.append(DataField(id: index, name: name, type: try paimonType(type, nullable: field["nullable"]?.boolValue ?? true, column: column),
                                            description: field["comment"]?.stringValue))
                }
                return DataType(.row(fields: fields), nullable: nullable)
            default:
                throw unsupported("'\(members["type"]?.stringValue ?? "?")' type")
            }
        default:
            throw unsupported("type \(json)")
        }
    }

    /// The Gravitino form of a Paimon type (nullability is reported on the column or element, not here).
    static func gravitinoType(_ type: DataType) -> JSONValue {
        switch type.kind {
        case .boolean: return .string("boolean")
        case .tinyint: return .string("byte")
        case .smallint: return .string("short")
        case .int: return .string("integer")
        case .bigint: return .string("long")
        case .float: return .string("float")
        case .double: return .string("double")
        case .decimal(let p, let s): return .string("decimal(\(p),\(s))")
        case .varchar(let n): return .string(n == DataType.lengthMax ? "string" : "varchar(\(n))")
        case .char(let n): return .string("char(\(n))")
        case .varbinary: return .string("binary")
        case .binary(let n): return .string("fixed(\(n))")
        case .date: return .string("date")
        case .time(let p): return .string("time(\(p))")
        case .timestamp(let p): return .string("timestamp(\(p))")
        case .timestampLTZ(let p): return .string("timestamp_tz(\(p))")
        case .array(let element), .multiset(let element):
            return .object(["type": .string("list"), "elementType": gravitinoType(element), "containsNull": .bool(element.isNullable)])
        case .map(let key, let value):
            return .object(["type": .string("map"), "keyType": gravitinoType(key), "valueType": gravitinoType(value),
                            "valueContainsNull": .bool(value.isNullable)])
        case .row(let fields):
            return .object(["type": .string("struct"), "fields": .array(fields.map { field in
                var member: [String: JSONValue] = ["name": .string(field.name), "type": gravitinoType(field.type), "nullable": .bool(field.type.isNullable)]
                if let comment = field.description { member["comment"] = .string(comment) }
                return .object(member)
            })])
        }
    }
}
