import Foundation
import Synchronization
import WeirFileIO

/// The catalog as the REST API and the `weir catalog` commands use it: the ``CatalogStore`` plus the providers
/// that make catalogs real.
///
/// - `fileset` catalogs: storage locations follow ``FilesetLocations``; a managed fileset's locations are created
///   (mkdirs through Weir's FileIO) when it is created and removed when it is dropped, unless the catalog sets
///   `disable-filesystem-ops=true`.
/// - relational catalogs whose provider is registered in ``RelationalProviders`` (`jdbc-postgresql`,
///   `lakehouse-paimon`): schemas and tables live in that system; the store keeps a record of each for audit,
///   properties and tags.
/// - every other provider (`hive`, `lakehouse-iceberg`, `jdbc-mysql`) is kept as metadata only: ``isMetadataOnly(_:)`` says so and the REST layer shows it as the catalog
///   property ``metadataOnlyProperty``.
/// - `model` catalogs hold models and versions pointing at URIs.
///
/// Objects of one kind live only in catalogs of the matching type (tables in relational, filesets in fileset, models in
/// model catalogs); anything else is refused as unsupported.
public final class CatalogService: Sendable {
    /// The property shown on catalogs whose provider is kept as metadata only.
    public static let metadataOnlyProperty = "weir.metadata-only"
    /// The catalog property that stops the service from creating and removing managed fileset directories.
    public static let disableFilesystemOpsProperty = "disable-filesystem-ops"

    public let store: any CatalogStore
    public let providers: RelationalProviders
    /// Where managed filesets go when neither their catalog nor their schema names a location
    /// (`<warehouse>/<catalog>/<schema>/<fileset>`); nil to refuse such filesets as Gravitino does.
    public let warehouse: String?
    let files: FileIOResolver
    let cache = ProviderCache()
    /// How long a catalog's type and provider are remembered for dispatching reads, in milliseconds. Whether the
    /// catalog is in use is never taken from here: the store checks it inside each operation's transaction.
    public static let catalogKindCacheMs = 2_000
    let kinds = Mutex<[CatalogPath: (type: CatalogType, provider: String, at: ContinuousClock.Instant)]>([:])

    public init(store: any CatalogStore, providers: RelationalProviders = .standard, warehouse: String? = nil,
                files: FileIOResolver = FileIOResolver(environment: ProcessInfo.processInfo.environment)) {
        self.store = store
        self.providers = providers
        self.warehouse = warehouse.map(FilesetLocations.normalise)
        self.files = files
    }

    /// Closes provider connections and the store.
    public func close() async {
        await cache.closeAll()
        await store.close()
    }

    /// True when the catalog's objects are records only (no provider serves them).
    public func isMetadataOnly(_ catalog: Catalog) -> Bool {
        switch catalog.type {
        case .fileset, .model: return false
        case .relational, .messaging: return !providers.isServed(catalog.provider)
        }
    }

    // MARK: - Catalogs

    /// Creates a catalog after normalising its provider and checking it fits the type.
    public func createCatalog(_ path: CatalogPath, type: CatalogType, provider: String?, comment: String?, properties: [String: String],
                              caller: Caller) async throws -> Catalog {
        let provider = try Catalog.normalisedProvider(provider, type: type)
        switch type {
        case .fileset where provider != "fileset", .model where provider != "model":
            throw CatalogError(.illegalArgument, .catalog, "a \(type.rawValue) catalog cannot have the provider \(provider)")
        default: break
        }
        if provider == PostgresTableProvider.providerName {
            for key in [PostgresTableProvider.urlProperty, PostgresTableProvider.userProperty] where (properties[key] ?? "").isEmpty {
                throw CatalogError(.illegalArgument, .catalog, "a \(provider) catalog needs the property \(key)")
            }
            _ = try PostgresLocation(url: properties[PostgresTableProvider.urlProperty]!, user: properties[PostgresTableProvider.userProperty])
        }
        if type == .fileset {
            for (_, location) in FilesetLocations.baseLocations(properties) { try FilesetLocations.validateLocationText(location) }
        }
        return try await store.createCatalog(path, type: type, provider: provider, comment: comment, properties: properties, caller: caller)
    }

    public func alterCatalog(_ path: CatalogPath, changes: [EntityChange], caller: Caller) async throws -> Catalog {
        let catalog = try await store.alterCatalog(path, changes: changes, caller: caller)
        await cache.evict(path)
        kinds.withLock { $0[path] = nil; $0[CatalogPath(path.metalake, catalog.name)] = nil }
        return catalog
    }

    public func dropCatalog(_ path: CatalogPath, force: Bool) async throws -> Bool {
        let dropped = try await store.dropCatalog(path, force: force)
        await cache.evict(path)
        kinds.withLock { $0[path] = nil }
        return dropped
    }

    public func dropMetalake(_ name: String, force: Bool) async throws -> Bool {
        let dropped = try await store.dropMetalake(name, force: force)
        await cache.evict(metalake: name)
        kinds.withLock { kinds in kinds = kinds.filter { $0.key.metalake != name } }
        return dropped
    }

    /// How to serve objects of a catalog: its type, and the catalog itself when a provider serves it (then
    /// checked to be in use). The type comes from a short-lived cache; the store checks in-use for the rest.
    func dispatch(_ path: CatalogPath) async throws -> (type: CatalogType, served: Catalog?) {
        let now = ContinuousClock.now
        let cached = kinds.withLock { $0[path] }.flatMap { now - $0.at < .milliseconds(Self.catalogKindCacheMs) ? $0 : nil }
        let type: CatalogType, provider: String
        if let cached {
            (type, provider) = (cached.type, cached.provider)
        } else {
            let catalog = try await usableCatalog(path)
            kinds.withLock { $0[path] = (catalog.type, catalog.provider, now) }
            (type, provider) = (catalog.type, catalog.provider)
        }
        if type == .relational && providers.isServed(provider) { return (type, try await usableCatalog(path)) }
        return (type, nil)
    }

    /// Refuses objects of a kind the catalog does not hold; a mismatch is re-checked without the cache, so a
    /// disabled catalog still answers notInUse first.
    func requireType(_ dispatched: (type: CatalogType, served: Catalog?), _ type: CatalogType, for what: String, at path: CatalogPath) async throws {
        guard dispatched.type != type else { return }
        kinds.withLock { $0[path] = nil }
        try requireType(try await usableCatalog(path), type, for: what, at: path)
    }

    /// The catalog, refusing a disabled one (or one under a disabled metalake) with notInUse.
    func usableCatalog(_ path: CatalogPath) async throws -> Catalog {
        let catalog = try await store.catalog(path)
        guard catalog.inUse else { throw CatalogError(.notInUse, .catalog, "Catalog \(path) is not in use") }
        return catalog
    }

    /// The provider serving a relational catalog, or nil when it is metadata only.
    func relationalProvider(_ path: CatalogPath, _ catalog: Catalog) async throws -> (any RelationalTableProvider)? {
        guard catalog.type == .relational, let factory = providers.factories[catalog.provider] else { return nil }
        return try await cache.provider(for: path, catalog: catalog, factory: factory)
    }

    func requireType(_ catalog: Catalog, _ type: CatalogType, for what: String, at path: CatalogPath) throws {
        guard catalog.type == type else {
            throw CatalogError(.unsupported, .catalog, "catalog \(path) is a \(catalog.type.rawValue) catalog and has no \(what)")
        }
    }
}
