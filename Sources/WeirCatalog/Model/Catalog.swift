import Foundation

/// What a catalog holds (Gravitino's `Catalog.Type`, written lower-case on the wire).
public enum CatalogType: String, Sendable, Hashable, CaseIterable, Codable {
    case relational, fileset, model, messaging

    /// Parses a type name case-insensitively; nil for anything else.
    public init?(parsing text: String) {
        self.init(rawValue: text.lowercased())
    }
}

/// A catalog of a metalake: its type, the provider that serves its objects, and its settings.
public struct Catalog: Sendable, Hashable {
    public var name: String
    public var type: CatalogType
    /// Normalised provider name (`fileset`, `model`, `jdbc-postgresql`, `lakehouse-paimon`, `hive`, ...).
    public var provider: String
    public var comment: String?
    public var properties: [String: String]
    public var inUse: Bool
    public var audit: AuditInfo

    public init(name: String, type: CatalogType, provider: String, comment: String?, properties: [String: String], inUse: Bool, audit: AuditInfo) {
        self.name = name
        self.type = type
        self.provider = provider
        self.comment = comment
        self.properties = properties
        self.inUse = inUse
        self.audit = audit
    }

    /// The provider a create request names, normalised as Gravitino does: blank becomes the type name for
    /// fileset and model catalogs, `hadoop` becomes `fileset`; blank for relational or messaging is an error.
    public static func normalisedProvider(_ provider: String?, type: CatalogType) throws -> String {
        let trimmed = (provider ?? "").trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty {
            switch type {
            case .fileset, .model: return type.rawValue
            case .relational, .messaging:
                throw CatalogError(.illegalArgument, .catalog, "a \(type.rawValue) catalog needs a provider")
            }
        }
        if trimmed.lowercased() == "hadoop" { return "fileset" }
        try Names.validate(trimmed, what: "provider")
        return trimmed.lowercased()
    }
}
