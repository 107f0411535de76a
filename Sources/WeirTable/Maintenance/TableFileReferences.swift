import WeirFileIO
import WeirPaimon

/// The files a snapshot (or tag, or long-lived changelog) refers to, collected for expiration and orphan-file
/// clean-up. Manifests are immutable, so each is read once per run (``ManifestCache``).
struct SnapshotFiles {
    /// Manifest lists, manifests and the index manifest (all in `manifest/`).
    var metadata: Set<String> = []
    /// Index files (in `index/`).
    var indexFiles: Set<String> = []
    /// Statistics files (in `statistics/`).
    var statistics: Set<String> = []
    /// Entries of the data and changelog manifests (ADD and DELETE), when collected.
    var dataEntries: [ManifestEntry] = []
    var changelogEntries: [ManifestEntry] = []
    /// Files that could not be read (only in lenient mode).
    var unreadable: [String] = []
}

/// Reads manifests and lists at most once per run.
final class ManifestCache: @unchecked Sendable {
    // Used from one task at a time (the maintenance runs are sequential).
    private var lists: [String: [ManifestFileMeta]] = [:]
    private var manifests: [String: [ManifestEntry]] = [:]
    let io: any FileIO
    let paths: TablePaths

    init(io: any FileIO, paths: TablePaths) {
        self.io = io
        self.paths = paths
    }

    func list(_ name: String) async throws(TableError) -> [ManifestFileMeta] {
        if let cached = lists[name] { return cached }
        let value = try await ManifestList.read(io: io, paths: paths, fileName: name)
        lists[name] = value
        return value
    }

    func manifests(_ metas: [ManifestFileMeta]) async throws(TableError) -> [[ManifestEntry]] {
        let missing = Array(Set(metas.map(\.fileName).filter { manifests[$0] == nil })).sorted()
        let io = self.io, paths = self.paths
        let read = try await concurrentMap(missing, width: 8) { (name: String) throws(TableError) -> [ManifestEntry] in
            try await ManifestFile.read(io: io, paths: paths, fileName: name)
        }
        for (name, entries) in zip(missing, read) { manifests[name] = entries }
        return metas.map { manifests[$0.fileName] ?? [] }
    }
}

enum TableFileReferences {
    /// The files `snapshot` refers to. `withData`: also read the data (and changelog) manifests' entries.
    /// `lenient`: a file that cannot be read is noted in ``SnapshotFiles/unreadable`` and skipped; otherwise the
    /// error is thrown.
    static func collect(_ snapshot: Snapshot, cache: ManifestCache, withData: Bool, withChangelog: Bool,
                        lenient: Bool) async throws(TableError) -> SnapshotFiles {
        var out = SnapshotFiles()
        func attempt<T>(_ name: String, _ body: () async throws(TableError) -> T) async throws(TableError) -> T? {
            do {
                return try await body()
            } catch {
                if lenient {
                    out.unreadable.append(name)
                    return nil
                }
                throw error
            }
        }
        var dataMetas: [ManifestFileMeta] = []
        for list in [snapshot.baseManifestList, snapshot.deltaManifestList] {
            out.metadata.insert(list)
            if let metas = try await attempt(list, { () throws(TableError) in try await cache.list(list) }) {
                dataMetas += metas
                out.metadata.formUnion(metas.map(\.fileName))
            }
        }
        var changelogMetas: [ManifestFileMeta] = []
        if let list = snapshot.changelogManifestList {
            out.metadata.insert(list)
            if let metas = try await attempt(list, { () throws(TableError) in try await cache.list(list) }) {
                changelogMetas = metas
                out.metadata.formUnion(metas.map(\.fileName))
            }
        }
        if let index = snapshot.indexManifest {
            out.metadata.insert(index)
            if let entries = try await attempt(index, { () throws(TableError) in
                try await IndexManifestFile.read(io: cache.io, paths: cache.paths, fileName: index)
            }) {
                out.indexFiles.formUnion(entries.map(\.indexFile.fileName))
            }
        }
        if let statistics = snapshot.statistics { out.statistics.insert(statistics) }
        if withData {
            if lenient {
                for meta in dataMetas {
                    if let entries = try await attempt(meta.fileName, { () throws(TableError) in try await cache.manifests([meta]) }) {
                        out.dataEntries += entries.flatMap { $0 }
                    }
                }
            } else {
                out.dataEntries = try await cache.manifests(dataMetas).flatMap { $0 }
            }
        }
        if withChangelog {
            for meta in changelogMetas {
                if let entries = try await attempt(meta.fileName, { () throws(TableError) in try await cache.manifests([meta]) }) {
                    out.changelogEntries += entries.flatMap { $0 }
                }
            }
        }
        return out
    }

    /// The live data files of `snapshot` (strict: any unreadable file is an error).
    static func liveFiles(_ snapshot: Snapshot, cache: ManifestCache) async throws(TableError) -> [ManifestEntry] {
        let files = try await collect(snapshot, cache: cache, withData: true, withChangelog: false, lenient: false)
        do {
            return try FileEntries.liveFiles(files.dataEntries, subject: "snapshot-\(snapshot.id)")
        } catch {
            throw TableError(.corrupt, cache.paths.snapshot(snapshot.id).description, error.message)
        }
    }

    /// The smallest `nextSnapshot` of the table's consumers (`consumer/consumer-<id>`), nil without consumers.
    static func minConsumerSnapshot(io: any FileIO, paths: TablePaths) async throws(TableError) -> Int64? {
        var result: Int64? = nil
        for file in try await MetaIO.listFiles(io, paths.consumerDirectory) {
            let name = String(file.path.name)
            guard name.hasPrefix(ConsumerManager.consumerPrefix), !name.hasPrefix(".") else { continue }
            guard let bytes = try await MetaIO.readIfExists(io, file.path, bytesMax: 1 << 20) else { continue }
            guard let root = try? JsonSerdeUtil.parse(bytes, subject: name, bytesMax: 1 << 20),
                  case .number(let text)? = root["nextSnapshot"], let next = Int64(text) else {
                throw TableError(.corrupt, file.path.description, "a consumer file must hold {\"nextSnapshot\": <id>}")
            }
            result = min(result ?? next, next)
        }
        return result
    }
}
