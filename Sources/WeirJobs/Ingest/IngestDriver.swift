import WeirCluster
import WeirColumnar
import WeirPaimon
import WeirParquet
import WeirTable

/// The `ingest` job, in one of two modes (``IngestMode``):
///
/// - direct: one stage of `ingest-direct` tasks, each taking consecutive row groups of the inputs (balanced by
///   rows, at most ``IngestMode/directTasksMax(_:)`` tasks of at least ``IngestSpec/splitRowsMin`` rows) and
///   writing them as level-0 files numbered by position;
/// - shuffle: stage 1 splits every input file into write groups (one `ingest-split` task per input, or per run of
///   row groups of a Parquet input holding at least ``IngestSpec/splitRowsMin`` rows, in input order), stage 2
///   writes each non-empty group (one `ingest-write` task per group, its buckets written by one task so their rows
///   keep input order and their sequence numbers one order).
///
/// Then the coordinator commits all files as one APPEND snapshot with the job's commit user and identifier —
/// exactly once: a repeated commit is recognised. The merged rows equal `weir table write` of the same inputs in
/// one process.
public struct IngestDriver: JobDriver {
    public init() {}
    public var kind: String { "ingest" }

    public func validate(spec: [UInt8]) async throws {
        let s = try JobDocuments.decode(IngestSpec.self, spec, what: "ingest spec")
        guard !s.inputs.isEmpty else { throw TaskFailure("an ingest needs at least one input", retryable: false) }
        if let n = s.writeTasks, !(1...IngestSpec.writeTasksMax).contains(n) {
            throw TaskFailure("writeTasks must be in 1...\(IngestSpec.writeTasksMax)", retryable: false)
        }
        if let n = s.splitRowsMin, n < 1 { throw TaskFailure("splitRowsMin must be at least 1", retryable: false) }
        if let f = s.format, TableInput.Format(rawValue: f) == nil { throw TaskFailure("format \(f): use jsonl, csv or parquet", retryable: false) }
        let table: FileStoreTable
        do {
            table = try await WarehouseAccess.table(warehouse: s.warehouse, s.table)
            _ = try table.assignBuckets(ColumnBatchOfNothing.for(table.schema))
        } catch let error as TableError {
            throw error.taskFailure
        }
        for input in s.inputs {
            let (io, path) = try WarehouseAccess.path(input)
            guard (try? await io.exists(path)) == true else { throw TaskFailure("input \(input) does not exist", retryable: false) }
        }
        _ = try IngestMode.choose(s.mode, table: table, formats: try await Self.formats(s))
    }

    /// Each input's format: the spec's, or detected from the file's magic or extension.
    static func formats(_ s: IngestSpec) async throws -> [TableInput.Format] {
        if let chosen = s.format.flatMap(TableInput.Format.init(rawValue:)) { return s.inputs.map { _ in chosen } }
        var formats: [TableInput.Format] = []
        for input in s.inputs { formats.append(try await detect(input)) }
        return formats
    }

    static func detect(_ input: String) async throws -> TableInput.Format {
        let (io, path) = try WarehouseAccess.path(input)
        return try await taskFailing { () async throws(TableError) in try await TableInput.detect(io: io, path: path) }
    }

    public func plan(job: JobRecord, stage: Int, previous: [TaskRecord]) async throws -> [PlannedTask]? {
        let s = try JobDocuments.decode(IngestSpec.self, job.spec, what: "ingest spec")
        let table: FileStoreTable
        do { table = try await WarehouseAccess.table(warehouse: s.warehouse, s.table) } catch let error as TableError { throw error.taskFailure }
        let groups = s.writeTasks ?? (table.schema.numBuckets > 0 ? min(Int(table.schema.numBuckets), IngestSpec.writeTasksMax) : 1)
        let staging = IngestStaging.location(warehouse: s.warehouse, jobId: job.id)
        if previous.contains(where: { $0.kind == IngestDirectExecutor().kind }) { return nil }
        switch stage {
        case 1:
            let formats = try await Self.formats(s)
            if try IngestMode.choose(s.mode, table: table, formats: formats) == .direct {
                return try await Self.directTasks(s, job: job, table: table)
            }
            var tasks: [PlannedTask] = []
            for (input, format) in zip(s.inputs, formats) {
                for rowGroups in try await Self.parts(of: input, format: format, rowsMin: s.splitRowsMin ?? IngestSpec.splitRowsDefault) {
                    let index = tasks.count
                    tasks.append(PlannedTask(taskId: String(format: "split-%05d", index), kind: "ingest-split", spec: JobDocuments.encode(IngestSplitSpec(
                        warehouse: s.warehouse, table: s.table, schemaId: table.schema.id, input: input, format: s.format, rowGroups: rowGroups,
                        opColumn: s.opColumn ?? TableInput.defaultOpColumn, splitIndex: index, groups: groups, staging: staging))))
                }
            }
            return tasks
        case 2:
            var splitsOfGroup: [Int: [Int]] = [:]
            for task in previous where task.stage == 1 {
                guard let result = task.result, let index = Int(task.taskId.dropFirst("split-".count)) else { continue }
                let r = try JobDocuments.decode(IngestSplitResult.self, result, what: "result of \(task.taskId)")
                for (group, rows) in r.rowsByGroup where rows > 0 { splitsOfGroup[group, default: []].append(index) }
            }
            return splitsOfGroup.keys.sorted().map { group in
                PlannedTask(taskId: String(format: "write-%05d", group), kind: "ingest-write", spec: JobDocuments.encode(IngestWriteSpec(
                    warehouse: s.warehouse, table: s.table, schemaId: table.schema.id, staging: staging, group: group,
                    splits: splitsOfGroup[group]!.sorted(), commitUser: job.commitUser)))
            }
        default:
            return nil
        }
    }

    /// The direct tasks: every row group of every input in order, with its first row's position; task `t` takes
    /// the row groups from the first boundary at or past `t × total / tasks` to the next, so a task's rows differ
    /// from an even share by less than a row group. The sequence base is the table's next sequence number now.
    static func directTasks(_ s: IngestSpec, job: JobRecord, table: FileStoreTable) async throws -> [PlannedTask] {
        var groups: [(input: String, index: Int, rows: Int64)] = []
        for input in s.inputs {
            let (io, path) = try WarehouseAccess.path(input)
            let reader: ParquetFileReader
            do { reader = try await ParquetFileReader.open(io: io, path: path) } catch {
                throw TaskFailure("input \(input): \(error)", retryable: false)
            }
            for (index, group) in reader.rowGroups.enumerated() where group.rowCount > 0 { groups.append((input, index, group.rowCount)) }
            await reader.close()
        }
        let total = groups.reduce(0) { $0 + $1.rows }
        let rowsMin = Int64(s.splitRowsMin ?? IngestSpec.splitRowsDefault)
        let taskCount = Int(max(1, min(Int64(IngestMode.directTasksMax(table)), total / rowsMin, Int64(groups.count))))
        let base = try await taskFailing { () async throws(TableError) in try await table.nextSequenceNumber() }
        var partsOfTask: [[IngestDirectSpec.Part]] = [[]]
        var position: Int64 = 0, taskRows: Int64 = 0
        for (input, index, rows) in groups {
            // Task t ends at the first row group boundary at or past (t + 1) × total / tasks.
            if taskRows > 0, position >= Int64(partsOfTask.count) * total / Int64(taskCount) {
                partsOfTask.append([])
                taskRows = 0
            }
            if let last = partsOfTask[partsOfTask.count - 1].last, last.input == input, let range = last.rowGroups, range.upperBound == index {
                partsOfTask[partsOfTask.count - 1][partsOfTask[partsOfTask.count - 1].count - 1].rowGroups = range.lowerBound..<(index + 1)
                partsOfTask[partsOfTask.count - 1][partsOfTask[partsOfTask.count - 1].count - 1].rows += rows
            } else {
                partsOfTask[partsOfTask.count - 1].append(IngestDirectSpec.Part(input: input, rowGroups: index..<(index + 1), firstPosition: position, rows: rows))
            }
            position += rows
            taskRows += rows
        }
        let opColumn = s.opColumn ?? TableInput.defaultOpColumn
        return partsOfTask.filter { !$0.isEmpty }.enumerated().map { number, parts in
            let spec = IngestDirectSpec(warehouse: s.warehouse, table: s.table, schemaId: table.schema.id, parts: parts, opColumn: opColumn,
                                        sequenceBase: base, commitUser: job.commitUser)
            return PlannedTask(taskId: String(format: "direct-%05d", number), kind: IngestDirectExecutor().kind, spec: JobDocuments.encode(spec))
        }
    }

    /// The parts of an input of `format` that split tasks read: runs of consecutive row groups of a Parquet file
    /// holding at least `rowsMin` rows each (the last run may hold fewer), or the whole file (nil) for JSONL and CSV
    /// and for a Parquet file of at most one run. Reads only the footer.
    static func parts(of input: String, format: TableInput.Format, rowsMin: Int) async throws -> [Range<Int>?] {
        guard format == .parquet else { return [nil] }
        let (io, path) = try WarehouseAccess.path(input)
        let reader: ParquetFileReader
        do { reader = try await ParquetFileReader.open(io: io, path: path) } catch {
            throw TaskFailure("input \(input): \(error)", retryable: false)
        }
        let rowCounts = reader.rowGroups.map { Int($0.rowCount) }
        await reader.close()
        var parts: [Range<Int>] = []
        var start = 0, rows = 0
        for (index, count) in rowCounts.enumerated() {
            rows += count
            if rows >= rowsMin || index == rowCounts.count - 1 {
                parts.append(start..<(index + 1))
                start = index + 1
                rows = 0
            }
        }
        return parts.count > 1 ? parts.map { Optional($0) } : [nil]
    }

    public func commit(job: JobRecord, tasks: [TaskRecord]) async throws -> CommitReport {
        let s = try JobDocuments.decode(IngestSpec.self, job.spec, what: "ingest spec")
        var message = CommitMessage()
        var rows: Int64 = 0
        let writeKinds: Set<String> = [IngestWriteExecutor().kind, IngestDirectExecutor().kind]
        for task in tasks.sorted(by: { $0.taskId < $1.taskId }) where writeKinds.contains(task.kind) {
            guard let result = task.result else { throw TaskFailure("task \(task.taskId) has no result", retryable: false) }
            let files = try JobDocuments.decode(FileEntriesDocument.self, result, what: "result of \(task.taskId)").manifestEntries()
            message.newFiles += files.filter { $0.kind == .add }
            message.deletedFiles += files.filter { $0.kind == .delete }
            rows += files.filter { $0.kind == .add && $0.file.level == 0 }.reduce(0) { $0 + $1.file.rowCount }
        }
        let entries = message.newFiles.filter { $0.file.level == 0 }
        let report: CommitReport
        do {
            let table = try await WarehouseAccess.table(warehouse: s.warehouse, s.table)
            // APPEND of the level-0 files, then (when the write tasks compacted) a COMPACT snapshot, as a writer commits.
            switch try await table.commit(message, commitUser: job.commitUser, identifier: job.commitIdentifier) {
            case .committed(let id): report = .committed(snapshotId: id, summary: "\(rows) rows in \(entries.count) files, snapshot \(id)")
            case .alreadyCommitted(let id): report = .alreadyCommitted(snapshotId: id)
            case .empty: report = .nothingToCommit(summary: "no rows")
            }
        } catch let error as TableError {
            throw error.taskFailure
        }
        await removeStaging(s, job)
        return report
    }

    public func abandon(job: JobRecord, tasks: [TaskRecord]) async {
        guard let s = try? JobDocuments.decode(IngestSpec.self, job.spec, what: "ingest spec") else { return }
        await removeStaging(s, job)
    }

    func removeStaging(_ s: IngestSpec, _ job: JobRecord) async {
        guard let (io, path) = try? WarehouseAccess.path(IngestStaging.location(warehouse: s.warehouse, jobId: job.id)) else { return }
        _ = try? await io.delete(path, recursive: true)
    }
}

/// An empty batch of a table's columns (to check that a table can be routed before any input is read).
enum ColumnBatchOfNothing {
    static func `for`(_ schema: TableSchema) -> ColumnBatch {
        ColumnBatch(schema: schema.logicalRowType, columns: schema.fields.map { ColumnBuilder(type: $0.type).finish() })
    }
}
