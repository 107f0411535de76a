/// A change to a metalake, catalog, schema, fileset, model or tag (Gravitino's `rename`, `updateComment`,
/// `setProperty`, `removeProperty` update items). Which changes an object accepts is checked by the store.
public enum EntityChange: Sendable, Hashable {
    case rename(String)
    case updateComment(String?)
    case setProperty(String, String)
    case removeProperty(String)
}

/// The name, comment and properties every entity has, changed by ``EntityChange``s in order.
public struct EntityBasics: Sendable, Hashable {
    public var name: String
    public var comment: String?
    public var properties: [String: String]

    public init(name: String, comment: String?, properties: [String: String]) {
        self.name = name
        self.comment = comment
        self.properties = properties
    }

    /// Applies `changes`; `what` names the object in errors; renames are refused unless `allowsRename`.
    public func applying(_ changes: [EntityChange], what: String, subject: CatalogError.Subject, allowsRename: Bool = true, allowsComment: Bool = true) throws -> EntityBasics {
        var result = self
        for change in changes {
            switch change {
            case .rename(let newName):
                guard allowsRename else { throw CatalogError(.illegalArgument, subject, "a \(what) cannot be renamed") }
                try Names.validate(newName, what: "new \(what) name")
                result.name = newName
            case .updateComment(let comment):
                guard allowsComment else { throw CatalogError(.illegalArgument, subject, "the comment of a \(what) cannot be changed") }
                try Names.validate(comment: comment, of: what)
                result.comment = comment
            case .setProperty(let key, let value):
                result.properties[key] = value
            case .removeProperty(let key):
                result.properties[key] = nil
            }
        }
        try Names.validate(properties: result.properties, of: what)
        return result
    }
}

/// Where a column goes when it is added or moved.
public enum ColumnPosition: Sendable, Hashable {
    case first
    /// At the end.
    case last
    case after(String)
}

/// A change to a table (Gravitino's table update items). Column paths with more than one part (nested fields)
/// are refused as unsupported.
public enum TableChange: Sendable, Hashable {
    case rename(newName: String, newSchema: String?)
    case updateComment(String?)
    case setProperty(String, String)
    case removeProperty(String)
    case addColumn(Column, path: [String], position: ColumnPosition)
    case renameColumn(path: [String], newName: String)
    case updateColumnType(path: [String], type: JSONValue)
    case updateColumnComment(path: [String], comment: String?)
    case updateColumnPosition(path: [String], position: ColumnPosition)
    case updateColumnNullability(path: [String], nullable: Bool)
    case updateColumnDefaultValue(path: [String], value: JSONValue?)
    case updateColumnAutoIncrement(path: [String], autoIncrement: Bool)
    case deleteColumn(path: [String], ifExists: Bool)
    case addIndex(TableIndex)
    case deleteIndex(name: String, ifExists: Bool)
}

extension Table {
    /// This table with `changes` applied in order (renames into another schema are refused: the store moves
    /// tables only within their schema). The result is validated.
    public func applying(_ changes: [TableChange]) throws -> Table {
        var t = self
        func index(of path: [String]) throws -> Int? {
            guard path.count == 1 else {
                throw CatalogError(.unsupported, .table, "changes to nested fields (\(path.joined(separator: "."))) are not supported")
            }
            return t.columns.firstIndex { $0.name == path[0] }
        }
        func required(_ path: [String]) throws -> Int {
            guard let i = try index(of: path) else {
                throw CatalogError(.illegalArgument, .table, "table \(t.name) has no column \(path.joined(separator: "."))")
            }
            return i
        }
        func place(_ column: Column, at position: ColumnPosition) throws {
            switch position {
            case .first: t.columns.insert(column, at: 0)
            case .last: t.columns.append(column)
            case .after(let name):
                guard let i = t.columns.firstIndex(where: { $0.name == name }) else {
                    throw CatalogError(.illegalArgument, .table, "table \(t.name) has no column \(name) to place a column after")
                }
                t.columns.insert(column, at: i + 1)
            }
        }
        for change in changes {
            switch change {
            case .rename(let newName, let newSchema):
                if let newSchema, !newSchema.isEmpty {
                    throw CatalogError(.unsupported, .table, "moving table \(t.name) to schema \(newSchema) is not supported")
                }
                try Names.validate(newName, what: "new table name")
                t.name = newName
            case .updateComment(let comment): t.comment = comment
            case .setProperty(let key, let value): t.properties[key] = value
            case .removeProperty(let key): t.properties[key] = nil
            case .addColumn(var column, let path, let position):
                guard try index(of: path) == nil else {
                    throw CatalogError(.illegalArgument, .table, "table \(t.name) already has a column \(path[0])")
                }
                column.name = path[0]
                try place(column, at: position)
            case .renameColumn(let path, let newName):
                let i = try required(path)
                if t.columns.contains(where: { $0.name == newName }) {
                    throw CatalogError(.illegalArgument, .table, "table \(t.name) already has a column \(newName)")
                }
                t.columns[i].name = newName
            case .updateColumnType(let path, let type): t.columns[try required(path)].type = type
            case .updateColumnComment(let path, let comment): t.columns[try required(path)].comment = comment
            case .updateColumnPosition(let path, let position):
                let column = t.columns.remove(at: try required(path))
                try place(column, at: position)
            case .updateColumnNullability(let path, let nullable): t.columns[try required(path)].nullable = nullable
            case .updateColumnDefaultValue(let path, let value): t.columns[try required(path)].defaultValue = value
            case .updateColumnAutoIncrement(let path, let autoIncrement): t.columns[try required(path)].autoIncrement = autoIncrement
            case .deleteColumn(let path, let ifExists):
                if let i = try index(of: path) {
                    t.columns.remove(at: i)
                } else if !ifExists {
                    throw CatalogError(.illegalArgument, .table, "table \(t.name) has no column \(path.joined(separator: "."))")
                }
            case .addIndex(let index):
                if let name = index.name, t.indexes.contains(where: { $0.name == name }) {
                    throw CatalogError(.illegalArgument, .table, "table \(t.name) already has an index \(name)")
                }
                t.indexes.append(index)
            case .deleteIndex(let name, let ifExists):
                if let i = t.indexes.firstIndex(where: { $0.name == name }) {
                    t.indexes.remove(at: i)
                } else if !ifExists {
                    throw CatalogError(.illegalArgument, .table, "table \(t.name) has no index \(name)")
                }
            }
        }
        try t.validate()
        return t
    }
}

/// A change to a model version (Gravitino's model-version update items).
public enum ModelVersionChange: Sendable, Hashable {
    case updateComment(String?)
    case setProperty(String, String)
    case removeProperty(String)
    /// Replaces the URI of the given name (`unknown` when the request names none).
    case updateURI(name: String, uri: String)
    case addURI(name: String, uri: String)
    case removeURI(name: String)
    /// Removes, then adds aliases.
    case updateAliases(add: [String], remove: [String])
}

extension ModelVersion {
    /// This version with `changes` applied in order (aliases are checked for uniqueness by the store).
    public func applying(_ changes: [ModelVersionChange]) throws -> ModelVersion {
        var v = self
        for change in changes {
            switch change {
            case .updateComment(let comment):
                try Names.validate(comment: comment, of: "model version")
                v.comment = comment
            case .setProperty(let key, let value): v.properties[key] = value
            case .removeProperty(let key): v.properties[key] = nil
            case .updateURI(let name, let uri):
                guard v.uris[name] != nil else {
                    throw CatalogError(.notFound, .modelVersionURI, "model version \(v.version) has no URI named \(name)")
                }
                v.uris[name] = uri
            case .addURI(let name, let uri):
                guard v.uris[name] == nil else {
                    throw CatalogError(.illegalArgument, .modelVersion, "model version \(v.version) already has a URI named \(name)")
                }
                v.uris[name] = uri
            case .removeURI(let name):
                guard v.uris[name] != nil else {
                    throw CatalogError(.notFound, .modelVersionURI, "model version \(v.version) has no URI named \(name)")
                }
                guard v.uris.count > 1 else {
                    throw CatalogError(.illegalArgument, .modelVersion, "cannot remove the only URI of model version \(v.version)")
                }
                v.uris[name] = nil
            case .updateAliases(let add, let remove):
                v.aliases.removeAll { remove.contains($0) }
                for alias in add where !v.aliases.contains(alias) { v.aliases.append(alias) }
            }
        }
        try ModelVersion.validate(uris: v.uris, aliases: v.aliases)
        try Names.validate(properties: v.properties, of: "model version \(v.version)")
        return v
    }
}
