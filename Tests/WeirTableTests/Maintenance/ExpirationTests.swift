import Foundation
import Synchronization
import Testing
import WeirFileIO
import WeirPaimon
import WeirTestSupport
@testable import WeirTable

/// A table whose snapshots exercise deletion: snapshot i is committed at minute i.
///   1: +f1  2: +f2  3: compact -f1 -f2 +f3 (changelog c3)  4: +f4  5: overwrite -f4 +f5  6: +f6  7: +f7
struct HistoryTable {
    let io: any FileIO
    let paths: TablePaths
    let schema: TableSchema
    var files: [String: ManifestEntry] = [:]

    static let minute: Int64 = 60_000

    static func make(io: any FileIO, paths: TablePaths) async throws -> HistoryTable {
        let schema = try TestSchemas.append()
        try await createTable(io, paths, schema)
        var table = HistoryTable(io: io, paths: paths, schema: schema)
        for name in ["f1", "f2", "f3", "f4", "f5", "f6", "f7", "c3"] {
            let e = entry(name.hasPrefix("c") ? "changelog-\(name).parquet" : "data-\(name).parquet", fileSize: 32)
            table.files[name] = e
            try await writeDataFile(io, paths, schema, e)
        }
        func del(_ name: String) -> ManifestEntry { CommitMessage.deletion(of: table.files[name]!) }
        let messages: [(CommitMessage, Snapshot.CommitKind)] = [
            (CommitMessage(newFiles: [table.files["f1"]!]), .append),
            (CommitMessage(newFiles: [table.files["f2"]!]), .append),
            (CommitMessage(newFiles: [table.files["f3"]!], deletedFiles: [del("f1"), del("f2")], changelogFiles: [table.files["c3"]!]), .compact),
            (CommitMessage(newFiles: [table.files["f4"]!]), .append),
            (CommitMessage(newFiles: [table.files["f5"]!], deletedFiles: [del("f4")]), .overwrite),
            (CommitMessage(newFiles: [table.files["f6"]!]), .append),
            (CommitMessage(newFiles: [table.files["f7"]!]), .append),
        ]
        for (index, (message, kind)) in messages.enumerated() {
            let time = Int64(index + 1) * minute
            let commit = FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: "u", clock: { time })
            _ = try await commit.commit(message, kind: kind, identifier: Int64(index + 1))
        }
        return table
    }

    func dataPath(_ name: String) throws -> StoragePath {
        try paths.dataFile(files[name]!, partitionComputer: try InternalRowPartitionComputer(schema: schema))
    }

    func exists(_ name: String) async throws -> Bool { try await io.exists(try dataPath(name)) }

    /// Every file snapshot `id` needs is there and its live files are what a reader gets.
    func expectComplete(_ snapshot: Snapshot) async throws {
        let reader = SnapshotReader(io: io, paths: paths)
        for name in try await referencedManifestNames(snapshot) {
            #expect(try await io.exists(try paths.manifest(name)), "snapshot \(snapshot.id) needs \(name)")
        }
        let computer = try InternalRowPartitionComputer(schema: schema)
        for e in try await reader.liveEntries(snapshot) {
            #expect(try await io.exists(try paths.dataFile(e, partitionComputer: computer)), "snapshot \(snapshot.id) needs \(e.file.fileName)")
        }
    }

    func referencedManifestNames(_ snapshot: Snapshot) async throws -> Set<String> {
        var names = Set<String>()
        for list in [snapshot.baseManifestList, snapshot.deltaManifestList] + [snapshot.changelogManifestList].compactMap({ $0 }) {
            names.insert(list)
            for meta in try await ManifestList.read(io: io, paths: paths, fileName: list) { names.insert(meta.fileName) }
        }
        return names
    }

    func snapshots() async throws -> [Int64] { try await SnapshotStore(io: io, paths: paths).ids() }
}

@Suite struct ExpirationTests {
    func expire(_ table: HistoryTable, now: Int64, _ options: ExpirationOptions) async throws -> ExpirationReport {
        try await SnapshotExpiration(io: table.io, paths: table.paths, options: options).expire(nowMillis: now)
    }

    @Test func retainMaxExpiresTheOldestAndOnlyUnreferencedFiles() async throws {
        let (io, paths) = try memoryTable()
        let table = try await HistoryTable.make(io: io, paths: paths)
        let report = try await expire(table, now: 8 * HistoryTable.minute,
                                      ExpirationOptions(retainMin: 1, retainMax: 3, timeRetained: .seconds(86_400)))
        #expect(report.expiredSnapshots == [1, 2, 3, 4])
        #expect(try await table.snapshots() == [5, 6, 7])
        // f1, f2 (compacted away in 3) and f4 (overwritten in 5) are gone; f3 is still live in 5.
        #expect(Set(report.deletedDataFiles) == Set(try ["f1", "f2", "f4"].map(table.dataPath)))
        for name in ["f3", "f5", "f6", "f7"] { #expect(try await table.exists(name), "\(name)") }
        #expect(report.deletedChangelogFiles == [try table.dataPath("c3")])
        #expect(!(try await table.exists("c3")))
        // Lists of the expired snapshots go; their data manifests stay while snapshot 5's base list names them.
        let lists = report.deletedManifests.filter { $0.name.hasPrefix("manifest-list-") }
        #expect(lists.count == 4 * 2 + 1, "base and delta lists of 1-4, and 3's changelog list")
        #expect(report.deletedManifests.count == lists.count + 1, "and 3's changelog manifest")
        let store = SnapshotStore(io: io, paths: paths)
        #expect(String(decoding: try await io.readAll(paths.earliestHint), as: UTF8.self) == "5")
        #expect(try await store.earliestId() == 5)
        for id in Int64(5)...7 { try await table.expectComplete(try await store.snapshot(id)) }
        // Nothing left to expire: a second run changes nothing.
        let again = try await expire(table, now: 8 * HistoryTable.minute, ExpirationOptions(retainMin: 1, retainMax: 3, timeRetained: .seconds(86_400)))
        #expect(again.expiredSnapshots.isEmpty && again.deletedFileCount == 0)
    }

    @Test func timeRetainedStopsAtTheFirstYoungSnapshot() async throws {
        let (io, paths) = try memoryTable()
        let table = try await HistoryTable.make(io: io, paths: paths)
        // Snapshots committed before minute 4 are older than 3 minutes at minute 7.
        let report = try await expire(table, now: 7 * HistoryTable.minute, ExpirationOptions(retainMin: 1, retainMax: 100, timeRetained: .seconds(180)))
        #expect(report.expiredSnapshots == [1, 2, 3])
        #expect(try await table.snapshots() == [4, 5, 6, 7])
        #expect(Set(report.deletedDataFiles) == Set(try ["f1", "f2"].map(table.dataPath)))
        #expect(try await table.exists("f4"), "f4 is live in retained snapshot 4")
    }

    @Test func retainMinAndTheLimitBoundEachRun() async throws {
        let (io, paths) = try memoryTable()
        let table = try await HistoryTable.make(io: io, paths: paths)
        let everythingOld = 1_000 * HistoryTable.minute
        let limited = try await expire(table, now: everythingOld, ExpirationOptions(retainMin: 1, retainMax: 100, timeRetained: .seconds(60), expireLimit: 2))
        #expect(limited.expiredSnapshots == [1, 2])
        // Snapshot 3, now the earliest, compacted f1 and f2 away: no retained snapshot sees them.
        #expect(Set(limited.deletedDataFiles) == Set(try ["f1", "f2"].map(table.dataPath)))
        let minimum = try await expire(table, now: everythingOld, ExpirationOptions(retainMin: 3, retainMax: 100, timeRetained: .seconds(60)))
        #expect(minimum.expiredSnapshots == [3, 4])
        #expect(try await table.snapshots() == [5, 6, 7])
        #expect(minimum.deletedDataFiles == [try table.dataPath("f4")])
        let bad = await tableError { () throws(TableError) in
            _ = try await SnapshotExpiration(io: io, paths: paths, options: ExpirationOptions(retainMin: 5, retainMax: 2)).expire(nowMillis: 0)
        }
        #expect(bad?.kind == .invalidTable)
    }

    @Test func defaultsComeFromTheTableOptions() async throws {
        let (io, paths) = try memoryTable()
        let table = try await HistoryTable.make(io: io, paths: paths)
        // Java's defaults keep at least 10 snapshots: nothing of 7 expires.
        let report = try await SnapshotExpiration(io: io, paths: paths).expire(nowMillis: 10_000 * HistoryTable.minute)
        #expect(report.expiredSnapshots.isEmpty)
        #expect(try await table.snapshots() == Array(1...7))
        #expect(try await SnapshotStore(io: io, paths: paths).earliestId() == 1)
        #expect(try await io.exists(paths.earliestHint), "a run that expires nothing still writes EARLIEST")
    }

    @Test func taggedSnapshotsKeepTheirFiles() async throws {
        let (io, paths) = try memoryTable()
        let table = try await HistoryTable.make(io: io, paths: paths)
        let store = SnapshotStore(io: io, paths: paths)
        let tagged = try await store.snapshot(2)
        try await TagStore(io: io, paths: paths).create(name: "keep", snapshot: tagged)
        let report = try await expire(table, now: 8 * HistoryTable.minute, ExpirationOptions(retainMin: 1, retainMax: 3, timeRetained: .seconds(86_400)))
        #expect(report.expiredSnapshots == [1, 2, 3, 4])
        #expect(Set(report.deletedDataFiles) == [try table.dataPath("f4")])
        #expect(try await table.exists("f1"))
        #expect(try await table.exists("f2"))
        // The tag still reads completely.
        try await table.expectComplete(tagged)
        #expect(!report.deletedManifests.contains(try paths.manifest(tagged.baseManifestList)))
        // Deleting the tag removes only its file; the orphan clean then finds what only the tag kept.
        #expect(try await TagStore(io: io, paths: paths).delete("keep"))
        #expect(try await table.exists("f1"))
        let orphans = try await OrphanFilesClean(io: io, paths: paths, olderThan: .seconds(60))
            .clean(nowMillis: FileStoreCommit.wallClockMillis() + 3_600_000)
        let orphanNames = Set(orphans.map { String($0.path.name) })
        #expect(orphanNames.isSuperset(of: ["data-f1.parquet", "data-f2.parquet", tagged.baseManifestList, tagged.deltaManifestList]))
        #expect(!(try await table.exists("f1")))
        for id in Int64(5)...7 { try await table.expectComplete(try await store.snapshot(id)) }
    }

    @Test func consumersProtectTheirNextSnapshot() async throws {
        let (io, paths) = try memoryTable()
        let table = try await HistoryTable.make(io: io, paths: paths)
        try await io.write(try paths.consumer("flink-job"), Array("{\n  \"nextSnapshot\" : 3\n}".utf8), overwrite: false)
        let report = try await expire(table, now: 8 * HistoryTable.minute, ExpirationOptions(retainMin: 1, retainMax: 3, timeRetained: .seconds(86_400)))
        #expect(report.expiredSnapshots == [1, 2])
    }

    /// Fails the n-th delete of a path whose name passes `matching` (a crash midway).
    final class CrashingDeletes: FileIO, @unchecked Sendable {
        let inner: any FileIO
        let matching: @Sendable (String) -> Bool
        let remaining = Mutex(0)
        init(_ inner: any FileIO, afterDeletes: Int, matching: @escaping @Sendable (String) -> Bool) {
            self.inner = inner
            self.matching = matching
            remaining.withLock { $0 = afterDeletes }
        }
        var capabilities: FileIOCapabilities { inner.capabilities }
        func status(_ path: StoragePath) async throws -> FileStatus { try await inner.status(path) }
        func openForReading(_ path: StoragePath) async throws -> any ReadableFile { try await inner.openForReading(path) }
        func create(_ path: StoragePath, overwrite: Bool) async throws -> any WritableFile { try await inner.create(path, overwrite: overwrite) }
        func list(_ directory: StoragePath, options: ListOptions) async throws -> ListPage { try await inner.list(directory, options: options) }
        func rename(_ source: StoragePath, to target: StoragePath) async throws { try await inner.rename(source, to: target) }
        func mkdirs(_ path: StoragePath) async throws { try await inner.mkdirs(path) }
        func delete(_ path: StoragePath, recursive: Bool) async throws -> Bool {
            if matching(String(path.name)) {
                let crash = remaining.withLock { n -> Bool in
                    if n == 0 { return true }
                    n -= 1
                    return false
                }
                if crash { throw FileIOError(.io, path: path, "simulated crash") }
            }
            return try await inner.delete(path, recursive: recursive)
        }
    }

    @Test(arguments: [("manifest-", 3), ("snapshot-", 2), ("data-", 1)])
    func aRunInterruptedMidwayIsCompletedByTheNextOne(prefix: String, after: Int) async throws {
        let (memory, paths) = try memoryTable()
        let table = try await HistoryTable.make(io: memory, paths: paths)
        let options = ExpirationOptions(retainMin: 1, retainMax: 3, timeRetained: .seconds(86_400))
        let crashing = CrashingDeletes(memory, afterDeletes: after) { $0.hasPrefix(prefix) }
        let error = await tableError { () throws(TableError) in
            _ = try await SnapshotExpiration(io: crashing, paths: paths, options: options).expire(nowMillis: 8 * HistoryTable.minute)
        }
        #expect(error?.kind == .io)
        // Whatever was deleted, the snapshots that are to stay are complete, and the remaining ones are contiguous.
        let store = SnapshotStore(io: memory, paths: paths)
        for id in Int64(5)...7 { try await table.expectComplete(try await store.snapshot(id)) }
        let left = try await table.snapshots()
        #expect(left == Array(left.first!...7))
        // The next run finishes the job.
        _ = try await SnapshotExpiration(io: memory, paths: paths, options: options).expire(nowMillis: 8 * HistoryTable.minute)
        #expect(try await table.snapshots() == [5, 6, 7])
        for name in ["f1", "f2", "f4", "c3"] { #expect(!(try await table.exists(name)), "\(name)") }
        for id in Int64(5)...7 { try await table.expectComplete(try await store.snapshot(id)) }
        #expect(try await store.earliestId() == 5)
        // No metadata of the expired snapshots is left over.
        var referenced = Set<String>()
        for id in Int64(5)...7 { referenced.formUnion(try await table.referencedManifestNames(try await store.snapshot(id))) }
        #expect(try await manifestDirectoryNames(memory, paths) == referenced)
    }

    @Test func expiringAFixtureCopyKeepsItReadable() async throws {
        let scratch = try Scratch("expire-fixture")
        defer { scratch.remove() }
        let io = LocalFileIO()
        let paths = try TablePaths(root: try copyFixture("pk_dynamic_bucket", into: scratch))
        let store = SnapshotStore(io: io, paths: paths)
        let before = try await store.snapshot(1)
        let report = try await SnapshotExpiration(io: io, paths: paths, options: ExpirationOptions(retainMin: 1, timeRetained: .zero))
            .expire(nowMillis: Int64.max / 2)
        #expect(report.expiredSnapshots == [1])
        #expect(report.deletedDataFiles.isEmpty, "no file was deleted by snapshot 2")
        #expect(report.deletedManifests.contains(try paths.manifest(before.baseManifestList)))
        let latest = try await store.snapshot(2)
        let reader = SnapshotReader(io: io, paths: paths)
        let computer = try InternalRowPartitionComputer(schema: try #require(try await SchemaStore(io: io, paths: paths).latest()))
        for e in try await reader.liveEntries(latest) { #expect(try await io.exists(try paths.dataFile(e, partitionComputer: computer))) }
        for e in try await reader.indexEntries(latest) { #expect(try await io.exists(try paths.index(e.indexFile.fileName))) }
        // Index files only snapshot 1 listed are gone.
        let kept = Set(try await reader.indexEntries(latest).map(\.indexFile.fileName))
        let onDisk = Set(try await io.listAll(paths.indexDirectory, recursive: false).files.map { String($0.path.name) })
        #expect(onDisk == kept)
    }
}
