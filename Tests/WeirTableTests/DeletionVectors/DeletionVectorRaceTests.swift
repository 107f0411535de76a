import Testing
import WeirPaimon
@testable import WeirTable

/// A writer that compacts with deletion vectors racing a dedicated compaction of the same bucket. Readers of such a
/// table trust the deletion vectors instead of merging, so a commit that replaced the bucket's deletion-vector index
/// with one built on files another commit has since rewritten would show an old row beside its replacement.
@Suite struct DeletionVectorRaceTests {
    static func keys(_ lines: [String]) -> [String] {
        lines.map { $0.split(separator: "|").prefix(2).joined(separator: "|") }
    }

    @Test func aWriteRacingADedicatedCompactionNeverShowsAKeyTwice() async throws {
        let table = try await CompactTables.make(["bucket": "1", "deletion-vectors.enabled": "true"])
        try await CompactTables.write(table, (0..<5_000).map { TestRow(dt: "a", id: $0, v: "old", n: $0) })
        _ = try await table.compact(full: true, commitUser: "setup")
        // A second write marks a row of the compacted file deleted: the bucket now has a deletion-vector index. It is big
        // enough that the next write's compaction leaves it alone and only moves its own level-0 file up.
        try await CompactTables.write(table, [TestRow(dt: "a", id: 5, v: "mid", n: 5)]
                                          + (5_000..<7_000).map { TestRow(dt: "a", id: $0, v: "old", n: $0) })
        let before = try await table.snapshots.latest()
        #expect(before?.indexManifest != nil)

        // The writer starts from that state and replaces key 3 ...
        let user = "writer"
        var write = try await table.newWrite(commitUser: user)
        try await write.write(try CompactTables.batch([TestRow(dt: "a", id: 3, v: "new", n: 3)], schema: table.schema), rowKinds: nil)
        // ... while a dedicated compaction rewrites the bucket's files, dropping the deletion vectors it applied.
        #expect(try await table.compact(full: true, commitUser: "dedicated").snapshotId != nil)
        let message = try await write.prepareCommit()
        let result = try await table.commitWrite(message, commitUser: user)
        #expect(result.append.snapshotId != nil)

        // What a deletion-vector reader (level 0 skipped, no merge) sees: every key once, whatever the race decided.
        let visible = try await CompactTables.read(table, allLevels: false)
        let counts = Dictionary(Self.keys(visible).map { ($0, 1) }, uniquingKeysWith: +)
        #expect(counts.values.allSatisfy { $0 == 1 }, "keys visible twice: \(counts.filter { $0.value > 1 }.keys.sorted())")
        #expect(result.compactionError?.kind == .conflict, "the write's compaction must lose the race")
        #expect(result.compactionError?.message.contains("Deletion vector conflicts detected") == true, "\(String(describing: result.compactionError))")
        // Once compacted, the write's row is there and nothing was lost.
        _ = try await table.compact(full: true, commitUser: "final")
        let rows = try await CompactTables.read(table, allLevels: false)
        let expected = (0..<7_000).map { id -> String in
            let v = id == 3 ? "new" : id == 5 ? "mid" : "old"
            return "string(\"a\")|integer(\(id))|string(\"\(v)\")|integer(\(id))"
        }.sorted()
        #expect(rows == expected)
        try await CompactTables.expectNoStrayFiles(table)
    }

    /// Two writers that both compact one bucket, which had no deletion vectors when they started: the second to commit
    /// would replace the first one's new index with its own.
    @Test func twoCompactingWritersOfOneBucketKeepEachOthersVectors() async throws {
        let table = try await CompactTables.make(["bucket": "1", "deletion-vectors.enabled": "true"])
        try await CompactTables.write(table, (0..<5_000).map { TestRow(dt: "a", id: $0, v: "old", n: $0) })
        _ = try await table.compact(full: true, commitUser: "setup")
        #expect(try await table.snapshots.latest()?.indexManifest == nil)
        var first = try await table.newWrite(commitUser: "first")
        var second = try await table.newWrite(commitUser: "second")
        try await first.write(try CompactTables.batch([TestRow(dt: "a", id: 3, v: "first", n: 3)], schema: table.schema), rowKinds: nil)
        try await second.write(try CompactTables.batch([TestRow(dt: "a", id: 7, v: "second", n: 7)], schema: table.schema), rowKinds: nil)
        let firstResult = try await table.commitWrite(try await first.prepareCommit(), commitUser: "first")
        #expect(firstResult.compactionError == nil)
        let secondResult = try await table.commitWrite(try await second.prepareCommit(), commitUser: "second")
        #expect(secondResult.append.snapshotId != nil)
        #expect(secondResult.compactionError?.message.contains("Deletion vector conflicts detected") == true,
                "\(String(describing: secondResult.compactionError))")
        let visible = try await CompactTables.read(table, allLevels: false)
        let counts = Dictionary(Self.keys(visible).map { ($0, 1) }, uniquingKeysWith: +)
        #expect(counts.values.allSatisfy { $0 == 1 }, "keys visible twice: \(counts.filter { $0.value > 1 }.keys.sorted())")
        #expect(visible.contains("string(\"a\")|integer(3)|string(\"first\")|integer(3)"))
        _ = try await table.compact(full: true, commitUser: "final")
        let rows = try await CompactTables.read(table, allLevels: false)
        #expect(rows.count == 5_000)
        #expect(rows.contains("string(\"a\")|integer(7)|string(\"second\")|integer(7)"))
        try await CompactTables.expectNoStrayFiles(table)
    }
}
