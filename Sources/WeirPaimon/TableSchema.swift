import WeirCodecs
import WeirColumnar

/// One version of a table's schema, the content of `schema/schema-<id>`; mirrors
/// `org.apache.paimon.schema.TableSchema` and its JSON form `SchemaSerializer` (spec/paimon-format.md section 2).
///
/// Contracts:
/// - A value is always consistent: the initialiser checks what Java's constructor checks (the trimmed primary key
///   is not empty, `bucket-key` names fields outside the partition and inside the primary key, `bucket` parses)
///   plus what the derived values need (field names unique, field ids unique across nested fields,
///   `highestFieldId` at least the largest id, key lists name existing fields without duplicates). Table rules
///   beyond that (NOT NULL keys, bucket values per table kind, …) are ``SchemaValidation``'s.
/// - Reading (``init(parsing:subject:)``): `version` absent ⇒ 1; version ≤ 1 without `bucket` ⇒ `bucket = 1`;
///   version ≤ 2 without `file.format` ⇒ `orc`; `comment` absent or `null` ⇒ nil (Java would read a JSON `null`
///   as the text "null", as pypaimon writes it); `timeMillis` absent ⇒ 0; unknown keys ignored; at most
///   ``jsonBytesMax`` bytes.
/// - Writing (``toJson()``): Java's key order `version, id, fields, highestFieldId, partitionKeys, primaryKeys,
///   options[, comment], timeMillis`, Jackson's pretty printing (`"key" : value`), options in Java `HashMap` order,
///   `comment` omitted when nil, `STRING`/`BYTES` spellings. New schemas carry `version: 3`; a parsed schema keeps
///   its version, as Java's serializer does.
public struct TableSchema: Sendable, Equatable {
    public static let paimon07Version: Int32 = 1
    public static let paimon08Version: Int32 = 2
    public static let currentVersion: Int32 = 3
    /// The largest schema file read.
    public static let jsonBytesMax = 16 << 20

    public let version: Int32
    public let id: Int64
    public let fields: [DataField]
    /// The largest field id ever used, nested fields included; never decreases.
    public let highestFieldId: Int
    public let partitionKeys: [String]
    public let primaryKeys: [String]
    public let options: [String: String]
    public let comment: String?
    /// Creation time of this schema version, epoch milliseconds.
    public let timeMillis: Int64
    /// `DataField.defaultValue` of fields (nested included) by field id; `WeirColumnar.DataField` has no such member.
    public let defaultValues: [Int: String]

    /// `primaryKeys` minus `partitionKeys`, in primary-key order (empty for append tables).
    public let trimmedPrimaryKeys: [String]
    /// `bucket-key` split on `,` when set, else the trimmed primary key.
    public let bucketKeys: [String]
    /// The `bucket` option (default -1).
    public let numBuckets: Int32

    public init(
        version: Int32 = TableSchema.currentVersion, id: Int64, fields: [DataField], highestFieldId: Int,
        partitionKeys: [String], primaryKeys: [String], options: [String: String], comment: String? = nil,
        timeMillis: Int64, defaultValues: [Int: String] = [:], subject: String? = nil
    ) throws(PaimonFormatError) {
        let subject = subject ?? "schema-\(id)"
        func fail(_ message: String) -> PaimonFormatError { PaimonFormatError(subject, message) }
        guard id >= 0 else { throw fail("schema id \(id) is negative") }
        self.version = version
        self.id = id
        self.fields = fields
        self.highestFieldId = highestFieldId
        self.partitionKeys = partitionKeys
        self.primaryKeys = primaryKeys
        self.options = options
        self.comment = comment
        self.timeMillis = timeMillis
        self.defaultValues = defaultValues

        do {
            try RowType(fields).validate()
        } catch {
            throw fail(error.description)
        }
        var ids = Set<Int>()
        for id in Self.allFieldIds(fields) {
            guard ids.insert(id).inserted else { throw fail("field id \(id) is used twice") }
        }
        let maxId = ids.max() ?? -1
        guard highestFieldId >= maxId else {
            throw fail("highestFieldId \(highestFieldId) is below the largest field id \(maxId)")
        }
        let names = Set(fields.map(\.name))
        for (label, keys) in [("partitionKeys", partitionKeys), ("primaryKeys", primaryKeys)] {
            var seen = Set<String>()
            for key in keys {
                guard names.contains(key) else { throw fail("\(label) names '\(key)', which is not a field") }
                guard seen.insert(key).inserted else { throw fail("\(label) lists '\(key)' twice") }
            }
        }
        // TableSchema#trimmedPrimaryKeys
        let trimmed = primaryKeys.filter { !partitionKeys.contains($0) }
        if !primaryKeys.isEmpty && trimmed.isEmpty {
            throw fail(
                "primary key constraint \(primaryKeys) should not be same with partition fields \(partitionKeys), "
                    + "this will result in only one record in a partition")
        }
        trimmedPrimaryKeys = trimmed
        // TableSchema#originalBucketKeys
        let core = CoreOptions(options)
        let original = core.bucketKey()
        if !original.isEmpty {
            guard original.allSatisfy(names.contains) else {
                throw fail("field names \(fields.map(\.name)) should contain all bucket keys \(original)")
            }
            guard !original.contains(where: partitionKeys.contains) else {
                throw fail("bucket keys \(original) should not be in partition keys \(partitionKeys)")
            }
            if !primaryKeys.isEmpty, !original.allSatisfy(primaryKeys.contains) {
                throw fail("primary keys \(primaryKeys) should contain all bucket keys \(original)")
            }
            bucketKeys = original
        } else {
            bucketKeys = trimmed
        }
        numBuckets = try core.bucket()
    }

    // MARK: derived values

    public var fieldNames: [String] { fields.map(\.name) }
    public var logicalRowType: RowType { RowType(fields) }
    public var coreOptions: CoreOptions { CoreOptions(options) }
    /// The partition columns in `partitionKeys` order.
    public var logicalPartitionType: RowType { projectedLogicalRowType(partitionKeys) }
    public var logicalPrimaryKeysType: RowType { projectedLogicalRowType(primaryKeys) }
    public var logicalTrimmedPrimaryKeysType: RowType { projectedLogicalRowType(trimmedPrimaryKeys) }
    public var logicalBucketKeyType: RowType { projectedLogicalRowType(bucketKeys) }

    /// True when a primary-key table's key does not contain every partition column (cross-partition upsert).
    public var crossPartitionUpdate: Bool {
        guard !primaryKeys.isEmpty, !partitionKeys.isEmpty else { return false }
        return !partitionKeys.allSatisfy(primaryKeys.contains)
    }

    /// The positions of `names` in `fields`. Precondition: each name is a field (the key lists always are).
    public func projection(_ names: [String]) -> [Int] {
        names.map { name in
            guard let index = fields.firstIndex(where: { $0.name == name }) else {
                preconditionFailure("'\(name)' is not a field of schema-\(id)")
            }
            return index
        }
    }

    public func projectedLogicalRowType(_ names: [String]) -> RowType {
        RowType(projection(names).map { fields[$0] })
    }

    /// `RowType.currentHighestFieldId`: the largest field id among `fields` and their nested fields, -1 if none.
    public static func currentHighestFieldId(_ fields: [DataField]) -> Int {
        allFieldIds(fields).max() ?? -1
    }

    static func allFieldIds(_ fields: [DataField]) -> [Int] {
        var out: [Int] = []
        func visit(_ type: DataType) {
            switch type.kind {
            case .array(let e), .multiset(let e): visit(e)
            case .map(let k, let v): visit(k); visit(v)
            case .row(let nested):
                for field in nested {
                    out.append(field.id)
                    visit(field.type)
                }
            default: break
            }
        }
        for field in fields {
            out.append(field.id)
            visit(field.type)
        }
        return out
    }

    // MARK: creating and evolving

    /// A column to create: name, type and optional description.
    public struct Column: Sendable, Equatable {
        public var name: String
        public var type: DataType
        public var description: String?
        public init(_ name: String, _ type: DataType, description: String? = nil) {
            self.name = name
            self.type = type
            self.description = description
        }
    }

    /// A new table's first schema, as `Schema` + `TableSchema.create` build it: field ids from 0 in declaration
    /// order (a field before its nested fields, `ReassignFieldId`); the `primary-key` and `partition` options folded
    /// into the key lists (split on `,`, trimmed) and removed, an error if the lists are also given; `path` removed;
    /// primary-key columns made NOT NULL (`Schema.normalizeFields`); `version` 3.
    public static func create(
        id: Int64 = 0, columns: [Column], partitionKeys: [String] = [], primaryKeys: [String] = [],
        options: [String: String] = [:], comment: String? = nil, timeMillis: Int64
    ) throws(PaimonFormatError) -> TableSchema {
        let subject = "schema-\(id)"
        var options = options
        var primaryKeys = primaryKeys
        var partitionKeys = partitionKeys
        if let pk = options.removeValue(forKey: CoreOptions.primaryKey.key) {
            guard primaryKeys.isEmpty else {
                throw PaimonFormatError(subject, "cannot define primary key on DDL and table options at the same time")
            }
            primaryKeys = pk.split(separator: ",").map { TimeUtils.javaTrim(String($0)) }.filter { !$0.isEmpty }
        }
        if let partition = options.removeValue(forKey: CoreOptions.partition.key) {
            guard partitionKeys.isEmpty else {
                throw PaimonFormatError(subject, "cannot define partition on DDL and table options at the same time")
            }
            partitionKeys = partition.split(separator: ",").map { TimeUtils.javaTrim(String($0)) }.filter { !$0.isEmpty }
        }
        options.removeValue(forKey: "path")
        var highest = -1
        var fields: [DataField] = []
        for column in columns {
            highest += 1
            let id = highest
            var type = reassignFieldIds(column.type, highest: &highest)
            if primaryKeys.contains(column.name) { type = type.nullable(false) }
            fields.append(DataField(id: id, name: column.name, type: type, description: column.description))
        }
        return try TableSchema(
            id: id, fields: fields, highestFieldId: highest, partitionKeys: partitionKeys, primaryKeys: primaryKeys,
            options: options, comment: comment, timeMillis: timeMillis)
    }

    /// The next schema with one more (nullable) column at the end, as `SchemaManager` adds a column: the new field
    /// takes id `highestFieldId + 1`, its nested ROW fields the ids after that; schema id + 1, version 3.
    public func addingColumn(
        _ name: String, type: DataType, description: String? = nil, defaultValue: String? = nil, timeMillis: Int64
    ) throws(PaimonFormatError) -> TableSchema {
        let subject = "schema-\(id + 1)"
        guard !fields.contains(where: { $0.name == name }) else {
            throw PaimonFormatError(subject, "the column '\(name)' already exists")
        }
        guard type.isNullable else {
            throw PaimonFormatError(subject, "column '\(name)' cannot specify NOT NULL in the \(id) table")
        }
        var highest = highestFieldId + 1
        let fieldId = highest
        let reassigned = Self.reassignFieldIds(type, highest: &highest)
        var defaults = defaultValues
        if let defaultValue { defaults[fieldId] = defaultValue }
        return try TableSchema(
            id: id + 1, fields: fields + [DataField(id: fieldId, name: name, type: reassigned, description: description)],
            highestFieldId: highest, partitionKeys: partitionKeys, primaryKeys: primaryKeys, options: options,
            comment: comment, timeMillis: timeMillis, defaultValues: defaults)
    }

    /// The next schema with `options` replaced (schema id + 1, version 3).
    public func withOptions(_ newOptions: [String: String], timeMillis: Int64) throws(PaimonFormatError) -> TableSchema {
        try TableSchema(
            id: id + 1, fields: fields, highestFieldId: highestFieldId, partitionKeys: partitionKeys,
            primaryKeys: primaryKeys, options: newOptions, comment: comment, timeMillis: timeMillis,
            defaultValues: defaultValues)
    }

    /// `ReassignFieldId.reassign`: gives every nested ROW field a fresh id from `highest + 1` on, depth first.
    public static func reassignFieldIds(_ type: DataType, highest: inout Int) -> DataType {
        switch type.kind {
        case .array(let e): return DataType(.array(element: reassignFieldIds(e, highest: &highest)), nullable: type.isNullable)
        case .multiset(let e): return DataType(.multiset(element: reassignFieldIds(e, highest: &highest)), nullable: type.isNullable)
        case .map(let k, let v):
            let key = reassignFieldIds(k, highest: &highest)
            let value = reassignFieldIds(v, highest: &highest)
            return DataType(.map(key: key, value: value), nullable: type.isNullable)
        case .row(let nested):
            var out: [DataField] = []
            for field in nested {
                highest += 1
                let id = highest
                out.append(DataField(id: id, name: field.name, type: reassignFieldIds(field.type, highest: &highest), description: field.description))
            }
            return DataType(.row(fields: out), nullable: type.isNullable)
        default:
            return type
        }
    }

    // MARK: JSON

    /// Parses a schema file (`SchemaSerializer.deserialize`); `subject` names it in errors (e.g. its path).
    public init(parsing bytes: [UInt8], subject: String = "schema file") throws(PaimonFormatError) {
        let root = try JsonSerdeUtil.parse(bytes, subject: subject, bytesMax: Self.jsonBytesMax)
        let object = try JsonSerdeUtil.ObjectReader(root, subject: subject)
        let version = try object.optionalInt32("version") ?? Self.paimon07Version
        let id = try object.int64("id")
        guard case .array(let fieldNodes) = try object.required("fields") else {
            throw PaimonFormatError(subject, "\"fields\" must be an array")
        }
        let parsed = try DataTypeJsonParser.parseDataFields(fieldNodes, subject: subject, path: "fields")
        let highest64 = try object.int64("highestFieldId")
        guard let highest = Int(exactly: highest64), highest >= -1, highest <= Int(Int32.max) else {
            throw PaimonFormatError(subject, "\"highestFieldId\" = \(highest64) is out of range")
        }
        let partitionKeys = try object.stringArray("partitionKeys")
        let primaryKeys = try object.stringArray("primaryKeys")
        var options: [String: String] = [:]
        for entry in try object.stringMap("options") { options[entry.key] = entry.value }
        if version <= Self.paimon07Version, options[CoreOptions.bucket.key] == nil {
            options[CoreOptions.bucket.key] = "1"
        }
        if version <= Self.paimon08Version, options[CoreOptions.fileFormat.key] == nil {
            options[CoreOptions.fileFormat.key] = "orc"
        }
        let comment = try object.optionalString("comment")
        let timeMillis = try object.optionalInt64("timeMillis") ?? 0
        try self.init(
            version: version, id: id, fields: parsed.fields, highestFieldId: highest, partitionKeys: partitionKeys,
            primaryKeys: primaryKeys, options: options, comment: comment, timeMillis: timeMillis,
            defaultValues: parsed.defaultValues, subject: subject)
    }

    /// The JSON tree Java's `SchemaSerializer.serialize` writes.
    public var jsonNode: JsonSerdeUtil.Node {
        var members: [JsonSerdeUtil.Member] = [
            .init("version", .integer(version)),
            .init("id", .integer(id)),
            .init("fields", .array(fields.map { DataTypeJsonSerializer.serializeJson($0, defaultValues: defaultValues) })),
            .init("highestFieldId", .integer(highestFieldId)),
            .init("partitionKeys", .array(partitionKeys.map { .string($0) })),
            .init("primaryKeys", .array(primaryKeys.map { .string($0) })),
            .init("options", .object(JavaHashMapOrder.members(options))),
        ]
        if let comment { members.append(.init("comment", .string(comment))) }
        members.append(.init("timeMillis", .integer(timeMillis)))
        return .object(members)
    }

    /// `TableSchema#toString` / `JsonSerdeUtil.toJson`: the schema file text.
    public func toJson() -> String { JsonSerdeUtil.toJson(jsonNode) }
}
