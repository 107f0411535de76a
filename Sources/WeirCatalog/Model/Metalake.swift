/// The top of the catalog hierarchy: a named set of catalogs and tags.
///
/// `inUse` is kept apart from `properties`; the REST layer shows it as the property `in-use`
/// (spec/gravitino-api.md section 6, Metalake).
public struct Metalake: Sendable, Hashable {
    public var name: String
    public var comment: String?
    public var properties: [String: String]
    public var inUse: Bool
    public var audit: AuditInfo

    public init(name: String, comment: String?, properties: [String: String], inUse: Bool, audit: AuditInfo) {
        self.name = name
        self.comment = comment
        self.properties = properties
        self.inUse = inUse
        self.audit = audit
    }
}
