import WeirFileIO
import WeirPaimon

extension FileStoreTable {
    /// Every snapshot, oldest first.
    public func allSnapshots() async throws(TableError) -> [Snapshot] {
        var out: [Snapshot] = []
        for id in try await snapshots.ids() {
            if let snapshot = try await snapshots.snapshotIfExists(id) { out.append(snapshot) }
        }
        return out
    }

    /// Expires snapshots by the table's `snapshot.*` retention options, each overridable by `optionOverrides`
    /// (the same keys), deleting only files no retained snapshot or tag references (``SnapshotExpiration``).
    public func expireSnapshots(optionOverrides: [String: String] = [:], nowMillis: Int64 = currentTimeMillis()) async throws(TableError) -> ExpirationReport {
        var merged = schema.options
        for (key, value) in optionOverrides { merged[key] = value }
        let options = try ExpirationOptions(options: CoreOptions(merged))
        return try await SnapshotExpiration(io: io, paths: paths, options: options).expire(nowMillis: nowMillis)
    }

    /// Deletes files under the table nothing references that are older than `olderThan` (``OrphanFilesClean``);
    /// with `dryRun` only lists them.
    public func removeOrphanFiles(olderThan: Duration, dryRun: Bool, nowMillis: Int64 = currentTimeMillis()) async throws(TableError) -> [OrphanFile] {
        try await OrphanFilesClean(io: io, paths: paths, olderThan: olderThan, dryRun: dryRun).clean(nowMillis: nowMillis)
    }
}
