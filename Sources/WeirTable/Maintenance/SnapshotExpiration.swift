import WeirFileIO
import WeirPaimon

/// How many snapshots to keep (`snapshot.num-retained.min/max`, `snapshot.time-retained`) and how many to expire
/// per run at most (`snapshot.expire.limit`).
public struct ExpirationOptions: Sendable, Equatable {
    public var retainMin: Int32
    public var retainMax: Int32
    public var timeRetained: Duration
    public var expireLimit: Int32

    public init(retainMin: Int32 = 10, retainMax: Int32 = Int32.max, timeRetained: Duration = .seconds(3600), expireLimit: Int32 = 50) {
        self.retainMin = retainMin
        self.retainMax = retainMax
        self.timeRetained = timeRetained
        self.expireLimit = expireLimit
    }

    /// The table's options (Java's defaults where unset).
    public init(options: CoreOptions) throws(TableError) {
        do {
            self.init(retainMin: try options.snapshotNumRetainMin(), retainMax: try options.snapshotNumRetainMax(),
                      timeRetained: try options.snapshotTimeRetain(), expireLimit: try options.snapshotExpireLimit())
        } catch {
            throw TableError.format(error, kind: .invalidTable)
        }
    }
}

/// What one expiration run did.
public struct ExpirationReport: Sendable, Equatable {
    /// Snapshot ids whose files were deleted, ascending.
    public var expiredSnapshots: [Int64] = []
    /// Data files (with their extra files) no retained snapshot or tag refers to.
    public var deletedDataFiles: [StoragePath] = []
    public var deletedChangelogFiles: [StoragePath] = []
    /// Manifest lists, manifests and index manifests.
    public var deletedManifests: [StoragePath] = []
    public var deletedIndexFiles: [StoragePath] = []
    public var deletedStatisticsFiles: [StoragePath] = []
    /// Metadata files of expired snapshots that could not be read (already deleted by an interrupted run, or
    /// damaged); the files they list are left for orphan-file clean-up.
    public var unreadableFiles: [String] = []

    public init() {}

    /// Every file deleted, snapshot files excluded.
    public var deletedFileCount: Int {
        deletedDataFiles.count + deletedChangelogFiles.count + deletedManifests.count + deletedIndexFiles.count + deletedStatisticsFiles.count
    }
}

/// Snapshot expiration, mirroring Java's `ExpireSnapshotsImpl` and `SnapshotDeletion` (spec/paimon-semantics.md
/// section 8).
///
/// Which snapshots: always keep the latest `retainMin`; snapshots beyond the latest `retainMax` are expired
/// whatever their age; the others are expired while they are older than `timeRetained` (committed before
/// `nowMillis - timeRetained`), stopping at the first young one; never more than `expireLimit` per run, never
/// the snapshot a consumer (`consumer/consumer-<id>`) still needs. The retained range is then `[end, latest]`.
///
/// Which files: a file is deleted only when neither snapshot `end` (the earliest retained one, whose live set
/// covers every later snapshot's files written before it) nor any tag refers to it:
/// - data files deleted by the deltas of snapshots `(begin, end]` (files an expired snapshot could still see) and
///   not live in `end` or in any tag, with their extra files;
/// - changelog files of the expired snapshots, unless a tag lists them;
/// - manifest lists, manifests, index manifests, index files and statistics files of the expired snapshots that
///   `end` and the tags do not refer to.
///
/// Order, safe to re-run after a crash at any point: everything that must be kept is read first (an unreadable
/// file of `end` or of a tag aborts the run before anything is deleted); then data and changelog files, then
/// manifests and index files, then the snapshot files in ascending order, and `EARLIEST` last. A retained
/// snapshot or a tag therefore never refers to a deleted file, the remaining snapshots are always a contiguous
/// range, and a run interrupted midway is completed by the next one (metadata already deleted is skipped).
public struct SnapshotExpiration: Sendable {
    public let io: any FileIO
    public let paths: TablePaths
    /// nil: the latest schema's options.
    public var options: ExpirationOptions?

    public init(io: any FileIO, paths: TablePaths, options: ExpirationOptions? = nil) {
        self.io = io
        self.paths = paths
        self.options = options
    }

    /// Expires what the options allow at time `nowMillis` (epoch milliseconds).
    public func expire(nowMillis: Int64) async throws(TableError) -> ExpirationReport {
        let snapshots = SnapshotStore(io: io, paths: paths)
        guard let latestId = try await snapshots.latestId(), let earliestId = try await snapshots.earliestId() else {
            return ExpirationReport()
        }
        guard let schema = try await SchemaStore(io: io, paths: paths).latest() else {
            throw TableError(.notFound, paths.root.description, "no schema: not a table")
        }
        let options: ExpirationOptions
        if let given = self.options { options = given } else { options = try ExpirationOptions(options: schema.coreOptions) }
        guard options.retainMin >= 1 else {
            throw TableError(.invalidTable, "option 'snapshot.num-retained.min'", "must be at least 1, not \(options.retainMin)")
        }
        guard options.retainMax >= options.retainMin else {
            throw TableError(.invalidTable, "option 'snapshot.num-retained.max'",
                             "retainMax (\(options.retainMax)) must not be less than retainMin (\(options.retainMin))")
        }
        guard options.expireLimit >= 1 else {
            throw TableError(.invalidTable, "option 'snapshot.expire.limit'", "must be at least 1, not \(options.expireLimit)")
        }
        let olderThan = nowMillis - TimeUtils.milliseconds(options.timeRetained)

        // The first snapshot the count limit keeps, and the end of what may be expired.
        let minKept = max(latestId - Int64(options.retainMax) + 1, earliestId)
        var maxExclusive = latestId - Int64(options.retainMin) + 1
        if let consumer = try await TableFileReferences.minConsumerSnapshot(io: io, paths: paths) {
            maxExclusive = min(maxExclusive, consumer)
        }
        maxExclusive = min(maxExclusive, earliestId + Int64(options.expireLimit))
        var end = maxExclusive
        if minKept < maxExclusive {
            for id in minKept..<maxExclusive {
                if let snapshot = try await snapshots.snapshotIfExists(id), olderThan <= snapshot.timeMillis {
                    end = id
                    break
                }
            }
        }
        return try await expireUntil(earliestId: earliestId, endExclusive: end, schema: schema)
    }

    /// Expires snapshots `[earliestId, endExclusive)` (clamped to the existing ones).
    func expireUntil(earliestId: Int64, endExclusive end: Int64, schema: TableSchema) async throws(TableError) -> ExpirationReport {
        let snapshots = SnapshotStore(io: io, paths: paths)
        var report = ExpirationReport()
        if end <= earliestId {
            if try await MetaIO.readIfExists(io, paths.earliestHint, bytesMax: 64) == nil {
                try await snapshots.writeEarliestHint(earliestId)
            }
            return report
        }
        // The existing snapshots below `end`: only the latest ones are kept, so a gap ends the range.
        var begin = earliestId
        var id = end - 1
        while id >= earliestId {
            if !(try await snapshots.exists(id)) {
                begin = id + 1
                break
            }
            id -= 1
        }
        guard let endSnapshot = try await snapshots.snapshotIfExists(end) else {
            // The first retained snapshot vanished (a concurrent expiration or rollback): do nothing.
            return report
        }
        let partitionComputer: InternalRowPartitionComputer
        do {
            partitionComputer = try InternalRowPartitionComputer(schema: schema)
        } catch {
            throw TableError.format(error, kind: .invalidTable)
        }
        let cache = ManifestCache(io: io, paths: paths)

        // 1. What must be kept: everything `end` and the tags refer to (strict reads).
        let tags = try await TagStore(io: io, paths: paths).taggedSnapshots()
        var keepData = Set<StoragePath>()
        var keepMetadata = Set<String>(), keepIndex = Set<String>(), keepStatistics = Set<String>()
        for kept in [endSnapshot] + tags {
            for entry in try await TableFileReferences.liveFiles(kept, cache: cache) {
                keepData.formUnion(try dataPaths(entry, partitionComputer))
            }
            let files = try await TableFileReferences.collect(kept, cache: cache, withData: false, withChangelog: kept.id != end,
                                                                lenient: false)
            keepMetadata.formUnion(files.metadata)
            keepIndex.formUnion(files.indexFiles)
            keepStatistics.formUnion(files.statistics)
            for entry in files.changelogEntries { keepData.formUnion(try dataPaths(entry, partitionComputer)) }
        }

        // 2. Candidates: data files deleted in (begin, end], changelog files and metadata of [begin, end).
        var dataCandidates: [StoragePath: ManifestEntry] = [:]
        if begin + 1 <= end {
            for id in (begin + 1)...end {
                guard let snapshot = id == end ? endSnapshot : try await snapshots.snapshotIfExists(id) else { continue }
                var deltaMetas: [ManifestFileMeta] = []
                do {
                    deltaMetas = try await cache.list(snapshot.deltaManifestList)
                } catch {
                    report.unreadableFiles.append(snapshot.deltaManifestList)
                    continue
                }
                // Within one commit a DELETE may be followed by an ADD of the same file (a level upgrade).
                var perSnapshot: [StoragePath: ManifestEntry] = [:]
                for meta in deltaMetas {
                    let entries: [ManifestEntry]
                    do {
                        entries = try await cache.manifests([meta]).flatMap { $0 }
                    } catch {
                        report.unreadableFiles.append(meta.fileName)
                        continue
                    }
                    for entry in entries {
                        let path = try paths.dataFile(entry, partitionComputer: partitionComputer)
                        if entry.kind == .delete { perSnapshot[path] = entry } else { perSnapshot.removeValue(forKey: path) }
                    }
                }
                dataCandidates.merge(perSnapshot) { old, _ in old }
            }
        }
        var changelogCandidates: [StoragePath] = []
        var expiredFiles = SnapshotFiles()
        var expired: [Int64] = []
        for id in begin..<end {
            guard let snapshot = try await snapshots.snapshotIfExists(id) else { continue }
            expired.append(id)
            let files = try await TableFileReferences.collect(snapshot, cache: cache, withData: false, withChangelog: true, lenient: true)
            report.unreadableFiles += files.unreadable
            expiredFiles.metadata.formUnion(files.metadata)
            expiredFiles.indexFiles.formUnion(files.indexFiles)
            expiredFiles.statistics.formUnion(files.statistics)
            for entry in files.changelogEntries where entry.kind == .add {
                changelogCandidates.append(try paths.dataFile(entry, partitionComputer: partitionComputer))
            }
        }

        // 3. Delete data and changelog files.
        var touchedDirectories = Set<StoragePath>()
        for (path, entry) in dataCandidates.sorted(by: { $0.key < $1.key }) where !keepData.contains(path) {
            for file in try dataPaths(entry, partitionComputer) where !keepData.contains(file) {
                // An external path on another store is not this FileIO's to delete.
                guard file.scheme == paths.root.scheme, file.authority == paths.root.authority else { continue }
                if try await MetaIO.delete(io, file) { report.deletedDataFiles.append(file) }
                touchedDirectories.insert(file.parent)
            }
        }
        for path in Set(changelogCandidates).sorted() where !keepData.contains(path) {
            guard path.scheme == paths.root.scheme, path.authority == paths.root.authority else { continue }
            if try await MetaIO.delete(io, path) { report.deletedChangelogFiles.append(path) }
            touchedDirectories.insert(path.parent)
        }
        await removeEmptyDirectories(touchedDirectories)

        // 4. Delete index files, manifests, index manifests, manifest lists, statistics: leaves before the
        //    files that name them, so a run interrupted here can still find what is left.
        for name in expiredFiles.indexFiles.subtracting(keepIndex).sorted() {
            let path = try paths.index(name)
            if try await MetaIO.delete(io, path) { report.deletedIndexFiles.append(path) }
        }
        let metadata = expiredFiles.metadata.subtracting(keepMetadata)
        func rank(_ name: String) -> Int {
            switch FileStorePathFactory.parseManifestDirectoryFile(name) {
            case .manifest?: return 0
            case .indexManifest?: return 1
            case .manifestList?: return 2
            case nil: return 0
            }
        }
        for name in metadata.sorted(by: { (rank($0), $0) < (rank($1), $1) }) {
            let path = try paths.manifest(name)
            if try await MetaIO.delete(io, path) { report.deletedManifests.append(path) }
        }
        for name in expiredFiles.statistics.subtracting(keepStatistics).sorted() {
            let path = try paths.statistics(name)
            if try await MetaIO.delete(io, path) { report.deletedStatisticsFiles.append(path) }
        }

        // 5. Delete the snapshot files, oldest first, then move EARLIEST.
        for id in expired {
            try await snapshots.delete(id)
        }
        try await snapshots.writeEarliestHint(end)
        report.expiredSnapshots = expired
        return report
    }

    /// A data file's path and its extra files' paths.
    func dataPaths(_ entry: ManifestEntry, _ computer: InternalRowPartitionComputer) throws(TableError) -> [StoragePath] {
        let main = try paths.dataFile(entry, partitionComputer: computer)
        var out = [main]
        for extra in entry.file.extraFiles {
            if entry.file.externalPath != nil {
                out.append(try TablePaths.child(main.parent, extra, what: "extra file name"))
            } else {
                out.append(try paths.dataFile(fileName: extra, partition: entry.partition, bucket: entry.bucket, partitionComputer: computer))
            }
        }
        return out
    }

    /// Removes bucket directories left empty, then partition directories left empty (stores with directories).
    func removeEmptyDirectories(_ directories: Set<StoragePath>) async {
        guard io.capabilities.directories else { return }
        var level = directories.filter { $0.isWithin(paths.root) && $0 != paths.root }
        while !level.isEmpty {
            var parents = Set<StoragePath>()
            for directory in level.sorted() {
                guard let page = try? await io.list(directory, options: ListOptions(limit: 1)),
                      page.files.isEmpty, page.directories.isEmpty else { continue }
                guard (try? await io.delete(directory, recursive: false)) == true else { continue }
                let parent = directory.parent
                if parent != paths.root, parent.isWithin(paths.root), parent.name.contains("=") { parents.insert(parent) }
            }
            level = parents
        }
    }
}
