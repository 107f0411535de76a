/// Whether the catalog owns a fileset's storage (managed: created on create, removed on drop) or only points
/// at it (external).
public enum FilesetType: String, Sendable, Hashable, Codable {
    case managed, external
}

/// A fileset: a named set of storage locations (any URI Weir's FileIO supports, or another scheme kept as given).
public struct Fileset: Sendable, Hashable {
    /// The name of the location used when only one unnamed location is given.
    public static let unknownLocationName = "unknown"
    /// The fileset property naming the location used when a request names none.
    public static let defaultLocationNameProperty = "default-location-name"

    public var name: String
    public var comment: String?
    public var type: FilesetType
    /// Location name → URI, normalised (`file:/path`, no trailing `/`).
    public var storageLocations: [String: String]
    public var properties: [String: String]
    public var audit: AuditInfo

    public init(name: String, comment: String?, type: FilesetType, storageLocations: [String: String], properties: [String: String], audit: AuditInfo) {
        self.name = name
        self.comment = comment
        self.type = type
        self.storageLocations = storageLocations
        self.properties = properties
        self.audit = audit
    }
}
