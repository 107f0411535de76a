import Foundation

/// The `jdbc-postgresql` provider: the catalog's schemas and tables are those of a real PostgreSQL database,
/// reached through PostgresNIO with the catalog properties `jdbc-url` (`jdbc:postgresql://host:port/db`),
/// `jdbc-user`, `jdbc-password` and `jdbc-database` (which overrides the URL's database).
///
/// Creates and alters run as DDL in one transaction; loads read `pg_catalog`. Partitioning, distribution and
/// sort orders cannot be expressed and are refused as unsupported; indexes become PRIMARY KEY and UNIQUE
/// constraints; comments become `COMMENT ON`; auto-increment becomes an identity column.
public final class PostgresTableProvider: RelationalTableProvider {
    public static let providerName = "jdbc-postgresql"
    public static let urlProperty = "jdbc-url"
    public static let userProperty = "jdbc-user"
    public static let passwordProperty = "jdbc-password"
    public static let databaseProperty = "jdbc-database"
    /// PostgreSQL's identifier limit, in bytes (longer names would be cut silently).
    public static let identifierBytesMax = 63
    /// How long one call may take, including connecting, in milliseconds (then: connection failed).
    public static let statementTimeoutMs = 5_000

    let backend: PostgresBackend

    /// Reads the connection properties; illegalArgument when `jdbc-url` or `jdbc-user` is missing or malformed.
    public init(properties: [String: String]) throws {
        guard let url = properties[Self.urlProperty], !url.isEmpty else {
            throw CatalogError(.illegalArgument, .catalog, "a \(Self.providerName) catalog needs the property \(Self.urlProperty)")
        }
        guard let user = properties[Self.userProperty], !user.isEmpty else {
            throw CatalogError(.illegalArgument, .catalog, "a \(Self.providerName) catalog needs the property \(Self.userProperty)")
        }
        let location = try PostgresLocation(url: url, user: user, password: properties[Self.passwordProperty],
                                            database: properties[Self.databaseProperty].flatMap { $0.isEmpty ? nil : $0 })
        backend = PostgresBackend(location: location, connectionsMax: 4, transactionTimeoutMs: Self.statementTimeoutMs)
    }

    public func close() async { await backend.close() }

    // MARK: - Schemas

    public func listSchemas() async throws -> [String] {
        try await run { tx in
            try await tx.query("""
                SELECT nspname::text FROM pg_namespace
                WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY nspname
                """, []).compactMap { $0[0].string }
        }
    }

    public func loadSchema(_ name: String) async throws -> String? {
        try await run { tx in
            let rows = try await tx.query("SELECT obj_description(oid, 'pg_namespace')::text FROM pg_namespace WHERE nspname = ?", [.text(name)])
            guard let row = rows.first else { throw CatalogError(.notFound, .schema, "Schema \(name) does not exist in PostgreSQL") }
            return row[0].string
        }
    }

    public func createSchema(_ name: String, comment: String?) async throws {
        try Self.checkIdentifier(name, what: "schema name")
        try await run { tx in
            if try await !tx.query("SELECT 1 FROM pg_namespace WHERE nspname = ?", [.text(name)]).isEmpty {
                throw CatalogError(.alreadyExists, .schema, "Schema \(name) already exists in PostgreSQL")
            }
            try await tx.execute("CREATE SCHEMA \(Self.quote(name))", [])
            if let comment { try await tx.execute("COMMENT ON SCHEMA \(Self.quote(name)) IS \(Self.literal(comment))", []) }
        }
    }

    public func dropSchema(_ name: String, cascade: Bool) async throws -> Bool {
        try await run { tx in
            if try await tx.query("SELECT 1 FROM pg_namespace WHERE nspname = ?", [.text(name)]).isEmpty { return false }
            if !cascade, try await !tx.query("""
                SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? LIMIT 1
                """, [.text(name)]).isEmpty {
                throw CatalogError(.nonEmpty, .schema, "Schema \(name) is not empty in PostgreSQL; drop its tables first or drop with cascade")
            }
            try await tx.execute("DROP SCHEMA \(Self.quote(name)) \(cascade ? "CASCADE" : "RESTRICT")", [])
            return true
        }
    }

    // MARK: - Tables

    public func listTables(schema: String) async throws -> [String] {
        try await run { tx in
            try await self.requireSchema(tx, schema)
            return try await tx.query("""
                SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = ? AND c.relkind IN ('r', 'p') ORDER BY c.relname
                """, [.text(schema)]).compactMap { $0[0].string }
        }
    }

    public func loadTable(schema: String, name: String) async throws -> Table {
        try await run { tx in try await self.readTable(tx, schema: schema, name: name) }
    }

    public func createTable(schema: String, _ table: Table) async throws {
        try table.validate()
        try Self.checkIdentifier(table.name, what: "table name")
        guard table.partitioning.isEmpty, table.sortOrders.isEmpty, table.distribution.strategy == .none || table.distribution.number == 0 else {
            throw CatalogError(.unsupported, .table, "a \(Self.providerName) table has no partitioning, distribution or sort orders")
        }
        try await run { tx in
            try await self.requireSchema(tx, schema)
            if try await self.tableOID(tx, schema: schema, name: table.name) != nil {
                throw CatalogError(.alreadyExists, .table, "Table \(schema).\(table.name) already exists in PostgreSQL")
            }
            var parts = try table.columns.map(Self.columnDefinition)
            for index in table.indexes { parts.append(Self.constraint(index)) }
            let qualified = "\(Self.quote(schema)).\(Self.quote(table.name))"
            try await tx.execute("CREATE TABLE \(qualified) (\(parts.joined(separator: ", ")))", [])
            if let comment = table.comment { try await tx.execute("COMMENT ON TABLE \(qualified) IS \(Self.literal(comment))", []) }
            for column in table.columns {
                if let comment = column.comment {
                    try await tx.execute("COMMENT ON COLUMN \(qualified).\(Self.quote(column.name)) IS \(Self.literal(comment))", [])
                }
            }
        }
    }

    public func alterTable(schema: String, name: String, changes: [TableChange]) async throws {
        try await run { tx in
            let current = try await self.readTable(tx, schema: schema, name: name)
            _ = try current.applying(changes)
            var qualified = "\(Self.quote(schema)).\(Self.quote(name))"
            for change in changes {
                switch change {
                case .rename(let newName, _):
                    try Self.checkIdentifier(newName, what: "table name")
                    try await tx.execute("ALTER TABLE \(qualified) RENAME TO \(Self.quote(newName))", [])
                    qualified = "\(Self.quote(schema)).\(Self.quote(newName))"
                case .updateComment(let comment):
                    try await tx.execute("COMMENT ON TABLE \(qualified) IS \(comment.map(Self.literal) ?? "NULL")", [])
                case .setProperty, .removeProperty:
                    break  // kept in the catalog store's record
                case .addColumn(var column, let path, let position):
                    guard position == .last else {
                        throw CatalogError(.unsupported, .table, "PostgreSQL adds columns only at the end")
                    }
                    column.name = path[0]
                    try await tx.execute("ALTER TABLE \(qualified) ADD COLUMN \(try Self.columnDefinition(column))", [])
                    if let comment = column.comment {
                        try await tx.execute("COMMENT ON COLUMN \(qualified).\(Self.quote(column.name)) IS \(Self.literal(comment))", [])
                    }
                case .renameColumn(let path, let newName):
                    try Self.checkIdentifier(newName, what: "column name")
                    try await tx.execute("ALTER TABLE \(qualified) RENAME COLUMN \(Self.quote(path[0])) TO \(Self.quote(newName))", [])
                case .updateColumnType(let path, let type):
                    let pgType = try PostgresTypeMapping.postgresType(type, column: path[0])
                    try await tx.execute("ALTER TABLE \(qualified) ALTER COLUMN \(Self.quote(path[0])) TYPE \(pgType) USING \(Self.quote(path[0]))::\(pgType)", [])
                case .updateColumnComment(let path, let comment):
                    try await tx.execute("COMMENT ON COLUMN \(qualified).\(Self.quote(path[0])) IS \(comment.map(Self.literal) ?? "NULL")", [])
                case .updateColumnPosition:
                    throw CatalogError(.unsupported, .table, "PostgreSQL cannot move columns")
                case .updateColumnNullability(let path, let nullable):
                    try await tx.execute("ALTER TABLE \(qualified) ALTER COLUMN \(Self.quote(path[0])) \(nullable ? "DROP" : "SET") NOT NULL", [])
                case .updateColumnDefaultValue(let path, let value):
                    if let value {
                        try await tx.execute("ALTER TABLE \(qualified) ALTER COLUMN \(Self.quote(path[0])) SET DEFAULT \(try Self.defaultSQL(value))", [])
                    } else {
                        try await tx.execute("ALTER TABLE \(qualified) ALTER COLUMN \(Self.quote(path[0])) DROP DEFAULT", [])
                    }
                case .updateColumnAutoIncrement(let path, let on):
                    try await tx.execute("ALTER TABLE \(qualified) ALTER COLUMN \(Self.quote(path[0])) \(on ? "ADD GENERATED BY DEFAULT AS IDENTITY" : "DROP IDENTITY IF EXISTS")", [])
                case .deleteColumn(let path, let ifExists):
                    try await tx.execute("ALTER TABLE \(qualified) DROP COLUMN \(ifExists ? "IF EXISTS " : "")\(Self.quote(path[0]))", [])
                case .addIndex(let index):
                    try await tx.execute("ALTER TABLE \(qualified) ADD \(Self.constraint(index))", [])
                case .deleteIndex(let indexName, let ifExists):
                    try await tx.execute("ALTER TABLE \(qualified) DROP CONSTRAINT \(ifExists ? "IF EXISTS " : "")\(Self.quote(indexName))", [])
                }
            }
        }
    }

    public func dropTable(schema: String, name: String, purge: Bool) async throws -> Bool {
        try await run { tx in
            guard try await self.tableOID(tx, schema: schema, name: name) != nil else { return false }
            try await tx.execute("DROP TABLE \(Self.quote(schema)).\(Self.quote(name))", [])
            return true
        }
    }

    // MARK: - Reading pg_catalog

    func readTable(_ tx: any SQLTransaction, schema: String, name: String) async throws -> Table {
        try await requireSchema(tx, schema)
        guard let oid = try await tableOID(tx, schema: schema, name: name) else {
            throw CatalogError(.notFound, .table, "Table \(schema).\(name) does not exist in PostgreSQL")
        }
        let comment = try await tx.query("SELECT obj_description(?::bigint::oid, 'pg_class')::text", [.integer(oid)]).first?[0].string
        let columnRows = try await tx.query("""
            SELECT a.attname::text, format_type(a.atttypid, a.atttypmod)::text, a.attnotnull, (a.attidentity <> ''),
                   pg_get_expr(d.adbin, d.adrelid)::text, col_description(a.attrelid, a.attnum)::text
            FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = ?::bigint::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
            """, [.integer(oid)])
        let columns = columnRows.map { row -> Column in
            let type = PostgresTypeMapping.gravitinoType(row[1].string ?? "")
            return Column(name: row[0].string ?? "", type: type, comment: row[5].string, nullable: row[2].int != 1,
                          autoIncrement: row[3].int == 1, defaultValue: row[4].string.flatMap { Self.defaultExpression($0, type: type) })
        }
        let indexRows = try await tx.query("""
            SELECT con.conname::text, con.contype::text, a.attname::text
            FROM pg_constraint con JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) ON true
            JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
            WHERE con.conrelid = ?::bigint::oid AND con.contype IN ('p', 'u') ORDER BY con.conname, k.ord
            """, [.integer(oid)])
        var indexes: [TableIndex] = []
        for row in indexRows {
            guard let conName = row[0].string, let type = row[1].string, let column = row[2].string else { continue }
            if let i = indexes.firstIndex(where: { $0.name == conName }) {
                indexes[i].fieldNames.append([column])
            } else {
                indexes.append(TableIndex(indexType: type == "p" ? .primaryKey : .uniqueKey, name: conName, fieldNames: [[column]]))
            }
        }
        return Table(name: name, comment: comment, columns: columns, properties: [:], indexes: indexes,
                     audit: AuditInfo(creator: "", createTime: Date(millisecondsSince1970: 0), lastModifier: "", lastModifiedTime: Date(millisecondsSince1970: 0)))
    }

    func requireSchema(_ tx: any SQLTransaction, _ schema: String) async throws {
        if try await tx.query("SELECT 1 FROM pg_namespace WHERE nspname = ?", [.text(schema)]).isEmpty {
            throw CatalogError(.notFound, .schema, "Schema \(schema) does not exist in PostgreSQL")
        }
    }

    func tableOID(_ tx: any SQLTransaction, schema: String, name: String) async throws -> Int64? {
        try await tx.query("""
            SELECT c.oid::int8 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')
            """, [.text(schema), .text(name)]).first?[0].int
    }

    /// Runs `body` in a transaction on the catalog's database, reporting failures as catalog errors.
    func run<T: Sendable>(_ body: @escaping @Sendable (any SQLTransaction) async throws -> T) async throws -> T {
        do {
            return try await backend.transaction(body)
        } catch let error as SQLError {
            switch error.kind {
            case .connection: throw CatalogError(.connectionFailed, .catalog, "\(Self.providerName) \(backend.location): \(error.message)")
            case .uniqueViolation: throw CatalogError(.alreadyExists, .table, "\(Self.providerName): \(error.message)")
            case .failed: throw CatalogError(.illegalArgument, .table, "\(Self.providerName) \(backend.location): \(error.message)")
            }
        }
    }

    // MARK: - SQL text

    static func checkIdentifier(_ name: String, what: String) throws {
        try Names.validate(name, what: what)
        guard name.utf8.count <= identifierBytesMax else {
            throw CatalogError(.illegalArgument, .table, "the \(what) '\(name.prefix(40))…' is longer than PostgreSQL's \(identifierBytesMax) bytes")
        }
    }

    static func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    static func columnDefinition(_ column: Column) throws -> String {
        try checkIdentifier(column.name, what: "column name")
        var sql = "\(quote(column.name)) \(try PostgresTypeMapping.postgresType(column.type, column: column.name))"
        if column.autoIncrement { sql += " GENERATED BY DEFAULT AS IDENTITY" }
        if !column.nullable { sql += " NOT NULL" }
        if let value = column.defaultValue { sql += " DEFAULT \(try defaultSQL(value))" }
        return sql
    }

    static func constraint(_ index: TableIndex) -> String {
        let columns = index.fieldNames.map { quote($0.joined(separator: ".")) }.joined(separator: ", ")
        let kind = index.indexType == .primaryKey ? "PRIMARY KEY" : "UNIQUE"
        if let name = index.name, !name.isEmpty { return "CONSTRAINT \(quote(name)) \(kind) (\(columns))" }
        return "\(kind) (\(columns))"
    }

    /// SQL for a default-value expression: literals as quoted strings, a few niladic functions.
    static func defaultSQL(_ expression: JSONValue) throws -> String {
        switch expression["type"]?.stringValue?.lowercased() {
        case "literal":
            guard let value = expression["value"]?.stringValue, expression["dataType"]?.stringValue != "null" else { return "NULL" }
            return literal(value)
        case "function":
            let name = expression["funcName"]?.stringValue?.lowercased() ?? ""
            let niladic = ["current_timestamp", "current_date", "current_time", "localtimestamp", "localtime", "now"]
            guard niladic.contains(name), (expression["funcArgs"]?.arrayValue ?? []).isEmpty else {
                throw CatalogError(.unsupported, .table, "the default function '\(name.prefix(60))' is not supported by \(providerName)")
            }
            return name == "now" ? "now()" : name
        default:
            throw CatalogError(.unsupported, .table, "\(providerName) supports literal and current-time defaults only")
        }
    }

    /// A default expression as PostgreSQL prints it, read back into Gravitino's form.
    static func defaultExpression(_ text: String, type: JSONValue) -> JSONValue? {
        if text.hasPrefix("nextval(") { return nil }
        if text.uppercased().hasPrefix("NULL") {
            return .object(["type": .string("literal"), "dataType": .string("null"), "value": .string("null")])
        }
        if text.hasPrefix("'"), let end = text.dropFirst().range(of: "'::") ?? text.dropFirst().range(of: "'", options: .backwards) {
            let value = String(text.dropFirst()[..<end.lowerBound]).replacingOccurrences(of: "''", with: "'")
            return .object(["type": .string("literal"), "dataType": type, "value": .string(value)])
        }
        let bare = text.hasPrefix("(") && text.hasSuffix(")") ? String(text.dropFirst().dropLast()) : text
        if Double(bare) != nil || bare == "true" || bare == "false" {
            return .object(["type": .string("literal"), "dataType": type, "value": .string(bare)])
        }
        let lowered = text.lowercased()
        if ["current_timestamp", "current_date", "current_time", "localtimestamp", "localtime", "now()"].contains(lowered) {
            return .object(["type": .string("function"), "funcName": .string(lowered == "now()" ? "now" : lowered), "funcArgs": .array([])])
        }
        return .object(["type": .string("unparsed"), "unparsedExpression": .string(text)])
    }
}
