import Foundation

extension SQLCatalogStore {
    public func createTag(metalake: String, name: String, comment: String?, properties: [String: String], caller: Caller) async throws -> Tag {
        try Names.validate(name, what: "tag name")
        try Names.validate(comment: comment, of: "tag \(name)")
        try Names.validate(properties: properties, of: "tag \(name)")
        let audit = AuditInfo.created(by: caller.user, at: now())
        return try await tx { tx in
            let parent = try await self.metalakeRecord(tx, metalake, requireInUse: true)
            try await self.insert(tx, .tag, parent: parent.id, name: name, comment: comment, properties: properties, detail: EmptyDetail(),
                                  audit: audit, existsMessage: "Tag \(name) already exists in metalake \(metalake)")
            return Tag(name: name, comment: comment, properties: properties, audit: audit)
        }
    }

    public func listTags(metalake: String) async throws -> [Tag] {
        try await tx { tx in
            let parent = try await self.metalakeRecord(tx, metalake, requireInUse: true)
            return try await self.children(tx, .tag, parent: parent.id).map { $0.tag() }
        }
    }

    public func tag(metalake: String, name: String) async throws -> Tag {
        try await tx { tx in try await self.tagRecord(tx, metalake: metalake, name: name).tag() }
    }

    public func alterTag(metalake: String, name: String, changes: [EntityChange], caller: Caller) async throws -> Tag {
        try await tx { tx in
            let record = try await self.tagRecord(tx, metalake: metalake, name: name, forUpdate: true)
            let basics = try EntityBasics(name: record.name, comment: record.comment, properties: record.properties)
                .applying(changes, what: "tag", subject: .tag)
            let audit = try await self.update(tx, record, name: basics.name, comment: basics.comment, properties: basics.properties,
                                              detail: EmptyDetail(), caller: caller)
            return Tag(name: basics.name, comment: basics.comment, properties: basics.properties, audit: audit)
        }
    }

    public func dropTag(metalake: String, name: String) async throws -> Bool {
        try await tx { tx in
            let record: EntityRecord
            do {
                record = try await self.tagRecord(tx, metalake: metalake, name: name, forUpdate: true)
            } catch let error as CatalogError where error.kind == .notFound {
                return false
            }
            try await self.deleteSubtree(tx, id: record.id)
            return true
        }
    }

    public func associateTags(metalake: String, object: MetadataObject, add: [String], remove: [String]) async throws -> [String] {
        let both = Set(add).intersection(remove)
        let add = add.filter { !both.contains($0) }, remove = remove.filter { !both.contains($0) }
        for name in add + remove { try Names.validate(name, what: "tag name") }
        return try await tx { tx in
            let ml = try await self.metalakeRecord(tx, metalake, requireInUse: true)
            let target = try await self.resolve(tx, metalakeID: ml.id, object)
            for name in remove {
                guard let tag = try await self.find(tx, .tag, parent: ml.id, name: name) else {
                    throw CatalogError(.notFound, .metadataObject, "Tag \(name) does not exist in metalake \(metalake)")
                }
                try await tx.execute("DELETE FROM catalog_tag_links WHERE tag_id = ? AND object_id = ? AND column_name = ?",
                                     [.integer(tag.id), .integer(target.id), .text(target.column)])
            }
            for name in add {
                guard let tag = try await self.find(tx, .tag, parent: ml.id, name: name) else {
                    throw CatalogError(.notFound, .metadataObject, "Tag \(name) does not exist in metalake \(metalake)")
                }
                let inserted = try await tx.query("""
                    INSERT INTO catalog_tag_links (tag_id, object_id, column_name, object_type) VALUES (?, ?, ?, ?)
                    ON CONFLICT (tag_id, object_id, column_name) DO NOTHING RETURNING tag_id
                    """, [.integer(tag.id), .integer(target.id), .text(target.column), .text(object.type.rawValue)])
                guard !inserted.isEmpty else {
                    throw CatalogError(.alreadyExists, .tagAssociation, "Tag \(name) is already associated with \(object.type.rawValue) \(object.fullName)")
                }
            }
            return try await self.directTags(tx, objectID: target.id, column: target.column).map(\.name)
        }
    }

    public func tags(metalake: String, object: MetadataObject) async throws -> [ObjectTag] {
        try await tx { tx in
            let ml = try await self.metalakeRecord(tx, metalake, requireInUse: true)
            let target = try await self.resolve(tx, metalakeID: ml.id, object)
            var result = try await self.directTags(tx, objectID: target.id, column: target.column).map { ObjectTag(tag: $0, inherited: false) }
            var seen = Set(result.map(\.tag.name))
            // Parents: a column's table, then each entity up to (not including) the metalake.
            var current: Int64? = target.column.isEmpty ? target.parentID : target.id
            while let id = current, id != ml.id, id != 0, let record = try await self.record(tx, id: id) {
                for tag in try await self.directTags(tx, objectID: id, column: "") where seen.insert(tag.name).inserted {
                    result.append(ObjectTag(tag: tag, inherited: true))
                }
                current = record.parentID
            }
            return result
        }
    }

    public func objects(metalake: String, tag: String) async throws -> [MetadataObject] {
        try await tx { tx in
            let record = try await self.tagRecord(tx, metalake: metalake, name: tag)
            let links = try await tx.query("SELECT object_id, column_name, object_type FROM catalog_tag_links WHERE tag_id = ? ORDER BY object_id, column_name LIMIT \(Self.listCountMax)",
                                           [.integer(record.id)])
            var objects: [MetadataObject] = []
            for link in links {
                guard let id = link[0].int, let column = link[1].string, let typeText = link[2].string,
                      let type = MetadataObjectType(rawValue: typeText) else { continue }
                var parts: [String] = column.isEmpty ? [] : [column]
                var current: Int64? = id
                while let cid = current, let entity = try await self.record(tx, id: cid), entity.kind != .metalake {
                    parts.insert(entity.name, at: 0)
                    current = entity.parentID
                }
                objects.append(MetadataObject(type: type, fullName: parts.joined(separator: ".")))
            }
            return objects
        }
    }

    // MARK: - Helpers

    func tagRecord(_ tx: any SQLTransaction, metalake: String, name: String, forUpdate: Bool = false) async throws -> EntityRecord {
        let ml = try await metalakeRecord(tx, metalake, requireInUse: true)
        guard let record = try await find(tx, .tag, parent: ml.id, name: name, forUpdate: forUpdate) else {
            throw CatalogError(.notFound, .tag, "Tag \(name) does not exist in metalake \(metalake)")
        }
        return record
    }

    func directTags(_ tx: any SQLTransaction, objectID: Int64, column: String) async throws -> [Tag] {
        let rows = try await tx.query("""
            SELECT \(EntityRecord.columns.split(separator: ",").map { "e." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", "))
            FROM catalog_tag_links l JOIN catalog_entities e ON e.id = l.tag_id
            WHERE l.object_id = ? AND l.column_name = ? ORDER BY e.name
            """, [.integer(objectID), .text(column)])
        return try rows.map { try EntityRecord(row: $0).tag() }
    }

    /// The entity a metadata object names (and the column, for columns); an unknown object is
    /// `NoSuchMetadataObjectException`, an unsupported type an illegal argument.
    func resolve(_ tx: any SQLTransaction, metalakeID: Int64, _ object: MetadataObject) async throws -> (id: Int64, parentID: Int64, column: String) {
        let parts = try object.parts()
        func missing() -> CatalogError {
            CatalogError(.notFound, .metadataObject, "\(object.type.rawValue.capitalized) \(object.fullName) does not exist")
        }
        switch object.type {
        case .metalake:
            return (metalakeID, 0, "")
        case .topic, .view:
            throw CatalogError(.illegalArgument, .metadataObject, "tags on \(object.type.rawValue) objects are not supported")
        default: break
        }
        guard let catalog = try await find(tx, .catalog, parent: metalakeID, name: parts[0]) else { throw missing() }
        if object.type == .catalog { return (catalog.id, metalakeID, "") }
        guard let schema = try await find(tx, .schema, parent: catalog.id, name: parts[1]) else { throw missing() }
        if object.type == .schema { return (schema.id, catalog.id, "") }
        let kind: EntityKind = object.type == .fileset ? .fileset : object.type == .model ? .model : .table
        guard let entity = try await find(tx, kind, parent: schema.id, name: parts[2]) else { throw missing() }
        if object.type != .column { return (entity.id, schema.id, "") }
        guard try entity.table().columns.contains(where: { $0.name == parts[3] }) else { throw missing() }
        return (entity.id, schema.id, parts[3])
    }
}
