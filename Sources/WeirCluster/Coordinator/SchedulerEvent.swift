import WeirProtocol

/// One worker connection, numbered by the coordinator's shell in accept order.
struct ConnectionID: Hashable, Sendable, Comparable, CustomStringConvertible {
    let raw: UInt64
    init(_ raw: UInt64) { self.raw = raw }
    static func < (a: Self, b: Self) -> Bool { a.raw < b.raw }
    var description: String { "connection \(raw)" }
}

/// What happened, as the shell tells ``SchedulerCore``: messages of registered workers, closed connections, the
/// clock's tick, and the outcomes of the driver calls the core asked for.
enum SchedulerEvent: Sendable {
    /// A worker finished the handshake and registered on `connection` (its id is the handshake's node name).
    case workerRegistered(ConnectionID, Register, address: String?)
    case heartbeat(ConnectionID, Heartbeat)
    case taskProgress(ConnectionID, TaskProgress)
    case taskResult(ConnectionID, TaskResult)
    /// The connection is gone (closed by either side, or broken).
    case connectionClosed(ConnectionID)
    /// Time passed: detect dead workers, send heartbeats (the shell ticks every `heartbeatIntervalMs`).
    case tick
    /// A new job, already stored as `queued`.
    case jobSubmitted(JobRecord)
    /// An unfinished job and its stored tasks, loaded when the coordinator starts.
    case jobResumed(JobRecord, tasks: [TaskRecord])
    /// The driver planned `stage`: its tasks, or nil when the job has no further stage.
    case stagePlanned(jobId: String, stage: Int, tasks: [PlannedTask]?)
    case planningFailed(jobId: String, stage: Int, error: String)
    case committed(jobId: String, report: CommitReport)
    case commitFailed(jobId: String, error: String)
    /// A user cancels the job.
    case cancelJob(jobId: String)
}

/// What the shell must do, in the order given: the core has already changed its own state as if all of it
/// happened. Persistence is ordered before the sends that depend on it (an assignment is stored before it is sent).
enum SchedulerDirective: Sendable, Equatable {
    case send(ConnectionID, Message)
    /// Say goodbye with `reason`, then close.
    case close(ConnectionID, reason: String)
    case persist(StoreWrite)
    /// Ask the job's driver for the tasks of `stage` (off the event loops); answer with `stagePlanned` or `planningFailed`.
    case plan(JobRecord, stage: Int, previous: [TaskRecord])
    /// Make the job's commit; answer with `committed` or `commitFailed`.
    case commit(JobRecord, tasks: [TaskRecord])
    /// Let the driver clean up after a failed or cancelled job (nothing to answer).
    case abandon(JobRecord, tasks: [TaskRecord])
}

/// One write to the ``ClusterStore``, mirroring its methods.
enum StoreWrite: Sendable, Equatable {
    case updateJob(id: String, state: JobState, stage: Int, message: String?, nowMs: Int64)
    case addTasks(jobId: String, stage: Int, tasks: [PlannedTask], nowMs: Int64)
    /// `attempt` is the attempt number the core gave; the store must return the same.
    case assign(jobId: String, taskId: String, workerId: String, attempt: UInt64, nowMs: Int64)
    case finish(jobId: String, taskId: String, attempt: UInt64, state: TaskState, result: [UInt8]?, error: String?, nowMs: Int64)
    case progress(jobId: String, taskId: String, attempt: UInt64, rows: UInt64, bytes: UInt64)
    case cancelTasks(jobId: String, nowMs: Int64)
}
