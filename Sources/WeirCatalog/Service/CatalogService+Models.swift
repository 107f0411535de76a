extension CatalogService {
    /// The model catalog of `schema`'s models, refusing other catalog types as unsupported.
    func modelCatalog(_ schema: SchemaPath) async throws {
        try await requireType(try await dispatch(schema.catalogPath), .model, for: "models", at: schema.catalogPath)
    }

    public func registerModel(_ path: ObjectPath, comment: String?, properties: [String: String], caller: Caller) async throws -> Model {
        try await modelCatalog(path.schemaPath)
        return try await store.registerModel(path, comment: comment, properties: properties, caller: caller)
    }

    public func listModels(_ schema: SchemaPath) async throws -> [String] {
        try await modelCatalog(schema)
        return try await store.listModels(schema)
    }

    public func model(_ path: ObjectPath) async throws -> Model {
        try await modelCatalog(path.schemaPath)
        return try await store.model(path)
    }

    public func alterModel(_ path: ObjectPath, changes: [EntityChange], caller: Caller) async throws -> Model {
        try await modelCatalog(path.schemaPath)
        return try await store.alterModel(path, changes: changes, caller: caller)
    }

    public func dropModel(_ path: ObjectPath) async throws -> Bool {
        do {
            try await modelCatalog(path.schemaPath)
        } catch let error as CatalogError where error.kind == .notFound {
            return false
        }
        return try await store.dropModel(path)
    }

    public func linkModelVersion(_ path: ObjectPath, uris: [String: String], aliases: [String], comment: String?, properties: [String: String],
                                 caller: Caller) async throws -> ModelVersion {
        try await modelCatalog(path.schemaPath)
        return try await store.linkModelVersion(path, uris: uris, aliases: aliases, comment: comment, properties: properties, caller: caller)
    }

    public func listModelVersions(_ path: ObjectPath) async throws -> [ModelVersion] {
        try await modelCatalog(path.schemaPath)
        return try await store.listModelVersions(path)
    }

    public func modelVersion(_ path: ObjectPath, _ ref: ModelVersionRef) async throws -> ModelVersion {
        try await modelCatalog(path.schemaPath)
        return try await store.modelVersion(path, ref)
    }

    public func alterModelVersion(_ path: ObjectPath, _ ref: ModelVersionRef, changes: [ModelVersionChange], caller: Caller) async throws -> ModelVersion {
        try await modelCatalog(path.schemaPath)
        return try await store.alterModelVersion(path, ref, changes: changes, caller: caller)
    }

    public func dropModelVersion(_ path: ObjectPath, _ ref: ModelVersionRef) async throws -> Bool {
        do {
            try await modelCatalog(path.schemaPath)
        } catch let error as CatalogError where error.kind == .notFound {
            return false
        }
        return try await store.dropModelVersion(path, ref)
    }

    /// The URI of a version: the named one; else the only one; else the one the version's, then the model's
    /// `default-uri-name` property names; otherwise illegalArgument.
    public func modelVersionURI(_ path: ObjectPath, _ ref: ModelVersionRef, uriName: String?) async throws -> String {
        let version = try await modelVersion(path, ref)
        let name: String
        if let uriName, !uriName.isEmpty {
            name = uriName
        } else if version.uris.count == 1 {
            name = version.uris.keys.first!
        } else if let fromVersion = version.properties[ModelVersion.defaultURINameProperty] {
            name = fromVersion
        } else if let fromModel = try await store.model(path).properties[ModelVersion.defaultURINameProperty] {
            name = fromModel
        } else {
            throw CatalogError(.illegalArgument, .modelVersion, "model \(path) \(ref) has several URIs and no \(ModelVersion.defaultURINameProperty) property; name one")
        }
        guard let uri = version.uris[name] else {
            throw CatalogError(.notFound, .modelVersionURI, "model \(path) \(ref) has no URI named \(name)")
        }
        return uri
    }
}

extension CatalogService {
    /// Makes sure objects of provider-served catalogs that a tag call names have records (they may have been
    /// created outside Weir).
    func importForTags(metalake: String, _ object: MetadataObject, caller: Caller) async throws {
        guard [.schema, .table, .column].contains(object.type), let parts = try? object.parts() else { return }
        let catalogPath = CatalogPath(metalake, parts[0])
        guard let catalog = try? await store.catalog(catalogPath), catalog.inUse,
              let provider = try await relationalProvider(catalogPath, catalog) else { return }
        let schema = SchemaPath(metalake, parts[0], parts[1])
        do {
            if object.type == .schema {
                _ = try await self.schema(schema, caller: caller)
            } else {
                _ = try await syncedTable(provider, ObjectPath(schema, parts[2]), caller: caller)
            }
        } catch let error as CatalogError where error.kind == .notFound {
            throw CatalogError(.notFound, .metadataObject, "\(object.type.rawValue.capitalized) \(object.fullName) does not exist")
        }
    }

    public func associateTags(metalake: String, object: MetadataObject, add: [String], remove: [String], caller: Caller) async throws -> [String] {
        try await importForTags(metalake: metalake, object, caller: caller)
        return try await store.associateTags(metalake: metalake, object: object, add: add, remove: remove)
    }

    public func tags(metalake: String, object: MetadataObject, caller: Caller) async throws -> [ObjectTag] {
        try await importForTags(metalake: metalake, object, caller: caller)
        return try await store.tags(metalake: metalake, object: object)
    }
}
