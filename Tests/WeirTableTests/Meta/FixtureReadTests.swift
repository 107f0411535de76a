import Foundation
import Testing
import WeirFileIO
import WeirPaimon
import WeirTestSupport
@testable import WeirTable

/// Every pypaimon 2.1.0 fixture table reads: snapshots, schemas, manifest lists, manifests, index manifests, and
/// the live files exist on disk with the recorded sizes.
@Suite struct FixtureReadTests {
    static let tables: [String] = (try? fixtureTables()) ?? []

    @Test func fixturesArePresent() throws {
        #expect(Self.tables.count >= 11, "fixture tables under \(fixtureDatabase)")
    }

    @Test(arguments: tables)
    func everySnapshotReadsAndItsLiveFilesExist(table: String) async throws {
        let io = LocalFileIO()
        let paths = try TablePaths(root: try localPath(fixtureDatabase + "/" + table))
        let snapshots = SnapshotStore(io: io, paths: paths)
        let schema = try #require(try await SchemaStore(io: io, paths: paths).latest())
        let computer = try InternalRowPartitionComputer(schema: schema)
        let latest = try #require(try await snapshots.latest())
        #expect(try await snapshots.latestId() == latest.id)
        #expect(try await snapshots.earliestId() == 1)
        #expect(try await snapshots.ids() == Array(1...latest.id))
        let reader = SnapshotReader(io: io, paths: paths)

        for id in try await snapshots.ids() {
            let snapshot = try await snapshots.snapshot(id)
            #expect(snapshot.id == id)
            // Manifest lists: recorded sizes are the files' sizes; every manifest's counts match its records.
            for (list, size) in [(snapshot.baseManifestList, snapshot.baseManifestListSize),
                                 (snapshot.deltaManifestList, snapshot.deltaManifestListSize)] {
                let path = try paths.manifest(list)
                if let size { #expect(try await io.status(path).size == size, "\(table) \(list)") }
                for meta in try await ManifestList.read(io: io, path: path) {
                    let manifestPath = try paths.manifest(meta.fileName)
                    #expect(try await io.status(manifestPath).size == meta.fileSize, "\(table) \(meta.fileName)")
                    let entries = try await ManifestFile.read(io: io, path: manifestPath)
                    #expect(Int64(entries.count(where: { $0.kind == .add })) == meta.numAddedFiles)
                    #expect(Int64(entries.count(where: { $0.kind == .delete })) == meta.numDeletedFiles)
                    #expect(meta.minBucket == entries.map(\.bucket).min())
                    #expect(meta.maxLevel == entries.map(\.file.level).max())
                    // The partition stats we would write for these entries are the ones pypaimon wrote.
                    let stats = try ManifestFile.partitionStats(entries.map(\.partition), partitionType: schema.logicalPartitionType)
                    #expect(stats == meta.partitionStats, "\(table) \(meta.fileName) partition stats")
                }
            }
            let live = try await reader.liveEntries(snapshot)
            #expect(!live.isEmpty)
            #expect(live.reduce(0) { $0 + $1.file.rowCount } == snapshot.totalRecordCount, "\(table) snapshot \(id)")
            for entry in live {
                let path = try paths.dataFile(entry, partitionComputer: computer)
                let status = try await io.status(path)
                #expect(status.size == entry.file.fileSize, "\(table): \(paths.relative(path))")
                #expect(entry.totalBuckets == schema.numBuckets)
            }
            for index in try await reader.indexEntries(snapshot) {
                #expect(try await io.status(try paths.index(index.indexFile.fileName)).size == index.indexFile.fileSize)
                #expect(index.indexFile.indexType == IndexFileMeta.hashIndex)
            }
        }
        // The latest snapshot holds every data file on disk that a snapshot added (no compaction in the fixtures).
        let onDisk = try await io.listAll(paths.root, recursive: true).files.filter {
            let name = String($0.path.name)
            return name.hasPrefix("data-") && !name.hasSuffix(".index")
        }
        #expect(try await reader.liveEntries(latest).count == onDisk.count, "\(table)")
    }

    @Test func dynamicBucketTableHasAnIndexManifest() async throws {
        let io = LocalFileIO()
        let paths = try TablePaths(root: try localPath(fixtureDatabase + "/pk_dynamic_bucket"))
        let latest = try #require(try await SnapshotStore(io: io, paths: paths).latest())
        let entries = try await IndexManifestFile.read(io: io, paths: paths, fileName: try #require(latest.indexManifest))
        #expect(Set(entries.map(\.bucket)) == [0, 1, 2])
        // HASH index files hold one 4-byte hash per key.
        for entry in entries { #expect(entry.indexFile.fileSize == entry.indexFile.rowCount * 4) }
    }

    @Test func partitionFilterPrunesManifestsAndEntries() async throws {
        let io = LocalFileIO()
        let paths = try TablePaths(root: try localPath(fixtureDatabase + "/pk_partitioned"))
        let schema = try #require(try await SchemaStore(io: io, paths: paths).latest())
        let latest = try #require(try await SnapshotStore(io: io, paths: paths).latest())
        let reader = SnapshotReader(io: io, paths: paths)
        let all = try await reader.liveEntries(latest)
        let day1 = try BinaryRow(values: [.string("2024-01-01")], types: schema.logicalPartitionType.fields.map(\.type))
        let filter = PartitionFilter.partitions([day1], partitionType: schema.logicalPartitionType)
        let some = try await reader.liveEntries(latest, partitionFilter: filter)
        #expect(!some.isEmpty && some.count < all.count)
        #expect(some.allSatisfy { $0.partition == day1 })
        #expect(Set(some.map(\.identifier)) == Set(all.filter { $0.partition == day1 }.map(\.identifier)))
        let bucket1 = try await reader.liveEntries(latest, bucketFilter: .only([1]))
        #expect(Set(bucket1.map(\.identifier)) == Set(all.filter { $0.bucket == 1 }.map(\.identifier)))
        // A partition outside every manifest's range prunes all manifests.
        let none = try BinaryRow(values: [.string("2030-01-01")], types: schema.logicalPartitionType.fields.map(\.type))
        for meta in try await reader.dataManifests(latest) {
            #expect(!SnapshotReader.mayMatch(meta, partitionFilter: .partitions([none], partitionType: schema.logicalPartitionType),
                                             bucketFilter: nil, levelFilter: nil))
        }
    }

    @Test func timeTravelPicksTheLatestSnapshotAtOrBeforeElseTheEarliest() async throws {
        let io = LocalFileIO()
        let paths = try TablePaths(root: try localPath(fixtureDatabase + "/append_basic"))
        let store = SnapshotStore(io: io, paths: paths)
        let first = try await store.snapshot(1), second = try await store.snapshot(2)
        #expect(first.timeMillis <= second.timeMillis)
        #expect(try await store.snapshot(atOrBefore: first.timeMillis - 1_000)?.id == 1)
        #expect(try await store.snapshot(atOrBefore: first.timeMillis)?.id == 1)
        #expect(try await store.snapshot(atOrBefore: second.timeMillis)?.id == 2)
        #expect(try await store.snapshot(atOrBefore: Int64.max)?.id == 2)
    }
}
