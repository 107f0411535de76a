import Testing
import WeirColumnar
import WeirPaimon
@testable import WeirTable

/// The universal pick on hand-made runs. Every expected unit is worked out from the rules of
/// spec/paimon-semantics.md section 4.2 (classic form) and 4.1, with the defaults trigger = 5,
/// max-size-amplification-percent = 200, size-ratio = 1 and num-levels = 6 (max level 5); the arithmetic is in
/// the comments.
@Suite struct UniversalCompactionTests {
    static let strategy = UniversalCompaction(maxSizeAmplificationPercent: 200, sizeRatio: 1, trigger: 5)

    /// A file of `size` bytes on `level` (name from `name`).
    static func file(_ name: String, level: Int32, size: Int64, minSeq: Int64 = 0, maxSeq: Int64 = 0, creation: Int64? = 0,
                     minKey: Int64 = 0, maxKey: Int64 = 0, deletes: Int64? = 0) -> DataFileMeta {
        let keyType = [DataType(.bigint, nullable: false)]
        return DataFileMeta(
            fileName: name, fileSize: size, rowCount: 1, minKey: try! BinaryRow(values: [.integer(minKey)], types: keyType),
            maxKey: try! BinaryRow(values: [.integer(maxKey)], types: keyType), keyStats: .emptyStats, valueStats: .emptyStats,
            minSequenceNumber: minSeq, maxSequenceNumber: maxSeq, schemaId: 0, level: level, creationTime: creation,
            deleteRowCount: deletes, fileSource: .append, valueStatsCols: [])
    }

    /// Runs from (level, size) pairs, newest first; each run one file named r<index>.
    static func runs(_ spec: [(Int32, Int64)]) -> [LevelSortedRun] {
        spec.enumerated().map { index, item in LevelSortedRun(level: item.0, files: [file("r\(index)", level: item.0, size: item.1)]) }
    }

    static func names(_ unit: CompactUnit?) -> [String] { unit?.files.map(\.fileName) ?? [] }

    @Test func fewerRunsThanTheTriggerPickNothing() {
        // 4 runs: rules 1 and 2 need ≥ 5 runs, rule 3 needs > 5.
        let runs = Self.runs([(0, 1), (0, 1), (0, 1), (5, 1)])
        #expect(Self.strategy.pick(numLevels: 6, runs: runs) == nil)
    }

    @Test func sizeAmplificationTakesEveryRunToTheMaxLevel() {
        // candidate = 100 × 4 = 400; 400 × 100 = 40000 > 200 × 100 = 20000 → all runs → level 5.
        let runs = Self.runs([(0, 100), (0, 100), (0, 100), (0, 100), (5, 100)])
        let unit = Self.strategy.pick(numLevels: 6, runs: runs)
        #expect(unit?.outputLevel == 5)
        #expect(Self.names(unit) == ["r0", "r1", "r2", "r3", "r4"])
        // Exactly at the limit is no amplification: 4 × 50 = 200; 200 × 100 = 20000 is not > 200 × 100.
        let edge = Self.runs([(0, 50), (0, 50), (0, 50), (0, 50), (5, 100)])
        #expect(Self.strategy.pickForSizeAmplification(maxLevel: 5, runs: edge) == nil)
    }

    @Test func sizeRatioTakesRunsWhileTheyAreNotMuchBigger() {
        // Amplification: 4 × 100 = 400 ≤ 200 × 1000. Size ratio from r0 (1): 1 × 1.01 ≥ 1 → r1 (2), 2.02 ≥ 1 → r2
        // (3), 3.03 ≥ 1 → r3 (4), 4.04 < 1000 stops. 4 runs; next run is level 5 → output 5 - 1 = 4.
        let runs = Self.runs([(0, 1), (0, 1), (0, 1), (0, 1), (5, 1000)])
        let unit = Self.strategy.pick(numLevels: 6, runs: runs)
        #expect(unit?.outputLevel == 4)
        #expect(Self.names(unit) == ["r0", "r1", "r2", "r3"])
    }

    @Test func sizeRatioIsInPercentOfTheCandidates() {
        // 100 × (100 + 1) / 100 = 101 ≥ 101 joins; 201 × 1.01 < 5000 stops; the next run is level 3 → output 2.
        let joins = Self.runs([(0, 100), (0, 101), (3, 5000), (4, 5000), (5, 100_000)])
        let joined = Self.strategy.pickForSizeRatio(maxLevel: 5, runs: joins)
        #expect(Self.names(joined) == ["r0", "r1"])
        #expect(joined?.outputLevel == 2)
        // 100 × 1.01 = 101 < 102: one run, not forced → nothing.
        let stops = Self.runs([(0, 100), (0, 102), (3, 5000), (4, 5000), (5, 100_000)])
        #expect(Self.strategy.pickForSizeRatio(maxLevel: 5, runs: stops) == nil)
        // A bigger ratio lets it join: 100 × 1.05 = 105 ≥ 102.
        let loose = UniversalCompaction(maxSizeAmplificationPercent: 200, sizeRatio: 5, trigger: 5)
        #expect(Self.names(loose.pickForSizeRatio(maxLevel: 5, runs: stops)) == ["r0", "r1"])
    }

    @Test func aSingleCandidateIsNoUnitUnlessForced() {
        // r0 = 1; 1.01 < 10 stops at one run: not forced → nothing (rule 2), and 5 runs are not > 5 (rule 3).
        let runs = Self.runs([(0, 1), (0, 10), (0, 100), (3, 1000), (5, 10_000)])
        #expect(Self.strategy.pick(numLevels: 6, runs: runs) == nil)
        // Forced, one run is enough: next run is level 0 → output would be 0, so createUnit swallows r1 and r2
        // (level 0) and r3 (level 3) and outputs to 3.
        let forced = Self.strategy.pickForSizeRatio(maxLevel: 5, runs: runs, candidateCount: 1, forcePick: true)
        #expect(forced?.outputLevel == 3)
        #expect(Self.names(forced) == ["r0", "r1", "r2", "r3"])
    }

    @Test func runCountForcesTheNewestRuns() {
        // 7 runs > 5: amplification (111111 × 100 ≤ 200 × 10⁶) and size ratio (1.01 < 10) pick nothing; rule 3
        // forces 7 - 5 + 1 = 3 candidates (111), 111 × 1.01 < 1000 stops; next run r3 is level 0 → output 0 →
        // swallow r3, r4 (level 0) and r5 (level 3) → output 3.
        let runs = Self.runs([(0, 1), (0, 10), (0, 100), (0, 1000), (0, 10_000), (3, 100_000), (5, 1_000_000)])
        let unit = Self.strategy.pick(numLevels: 6, runs: runs)
        #expect(unit?.outputLevel == 3)
        #expect(Self.names(unit) == ["r0", "r1", "r2", "r3", "r4", "r5"])
    }

    @Test func createUnitOutputLevels() {
        let s = Self.strategy
        // Next run on level 2 → output 1.
        let a = Self.runs([(0, 1), (0, 1), (2, 1), (5, 1)])
        #expect(s.createUnit(runs: a, maxLevel: 5, runCount: 2) == CompactUnit(outputLevel: 1, files: Array(a[0..<2].flatMap(\.files))))
        // Next run on level 1 → 0 → the level-1 run is swallowed and is the output level.
        let b = Self.runs([(0, 1), (1, 1), (5, 1)])
        #expect(s.createUnit(runs: b, maxLevel: 5, runCount: 1) == CompactUnit(outputLevel: 1, files: Array(b[0..<2].flatMap(\.files))))
        // Only level-0 runs: swallowing reaches the end → max level.
        let c = Self.runs([(0, 1), (0, 1)])
        #expect(s.createUnit(runs: c, maxLevel: 5, runCount: 1) == CompactUnit(outputLevel: 5, files: c.flatMap(\.files)))
        // Every run in → max level, even when the last run is lower.
        let d = Self.runs([(0, 1), (2, 1)])
        #expect(s.createUnit(runs: d, maxLevel: 5, runCount: 2).outputLevel == 5)
        // Swallowing stops at the first run ≥ 1 and that is not all runs → its level.
        let e = Self.runs([(0, 1), (0, 1), (3, 1), (4, 1)])
        #expect(s.createUnit(runs: e, maxLevel: 5, runCount: 1) == CompactUnit(outputLevel: 3, files: Array(e[0..<3].flatMap(\.files))))
    }

    @Test func discardRules() {
        let l5 = Self.file("a", level: 5, size: 1)
        let l0 = Self.file("b", level: 0, size: 1)
        #expect(!CompactUnit(outputLevel: 5, files: []).changesSomething)
        #expect(!CompactUnit(outputLevel: 5, files: [l5]).changesSomething)
        #expect(CompactUnit(outputLevel: 5, files: [l0]).changesSomething)
        #expect(CompactUnit(outputLevel: 5, files: [l5, Self.file("c", level: 5, size: 1)]).changesSomething)
    }

    @Test func fullCompaction() {
        #expect(FullCompaction.pick(numLevels: 6, runs: []) == nil)
        // Only the max level: nothing to do (no deletion vectors, no expiry, no forced rewrite).
        #expect(FullCompaction.pick(numLevels: 6, runs: Self.runs([(5, 10)])) == nil)
        let one = Self.runs([(3, 10)])
        #expect(FullCompaction.pick(numLevels: 6, runs: one) == CompactUnit(outputLevel: 5, files: one[0].files))
        let many = Self.runs([(0, 1), (1, 1), (5, 100)])
        #expect(FullCompaction.pick(numLevels: 6, runs: many) == CompactUnit(outputLevel: 5, files: many.flatMap(\.files)))
    }

    @Test func forceUpLevel0() {
        // 3 runs < trigger: universal picks nothing. ForceUpLevel0: both L0 runs forced (2), 2 × 1.01 < 1000 →
        // createUnit(2): next run level 5 → output 4.
        let runs = Self.runs([(0, 1), (0, 1), (5, 1000)])
        #expect(Self.strategy.pick(numLevels: 6, runs: runs) == nil)
        let unit = Self.strategy.forcePickLevel0(numLevels: 6, runs: runs)
        #expect(unit?.outputLevel == 4)
        #expect(Self.names(unit) == ["r0", "r1"])
        #expect(Self.strategy.forcePickLevel0(numLevels: 6, runs: Self.runs([(5, 1)])) == nil)
    }

    // MARK: Levels and the manager's pick

    @Test func levelZeroIsNewestFirst() throws {
        let files = [
            Self.file("a", level: 0, size: 1, minSeq: 0, maxSeq: 5),
            Self.file("b", level: 0, size: 1, minSeq: 3, maxSeq: 9),
            Self.file("c", level: 0, size: 1, minSeq: 7, maxSeq: 9),
            Self.file("d", level: 0, size: 1, minSeq: 7, maxSeq: 9, creation: 10),
            Self.file("f", level: 0, size: 1, minSeq: 7, maxSeq: 9, creation: 10),
            Self.file("e", level: 0, size: 1, minSeq: 7, maxSeq: 9, creation: 10),
        ]
        let levels = try Levels(keyComparator: nil, files: files, numLevels: 6)
        // maxSeq 9 before 5; among maxSeq 9: minSeq 7 before 3; among those: creation 10 before 0; then by name.
        #expect(levels.level0.map(\.fileName) == ["d", "e", "f", "c", "b", "a"])
    }

    @Test func levelsAndSortedRuns() throws {
        let comparator = KeyComparator(keyType: RowType([DataField(id: 0, name: "k", type: DataType(.bigint, nullable: false))]))
        var levels = try Levels(keyComparator: comparator, files: [], numLevels: 6)
        #expect(levels.nonEmptyHighestLevel == -1)
        #expect(levels.numberOfSortedRuns == 0)
        try levels.update(before: [], after: [
            Self.file("l0", level: 0, size: 1, maxSeq: 20),
            Self.file("l3b", level: 3, size: 1, minKey: 50, maxKey: 60),
            Self.file("l3a", level: 3, size: 1, minKey: 1, maxKey: 9),
            Self.file("l1", level: 1, size: 1),
        ])
        // Runs: L0 file, then level 1, then level 3 (files by min key).
        #expect(levels.levelSortedRuns().map(\.level) == [0, 1, 3])
        #expect(levels.runOfLevel(3).map(\.fileName) == ["l3a", "l3b"])
        #expect(levels.numberOfSortedRuns == 3)
        #expect(levels.nonEmptyHighestLevel == 3)
        // An upgrade: same file, new level.
        var moved = levels.runOfLevel(1)[0]
        moved.level = 4
        try levels.update(before: [levels.runOfLevel(1)[0]], after: [moved])
        #expect(levels.levelSortedRuns().map(\.level) == [0, 3, 4])
        #expect(levels.nonEmptyHighestLevel == 4)
        // Files above num-levels raise the number of levels (as Java restores).
        let high = try Levels(keyComparator: nil, files: [Self.file("x", level: 7, size: 1)], numLevels: 6)
        #expect(high.numberOfLevels == 8)
        #expect(high.maxLevel == 7)
        let onlyZero = try Levels(keyComparator: nil, files: [Self.file("z", level: 0, size: 1)], numLevels: 6)
        #expect(onlyZero.nonEmptyHighestLevel == 0)
    }

    static func settings(_ options: [String: String] = [:]) throws -> CompactionSettings {
        try CompactionSettings(schema: try TableSchema.create(
            columns: [.init("k", DataType(.bigint, nullable: false)), .init("v", .string)], primaryKeys: ["k"],
            options: ["bucket": "1"].merging(options) { $1 }, timeMillis: 0))
    }

    @Test func dropDeleteOnlyWhenTheOutputIsTheOldestData() throws {
        // Four small L0 runs and a big level-2 run: size ratio takes the four L0 runs (4.04 < 1000) → output
        // 2 - 1 = 1, below the highest non-empty level 2 → deletes are kept.
        let files = (0..<4).map { Self.file("l0-\($0)", level: 0, size: 1, maxSeq: Int64($0)) } + [Self.file("big", level: 2, size: 1000)]
        let levels = try Levels(keyComparator: nil, files: files, numLevels: 6)
        let settings = try Self.settings()
        let normal = try #require(settings.pick(levels, full: false))
        #expect(normal.unit.outputLevel == 1)
        #expect(normal.unit.files.count == 4)
        #expect(!normal.dropDelete)
        // Full: everything to level 5 ≥ 2 → deletes dropped.
        let full = try #require(settings.pick(levels, full: true))
        #expect(full.unit.outputLevel == 5)
        #expect(full.dropDelete)
        // Five L0 runs of one byte: size amplification (4 × 100 > 200 × 1) takes all of them to level 5; the
        // highest non-empty level is 0 ≤ 5 → dropped.
        let zeros = try Levels(keyComparator: nil, files: (0..<5).map { Self.file("z\($0)", level: 0, size: 1, maxSeq: Int64($0)) }, numLevels: 6)
        let all = try #require(settings.pick(zeros, full: false))
        #expect(all.unit.outputLevel == 5 && all.dropDelete)
        // Nothing on the manager's side for a single max-level file.
        let single = try Levels(keyComparator: nil, files: [Self.file("m", level: 5, size: 1)], numLevels: 6)
        #expect(settings.pick(single, full: false) == nil)
        #expect(settings.pick(single, full: true) == nil)
    }

    @Test func firstRowAndDeletionVectorsForceLevel0UpAndLookUpInsteadOfCompactingEverything() throws {
        // First-row needs lookup → ForceUpLevel0: two L0 runs with a big level-5 run go to level 4; the lookup
        // into level 5 keeps keys unique, so no full compaction is needed.
        let files = [Self.file("a", level: 0, size: 1, maxSeq: 2), Self.file("b", level: 0, size: 1, maxSeq: 1),
                     Self.file("c", level: 5, size: 1000)]
        let levels = try Levels(keyComparator: nil, files: files, numLevels: 6)
        let plain = try #require(try Self.settings(["compaction.force-up-level-0": "true"]).pick(levels, full: false))
        #expect(plain.unit.outputLevel == 4 && !plain.dropDelete)
        let firstRow = try #require(try Self.settings(["merge-engine": "first-row"]).pick(levels, full: false))
        #expect(firstRow.unit.outputLevel == 4 && !firstRow.dropDelete)
        #expect(firstRow.unit.files.map(\.fileName) == ["a", "b"])
        // Deletion vectors: the same unit, and retract results are dropped (the rows they retract get marked).
        let dv = try #require(try Self.settings(["deletion-vectors.enabled": "true"]).pick(levels, full: false))
        #expect(dv.unit.outputLevel == 4 && dv.dropDelete)
        // Full pick of a max level alone: only the files with a deletion vector are rewritten.
        let top = try Levels(keyComparator: nil, files: [Self.file("m", level: 5, size: 1), Self.file("n", level: 5, size: 1)], numLevels: 6)
        let settings = try Self.settings(["deletion-vectors.enabled": "true"])
        #expect(settings.pick(top, full: true) == nil)
        let rewrite = try #require(settings.pick(top, full: true, withDeletionVectors: ["n"]))
        #expect(rewrite.unit.files.map(\.fileName) == ["n"] && rewrite.unit.outputLevel == 5 && rewrite.dropDelete)
    }

    @Test func settingsFromOptions() throws {
        let defaults = try Self.settings()
        #expect(defaults.trigger == 5 && defaults.stopTrigger == 8 && defaults.numLevels == 6)
        #expect(defaults.targetFileSize == 128 << 20)
        #expect(defaults.minFileSize == Int64((Double(128 << 20) * 0.7).rounded(.down)))
        let tuned = try Self.settings(["num-sorted-run.compaction-trigger": "3", "target-file-size": "1 kb", "compaction.small-file-ratio": "0.5",
                                       "write-only": "true"])
        #expect(tuned.trigger == 3 && tuned.stopTrigger == 6 && tuned.numLevels == 4)
        #expect(tuned.minFileSize == 512 && tuned.writeOnly)
        let dv = try Self.settings(["deletion-vectors.enabled": "true"])
        #expect(dv.unsupportedReason == nil && dv.lookup && dv.deletionVectors && dv.forceUpLevel0 && dv.deletionVectorFormat == .bitmap32)
        let lookup = try Self.settings(["changelog-producer": "lookup"])
        #expect(lookup.unsupportedReason == nil && lookup.lookup && lookup.changelogProducer == .lookup)
        let full = try Self.settings(["changelog-producer": "full-compaction", "merge-engine": "aggregation", "fields.v.aggregate-function": "last_value"])
        #expect(full.unsupportedReason == nil && !full.lookup)
        #expect(try Self.settings(["changelog-producer": "input"]).unsupportedReason == nil)
        #expect(try Self.settings(["deletion-vectors.enabled": "true", "deletion-vectors.bitmap64": "true"]).deletionVectorFormat == .bitmap64)
        // Lookup compaction of partial-update and aggregation; force-lookup is lookup (Java's needLookup).
        for accepted: [String: String] in [["changelog-producer": "lookup", "merge-engine": "partial-update"],
                                           ["deletion-vectors.enabled": "true", "merge-engine": "aggregation", "fields.v.aggregate-function": "last_value"],
                                           ["force-lookup": "true", "merge-engine": "partial-update"]] {
            let settings = try Self.settings(accepted)
            #expect(settings.unsupportedReason == nil && settings.lookup && settings.forceUpLevel0, "\(accepted)")
        }
        // Refused: what Paimon rejects too, and force-lookup with the full-compaction producer.
        for refused: [String: String] in [["deletion-vectors.enabled": "true", "merge-engine": "first-row"],
                                          ["changelog-producer": "full-compaction", "merge-engine": "first-row"],
                                          ["deletion-vectors.enabled": "true", "changelog-producer": "full-compaction"],
                                          ["force-lookup": "true", "changelog-producer": "full-compaction"]] {
            #expect(try Self.settings(refused).unsupportedReason != nil, "\(refused)")
        }
        #expect(throws: TableError.self) { try Self.settings(["compaction.small-file-ratio": "lots"]) }
    }
}
