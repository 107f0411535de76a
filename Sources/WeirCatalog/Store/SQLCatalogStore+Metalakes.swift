extension SQLCatalogStore {
    public func createMetalake(name: String, comment: String?, properties: [String: String], caller: Caller) async throws -> Metalake {
        try Names.validate(name, what: "metalake name")
        try Names.validate(comment: comment, of: "metalake \(name)")
        try Names.validate(properties: properties, of: "metalake \(name)")
        let inUse = properties["in-use"].map { $0.lowercased() != "false" } ?? true
        let audit = AuditInfo.created(by: caller.user, at: now())
        return try await tx { tx in
            try await self.insert(tx, .metalake, parent: 0, name: name, comment: comment, properties: properties,
                                  detail: MetalakeDetail(inUse: inUse), audit: audit, existsMessage: "Metalake \(name) already exists")
            return Metalake(name: name, comment: comment, properties: properties, inUse: inUse, audit: audit)
        }
    }

    public func listMetalakes() async throws -> [Metalake] {
        try await tx { tx in try await self.children(tx, .metalake, parent: 0).map { try $0.metalake() } }
    }

    public func metalake(_ name: String) async throws -> Metalake {
        try await tx { tx in try await self.metalakeRecord(tx, name, requireInUse: false).metalake() }
    }

    public func alterMetalake(_ name: String, changes: [EntityChange], caller: Caller) async throws -> Metalake {
        try await tx { tx in
            let record = try await self.metalakeRecord(tx, name, requireInUse: true, forUpdate: true)
            let basics = try EntityBasics(name: record.name, comment: record.comment, properties: record.properties)
                .applying(changes, what: "metalake", subject: .metalake)
            var metalake = try record.metalake()
            metalake.audit = try await self.update(tx, record, name: basics.name, comment: basics.comment, properties: basics.properties,
                                                   detail: MetalakeDetail(inUse: metalake.inUse), caller: caller)
            metalake.name = basics.name
            metalake.comment = basics.comment
            metalake.properties = basics.properties
            return metalake
        }
    }

    public func setMetalakeInUse(_ name: String, _ inUse: Bool, caller: Caller) async throws {
        try await tx { tx in
            let record = try await self.metalakeRecord(tx, name, requireInUse: false, forUpdate: true)
            var properties = record.properties
            if properties["in-use"] != nil { properties["in-use"] = inUse ? "true" : "false" }
            _ = try await self.update(tx, record, name: record.name, comment: record.comment, properties: properties,
                                      detail: MetalakeDetail(inUse: inUse), caller: caller)
        }
    }

    public func dropMetalake(_ name: String, force: Bool) async throws -> Bool {
        try await tx { tx in
            guard let record = try await self.find(tx, .metalake, parent: 0, name: name, forUpdate: true) else { return false }
            if !force {
                if try record.metalake().inUse {
                    throw CatalogError(.inUse, .metalake, "Metalake \(name) is in use; disable it first or drop with force")
                }
                if try await self.hasChildren(tx, parent: record.id, kinds: [.catalog]) {
                    throw CatalogError(.nonEmpty, .metalake, "Metalake \(name) has catalogs; drop them first or drop with force")
                }
            }
            try await self.deleteSubtree(tx, id: record.id)
            return true
        }
    }
}

extension SQLCatalogStore {
    public func createCatalog(_ path: CatalogPath, type: CatalogType, provider: String, comment: String?, properties: [String: String],
                              caller: Caller) async throws -> Catalog {
        try Names.validate(path.catalog, what: "catalog name")
        try Names.validate(comment: comment, of: "catalog \(path)")
        try Names.validate(properties: properties, of: "catalog \(path)")
        let audit = AuditInfo.created(by: caller.user, at: now())
        return try await tx { tx in
            let metalake = try await self.metalakeRecord(tx, path.metalake, requireInUse: true)
            try await self.insert(tx, .catalog, parent: metalake.id, name: path.catalog, comment: comment, properties: properties,
                                  detail: CatalogDetail(type: type, provider: provider, inUse: true), audit: audit,
                                  existsMessage: "Catalog \(path) already exists")
            return Catalog(name: path.catalog, type: type, provider: provider, comment: comment, properties: properties, inUse: true, audit: audit)
        }
    }

    public func listCatalogs(metalake: String) async throws -> [Catalog] {
        try await tx { tx in
            let record = try await self.metalakeRecord(tx, metalake, requireInUse: true)
            return try await self.children(tx, .catalog, parent: record.id).map { try $0.catalog() }
        }
    }

    public func catalog(_ path: CatalogPath) async throws -> Catalog {
        try await tx { tx in try await self.catalogRecord(tx, path, requireInUse: false).catalog() }
    }

    public func alterCatalog(_ path: CatalogPath, changes: [EntityChange], caller: Caller) async throws -> Catalog {
        try await tx { tx in
            let record = try await self.catalogRecord(tx, path, requireInUse: true, forUpdate: true)
            let basics = try EntityBasics(name: record.name, comment: record.comment, properties: record.properties)
                .applying(changes, what: "catalog", subject: .catalog)
            var catalog = try record.catalog()
            catalog.audit = try await self.update(tx, record, name: basics.name, comment: basics.comment, properties: basics.properties,
                                                  detail: CatalogDetail(type: catalog.type, provider: catalog.provider, inUse: catalog.inUse), caller: caller)
            catalog.name = basics.name
            catalog.comment = basics.comment
            catalog.properties = basics.properties
            return catalog
        }
    }

    public func setCatalogInUse(_ path: CatalogPath, _ inUse: Bool, caller: Caller) async throws {
        try await tx { tx in
            let record = try await self.catalogRecord(tx, path, requireInUse: false, forUpdate: true)
            let catalog = try record.catalog()
            _ = try await self.update(tx, record, name: record.name, comment: record.comment, properties: record.properties,
                                      detail: CatalogDetail(type: catalog.type, provider: catalog.provider, inUse: inUse), caller: caller)
        }
    }

    public func dropCatalog(_ path: CatalogPath, force: Bool) async throws -> Bool {
        try await tx { tx in
            let metalake: EntityRecord
            do {
                metalake = try await self.metalakeRecord(tx, path.metalake, requireInUse: true)
            } catch let error as CatalogError where error.kind == .notFound {
                return false
            }
            guard let record = try await self.find(tx, .catalog, parent: metalake.id, name: path.catalog, forUpdate: true) else { return false }
            if !force {
                if try record.catalog().inUse {
                    throw CatalogError(.inUse, .catalog, "Catalog \(path) is in use; disable it first or drop with force")
                }
                if try await self.hasChildren(tx, parent: record.id, kinds: [.schema]) {
                    throw CatalogError(.nonEmpty, .catalog, "Catalog \(path) has schemas; drop them first or drop with force")
                }
            }
            try await self.deleteSubtree(tx, id: record.id)
            return true
        }
    }
}
