/// The coordinator's side of one job kind (`ingest`, `compact`, …; implemented in WeirJobs): how a job splits into
/// stages of tasks and how it commits. The scheduler calls it from one task at a time per job, never on a NIO
/// event loop.
///
/// Contract:
/// - ``plan(job:stage:previous:)`` is deterministic for the same inputs (a coordinator restarted while planning
///   plans again and must get the same task ids); it returns the tasks of `stage` (1, 2, …) given the succeeded
///   tasks of all earlier stages, or nil when there is no further stage. A stage with no tasks is allowed.
/// - ``commit(job:tasks:)`` makes the job's one commit from the results of all its tasks and is idempotent: the
///   job's `commitUser` and `commitIdentifier` make a replayed commit a no-op (``CommitReport/alreadyCommitted``).
/// - ``abandon(job:tasks:)`` cleans up after a failed or cancelled job (staging files; written data files are left
///   to orphan clean-up when unsure).
public protocol JobDriver: Sendable {
    var kind: String { get }
    /// Checks a submitted spec; the error message goes back to the submitter.
    func validate(spec: [UInt8]) async throws
    func plan(job: JobRecord, stage: Int, previous: [TaskRecord]) async throws -> [PlannedTask]?
    func commit(job: JobRecord, tasks: [TaskRecord]) async throws -> CommitReport
    func abandon(job: JobRecord, tasks: [TaskRecord]) async
}

/// What a job's commit did.
public enum CommitReport: Sendable, Equatable {
    case committed(snapshotId: Int64, summary: String)
    case alreadyCommitted(snapshotId: Int64)
    case nothingToCommit(summary: String)
}
