/// A schema (database) of a catalog.
public struct Schema: Sendable, Hashable {
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
