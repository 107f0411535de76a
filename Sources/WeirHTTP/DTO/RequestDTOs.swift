import WeirCatalog

/// Bodies of create requests (spec/gravitino-api.md section 4). `properties: null` reads as empty.
struct NamedCreateRequest: Decodable {
    var name: String
    var comment: String?
    var properties: [String: String]?
}

struct CatalogCreateRequest: Decodable {
    var name: String
    var type: String
    var provider: String?
    var comment: String?
    var properties: [String: String]?
}

struct SetInUseRequest: Decodable {
    var inUse: Bool
}

struct TableCreateRequest: Decodable {
    var name: String
    var comment: String?
    var columns: [Column]
    var properties: [String: String]?
    var partitioning: [Partitioning]?
    var distribution: Distribution?
    var sortOrders: [SortOrder]?
    var indexes: [TableIndex]?
}

struct FilesetCreateRequest: Decodable {
    var name: String
    var comment: String?
    var type: String?
    var storageLocation: String?
    var storageLocations: [String: String]?
    var properties: [String: String]?
}

struct ModelVersionLinkRequest: Decodable {
    var uris: [String: String]?
    var uri: String?
    var aliases: [String]?
    var comment: String?
    var properties: [String: String]?
}

struct TagsAssociateRequest: Decodable {
    var tagsToAdd: [String]?
    var tagsToRemove: [String]?
}

/// `{"updates": [...]}`: each item an object with `@type`, read by ``UpdateItem``.
struct UpdatesRequest: Decodable {
    var updates: [JSONValue]
}

/// The most update items one request may carry.
let updatesCountMax = 1000

/// One update item, with typed access to its members and errors naming the item.
struct UpdateItem {
    let json: JSONValue
    let index: Int
    let type: String

    init(_ json: JSONValue, index: Int) throws {
        guard json.objectValue != nil, let type = json["@type"]?.stringValue else {
            throw APIError.illegalArgument("update \(index) must be an object with a string '@type'")
        }
        self.json = json
        self.index = index
        self.type = type
    }

    func string(_ key: String) throws -> String {
        guard let value = json[key]?.stringValue else { throw APIError.illegalArgument("update \(index) (\(type)) needs a string '\(key)'") }
        return value
    }

    /// A string or null/absent.
    func optionalString(_ key: String) throws -> String? {
        guard let value = json[key], !value.isNull else { return nil }
        guard let s = value.stringValue else { throw APIError.illegalArgument("update \(index) (\(type)): '\(key)' must be a string or null") }
        return s
    }

    func bool(_ key: String, default fallback: Bool? = nil) throws -> Bool {
        if let value = json[key]?.boolValue { return value }
        if let fallback, json[key] == nil || json[key] == .null { return fallback }
        throw APIError.illegalArgument("update \(index) (\(type)) needs a boolean '\(key)'")
    }

    func strings(_ key: String, required: Bool = true) throws -> [String] {
        guard let array = json[key]?.arrayValue else {
            if !required, json[key] == nil || json[key] == .null { return [] }
            throw APIError.illegalArgument("update \(index) (\(type)) needs a string array '\(key)'")
        }
        return try array.map { element in
            guard let s = element.stringValue else { throw APIError.illegalArgument("update \(index) (\(type)): '\(key)' holds a non-string") }
            return s
        }
    }

    func value(_ key: String) throws -> JSONValue {
        guard let value = json[key], !value.isNull else { throw APIError.illegalArgument("update \(index) (\(type)) needs '\(key)'") }
        return value
    }

    func unknown(_ accepted: String) -> APIError {
        APIError.illegalArgument("update \(index) has the unknown @type '\(type.prefix(60))' (accepted here: \(accepted))")
    }

    /// The common changes: rename, updateComment, setProperty, removeProperty (and removeComment for filesets).
    func entityChange(accepting allowed: Set<String>) throws -> EntityChange {
        guard allowed.contains(type) else { throw unknown(allowed.sorted().joined(separator: ", ")) }
        switch type {
        case "rename": return .rename(try string("newName"))
        case "updateComment": return .updateComment(try optionalString("newComment"))
        case "removeComment": return .updateComment(nil)
        case "setProperty":
            let key = try string("property")
            return .setProperty(key, try string("value"))
        default: return .removeProperty(try string("property"))
        }
    }

    func position(_ key: String) throws -> ColumnPosition {
        guard let value = json[key], !value.isNull else { return .last }
        if let text = value.stringValue {
            switch text.lowercased() {
            case "first": return .first
            case "default": return .last
            default: throw APIError.illegalArgument("update \(index) (\(type)): unknown position '\(text.prefix(40))'")
            }
        }
        if let after = value["after"]?.stringValue { return .after(after) }
        throw APIError.illegalArgument("update \(index) (\(type)): '\(key)' must be \"first\", \"default\" or {\"after\": column}")
    }

    func tableChange() throws -> TableChange {
        switch type {
        case "rename": return .rename(newName: try string("newName"), newSchema: try optionalString("newSchemaName"))
        case "updateComment": return .updateComment(try optionalString("newComment"))
        case "setProperty":
            let key = try string("property")
            return .setProperty(key, try string("value"))
        case "removeProperty": return .removeProperty(try string("property"))
        case "addColumn":
            let path = try strings("fieldName")
            guard !path.isEmpty else { throw APIError.illegalArgument("update \(index) (addColumn) needs a non-empty fieldName") }
            let type = try value("type")
            let defaultValue = json["defaultValue"].flatMap { $0.isNull ? nil : $0 }
            let column = Column(name: path.last!, type: type, comment: try optionalString("comment"),
                                nullable: try bool("nullable", default: true), autoIncrement: try bool("autoIncrement", default: false),
                                defaultValue: defaultValue)
            return .addColumn(column, path: path, position: try position("position"))
        case "renameColumn": return .renameColumn(path: try strings("oldFieldName"), newName: try string("newFieldName"))
        case "updateColumnType": return .updateColumnType(path: try strings("fieldName"), type: try value("newType"))
        case "updateColumnComment": return .updateColumnComment(path: try strings("fieldName"), comment: try optionalString("newComment"))
        case "updateColumnPosition": return .updateColumnPosition(path: try strings("fieldName"), position: try position("newPosition"))
        case "updateColumnNullability": return .updateColumnNullability(path: try strings("fieldName"), nullable: try bool("nullable"))
        case "updateColumnDefaultValue":
            return .updateColumnDefaultValue(path: try strings("fieldName"), value: json["newDefaultValue"].flatMap { $0.isNull ? nil : $0 })
        case "updateColumnAutoIncrement": return .updateColumnAutoIncrement(path: try strings("fieldName"), autoIncrement: try bool("autoIncrement"))
        case "deleteColumn": return .deleteColumn(path: try strings("fieldName"), ifExists: try bool("ifExists", default: false))
        case "addTableIndex":
            let index = try JSONBody.decode(TableIndex.self, from: try value("index"), what: "update \(self.index) (addTableIndex) index")
            return .addIndex(index)
        case "deleteTableIndex": return .deleteIndex(name: try string("name"), ifExists: try bool("ifExists", default: false))
        default:
            throw unknown("rename, updateComment, setProperty, removeProperty, addColumn, renameColumn, updateColumnType, updateColumnComment, updateColumnPosition, updateColumnNullability, updateColumnDefaultValue, updateColumnAutoIncrement, deleteColumn, addTableIndex, deleteTableIndex")
        }
    }

    func modelVersionChange() throws -> ModelVersionChange {
        switch type {
        case "updateComment": return .updateComment(try optionalString("newComment"))
        case "setProperty":
            let key = try string("property")
            return .setProperty(key, try string("value"))
        case "removeProperty": return .removeProperty(try string("property"))
        case "updateUri": return .updateURI(name: try optionalString("uriName") ?? ModelVersion.unknownURIName, uri: try string("newUri"))
        case "addUri": return .addURI(name: try string("uriName"), uri: try string("uri"))
        case "removeUri": return .removeURI(name: try string("uriName"))
        case "updateAliases":
            return .updateAliases(add: try strings("aliasesToAdd", required: false), remove: try strings("aliasesToRemove", required: false))
        default:
            throw unknown("updateComment, setProperty, removeProperty, updateUri, addUri, removeUri, updateAliases")
        }
    }
}
