import Testing
import WeirColumnar
import WeirFileIO
import WeirPaimon
@testable import WeirTable

/// Lookup compaction of aggregation and partial-update tables, step by step (Java's `LookupMergeFunction` and
/// `LookupChangelogMergeFunctionWrapper`, spec/paimon-semantics.md sections 3, 4.4 and 4.5): each level above 0
/// holds the fully merged value of a key, reads and compactions merge only the newest of them with level 0, the
/// value a lookup finds is folded into the new records, and BEFORE/AFTER are the old and new merged values.
@Suite struct LookupAggregationTests {
    @Test func highLevelIsTheFirstRecordOfTheSmallestLevelAboveZero() {
        #expect(LookupMergeRule.highLevelIndex([Int32]([0, 0, -1])) == nil)
        #expect(LookupMergeRule.highLevelIndex([Int32]([5, 3, 4, 0])) == 1)
        #expect(LookupMergeRule.highLevelIndex([Int32]([2, 2, 0])) == 0)
        #expect(LookupMergeRule.participants([Int32]([5, 3, 4, 0, -1])) == [1, 3, 4])
        #expect(LookupMergeRule.participants([Int32]([4])) == [0])
    }

    @Test func theRuleAppliesToTablesThatNeedLookupExceptFirstRow() throws {
        func applies(_ options: [String: String]) throws -> Bool {
            let schema = try TableSchema.create(columns: CompactTables.columns, partitionKeys: ["dt"], primaryKeys: ["dt", "id"],
                                                options: options, timeMillis: 0)
            return try LookupMergeRule.applies(to: schema)
        }
        #expect(try applies(["merge-engine": "aggregation", "changelog-producer": "lookup"]))
        #expect(try applies(["merge-engine": "partial-update", "deletion-vectors.enabled": "true"]))
        #expect(try applies(["force-lookup": "true"]))
        #expect(try !applies(["merge-engine": "aggregation", "changelog-producer": "full-compaction"]))
        #expect(try !applies(["merge-engine": "first-row", "changelog-producer": "lookup"]))
        #expect(try !applies([:]))
    }

    static func sums(_ table: FileStoreTable, allLevels: Bool) async throws -> [Int64: Int64] {
        let plan = try await table.plan(try await table.resolve(.latest), allLevels: allLevels)
        var out: [Int64: Int64] = [:]
        for row in ModelRows.rows(try await table.read(plan).batches) {
            guard case .integer(let id) = row[1], case .integer(let n) = row[3] else { continue }
            out[id] = n
        }
        return out
    }

    static func changes(_ table: FileStoreTable, snapshot: Int64) async throws -> [String] {
        let changes = try await table.readChanges(from: snapshot, to: snapshot)
        guard let change = changes.snapshots.first else { return [] }
        return zip(change.records.rowKinds, ModelRows.rows([change.records.values])).map { "\($0.0) \(ModelRows.text($0.1))" }.sorted()
    }

    /// Three writes of a sum: all keys (to the max level), 100 keys (to level 4), five keys (to level 3). A key of
    /// the last write then has a value on levels 5, 4 and 3 (without deletion vectors): the read gives the level-3
    /// one, not the sum of the three.
    @Test(arguments: [false, true]) func sumsAreFoldedOnceAcrossLevels(deletionVectors: Bool) async throws {
        var options = ["bucket": "1", "merge-engine": "aggregation", "fields.n.aggregate-function": "sum",
                       "fields.v.aggregate-function": "last_value", "changelog-producer": "lookup"]
        if deletionVectors { options["deletion-vectors.enabled"] = "true" }
        let table = try await CompactTables.make(options)
        let first = (0..<300).map { TestRow(dt: "a", id: Int64($0), v: "a", n: 1) }
        #expect(try await CompactTables.write(table, first).compactionError == nil)
        #expect(try await CompactTables.live(table).map(\.file.level) == [5])
        let second = (0..<100).map { TestRow(dt: "a", id: Int64($0), v: "b", n: 2) }
        #expect(try await CompactTables.write(table, second).compactionError == nil)
        // Key 0 is retracted once (-D of 1) in the third write as well.
        let third = (0..<5).map { TestRow(dt: "a", id: Int64($0), v: "c", n: 4) } + [TestRow(dt: "a", id: 0, v: nil, n: 1, kind: .delete)]
        #expect(try await CompactTables.write(table, third).compactionError == nil)
        let live = try await CompactTables.live(table)
        #expect(Set(live.map(\.file.level)) == [5, 4, 3], "levels \(live.map(\.file.level))")
        var expected: [Int64: Int64] = [:]
        for id in Int64(0)..<300 { expected[id] = id < 5 ? 7 : id < 100 ? 3 : 1 }
        expected[0] = 6
        #expect(try await Self.sums(table, allLevels: true) == expected)
        #expect(try await Self.sums(table, allLevels: false) == expected)
        // The changelog of each lookup compaction: BEFORE the found merged value, AFTER the new one.
        let latest = try #require(try await table.snapshots.latestId())
        let changes = try await Self.changes(table, snapshot: latest)
        var wanted: [String] = []
        for id in 0..<5 {
            wanted.append("-U (\"a\", \(id), \"b\", 3)")
            wanted.append(id == 0 ? "+U (\"a\", 0, null, 6)" : "+U (\"a\", \(id), \"c\", 7)")
        }
        #expect(changes == wanted.sorted())
        if deletionVectors {
            // The superseded rows: 100 in the level-5 file, five in the level-4 file.
            let reader = SnapshotReader(io: table.io, paths: table.paths)
            let snapshot = try #require(try await table.snapshots.latest())
            let ranges = try await reader.indexEntries(snapshot).filter { $0.kind == .add }.flatMap { $0.indexFile.deletionVectorRanges ?? [] }
            let levelOf = Dictionary(uniqueKeysWithValues: live.map { ($0.file.fileName, $0.file.level) })
            #expect(Dictionary(uniqueKeysWithValues: ranges.map { (levelOf[$0.dataFileName] ?? -1, $0.cardinality) }) == [5: 100, 4: 5])
        }
        // A full compaction merges the three levels into one value per key, the same.
        _ = try await table.compact(full: true, commitUser: "full")
        #expect(try await CompactTables.live(table).allSatisfy { $0.file.level == 5 })
        #expect(try await Self.sums(table, allLevels: false) == expected)
    }

    /// A partial-update key whose newest value is on level 4 and older one on level 5: a compaction of levels 4
    /// and 5 without level 0 (a full one) keeps the level-4 value, and the lookup of a new partial row finds it.
    @Test func partialUpdateFoldsNewColumnsIntoTheFoundRow() async throws {
        let table = try await CompactTables.make(["bucket": "1", "merge-engine": "partial-update", "changelog-producer": "lookup"])
        try await CompactTables.write(table, (0..<200).map { TestRow(dt: "a", id: Int64($0), v: "v0", n: nil) })
        try await CompactTables.write(table, [TestRow(dt: "a", id: 7, v: nil, n: 70)])
        try await CompactTables.write(table, [TestRow(dt: "a", id: 7, v: "v2", n: nil)])
        let latest = try #require(try await table.snapshots.latestId())
        #expect(try await Self.changes(table, snapshot: latest) == ["+U (\"a\", 7, \"v2\", 70)", "-U (\"a\", 7, \"v0\", 70)"])
        let rows = try await CompactTables.read(table, allLevels: false)
        #expect(rows.contains("string(\"a\")|integer(7)|string(\"v2\")|integer(70)"))
        #expect(rows.count == 200)
    }
}
