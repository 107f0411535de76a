import Foundation
import Testing
import WeirCluster
import WeirColumnar
import WeirFileIO
import WeirPaimon
import WeirParquet
import WeirTable
import WeirTestSupport
@testable import WeirJobs

/// The direct ingest mode: tasks write consecutive row groups straight to level-0 files numbered by position, and
/// the merged rows still equal one process writing the inputs in order, whatever order the tasks ran in.
@Suite struct DirectIngestTests {
    let support = IngestJobTests()
    static let fileType = RowType([DataField(id: 0, name: "dt", type: .string), DataField(id: 1, name: "id", type: DataType(.bigint)),
                                   DataField(id: 2, name: "v", type: .string), DataField(id: 3, name: "_op", type: .string)])

    /// A Parquet input of `rows` rows in row groups of 500: keys repeat within and across files, later rows delete some.
    static func writeParquet(_ path: String, file: Int, rows: Int) async throws {
        var builders = fileType.fields.map { ColumnBuilder(type: $0.type) }
        for i in 0..<rows {
            let id = (i * 7 + file * 11) % 1_700
            try builders[0].append(.string("d\(id % 3)"))
            try builders[1].append(.integer(Int64(id)))
            try builders[2].append(.string("f\(file)-\(i)"))
            try builders[3].append(.string(i > rows / 2 && i % 9 == 0 ? "-D" : "+I"))
        }
        _ = try await ParquetFile.write(io: LocalFileIO(), path: try StoragePath(parsingLocalOrURI: path, currentDirectory: "/"), schema: fileType,
                                        batches: IngestJobTests.slices(ColumnBatch(schema: fileType, columns: builders.map { $0.finish() }), rows: 500),
                                        options: ParquetWriteOptions(rowGroupBytes: 8 << 10, pageRowCountMax: 500), overwrite: true)
    }

    /// One ordinary write of every input in order, committed (under a commit user of its own: a repeated
    /// (user, identifier) would be taken for a replay).
    func writeInOneProcess(_ table: FileStoreTable, _ inputs: [String]) async throws {
        let user = "ref-\(UUID().uuidString)"
        var write = try await table.newWrite(commitUser: user)
        for input in inputs {
            for batch in try await TableInput.read(io: LocalFileIO(), path: try StoragePath(parsingLocalOrURI: input, currentDirectory: "/"), schema: table.schema) {
                try await write.write(batch.values, rowKinds: batch.rowKinds)
            }
        }
        _ = try await table.commit(try await write.prepareCommit(), commitUser: user)
    }

    @Test func directTasksWriteLevelZeroByPositionLikeOneProcess() async throws {
        let scratch = try Scratch("direct-ingest"); defer { scratch.remove() }
        let root = try StoragePath(parsingLocalOrURI: scratch.path + "/wh", currentDirectory: "/")
        let warehouse = Warehouse(io: LocalFileIO(), root: root)
        let inputs = [scratch.path + "/a.parquet", scratch.path + "/b.parquet"]
        try await Self.writeParquet(inputs[0], file: 0, rows: 6_000)
        try await Self.writeParquet(inputs[1], file: 1, rows: 4_500)
        // Both tables already hold rows of the same keys: the ingest's rows must be newer than all of them.
        let earlier = Array(try support.writeInputs(scratch.path).prefix(2))
        let single = try await support.makeTable(warehouse, "single")
        try await writeInOneProcess(single, earlier)
        try await writeInOneProcess(single, inputs)
        let clustered = try await support.makeTable(warehouse, "clustered")
        try await writeInOneProcess(clustered, earlier)
        let base = try await clustered.nextSequenceNumber()
        #expect(base > 0)

        let spec = JobDocuments.encode(IngestSpec(warehouse: root.description, table: "db.clustered", inputs: inputs, splitRowsMin: 1_000))
        try await IngestDriver().validate(spec: spec)
        let job = JobRecord(id: "job-d", kind: "ingest", spec: spec, state: .running, stage: 1, commitUser: "job-d-user",
                            commitIdentifier: 3, createdMs: 0, updatedMs: 0, message: nil)
        let (_, tasks) = try await support.runJob(job, scratch: scratch.path, repeatEach: true, reversed: true)
        #expect(tasks.allSatisfy { $0.kind == "ingest-direct" && $0.stage == 1 })
        #expect(tasks.count == 4, "num-sorted-run.compaction-trigger (5) − 1 tasks: \(tasks.map(\.taskId))")
        // The tasks' parts cover positions 0 ..< 10,500 once, in order, with shares differing by at most a row group.
        let specs = try tasks.sorted { $0.taskId < $1.taskId }.map { try JobDocuments.decode(IngestDirectSpec.self, $0.spec, what: "spec") }
        let parts = specs.flatMap(\.parts)
        #expect(parts.map(\.firstPosition) == zip(parts.indices, parts).map { i, _ in parts[..<i].reduce(0) { $0 + $1.rows } })
        #expect(parts.reduce(0) { $0 + $1.rows } == 10_500)
        let shares = specs.map { $0.parts.reduce(0) { $0 + $1.rows } }
        var groupRowsMax: Int64 = 0
        for input in inputs {
            let reader = try await ParquetFileReader.open(io: LocalFileIO(), path: try StoragePath(parsingLocalOrURI: input, currentDirectory: "/"))
            groupRowsMax = max(groupRowsMax, reader.rowGroups.map(\.rowCount).max() ?? 0)
            await reader.close()
        }
        #expect(shares.max()! - shares.min()! <= 2 * groupRowsMax, "\(shares), row groups of up to \(groupRowsMax) rows")
        #expect(specs.allSatisfy { $0.sequenceBase == base })

        guard case .committed(let id, _) = try await IngestDriver().commit(job: job, tasks: tasks) else { Issue.record("no commit"); return }
        // Level-0 files only, numbered within base ..< base + 10,500; up to one sorted run per task in a bucket.
        let fresh = try await FileStoreTable.open(io: clustered.io, root: clustered.paths.root)
        let snapshot = try await fresh.snapshots.snapshot(id)
        #expect(snapshot.commitKind == .append)
        let added = try await SnapshotReader(io: fresh.io, paths: fresh.paths).deltaEntries(snapshot)
        #expect(!added.isEmpty && added.allSatisfy { $0.file.level == 0 })
        #expect(added.allSatisfy { $0.file.minSequenceNumber >= base && $0.file.maxSequenceNumber < base + 10_500 })
        let expected = try await support.rows(single)
        #expect(expected.count > 1_000)
        let got = try await support.rows(clustered)
        #expect(got == expected, "\(got.count) rows, \(expected.count) expected; first difference: \(String(describing: zip(got, expected).first { $0 != $1 }))")
        // A later compaction merges the runs to the same rows.
        _ = try await fresh.compact(full: true, commitUser: "compactor")
        #expect(try await support.rows(fresh) == expected)
    }

    @Test func shuffleModeGivesTheSameRows() async throws {
        let scratch = try Scratch("direct-ingest"); defer { scratch.remove() }
        let root = try StoragePath(parsingLocalOrURI: scratch.path + "/wh", currentDirectory: "/")
        let warehouse = Warehouse(io: LocalFileIO(), root: root)
        let inputs = [scratch.path + "/a.parquet"]
        try await Self.writeParquet(inputs[0], file: 0, rows: 3_000)
        var results: [[String]] = []
        for mode in ["direct", "shuffle"] {
            let table = try await support.makeTable(warehouse, mode)
            let spec = JobDocuments.encode(IngestSpec(warehouse: root.description, table: "db.\(mode)", inputs: inputs, splitRowsMin: 1_000, mode: mode))
            let job = JobRecord(id: "job-\(mode)", kind: "ingest", spec: spec, state: .running, stage: 1, commitUser: "u-\(mode)",
                                commitIdentifier: 1, createdMs: 0, updatedMs: 0, message: nil)
            let (_, tasks) = try await support.runJob(job, scratch: scratch.path)
            #expect(Set(tasks.map(\.kind)) == (mode == "direct" ? ["ingest-direct"] : ["ingest-split", "ingest-write"]))
            guard case .committed = try await IngestDriver().commit(job: job, tasks: tasks) else { Issue.record("no commit"); return }
            results.append(try await support.rows(table))
        }
        #expect(results[0].count > 500 && results[0] == results[1])
    }

    @Test func directModeIsRefusedWhereItCannotWork() async throws {
        let scratch = try Scratch("direct-ingest"); defer { scratch.remove() }
        let root = try StoragePath(parsingLocalOrURI: scratch.path + "/wh", currentDirectory: "/")
        let warehouse = Warehouse(io: LocalFileIO(), root: root)
        let table = try await support.makeTable(warehouse, "t")
        let jsonl = try support.writeInputs(scratch.path)[0]
        let parquet = scratch.path + "/a.parquet"
        try await Self.writeParquet(parquet, file: 0, rows: 600)
        func refusal(_ spec: IngestSpec) async -> String {
            do { try await IngestDriver().validate(spec: JobDocuments.encode(spec)); return "accepted" } catch let failure as TaskFailure {
                return failure.retryable ? "retryable: \(failure.message)" : failure.message
            } catch { return "\(error)" }
        }
        #expect(await refusal(IngestSpec(warehouse: root.description, table: "db.t", inputs: [parquet, jsonl], mode: "direct")).contains("must be Parquet"))
        #expect(await refusal(IngestSpec(warehouse: root.description, table: "db.t", inputs: [parquet], mode: "sideways")).contains("use auto, direct or shuffle"))
        #expect(await refusal(IngestSpec(warehouse: root.description, table: "db.t", inputs: [parquet], mode: "direct")) == "accepted")
        // A deletion-vector table shows level-0 rows only after lookup compaction, which direct tasks do not do.
        let dv = try TableSchema.create(columns: table.schema.fields.map { TableSchema.Column($0.name, $0.type) }, partitionKeys: ["dt"],
                                        primaryKeys: ["dt", "id"], options: ["bucket": "2", "deletion-vectors.enabled": "true"], timeMillis: 1)
        _ = try await warehouse.createTable(try TableIdentifier(parsing: "db.dv"), schema: dv)
        #expect(await refusal(IngestSpec(warehouse: root.description, table: "db.dv", inputs: [parquet], mode: "direct")).contains("lookup compaction"))
        let auto = JobRecord(id: "j", kind: "ingest", spec: JobDocuments.encode(IngestSpec(warehouse: root.description, table: "db.dv", inputs: [parquet])),
                             state: .running, stage: 1, commitUser: "u", commitIdentifier: 1, createdMs: 0, updatedMs: 0, message: nil)
        #expect(try await IngestDriver().plan(job: auto, stage: 1, previous: [])?.allSatisfy { $0.kind == "ingest-split" } == true, "auto falls back to shuffle")
        // The positioned write itself: positions are all or nothing, and append tables are refused.
        var positioned = try await table.newPositionedWrite(commitUser: "u", sequenceBase: 0)
        let batch = ColumnBatch(schema: table.schema.logicalRowType, columns: [ColumnBuilder(type: .string), ColumnBuilder(type: DataType(.bigint, nullable: false)),
                                                                               ColumnBuilder(type: .string)].enumerated().map { i, b in
            var b = b
            try! b.append(i == 1 ? .integer(1) : .string("x"))
            return b.finish()
        })
        await #expect(throws: TableError.self) { try await positioned.write(batch) }
        var ordinary = try await table.newWrite(commitUser: "u")
        await #expect(throws: TableError.self) { try await ordinary.write(batch, firstPosition: 0) }
        await positioned.abort()
        await ordinary.abort()
        let append = try TableSchema.create(columns: [TableSchema.Column("x", .string)], partitionKeys: [], primaryKeys: [], options: ["bucket": "1", "bucket-key": "x"], timeMillis: 1)
        let appendTable = try await warehouse.createTable(try TableIdentifier(parsing: "db.log"), schema: append)
        await #expect(throws: TableError.self) { _ = try await appendTable.newPositionedWrite(commitUser: "u", sequenceBase: 0) }
    }
}
