import Foundation
import Testing
import WeirCodecs
import WeirColumnar
import WeirFileIO
import WeirPaimon
@testable import WeirTable

/// Model tests of lookup compaction, changelog-producing compaction and deletion vectors maintained by compaction
/// (spec/paimon-semantics.md sections 2.4, 3, 4.4, 4.5). Random writes (whose writers compact at commit) and
/// dedicated compactions (normal or full) at random points; the expectation is ``ModelReference``, which folds
/// every written record per key and knows nothing of files, levels or changelog:
///
/// - after every step the merged read, and for lookup tables (no level-0 file is left) the batch read that skips
///   level 0 and reads deletion-vector tables without merging, equal the reference;
/// - the change stream, folded from the first snapshot, is consistent (`+I` only for an absent key, `-U`/`-D` only
///   of the current row, `+U` after `-U`) and at every settled snapshot (lookup: no level-0 file; full-compaction:
///   only max-level files) equals the reference as of that snapshot.
@Suite struct LookupCompactionModelTests {
    struct Config: Sendable, CustomStringConvertible {
        var name: String
        var engine: String
        var options: [String: String]
        /// Write only adds: with a `sequence.field`, a retract that compaction dropped at the max level no longer
        /// outranks a later add with a smaller sequence value (as in Paimon), which the naive reference cannot know.
        var addsOnly = false
        /// Partial-update and aggregation: the reference is this fold of the written rows, not ``ModelReference``
        /// (which runs Weir's merge function).
        var fold: NaiveEngineFold? = nil
        var description: String { name }

        init(name: String, engine: String, options: [String: String], addsOnly: Bool = false) {
            self.name = name
            self.engine = engine
            self.options = options
            self.addsOnly = addsOnly
        }

        /// A partial-update or aggregation configuration: the fold's options plus `options`. `retracts`: the
        /// sequence-group partial-update also gets retracts, of keys already written only (a key that only ever
        /// saw retracts is a DELETE that compaction drops, so a later, older add would count, unlike in a fold).
        init(name: String, fold: NaiveEngineFold, options: [String: String], retracts: Bool = false) {
            self.name = name
            switch fold {
            case .partialUpdate: engine = "partial-update"
            case .partialUpdateSequenceGroup: engine = retracts ? "aggregation" : "partial-update"
            case .sumLastValue, .productLastNonNull: engine = "aggregation"
            }
            self.options = fold.options.merging(options) { $1 }
            addsOnly = fold != .sumLastValue && !retracts
            self.fold = fold
        }

        /// The rows to write: retracts become `+U` when ``addsOnly``, and for the sequence-group partial-update
        /// when their key is not in `written` nor added earlier in `rows`; the product's `n` is kept to -1, 1, 2,
        /// 3 so no key's product overflows. `written` gains the keys of `rows`.
        func adjusted(_ rows: [TestRow], written: inout Set<[Value]>) -> [TestRow] {
            var rows = rows
            for i in rows.indices {
                let key: [Value] = [.string(rows[i].dt), .integer(rows[i].id)]
                if rows[i].kind.isRetract && (addsOnly || (fold == .partialUpdateSequenceGroup && !written.contains(key))) {
                    rows[i].kind = .updateAfter
                }
                written.insert(key)
                if fold == .productLastNonNull, let n = rows[i].n { rows[i].n = [-1, 1, 2, 3][Int(n.magnitude % 4)] }
            }
            return rows
        }
    }

    static let configs: [Config] = [
        Config(name: "lookup", engine: "deduplicate", options: ["changelog-producer": "lookup"]),
        Config(name: "lookup-sequence-field", engine: "deduplicate-sequence-field", options: ["changelog-producer": "lookup", "sequence.field": "n"],
               addsOnly: true),
        Config(name: "deletion-vectors", engine: "deduplicate", options: ["deletion-vectors.enabled": "true"]),
        Config(name: "deletion-vectors-lookup", engine: "deduplicate", options: ["deletion-vectors.enabled": "true", "changelog-producer": "lookup"]),
        Config(name: "full-compaction", engine: "deduplicate", options: ["changelog-producer": "full-compaction"]),
        Config(name: "full-compaction-aggregation", engine: "aggregation",
               options: CompactTables.engineOptions("aggregation").merging(["changelog-producer": "full-compaction"]) { $1 }),
        Config(name: "first-row-lookup", engine: "first-row", options: ["merge-engine": "first-row", "changelog-producer": "lookup"]),
        // Partial-update and aggregation: reads and compactions take only the newest record above level 0
        // (LookupMergeFunction); an aggregation that merged every level would count again.
        Config(name: "lookup-partial-update", fold: .partialUpdate, options: ["changelog-producer": "lookup"]),
        Config(name: "lookup-partial-update-sequence-group", fold: .partialUpdateSequenceGroup, options: ["changelog-producer": "lookup"]),
        Config(name: "lookup-partial-update-sequence-group-retract", fold: .partialUpdateSequenceGroup, options: ["changelog-producer": "lookup"],
               retracts: true),
        Config(name: "lookup-aggregation-sum-retract", fold: .sumLastValue, options: ["changelog-producer": "lookup"]),
        Config(name: "lookup-aggregation-product", fold: .productLastNonNull, options: ["changelog-producer": "lookup"]),
        Config(name: "deletion-vectors-partial-update", fold: .partialUpdate, options: ["deletion-vectors.enabled": "true"]),
        Config(name: "deletion-vectors-aggregation-sum-retract", fold: .sumLastValue, options: ["deletion-vectors.enabled": "true"]),
        Config(name: "deletion-vectors-lookup-aggregation-product", fold: .productLastNonNull,
               options: ["deletion-vectors.enabled": "true", "changelog-producer": "lookup"]),
        Config(name: "deletion-vectors-lookup-partial-update-sequence-group-retract", fold: .partialUpdateSequenceGroup,
               options: ["deletion-vectors.enabled": "true", "changelog-producer": "lookup"], retracts: true),
        Config(name: "force-lookup-aggregation-sum-retract", fold: .sumLastValue, options: ["force-lookup": "true"]),
    ]

    static func rows(_ rows: [TestRow]) -> [[Value]] {
        rows.map { [.string($0.dt), .integer($0.id), $0.v.map { .string($0) } ?? .null, $0.n.map { .integer($0) } ?? .null] }
    }

    static func read(_ table: FileStoreTable, allLevels: Bool) async throws -> [[Value]] {
        let plan = try await table.plan(try await table.resolve(.latest), allLevels: allLevels)
        return ModelRows.rows(try await table.read(plan).batches)
    }

    @Test(arguments: configs) func compactionKeepsTheReadAndTheChangelogFoldsToEachSnapshot(config: Config) async throws {
        let seed = testSeed()
        print("compactionKeepsTheReadAndTheChangelogFoldsToEachSnapshot(\(config)) seed \(seed) (WEIR_TEST_SEED=\(seed) replays it)")
        var g = SplitMix64(seed: seed)
        let table = try await CompactTables.make(config.options.merging(["target-file-size": "2 kb", "num-sorted-run.compaction-trigger": "3"]) { $1 })
        let settings = try CompactionSettings(schema: table.schema)
        #expect(settings.unsupportedReason == nil)
        var model = ModelReference(schema: table.schema)
        var history: [(kind: RowKind, row: TestRow)] = []
        var writtenKeys = Set<[Value]>()
        var states: [Int64: [[Value]]] = [:]
        var compactions = 0
        for step in 0..<16 {
            if step < 2 || Int.random(in: 0..<10, using: &g) < 7 {
                let base = Int64.random(in: 0..<150, using: &g)
                let written = config.adjusted(CompactTables.randomRows(config.engine, count: Int.random(in: 1...(step == 0 ? 300 : 60), using: &g),
                                                                       keys: step == 0 ? 0..<200 : base..<(base + 50), &g),
                                              written: &writtenKeys)
                let result = try await CompactTables.write(table, written)
                #expect(result.compactionError == nil, "step \(step), seed \(seed): \(String(describing: result.compactionError))")
                for (row, values) in zip(written, Self.rows(written)) { model.append(row.kind, values) }
                history += written.map { ($0.kind, $0) }
            } else {
                let full = Bool.random(using: &g)
                let result = try await table.compact(full: full, commitUser: "c\(step)")
                if result.snapshotId != nil { compactions += 1 }
            }
            let expected = try config.fold.map { $0.rows(history) } ?? model.rows()
            let latest = try #require(try await table.snapshots.latestId())
            for id in 1...latest where states[id] == nil { states[id] = expected }
            let merged = try await Self.read(table, allLevels: true)
            #expect(ModelRows.difference(expected: expected, actual: merged) == nil,
                    "merged read, step \(step), seed \(seed): \(ModelRows.difference(expected: expected, actual: merged) ?? "")")
            let live = try await CompactTables.live(table)
            if settings.lookup {
                #expect(live.allSatisfy { $0.file.level > 0 }, "a lookup table keeps no level-0 file after a commit (step \(step))")
                let batch = try await Self.read(table, allLevels: false)
                #expect(ModelRows.difference(expected: expected, actual: batch) == nil,
                        "batch read, step \(step), seed \(seed): \(ModelRows.difference(expected: expected, actual: batch) ?? "")")
            }
            try await CompactTables.expectLevelsDisjoint(table)
        }
        _ = try await table.compact(full: true, commitUser: "final")
        compactions += 1
        let final = try config.fold.map { $0.rows(history) } ?? model.rows()
        let latest = try #require(try await table.snapshots.latestId())
        states[latest] = final
        #expect(ModelRows.difference(expected: final, actual: try await Self.read(table, allLevels: false)) == nil, "after the full compaction, seed \(seed)")
        #expect(compactions > 0)
        try await CompactTables.expectNoStrayFiles(table)
        if settings.deletionVectors {
            // Vectors only name live files.
            let snapshot = try #require(try await table.snapshots.latest())
            let reader = SnapshotReader(io: table.io, paths: table.paths)
            let liveNames = Set(try await reader.liveEntries(snapshot).map(\.file.fileName))
            for entry in try await reader.indexEntries(snapshot) where entry.kind == .add {
                for range in entry.indexFile.deletionVectorRanges ?? [] {
                    #expect(liveNames.contains(range.dataFileName), "a deletion vector of \(range.dataFileName), which is not live")
                }
            }
        }
        guard settings.changelogProducer == .lookup || settings.changelogProducer == .fullCompaction else { return }
        try await Self.expectChangelogFolds(table, states: states, maxLevel: settings.numLevels - 1,
                                            settled: settings.changelogProducer == .lookup ? { $0 > 0 } : { $0 == settings.numLevels - 1 },
                                            seed: seed)
    }

    /// Folds the change stream snapshot by snapshot and compares it at settled snapshots with `states`.
    static func expectChangelogFolds(_ table: FileStoreTable, states: [Int64: [[Value]]], maxLevel: Int32, settled: (Int32) -> Bool,
                                     seed: UInt64, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let changes = try await table.readChanges(from: 1)
        let keyOf = { (row: [Value]) in Array(row[0...1]) }
        var folded: [[Value]: [Value]] = [:]
        var pendingUpdate: Set<[Value]> = []
        var checked = 0
        var emitted = 0
        let reader = SnapshotReader(io: table.io, paths: table.paths)
        for change in changes.snapshots {
            let rows = ModelRows.rows([change.records.values])
            emitted += rows.count
            for (kind, row) in zip(change.records.rowKinds, rows) {
                let key = keyOf(row)
                switch kind {
                case .insert:
                    #expect(folded[key] == nil, "+I of present key \(row) in snapshot \(change.snapshotId), seed \(seed)", sourceLocation: sourceLocation)
                    folded[key] = row
                case .updateBefore, .delete:
                    #expect(folded[key] == row, "\(kind) \(row) but the key holds \(String(describing: folded[key])) (snapshot \(change.snapshotId), seed \(seed))",
                            sourceLocation: sourceLocation)
                    folded[key] = nil
                    if kind == .updateBefore { pendingUpdate.insert(key) }
                case .updateAfter:
                    #expect(pendingUpdate.remove(key) != nil, "+U \(row) without -U (snapshot \(change.snapshotId), seed \(seed))", sourceLocation: sourceLocation)
                    folded[key] = row
                }
            }
            let snapshot = try await table.snapshots.snapshot(change.snapshotId)
            let live = try await reader.liveEntries(snapshot)
            guard live.allSatisfy({ settled($0.file.level) }), let expected = states[change.snapshotId] else { continue }
            checked += 1
            let actual = Array(folded.values)
            #expect(ModelRows.difference(expected: expected, actual: actual) == nil,
                    "changelog folded to snapshot \(change.snapshotId), seed \(seed): \(ModelRows.difference(expected: expected, actual: actual) ?? "")",
                    sourceLocation: sourceLocation)
        }
        #expect(checked > 0 && emitted > 0, "some settled snapshot was checked (\(checked)) and changelog emitted (\(emitted))", sourceLocation: sourceLocation)
    }

    @Test func firstRowDropsKeysOfHigherLevelsWithoutRewritingThem() async throws {
        let table = try await CompactTables.make(["merge-engine": "first-row", "changelog-producer": "lookup", "bucket": "1"])
        let first = (0..<400).map { TestRow(dt: "a", id: Int64($0), v: "old", n: Int64($0)) }
        #expect(try await CompactTables.write(table, first).compactionError == nil)
        let top = try await CompactTables.live(table)
        #expect(top.count == 1 && top[0].file.level == 5, "the first write's compaction goes to the max level")
        // Keys 350..<450: 50 already present, 50 new.
        let second = (350..<450).map { TestRow(dt: "a", id: Int64($0), v: "new", n: -1) }
        #expect(try await CompactTables.write(table, second).compactionError == nil)
        let live = try await CompactTables.live(table)
        #expect(live.contains { $0.file.fileName == top[0].file.fileName && $0.file.level == 5 }, "the max-level file is not rewritten")
        let added = live.filter { $0.file.level == 4 }
        #expect(added.count == 1 && added.first?.file.rowCount == 50, "only the 50 new keys go to level 4")
        var model = ModelReference(schema: table.schema)
        for (row, values) in zip(first + second, Self.rows(first + second)) { model.append(row.kind, values) }
        let expected = try model.rows()
        #expect(ModelRows.difference(expected: expected, actual: try await Self.read(table, allLevels: false)) == nil)
        // The second commit's changelog: +I of the 50 new keys only.
        let latest = try #require(try await table.snapshots.latestId())
        let changes = try await table.readChanges(from: latest, to: latest)
        let rows = ModelRows.rows([changes.snapshots[0].records.values])
        #expect(changes.snapshots[0].records.rowKinds.allSatisfy { $0 == .insert })
        #expect(Set(rows.map { $0[1] }) == Set((400..<450).map { Value.integer(Int64($0)) }))
    }

    @Test func deletionVectorsMarkSupersededRowsAndLeaveWithTheirFiles() async throws {
        let table = try await CompactTables.make(["deletion-vectors.enabled": "true", "bucket": "1"])
        let first = (0..<300).map { TestRow(dt: "a", id: Int64($0), v: "old", n: Int64($0)) }
        _ = try await CompactTables.write(table, first)
        let top = try #require(try await CompactTables.live(table).first)
        #expect(top.file.level == 5)
        // Update 10 keys and delete 5: level 0 goes to level 4, the 15 old rows are marked in level 5.
        let second = (0..<10).map { TestRow(dt: "a", id: Int64($0), v: "new", n: -1) }
            + (100..<105).map { TestRow(dt: "a", id: Int64($0), v: nil, n: nil, kind: .delete) }
        #expect(try await CompactTables.write(table, second).compactionError == nil)
        let reader = SnapshotReader(io: table.io, paths: table.paths)
        var snapshot = try #require(try await table.snapshots.latest())
        #expect(snapshot.commitKind == .compact)
        let live = try await reader.liveEntries(snapshot)
        #expect(live.contains { $0.file.fileName == top.file.fileName && $0.file.level == 5 }, "level 5 is not rewritten")
        let level4 = live.filter { $0.file.level == 4 }
        #expect(level4.reduce(0) { $0 + $1.file.rowCount } == 10, "deletes are dropped: the vector removes the rows")
        var index = try await reader.indexEntries(snapshot).filter { $0.kind == .add }
        #expect(index.count == 1)
        let ranges = index.first?.indexFile.deletionVectorRanges ?? []
        #expect(ranges.map(\.dataFileName) == [top.file.fileName] && ranges.first?.cardinality == 15)
        var model = ModelReference(schema: table.schema)
        for (row, values) in zip(first + second, Self.rows(first + second)) { model.append(row.kind, values) }
        #expect(ModelRows.difference(expected: try model.rows(), actual: try await Self.read(table, allLevels: false)) == nil)
        // A full compaction merges both levels; the rewritten file's vector goes with it.
        _ = try await table.compact(full: true, commitUser: "full")
        snapshot = try #require(try await table.snapshots.latest())
        index = try await reader.indexEntries(snapshot).filter { $0.kind == .add }
        #expect(index.isEmpty, "no vector is left: \(index.map(\.indexFile.fileName))")
        #expect(try await reader.liveEntries(snapshot).allSatisfy { $0.file.level == 5 })
        #expect(ModelRows.difference(expected: try model.rows(), actual: try await Self.read(table, allLevels: false)) == nil)
        #expect(try await table.compact(full: true, commitUser: "again").outcome == .empty)
    }
}
