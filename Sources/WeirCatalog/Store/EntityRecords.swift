import Foundation

/// The kinds of rows in `catalog_entities`.
enum EntityKind: String, Sendable {
    case metalake, catalog, schema, table, fileset, model, tag

    var subject: CatalogError.Subject {
        switch self {
        case .metalake: return .metalake
        case .catalog: return .catalog
        case .schema: return .schema
        case .table: return .table
        case .fileset: return .fileset
        case .model: return .model
        case .tag: return .tag
        }
    }
}

/// One row of `catalog_entities`.
struct EntityRecord: Sendable {
    var id: Int64
    var kind: EntityKind
    var parentID: Int64
    var name: String
    var comment: String?
    var properties: [String: String]
    var detail: String
    var audit: AuditInfo

    static let columns = "id, kind, parent_id, name, comment, properties, detail, creator, create_time_ms, last_modifier, last_modified_time_ms"

    init(row: SQLRow) throws {
        guard row.count == 11, let id = row[0].int, let kindText = row[1].string, let kind = EntityKind(rawValue: kindText),
              let parent = row[2].int, let name = row[3].string, let properties = row[5].string, let detail = row[6].string,
              let creator = row[7].string, let created = row[8].int, let modifier = row[9].string, let modified = row[10].int else {
            throw CatalogError(.internalError, .other, "a catalog_entities row has an unexpected shape")
        }
        self.id = id
        self.kind = kind
        self.parentID = parent
        self.name = name
        self.comment = row[4].string
        self.properties = try CatalogJSON.decode([String: String].self, from: properties, what: "properties of \(kind.rawValue) \(name)")
        self.detail = detail
        self.audit = AuditInfo(creator: creator, createTime: Date(millisecondsSince1970: created),
                               lastModifier: modifier, lastModifiedTime: Date(millisecondsSince1970: modified))
    }

    func decodeDetail<T: Decodable>(_ type: T.Type) throws -> T {
        try CatalogJSON.decode(type, from: detail, what: "detail of \(kind.rawValue) \(name)")
    }
}

/// What `catalog_entities.detail` holds for each kind.
struct MetalakeDetail: Codable { var inUse: Bool }
struct CatalogDetail: Codable { var type: CatalogType; var provider: String; var inUse: Bool }
struct EmptyDetail: Codable {}
struct TableDetail: Codable {
    var columns: [Column]
    var partitioning: [Partitioning]
    var distribution: Distribution
    var sortOrders: [SortOrder]
    var indexes: [TableIndex]
}
struct FilesetDetail: Codable { var type: FilesetType; var storageLocations: [String: String] }
struct ModelDetail: Codable { var latestVersion: Int }

extension EntityRecord {
    func metalake() throws -> Metalake {
        Metalake(name: name, comment: comment, properties: properties, inUse: try decodeDetail(MetalakeDetail.self).inUse, audit: audit)
    }
    func catalog() throws -> Catalog {
        let d = try decodeDetail(CatalogDetail.self)
        return Catalog(name: name, type: d.type, provider: d.provider, comment: comment, properties: properties, inUse: d.inUse, audit: audit)
    }
    func schema() -> Schema { Schema(name: name, comment: comment, properties: properties, audit: audit) }
    func table() throws -> Table {
        let d = try decodeDetail(TableDetail.self)
        return Table(name: name, comment: comment, columns: d.columns, properties: properties, partitioning: d.partitioning,
                     distribution: d.distribution, sortOrders: d.sortOrders, indexes: d.indexes, audit: audit)
    }
    func fileset() throws -> Fileset {
        let d = try decodeDetail(FilesetDetail.self)
        return Fileset(name: name, comment: comment, type: d.type, storageLocations: d.storageLocations, properties: properties, audit: audit)
    }
    func model() throws -> Model {
        Model(name: name, comment: comment, properties: properties, latestVersion: try decodeDetail(ModelDetail.self).latestVersion, audit: audit)
    }
    func tag() -> Tag { Tag(name: name, comment: comment, properties: properties, audit: audit) }
}

extension TableDetail {
    init(_ t: Table) {
        self.init(columns: t.columns, partitioning: t.partitioning, distribution: t.distribution, sortOrders: t.sortOrders, indexes: t.indexes)
    }
}
