import Testing
import WeirColumnar
import WeirFileIO
import WeirPaimon
@testable import WeirTable

/// Tables and DV helpers shared by the deletion-vector tests.
enum DVTables {
    static func table(options: [String: String], primaryKeys: [String] = ["k"], partitionKeys: [String] = [],
                      io: any FileIO = MemoryFileIO(), root: String? = nil) async throws -> FileStoreTable {
        let warehouse = Warehouse(io: io, root: try StoragePath(parsingLocalOrURI: root ?? "memory://dv\(UInt32.random(in: 0...UInt32.max))/wh",
                                                                currentDirectory: "/"))
        var columns = [TableSchema.Column("k", DataType(.bigint, nullable: false)), TableSchema.Column("v", DataType.string)]
        if !partitionKeys.isEmpty { columns.append(TableSchema.Column("p", DataType.string.nullable(false))) }
        let schema = try TableSchema.create(columns: columns, partitionKeys: partitionKeys, primaryKeys: primaryKeys,
                                            options: options, timeMillis: 1_700_000_000_000)
        try await warehouse.createDatabase("db")
        return try await warehouse.createTable(try TableIdentifier(database: "db", table: "t"), schema: schema)
    }

    /// A primary-key data file at `level` of bucket `bucket` holding `rows` (key order) with sequence numbers
    /// from `firstSequence`, as a compaction would have written it.
    static func keyedFile(_ table: FileStoreTable, _ rows: [(Int64, String)], level: Int32, firstSequence: Int64,
                          bucket: Int32 = 0) async throws -> ManifestEntry {
        let directory = try table.paths.bucketDirectory(partitionPath: "", bucket: bucket)
        let writer = try KeyValueFileWriter(io: table.io, directory: directory, schema: table.schema, level: level,
                                            fileSource: level == 0 ? .append : .compact)
        let values = try ModelRows.batch(rows.map { [.integer($0.0), .string($0.1)] }, type: table.schema.logicalRowType)
        try await writer.write(KeyValueBatch(sequenceNumbers: rows.indices.map { firstSequence + Int64($0) },
                                             rowKinds: Array(repeating: .insert, count: rows.count), values: values))
        let file = try #require(try await writer.close().first)
        return ManifestEntry(kind: .add, partition: .emptyRow, bucket: bucket, totalBuckets: table.schema.numBuckets, file: file)
    }

    /// Every row of a read, as (k, v) text sorted.
    static func rows(_ table: FileStoreTable, _ selector: SnapshotSelector = .latest, allLevels: Bool = false) async throws -> [String] {
        let plan = try await table.plan(try await table.resolve(selector), allLevels: allLevels)
        return ModelRows.rows(try await table.read(plan).batches).map { row in
            guard case .integer(let k) = row[0] else { return "?" }
            if case .string(let v) = row[1] { return "(\(k), \(v))" }
            return "(\(k), null)"
        }.sorted()
    }
}

/// Reads skip the rows deletion vectors mark: raw reads of a DV table's levels ≥ 1, merged reads (a deleted
/// record never reaches the merge function), append tables, both vector variants; time travel sees the vectors of
/// its snapshot; tables without `deletion-vectors.enabled` ignore index files, as Java does.
@Suite struct DeletionVectorReadTests {
    /// Level 5: keys 1...10 ("a1"…); level 4: keys 3 and 5 ("b3", "b5"), newer.
    static func twoLevels(_ table: FileStoreTable) async throws -> (a: ManifestEntry, b: ManifestEntry) {
        let a = try await DVTables.keyedFile(table, (1...10).map { ($0, "a\($0)") }, level: 5, firstSequence: 0)
        let b = try await DVTables.keyedFile(table, [(3, "b3"), (5, "b5")], level: 4, firstSequence: 10)
        return (a, b)
    }

    @Test(arguments: [DeletionVector.Format.bitmap32, .bitmap64])
    func rawAndMergedReadsSkipDeletedPositions(_ format: DeletionVector.Format) async throws {
        let table = try await DVTables.table(options: ["bucket": "1", "deletion-vectors.enabled": "true",
                                                       "deletion-vectors.bitmap64": format == .bitmap64 ? "true" : "false"])
        let (a, b) = try await Self.twoLevels(table)
        _ = try await table.commit(CommitMessage(newFiles: [a, b]), commitUser: "u", identifier: 1, kind: .compact)
        // Without vectors the raw read of the two levels shows keys 3 and 5 twice (the vectors are what makes it right).
        #expect(try await DVTables.rows(table).count == 12)

        // Key 5 of level 5 is superseded by level 4 (position 4 of A); B's key 3 (position 0) is deleted outright.
        var maintainer = DeletionVectorsMaintainer(partition: .emptyRow, bucket: 0, format: format)
        try maintainer.notifyNewDeletion(fileName: a.file.fileName, position: 4)
        try maintainer.notifyNewDeletion(fileName: b.file.fileName, position: 0)
        let changes = try await maintainer.prepareCommit(io: table.io, paths: table.paths)
        _ = try await table.commit(CommitMessage(newIndexFiles: changes.newIndexFiles), commitUser: "u", identifier: 2, kind: .compact)
        let expectedRaw = ((1...10).filter { $0 != 5 }.map { "(\($0), a\($0))" } + ["(5, b5)"]).sorted()
        #expect(try await DVTables.rows(table) == expectedRaw)
        let plan = try await table.plan(try await table.resolve(.latest))
        #expect(plan.splits.count == 1 && Set(plan.splits[0].deletionFiles.keys) == [a.file.fileName, b.file.fileName])
        #expect(plan.splits[0].deletionFiles[a.file.fileName]?.cardinality == 1)

        // Add a level-0 file (key 5 → "c5", key 11 → "c11"): invisible to the batch scan, merged with allLevels.
        // Key 3: B's newer "b3" is deleted, so the older "a3" wins the merge — the deleted record never reached it.
        let c = try await DVTables.keyedFile(table, [(5, "c5"), (11, "c11")], level: 0, firstSequence: 20)
        _ = try await table.commit(CommitMessage(newFiles: [c]), commitUser: "u", identifier: 3)
        #expect(try await DVTables.rows(table) == expectedRaw)
        let merged = ((1...10).filter { $0 != 5 }.map { "(\($0), a\($0))" } + ["(5, c5)", "(11, c11)"]).sorted()
        #expect(try await DVTables.rows(table, allLevels: true) == merged)

        // Time travel: snapshot 1 had no vectors.
        #expect(try await DVTables.rows(table, .id(1)).count == 12)
    }

    @Test func appendTableSkipsDeletedRows() async throws {
        let table = try await DVTables.table(options: ["deletion-vectors.enabled": "true", "target-file-size": "1 mb"], primaryKeys: [])
        var write = try await table.newWrite(commitUser: "w")
        try await write.write(try ModelRows.batch((0..<10).map { [.integer(Int64($0)), .string("r\($0)")] }, type: table.schema.logicalRowType))
        let message = try await write.prepareCommit()
        _ = try await table.commit(message, commitUser: "w", identifier: 1)
        let file = try #require(message.newFiles.first)
        var maintainer = DeletionVectorsMaintainer(partition: file.partition, bucket: file.bucket)
        for position: Int64 in [0, 5, 9] { try maintainer.notifyNewDeletion(fileName: file.file.fileName, position: position) }
        let changes = try await maintainer.prepareCommit(io: table.io, paths: table.paths)
        _ = try await table.commit(CommitMessage(newIndexFiles: changes.newIndexFiles), commitUser: "w", identifier: 2)
        #expect(try await DVTables.rows(table) == [1, 2, 3, 4, 6, 7, 8].map { "(\($0), r\($0))" }.sorted())

        // The same on a table without the option: the vectors are not applied (Java reads vectors only when enabled).
        let plain = try await DVTables.table(options: ["target-file-size": "1 mb"], primaryKeys: [])
        write = try await plain.newWrite(commitUser: "w")
        try await write.write(try ModelRows.batch((0..<10).map { [.integer(Int64($0)), .string("r\($0)")] }, type: plain.schema.logicalRowType))
        let plainMessage = try await write.prepareCommit()
        _ = try await plain.commit(plainMessage, commitUser: "w", identifier: 1)
        let plainFile = try #require(plainMessage.newFiles.first)
        var plainMaintainer = DeletionVectorsMaintainer(partition: plainFile.partition, bucket: plainFile.bucket)
        try plainMaintainer.notifyNewDeletion(fileName: plainFile.file.fileName, position: 0)
        let plainChanges = try await plainMaintainer.prepareCommit(io: plain.io, paths: plain.paths)
        _ = try await plain.commit(CommitMessage(newIndexFiles: plainChanges.newIndexFiles), commitUser: "w", identifier: 2)
        #expect(try await DVTables.rows(plain).count == 10)
    }

    @Test func corruptVectorFailsTheRead() async throws {
        let table = try await DVTables.table(options: ["bucket": "1", "deletion-vectors.enabled": "true"])
        let (a, b) = try await Self.twoLevels(table)
        var maintainer = DeletionVectorsMaintainer(partition: .emptyRow, bucket: 0)
        try maintainer.notifyNewDeletion(fileName: a.file.fileName, position: 4)
        let changes = try await maintainer.prepareCommit(io: table.io, paths: table.paths)
        _ = try await table.commit(CommitMessage(newFiles: [a, b], newIndexFiles: changes.newIndexFiles), commitUser: "u", identifier: 1, kind: .compact)
        let path = try table.paths.index(changes.newIndexFiles[0].indexFile.fileName)
        var bytes = try await table.io.readAll(path)
        bytes[bytes.count - 1] ^= 0x55  // the CRC
        try await table.io.write(path, bytes, overwrite: true)
        do {
            _ = try await DVTables.rows(table)
            Issue.record("read through a corrupt deletion vector")
        } catch let error as TableError {
            #expect(error.kind == .corrupt && error.description.contains("CRC32"), "\(error)")
        }
    }
}
