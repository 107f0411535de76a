extension CatalogService {
    public func createSchema(_ path: SchemaPath, comment: String?, properties: [String: String], caller: Caller) async throws -> Schema {
        let catalog = try await usableCatalog(path.catalogPath)
        if let provider = try await relationalProvider(path.catalogPath, catalog) {
            try SQLCatalogStore.validateSchema(path, comment: comment, properties: properties)
            try await provider.createSchema(path.schema, comment: comment)
            _ = try await store.dropSchema(path, cascade: true)  // a stale record of a schema dropped outside Weir
            return try await store.createSchema(path, comment: comment, properties: properties, caller: caller)
        }
        return try await store.createSchema(path, comment: comment, properties: properties, caller: caller)
    }

    public func listSchemas(_ path: CatalogPath) async throws -> [String] {
        if let catalog = try await dispatch(path).served, let provider = try await relationalProvider(path, catalog) {
            return try await provider.listSchemas()
        }
        return try await store.listSchemas(path).map(\.name)
    }

    public func schema(_ path: SchemaPath, caller: Caller) async throws -> Schema {
        if let catalog = try await dispatch(path.catalogPath).served, let provider = try await relationalProvider(path.catalogPath, catalog) {
            let comment = try await provider.loadSchema(path.schema)
            return try await store.ensureSchema(path, comment: comment, properties: [:], caller: caller)
        }
        return try await store.schema(path)
    }

    public func alterSchema(_ path: SchemaPath, changes: [EntityChange], caller: Caller) async throws -> Schema {
        _ = try await schema(path, caller: caller)
        return try await store.alterSchema(path, changes: changes, caller: caller)
    }

    public func dropSchema(_ path: SchemaPath, cascade: Bool) async throws -> Bool {
        let catalog: Catalog
        do {
            catalog = try await usableCatalog(path.catalogPath)
        } catch let error as CatalogError where error.kind == .notFound {
            return false
        }
        if let provider = try await relationalProvider(path.catalogPath, catalog) {
            let dropped = try await provider.dropSchema(path.schema, cascade: cascade)
            _ = try await store.dropSchema(path, cascade: true)
            return dropped
        }
        return try await store.dropSchema(path, cascade: cascade)
    }
}

extension CatalogService {
    public func createTable(_ schema: SchemaPath, _ table: Table, caller: Caller) async throws -> Table {
        let catalog = try await usableCatalog(schema.catalogPath)
        try requireType(catalog, .relational, for: "tables", at: schema.catalogPath)
        if let provider = try await relationalProvider(schema.catalogPath, catalog) {
            try table.validate()
            _ = try await self.schema(schema, caller: caller)
            try await provider.createTable(schema: schema.schema, table)
            _ = try await store.dropTable(ObjectPath(schema, table.name))  // a stale record
            var created = try await provider.loadTable(schema: schema.schema, name: table.name)
            if !provider.ownsTableProperties { created.properties = table.properties }
            return try await store.createTable(schema, created, caller: caller)
        }
        return try await store.createTable(schema, table, caller: caller)
    }

    public func listTables(_ schema: SchemaPath, caller: Caller) async throws -> [String] {
        let dispatched = try await dispatch(schema.catalogPath)
        try await requireType(dispatched, .relational, for: "tables", at: schema.catalogPath)
        if let catalog = dispatched.served, let provider = try await relationalProvider(schema.catalogPath, catalog) {
            return try await provider.listTables(schema: schema.schema)
        }
        return try await store.listTables(schema)
    }

    public func table(_ path: ObjectPath, caller: Caller) async throws -> Table {
        let dispatched = try await dispatch(path.schemaPath.catalogPath)
        try await requireType(dispatched, .relational, for: "tables", at: path.schemaPath.catalogPath)
        if let catalog = dispatched.served, let provider = try await relationalProvider(path.schemaPath.catalogPath, catalog) {
            return try await syncedTable(provider, path, caller: caller)
        }
        return try await store.table(path)
    }

    /// The provider's table merged with the store's record (properties, unless the provider keeps them itself;
    /// audit); the record is refreshed when the provider's definition changed.
    func syncedTable(_ provider: any RelationalTableProvider, _ path: ObjectPath, caller: Caller) async throws -> Table {
        _ = try await schema(path.schemaPath, caller: caller)
        var live = try await provider.loadTable(schema: path.schemaPath.schema, name: path.name)
        if !provider.ownsTableProperties, let record = try? await store.table(path) { live.properties = record.properties }
        return try await store.putTable(path.schemaPath, live, caller: caller)
    }

    public func alterTable(_ path: ObjectPath, changes: [TableChange], caller: Caller) async throws -> Table {
        let catalog = try await usableCatalog(path.schemaPath.catalogPath)
        try requireType(catalog, .relational, for: "tables", at: path.schemaPath.catalogPath)
        guard let provider = try await relationalProvider(path.schemaPath.catalogPath, catalog) else {
            return try await store.alterTable(path, changes: changes, caller: caller)
        }
        _ = try await syncedTable(provider, path, caller: caller)
        try await provider.alterTable(schema: path.schemaPath.schema, name: path.name, changes: changes)
        let altered = try await store.alterTable(path, changes: changes, caller: caller)
        return try await syncedTable(provider, ObjectPath(path.schemaPath, altered.name), caller: caller)
    }

    public func dropTable(_ path: ObjectPath, purge: Bool) async throws -> Bool {
        let catalog: Catalog
        do {
            catalog = try await usableCatalog(path.schemaPath.catalogPath)
        } catch let error as CatalogError where error.kind == .notFound {
            return false
        }
        try requireType(catalog, .relational, for: "tables", at: path.schemaPath.catalogPath)
        if let provider = try await relationalProvider(path.schemaPath.catalogPath, catalog) {
            let dropped: Bool
            do {
                dropped = try await provider.dropTable(schema: path.schemaPath.schema, name: path.name, purge: purge)
            } catch let error as CatalogError where error.kind == .notFound {
                dropped = false
            }
            _ = try? await store.dropTable(path)
            return dropped
        }
        return try await store.dropTable(path)
    }
}
