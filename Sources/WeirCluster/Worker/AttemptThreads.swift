import NIOPosix

/// The threads a worker runs its task executors on, apart from Swift's cooperative pool and from NIO's event loops.
///
/// Task executors are CPU-heavy (decoding, sorting, encoding) and do not yield often. On the cooperative pool (one
/// thread per core) two busy slots would hold every thread, and the worker's session — reading the coordinator's
/// messages, sending heartbeats — would wait for them: on a 2-core machine the coordinator then declared busy
/// workers dead for missed heartbeats. On these threads the operating system time-slices them against the session,
/// which keeps answering.
///
/// Used as a Swift task-executor preference (`Task(executorPreference:)`), so the child tasks an executor starts run
/// here too. Jobs enqueued before ``start()`` or after ``shutdown()`` run inline on the enqueuing thread rather
/// than being dropped (NIO's pool calls the work item with `.cancelled` then), so no task ever waits forever.
final class AttemptThreads: _Concurrency.TaskExecutor, @unchecked Sendable {
    private let pool: NIOThreadPool

    /// `threads`: at least one.
    init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
    }

    /// The threads are named `weir-attempt-N` (what `top -H` and debuggers show).
    func start() {
        pool._start(threadNamePrefix: Self.threadNamePrefix)
    }

    static let threadNamePrefix = "weir-attempt-"

    func shutdown() async {
        try? await pool.shutdownGracefully()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        pool.submit { _ in job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
