/// A tag of a metalake, attached to metadata objects.
public struct Tag: Sendable, Hashable {
    public var name: String
    public var comment: String?
    public var properties: [String: String]
    public var audit: AuditInfo

    public init(name: String, comment: String?, properties: [String: String], audit: AuditInfo) {
        self.name = name
        self.comment = comment
        self.properties = properties
        self.audit = audit
    }
}

/// A tag as seen from an object: directly associated, or inherited from a parent object.
public struct ObjectTag: Sendable, Hashable {
    public var tag: Tag
    public var inherited: Bool
    public init(tag: Tag, inherited: Bool) {
        self.tag = tag
        self.inherited = inherited
    }
}

/// The kinds of metadata object a tag can be attached to, as written in paths (`catalog`, `schema`, ...).
public enum MetadataObjectType: String, Sendable, Hashable, Codable, CaseIterable {
    case metalake, catalog, schema, table, fileset, model, column, topic, view

    /// How many dotted parts a full name of this type has (`cat.sch.tbl` is 3).
    public var levels: Int {
        switch self {
        case .metalake, .catalog: return 1
        case .schema: return 2
        case .table, .fileset, .model, .topic, .view: return 3
        case .column: return 4
        }
    }
}

/// A metadata object of a metalake named by type and dotted full name (`cat.sch.tbl.col`).
public struct MetadataObject: Sendable, Hashable {
    public var type: MetadataObjectType
    public var fullName: String

    public init(type: MetadataObjectType, fullName: String) {
        self.type = type
        self.fullName = fullName
    }

    /// The dotted parts of the full name, checked against the type's level count.
    public func parts() throws -> [String] {
        let parts = fullName.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == type.levels else {
            throw CatalogError(.illegalArgument, .metadataObject, "a \(type.rawValue) full name has \(type.levels) dotted parts, '\(fullName)' has \(parts.count)")
        }
        for part in parts { try Names.validate(part, what: "part of the \(type.rawValue) name '\(fullName)'") }
        return parts
    }

    /// The object one level up (a column's table, a table's schema, a schema's catalog); nil for a catalog.
    public var parent: MetadataObject? {
        guard let dot = fullName.lastIndex(of: ".") else { return nil }
        let prefix = String(fullName[..<dot])
        switch type {
        case .column: return MetadataObject(type: .table, fullName: prefix)
        case .table, .fileset, .model, .topic, .view: return MetadataObject(type: .schema, fullName: prefix)
        case .schema: return MetadataObject(type: .catalog, fullName: prefix)
        case .catalog, .metalake: return nil
        }
    }
}
