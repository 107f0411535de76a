import Foundation

extension SQLCatalogStore {
    public func registerModel(_ path: ObjectPath, comment: String?, properties: [String: String], caller: Caller) async throws -> Model {
        try Names.validate(path.name, what: "model name")
        try Names.validate(comment: comment, of: "model \(path)")
        try Names.validate(properties: properties, of: "model \(path)")
        let audit = AuditInfo.created(by: caller.user, at: now())
        return try await tx { tx in
            let parent = try await self.schemaRecord(tx, path.schemaPath)
            try await self.insert(tx, .model, parent: parent.id, name: path.name, comment: comment, properties: properties,
                                  detail: ModelDetail(latestVersion: 0), audit: audit, existsMessage: "Model \(path) already exists")
            return Model(name: path.name, comment: comment, properties: properties, latestVersion: 0, audit: audit)
        }
    }

    public func listModels(_ schema: SchemaPath) async throws -> [String] {
        try await tx { tx in
            let parent = try await self.schemaRecord(tx, schema)
            return try await self.childNames(tx, .model, parent: parent.id)
        }
    }

    public func model(_ path: ObjectPath) async throws -> Model {
        try await tx { tx in try await self.objectRecord(tx, .model, path, missingSchema: .model).model() }
    }

    public func alterModel(_ path: ObjectPath, changes: [EntityChange], caller: Caller) async throws -> Model {
        try await tx { tx in
            let record = try await self.objectRecord(tx, .model, path, missingSchema: .model, forUpdate: true)
            var model = try record.model()
            let basics = try EntityBasics(name: record.name, comment: record.comment, properties: record.properties)
                .applying(changes, what: "model", subject: .model)
            model.audit = try await self.update(tx, record, name: basics.name, comment: basics.comment, properties: basics.properties,
                                                detail: ModelDetail(latestVersion: model.latestVersion), caller: caller)
            model.name = basics.name
            model.comment = basics.comment
            model.properties = basics.properties
            return model
        }
    }

    public func dropModel(_ path: ObjectPath) async throws -> Bool {
        try await dropObject(.model, path)
    }

    public func linkModelVersion(_ path: ObjectPath, uris: [String: String], aliases: [String], comment: String?, properties: [String: String],
                                 caller: Caller) async throws -> ModelVersion {
        try ModelVersion.validate(uris: uris, aliases: aliases)
        try Names.validate(comment: comment, of: "model version of \(path)")
        try Names.validate(properties: properties, of: "model version of \(path)")
        guard Set(aliases).count == aliases.count else {
            throw CatalogError(.illegalArgument, .modelVersion, "the aliases of a new version of \(path) repeat a name")
        }
        let audit = AuditInfo.created(by: caller.user, at: now())
        return try await tx { tx in
            let record = try await self.objectRecord(tx, .model, path, missingSchema: .model, forUpdate: true)
            var model = try record.model()
            let version = ModelVersion(version: model.latestVersion, comment: comment, aliases: aliases, uris: uris, properties: properties, audit: audit)
            try await self.insertVersion(tx, modelID: record.id, version, path: path)
            model.latestVersion += 1
            _ = try await self.update(tx, record, name: record.name, comment: record.comment, properties: record.properties,
                                      detail: ModelDetail(latestVersion: model.latestVersion), caller: caller)
            return version
        }
    }

    public func listModelVersions(_ path: ObjectPath) async throws -> [ModelVersion] {
        try await tx { tx in
            let record = try await self.objectRecord(tx, .model, path, missingSchema: .model)
            let rows = try await tx.query("SELECT \(Self.versionColumns) FROM catalog_model_versions WHERE model_id = ? ORDER BY version LIMIT \(Self.listCountMax)",
                                          [.integer(record.id)])
            var versions = try rows.map(Self.version(row:))
            let aliases = try await tx.query("SELECT version, alias FROM catalog_model_aliases WHERE model_id = ? ORDER BY alias", [.integer(record.id)])
            for row in aliases {
                if let v = row[0].int, let alias = row[1].string, let i = versions.firstIndex(where: { $0.version == Int(v) }) {
                    versions[i].aliases.append(alias)
                }
            }
            return versions
        }
    }

    public func modelVersion(_ path: ObjectPath, _ ref: ModelVersionRef) async throws -> ModelVersion {
        try await tx { tx in
            let model = try await self.modelForVersion(tx, path, ref)
            return try await self.versionRecord(tx, modelID: model.id, ref, path: path)
        }
    }

    public func alterModelVersion(_ path: ObjectPath, _ ref: ModelVersionRef, changes: [ModelVersionChange], caller: Caller) async throws -> ModelVersion {
        try await tx { tx in
            let model = try await self.modelForVersion(tx, path, ref, forUpdate: true)
            let old = try await self.versionRecord(tx, modelID: model.id, ref, path: path)
            var new = try old.applying(changes)
            new.audit = old.audit.modified(by: caller.user, at: self.now())
            try await tx.execute("DELETE FROM catalog_model_aliases WHERE model_id = ? AND version = ?", [.integer(model.id), .integer(Int64(old.version))])
            try await tx.execute("DELETE FROM catalog_model_versions WHERE model_id = ? AND version = ?", [.integer(model.id), .integer(Int64(old.version))])
            try await self.insertVersion(tx, modelID: model.id, new, path: path)
            return new
        }
    }

    public func dropModelVersion(_ path: ObjectPath, _ ref: ModelVersionRef) async throws -> Bool {
        try await tx { tx in
            let model: EntityRecord
            let version: ModelVersion
            do {
                model = try await self.modelForVersion(tx, path, ref, forUpdate: true)
                version = try await self.versionRecord(tx, modelID: model.id, ref, path: path)
            } catch let error as CatalogError where error.kind == .notFound {
                return false
            }
            try await tx.execute("DELETE FROM catalog_model_aliases WHERE model_id = ? AND version = ?", [.integer(model.id), .integer(Int64(version.version))])
            try await tx.execute("DELETE FROM catalog_model_versions WHERE model_id = ? AND version = ?", [.integer(model.id), .integer(Int64(version.version))])
            return true
        }
    }

    // MARK: - Version rows

    static let versionColumns = "version, comment, uris, properties, creator, create_time_ms, last_modifier, last_modified_time_ms"

    static func version(row: SQLRow) throws -> ModelVersion {
        guard row.count == 8, let v = row[0].int, let uris = row[2].string, let properties = row[3].string, let creator = row[4].string,
              let created = row[5].int, let modifier = row[6].string, let modified = row[7].int else {
            throw CatalogError(.internalError, .other, "a catalog_model_versions row has an unexpected shape")
        }
        return ModelVersion(version: Int(v), comment: row[1].string, aliases: [],
                            uris: try CatalogJSON.decode([String: String].self, from: uris, what: "URIs of model version \(v)"),
                            properties: try CatalogJSON.decode([String: String].self, from: properties, what: "properties of model version \(v)"),
                            audit: AuditInfo(creator: creator, createTime: Date(millisecondsSince1970: created), lastModifier: modifier,
                                             lastModifiedTime: Date(millisecondsSince1970: modified)))
    }

    /// The model of a version lookup: a missing schema or model is reported as a missing version
    /// (spec/gravitino-api.md section 6, Model).
    func modelForVersion(_ tx: any SQLTransaction, _ path: ObjectPath, _ ref: ModelVersionRef, forUpdate: Bool = false) async throws -> EntityRecord {
        do {
            return try await objectRecord(tx, .model, path, missingSchema: .modelVersion, forUpdate: forUpdate)
        } catch let error as CatalogError where error.kind == .notFound && error.subject == .model {
            throw CatalogError(.notFound, .modelVersion, "Model \(path) does not exist, so it has no \(ref)")
        }
    }

    func versionRecord(_ tx: any SQLTransaction, modelID: Int64, _ ref: ModelVersionRef, path: ObjectPath) async throws -> ModelVersion {
        let number: Int64
        switch ref {
        case .version(let v): number = Int64(v)
        case .alias(let alias):
            guard let v = try await tx.query("SELECT version FROM catalog_model_aliases WHERE model_id = ? AND alias = ?",
                                             [.integer(modelID), .text(alias)]).first?[0].int else {
                throw CatalogError(.notFound, .modelVersion, "Model \(path) has no version with alias \(alias)")
            }
            number = v
        }
        guard let row = try await tx.query("SELECT \(Self.versionColumns) FROM catalog_model_versions WHERE model_id = ? AND version = ?",
                                           [.integer(modelID), .integer(number)]).first else {
            throw CatalogError(.notFound, .modelVersion, "Model \(path) has no \(ref)")
        }
        var version = try Self.version(row: row)
        version.aliases = try await tx.query("SELECT alias FROM catalog_model_aliases WHERE model_id = ? AND version = ? ORDER BY alias",
                                             [.integer(modelID), .integer(number)]).compactMap { $0[0].string }
        return version
    }

    /// Inserts a version row and its alias rows; an alias held by another version fails with alreadyExists.
    func insertVersion(_ tx: any SQLTransaction, modelID: Int64, _ version: ModelVersion, path: ObjectPath) async throws {
        for alias in version.aliases {
            let inserted = try await tx.query("INSERT INTO catalog_model_aliases (model_id, alias, version) VALUES (?, ?, ?) ON CONFLICT (model_id, alias) DO NOTHING RETURNING alias",
                                              [.integer(modelID), .text(alias), .integer(Int64(version.version))])
            guard !inserted.isEmpty else {
                throw CatalogError(.alreadyExists, .modelVersion, "Model \(path) already has a version with alias \(alias)")
            }
        }
        let rows = try await tx.query("""
            INSERT INTO catalog_model_versions (model_id, version, comment, uris, properties, creator, create_time_ms, last_modifier, last_modified_time_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (model_id, version) DO NOTHING RETURNING version
            """, [.integer(modelID), .integer(Int64(version.version)), version.comment.map(SQLValue.text) ?? .null,
                  .text(try CatalogJSON.encode(version.uris)), .text(try CatalogJSON.encode(version.properties)),
                  .text(version.audit.creator), .integer(version.audit.createTime.millisecondsSince1970),
                  .text(version.audit.lastModifier), .integer(version.audit.lastModifiedTime.millisecondsSince1970)])
        guard !rows.isEmpty else {
            throw CatalogError(.alreadyExists, .modelVersion, "Model \(path) already has version \(version.version)")
        }
    }
}
