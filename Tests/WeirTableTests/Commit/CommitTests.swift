import Foundation
import Synchronization
import Testing
import WeirFileIO
import WeirPaimon
import WeirTestSupport
@testable import WeirTable

@Suite struct CommitTests {
    func appendTable(options: [String: String] = [:]) async throws -> (MemoryFileIO, TablePaths, TableSchema) {
        let (io, paths) = try memoryTable()
        let schema = try TestSchemas.append(options: options)
        try await createTable(io, paths, schema)
        return (io, paths, schema)
    }

    @Test func firstCommitHasAnEmptyBaseListAndIdsAreContiguous() async throws {
        let (io, paths, schema) = try await appendTable()
        let commit = FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: "writer-1", clock: { 1_234 })
        #expect(try await commit.commit(appendMessage([entry("data-1.parquet", rowCount: 5)]), kind: .append, identifier: 1) == .committed(snapshotId: 1))
        let store = SnapshotStore(io: io, paths: paths)
        let first = try await store.snapshot(1)
        #expect(try await ManifestList.read(io: io, paths: paths, fileName: first.baseManifestList).isEmpty)
        let delta = try await ManifestList.read(io: io, paths: paths, fileName: first.deltaManifestList)
        #expect(delta.count == 1 && delta[0].numAddedFiles == 1)
        #expect(first.baseManifestListSize == (try await io.status(try paths.manifest(first.baseManifestList)).size))
        #expect(first.deltaManifestListSize == (try await io.status(try paths.manifest(first.deltaManifestList)).size))
        #expect(first.commitUser == "writer-1" && first.commitIdentifier == 1 && first.commitKind == .append)
        #expect(first.timeMillis == 1_234 && first.schemaId == 0 && first.version == 3)
        #expect(first.totalRecordCount == 5 && first.deltaRecordCount == 5 && first.changelogRecordCount == 0)
        #expect(first.changelogManifestList == nil && first.indexManifest == nil && first.watermark == nil)
        #expect(first.nextRowId == 0 && first.logOffsets == [:])
        #expect(String(decoding: try await io.readAll(paths.latestHint), as: UTF8.self) == "1")

        for id in Int64(2)...5 {
            let outcome = try await commit.commit(appendMessage([entry("data-\(id).parquet", rowCount: id)]), kind: .append, identifier: id,
                                                  properties: ["k": "v\(id)"], watermark: id == 3 ? 77 : nil)
            #expect(outcome == .committed(snapshotId: id))
        }
        #expect(try await store.ids() == [1, 2, 3, 4, 5])
        let last = try await store.snapshot(5)
        let expectedTotal: Int64 = 5 + 2 + 3 + 4 + 5
        #expect(last.totalRecordCount == expectedTotal)
        #expect(last.deltaRecordCount == 5)
        #expect(last.watermark == 77, "the watermark is kept as the max")
        #expect(last.properties == ["k": "v5"])
        // Base = everything before: previous base + previous delta, re-listed.
        let previous = try await store.snapshot(4)
        let reader = SnapshotReader(io: io, paths: paths)
        #expect(try await reader.manifestList(last.baseManifestList) == (try await reader.dataManifests(previous)))
        #expect(try await reader.liveEntries(last).map(\.file.fileName).sorted() == (1...5).map { "data-\($0).parquet" })
    }

    @Test func replayedCommitIsANoOp() async throws {
        let (io, paths, schema) = try await appendTable()
        let commit = FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: "stream-job")
        let message = appendMessage([entry("data-1.parquet")])
        #expect(try await commit.commit(message, kind: .append, identifier: 7) == .committed(snapshotId: 1))
        let other = FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: "other")
        #expect(try await other.commit(appendMessage([entry("data-2.parquet")]), kind: .append, identifier: 7) == .committed(snapshotId: 2))
        let filesBefore = try await manifestDirectoryNames(io, paths)
        #expect(try await commit.commit(message, kind: .append, identifier: 7) == .alreadyCommitted(snapshotId: 1))
        #expect(try await manifestDirectoryNames(io, paths) == filesBefore, "a replay writes nothing")
        #expect(try await SnapshotStore(io: io, paths: paths).ids() == [1, 2])
        // The next identifier of the same user is a new commit; so is the same identifier with another kind.
        #expect(try await commit.commit(appendMessage([entry("data-3.parquet")]), kind: .append, identifier: 8) == .committed(snapshotId: 3))
        let compact = CommitMessage(newFiles: [entry("data-4.parquet", level: 1)], deletedFiles: [CommitMessage.deletion(of: entry("data-3.parquet"))])
        #expect(try await commit.commit(compact, kind: .compact, identifier: 8) == .committed(snapshotId: 4))
        #expect(try await commit.commit(compact, kind: .compact, identifier: 8) == .alreadyCommitted(snapshotId: 4))
        #expect(try await commit.commit(message, kind: .append, identifier: 7) == .alreadyCommitted(snapshotId: 1))
    }

    @Test func emptyMessageMakesNoSnapshot() async throws {
        let (io, paths, schema) = try await appendTable()
        let commit = FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: "u")
        #expect(try await commit.commit(CommitMessage(), kind: .append, identifier: 1) == .empty)
        #expect(try await SnapshotStore(io: io, paths: paths).latestId() == nil)
        #expect(try await commit.overwrite(partitions: nil, message: CommitMessage(), identifier: 1) == .empty)
    }

    @Test func badMessagesAreRejected() async throws {
        let (io, paths, schema) = try await appendTable()
        let commit = FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: "u")
        var wrongKind = entry("data-1.parquet")
        wrongKind.kind = .delete
        for message in [appendMessage([wrongKind]), CommitMessage(deletedFiles: [entry("data-1.parquet")]),
                        appendMessage([entry("data-1.parquet", partition: try partition("x"))]),
                        appendMessage([entry("../data-1.parquet")]), appendMessage([entry("d.parquet"), entry("d.parquet")])] {
            let error = await tableError { () throws(TableError) in _ = try await commit.commit(message, kind: .append, identifier: 1) }
            #expect(error?.kind == .invalidInput)
        }
        #expect(try await SnapshotStore(io: io, paths: paths).latestId() == nil)
    }

    @Test func concurrentCommittersNeverLoseACommit() async throws {
        let scratch = try Scratch("commit-race")
        defer { scratch.remove() }
        let io = LocalFileIO()
        let paths = try TablePaths(root: try localPath(scratch.path + "/t"))
        let schema = try TestSchemas.append(options: ["commit.max-retries": "200", "commit.min-retry-wait": "1 ms",
                                                      "commit.max-retry-wait": "50 ms"])
        try await createTable(io, paths, schema)
        let writers = 8, commitsEach = 5
        let outcomes = try await withThrowingTaskGroup(of: [CommitOutcome].self) { group in
            for w in 0..<writers {
                group.addTask {
                    let commit = FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: "writer-\(w)")
                    var out: [CommitOutcome] = []
                    for c in 1...commitsEach {
                        out.append(try await commit.commit(appendMessage([entry("data-w\(w)-c\(c).parquet", rowCount: Int64(c))]),
                                                           kind: .append, identifier: Int64(c)))
                    }
                    return out
                }
            }
            var all: [CommitOutcome] = []
            for try await part in group { all += part }
            return all
        }
        let total = writers * commitsEach
        #expect(outcomes.count == total)
        #expect(Set(outcomes.compactMap(\.snapshotId)) == Set(1...Int64(total)))
        #expect(outcomes.allSatisfy { if case .committed = $0 { true } else { false } })
        let store = SnapshotStore(io: io, paths: paths)
        #expect(try await store.ids() == Array(1...Int64(total)))
        let latest = try #require(try await store.latest())
        let live = try await SnapshotReader(io: io, paths: paths).liveEntries(latest)
        let expected = Set((0..<writers).flatMap { w in (1...commitsEach).map { "data-w\(w)-c\($0).parquet" } })
        #expect(Set(live.map(\.file.fileName)) == expected)
        #expect(live.count == total)
        #expect(latest.totalRecordCount == Int64(writers * (1...commitsEach).reduce(0, +)))
        // Attempts that lost a race left nothing behind.
        #expect(try await manifestDirectoryNames(io, paths) == (try await referencedManifestNames(io, paths)))
    }

    @Test func aLostRaceCleansItsManifestsAndRetries() async throws {
        let (memory, paths, schema) = try await appendTable()
        let competitor = FileStoreCommit(io: memory, paths: paths, schema: schema, commitUser: "competitor")
        let raced = Mutex(false)
        // Just before our snapshot-1 is written, the competitor commits snapshot 1.
        let io = HookedFileIO(memory) { path in
            guard path.name == "snapshot-1", !raced.withLock({ let was = $0; $0 = true; return was }) else { return }
            _ = try await competitor.commit(appendMessage([entry("data-c.parquet")]), kind: .append, identifier: 1)
        }
        let commit = FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: "us")
        #expect(try await commit.commit(appendMessage([entry("data-us.parquet")]), kind: .append, identifier: 1) == .committed(snapshotId: 2))
        let store = SnapshotStore(io: memory, paths: paths)
        #expect(try await store.snapshot(1).commitUser == "competitor")
        #expect(try await store.snapshot(2).commitUser == "us")
        let live = try await SnapshotReader(io: memory, paths: paths).liveEntries(try await store.snapshot(2))
        #expect(Set(live.map(\.file.fileName)) == ["data-c.parquet", "data-us.parquet"])
        #expect(try await manifestDirectoryNames(memory, paths) == (try await referencedManifestNames(memory, paths)),
                "the first attempt's base list is gone; its delta manifest was reused")
    }

    @Test func givingUpAfterTheRetriesCleansEverything() async throws {
        let (memory, paths, schema0) = try await appendTable()
        let schema = try schema0.withOptions(["commit.max-retries": "2", "commit.min-retry-wait": "1 ms"], timeMillis: 1)
        let competitor = FileStoreCommit(io: memory, paths: paths, schema: schema0, commitUser: "competitor")
        let counter = Mutex(0)
        // Every time we are about to write a snapshot, the competitor takes that id first.
        let io = HookedFileIO(memory) { path in
            guard path.name.hasPrefix("snapshot-") else { return }
            let n = counter.withLock { $0 += 1; return $0 }
            _ = try await competitor.commit(appendMessage([entry("data-c\(n).parquet")]), kind: .append, identifier: Int64(n))
        }
        let commit = FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: "us")
        let error = await tableError { () throws(TableError) in
            _ = try await commit.commit(appendMessage([entry("data-us.parquet")]), kind: .append, identifier: 1)
        }
        #expect(error?.kind == .conflict)
        #expect(error?.message.contains("3 attempts") == true)
        #expect(try await SnapshotStore(io: memory, paths: paths).ids() == [1, 2, 3])
        #expect(try await manifestDirectoryNames(memory, paths) == (try await referencedManifestNames(memory, paths)))
    }

    @Test func theCommitTimeoutBoundsTheRetries() async throws {
        let (memory, paths, schema0) = try await appendTable()
        let schema = try schema0.withOptions(["commit.max-retries": "1000", "commit.timeout": "30 ms", "commit.min-retry-wait": "5 ms"],
                                             timeMillis: 1)
        let competitor = FileStoreCommit(io: memory, paths: paths, schema: schema0, commitUser: "competitor")
        let counter = Mutex(0)
        let io = HookedFileIO(memory) { path in
            guard path.name.hasPrefix("snapshot-") else { return }
            let n = counter.withLock { $0 += 1; return $0 }
            _ = try await competitor.commit(appendMessage([entry("data-c\(n).parquet")]), kind: .append, identifier: Int64(n))
        }
        let error = await tableError { () throws(TableError) in
            _ = try await FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: "us")
                .commit(appendMessage([entry("data-us.parquet")]), kind: .append, identifier: 1)
        }
        #expect(error?.kind == .conflict)
        #expect(counter.withLock { $0 } < 100, "gave up on time, long before the retry limit")
    }

    @Test func anUnknownOutcomeIsResolvedByFindingTheSnapshot() async throws {
        let (memory, paths, schema) = try await appendTable(options: ["commit.min-retry-wait": "1 ms"])
        let io = HookedFileIO(memory, failAfterClose: ["snapshot-1"])
        let commit = FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: "us")
        #expect(try await commit.commit(appendMessage([entry("data-1.parquet")]), kind: .append, identifier: 5) == .committed(snapshotId: 1))
        #expect(try await SnapshotStore(io: memory, paths: paths).ids() == [1], "the retry found its snapshot and made no second one")
    }

    @Test func deletingAFileSomeoneElseDeletedIsAConflict() async throws {
        let (io, paths, schema) = try await appendTable()
        let nothingThere = await tableError { () throws(TableError) in
            _ = try await FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: "x")
                .commit(CommitMessage(deletedFiles: [CommitMessage.deletion(of: entry("data-none.parquet"))]), kind: .compact, identifier: 1)
        }
        #expect(nothingThere?.kind == .conflict, "deleting from an empty table")
        #expect(try await manifestDirectoryNames(io, paths).isEmpty)
        let writer = FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: "w")
        let f = entry("data-f.parquet")
        _ = try await writer.commit(appendMessage([f, entry("data-g.parquet")]), kind: .append, identifier: 1)
        let a = FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: "compactor-a")
        let b = FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: "compactor-b")
        let compactA = CommitMessage(newFiles: [entry("data-a.parquet", level: 1)], deletedFiles: [CommitMessage.deletion(of: f)])
        let compactB = CommitMessage(newFiles: [entry("data-b.parquet", level: 1)], deletedFiles: [CommitMessage.deletion(of: f)])
        #expect(try await a.commit(compactA, kind: .compact, identifier: 1) == .committed(snapshotId: 2))
        let before = try await manifestDirectoryNames(io, paths)
        let error = await tableError { () throws(TableError) in _ = try await b.commit(compactB, kind: .compact, identifier: 1) }
        #expect(error?.kind == .conflict)
        #expect(error?.message.contains("File deletion conflicts detected") == true)
        #expect(error?.message.contains("data-f.parquet") == true)
        #expect(try await manifestDirectoryNames(io, paths) == before, "the failed commit left no files")
        #expect(try await SnapshotStore(io: io, paths: paths).latestId() == 2)
        // A DELETE whose entry differs from the ADD (another level) is also not live.
        var wrongLevel = CommitMessage.deletion(of: entry("data-g.parquet"))
        wrongLevel.file.level = 3
        let mismatch = await tableError { () throws(TableError) in
            _ = try await b.commit(CommitMessage(deletedFiles: [wrongLevel]), kind: .compact, identifier: 2)
        }
        #expect(mismatch?.kind == .conflict)
    }

    @Test func overlappingKeyRangesOnALevelAreAConflict() async throws {
        let (io, paths) = try memoryTable()
        let schema = try TestSchemas.primaryKey()
        try await createTable(io, paths, schema)
        let p = try partition("2024-01-01")
        func file(_ name: String, level: Int32, _ low: Int64, _ high: Int64, bucket: Int32 = 0) throws -> ManifestEntry {
            entry(name, partition: p, bucket: bucket, totalBuckets: 2, level: level, minKey: try key(low), maxKey: try key(high))
        }
        let commit = FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: "u")
        let l0a = try file("data-l0a.parquet", level: 0, 1, 9), l0b = try file("data-l0b.parquet", level: 0, 4, 12)
        _ = try await commit.commit(appendMessage([l0a, l0b]), kind: .append, identifier: 1)
        // Level 0 files may overlap; compaction puts [1, 5] on level 1.
        let first = CommitMessage(newFiles: [try file("data-l1a.parquet", level: 1, 1, 5)], deletedFiles: [CommitMessage.deletion(of: l0a)])
        #expect(try await commit.commit(first, kind: .compact, identifier: 2) == .committed(snapshotId: 2))
        // [5, 12] on level 1 touches key 5: overlap.
        let overlapping = CommitMessage(newFiles: [try file("data-l1b.parquet", level: 1, 5, 12)], deletedFiles: [CommitMessage.deletion(of: l0b)])
        let error = await tableError { () throws(TableError) in _ = try await commit.commit(overlapping, kind: .compact, identifier: 3) }
        #expect(error?.kind == .conflict)
        #expect(error?.message.contains("LSM conflicts detected") == true)
        #expect(error?.message.contains("data-l1a.parquet") == true && error?.message.contains("data-l1b.parquet") == true)
        // [6, 12] is fine, and so is an overlap on another level or bucket.
        let fine = CommitMessage(newFiles: [try file("data-l1c.parquet", level: 1, 6, 12), try file("data-l2.parquet", level: 2, 1, 12),
                                            try file("data-b1.parquet", level: 1, 1, 12, bucket: 1)],
                                 deletedFiles: [CommitMessage.deletion(of: l0b)])
        #expect(try await commit.commit(fine, kind: .compact, identifier: 3) == .committed(snapshotId: 3))
    }

    @Test func changingTotalBucketsNeedsAnOverwrite() async throws {
        let (io, paths) = try memoryTable()
        let schema = try TestSchemas.primaryKey()
        try await createTable(io, paths, schema)
        let p = try partition("2024-01-01")
        let commit = FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: "u")
        let old = entry("data-old.parquet", partition: p, bucket: 0, totalBuckets: 2, minKey: try key(1), maxKey: try key(1))
        _ = try await commit.commit(appendMessage([old, entry("data-old2.parquet", partition: p, bucket: 1, totalBuckets: 2)]),
                                    kind: .append, identifier: 1)
        let rescaled = CommitMessage(newFiles: [entry("data-new.parquet", partition: p, bucket: 0, totalBuckets: 4)],
                                     deletedFiles: [CommitMessage.deletion(of: old)])
        let error = await tableError { () throws(TableError) in _ = try await commit.commit(rescaled, kind: .compact, identifier: 2) }
        #expect(error?.kind == .conflict)
        #expect(error?.message.contains("Total buckets") == true)
        // Overwriting the partition may rescale it.
        let outcome = try await commit.overwrite(partitions: [p], message: appendMessage([entry("data-new.parquet", partition: p, bucket: 0, totalBuckets: 4)]),
                                                 identifier: 2)
        #expect(outcome == .committed(snapshotId: 2))
    }

    @Test func overwriteReplacesTheLiveFilesOfItsPartitions() async throws {
        let (io, paths) = try memoryTable()
        let schema = try TestSchemas.primaryKey()
        try await createTable(io, paths, schema)
        let p1 = try partition("2024-01-01"), p2 = try partition("2024-01-02")
        let commit = FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: "u")
        _ = try await commit.commit(appendMessage([entry("data-1a.parquet", partition: p1, totalBuckets: 2, rowCount: 3),
                                                   entry("data-1b.parquet", partition: p1, bucket: 1, totalBuckets: 2, rowCount: 4),
                                                   entry("data-2a.parquet", partition: p2, totalBuckets: 2, rowCount: 5)]),
                                    kind: .append, identifier: 1)
        let outcome = try await commit.overwrite(partitions: [p1], message: appendMessage([entry("data-1n.parquet", partition: p1, totalBuckets: 2, rowCount: 1)]),
                                                 identifier: 2)
        #expect(outcome == .committed(snapshotId: 2))
        let store = SnapshotStore(io: io, paths: paths)
        let snapshot = try await store.snapshot(2)
        #expect(snapshot.commitKind == .overwrite)
        #expect(snapshot.deltaRecordCount == 1 - 7)
        #expect(snapshot.totalRecordCount == 6)
        let reader = SnapshotReader(io: io, paths: paths)
        #expect(Set(try await reader.liveEntries(snapshot).map(\.file.fileName)) == ["data-1n.parquet", "data-2a.parquet"])
        // Re-adding a file it deletes would be invisible to pypaimon (it drops every ADD a DELETE names).
        let live = try await reader.liveEntries(snapshot).filter { $0.partition == p1 }
        let readded = await tableError { () throws(TableError) in
            _ = try await commit.overwrite(partitions: [p1], message: appendMessage(live), identifier: 3)
        }
        #expect(readded?.kind == .invalidInput)
        let readdedByCommit = await tableError { () throws(TableError) in
            _ = try await commit.commit(CommitMessage(newFiles: live, deletedFiles: live.map(CommitMessage.deletion)), kind: .compact, identifier: 3)
        }
        #expect(readdedByCommit?.kind == .invalidInput)
        #expect(try await store.latestId() == 2)
        let outside = await tableError { () throws(TableError) in
            _ = try await commit.overwrite(partitions: [p1], message: appendMessage([entry("data-x.parquet", partition: p2, totalBuckets: 2)]), identifier: 3)
        }
        #expect(outside?.kind == .invalidInput)
        // Truncate: overwrite everything with nothing.
        #expect(try await commit.overwrite(partitions: nil, message: CommitMessage(), identifier: 3) == .committed(snapshotId: 3))
        #expect(try await reader.liveEntries(try await store.snapshot(3)).isEmpty)
        #expect(try await store.snapshot(3).totalRecordCount == 0)
    }

    @Test func appendWithDeletesIsAnOverwriteAndChangelogIsCounted() async throws {
        let (io, paths, schema) = try await appendTable()
        let commit = FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: "u")
        let a = entry("data-a.parquet", rowCount: 4)
        _ = try await commit.commit(CommitMessage(newFiles: [a], changelogFiles: [entry("changelog-a.parquet", rowCount: 6)]),
                                    kind: .append, identifier: 1)
        let store = SnapshotStore(io: io, paths: paths)
        let first = try await store.snapshot(1)
        #expect(first.changelogRecordCount == 6)
        let changelog = try await SnapshotReader(io: io, paths: paths).changelogEntries(first)
        #expect(changelog.map(\.file.fileName) == ["changelog-a.parquet"])
        _ = try await commit.commit(CommitMessage(deletedFiles: [CommitMessage.deletion(of: a)]), kind: .append, identifier: 2)
        #expect(try await store.snapshot(2).commitKind == .overwrite)
        #expect(try await store.snapshot(2).totalRecordCount == 0)
    }

    @Test func indexManifestIsAFullListingCombinedWithChanges() async throws {
        let (io, paths) = try memoryTable()
        let schema = try TestSchemas.primaryKey(options: ["bucket": "-1"])
        try await createTable(io, paths, schema)
        let p = try partition("2024-01-01")
        func hash(_ name: String, bucket: Int32) -> IndexManifestEntry {
            IndexManifestEntry(kind: .add, partition: p, bucket: bucket, indexFile: IndexFileMeta(indexType: IndexFileMeta.hashIndex,
                                                                                                  fileName: name, fileSize: 8, rowCount: 2))
        }
        let commit = FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: "u")
        _ = try await commit.commit(CommitMessage(newFiles: [entry("data-1.parquet", partition: p, totalBuckets: -1)],
                                                  newIndexFiles: [hash("index-a-0", bucket: 0), hash("index-b-0", bucket: 1)]),
                                    kind: .append, identifier: 1)
        _ = try await commit.commit(appendMessage([entry("data-2.parquet", partition: p, totalBuckets: -1)]), kind: .append, identifier: 2)
        let store = SnapshotStore(io: io, paths: paths)
        #expect(try await store.snapshot(2).indexManifest == (try await store.snapshot(1).indexManifest), "unchanged index: inherited")
        var old = hash("index-a-0", bucket: 0)
        old.kind = .delete
        _ = try await commit.commit(CommitMessage(newFiles: [entry("data-3.parquet", partition: p, totalBuckets: -1)],
                                                  newIndexFiles: [hash("index-c-0", bucket: 0)], deletedIndexFiles: [old]),
                                    kind: .append, identifier: 3)
        let listing = try await SnapshotReader(io: io, paths: paths).indexEntries(try await store.snapshot(3))
        #expect(Set(listing.map(\.indexFile.fileName)) == ["index-b-0", "index-c-0"])
    }

    @Test func rowTrackingAssignsFirstRowIds() async throws {
        let (io, paths, schema) = try await appendTable(options: ["row-tracking.enabled": "true"])
        let commit = FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: "u")
        _ = try await commit.commit(appendMessage([entry("data-1.parquet", rowCount: 10), entry("data-2.parquet", rowCount: 5)]),
                                    kind: .append, identifier: 1)
        _ = try await commit.commit(appendMessage([entry("data-3.parquet", rowCount: 2)]), kind: .append, identifier: 2)
        let store = SnapshotStore(io: io, paths: paths)
        #expect(try await store.snapshot(1).nextRowId == 15)
        #expect(try await store.snapshot(2).nextRowId == 17)
        let live = try await SnapshotReader(io: io, paths: paths).liveEntries(try await store.snapshot(2))
        #expect(live.map(\.file.firstRowId) == [0, 10, 15])
        #expect(live.map(\.file.minSequenceNumber) == [1, 1, 2])
    }
}
