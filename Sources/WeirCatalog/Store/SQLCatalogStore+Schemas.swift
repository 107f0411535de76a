extension SQLCatalogStore {
    public func createSchema(_ path: SchemaPath, comment: String?, properties: [String: String], caller: Caller) async throws -> Schema {
        try Self.validateSchema(path, comment: comment, properties: properties)
        let audit = AuditInfo.created(by: caller.user, at: now())
        return try await tx { tx in
            let catalog = try await self.catalogRecord(tx, path.catalogPath, requireInUse: true)
            try await self.insert(tx, .schema, parent: catalog.id, name: path.schema, comment: comment, properties: properties,
                                  detail: EmptyDetail(), audit: audit, existsMessage: "Schema \(path) already exists")
            return Schema(name: path.schema, comment: comment, properties: properties, audit: audit)
        }
    }

    public func ensureSchema(_ path: SchemaPath, comment: String?, properties: [String: String], caller: Caller) async throws -> Schema {
        try Self.validateSchema(path, comment: comment, properties: properties)
        let audit = AuditInfo.created(by: caller.user, at: now())
        return try await tx { tx in
            let catalog = try await self.catalogRecord(tx, path.catalogPath, requireInUse: true)
            if let existing = try await self.find(tx, .schema, parent: catalog.id, name: path.schema) { return existing.schema() }
            try await self.tryInsertIgnoringRace(tx, .schema, parent: catalog.id, name: path.schema, comment: comment, properties: properties,
                                                 detail: EmptyDetail(), audit: audit)
            return try await self.find(tx, .schema, parent: catalog.id, name: path.schema)?.schema()
                ?? Schema(name: path.schema, comment: comment, properties: properties, audit: audit)
        }
    }

    public func listSchemas(_ catalog: CatalogPath) async throws -> [Schema] {
        try await tx { tx in
            let record = try await self.catalogRecord(tx, catalog, requireInUse: true)
            return try await self.children(tx, .schema, parent: record.id).map { $0.schema() }
        }
    }

    public func schema(_ path: SchemaPath) async throws -> Schema {
        try await tx { tx in try await self.schemaRecord(tx, path).schema() }
    }

    public func alterSchema(_ path: SchemaPath, changes: [EntityChange], caller: Caller) async throws -> Schema {
        try await tx { tx in
            let record = try await self.schemaRecord(tx, path, forUpdate: true)
            let basics = try EntityBasics(name: record.name, comment: record.comment, properties: record.properties)
                .applying(changes, what: "schema", subject: .schema, allowsRename: false, allowsComment: false)
            let audit = try await self.update(tx, record, name: record.name, comment: record.comment, properties: basics.properties,
                                              detail: EmptyDetail(), caller: caller)
            return Schema(name: record.name, comment: record.comment, properties: basics.properties, audit: audit)
        }
    }

    public func dropSchema(_ path: SchemaPath, cascade: Bool) async throws -> Bool {
        try await tx { tx in
            let record: EntityRecord
            do {
                record = try await self.schemaRecord(tx, path, forUpdate: true)
            } catch let error as CatalogError where error.kind == .notFound {
                return false
            }
            if !cascade, try await self.hasChildren(tx, parent: record.id, kinds: [.table, .fileset, .model]) {
                throw CatalogError(.nonEmpty, .schema, "Schema \(path) is not empty; drop its objects first or drop with cascade")
            }
            try await self.deleteSubtree(tx, id: record.id)
            return true
        }
    }

    static func validateSchema(_ path: SchemaPath, comment: String?, properties: [String: String]) throws {
        try Names.validate(path.schema, what: "schema name")
        try Names.validate(comment: comment, of: "schema \(path)")
        try Names.validate(properties: properties, of: "schema \(path)")
    }

    /// Inserts a row unless one of that name appeared meanwhile (a concurrent import of the same external object).
    func tryInsertIgnoringRace(_ tx: any SQLTransaction, _ kind: EntityKind, parent: Int64, name: String, comment: String?,
                               properties: [String: String], detail: some Encodable, audit: AuditInfo) async throws {
        do {
            try await insert(tx, kind, parent: parent, name: name, comment: comment, properties: properties, detail: detail,
                             audit: audit, existsMessage: "")
        } catch let error as CatalogError where error.kind == .alreadyExists {
            return
        }
    }
}

extension SQLCatalogStore {
    public func createTable(_ schema: SchemaPath, _ table: Table, caller: Caller) async throws -> Table {
        try table.validate()
        var table = table
        table.audit = AuditInfo.created(by: caller.user, at: now())
        let created = table
        return try await tx { tx in
            let parent = try await self.schemaRecord(tx, schema)
            try await self.insert(tx, .table, parent: parent.id, name: created.name, comment: created.comment, properties: created.properties,
                                  detail: TableDetail(created), audit: created.audit, existsMessage: "Table \(schema).\(created.name) already exists")
            return created
        }
    }

    public func putTable(_ schema: SchemaPath, _ table: Table, caller: Caller) async throws -> Table {
        try table.validate()
        let audit = AuditInfo.created(by: caller.user, at: now())
        return try await tx { tx in
            let parent = try await self.schemaRecord(tx, schema)
            var stored = table
            if let existing = try await self.find(tx, .table, parent: parent.id, name: table.name, forUpdate: true) {
                if try existing.table() == Self.withAudit(table, existing.audit) { return try existing.table() }
                stored.audit = try await self.update(tx, existing, name: table.name, comment: table.comment, properties: table.properties,
                                                     detail: TableDetail(table), caller: caller)
            } else {
                stored.audit = audit
                try await self.tryInsertIgnoringRace(tx, .table, parent: parent.id, name: table.name, comment: table.comment,
                                                     properties: table.properties, detail: TableDetail(table), audit: audit)
            }
            return stored
        }
    }

    static func withAudit(_ table: Table, _ audit: AuditInfo) -> Table {
        var t = table
        t.audit = audit
        return t
    }

    public func listTables(_ schema: SchemaPath) async throws -> [String] {
        try await tx { tx in
            let parent = try await self.schemaRecord(tx, schema)
            return try await self.childNames(tx, .table, parent: parent.id)
        }
    }

    public func table(_ path: ObjectPath) async throws -> Table {
        try await tx { tx in try await self.objectRecord(tx, .table, path).table() }
    }

    public func alterTable(_ path: ObjectPath, changes: [TableChange], caller: Caller) async throws -> Table {
        try await tx { tx in
            let record = try await self.objectRecord(tx, .table, path, forUpdate: true)
            var table = try record.table().applying(changes)
            table.audit = try await self.update(tx, record, name: table.name, comment: table.comment, properties: table.properties,
                                                detail: TableDetail(table), caller: caller)
            return table
        }
    }

    public func dropTable(_ path: ObjectPath) async throws -> Bool {
        try await dropObject(.table, path)
    }

    func dropObject(_ kind: EntityKind, _ path: ObjectPath) async throws -> Bool {
        try await tx { tx in
            let record: EntityRecord
            do {
                record = try await self.objectRecord(tx, kind, path, forUpdate: true)
            } catch let error as CatalogError where error.kind == .notFound {
                return false
            }
            try await self.deleteSubtree(tx, id: record.id)
            return true
        }
    }
}
