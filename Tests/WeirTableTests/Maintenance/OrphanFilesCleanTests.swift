import Foundation
import Testing
import WeirFileIO
import WeirPaimon
import WeirTestSupport
@testable import WeirTable

@Suite struct OrphanFilesCleanTests {
    static let day: Int64 = 86_400_000

    /// A partitioned table on local disk with two commits, plus files nothing refers to.
    func tableWithOrphans(_ scratch: Scratch) async throws -> (LocalFileIO, TablePaths, TableSchema, orphans: Set<String>) {
        let io = LocalFileIO()
        let paths = try TablePaths(root: try localPath(scratch.path + "/db.db/t"))
        let schema = try TestSchemas.primaryKey()
        try await createTable(io, paths, schema)
        let p1 = try partition("2024-01-01"), p2 = try partition("2024-01-02")
        var a = entry("data-a.parquet", partition: p1, totalBuckets: 2, minKey: try key(1), maxKey: try key(2))
        a.file.extraFiles = ["data-a.parquet.index"]
        let b = entry("data-b.parquet", partition: p2, bucket: 1, totalBuckets: 2, minKey: try key(1), maxKey: try key(2))
        for e in [a, b] { try await writeDataFile(io, paths, schema, e) }
        try await io.write(try paths.bucketDirectory(partitionPath: "dt=2024-01-01/", bucket: 0).appending("data-a.parquet.index"), [1], overwrite: false)
        let commit = FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: "u")
        _ = try await commit.commit(appendMessage([a]), kind: .append, identifier: 1)
        _ = try await commit.commit(appendMessage([b]), kind: .append, identifier: 2)

        var orphans = Set<String>()
        func orphan(_ relative: String) async throws {
            try await io.write(try paths.root.appending(relative), [0, 1, 2], overwrite: false)
            orphans.insert(relative)
        }
        try await orphan("dt=2024-01-01/bucket-0/data-failed-write.parquet")
        try await orphan("dt=2024-01-02/bucket-1/data-aborted.parquet")
        try await orphan("manifest/manifest-lost-race-0")
        try await orphan("manifest/manifest-list-lost-race-0")
        try await orphan("index/index-stray-0")
        try await orphan("statistics/stat-stray-0")
        try await orphan("snapshot/.snapshot-3.2f8a0c1e.tmp")
        try await orphan("schema/.schema-1.77aa.tmp")
        // What a writer killed before publishing leaves: LocalFileIO's hidden temp file beside the target.
        try await orphan("dt=2024-01-02/bucket-1/.weir-tmp-5f1c0e2a-data-killed-writer.parquet")
        // Not Paimon's to judge: left alone.
        try await io.write(try paths.root.appending("README.txt"), [1], overwrite: false)
        try await io.write(try paths.root.appending("dt=2024-01-01/notes.txt"), [1], overwrite: false)
        try await io.write(try paths.root.appending("schema/schema-notes"), [1], overwrite: false)
        return (io, paths, schema, orphans)
    }

    func relative(_ files: [OrphanFile], _ paths: TablePaths) -> Set<String> { Set(files.map { paths.relative($0.path) }) }

    @Test func youngFilesAreKeptOldOrphansAreDeletedReferencedFilesStay() async throws {
        let scratch = try Scratch("orphans")
        defer { scratch.remove() }
        let (io, paths, schema, orphans) = try await tableWithOrphans(scratch)
        let now = FileStoreCommit.wallClockMillis()
        let clean = OrphanFilesClean(io: io, paths: paths)
        #expect(clean.olderThan == .seconds(86_400), "the default age guard is one day")
        // Everything was just written: the age guard spares it all.
        #expect(try await clean.clean(nowMillis: now).isEmpty)
        // A dry run two days later reports exactly the orphans and deletes nothing.
        var dry = clean
        dry.dryRun = true
        let reported = try await dry.clean(nowMillis: now + 2 * Self.day)
        #expect(relative(reported, paths) == orphans)
        for name in orphans { #expect(try await io.exists(try paths.root.appending(name))) }
        // The real run deletes them.
        let deleted = try await clean.clean(nowMillis: now + 2 * Self.day)
        #expect(relative(deleted, paths) == orphans)
        #expect(deleted.allSatisfy { $0.size == 3 })
        for name in orphans { #expect(!(try await io.exists(try paths.root.appending(name))), "\(name)") }
        for name in ["README.txt", "dt=2024-01-01/notes.txt", "schema/schema-notes", "dt=2024-01-01/bucket-0/data-a.parquet.index"] {
            #expect(try await io.exists(try paths.root.appending(name)), "\(name) is kept")
        }
        // The table is whole: every snapshot's metadata and live files are there.
        let store = SnapshotStore(io: io, paths: paths)
        let computer = try InternalRowPartitionComputer(schema: schema)
        for id in try await store.ids() {
            let snapshot = try await store.snapshot(id)
            for e in try await SnapshotReader(io: io, paths: paths).liveEntries(snapshot) {
                #expect(try await io.exists(try paths.dataFile(e, partitionComputer: computer)))
            }
        }
        #expect(try await manifestDirectoryNames(io, paths) == (try await referencedManifestNames(io, paths)))
        #expect(try await clean.clean(nowMillis: now + 2 * Self.day).isEmpty, "a second run finds nothing")
    }

    @Test func aSettableAgeGuard() async throws {
        let scratch = try Scratch("orphans-age")
        defer { scratch.remove() }
        let (io, paths, _, orphans) = try await tableWithOrphans(scratch)
        let now = FileStoreCommit.wallClockMillis()
        #expect(try await OrphanFilesClean(io: io, paths: paths, olderThan: .seconds(3600), dryRun: true).clean(nowMillis: now + 1_800_000).isEmpty)
        let found = try await OrphanFilesClean(io: io, paths: paths, olderThan: .seconds(3600), dryRun: true).clean(nowMillis: now + 7_200_000)
        #expect(relative(found, paths) == orphans)
        let negative = await tableError { () throws(TableError) in
            _ = try await OrphanFilesClean(io: io, paths: paths, olderThan: .seconds(-1)).clean(nowMillis: now)
        }
        #expect(negative?.kind == .invalidInput)
    }

    @Test(arguments: ["append_basic", "pk_dynamic_bucket", "pk_partitioned", "append_schema_evolution"])
    func fixtureTablesHaveNoOrphans(table: String) async throws {
        let scratch = try Scratch("orphans-fixture")
        defer { scratch.remove() }
        let io = LocalFileIO()
        let paths = try TablePaths(root: try copyFixture(table, into: scratch))
        let found = try await OrphanFilesClean(io: io, paths: paths, olderThan: .zero).clean(nowMillis: Int64.max / 2)
        #expect(found.isEmpty, "\(table): \(found.map { paths.relative($0.path) })")
    }

    @Test func anUnreadableManifestAbortsBeforeDeletingAnything() async throws {
        let scratch = try Scratch("orphans-abort")
        defer { scratch.remove() }
        let (io, paths, _, orphans) = try await tableWithOrphans(scratch)
        let latest = try #require(try await SnapshotStore(io: io, paths: paths).latest())
        let list = try await ManifestList.read(io: io, paths: paths, fileName: latest.deltaManifestList)
        try await io.write(try paths.manifest(list[0].fileName), [1, 2, 3], overwrite: true)
        let error = await tableError { () throws(TableError) in
            _ = try await OrphanFilesClean(io: io, paths: paths, olderThan: .zero).clean(nowMillis: Int64.max / 2)
        }
        #expect(error?.kind == .corrupt)
        #expect(error?.subject.contains(list[0].fileName) == true)
        for name in orphans { #expect(try await io.exists(try paths.root.appending(name)), "\(name) survives an aborted run") }
    }
}
