import WeirColumnar
import WeirPaimon

/// One change of `weir table alter` (Java's `org.apache.paimon.schema.SchemaChange`, the subset Weir supports).
public enum SchemaChange: Sendable, Equatable {
    /// A new nullable column at the end; it gets id `highestFieldId + 1`. Old files read it as NULL.
    case addColumn(name: String, type: DataType, description: String?)
    /// Same field id, new name: old files are still read, because columns are matched by id. Options that name
    /// the column (`bucket-key`, `sequence.field`, `fields.<column>.*`, sequence groups) follow it.
    case renameColumn(from: String, to: String)
    /// The column leaves the schema; its id is never reused.
    case dropColumn(name: String)
    /// A type that holds every value of the old one (see ``SchemaEvolution/isWidening(from:to:)``).
    case updateColumnType(name: String, type: DataType)
    case setOption(key: String, value: String)
    case removeOption(key: String)
    /// The table comment (nil removes it).
    case updateComment(String?)
}

/// Applies schema changes to a table schema the way Java's `SchemaManager.generateTableSchema` does, for the
/// changes Weir supports, with its restrictions: partition keys and primary keys cannot be dropped, renamed or
/// retyped; bucket count, bucket key, merge engine and other options fixed at creation cannot be changed; a
/// column type may only widen. The result has schema id + 1.
public enum SchemaEvolution {
    /// Options that decide where rows are or how they merge; changing them would make existing files wrong.
    public static let immutableOptions: Set<String> = [
        "bucket", "bucket-key", "bucket-function.type", "merge-engine", "sequence.field", "primary-key", "partition",
        "rowkind.field", "changelog-producer", "deletion-vectors.enabled",
    ]

    public static func apply(_ changes: [SchemaChange], to schema: TableSchema, timeMillis: Int64) throws(TableError) -> TableSchema {
        var fields = schema.fields
        var highest = schema.highestFieldId
        var options = schema.options
        var comment = schema.comment
        let subject = "schema-\(schema.id + 1)"
        func fail(_ message: String) -> TableError { TableError(.invalidInput, subject, message) }
        func index(of name: String) throws(TableError) -> Int {
            guard let i = fields.firstIndex(where: { $0.name == name }) else {
                throw TableError(.notFound, subject, "no column named \(name.debugDescription)")
            }
            return i
        }
        func checkNotKey(_ name: String, _ action: String) throws(TableError) {
            if schema.partitionKeys.contains(name) { throw fail("cannot \(action) partition column \(name)") }
            if schema.primaryKeys.contains(name) { throw fail("cannot \(action) primary key column \(name)") }
        }
        for change in changes {
            switch change {
            case .addColumn(let name, let type, let description):
                guard !fields.contains(where: { $0.name == name }) else { throw fail("the column \(name) already exists") }
                guard type.isNullable else { throw fail("a new column (\(name)) must be nullable: old rows have no value for it") }
                do { try TableIdentifier.validate(name, what: "column") } catch { throw fail(error.message) }
                highest += 1
                let id = highest
                var nestedHighest = highest
                let reassigned = TableSchema.reassignFieldIds(type, highest: &nestedHighest)
                highest = nestedHighest
                fields.append(DataField(id: id, name: name, type: reassigned, description: description))
            case .renameColumn(let from, let to):
                try checkNotKey(from, "rename")
                guard !fields.contains(where: { $0.name == to }) else { throw fail("the column \(to) already exists") }
                do { try TableIdentifier.validate(to, what: "column") } catch { throw fail(error.message) }
                let i = try index(of: from)
                fields[i].name = to
                options = renamingColumn(in: options, from: from, to: to)
            case .dropColumn(let name):
                try checkNotKey(name, "drop")
                let i = try index(of: name)
                guard fields.count > 1 else { throw fail("cannot drop the only column \(name)") }
                if options["sequence.field"]?.split(separator: ",").contains(Substring(name)) == true {
                    throw fail("cannot drop \(name): it is the sequence.field")
                }
                fields.remove(at: i)
            case .updateColumnType(let name, let type):
                try checkNotKey(name, "change the type of")
                let i = try index(of: name)
                guard isWidening(from: fields[i].type, to: type) else {
                    throw fail("cannot change column \(name) from \(fields[i].type) to \(type): only widening changes are allowed")
                }
                fields[i].type = type
            case .setOption(let key, let value):
                if immutableOptions.contains(key), options[key] != value {
                    throw fail("option \(key) cannot be changed after the table is created")
                }
                options[key] = value
            case .removeOption(let key):
                if immutableOptions.contains(key), options[key] != nil {
                    throw fail("option \(key) cannot be changed after the table is created")
                }
                options.removeValue(forKey: key)
            case .updateComment(let text):
                comment = text
            }
        }
        do {
            let next = try TableSchema(
                id: schema.id + 1, fields: fields, highestFieldId: highest, partitionKeys: schema.partitionKeys,
                primaryKeys: schema.primaryKeys, options: options, comment: comment, timeMillis: timeMillis,
                defaultValues: schema.defaultValues.filter { id, _ in fields.contains { $0.id == id } })
            _ = try CoreOptions(next.options).bucket()
            return next
        } catch {
            throw TableError(.invalidInput, error.subject, error.message)
        }
    }

    /// The options after column `from` is renamed `to`, as Java's `SchemaManager.applyRenameColumnsToOptions`
    /// rewrites them: the column lists `bucket-key` and `sequence.field`; the keys
    /// `fields.<from>.{aggregate-function, ignore-retract, distinct, list-agg-delimiter}`; and both the key and the
    /// value of `fields.<columns>.sequence-group` and `fields.<columns>.nested-key`. Otherwise a rename would leave
    /// options naming a column that no longer exists (a table that cannot be opened, or a column that silently
    /// loses its aggregate function).
    static func renamingColumn(in options: [String: String], from: String, to: String) -> [String: String] {
        func renamed(_ list: String) -> String {
            list.split(separator: ",", omittingEmptySubsequences: false).map { $0 == from ? to : String($0) }.joined(separator: ",")
        }
        var out = options
        for key in ["bucket-key", "sequence.field"] {
            if let value = options[key], !value.allSatisfy(\.isWhitespace) { out[key] = renamed(value) }
        }
        let prefix = CoreOptions.fieldsPrefix + "."
        for suffix in ["aggregate-function", "ignore-retract", "distinct", "list-agg-delimiter"] {
            if let value = out.removeValue(forKey: prefix + from + "." + suffix) { out[prefix + to + "." + suffix] = value }
        }
        for (key, value) in options where key.hasPrefix(prefix) {
            guard let suffix = ["sequence-group", "nested-key"].first(where: { key.hasSuffix("." + $0) }),
                  key.count > prefix.count + suffix.count + 1 else { continue }
            let columns = String(key.dropFirst(prefix.count).dropLast(suffix.count + 1))
            out.removeValue(forKey: key)
            out[prefix + renamed(columns) + "." + suffix] = renamed(value)
        }
        return out
    }

    /// Whether every value of `old` is a value of `new` with the same meaning: integer widening (TINYINT →
    /// SMALLINT → INT → BIGINT), FLOAT → DOUBLE, integers up to INT → DOUBLE and up to SMALLINT → FLOAT,
    /// DECIMAL with the same scale and a larger precision, CHAR/VARCHAR to a longer VARCHAR, BINARY/VARBINARY to
    /// a longer VARBINARY, TIMESTAMP precision raised, and NOT NULL → nullable (never the reverse).
    public static func isWidening(from old: DataType, to new: DataType) -> Bool {
        if !old.isNullable || new.isNullable {} else { return false }
        if old.kind == new.kind { return true }
        func rank(_ kind: DataType.Kind) -> Int? {
            switch kind {
            case .tinyint: return 1
            case .smallint: return 2
            case .int: return 3
            case .bigint: return 4
            default: return nil
            }
        }
        switch (old.kind, new.kind) {
        case (let a, let b) where rank(a) != nil && rank(b) != nil: return rank(a)! < rank(b)!
        case (.float, .double): return true
        case (let a, .double) where rank(a) != nil: return rank(a)! <= 3
        case (let a, .float) where rank(a) != nil: return rank(a)! <= 2
        case (.decimal(let p1, let s1), .decimal(let p2, let s2)): return s1 == s2 && p2 >= p1
        case (.char(let n1), .varchar(let n2)), (.varchar(let n1), .varchar(let n2)): return n2 >= n1
        case (.binary(let n1), .varbinary(let n2)), (.varbinary(let n1), .varbinary(let n2)): return n2 >= n1
        case (.timestamp(let p1), .timestamp(let p2)): return p2 >= p1
        case (.timestampLTZ(let p1), .timestampLTZ(let p2)): return p2 >= p1
        default: return false
        }
    }
}
