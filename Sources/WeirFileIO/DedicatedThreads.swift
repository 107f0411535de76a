import NIOPosix

/// Threads of their own for work that must not wait on Swift's cooperative pool (one thread per core), used as a
/// Swift task-executor preference (`Task(executorPreference:)`, `withTaskExecutorPreference`): the task, its child
/// tasks and every continuation it resumes run here, time-sliced by the operating system against everything else.
///
/// Two users: a worker's task executors (CPU-heavy; on the cooperative pool two busy slots on 2 cores would starve
/// the session that sends heartbeats), and SQLite transactions (a transaction holds the database's write lock across
/// its suspension points; on a cooperative pool held by CPU-bound work another connection waited past its busy
/// timeout for a lock held by a task that could not run).
///
/// Jobs enqueued before ``start()`` or after ``shutdown()`` run inline on the enqueuing thread rather than being
/// dropped (NIO's pool calls the work item with `.cancelled` then), so no task ever waits forever.
public final class DedicatedThreads: _Concurrency.TaskExecutor, @unchecked Sendable {
    private let pool: NIOThreadPool
    /// The prefix of the threads' names (`top -H` and debuggers show `<prefix>N`).
    public let namePrefix: String

    /// `threads`: at least one. Linux keeps 15 bytes of a thread's name: keep `namePrefix` short enough for its numbers.
    public init(namePrefix: String, threads: Int) {
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        self.namePrefix = namePrefix
    }

    public func start() {
        pool._start(threadNamePrefix: namePrefix)
    }

    public func shutdown() async {
        try? await pool.shutdownGracefully()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        pool.submit { _ in job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
