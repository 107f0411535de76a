import Foundation

/// A job's lifecycle (rows of `weir_jobs`). Transitions, and nothing else:
/// `queued → running` (first stage planned) `→ committing` (last stage done) `→ succeeded`;
/// any non-final state `→ failed` (a task failed for good, planning or commit failed) or `→ cancelled` (a user);
/// a coordinator that restarts finds `running`/`committing` jobs and resumes them from their stored tasks.
public enum JobState: String, Sendable, Codable, CaseIterable {
    case queued, running, committing, succeeded, failed, cancelled

    public var isFinal: Bool { self == .succeeded || self == .failed || self == .cancelled }
}

/// A task attempt's lifecycle (rows of `weir_tasks`): `pending → assigned` (to a worker, with a new attempt
/// number) `→ succeeded`; `assigned → pending` again when its worker dies or the attempt fails retryably (up to
/// the job's attempt limit), else `→ failed`; `cancelled` when the job is. Only a result of the *current*
/// attempt is accepted, so a late answer from a presumed-dead worker can never be used twice.
public enum TaskState: String, Sendable, Codable, CaseIterable {
    case pending, assigned, succeeded, failed, cancelled

    public var isFinal: Bool { self == .succeeded || self == .failed || self == .cancelled }
}

/// One job as the store keeps it.
public struct JobRecord: Sendable, Equatable, Codable {
    public var id: String
    /// `ingest`, `compact`, ... (a ``JobDriver``'s kind).
    public var kind: String
    /// The job's parameters as submitted (a JSON document the driver defines).
    public var spec: [UInt8]
    public var state: JobState
    /// 0 before planning; then the stage whose tasks run now.
    public var stage: Int
    /// The commit user and identifier the job's one commit uses (exactly once across retries and restarts).
    public var commitUser: String
    public var commitIdentifier: Int64
    public var createdMs: Int64
    public var updatedMs: Int64
    /// Why it failed, or what the commit made (e.g. "snapshot 7").
    public var message: String?

    public init(id: String, kind: String, spec: [UInt8], state: JobState, stage: Int, commitUser: String, commitIdentifier: Int64,
                createdMs: Int64, updatedMs: Int64, message: String?) {
        self.id = id
        self.kind = kind
        self.spec = spec
        self.state = state
        self.stage = stage
        self.commitUser = commitUser
        self.commitIdentifier = commitIdentifier
        self.createdMs = createdMs
        self.updatedMs = updatedMs
        self.message = message
    }
}

/// One task of a job as the store keeps it.
public struct TaskRecord: Sendable, Equatable, Codable {
    public var jobId: String
    public var taskId: String
    public var stage: Int
    /// The executor kind the worker runs (`ingest-split`, `ingest-write`, `compact-bucket`, ...).
    public var kind: String
    public var spec: [UInt8]
    public var state: TaskState
    /// 0 before the first assignment; +1 at each assignment.
    public var attempt: UInt64
    public var workerId: String?
    /// The result document of the succeeded attempt.
    public var result: [UInt8]?
    public var error: String?
    public var rows: UInt64
    public var bytes: UInt64
    public var updatedMs: Int64

    public init(jobId: String, taskId: String, stage: Int, kind: String, spec: [UInt8], state: TaskState, attempt: UInt64,
                workerId: String?, result: [UInt8]?, error: String?, rows: UInt64, bytes: UInt64, updatedMs: Int64) {
        self.jobId = jobId
        self.taskId = taskId
        self.stage = stage
        self.kind = kind
        self.spec = spec
        self.state = state
        self.attempt = attempt
        self.workerId = workerId
        self.result = result
        self.error = error
        self.rows = rows
        self.bytes = bytes
        self.updatedMs = updatedMs
    }
}

/// A task a driver plans: id (unique in the job), executor kind and spec.
public struct PlannedTask: Sendable, Equatable {
    public var taskId: String
    public var kind: String
    public var spec: [UInt8]
    public init(taskId: String, kind: String, spec: [UInt8]) {
        self.taskId = taskId
        self.kind = kind
        self.spec = spec
    }
}
