/// A model of a model catalog: a name whose versions point at artifacts by URI.
public struct Model: Sendable, Hashable {
    public var name: String
    public var comment: String?
    public var properties: [String: String]
    /// The number the next linked version gets; starts at 0 and is never reused after a version is dropped.
    public var latestVersion: Int
    public var audit: AuditInfo

    public init(name: String, comment: String?, properties: [String: String], latestVersion: Int, audit: AuditInfo) {
        self.name = name
        self.comment = comment
        self.properties = properties
        self.latestVersion = latestVersion
        self.audit = audit
    }
}

/// One version of a model: named URIs, aliases unique within the model, properties.
public struct ModelVersion: Sendable, Hashable {
    /// The URI and property name used when a request names no URI.
    public static let unknownURIName = "unknown"
    /// The property (of the version, else of the model) naming the default URI.
    public static let defaultURINameProperty = "default-uri-name"
    /// The most aliases and URIs one version may carry.
    public static let aliasesCountMax = 64
    public static let urisCountMax = 64
    /// The longest URI, in UTF-8 bytes.
    public static let uriBytesMax = 4096

    public var version: Int
    public var comment: String?
    public var aliases: [String]
    public var uris: [String: String]
    public var properties: [String: String]
    public var audit: AuditInfo

    public init(version: Int, comment: String?, aliases: [String], uris: [String: String], properties: [String: String], audit: AuditInfo) {
        self.version = version
        self.comment = comment
        self.aliases = aliases
        self.uris = uris
        self.properties = properties
        self.audit = audit
    }

    /// Checks URIs (names and values) and aliases; an alias must not be a number (it would be ambiguous with a version).
    public static func validate(uris: [String: String], aliases: [String]) throws {
        guard !uris.isEmpty else { throw CatalogError(.illegalArgument, .modelVersion, "a model version needs at least one URI") }
        guard uris.count <= urisCountMax, aliases.count <= aliasesCountMax else {
            throw CatalogError(.illegalArgument, .modelVersion, "a model version holds at most \(urisCountMax) URIs and \(aliasesCountMax) aliases")
        }
        for (name, uri) in uris {
            try Names.validate(name, what: "URI name")
            try validate(uri: uri)
        }
        for alias in aliases {
            try Names.validate(alias, what: "model version alias")
            if Int(alias) != nil {
                throw CatalogError(.illegalArgument, .modelVersion, "the alias '\(alias)' is a number, which would be read as a version")
            }
        }
    }

    /// Checks one URI: not blank, bounded, no control characters.
    public static func validate(uri: String) throws {
        guard !uri.isEmpty, uri.utf8.count <= uriBytesMax, !uri.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }) else {
            throw CatalogError(.illegalArgument, .modelVersion, "a model version URI must be 1 to \(uriBytesMax) bytes without control characters")
        }
    }
}
