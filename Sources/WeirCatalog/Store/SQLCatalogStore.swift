import Foundation

/// The catalog store over any ``SQLBackend``: ``SQLiteBackend`` (the embedded default) or ``PostgresBackend``.
/// The rules of ``CatalogStore`` are written once here, so both databases behave identically; the backends
/// differ only in SQL dialect (placeholders, identity columns, row locks).
///
/// Use ``open(_:)`` with a store URL, or ``init(backend:now:)`` then ``migrate()``.
public final class SQLCatalogStore: CatalogStore {
    public let backend: any SQLBackend
    let now: @Sendable () -> Date

    /// The most entries one list call returns (a guard against unbounded result sets).
    public static let listCountMax = 100_000

    public init(backend: any SQLBackend, now: @escaping @Sendable () -> Date = Date.init) {
        self.backend = backend
        self.now = now
    }

    /// Applies the catalog migrations plus `extra` ones of other modules (jobs, workers) that share the database.
    @discardableResult
    public func migrate(extra: [Migration] = []) async throws -> [(module: String, version: Int)] {
        try await Migrator(backend: backend, now: now).migrate(CatalogMigrations.all + extra)
    }

    public func close() async { await backend.close() }

    /// Runs `body` in a transaction, turning database errors into ``CatalogError``s.
    func tx<T: Sendable>(_ body: @escaping @Sendable (any SQLTransaction) async throws -> T) async throws -> T {
        do {
            return try await backend.transaction(body)
        } catch let error as SQLError {
            switch error.kind {
            case .connection: throw CatalogError(.connectionFailed, .other, "catalog store: \(error.message)")
            case .uniqueViolation: throw CatalogError(.alreadyExists, .other, "catalog store: \(error.message)")
            case .failed: throw CatalogError(.internalError, .other, "catalog store: \(error.message)")
            }
        }
    }

    func stamp() -> Int64 { now().millisecondsSince1970 }

    // MARK: - Rows of catalog_entities

    func find(_ tx: any SQLTransaction, _ kind: EntityKind, parent: Int64, name: String, forUpdate: Bool = false) async throws -> EntityRecord? {
        let lock = forUpdate && tx.dialect == .postgresql ? " FOR UPDATE" : ""
        let rows = try await tx.query("SELECT \(EntityRecord.columns) FROM catalog_entities WHERE kind = ? AND parent_id = ? AND name = ?\(lock)",
                                      [.text(kind.rawValue), .integer(parent), .text(name)])
        return try rows.first.map(EntityRecord.init(row:))
    }

    func record(_ tx: any SQLTransaction, id: Int64) async throws -> EntityRecord? {
        let rows = try await tx.query("SELECT \(EntityRecord.columns) FROM catalog_entities WHERE id = ?", [.integer(id)])
        return try rows.first.map(EntityRecord.init(row:))
    }

    func children(_ tx: any SQLTransaction, _ kind: EntityKind, parent: Int64) async throws -> [EntityRecord] {
        let rows = try await tx.query("SELECT \(EntityRecord.columns) FROM catalog_entities WHERE kind = ? AND parent_id = ? ORDER BY name LIMIT \(Self.listCountMax)",
                                      [.text(kind.rawValue), .integer(parent)])
        return try rows.map(EntityRecord.init(row:))
    }

    func childNames(_ tx: any SQLTransaction, _ kind: EntityKind, parent: Int64) async throws -> [String] {
        try await tx.query("SELECT name FROM catalog_entities WHERE kind = ? AND parent_id = ? ORDER BY name LIMIT \(Self.listCountMax)",
                           [.text(kind.rawValue), .integer(parent)]).compactMap { $0[0].string }
    }

    func hasChildren(_ tx: any SQLTransaction, parent: Int64, kinds: [EntityKind]) async throws -> Bool {
        let marks = kinds.map { _ in "?" }.joined(separator: ", ")
        let rows = try await tx.query("SELECT 1 FROM catalog_entities WHERE parent_id = ? AND kind IN (\(marks)) LIMIT 1",
                                      [.integer(parent)] + kinds.map { .text($0.rawValue) })
        return !rows.isEmpty
    }

    /// Inserts a row; fails with alreadyExists (naming the kind) when the name is taken, also by a concurrent insert.
    @discardableResult
    func insert(_ tx: any SQLTransaction, _ kind: EntityKind, parent: Int64, name: String, comment: String?, properties: [String: String],
                detail: some Encodable, audit: AuditInfo, existsMessage: String) async throws -> Int64 {
        let rows = try await tx.query("""
            INSERT INTO catalog_entities (kind, parent_id, name, comment, properties, detail, creator, create_time_ms, last_modifier, last_modified_time_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, parent_id, name) DO NOTHING RETURNING id
            """, [.text(kind.rawValue), .integer(parent), .text(name), comment.map(SQLValue.text) ?? .null,
                  .text(try CatalogJSON.encode(properties)), .text(try CatalogJSON.encode(detail)),
                  .text(audit.creator), .integer(audit.createTime.millisecondsSince1970),
                  .text(audit.lastModifier), .integer(audit.lastModifiedTime.millisecondsSince1970)])
        guard let id = rows.first?[0].int else { throw CatalogError(.alreadyExists, kind.subject, existsMessage) }
        return id
    }

    /// Rewrites a row's name, comment, properties, detail and modification audit; a rename onto a taken name
    /// fails with alreadyExists.
    func update(_ tx: any SQLTransaction, _ record: EntityRecord, name: String, comment: String?, properties: [String: String],
                detail: some Encodable, caller: Caller) async throws -> AuditInfo {
        if name != record.name, try await find(tx, record.kind, parent: record.parentID, name: name) != nil {
            throw CatalogError(.alreadyExists, record.kind.subject, "\(record.kind.rawValue) \(name) already exists")
        }
        let audit = record.audit.modified(by: caller.user, at: now())
        try await tx.execute("""
            UPDATE catalog_entities SET name = ?, comment = ?, properties = ?, detail = ?, last_modifier = ?, last_modified_time_ms = ?
            WHERE id = ?
            """, [.text(name), comment.map(SQLValue.text) ?? .null, .text(try CatalogJSON.encode(properties)),
                  .text(try CatalogJSON.encode(detail)), .text(audit.lastModifier),
                  .integer(audit.lastModifiedTime.millisecondsSince1970), .integer(record.id)])
        return audit
    }

    /// Deletes the row `id`, everything below it, and their model versions, aliases and tag associations.
    func deleteSubtree(_ tx: any SQLTransaction, id: Int64) async throws {
        var all: [Int64] = [id]
        var frontier: [Int64] = [id]
        while !frontier.isEmpty {
            var next: [Int64] = []
            for chunk in frontier.chunked(500) {
                let marks = chunk.map { _ in "?" }.joined(separator: ", ")
                let rows = try await tx.query("SELECT id FROM catalog_entities WHERE parent_id IN (\(marks))", chunk.map(SQLValue.integer))
                next += rows.compactMap { $0[0].int }
            }
            all += next
            frontier = next
        }
        for chunk in all.chunked(500) {
            let marks = chunk.map { _ in "?" }.joined(separator: ", ")
            let binds = chunk.map(SQLValue.integer)
            try await tx.execute("DELETE FROM catalog_tag_links WHERE object_id IN (\(marks)) OR tag_id IN (\(marks))", binds + binds)
            try await tx.execute("DELETE FROM catalog_model_aliases WHERE model_id IN (\(marks))", binds)
            try await tx.execute("DELETE FROM catalog_model_versions WHERE model_id IN (\(marks))", binds)
            try await tx.execute("DELETE FROM catalog_entities WHERE id IN (\(marks))", binds)
        }
    }

    // MARK: - Resolving paths

    func metalakeRecord(_ tx: any SQLTransaction, _ name: String, requireInUse: Bool, forUpdate: Bool = false) async throws -> EntityRecord {
        guard let record = try await find(tx, .metalake, parent: 0, name: name, forUpdate: forUpdate) else {
            throw CatalogError(.notFound, .metalake, "Metalake \(name) does not exist")
        }
        if requireInUse, try !record.metalake().inUse {
            throw CatalogError(.notInUse, .metalake, "Metalake \(name) is not in use")
        }
        return record
    }

    func catalogRecord(_ tx: any SQLTransaction, _ path: CatalogPath, requireInUse: Bool, forUpdate: Bool = false) async throws -> EntityRecord {
        let metalake = try await metalakeRecord(tx, path.metalake, requireInUse: true)
        guard let record = try await find(tx, .catalog, parent: metalake.id, name: path.catalog, forUpdate: forUpdate) else {
            throw CatalogError(.notFound, .catalog, "Catalog \(path) does not exist")
        }
        if requireInUse, try !record.catalog().inUse {
            throw CatalogError(.notInUse, .catalog, "Catalog \(path) is not in use")
        }
        return record
    }

    /// The schema's row; `missing` is the subject reported when the schema (not the catalog) is absent.
    func schemaRecord(_ tx: any SQLTransaction, _ path: SchemaPath, missing: CatalogError.Subject = .schema, forUpdate: Bool = false) async throws -> EntityRecord {
        let catalog = try await catalogRecord(tx, path.catalogPath, requireInUse: true)
        guard let record = try await find(tx, .schema, parent: catalog.id, name: path.schema, forUpdate: forUpdate) else {
            throw CatalogError(.notFound, missing, "Schema \(path) does not exist")
        }
        return record
    }

    /// The row of a table, fileset or model. Without `forUpdate` the whole path (metalake, catalog, schema, object)
    /// is resolved in one query; with it, level by level so the object's row can be locked.
    func objectRecord(_ tx: any SQLTransaction, _ kind: EntityKind, _ path: ObjectPath, missingSchema: CatalogError.Subject = .schema,
                      forUpdate: Bool = false) async throws -> EntityRecord {
        if forUpdate {
            let schema = try await schemaRecord(tx, path.schemaPath, missing: missingSchema)
            guard let record = try await find(tx, kind, parent: schema.id, name: path.name, forUpdate: true) else {
                throw CatalogError(.notFound, kind.subject, "\(kind.rawValue.capitalized) \(path) does not exist")
            }
            return record
        }
        let objectColumns = EntityRecord.columns.split(separator: ",").map { "o." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")
        let rows = try await tx.query("""
            SELECT m.detail, c.detail, s.id, \(objectColumns)
            FROM catalog_entities m
            LEFT JOIN catalog_entities c ON c.parent_id = m.id AND c.kind = 'catalog' AND c.name = ?
            LEFT JOIN catalog_entities s ON s.parent_id = c.id AND s.kind = 'schema' AND s.name = ?
            LEFT JOIN catalog_entities o ON o.parent_id = s.id AND o.kind = ? AND o.name = ?
            WHERE m.kind = 'metalake' AND m.parent_id = 0 AND m.name = ?
            """, [.text(path.schemaPath.catalog), .text(path.schemaPath.schema), .text(kind.rawValue), .text(path.name), .text(path.schemaPath.metalake)])
        guard let row = rows.first, let metalake = row[0].string else {
            throw CatalogError(.notFound, .metalake, "Metalake \(path.schemaPath.metalake) does not exist")
        }
        guard try CatalogJSON.decode(MetalakeDetail.self, from: metalake, what: "metalake detail").inUse else {
            throw CatalogError(.notInUse, .metalake, "Metalake \(path.schemaPath.metalake) is not in use")
        }
        guard let catalog = row[1].string else {
            throw CatalogError(.notFound, .catalog, "Catalog \(path.schemaPath.catalogPath) does not exist")
        }
        guard try CatalogJSON.decode(CatalogDetail.self, from: catalog, what: "catalog detail").inUse else {
            throw CatalogError(.notInUse, .catalog, "Catalog \(path.schemaPath.catalogPath) is not in use")
        }
        guard row[2] != .null else {
            throw CatalogError(.notFound, missingSchema, "Schema \(path.schemaPath) does not exist")
        }
        guard row[3] != .null else {
            throw CatalogError(.notFound, kind.subject, "\(kind.rawValue.capitalized) \(path) does not exist")
        }
        return try EntityRecord(row: Array(row[3...]))
    }

    /// Runs `body` and maps a notFound of any subject to false (for drops, which report absence as false).
    func absentAsFalse(_ body: () async throws -> Bool) async throws -> Bool {
        do {
            return try await body()
        } catch let error as CatalogError where error.kind == .notFound {
            return false
        }
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
