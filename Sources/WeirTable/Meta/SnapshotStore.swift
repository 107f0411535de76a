import WeirFileIO
import WeirPaimon

/// The snapshots of a table (`snapshot/snapshot-<id>`, `LATEST`, `EARLIEST`), mirroring Java's `SnapshotManager`
/// and `HintFileUtils` (spec/paimon-format.md sections 3.4 and 3.5, spec/paimon-semantics.md section 8).
///
/// Contracts:
/// - Hints are only hints: ``latestId()`` trusts `LATEST = n` only when `snapshot-n` exists and `snapshot-(n+1)`
///   does not, ``earliestId()`` trusts `EARLIEST = n` only when `snapshot-n` exists; otherwise both list the
///   directory. A missing, unreadable or garbled hint is treated as absent.
/// - A snapshot exists the moment its file exists: ``tryCreate(_:)`` writes it with an atomic create-if-absent
///   and only then updates `LATEST` (best effort: a stale hint is harmless).
/// - Every error names the file it is about.
public struct SnapshotStore: Sendable {
    public let io: any FileIO
    public let paths: TablePaths

    public init(io: any FileIO, paths: TablePaths) {
        self.io = io
        self.paths = paths
    }

    // MARK: ids

    /// Every snapshot id found by listing `snapshot/`, ascending (temp and hint files ignored).
    public func ids() async throws(TableError) -> [Int64] {
        try await MetaIO.listFiles(io, paths.snapshotDirectory)
            .compactMap { SnapshotManager.parseSnapshotFileName(String($0.path.name)) }
            .sorted()
    }

    /// True when `snapshot-<id>` exists.
    public func exists(_ id: Int64) async throws(TableError) -> Bool {
        try await MetaIO.exists(io, paths.snapshot(id))
    }

    /// The latest snapshot id, nil for a table without snapshots (`HintFileUtils.findLatest`).
    public func latestId() async throws(TableError) -> Int64? {
        if let hint = await readHint(paths.latestHint),
           try await exists(hint), !(try await exists(hint + 1)) {
            return hint
        }
        return try await ids().last
    }

    /// The earliest snapshot id, nil for a table without snapshots (`HintFileUtils.findEarliest`).
    public func earliestId() async throws(TableError) -> Int64? {
        if let hint = await readHint(paths.earliestHint), try await exists(hint) {
            return hint
        }
        return try await ids().first
    }

    /// The id in a hint file, nil when the hint is missing, unreadable or garbled.
    func readHint(_ path: StoragePath) async -> Int64? {
        guard let bytes = try? await io.readAll(path, bytesMax: 64) else { return nil }
        return HintFileUtils.parseHint(bytes)
    }

    // MARK: snapshots

    /// Snapshot `id`; `notFound` when its file does not exist, `corrupt` when it does not parse or holds another id.
    public func snapshot(_ id: Int64) async throws(TableError) -> Snapshot {
        let path = paths.snapshot(id)
        let bytes = try await MetaIO.read(io, path, bytesMax: Snapshot.jsonBytesMax)
        return try Self.parse(bytes, path: path, expectedId: id)
    }

    /// Snapshot `id`, nil when its file does not exist.
    public func snapshotIfExists(_ id: Int64) async throws(TableError) -> Snapshot? {
        let path = paths.snapshot(id)
        guard let bytes = try await MetaIO.readIfExists(io, path, bytesMax: Snapshot.jsonBytesMax) else { return nil }
        return try Self.parse(bytes, path: path, expectedId: id)
    }

    static func parse(_ bytes: [UInt8], path: StoragePath, expectedId: Int64?) throws(TableError) -> Snapshot {
        let snapshot: Snapshot
        do {
            snapshot = try Snapshot(parsing: bytes, subject: path.description)
        } catch {
            throw TableError(.corrupt, path.description, error.message)
        }
        if let expectedId, snapshot.id != expectedId {
            throw TableError(.corrupt, path.description, "the file holds snapshot id \(snapshot.id)")
        }
        return snapshot
    }

    /// The latest snapshot, nil for a table without snapshots. Retries when the latest snapshot disappears while
    /// being read (concurrent expiration or rollback).
    public func latest() async throws(TableError) -> Snapshot? {
        for _ in 0..<3 {
            guard let id = try await latestId() else { return nil }
            if let snapshot = try await snapshotIfExists(id) { return snapshot }
        }
        guard let id = try await latestId() else { return nil }
        return try await snapshot(id)
    }

    /// The earliest snapshot, nil for a table without snapshots.
    public func earliest() async throws(TableError) -> Snapshot? {
        for _ in 0..<3 {
            guard let id = try await earliestId() else { return nil }
            if let snapshot = try await snapshotIfExists(id) { return snapshot }
        }
        guard let id = try await earliestId() else { return nil }
        return try await snapshot(id)
    }

    /// Time travel to a point in time (`scan.timestamp-millis`): the latest snapshot committed at or before
    /// `timeMillis`, else the earliest snapshot; nil for a table without snapshots. Commit times are taken as
    /// non-decreasing with the id (binary search, as Java's `earlierOrEqualTimeMills`).
    public func snapshot(atOrBefore timeMillis: Int64) async throws(TableError) -> Snapshot? {
        guard let earliest = try await earliest(), let latest = try await latest() else { return nil }
        if earliest.timeMillis > timeMillis { return earliest }
        if latest.timeMillis <= timeMillis { return latest }
        // Invariant: snapshot `low` is at or before the time, snapshot `high` is after it.
        var low = earliest.id, high = latest.id
        var found = earliest
        while high - low > 1 {
            let middle = low + (high - low) / 2
            guard let snapshot = try await snapshotIfExists(middle) else {
                // Expired while searching: everything below is gone too; start again from the new earliest.
                return try await self.snapshot(atOrBefore: timeMillis)
            }
            if snapshot.timeMillis <= timeMillis {
                low = middle
                found = snapshot
            } else {
                high = middle
            }
        }
        return found
    }

    // MARK: writing

    /// Atomically creates `snapshot-<id>` unless it exists (`RenamingSnapshotCommit`): true when this call
    /// created it (then `LATEST` is updated, best effort), false when another writer already has that id. Any
    /// other failure throws; then the outcome is unknown (the file may or may not exist).
    public func tryCreate(_ snapshot: Snapshot) async throws(TableError) -> Bool {
        guard snapshot.id >= Snapshot.firstSnapshotId else {
            throw TableError(.invalidInput, "snapshot-\(snapshot.id)", "snapshot ids start at \(Snapshot.firstSnapshotId)")
        }
        guard io.capabilities.atomicCreateIfAbsent else {
            throw TableError(.unsupported, paths.root.description,
                             "the store cannot create files atomically if absent, so concurrent commits could overwrite each other")
        }
        let created = try await MetaIO.write(io, paths.snapshot(snapshot.id), Array(snapshot.toJson().utf8), overwrite: false)
        if created {
            try? await writeLatestHint(snapshot.id)
        }
        return created
    }

    /// Writes `LATEST`.
    public func writeLatestHint(_ id: Int64) async throws(TableError) {
        try await MetaIO.write(io, paths.latestHint, Array(HintFileUtils.hintText(id).utf8), overwrite: true)
    }

    /// Writes `EARLIEST` (snapshot expiration and rollback do).
    public func writeEarliestHint(_ id: Int64) async throws(TableError) {
        try await MetaIO.write(io, paths.earliestHint, Array(HintFileUtils.hintText(id).utf8), overwrite: true)
    }

    /// Deletes `snapshot-<id>`; false when it did not exist.
    @discardableResult
    public func delete(_ id: Int64) async throws(TableError) -> Bool {
        try await MetaIO.delete(io, paths.snapshot(id))
    }
}
