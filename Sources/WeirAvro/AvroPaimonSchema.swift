import WeirColumnar

/// Paimon's mapping between its `RowType` and Avro schemas (spec/paimon-format.md §4.2; Java
/// `AvroSchemaConverter.convertToSchema`), in both directions.
///
/// Paimon type → Avro (what ``init(paimonRowType:)`` writes, byte for byte the schema Java builds):
///
/// | Paimon | Avro |
/// | --- | --- |
/// | BOOLEAN | `boolean` |
/// | TINYINT, SMALLINT, INT | `int` |
/// | BIGINT | `long` |
/// | FLOAT, DOUBLE | `float`, `double` |
/// | DECIMAL(p, s) | `bytes` + `decimal(p, s)` (two's-complement big-endian unscaled value, shortest form) |
/// | CHAR, VARCHAR | `string` |
/// | BINARY, VARBINARY | `bytes` |
/// | DATE | `int` + `date` |
/// | TIME(p) | `int` + `time-millis` (Java refuses p > 3; Weir holds TIME as milliseconds for every p and writes it the same way) |
/// | TIMESTAMP(p) | `long` + `timestamp-millis` (p ≤ 3), `timestamp-micros` (p ≤ 6), `timestamp-nanos` (p > 6: Avro 1.12's type, which Java Paimon refuses to write and fastavro 1.13 reads as a plain long) |
/// | TIMESTAMP_LTZ(p) | `long` + `local-timestamp-millis` / `-micros` / `-nanos`, by the same precision rule |
/// | ARRAY<T> | `array` of T |
/// | MAP<K, V>, K CHAR/VARCHAR | `map` of V (keys are strings; the key type's nullability is not recorded) |
/// | MAP<K, V>, other K | `array` of record `{key: K, value: V}` with `"logicalType": "map"` |
/// | MULTISET<T> | as MAP<T, INT> (element → count), as Java does |
/// | ROW | `record` |
///
/// A nullable type is the union `["null", T]` (null first) and its field gets `"default": null`; NOT NULL types are
/// bare. The top-level record is `org.apache.paimon.avro.generated.record`; a record for field F inside record R is
/// named `R_F` (so `record__FILE` for field `_FILE`); array items and map values reuse the enclosing name, and the
/// key/value record of a non-string-keyed map is named after the field, with `_key`/`_value` for records inside
/// it. Where two records would get the same name (fields `a_b` and `a.b`), the later one gets `_2`, `_3`, ...
/// (Java would fail). Field names must be valid Avro names.
///
/// Avro → Paimon (``paimonRowType()``, for files written by others): `int` → INT (`date` → DATE, `time-millis` →
/// TIME(3)), `long` → BIGINT (`time-micros` → TIME(6) with values truncated to milliseconds, which is how Weir holds
/// TIME; timestamps → TIMESTAMP(3/6/9); local timestamps → TIMESTAMP_LTZ(3/6/9)), `float`, `double`, `boolean`,
/// `string` (also `uuid`) and `enum` → STRING, `bytes` → BYTES, `fixed(n)` → BINARY(n) (n = 0: BYTES), decimal
/// (bytes or fixed) → DECIMAL(p, s) for p ≤ 38, `array` → ARRAY (an array of `{key, value}` records marked
/// `"logicalType": "map"` → MAP), `map` → MAP<STRING NOT NULL, V>, `record` → ROW. `["null", T]` and `[T, "null"]`
/// → nullable T; any other type is NOT NULL. Field ids are numbered from 0 in depth-first order. Refused:
/// unions of two or more non-null types, a bare `null` field, recursive records, decimals over 38 digits.
extension AvroSchema {
    /// The full name of the top-level record Paimon writes.
    public static let paimonRecordName = "org.apache.paimon.avro.generated.record"

    /// The Avro schema Paimon writes for `rowType` (see the table above).
    public init(paimonRowType rowType: RowType) throws(AvroError) {
        var used = Set<String>()
        self = try Self.paimonRecord(rowType.fields, name: Self.paimonRecordName, used: &used, path: "")
    }

    static func paimonRecord(_ fields: [DataField], name: String, used: inout Set<String>, path: String) throws(AvroError) -> AvroSchema {
        let full = uniqueName(name, &used)
        var avroFields: [AvroField] = []
        var seen = Set<String>()
        for field in fields {
            let fieldPath = path.isEmpty ? field.name : path + "." + field.name
            guard isValidName(field.name) else {
                throw AvroError(file: "schema", location: fieldPath, "field name '\(field.name)' is not a valid Avro name ([A-Za-z_][A-Za-z0-9_]*)")
            }
            guard seen.insert(field.name).inserted else { throw AvroError(file: "schema", location: fieldPath, "field '\(field.name)' appears twice") }
            let type = try paimonType(field.type, rowName: name + "_" + field.name, used: &used, path: fieldPath)
            avroFields.append(AvroField(name: field.name, type: type, defaultValue: field.type.isNullable ? .null : nil))
        }
        return .record(AvroRecordSchema(name: AvroName(fullName: full), fields: avroFields))
    }

    static func uniqueName(_ name: String, _ used: inout Set<String>) -> String {
        if used.insert(name).inserted { return name }
        var n = 2
        while !used.insert("\(name)_\(n)").inserted { n += 1 }
        return "\(name)_\(n)"
    }

    /// The Avro schema of one Paimon type; `rowName` names a record it needs.
    static func paimonType(_ type: DataType, rowName: String, used: inout Set<String>, path: String) throws(AvroError) -> AvroSchema {
        let base: AvroSchema
        switch type.kind {
        case .boolean: base = .boolean
        case .tinyint, .smallint, .int: base = .int
        case .bigint: base = .long
        case .float: base = .float
        case .double: base = .double
        case .char, .varchar: base = .string
        case .binary, .varbinary: base = .bytes
        case .decimal(let p, let s): base = AvroSchema(.bytes, logicalType: .decimal(precision: p, scale: s))
        case .date: base = AvroSchema(.int, logicalType: .date)
        case .time: base = AvroSchema(.int, logicalType: .timeMillis)
        case .timestamp(let p):
            base = AvroSchema(.long, logicalType: p <= 3 ? .timestampMillis : p <= 6 ? .timestampMicros : .timestampNanos)
        case .timestampLTZ(let p):
            base = AvroSchema(.long, logicalType: p <= 3 ? .localTimestampMillis : p <= 6 ? .localTimestampMicros : .localTimestampNanos)
        case .array(let element):
            base = .array(try paimonType(element, rowName: rowName, used: &used, path: path + "[]"))
        case .map(let key, let value):
            base = try paimonMap(key: key, value: value, rowName: rowName, used: &used, path: path)
        case .multiset(let element):
            base = try paimonMap(key: element, value: DataType(.int), rowName: rowName, used: &used, path: path)
        case .row(let fields):
            base = try paimonRecord(fields, name: rowName, used: &used, path: path)
        }
        return type.isNullable ? .nullable(base) : base
    }

    static func paimonMap(key: DataType, value: DataType, rowName: String, used: inout Set<String>, path: String) throws(AvroError) -> AvroSchema {
        if key.isCharacterString {
            return .map(try paimonType(value, rowName: rowName, used: &used, path: path + ".value"))
        }
        let full = uniqueName(rowName, &used)
        let keySchema = try paimonType(key, rowName: rowName + "_key", used: &used, path: path + ".key")
        let valueSchema = try paimonType(value, rowName: rowName + "_value", used: &used, path: path + ".value")
        let entry = AvroRecordSchema(name: AvroName(fullName: full), fields: [
            AvroField(name: "key", type: keySchema),
            AvroField(name: "value", type: valueSchema, defaultValue: value.isNullable ? .null : nil),
        ])
        return AvroSchema(.array(items: .record(entry)), logicalType: .other("map"))
    }

    // MARK: Avro → Paimon

    /// The Paimon row type of a record schema written by anyone (see the table above). Top-level
    /// `["null", record]` (Paimon ≤ 0.8) is accepted.
    public func paimonRowType() throws(AvroError) -> RowType {
        let names = try AvroNamedTypes(self)
        var record = names.resolve(self)
        if case .union(let branches) = record.kind, branches.count == 2, branches[0].kind == .null {
            record = names.resolve(branches[1])
        }
        guard case .record(let r) = record.kind else {
            throw AvroError(file: "schema", location: "$", "a \(record.typeName) is not a record, so it has no row type")
        }
        var nextID = 0
        var expanding: Set<String> = [r.name.fullName]
        let fields = try Self.paimonFields(r, names: names, nextID: &nextID, expanding: &expanding, path: "$")
        return RowType(fields)
    }

    static func paimonFields(_ r: AvroRecordSchema, names: AvroNamedTypes, nextID: inout Int, expanding: inout Set<String>,
                             path: String) throws(AvroError) -> [DataField] {
        var fields: [DataField] = []
        for (index, field) in r.fields.enumerated() {
            let id = nextID
            nextID += 1
            let type = try paimonDataType(field.type, names: names, nextID: &nextID, expanding: &expanding,
                                          path: "\(path).fields[\(index)].type", depth: 0)
            fields.append(DataField(id: id, name: field.name, type: type, description: field.doc))
        }
        return fields
    }

    static func paimonDataType(_ schemaIn: AvroSchema, names: AvroNamedTypes, nextID: inout Int, expanding: inout Set<String>,
                               path: String, depth: Int) throws(AvroError) -> DataType {
        func fail(_ message: String) -> AvroError { AvroError(file: "schema", location: path, message) }
        guard depth <= 64 else { throw fail("types nest deeper than 64 levels") }
        let schema = names.resolve(schemaIn)
        if case .union(let branches) = schema.kind {
            let others = branches.filter { $0.kind != .null }
            guard branches.count - others.count == 1, others.count == 1 else {
                throw fail("a union of \(branches.map { $0.fullName ?? $0.typeName }) has no Paimon type (only [\"null\", T] has)")
            }
            let index = branches.firstIndex { $0.kind != .null }!
            return try paimonDataType(others[0], names: names, nextID: &nextID, expanding: &expanding,
                                      path: "\(path)[\(index)]", depth: depth + 1).nullable(true)
        }
        let kind: DataType.Kind
        switch schema.kind {
        case .null: throw fail("a null type has no Paimon type")
        case .boolean: kind = .boolean
        case .int:
            switch schema.logicalType {
            case .date?: kind = .date
            case .timeMillis?: kind = .time(precision: 3)
            default: kind = .int
            }
        case .long:
            switch schema.logicalType {
            case .timeMicros?: kind = .time(precision: 6)
            case .timestampMillis?: kind = .timestamp(precision: 3)
            case .timestampMicros?: kind = .timestamp(precision: 6)
            case .timestampNanos?: kind = .timestamp(precision: 9)
            case .localTimestampMillis?: kind = .timestampLTZ(precision: 3)
            case .localTimestampMicros?: kind = .timestampLTZ(precision: 6)
            case .localTimestampNanos?: kind = .timestampLTZ(precision: 9)
            default: kind = .bigint
            }
        case .float: kind = .float
        case .double: kind = .double
        case .string, .enumeration: kind = .varchar(length: DataType.lengthMax)
        case .bytes, .fixed:
            if case .decimal(let p, let s)? = schema.logicalType {
                guard p <= 38 else { throw fail("decimal(\(p), \(s)) has more than the 38 digits Paimon's DECIMAL holds") }
                kind = .decimal(precision: p, scale: s)
            } else if case .fixed(let f) = schema.kind, f.size > 0 {
                kind = .binary(length: f.size)
            } else {
                kind = .varbinary(length: DataType.lengthMax)
            }
        case .array(let items):
            if let (key, value) = keyValueEntry(schema, names: names) {
                let k = try paimonDataType(key, names: names, nextID: &nextID, expanding: &expanding, path: path + ".items.key", depth: depth + 1)
                let v = try paimonDataType(value, names: names, nextID: &nextID, expanding: &expanding, path: path + ".items.value", depth: depth + 1)
                kind = .map(key: k, value: v)
            } else {
                kind = .array(element: try paimonDataType(items, names: names, nextID: &nextID, expanding: &expanding,
                                                          path: path + ".items", depth: depth + 1))
            }
        case .map(let values):
            let v = try paimonDataType(values, names: names, nextID: &nextID, expanding: &expanding, path: path + ".values", depth: depth + 1)
            kind = .map(key: DataType.string.nullable(false), value: v)
        case .record(let r):
            guard expanding.insert(r.name.fullName).inserted else { throw fail("recursive record \(r.name) has no Paimon type") }
            kind = .row(fields: try paimonFields(r, names: names, nextID: &nextID, expanding: &expanding, path: path))
            expanding.remove(r.name.fullName)
        case .union, .reference:
            throw fail("unresolved type")
        }
        return DataType(kind, nullable: false)
    }

    /// For an array marked `"logicalType": "map"` whose items are records of exactly the fields `key` and `value`
    /// (in either order): their types.
    static func keyValueEntry(_ schema: AvroSchema, names: AvroNamedTypes) -> (AvroSchema, AvroSchema)? {
        guard case .array(let items) = schema.kind, schema.logicalType == .other("map"),
              case .record(let r) = names.resolve(items).kind, r.fields.count == 2,
              let k = r.index(of: "key"), let v = r.index(of: "value") else { return nil }
        return (r.fields[k].type, r.fields[v].type)
    }
}
