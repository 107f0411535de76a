import Foundation
import Testing
import WeirCodecs
import WeirColumnar
import WeirFileIO
import WeirPaimon
@testable import WeirTable

/// Dedicated and write-path compaction on real tables (in memory): the merged read never changes, levels ≥ 1
/// stay disjoint, deletes vanish only at the oldest level, big files change level without a rewrite, and
/// concurrent commits are handled (appends never conflict; removed inputs make the compaction start over).
@Suite struct TableCompactionTests {
    static let engines = ["deduplicate", "partial-update", "aggregation", "first-row", "deduplicate-sequence-field"]

    /// Random writes of one merge engine, compacted round after round: a bulk load fully compacted into several
    /// max-level files, then rounds of small writes over narrow key ranges whose compactions go to lower levels
    /// (or everywhere); with `small-file-ratio` 0 every file counts as big, so lone files are upgraded.
    @Test(arguments: engines, [false, true]) func compactionKeepsTheMergedRead(engine: String, upgradeAll: Bool) async throws {
        let seed = testSeed()
        print("compactionKeepsTheMergedRead(\(engine), upgradeAll: \(upgradeAll)) seed \(seed) (WEIR_TEST_SEED=\(seed) replays it)")
        var g = SplitMix64(seed: seed)
        // write-only: the writes leave their level-0 files alone; small target files make compaction roll.
        var options = CompactTables.engineOptions(engine).merging(["write-only": "true", "target-file-size": "2 kb"]) { $1 }
        if upgradeAll { options["compaction.small-file-ratio"] = "0" }
        let table = try await CompactTables.make(options)
        for _ in 0..<3 {
            try await CompactTables.write(table, CompactTables.randomRows(engine, count: 1000, keys: 0..<1000, &g))
        }
        var before = try await CompactTables.read(table)
        #expect(try await table.compact(full: true, commitUser: "bulk").snapshotId != nil)
        #expect(try await CompactTables.read(table) == before, "bulk, seed \(seed)")
        var levelsSeen = Set<Int32>()
        var upgrades = 0
        var compactions = 0
        for round in 0..<3 {
            for _ in 0..<Int.random(in: 5...7, using: &g) {
                let base = Int64.random(in: 0..<950, using: &g)
                try await CompactTables.write(table, CompactTables.randomRows(engine, count: Int.random(in: 1...25, using: &g),
                                                                              keys: base..<(base + 50), &g))
            }
            before = try await CompactTables.read(table)
            let result = try await table.compact(commitUser: "c\(round)")
            if result.snapshotId != nil {
                compactions += 1
                #expect(try await table.snapshots.latest()?.commitKind == .compact)
            }
            for unit in result.units {
                levelsSeen.insert(unit.outputLevel)
                upgrades += unit.upgradedFiles.count
                #expect(unit.dropDelete == (unit.outputLevel == 5), "only the max level is the oldest data here")
            }
            #expect(try await CompactTables.read(table) == before, "round \(round), seed \(seed)")
            try await CompactTables.expectLevelsDisjoint(table)
            if engine == "first-row" {
                // Level 0 is gone (ForceUpLevel0), so the normal batch read (which skips level 0) sees everything.
                #expect(try await CompactTables.live(table).allSatisfy { $0.file.level > 0 })
                #expect(try await CompactTables.read(table, allLevels: false) == before)
            }
        }
        #expect(compactions > 0, "seed \(seed)")
        if engine != "first-row" {
            #expect(levelsSeen.contains { $0 < 5 }, "some compaction should stop below the max level (seed \(seed))")
        }
        if upgradeAll && engine != "first-row" {
            // (First-row compactions are full ones, where every new file overlaps the max level and is merged.)
            #expect(upgrades > 0, "some file should have been upgraded (seed \(seed))")
        }
        // Full compaction: one level (the max), no retract rows left, same rows.
        try await CompactTables.write(table, CompactTables.randomRows(engine, count: 10, keys: 0..<1000, &g))
        before = try await CompactTables.read(table)
        _ = try await table.compact(full: true, commitUser: "full")
        #expect(try await CompactTables.read(table) == before, "seed \(seed)")
        #expect(try await CompactTables.read(table, allLevels: false) == before, "seed \(seed)")
        let live = try await CompactTables.live(table)
        #expect(Set(live.map(\.file.level)) == [5])
        #expect(live.allSatisfy { $0.file.deleteRowCount == 0 }, "seed \(seed)")
        #expect(live.count > 4, "the max level holds several files per bucket")
        try await CompactTables.expectLevelsDisjoint(table)
        // A second full compaction has nothing to do.
        #expect(try await table.compact(full: true, commitUser: "again").outcome == .empty)
        try await CompactTables.expectNoStrayFiles(table)
    }

    @Test func deletedKeysLeaveNoRetractRowAtTheMaxLevel() async throws {
        let table = try await CompactTables.make(["write-only": "true", "bucket": "1"])
        // Enough data at level 5 that five one-row level-0 files are no size amplification.
        try await CompactTables.write(table, (0..<3000).map { TestRow(dt: "a", id: $0, v: "v\($0 * 7919 % 10007)", n: $0 * 31 % 977) })
        _ = try await table.compact(full: true, commitUser: "c1")
        // Deletes on top of a max-level tree: a normal compaction of the level-0 runs outputs to level 4, below
        // the data at level 5, so the -D rows must stay.
        for batch in 0..<5 {
            try await CompactTables.write(table, [TestRow(dt: "a", id: Int64(batch), v: nil, n: nil, kind: .delete)])
        }
        let normal = try await table.compact(commitUser: "c2")
        let unit = try #require(normal.units.first)
        #expect(unit.outputLevel == 4 && !unit.dropDelete)
        let level4 = try await CompactTables.live(table).filter { $0.file.level == 4 }
        #expect(level4.reduce(0) { $0 + ($1.file.deleteRowCount ?? 0) } == 5)
        #expect(try await CompactTables.read(table).count == 2995)
        // Full compaction: output at the highest level → the deletes and the deleted keys are gone from the files.
        let full = try await table.compact(full: true, commitUser: "c3")
        #expect(full.units.first?.dropDelete == true)
        let live = try await CompactTables.live(table)
        #expect(live.allSatisfy { $0.file.level == 5 && $0.file.deleteRowCount == 0 })
        var stored: [Int64] = []
        var kinds: [RowKind] = []
        for entry in live {
            let path = try table.paths.dataFile(entry, partitionComputer: try InternalRowPartitionComputer(schema: table.schema))
            let reader = try await DataFileReader.open(io: table.io, path: path, file: entry.file, fileSchema: table.schema,
                                                       tableSchema: table.schema, primaryKey: true)
            for batch in try await reader.readAll() {
                kinds += batch.rowKinds
                for row in 0..<batch.rowCount {
                    if case .integer(let id) = batch.values.columns[1].value(at: row) { stored.append(id) }
                }
            }
        }
        #expect(kinds.allSatisfy { $0 == .insert })
        #expect(stored.sorted() == Array(5..<3000))
    }

    @Test func bigFilesAreUpgradedWithoutARewrite() async throws {
        // small-file-ratio 0: every file counts as big.
        let table = try await CompactTables.make(["write-only": "true", "bucket": "1", "compaction.small-file-ratio": "0"])
        try await CompactTables.write(table, (0..<10).map { TestRow(dt: "a", id: $0, v: "v", n: $0) })
        try await CompactTables.write(table, (20..<30).map { TestRow(dt: "a", id: $0, v: "w", n: $0) })
        let original = try await CompactTables.live(table).map(\.file.fileName).sorted()
        let result = try await table.compact(full: true, commitUser: "c")
        let unit = try #require(result.units.first)
        // Disjoint key ranges: two one-run sections, each file big → both upgraded, nothing written.
        #expect(unit.writtenFiles.isEmpty)
        #expect(unit.upgradedFiles.map(\.fileName).sorted() == original)
        let live = try await CompactTables.live(table)
        #expect(live.map(\.file.fileName).sorted() == original)
        #expect(live.allSatisfy { $0.file.level == 5 })
        // The commit deleted the level-0 entries and added the same files at level 5.
        #expect(result.message.deletedFiles.map(\.file.level) == [0, 0])
        #expect(result.message.newFiles.map(\.file.level) == [5, 5])

        // A big file with a retract row is rewritten on its way to the max level.
        try await CompactTables.write(table, [TestRow(dt: "a", id: 100, v: nil, n: nil, kind: .delete),
                                              TestRow(dt: "a", id: 101, v: "k", n: 1)])
        let withDelete = try #require(try await CompactTables.live(table).first { $0.file.level == 0 })
        #expect(withDelete.file.deleteRowCount == 1)
        let second = try await table.compact(full: true, commitUser: "c2")
        let names = Set(try await CompactTables.live(table).map(\.file.fileName))
        #expect(!names.contains(withDelete.file.fileName))
        #expect(second.units.first?.writtenFiles.count == 1)
        #expect(try await CompactTables.live(table).allSatisfy { $0.file.deleteRowCount == 0 && $0.file.level == 5 })
        #expect(try await CompactTables.read(table).count == 21)
        try await CompactTables.expectNoStrayFiles(table)
    }

    @Test func smallNeighboursAreMergedIntoOneFile() async throws {
        let table = try await CompactTables.make(["write-only": "true", "bucket": "1"])
        try await CompactTables.write(table, (0..<10).map { TestRow(dt: "a", id: $0, v: "v", n: $0) })
        try await CompactTables.write(table, (20..<30).map { TestRow(dt: "a", id: $0, v: "w", n: $0) })
        let result = try await table.compact(full: true, commitUser: "c")
        let unit = try #require(result.units.first)
        // Two small files in two sections are rewritten together (one output file, level 5, _FILE_SOURCE COMPACT).
        #expect(unit.rewrittenFiles.count == 2)
        #expect(unit.writtenFiles.count == 1)
        #expect(unit.writtenFiles.first?.fileSource == .compact)
        #expect(unit.writtenFiles.first?.level == 5)
        #expect(unit.writtenFiles.first?.rowCount == 20)
        // A single small file alone is upgraded (Java's shortcut for a lone one-run section).
        let single = try await CompactTables.make(["write-only": "true", "bucket": "1"])
        try await CompactTables.write(single, (0..<10).map { TestRow(dt: "a", id: $0, v: "v", n: $0) })
        let lone = try #require(try await single.compact(full: true, commitUser: "c").units.first)
        #expect(lone.writtenFiles.isEmpty && lone.upgradedFiles.count == 1)
    }

    @Test func aConcurrentAppendBetweenPlanAndCommitDoesNotConflict() async throws {
        let table = try await CompactTables.make(["write-only": "true"])
        var g = SplitMix64(seed: 7)
        for _ in 0..<6 { try await CompactTables.write(table, CompactTables.randomRows("deduplicate", count: 20, keys: 30, &g)) }
        let late = [TestRow(dt: "a", id: 1000, v: "late", n: 1), TestRow(dt: "b", id: 1001, v: "late", n: 2)]
        let result = try await table.compact(partition: nil, bucket: nil, full: false, commitUser: "c", maxAttempts: 3) { attempt async throws(TableError) in
            do { try await CompactTables.write(table, late) } catch { Issue.record("append failed: \(error)") }
        }
        #expect(result.attempts == 1)
        let snapshots = try await table.allSnapshots()
        #expect(snapshots.suffix(2).map(\.commitKind) == [.append, .compact])
        let rows = try await CompactTables.read(table)
        #expect(rows.filter { $0.contains("late") }.count == 2)
        // The appended level-0 files are still live next to the compacted ones.
        let live = try await CompactTables.live(table)
        #expect(live.contains { $0.file.level == 0 })
        #expect(live.contains { $0.file.level > 0 })
        try await CompactTables.expectNoStrayFiles(table)
    }

    @Test func removedInputsMakeTheCompactionStartOver() async throws {
        let table = try await CompactTables.make(["write-only": "true"])
        var g = SplitMix64(seed: 11)
        for _ in 0..<6 { try await CompactTables.write(table, CompactTables.randomRows("deduplicate", count: 20, keys: 30, &g)) }
        let expected = try await CompactTables.read(table)
        // Between our plan and our commit another compaction compacts everything: our inputs are gone.
        let result = try await table.compact(partition: nil, bucket: nil, full: true, commitUser: "us", maxAttempts: 3) { attempt async throws(TableError) in
            if attempt == 1 { _ = try await table.compact(full: true, commitUser: "them") }
        }
        #expect(result.attempts == 2)
        #expect(result.outcome == .empty, "the second attempt finds the table fully compacted")
        #expect(try await table.allSnapshots().last?.commitUser == "them")
        #expect(try await CompactTables.read(table) == expected)
        try await CompactTables.expectNoStrayFiles(table)

        // With one attempt the conflict is reported, and nothing is left behind either.
        for _ in 0..<6 { try await CompactTables.write(table, CompactTables.randomRows("deduplicate", count: 20, keys: 30, &g)) }
        let error = await tableError { () throws(TableError) in
            _ = try await table.compact(partition: nil, bucket: nil, full: true, commitUser: "us2", maxAttempts: 1) { _ async throws(TableError) in
                _ = try await table.compact(full: true, commitUser: "them2")
            }
        }
        #expect(error?.kind == .conflict)
        #expect(error?.message.contains("gave up after 1 attempts") == true)
        try await CompactTables.expectNoStrayFiles(table)
    }

    @Test func compactionWritesInTheLatestSchema() async throws {
        let table = try await CompactTables.make(["write-only": "true", "bucket": "1", "num-sorted-run.compaction-trigger": "2"])
        try await CompactTables.write(table, (0..<10).map { TestRow(dt: "a", id: $0, v: "old", n: $0) })
        let evolved = try await table.alter([.addColumn(name: "extra", type: .string, description: nil)])
        var builders = evolved.schema.fields.map { ColumnBuilder(type: $0.type) }
        for id in Int64(5)..<15 {
            for (index, value) in [Value.string("a"), .integer(id), .string("new"), .integer(id), .string("e\(id)")].enumerated() {
                try builders[index].append(value)
            }
        }
        var write = try await evolved.newWrite(commitUser: "w")
        try await write.write(ColumnBatch(schema: RowType(evolved.schema.fields), columns: builders.map { $0.finish() }))
        _ = try await evolved.commitWrite(try await write.prepareCommit(), commitUser: "w")
        // The stale table value (schema 0) compacts with the latest schema: the new column survives.
        let result = try await table.compact(full: true, commitUser: "c")
        #expect(result.units.first?.writtenFiles.allSatisfy { $0.schemaId == 1 } == true)
        let rows = try await CompactTables.read(evolved)
        #expect(rows.count == 15)
        #expect(rows.filter { $0.contains("e1") }.count == 5, "\(rows)")
        // A write through the stale value does not rewrite the bucket's schema-1 files.
        let stale = try await CompactTables.write(table, [TestRow(dt: "a", id: 1, v: "stale", n: 1), TestRow(dt: "a", id: 2, v: "stale", n: 2)])
        #expect(stale.compact == nil)
        #expect(try await CompactTables.read(evolved).filter { $0.contains("e1") }.count == 5)
    }

    @Test func partitionAndBucketSelection() async throws {
        let table = try await CompactTables.make(["write-only": "true"])
        var g = SplitMix64(seed: 3)
        for _ in 0..<6 { try await CompactTables.write(table, CompactTables.randomRows("deduplicate", count: 30, keys: 30, &g)) }
        let result = try await table.compact(partition: try table.partitionFilter(spec: ["dt": "b"]), bucket: 1, commitUser: "c")
        #expect(result.units.count == 1)
        #expect(result.units.first?.partitionPath == "dt=b/" && result.units.first?.bucket == 1)
        let live = try await CompactTables.live(table)
        let bPartition = try BinaryRow(values: [.string("b")], types: [.string])
        #expect(live.filter { $0.file.level > 0 }.allSatisfy { $0.partition == bPartition && $0.bucket == 1 })
        #expect(throws: TableError.self) { try table.partitionFilter(spec: ["id": "1"]) }
    }

    @Test func appendTablesAndUnsupportedModesAreRefused() async throws {
        let io = MemoryFileIO()
        let root = try StoragePath(parsing: "memory://append\(UInt32.random(in: 0...UInt32.max))/db.db/t")
        try await TableCreation.create(io: io, root: root, schema: try TestSchemas.append())
        let append = try await FileStoreTable.open(io: io, root: root)
        let error = await tableError { () throws(TableError) in _ = try await append.compact(commitUser: "c") }
        #expect(error?.kind == .unsupported)
        let full = try await CompactTables.make(["changelog-producer": "full-compaction", "force-lookup": "true"])
        let fullError = await tableError { () throws(TableError) in _ = try await full.compact(commitUser: "c") }
        #expect(fullError?.kind == .unsupported)
        #expect(fullError?.message.contains("force-lookup = true with changelog-producer = full-compaction") == true)
    }

    // MARK: the write path

    @Test func writesCompactAfterTheirAppendAndReadTheSame() async throws {
        let seed = testSeed()
        print("writesCompactAfterTheirAppendAndReadTheSame seed \(seed)")
        var g = SplitMix64(seed: seed)
        let options = ["num-sorted-run.compaction-trigger": "3", "target-file-size": "3 kb"]
        let compacting = try await CompactTables.make(options)
        let writeOnly = try await CompactTables.make(options.merging(["write-only": "true"]) { $1 })
        var compacted = 0
        for _ in 0..<12 {
            let rows = CompactTables.randomRows("deduplicate", count: Int.random(in: 1...20, using: &g), keys: 40, &g)
            let result = try await CompactTables.write(compacting, rows)
            try await CompactTables.write(writeOnly, rows)
            #expect(result.compactionError == nil)
            if let compact = result.compact {
                compacted += 1
                // The COMPACT snapshot follows the APPEND one with the same user and identifier.
                let id = try #require(compact.snapshotId)
                let appendSnapshot = try await compacting.snapshots.snapshot(id - 1)
                let compactSnapshot = try await compacting.snapshots.snapshot(id)
                #expect(appendSnapshot.commitKind == .append && compactSnapshot.commitKind == .compact)
                #expect(appendSnapshot.commitUser == compactSnapshot.commitUser)
                #expect(appendSnapshot.commitIdentifier == compactSnapshot.commitIdentifier)
            }
            #expect(try await CompactTables.read(compacting) == (try await CompactTables.read(writeOnly)), "seed \(seed)")
            try await CompactTables.expectLevelsDisjoint(compacting)
        }
        #expect(compacted > 0)
        #expect(try await writeOnly.allSnapshots().allSatisfy { $0.commitKind == .append })
        try await CompactTables.expectNoStrayFiles(compacting)
    }

    /// `full-compaction.delta-commits` > 0: every write fully compacts the buckets it wrote, so each commit leaves
    /// only max-level files; with the full-compaction producer each commit's COMPACT snapshot carries the changelog
    /// of the max-level change (a sum: `+I` of new keys, `-U`/`+U` of updated ones). Buckets the write did not
    /// touch keep their files; a value of 0 keeps the universal pick.
    @Test func deltaCommitsFullyCompactTheWrittenBucketsAtEveryCommit() async throws {
        let table = try await CompactTables.make(["changelog-producer": "full-compaction", "full-compaction.delta-commits": "1",
                                                  "merge-engine": "aggregation", "fields.n.aggregate-function": "sum", "bucket": "1"])
        #expect(try CompactionSettings(schema: table.schema).fullCompactionAtEveryCommit)
        try await CompactTables.write(table, (0..<20).map { TestRow(dt: "a", id: Int64($0), v: "x", n: 1) })
        try await CompactTables.write(table, (0..<20).map { TestRow(dt: "b", id: Int64($0), v: "x", n: 1) })
        let bFiles = try await CompactTables.live(table).filter { $0.partition != (try BinaryRow(values: [.string("a")], types: [.string])) }
        for round in 0..<3 {
            let result = try await CompactTables.write(table, (0..<5).map { TestRow(dt: "a", id: Int64($0 + 3 * round), v: "y", n: 10) })
            #expect(result.compactionError == nil && result.compact?.snapshotId != nil)
            let live = try await CompactTables.live(table)
            #expect(live.allSatisfy { $0.file.level == 5 }, "round \(round): levels \(live.map(\.file.level))")
            // Partition b was not written: its files stay as they are.
            #expect(Set(live.map(\.file.fileName)).isSuperset(of: bFiles.map(\.file.fileName)))
            let latest = try #require(try await table.snapshots.latestId())
            let changes = try await table.readChanges(from: latest, to: latest)
            let kinds = changes.snapshots.first?.records.rowKinds ?? []
            #expect(kinds.filter { $0 == .updateBefore }.count == 5 && kinds.filter { $0 == .updateAfter }.count == 5, "round \(round): \(kinds)")
        }
        let rows = try await CompactTables.read(table, allLevels: false)
        // Keys 3 and 4 were written in rounds 0 and 1, 6 and 7 in rounds 1 and 2: 1 + 10 + 10.
        let twice = rows.filter { $0.hasPrefix("string(\"a\")") && $0.hasSuffix("integer(21)") }
        #expect(twice == [3, 4, 6, 7].map { "string(\"a\")|integer(\($0))|string(\"y\")|integer(21)" })
        #expect(rows.count == 40)
        let zero = try await CompactTables.make(["full-compaction.delta-commits": "0", "bucket": "1"])
        #expect(try !CompactionSettings(schema: zero.schema).fullCompactionAtEveryCommit)
        try await CompactTables.write(zero, [TestRow(dt: "a", id: 1, v: "x", n: 1)])
        try await CompactTables.write(zero, [TestRow(dt: "a", id: 2, v: "x", n: 1)])
        #expect(try await CompactTables.live(zero).contains { $0.file.level == 0 }, "0: no compaction below the trigger")
    }

    @Test func aWriterNeverLeavesMoreRunsThanTheStopTrigger() async throws {
        // A tiny unspillable buffer flushes every few rows: one write makes many level-0 files per bucket.
        let options = ["bucket": "1", "write-buffer-size": "1 kb", "write-buffer-spillable": "false",
                       "num-sorted-run.compaction-trigger": "3", "num-sorted-run.stop-trigger": "4"]
        let rows = (0..<400).map { TestRow(dt: "a", id: Int64(($0 * 37) % 400), v: "value-\($0)", n: Int64($0)) }
        let writeOnly = try await CompactTables.make(options.merging(["write-only": "true"]) { $1 })
        try await CompactTables.write(writeOnly, rows, chunk: 10)
        let runsWithout = try await CompactTables.live(writeOnly).filter { $0.file.level == 0 }.count
        #expect(runsWithout > 4, "the buffer should have flushed more than stop-trigger times")

        let table = try await CompactTables.make(options)
        let result = try await CompactTables.write(table, rows, chunk: 10)
        #expect(result.compact != nil)
        let levels = try Levels(keyComparator: KeyComparator(schema: table.schema), files: try await CompactTables.live(table).map(\.file), numLevels: 4)
        #expect(levels.numberOfSortedRuns <= 4)
        #expect(try await CompactTables.read(table) == (try await CompactTables.read(writeOnly)))
        // The APPEND snapshot still holds every flushed file (as Java's writers commit them).
        let append = try #require(try await table.allSnapshots().first { $0.commitKind == .append })
        let appended = try await SnapshotReader(io: table.io, paths: table.paths).deltaEntries(append)
        #expect(appended.count == runsWithout)
        try await CompactTables.expectNoStrayFiles(table)
    }

    @Test func aWriteWhoseCompactionLostItsInputsStillCommits() async throws {
        let table = try await CompactTables.make(["bucket": "1", "num-sorted-run.compaction-trigger": "2"])
        try await CompactTables.write(table, [TestRow(dt: "a", id: 3, v: "old", n: 3)])
        let user = "writer"
        var write = try await table.newWrite(commitUser: user)
        try await write.write(try CompactTables.batch((0..<10).map { TestRow(dt: "a", id: $0, v: "new", n: $0) }, schema: table.schema), rowKinds: nil)
        // Meanwhile a dedicated compaction moves the file the write started from.
        #expect(try await table.compact(full: true, commitUser: "other").snapshotId != nil)
        let message = try await write.prepareCommit()
        #expect(!message.deletedFiles.isEmpty, "the write compacted the two runs it knew")
        let result = try await table.commitWrite(message, commitUser: user)
        #expect(result.append.snapshotId != nil)
        #expect(result.compact == nil)
        #expect(result.compactionError?.kind == .conflict)
        let rows = try await CompactTables.read(table)
        #expect(rows.count == 10)
        #expect(!rows.contains { $0.contains("old") })
        try await CompactTables.expectNoStrayFiles(table)
    }
}
