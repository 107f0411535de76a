extension SQLCatalogStore {
    public func createFileset(_ schema: SchemaPath, _ fileset: Fileset, caller: Caller) async throws -> Fileset {
        try Names.validate(fileset.name, what: "fileset name")
        try Names.validate(comment: fileset.comment, of: "fileset \(fileset.name)")
        try Names.validate(properties: fileset.properties, of: "fileset \(fileset.name)")
        var created = fileset
        created.audit = AuditInfo.created(by: caller.user, at: now())
        let value = created
        return try await tx { tx in
            let parent = try await self.schemaRecord(tx, schema)
            try await self.insert(tx, .fileset, parent: parent.id, name: value.name, comment: value.comment, properties: value.properties,
                                  detail: FilesetDetail(type: value.type, storageLocations: value.storageLocations), audit: value.audit,
                                  existsMessage: "Fileset \(schema).\(value.name) already exists")
            return value
        }
    }

    public func listFilesets(_ schema: SchemaPath) async throws -> [String] {
        try await tx { tx in
            let parent = try await self.schemaRecord(tx, schema)
            return try await self.childNames(tx, .fileset, parent: parent.id)
        }
    }

    public func fileset(_ path: ObjectPath) async throws -> Fileset {
        try await tx { tx in try await self.objectRecord(tx, .fileset, path).fileset() }
    }

    public func alterFileset(_ path: ObjectPath, changes: [EntityChange], caller: Caller) async throws -> Fileset {
        try await tx { tx in
            let record = try await self.objectRecord(tx, .fileset, path, forUpdate: true)
            var fileset = try record.fileset()
            let basics = try EntityBasics(name: record.name, comment: record.comment, properties: record.properties)
                .applying(changes, what: "fileset", subject: .fileset)
            if basics.properties[Fileset.defaultLocationNameProperty] != record.properties[Fileset.defaultLocationNameProperty] {
                let name = basics.properties[Fileset.defaultLocationNameProperty]
                guard let name, fileset.storageLocations[name] != nil else {
                    throw CatalogError(.illegalArgument, .fileset, "\(Fileset.defaultLocationNameProperty) of fileset \(path) must name one of its locations (\(fileset.storageLocations.keys.sorted().joined(separator: ", ")))")
                }
            }
            fileset.audit = try await self.update(tx, record, name: basics.name, comment: basics.comment, properties: basics.properties,
                                                  detail: FilesetDetail(type: fileset.type, storageLocations: fileset.storageLocations), caller: caller)
            fileset.name = basics.name
            fileset.comment = basics.comment
            fileset.properties = basics.properties
            return fileset
        }
    }

    public func dropFileset(_ path: ObjectPath) async throws -> Fileset? {
        try await tx { tx in
            let record: EntityRecord
            do {
                record = try await self.objectRecord(tx, .fileset, path, forUpdate: true)
            } catch let error as CatalogError where error.kind == .notFound {
                return nil
            }
            let fileset = try record.fileset()
            try await self.deleteSubtree(tx, id: record.id)
            return fileset
        }
    }
}
