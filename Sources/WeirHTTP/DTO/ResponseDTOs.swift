import WeirCatalog

/// The JSON objects of success answers, field names exactly as on the wire (spec/gravitino-api.md section 5).
/// Comments are always written, as `null` when absent (as the Java server does); other optional fields that are
/// nil are left out, which the Python client reads as None.
struct AuditDTO: Encodable {
    var creator: String
    var createTime: String
    var lastModifier: String
    var lastModifiedTime: String

    init(_ a: AuditInfo) {
        creator = a.creator
        createTime = ISOTime.format(a.createTime)
        lastModifier = a.lastModifier
        lastModifiedTime = ISOTime.format(a.lastModifiedTime)
    }
}

struct MetalakeDTO: Encodable {
    var name: String
    var comment: Nullable<String>
    var properties: [String: String]
    var audit: AuditDTO

    /// `withInUse`: loads and lists show `in-use`; the create answer echoes the properties as given.
    init(_ m: Metalake, withInUse: Bool) {
        name = m.name
        comment = Nullable(m.comment)
        properties = m.properties
        if withInUse { properties["in-use"] = m.inUse ? "true" : "false" }
        audit = AuditDTO(m.audit)
    }
}

struct CatalogDTO: Encodable {
    var name: String
    var type: String
    var provider: String
    var comment: Nullable<String>
    var properties: [String: String]
    var audit: AuditDTO

    init(_ c: Catalog, metadataOnly: Bool) {
        name = c.name
        type = c.type.rawValue
        provider = c.provider
        comment = Nullable(c.comment)
        properties = c.properties
        properties["in-use"] = c.inUse ? "true" : "false"
        if metadataOnly { properties[CatalogService.metadataOnlyProperty] = "true" }
        audit = AuditDTO(c.audit)
    }
}

struct SchemaDTO: Encodable {
    var name: String
    var comment: Nullable<String>
    var properties: [String: String]
    var audit: AuditDTO

    init(_ s: Schema) {
        name = s.name
        comment = Nullable(s.comment)
        properties = s.properties
        audit = AuditDTO(s.audit)
    }
}

struct TableDTO: Encodable {
    var name: String
    var comment: Nullable<String>
    var columns: [Column]
    var properties: [String: String]
    var audit: AuditDTO
    var distribution: Distribution
    var sortOrders: [SortOrder]
    var partitioning: [Partitioning]
    var indexes: [TableIndex]

    init(_ t: Table) {
        name = t.name
        comment = Nullable(t.comment)
        columns = t.columns
        properties = t.properties
        audit = AuditDTO(t.audit)
        distribution = t.distribution
        sortOrders = t.sortOrders
        partitioning = t.partitioning
        indexes = t.indexes
    }
}

struct FilesetDTO: Encodable {
    var name: String
    var comment: Nullable<String>
    var type: String
    var storageLocations: [String: String]
    var storageLocation: String?
    var properties: [String: String]
    var audit: AuditDTO

    init(_ f: Fileset) {
        name = f.name
        comment = Nullable(f.comment)
        type = f.type.rawValue
        storageLocations = f.storageLocations
        storageLocation = f.storageLocations[Fileset.unknownLocationName]
        properties = f.properties
        audit = AuditDTO(f.audit)
    }
}

struct ModelDTO: Encodable {
    var name: String
    var comment: Nullable<String>
    var properties: [String: String]
    var latestVersion: Int
    var audit: AuditDTO

    init(_ m: Model) {
        name = m.name
        comment = Nullable(m.comment)
        properties = m.properties
        latestVersion = m.latestVersion
        audit = AuditDTO(m.audit)
    }
}

struct ModelVersionDTO: Encodable {
    var version: Int
    var comment: Nullable<String>
    var aliases: [String]
    var uris: [String: String]
    var uri: String?
    var properties: [String: String]
    var audit: AuditDTO

    init(_ v: ModelVersion) {
        version = v.version
        comment = Nullable(v.comment)
        aliases = v.aliases
        uris = v.uris
        uri = v.uris[ModelVersion.unknownURIName]
        properties = v.properties
        audit = AuditDTO(v.audit)
    }
}

struct TagDTO: Encodable {
    var name: String
    var comment: Nullable<String>
    var properties: [String: String]
    var audit: AuditDTO
    var inherited: Bool?

    init(_ t: Tag, inherited: Bool? = nil) {
        name = t.name
        comment = Nullable(t.comment)
        properties = t.properties
        audit = AuditDTO(t.audit)
        self.inherited = inherited
    }
}

struct NameIdentifierDTO: Encodable {
    var namespace: [String]
    var name: String
}

struct MetadataObjectDTO: Encodable {
    var type: String
    var fullName: String
}

struct VersionDTO: Encodable {
    var version: String
    var compileDate: String
    var gitCommit: String
}

/// A success answer: `{"code": 0, "<key>": value}` (or just `{"code": 0}`).
struct Payload: Encodable {
    let key: String?
    let value: (any Encodable)?

    init(_ key: String, _ value: any Encodable) {
        self.key = key
        self.value = value
    }

    init() {
        key = nil
        value = nil
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(0, forKey: Key("code"))
        if let key, let value { try c.encode(value, forKey: Key(key)) }
    }
}

/// An error answer's body.
struct ErrorBody: Encodable {
    var code: Int
    var type: String
    var message: String
    var stack: [String] = []
}

/// An optional value written as JSON `null` when absent (instead of leaving the member out).
struct Nullable<Value: Encodable>: Encodable {
    let value: Value?
    init(_ value: Value?) { self.value = value }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if let value { try c.encode(value) } else { try c.encodeNil() }
    }
}
