/// The worker's side of one task kind (implemented in WeirJobs): runs one attempt of a task and returns its result
/// document. Runs on the worker's task pool (never on a NIO event loop), at most `slots` at a time.
///
/// Contract: an attempt may be run again (after a worker death or a retry), so its effects must be safe to
/// repeat: it writes only new files (fresh names) or overwrites deterministic staging files, and commits nothing
/// — the coordinator makes the job's one commit from the accepted results. It should check `context.isCancelled`
/// between units of work and stop early when set.
public protocol TaskExecutor: Sendable {
    var kind: String { get }
    func run(spec: [UInt8], context: TaskContext) async throws -> [UInt8]
}

/// What an executor gets besides its spec.
public struct TaskContext: Sendable {
    public var jobId: String
    public var taskId: String
    public var attempt: UInt64
    /// A directory of the worker's own, empty at the start of the attempt and removed after it.
    public var scratchDirectory: String
    /// Reports progress (rows, bytes, units done, units total); cheap, may be called often.
    public var progress: @Sendable (_ rows: UInt64, _ bytes: UInt64, _ unitsDone: UInt64, _ unitsTotal: UInt64) -> Void
    public var isCancelled: @Sendable () -> Bool

    public init(jobId: String, taskId: String, attempt: UInt64, scratchDirectory: String,
                progress: @escaping @Sendable (UInt64, UInt64, UInt64, UInt64) -> Void, isCancelled: @escaping @Sendable () -> Bool) {
        self.jobId = jobId
        self.taskId = taskId
        self.attempt = attempt
        self.scratchDirectory = scratchDirectory
        self.progress = progress
        self.isCancelled = isCancelled
    }
}

/// An executor's failure, saying whether another attempt may succeed.
public struct TaskFailure: Error, CustomStringConvertible, Sendable {
    public var message: String
    /// True for storage hiccups and lost races; false for bad input that fails the same way every time.
    public var retryable: Bool

    public init(_ message: String, retryable: Bool) {
        self.message = message
        self.retryable = retryable
    }

    public var description: String { message }
}
