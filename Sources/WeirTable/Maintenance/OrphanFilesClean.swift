import struct Foundation.Date
import WeirFileIO
import WeirPaimon

/// A file the orphan clean found (and deleted, unless it was a dry run).
public struct OrphanFile: Sendable, Equatable {
    public var path: StoragePath
    public var size: Int64
    public var modified: Date?

    public init(path: StoragePath, size: Int64, modified: Date?) {
        self.path = path
        self.size = size
        self.modified = modified
    }
}

/// Deletes files under a table's directory that nothing refers to, mirroring Java's `OrphanFilesClean`
/// (`remove_orphan_files`): files left by failed writes and commits, interrupted expirations, or deleted tags.
///
/// What is referenced: everything any snapshot, tag or long-lived changelog of the table (and of its branches,
/// whose data and manifests live in the table's directories) refers to — manifest lists, manifests, index
/// manifests, index files, statistics files, every changelog file, and every data file (with its extra files)
/// that some snapshot or tag can see (see ``collectReferences(of:cache:into:)``; Java counts every name any
/// manifest entry mentions, so it never removes files compacted away before the earliest snapshot that a
/// deleted tag kept). A snapshot or tag that disappears while being read (a concurrent expiration)
/// is skipped; any other unreadable file aborts the clean before anything is deleted.
///
/// What may be deleted: files not referenced, **and** last modified before `nowMillis - olderThan` (default one
/// day: a writer's files are unreferenced until its commit, so they must be young enough to be spared), among
/// - files in `manifest/`, `index/`, `statistics/`;
/// - files in bucket directories (`<k=v>/…/bucket-<n>/`, at the table's partition depth);
/// - files in `snapshot/` and `changelog/` other than `snapshot-<n>`/`changelog-<n>` and the hints;
/// - temporary files (`.<name>.<uuid>.tmp`) in `schema/`, `tag/` and `consumer/`;
/// - writers' unpublished temporary files (``ListOptions/includeWriterTemporaries``: a writer killed while writing a
///   data or manifest file leaves one) wherever the rules above delete unreferenced files.
/// A file without a modification time is kept. Branch directories and unknown directories are left alone.
public struct OrphanFilesClean: Sendable {
    public let io: any FileIO
    public let paths: TablePaths
    /// The age guard: only files older than this are deleted.
    public var olderThan: Duration
    /// True: report what would be deleted, delete nothing.
    public var dryRun: Bool

    public init(io: any FileIO, paths: TablePaths, olderThan: Duration = .seconds(86_400), dryRun: Bool = false) {
        self.io = io
        self.paths = paths
        self.olderThan = olderThan
        self.dryRun = dryRun
    }

    struct Referenced {
        var metadata = Set<String>()
        var indexFiles = Set<String>()
        var statistics = Set<String>()
        var dataFiles = Set<String>()

        /// Metadata, index and statistics files, changelog files (ADD entries of the changelog manifests).
        mutating func add(_ files: SnapshotFiles) {
            metadata.formUnion(files.metadata)
            indexFiles.formUnion(files.indexFiles)
            statistics.formUnion(files.statistics)
            addData(files.changelogEntries.filter { $0.kind == .add })
        }

        mutating func addData(_ entries: [ManifestEntry]) {
            for entry in entries {
                dataFiles.insert(entry.file.fileName)
                dataFiles.formUnion(entry.file.extraFiles)
            }
        }
    }

    /// Finds (and unless ``dryRun`` deletes) the orphan files as of `nowMillis`; returns them sorted by path.
    public func clean(nowMillis: Int64) async throws(TableError) -> [OrphanFile] {
        guard let schema = try await SchemaStore(io: io, paths: paths).latest() else {
            throw TableError(.notFound, paths.root.description, "no schema: not a table")
        }
        guard olderThan >= .zero else {
            throw TableError(.invalidInput, paths.root.description, "the age guard must not be negative")
        }
        let cache = ManifestCache(io: io, paths: paths)
        var referenced = Referenced()
        var owners = [paths]
        for directory in try await subdirectories(paths.branchDirectory) where BranchManager.parseBranchDirectoryName(String(directory.name)) != nil {
            owners.append(try TablePaths(root: directory))
        }
        for owner in owners {
            try await collectReferences(of: owner, cache: cache, into: &referenced)
        }

        let cutoff = nowMillis - TimeUtils.milliseconds(olderThan)
        let listing: [FileStatus]
        do {
            listing = try await io.listAll(paths.root, recursive: true, includeWriterTemporaries: true).files
        } catch {
            throw MetaIO.tableError(error, paths.root)
        }
        let depth = schema.partitionKeys.count
        var orphans: [OrphanFile] = []
        for status in listing {
            guard let relative = status.path.relative(to: paths.root) else { continue }
            let segments = relative.split(separator: "/").map(String.init)
            guard isOrphan(segments, referenced: referenced, partitionDepth: depth) else { continue }
            guard let modified = status.modified,
                  Int64((modified.timeIntervalSince1970 * 1000).rounded(.down)) < cutoff else { continue }
            orphans.append(OrphanFile(path: status.path, size: status.size, modified: modified))
        }
        orphans.sort { $0.path < $1.path }
        if !dryRun {
            for orphan in orphans { try await MetaIO.delete(io, orphan.path) }
        }
        return orphans
    }

    /// Java's temporary file name of an atomic write: `.<name>.<uuid>.tmp`.
    static func isTempName(_ name: String) -> Bool { name.hasPrefix(".") && name.hasSuffix(".tmp") }

    func isOrphan(_ segments: [String], referenced: Referenced, partitionDepth: Int) -> Bool {
        guard let name = segments.last, segments.count >= 2 else { return false }
        if segments.count == 2 {
            switch segments[0] {
            case FileStorePathFactory.manifestPath: return !referenced.metadata.contains(name)
            case FileStorePathFactory.indexPath: return !referenced.indexFiles.contains(name)
            case FileStorePathFactory.statisticsPath: return !referenced.statistics.contains(name)
            case SnapshotManager.snapshotDirectory:
                return SnapshotManager.parseSnapshotFileName(name) == nil && name != HintFileUtils.latest && name != HintFileUtils.earliest
            case ChangelogManager.changelogDirectory:
                return ChangelogManager.parseChangelogFileName(name) == nil && name != HintFileUtils.latest && name != HintFileUtils.earliest
            case SchemaManager.schemaDirectory, TagManager.tagDirectory, ConsumerManager.consumerDirectory:
                return Self.isTempName(name)
            default:
                break
            }
        }
        // <k1=v1>/…/<kn=vn>/bucket-<b>/<file>
        guard segments.count == partitionDepth + 2,
              FileStorePathFactory.parseBucketDirectoryName(segments[partitionDepth]) != nil,
              segments[0..<partitionDepth].allSatisfy({ $0.contains("=") }) else { return false }
        return !referenced.dataFiles.contains(name)
    }

    func subdirectories(_ directory: StoragePath) async throws(TableError) -> [StoragePath] {
        do {
            return try await io.listAll(directory, recursive: false).directories
        } catch let error as FileIOError where error.kind == .notFound {
            return []
        } catch {
            throw MetaIO.tableError(error, directory)
        }
    }

    /// Adds what the snapshots, tags and long-lived changelogs stored under `owner` refer to.
    ///
    /// The data files some snapshot can see are those live in the first snapshot of each run of consecutive
    /// ids, plus the files the later snapshots of the run add (their delta ADD entries): a file live in snapshot
    /// k was live in the run's first snapshot or added on the way. Files that only DELETE entries name were
    /// removed before every snapshot that remains.
    func collectReferences(of owner: TablePaths, cache: ManifestCache, into referenced: inout Referenced) async throws(TableError) {
        let snapshots = SnapshotStore(io: io, paths: owner)
        var previous: Int64? = nil
        for id in try await snapshots.ids() {
            guard let snapshot = try await snapshots.snapshotIfExists(id) else {
                previous = nil
                continue
            }
            do {
                referenced.add(try await TableFileReferences.collect(snapshot, cache: cache, withData: false, withChangelog: true, lenient: false))
                if previous == id - 1 {
                    let delta = try await cache.manifests(try await cache.list(snapshot.deltaManifestList)).flatMap { $0 }
                    referenced.addData(delta.filter { $0.kind == .add })
                } else {
                    referenced.addData(try await TableFileReferences.liveFiles(snapshot, cache: cache))
                }
                previous = id
            } catch {
                // Expired while being read: its files are being deleted anyway.
                if try await snapshots.exists(id) { throw error }
                previous = nil
            }
        }
        let tags = TagStore(io: io, paths: owner)
        for tag in try await tags.tags() {
            do {
                referenced.add(try await TableFileReferences.collect(tag.snapshot, cache: cache, withData: false, withChangelog: true, lenient: false))
                referenced.addData(try await TableFileReferences.liveFiles(tag.snapshot, cache: cache))
            } catch {
                if try await tags.tag(tag.name) != nil { throw error }
            }
        }
        // Long-lived changelogs (snapshot-like files kept past their snapshots): their changelog and delta files.
        for file in try await MetaIO.listFiles(io, owner.changelogDirectory) {
            guard ChangelogManager.parseChangelogFileName(String(file.path.name)) != nil,
                  let bytes = try await MetaIO.readIfExists(io, file.path, bytesMax: Snapshot.jsonBytesMax) else { continue }
            let changelog = try SnapshotStore.parse(bytes, path: file.path, expectedId: nil)
            do {
                referenced.add(try await TableFileReferences.collect(changelog, cache: cache, withData: false, withChangelog: true, lenient: false))
                let delta = try await cache.manifests(try await cache.list(changelog.deltaManifestList)).flatMap { $0 }
                referenced.addData(delta.filter { $0.kind == .add })
            } catch {
                if try await MetaIO.exists(io, file.path) { throw error }
            }
        }
    }
}
