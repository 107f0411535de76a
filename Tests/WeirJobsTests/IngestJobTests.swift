import Foundation
import Testing
import WeirCluster
import WeirColumnar
import WeirFileIO
import WeirPaimon
import WeirParquet
import WeirTable
import WeirTestSupport
import WeirTextFormats
@testable import WeirJobs

/// The ingest job driven in-process, stage by stage (the cluster runtime is tested on its own): its result equals
/// a single-process write of the same inputs, repeated attempts change nothing, and the commit is exactly once.
@Suite struct IngestJobTests {
    static let schema = #"""
        {"fields": [{"name": "dt", "type": "STRING"}, {"name": "id", "type": "BIGINT"}, {"name": "v", "type": "STRING"}],
         "partitionKeys": ["dt"], "primaryKeys": ["dt", "id"], "options": {"bucket": "4"}}
        """#

    func makeTable(_ warehouse: Warehouse, _ name: String) async throws -> FileStoreTable {
        let doc = try SchemaDocument(parsing: Array(Self.schema.utf8))
        let schema = try TableSchema.create(columns: doc.rowType.fields.map { TableSchema.Column($0.name, $0.type) },
                                            partitionKeys: doc.partitionKeys, primaryKeys: doc.primaryKeys, options: doc.options, timeMillis: 1)
        try await warehouse.createDatabase("db")
        return try await warehouse.createTable(try TableIdentifier(parsing: "db.\(name)"), schema: schema)
    }

    /// Three inputs; later inputs update and delete keys of earlier ones, and keys repeat within a file.
    func writeInputs(_ dir: String) throws -> [String] {
        var files: [String] = []
        for f in 0..<3 {
            var lines: [String] = []
            for i in 0..<400 {
                let id = (i * 7 + f * 13) % 300
                let op = (f == 2 && i % 10 == 0) ? "-D" : "+I"
                lines.append(#"{"dt":"d\#(id % 3)","id":\#(id),"v":"f\#(f)-i\#(i)","_op":"\#(op)"}"#)
            }
            let path = dir + "/in-\(f).jsonl"
            try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
            files.append(path)
        }
        return files
    }

    func rows(_ table: FileStoreTable) async throws -> [String] {
        let fresh = try await FileStoreTable.open(io: table.io, root: table.paths.root)
        let result = try await fresh.read(try await fresh.plan(try await fresh.resolve(.latest)))
        var bytes: [UInt8] = []
        for batch in result.batches { JSONLinesFormat.write(batch, into: &bytes) }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init).sorted()
    }

    func context(_ job: String, _ task: String, _ scratch: String) -> TaskContext {
        TaskContext(jobId: job, taskId: task, attempt: 1, scratchDirectory: scratch, progress: { _, _, _, _ in }, isCancelled: { false })
    }

    /// Runs every stage's tasks with the executors (each task twice when `repeatEach`, keeping the second result; a
    /// stage's tasks last to first when `reversed`).
    func runJob(_ job: JobRecord, scratch: String, repeatEach: Bool = false, reversed: Bool = false) async throws -> (JobRecord, [TaskRecord]) {
        let driver = IngestDriver()
        let executors: [String: any TaskExecutor] = ["ingest-split": IngestSplitExecutor(), "ingest-write": IngestWriteExecutor(),
                                                     "ingest-direct": IngestDirectExecutor()]
        var done: [TaskRecord] = []
        var stage = 1
        while let planned = try await driver.plan(job: job, stage: stage, previous: done) {
            for task in reversed ? planned.reversed() : planned {
                var result = try await executors[task.kind]!.run(spec: task.spec, context: context(job.id, task.taskId, scratch))
                if repeatEach { result = try await executors[task.kind]!.run(spec: task.spec, context: context(job.id, task.taskId, scratch)) }
                done.append(TaskRecord(jobId: job.id, taskId: task.taskId, stage: stage, kind: task.kind, spec: task.spec, state: .succeeded,
                                       attempt: 1, workerId: "w", result: result, error: nil, rows: 0, bytes: 0, updatedMs: 0))
            }
            stage += 1
        }
        return (job, done)
    }

    @Test func clusterIngestEqualsASingleWriteAndCommitsOnce() async throws {
        let scratch = try Scratch("ingest-job"); defer { scratch.remove() }
        let root = try StoragePath(parsingLocalOrURI: scratch.path + "/wh", currentDirectory: "/")
        let warehouse = Warehouse(io: LocalFileIO(), root: root)
        let inputs = try writeInputs(scratch.path)

        // Reference: one process, one write, inputs in order.
        let single = try await makeTable(warehouse, "single")
        var write = try await single.newWrite(commitUser: "ref")
        for input in inputs {
            for batch in try await TableInput.read(io: LocalFileIO(), path: try StoragePath(parsingLocalOrURI: input, currentDirectory: "/"), schema: single.schema) {
                try await write.write(batch.values, rowKinds: batch.rowKinds)
            }
        }
        _ = try await single.commit(try await write.prepareCommit(), commitUser: "ref")

        let clustered = try await makeTable(warehouse, "clustered")
        let spec = JobDocuments.encode(IngestSpec(warehouse: root.description, table: "db.clustered", inputs: inputs))
        try await IngestDriver().validate(spec: spec)
        let job = JobRecord(id: "job-1", kind: "ingest", spec: spec, state: .running, stage: 1, commitUser: "job-1-user",
                            commitIdentifier: 42, createdMs: 0, updatedMs: 0, message: nil)
        let (_, tasks) = try await runJob(job, scratch: scratch.path, repeatEach: true)
        #expect(tasks.filter { $0.stage == 1 }.count == 3)
        #expect(tasks.filter { $0.stage == 2 }.count == 4, "one write task per bucket")
        let first = try await IngestDriver().commit(job: job, tasks: tasks)
        guard case .committed(let id, _) = first else { Issue.record("\(first)"); return }
        #expect(id == 1)
        #expect(try await IngestDriver().commit(job: job, tasks: tasks) == .alreadyCommitted(snapshotId: 1), "a replayed commit is a no-op")

        let expected = try await rows(single)
        #expect(expected.count > 250)
        #expect(try await rows(clustered) == expected)
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/wh/_weir_staging/job-1"), "staging removed after the commit")
    }

    /// `batch` cut into batches of `rows` rows (so a writer can close row groups between them).
    static func slices(_ batch: ColumnBatch, rows: Int) -> [ColumnBatch] {
        stride(from: 0, to: batch.rowCount, by: rows).map { start in
            let picked = (start..<min(start + rows, batch.rowCount)).map { Int32($0) }
            return BatchGather.gather([batch], schema: batch.schema, sources: [Int32](repeating: 0, count: picked.count), rows: picked)
        }
    }

    /// A Parquet input of many row groups is read by several split tasks (runs of row groups of at least
    /// `splitRowsMin` rows, in file order), and the result still equals a single write: later rows of the file
    /// win, deletes in later row groups apply, and a JSONL input after it still comes last.
    @Test func aParquetInputIsSplitByRowGroups() async throws {
        let scratch = try Scratch("ingest-job"); defer { scratch.remove() }
        let root = try StoragePath(parsingLocalOrURI: scratch.path + "/wh", currentDirectory: "/")
        let warehouse = Warehouse(io: LocalFileIO(), root: root)
        let fileType = RowType([DataField(id: 0, name: "dt", type: .string), DataField(id: 1, name: "id", type: DataType(.bigint)),
                                DataField(id: 2, name: "v", type: .string), DataField(id: 3, name: "_op", type: .string)])
        var builders = fileType.fields.map { ColumnBuilder(type: $0.type) }
        for i in 0..<6_000 {
            let id = (i * 7) % 2_000
            try builders[0].append(.string("d\(id % 3)"))
            try builders[1].append(.integer(Int64(id)))
            try builders[2].append(.string("p-\(i)"))
            try builders[3].append(.string(i > 4_000 && i % 9 == 0 ? "-D" : "+I"))
        }
        let parquet = scratch.path + "/in.parquet"
        let parquetPath = try StoragePath(parsingLocalOrURI: parquet, currentDirectory: "/")
        _ = try await ParquetFile.write(io: LocalFileIO(), path: parquetPath, schema: fileType,
                                        batches: Self.slices(ColumnBatch(schema: fileType, columns: builders.map { $0.finish() }), rows: 500),
                                        options: ParquetWriteOptions(rowGroupBytes: 8 << 10, pageRowCountMax: 500), overwrite: true)
        let reader = try await ParquetFileReader.open(io: LocalFileIO(), path: parquetPath)
        let groupRows = reader.rowGroups.map { Int($0.rowCount) }
        await reader.close()
        #expect(groupRows.count >= 4, "the input should have several row groups: \(groupRows)")
        let inputs = [parquet] + Array(try writeInputs(scratch.path).prefix(1))

        let single = try await makeTable(warehouse, "single")
        var write = try await single.newWrite(commitUser: "ref")
        for input in inputs {
            for batch in try await TableInput.read(io: LocalFileIO(), path: try StoragePath(parsingLocalOrURI: input, currentDirectory: "/"), schema: single.schema) {
                try await write.write(batch.values, rowKinds: batch.rowKinds)
            }
        }
        _ = try await single.commit(try await write.prepareCommit(), commitUser: "ref")

        let clustered = try await makeTable(warehouse, "clustered")
        let rowsMin = 1_500
        let spec = JobDocuments.encode(IngestSpec(warehouse: root.description, table: "db.clustered", inputs: inputs, splitRowsMin: rowsMin))
        try await IngestDriver().validate(spec: spec)
        let job = JobRecord(id: "job-2", kind: "ingest", spec: spec, state: .running, stage: 1, commitUser: "job-2-user",
                            commitIdentifier: 7, createdMs: 0, updatedMs: 0, message: nil)
        let (_, tasks) = try await runJob(job, scratch: scratch.path)
        // The expected runs, from the row counts the file reports.
        var runs = 0, pending = 0
        for (index, count) in groupRows.enumerated() {
            pending += count
            if pending >= rowsMin || index == groupRows.count - 1 { runs += 1; pending = 0 }
        }
        #expect(runs >= 2)
        #expect(tasks.filter { $0.stage == 1 }.count == runs + 1, "one split task per run of row groups, one for the JSONL file")
        guard case .committed = try await IngestDriver().commit(job: job, tasks: tasks) else { Issue.record("no commit"); return }
        let expected = try await rows(single)
        #expect(expected.count > 1_000)
        #expect(try await rows(clustered) == expected)
    }

    @Test func badInputFailsTheSplitTaskForGood() async throws {
        let scratch = try Scratch("ingest-job"); defer { scratch.remove() }
        let root = try StoragePath(parsingLocalOrURI: scratch.path + "/wh", currentDirectory: "/")
        _ = try await makeTable(Warehouse(io: LocalFileIO(), root: root), "t")
        try #"{"dt":"a","id":"x"}"#.write(toFile: scratch.path + "/bad.jsonl", atomically: true, encoding: .utf8)
        let spec = JobDocuments.encode(IngestSpec(warehouse: root.description, table: "db.t", inputs: [scratch.path + "/bad.jsonl"]))
        let job = JobRecord(id: "j", kind: "ingest", spec: spec, state: .running, stage: 1, commitUser: "u", commitIdentifier: 1,
                            createdMs: 0, updatedMs: 0, message: nil)
        let task = try await IngestDriver().plan(job: job, stage: 1, previous: [])![0]
        do {
            _ = try await IngestSplitExecutor().run(spec: task.spec, context: context("j", task.taskId, scratch.path))
            Issue.record("bad input was accepted")
        } catch let failure as TaskFailure {
            #expect(!failure.retryable && failure.message.contains("line 1: column id"), "\(failure.message)")
        }
        let missing = JobDocuments.encode(IngestSpec(warehouse: root.description, table: "db.t", inputs: [scratch.path + "/nope.jsonl"]))
        await #expect(throws: TaskFailure.self) { try await IngestDriver().validate(spec: missing) }
        let noTable = JobDocuments.encode(IngestSpec(warehouse: root.description, table: "db.nope", inputs: [scratch.path + "/bad.jsonl"]))
        await #expect(throws: TaskFailure.self) { try await IngestDriver().validate(spec: noTable) }
    }
}
