/// Open ``RelationalTableProvider``s by catalog, so a catalog's connection pool is made once and reused;
/// replaced when the catalog's properties change and closed when it is dropped.
actor ProviderCache {
    private var entries: [CatalogPath: (properties: [String: String], provider: any RelationalTableProvider)] = [:]

    func provider(for path: CatalogPath, catalog: Catalog, factory: RelationalProviders.Factory) async throws -> any RelationalTableProvider {
        if let entry = entries[path], entry.properties == catalog.properties { return entry.provider }
        if let stale = entries.removeValue(forKey: path) { await stale.provider.close() }
        let provider = try factory(catalog)
        entries[path] = (catalog.properties, provider)
        return provider
    }

    func evict(_ path: CatalogPath) async {
        if let entry = entries.removeValue(forKey: path) { await entry.provider.close() }
    }

    func evict(metalake: String) async {
        for path in entries.keys where path.metalake == metalake { await evict(path) }
    }

    func closeAll() async {
        for path in entries.keys { await evict(path) }
    }
}
