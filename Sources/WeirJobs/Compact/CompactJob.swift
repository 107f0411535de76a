import Foundation
import WeirCluster
import WeirPaimon
import WeirTable

/// What `weir submit compact` asks for (the job spec of kind `compact`).
public struct CompactSpec: Codable, Sendable, Equatable {
    public var warehouse: String
    public var table: String
    public var full: Bool
    /// Only partitions whose values equal these (`dt` → `2024-01-01`).
    public var partition: [String: String]?
    public var bucket: Int32?

    public init(warehouse: String, table: String, full: Bool, partition: [String: String]? = nil, bucket: Int32? = nil) {
        self.warehouse = warehouse
        self.table = table
        self.full = full
        self.partition = partition
        self.bucket = bucket
    }
}

/// One bucket to compact (`compact-bucket` task).
struct CompactBucketSpec: Codable, Sendable, Equatable {
    var warehouse: String
    var table: String
    var full: Bool
    var partition: FileEntriesDocument.Row
    var bucket: Int32
}

/// The `compact` job: one stage with one `compact-bucket` task per bucket the universal pick selects (all with
/// `full`), then one COMPACT snapshot of every task's changes with the job's commit user and identifier (exactly
/// once). A concurrent compaction or overwrite of the same files fails the commit: the job fails with that
/// conflict and the files it wrote are orphans for clean-up; concurrent appends do not conflict.
public struct CompactDriver: JobDriver {
    public init() {}
    public var kind: String { "compact" }

    public func validate(spec: [UInt8]) async throws {
        let s = try JobDocuments.decode(CompactSpec.self, spec, what: "compact spec")
        do {
            let table = try await WarehouseAccess.table(warehouse: s.warehouse, s.table)
            _ = try await table.compactionTargets(partition: try s.partition.map(table.partitionFilter(spec:)), bucket: s.bucket, full: s.full)
        } catch let error as TableError {
            throw error.taskFailure
        }
    }

    public func plan(job: JobRecord, stage: Int, previous: [TaskRecord]) async throws -> [PlannedTask]? {
        guard stage == 1 else { return nil }
        let s = try JobDocuments.decode(CompactSpec.self, job.spec, what: "compact spec")
        do {
            let table = try await WarehouseAccess.table(warehouse: s.warehouse, s.table)
            let targets = try await table.compactionTargets(partition: try s.partition.map(table.partitionFilter(spec:)), bucket: s.bucket, full: s.full)
            return targets.enumerated().map { index, target in
                PlannedTask(taskId: String(format: "bucket-%05d", index), kind: "compact-bucket", spec: JobDocuments.encode(CompactBucketSpec(
                    warehouse: s.warehouse, table: s.table, full: s.full, partition: FileEntriesDocument.Row(target.partition), bucket: target.bucket)))
            }
        } catch let error as TableError {
            throw error.taskFailure
        }
    }

    public func commit(job: JobRecord, tasks: [TaskRecord]) async throws -> CommitReport {
        let s = try JobDocuments.decode(CompactSpec.self, job.spec, what: "compact spec")
        var message = CommitMessage()
        for task in tasks.sorted(by: { $0.taskId < $1.taskId }) where task.stage == 1 {
            guard let result = task.result else { throw TaskFailure("task \(task.taskId) has no result", retryable: false) }
            let entries = try JobDocuments.decode(FileEntriesDocument.self, result, what: "result of \(task.taskId)").manifestEntries()
            message.deletedFiles += entries.filter { $0.kind == .delete }
            message.newFiles += entries.filter { $0.kind == .add }
        }
        do {
            let table = try await WarehouseAccess.table(warehouse: s.warehouse, s.table)
            switch try await table.commit(message, commitUser: job.commitUser, identifier: job.commitIdentifier, kind: .compact) {
            case .committed(let id):
                return .committed(snapshotId: id, summary: "\(message.deletedFiles.count) files compacted into \(message.newFiles.count), snapshot \(id)")
            case .alreadyCommitted(let id): return .alreadyCommitted(snapshotId: id)
            case .empty: return .nothingToCommit(summary: "nothing to compact")
            }
        } catch let error as TableError {
            throw error.taskFailure
        }
    }

    public func abandon(job: JobRecord, tasks: [TaskRecord]) async {}
}

/// `compact-bucket`: compacts one bucket on the latest snapshot and returns its changes (DELETE and ADD entries)
/// for the job's one commit.
public struct CompactBucketExecutor: TaskExecutor {
    public init() {}
    public var kind: String { "compact-bucket" }

    public func run(spec: [UInt8], context: TaskContext) async throws -> [UInt8] {
        let s = try JobDocuments.decode(CompactBucketSpec.self, spec, what: "compact-bucket spec")
        do {
            let table = try await WarehouseAccess.table(warehouse: s.warehouse, s.table)
            let target = FileStoreTable.BucketToCompact(partition: try s.partition.binaryRow("partition"), bucket: s.bucket)
            let message = try await table.compactBucket(target, full: s.full)
            let rows = message.deletedFiles.reduce(0) { $0 + UInt64($1.file.rowCount) }
            let bytes = message.deletedFiles.reduce(0) { $0 + UInt64($1.file.fileSize) }
            context.progress(rows, bytes, 1, 1)
            return JobDocuments.encode(FileEntriesDocument(message.deletedFiles + message.newFiles))
        } catch let error as TableError {
            throw error.taskFailure
        }
    }
}
