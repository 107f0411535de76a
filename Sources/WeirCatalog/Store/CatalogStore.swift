/// Where the catalog's objects live: the contract both stores (SQLite, PostgreSQL) keep identically.
///
/// Rules every implementation enforces (spec/gravitino-api.md section 6):
/// - names are unique per parent and kind; of concurrent creates of one name exactly one succeeds and the others
///   fail with ``CatalogError/Kind/alreadyExists``; renames onto a taken name fail the same way;
/// - every object carries ``AuditInfo``: creates set all four fields to the caller and now, changes the last two;
/// - a disabled metalake refuses everything below it and changes to itself with ``CatalogError/Kind/notInUse``
///   (subject metalake); a disabled catalog refuses its schemas and their objects (subject catalog);
/// - drops return false when the object is absent; dropping a metalake or catalog in use without `force` fails
///   with ``CatalogError/Kind/inUse``, and one with children without `force` with ``CatalogError/Kind/nonEmpty``;
///   `force` / `cascade` removes everything below, with tag associations and model versions;
/// - model versions are numbered from the model's `latestVersion`, which only grows; aliases are unique per model;
/// - each tag name is unique per metalake; an association needs an existing object and tag.
public protocol CatalogStore: Sendable {
    // Metalakes
    func createMetalake(name: String, comment: String?, properties: [String: String], caller: Caller) async throws -> Metalake
    func listMetalakes() async throws -> [Metalake]
    func metalake(_ name: String) async throws -> Metalake
    func alterMetalake(_ name: String, changes: [EntityChange], caller: Caller) async throws -> Metalake
    func setMetalakeInUse(_ name: String, _ inUse: Bool, caller: Caller) async throws
    func dropMetalake(_ name: String, force: Bool) async throws -> Bool

    // Catalogs
    func createCatalog(_ path: CatalogPath, type: CatalogType, provider: String, comment: String?, properties: [String: String], caller: Caller) async throws -> Catalog
    func listCatalogs(metalake: String) async throws -> [Catalog]
    func catalog(_ path: CatalogPath) async throws -> Catalog
    func alterCatalog(_ path: CatalogPath, changes: [EntityChange], caller: Caller) async throws -> Catalog
    func setCatalogInUse(_ path: CatalogPath, _ inUse: Bool, caller: Caller) async throws
    func dropCatalog(_ path: CatalogPath, force: Bool) async throws -> Bool

    // Schemas
    func createSchema(_ path: SchemaPath, comment: String?, properties: [String: String], caller: Caller) async throws -> Schema
    /// Returns the schema, creating its record first if absent (for schemas that live in an external system).
    func ensureSchema(_ path: SchemaPath, comment: String?, properties: [String: String], caller: Caller) async throws -> Schema
    func listSchemas(_ catalog: CatalogPath) async throws -> [Schema]
    func schema(_ path: SchemaPath) async throws -> Schema
    func alterSchema(_ path: SchemaPath, changes: [EntityChange], caller: Caller) async throws -> Schema
    func dropSchema(_ path: SchemaPath, cascade: Bool) async throws -> Bool

    // Tables
    func createTable(_ schema: SchemaPath, _ table: Table, caller: Caller) async throws -> Table
    /// Stores `table` as the current definition (creating or replacing the record; an existing record keeps
    /// its creator and create time) and returns it with its audit.
    func putTable(_ schema: SchemaPath, _ table: Table, caller: Caller) async throws -> Table
    func listTables(_ schema: SchemaPath) async throws -> [String]
    func table(_ path: ObjectPath) async throws -> Table
    func alterTable(_ path: ObjectPath, changes: [TableChange], caller: Caller) async throws -> Table
    func dropTable(_ path: ObjectPath) async throws -> Bool

    // Filesets
    func createFileset(_ schema: SchemaPath, _ fileset: Fileset, caller: Caller) async throws -> Fileset
    func listFilesets(_ schema: SchemaPath) async throws -> [String]
    func fileset(_ path: ObjectPath) async throws -> Fileset
    func alterFileset(_ path: ObjectPath, changes: [EntityChange], caller: Caller) async throws -> Fileset
    /// Removes the fileset and returns what it was (so managed storage can be removed); nil when absent.
    func dropFileset(_ path: ObjectPath) async throws -> Fileset?

    // Models and versions
    func registerModel(_ path: ObjectPath, comment: String?, properties: [String: String], caller: Caller) async throws -> Model
    func listModels(_ schema: SchemaPath) async throws -> [String]
    func model(_ path: ObjectPath) async throws -> Model
    func alterModel(_ path: ObjectPath, changes: [EntityChange], caller: Caller) async throws -> Model
    func dropModel(_ path: ObjectPath) async throws -> Bool
    func linkModelVersion(_ path: ObjectPath, uris: [String: String], aliases: [String], comment: String?, properties: [String: String], caller: Caller) async throws -> ModelVersion
    func listModelVersions(_ path: ObjectPath) async throws -> [ModelVersion]
    func modelVersion(_ path: ObjectPath, _ ref: ModelVersionRef) async throws -> ModelVersion
    func alterModelVersion(_ path: ObjectPath, _ ref: ModelVersionRef, changes: [ModelVersionChange], caller: Caller) async throws -> ModelVersion
    func dropModelVersion(_ path: ObjectPath, _ ref: ModelVersionRef) async throws -> Bool

    // Tags
    func createTag(metalake: String, name: String, comment: String?, properties: [String: String], caller: Caller) async throws -> Tag
    func listTags(metalake: String) async throws -> [Tag]
    func tag(metalake: String, name: String) async throws -> Tag
    func alterTag(metalake: String, name: String, changes: [EntityChange], caller: Caller) async throws -> Tag
    func dropTag(metalake: String, name: String) async throws -> Bool
    /// Removes `remove`, then adds `add` (a name in both lists is ignored); returns the tags now directly on the object.
    func associateTags(metalake: String, object: MetadataObject, add: [String], remove: [String]) async throws -> [String]
    /// The object's tags, direct ones first, then those inherited from its parents.
    func tags(metalake: String, object: MetadataObject) async throws -> [ObjectTag]
    func objects(metalake: String, tag: String) async throws -> [MetadataObject]

    /// Releases the database connections.
    func close() async
}
