import Testing
import WeirColumnar
import WeirFileIO
import WeirPaimon
@testable import WeirTable

/// `changelog-producer=input`: every write-buffer flush also writes the raw input records (sorted by key and
/// sequence, not merged) as `changelog-…` files, committed in the snapshot's changelog manifest list; batch reads
/// are unaffected; ``FileStoreTable/readChanges(from:to:projection:filter:)`` returns the change stream.
@Suite struct InputChangelogTests {
    static func table(_ options: [String: String]) async throws -> FileStoreTable {
        try await DVTables.table(options: options)
    }

    static func write(_ table: FileStoreTable, _ rows: [(Int64, String?, RowKind)], identifier: Int64, chunk: Int = 1000) async throws -> CommitMessage {
        var write = try await table.newWrite(commitUser: "w")
        for start in stride(from: 0, to: rows.count, by: chunk) {
            let part = rows[start..<min(start + chunk, rows.count)]
            let values = try ModelRows.batch(part.map { [.integer($0.0), $0.1.map { .string($0) } ?? .null] }, type: table.schema.logicalRowType)
            try await write.write(values, rowKinds: part.map(\.2))
        }
        let message = try await write.prepareCommit()
        _ = try await table.commit(message, commitUser: "w", identifier: identifier)
        return message
    }

    /// The records of one data or changelog file as "kind seq k v", in file order.
    static func fileRecords(_ table: FileStoreTable, _ entry: ManifestEntry) async throws -> [String] {
        var context = try SplitReadContext(table: table, readSchema: table.schema)
        let split = DataSplit(partition: entry.partition, bucket: entry.bucket, totalBuckets: entry.totalBuckets, files: [entry.file])
        let reader = try await context.open(entry.file, in: split)
        return try await reader.readAll().flatMap(Self.records)
    }

    static func records(_ batch: KeyValueBatch) -> [String] {
        (0..<batch.rowCount).map { row in
            "\(batch.rowKinds[row].shortString) \(batch.sequenceNumbers[row]) \(ModelRows.text(batch.values.columns[0].value(at: row))) \(ModelRows.text(batch.values.columns[1].value(at: row)))"
        }
    }

    static let firstCommit: [(Int64, String?, RowKind)] = [
        (2, "b", .insert), (1, "a", .insert), (1, "a", .updateBefore), (1, "a2", .updateAfter), (3, "c", .insert), (2, "b", .delete),
    ]

    @Test func flushWritesRawSortedChangelogFiles() async throws {
        let table = try await Self.table(["bucket": "1", "changelog-producer": "input"])
        let message = try await Self.write(table, Self.firstCommit, identifier: 1)
        #expect(message.changelogFiles.count == 1 && message.newFiles.count == 1)
        let changelog = try #require(message.changelogFiles.first)
        #expect(changelog.file.fileName.hasPrefix("changelog-") && changelog.file.fileName.hasSuffix(".parquet"))
        #expect(changelog.file.level == 0 && changelog.file.rowCount == 6 && changelog.file.deleteRowCount == 2)
        // Same writer, same UUID and counter as the data file (Java's DataFilePathFactory).
        let dataName = message.newFiles[0].file.fileName
        #expect(dataName.dropFirst("data-".count).prefix(36) == changelog.file.fileName.dropFirst("changelog-".count).prefix(36))

        // Raw records by key, then sequence; the data file holds the merged result (retracts kept at level 0).
        #expect(try await Self.fileRecords(table, changelog) == [
            "+I 1 1 \"a\"", "-U 2 1 \"a\"", "+U 3 1 \"a2\"", "+I 0 2 \"b\"", "-D 5 2 \"b\"", "+I 4 3 \"c\"",
        ])
        #expect(try await Self.fileRecords(table, message.newFiles[0]) == ["+U 3 1 \"a2\"", "-D 5 2 \"b\"", "+I 4 3 \"c\""])

        // The snapshot lists it in its changelog manifest list.
        let snapshot = try #require(try await table.snapshots.latest())
        #expect(snapshot.changelogManifestList != nil && snapshot.changelogRecordCount == 6)
        let listed = try await SnapshotReader(io: table.io, paths: table.paths).changelogEntries(snapshot)
        #expect(listed.map(\.file.fileName) == [changelog.file.fileName])

        // Batch reads do not see changelog files: same rows as a table without the producer.
        let plain = try await Self.table(["bucket": "1"])
        let plainMessage = try await Self.write(plain, Self.firstCommit, identifier: 1)
        #expect(plainMessage.changelogFiles.isEmpty)
        #expect(try await SnapshotReader(io: plain.io, paths: plain.paths).changelogEntries(try #require(try await plain.snapshots.latest())).isEmpty)
        #expect(try await DVTables.rows(table) == DVTables.rows(plain))
        #expect(try await DVTables.rows(table) == ["(1, a2)", "(3, c)"])
    }

    @Test func everyFlushWritesItsOwnChangelogFiles() async throws {
        // write-only: this test counts the flushes' own files; compaction in the write path would add more.
        let table = try await Self.table(["bucket": "1", "changelog-producer": "input", "write-buffer-size": "1 kb",
                                          "write-buffer-spillable": "false", "write-only": "true"])
        var rows: [(Int64, String?, RowKind)] = []
        for i in 0..<400 { rows.append((Int64(i % 37), "value-\(i)", .insert)) }
        let message = try await Self.write(table, rows, identifier: 1, chunk: 10)
        #expect(message.changelogFiles.count > 1)
        #expect(message.changelogFiles.reduce(0) { $0 + $1.file.rowCount } == 400)
        #expect(message.changelogFiles.count == message.newFiles.count)
        // The stream in sequence order is the input in arrival order.
        let changes = try await table.readChanges(from: 1)
        #expect(changes.snapshots.count == 1 && changes.snapshots[0].records.sequenceNumbers == Array(0..<400))
        #expect(Self.records(changes.snapshots[0].records).prefix(2) == ["+I 0 0 \"value-0\"", "+I 1 1 \"value-1\""])
    }

    @Test func abortDeletesChangelogFiles() async throws {
        let table = try await Self.table(["bucket": "1", "changelog-producer": "input"])
        var write = try await table.newWrite(commitUser: "w")
        try await write.write(try ModelRows.batch([[.integer(1), .string("x")]], type: table.schema.logicalRowType))
        let message = try await write.prepareCommit()
        #expect(message.changelogFiles.count == 1)
        await write.abort()
        let directory = try table.paths.bucketDirectory(partitionPath: "", bucket: 0)
        #expect(try await table.io.listAll(directory, recursive: false).files.isEmpty)
    }

    @Test func changeStreamInSnapshotThenSequenceOrder() async throws {
        let table = try await Self.table(["bucket": "1", "changelog-producer": "input"])
        _ = try await Self.write(table, Self.firstCommit, identifier: 1)
        _ = try await Self.write(table, [(3, "c", .updateBefore), (3, "c3", .updateAfter), (4, "d", .insert)], identifier: 2)
        let all = try await table.readChanges(from: 1)
        #expect(all.snapshots.map(\.snapshotId) == [1, 2])
        #expect(all.snapshots.map { Self.records($0.records) } == [
            ["+I 0 2 \"b\"", "+I 1 1 \"a\"", "-U 2 1 \"a\"", "+U 3 1 \"a2\"", "+I 4 3 \"c\"", "-D 5 2 \"b\""],
            ["-U 6 3 \"c\"", "+U 7 3 \"c3\"", "+I 8 4 \"d\""],
        ])
        let fromTwo = try await table.readChanges(from: 2, projection: ["v"], filter: .compare(field: 0, .greater, .integer(3)))
        #expect(fromTwo.snapshots.map(\.snapshotId) == [2] && fromTwo.rowType.fieldNames == ["v"] && fromTwo.rowCount == 1)
        let rows = fromTwo.rows()
        #expect(rows.rowType.fieldNames == ["_kind", "v"] && ModelRows.rows(rows.batches) == [[.string("+I"), .string("d")]])
        #expect(try await table.readChanges(from: 9).rowCount == 0)
        #expect(try await table.readChanges(from: 1, to: 1).snapshots.map(\.snapshotId) == [1])
        await #expect(throws: TableError.self) { try await table.readChanges(from: 0) }

        // Several buckets: sequence numbers are per bucket; the stream of a snapshot is still in sequence order.
        let wide = try await Self.table(["bucket": "3", "changelog-producer": "input"])
        _ = try await Self.write(wide, (0..<30).map { (Int64($0), "v\($0)", RowKind.insert) }, identifier: 1)
        let records = try await wide.readChanges(from: 1).snapshots[0].records
        #expect(records.rowCount == 30)
        #expect(zip(records.sequenceNumbers, records.sequenceNumbers.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func withoutProducerTheStreamIsTheAppendDeltas() async throws {
        let table = try await Self.table(["bucket": "1"])
        _ = try await Self.write(table, Self.firstCommit, identifier: 1)
        _ = try await Self.write(table, [(1, nil, .delete)], identifier: 2)
        let changes = try await table.readChanges(from: 1)
        #expect(changes.snapshots.map { Self.records($0.records) } == [
            ["+U 3 1 \"a2\"", "+I 4 3 \"c\"", "-D 5 2 \"b\""],
            ["-D 6 1 null"],
        ])
        // COMPACT snapshots add nothing: commit the live files back as a "compaction" at level 1.
        let live = try await SnapshotReader(io: table.io, paths: table.paths).liveEntries(try #require(try await table.snapshots.latest()))
        let compacted = try await DVTables.keyedFile(table, [(3, "c")], level: 5, firstSequence: 7)
        _ = try await table.commit(CommitMessage(newFiles: [compacted], deletedFiles: live.map(CommitMessage.deletion)), commitUser: "w",
                                   identifier: 3, kind: .compact)
        let after = try await table.readChanges(from: 3)
        #expect(after.snapshots.count == 1 && after.snapshots[0].commitKind == .compact && after.rowCount == 0)
    }
}
