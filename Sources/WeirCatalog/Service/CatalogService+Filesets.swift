import WeirFileIO

extension CatalogService {
    /// Creates a fileset: resolves its locations (``FilesetLocations/resolve(catalog:catalogProperties:schema:schemaProperties:fileset:type:requested:properties:)``),
    /// creates them for a managed fileset, then records it.
    public func createFileset(_ schema: SchemaPath, name: String, comment: String?, type: FilesetType, storageLocations: [String: String],
                              properties: [String: String], caller: Caller) async throws -> Fileset {
        try Names.validate(name, what: "fileset name")
        let catalog = try await usableCatalog(schema.catalogPath)
        try requireType(catalog, .fileset, for: "filesets", at: schema.catalogPath)
        let schemaRecord = try await store.schema(schema)
        var catalogProperties = catalog.properties
        if let warehouse, FilesetLocations.baseLocations(catalog.properties).isEmpty,
           FilesetLocations.baseLocations(schemaRecord.properties).isEmpty, storageLocations.isEmpty {
            catalogProperties[FilesetLocations.locationProperty] = warehouse + "/" + schema.catalog
        }
        let (locations, resolvedProperties) = try FilesetLocations.resolve(
            catalog: schema.catalog, catalogProperties: catalogProperties, schema: schema.schema, schemaProperties: schemaRecord.properties,
            fileset: name, type: type, requested: storageLocations, properties: properties)
        if (try? await store.fileset(ObjectPath(schema, name))) != nil {
            throw CatalogError(.alreadyExists, .fileset, "Fileset \(schema).\(name) already exists")
        }
        if type == .managed && !filesystemOpsDisabled(catalog) {
            for (locationName, location) in locations.sorted(by: { $0.key < $1.key }) {
                guard let path = try FilesetLocations.storagePath(of: location) else {
                    throw CatalogError(.illegalArgument, .fileset, "location \(locationName) of managed fileset \(name) is \(location), a scheme Weir has no FileIO for (use file:, memory:// or s3://, or set \(Self.disableFilesystemOpsProperty)=true on the catalog)")
                }
                do {
                    try await files.fileIO(for: path).mkdirs(path)
                } catch {
                    throw CatalogError(.illegalArgument, .fileset, "cannot create location \(locationName) of fileset \(name) at \(location): \(error)")
                }
            }
        }
        let fileset = Fileset(name: name, comment: comment, type: type, storageLocations: locations, properties: resolvedProperties,
                              audit: .created(by: caller.user, at: .init()))
        return try await store.createFileset(schema, fileset, caller: caller)
    }

    public func listFilesets(_ schema: SchemaPath) async throws -> [String] {
        try await requireType(try await dispatch(schema.catalogPath), .fileset, for: "filesets", at: schema.catalogPath)
        return try await store.listFilesets(schema)
    }

    public func fileset(_ path: ObjectPath) async throws -> Fileset {
        try await requireType(try await dispatch(path.schemaPath.catalogPath), .fileset, for: "filesets", at: path.schemaPath.catalogPath)
        return try await store.fileset(path)
    }

    public func alterFileset(_ path: ObjectPath, changes: [EntityChange], caller: Caller) async throws -> Fileset {
        try await requireType(try await dispatch(path.schemaPath.catalogPath), .fileset, for: "filesets", at: path.schemaPath.catalogPath)
        return try await store.alterFileset(path, changes: changes, caller: caller)
    }

    /// Drops a fileset; a managed fileset's locations are removed with everything in them.
    public func dropFileset(_ path: ObjectPath) async throws -> Bool {
        let catalog: Catalog
        do {
            catalog = try await usableCatalog(path.schemaPath.catalogPath)
        } catch let error as CatalogError where error.kind == .notFound {
            return false
        }
        try requireType(catalog, .fileset, for: "filesets", at: path.schemaPath.catalogPath)
        guard let dropped = try await store.dropFileset(path) else { return false }
        if dropped.type == .managed && !filesystemOpsDisabled(catalog) {
            for location in dropped.storageLocations.values {
                guard let storage = try? FilesetLocations.storagePath(of: location), !storage.isRoot else { continue }
                do {
                    _ = try await files.fileIO(for: storage).delete(storage, recursive: true)
                } catch {
                    throw CatalogError(.internalError, .fileset, "fileset \(path) was dropped but its location \(location) could not be removed: \(error)")
                }
            }
        }
        return true
    }

    /// The location of `subPath` in a fileset (spec section 6, "GET …/location"): the location named
    /// `locationName`, else the only one, else the one the `default-location-name` property names.
    ///
    /// - Parameter operation: the `FilesetDataOperation` header; `RENAME` of the fileset root (a blank or `/`
    ///   sub-path) is refused as an internal error, as the Java server does.
    public func fileLocation(_ path: ObjectPath, subPath: String, locationName: String?, operation: String?) async throws -> String {
        let fileset = try await self.fileset(path)
        let name: String?
        if let locationName, !locationName.isEmpty {
            name = locationName
        } else if fileset.storageLocations.count == 1 {
            name = fileset.storageLocations.keys.first
        } else {
            name = fileset.properties[Fileset.defaultLocationNameProperty]
        }
        guard let name, let location = fileset.storageLocations[name] else {
            throw CatalogError(.notFound, .location, "Fileset \(path) has no location named \(name ?? "(none)")")
        }
        let trimmed = subPath.trimmingCharacters(in: .whitespaces)
        if operation?.uppercased() == "RENAME" && (trimmed.isEmpty || trimmed == "/") {
            throw CatalogError(.internalError, .fileset, "cannot rename the root of fileset \(path)")
        }
        return try FilesetLocations.fileLocation(location, subPath: trimmed)
    }

    func filesystemOpsDisabled(_ catalog: Catalog) -> Bool {
        catalog.properties[Self.disableFilesystemOpsProperty]?.lowercased() == "true"
    }
}
