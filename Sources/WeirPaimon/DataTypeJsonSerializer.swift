import WeirColumnar

/// Writes data types and fields as Java's `DataType#serializeJson` and `DataField#serializeJson` do
/// (spec/paimon-format.md sections 2.2 and 2.3):
///
/// - atomic types as their type string (`BIGINT NOT NULL`, `DECIMAL(10, 2)`, `STRING` for VARCHAR(2147483647),
///   `BYTES` for VARBINARY(2147483647), `TIMESTAMP(3) WITH LOCAL TIME ZONE`);
/// - `{"type": "ARRAY[ NOT NULL]", "element": …}`, `{"type": "MULTISET…", "element": …}`,
///   `{"type": "MAP…", "key": …, "value": …}`, `{"type": "ROW…", "fields": [ … ]}`;
/// - a field as `{"id", "name", "type"[, "description"][, "defaultValue"]}`, optional keys omitted when nil.
public enum DataTypeJsonSerializer {
    public static func serializeJson(_ type: DataType) -> JsonSerdeUtil.Node {
        serializeJson(type, defaultValues: [:])
    }

    /// A field; `defaultValues` (by field id) supplies Java's `DataField.defaultValue` for it and its nested fields.
    public static func serializeJson(_ field: DataField, defaultValues: [Int: String]) -> JsonSerdeUtil.Node {
        var members: [JsonSerdeUtil.Member] = [
            .init("id", .integer(field.id)),
            .init("name", .string(field.name)),
            .init("type", serializeJson(field.type, defaultValues: defaultValues)),
        ]
        if let description = field.description { members.append(.init("description", .string(description))) }
        if let defaultValue = defaultValues[field.id] { members.append(.init("defaultValue", .string(defaultValue))) }
        return .object(members)
    }

    static func serializeJson(_ type: DataType, defaultValues: [Int: String]) -> JsonSerdeUtil.Node {
        let suffix = type.isNullable ? "" : " NOT NULL"
        switch type.kind {
        case .array(let element):
            return .object([.init("type", .string("ARRAY" + suffix)), .init("element", serializeJson(element, defaultValues: defaultValues))])
        case .multiset(let element):
            return .object([.init("type", .string("MULTISET" + suffix)), .init("element", serializeJson(element, defaultValues: defaultValues))])
        case .map(let key, let value):
            return .object([
                .init("type", .string("MAP" + suffix)),
                .init("key", serializeJson(key, defaultValues: defaultValues)),
                .init("value", serializeJson(value, defaultValues: defaultValues)),
            ])
        case .row(let fields):
            return .object([
                .init("type", .string("ROW" + suffix)),
                .init("fields", .array(fields.map { serializeJson($0, defaultValues: defaultValues) })),
            ])
        default:
            return .string(type.description)
        }
    }
}
