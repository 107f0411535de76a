/// Where the coordinator keeps jobs and tasks (the catalog store's database: SQLite by default, PostgreSQL;
/// ``SQLClusterStore``), so a restarted coordinator resumes its jobs. Every method is one transaction.
///
/// Contract: ``assign(jobId:taskId:workerId:nowMs:)`` and ``finish(jobId:taskId:attempt:…)`` are compare-and-set on
/// the attempt number: a finish for an attempt that is no longer current changes nothing and returns false, so a
/// stale or duplicated result is never applied twice.
public protocol ClusterStore: Sendable {
    func createJob(_ job: JobRecord) async throws
    func job(_ id: String) async throws -> JobRecord?
    /// Jobs, newest first, at most `limit`.
    func jobs(limit: Int) async throws -> [JobRecord]
    /// Jobs not in a final state, oldest first (what a restarted coordinator resumes).
    func unfinishedJobs() async throws -> [JobRecord]
    func updateJob(_ id: String, state: JobState, stage: Int, message: String?, nowMs: Int64) async throws

    /// Adds the planned tasks of a stage as `pending` (a task id already present is left as it is, so planning
    /// again after a restart is harmless).
    func addTasks(jobId: String, stage: Int, _ tasks: [PlannedTask], nowMs: Int64) async throws
    func tasks(jobId: String) async throws -> [TaskRecord]
    /// pending → assigned to `workerId` with attempt + 1; returns the new attempt, nil if the task was not pending.
    func assign(jobId: String, taskId: String, workerId: String, nowMs: Int64) async throws -> UInt64?
    /// assigned (attempt `attempt`) → `state` (succeeded, failed or pending for a retry) with the result or error;
    /// false when `attempt` is not the current attempt or the task is not assigned.
    func finish(jobId: String, taskId: String, attempt: UInt64, state: TaskState, result: [UInt8]?, error: String?, nowMs: Int64) async throws -> Bool
    func updateProgress(jobId: String, taskId: String, attempt: UInt64, rows: UInt64, bytes: UInt64) async throws
    /// Every assigned task of `workerId` → pending (the worker died); returns how many.
    func releaseTasks(ofWorker workerId: String, nowMs: Int64) async throws -> Int
    /// Every non-final task of the job → cancelled.
    func cancelTasks(jobId: String, nowMs: Int64) async throws
}
