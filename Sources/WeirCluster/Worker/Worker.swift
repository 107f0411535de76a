import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import WeirFileIO
import WeirProtocol

/// The worker process's service: connects to the coordinator (TCP, optionally TLS), proves the cluster secret,
/// registers with its stable id and slots, heartbeats at the interval the coordinator's welcome gives, and runs
/// assigned attempts with the ``TaskExecutor`` of their kind, at most `slots` at a time, each in a fresh scratch
/// directory removed afterwards. Every attempt ends with exactly one `taskResult` (a ``TaskFailure``'s
/// `retryable` is passed on; other errors count as retryable); progress is sent at most every
/// `progressIntervalMs` per attempt; `cancelTask` stops an attempt (its executor sees `isCancelled` and task
/// cancellation).
///
/// A lost connection is retried with doubling pauses; the worker then registers again with the attempts it holds
/// (running, and finished with results not yet sent, which it sends after registering); the coordinator says
/// which of them to cancel. A wrong cluster secret is not retried: ``run()`` throws ``ClusterError/Kind/wrongSecret``.
///
/// Graceful shutdown (SIGTERM through a `ServiceGroup`, or ``beginShutdown()``): new assignments are answered as
/// cancelled, running attempts get `drainTimeoutMs` to finish and are then cancelled, their results are sent, the
/// worker says goodbye and ``run()`` returns. Cancelling ``run()`` cancels the attempts at once.
public final class Worker: Service, Sendable {
    public let configuration: Configuration
    let executors: [String: any TaskExecutor]
    let eventLoopGroup: any EventLoopGroup
    let table: AttemptTable
    let scratch: ScratchDirectories
    let slots: AsyncSemaphore
    /// Where task executors run (``DedicatedThreads`` named `weir-attempt-N`, off the cooperative pool so a busy
    /// worker keeps heartbeating): as many threads as slots, and at least one per core so an executor's own parallel
    /// parts are not serialised.
    let threads: DedicatedThreads
    static let attemptThreadPrefix = "weir-attempt-"
    let queue: AsyncStream<TaskRef>
    let queueInput: AsyncStream<TaskRef>.Continuation
    let shutdownRequested = AsyncLatch()
    let started = Mutex(false)
    var logger: Logger { configuration.logger }

    /// `executors` are the task kinds this worker runs, one per ``TaskExecutor/kind``.
    public init(configuration: Configuration, executors: [any TaskExecutor],
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        var byKind: [String: any TaskExecutor] = [:]
        for executor in executors {
            precondition(byKind[executor.kind] == nil, "two task executors of kind \(executor.kind)")
            byKind[executor.kind] = executor
        }
        self.configuration = configuration
        self.executors = byKind
        self.eventLoopGroup = eventLoopGroup
        table = AttemptTable(progressIntervalMs: configuration.progressIntervalMs)
        scratch = ScratchDirectories(root: configuration.scratchDirectory)
        slots = AsyncSemaphore(count: max(1, configuration.slots))
        threads = DedicatedThreads(namePrefix: Self.attemptThreadPrefix, threads: max(configuration.slots, System.coreCount))
        (queue, queueInput) = AsyncStream.makeStream(of: TaskRef.self)
    }

    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await runUntilStopped()
        } onGracefulShutdown: {
            self.beginShutdown()
        }
    }

    /// Starts a graceful shutdown (see the type's documentation); ``run()`` returns when it is done.
    public func beginShutdown() {
        shutdownRequested.open()
    }

    func runUntilStopped() async throws {
        let alreadyStarted = started.withLock { value -> Bool in
            defer { value = true }
            return value
        }
        precondition(!alreadyStarted, "a Worker runs once")
        try configuration.validate()
        try scratch.prepare()
        threads.start()
        do {
            try await runSessionAndAttempts()
        } catch {
            await threads.shutdown()
            throw error
        }
        await threads.shutdown()
        logger.info("worker stopped", metadata: ["worker": "\(configuration.workerId)"])
    }

    /// The session (connect, reconnect) and the attempts, until a shutdown request, a wrong secret or cancellation.
    private func runSessionAndAttempts() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.runAttempts() }
            group.addTask { try await self.connectUntilStopped() }
            group.addTask { try await self.shutdownRequested.wait() }
            var failure: (any Error)?
            do {
                // The first to end: a shutdown request, a wrong secret, or the run's cancellation.
                try await group.next()
            } catch {
                failure = error
            }
            if failure == nil && !Task.isCancelled {
                await drain()
            } else {
                table.cancelAll()
            }
            queueInput.finish()
            group.cancelAll()
            while true {
                do {
                    guard try await group.next() != nil else { break }
                } catch {}
            }
            if let failure, !(failure is CancellationError) { throw failure }
        }
    }

    /// Graceful end: refuse new work, let running attempts finish for `drainTimeoutMs`, cancel the rest, wait for
    /// their results to go out, say goodbye.
    func drain() async {
        logger.info("worker shutting down", metadata: ["worker": "\(configuration.workerId)", "attempts": "\(table.attemptCount)"])
        table.startDraining(workerId: configuration.workerId)
        let deadline = ContinuousClock.now + .milliseconds(configuration.drainTimeoutMs)
        while table.attemptCount > 0 && ContinuousClock.now < deadline && !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if table.attemptCount > 0 {
            logger.info("cancelling the attempts still running", metadata: ["attempts": "\(table.attemptCount)"])
            table.cancelAll()
            let cancelDeadline = ContinuousClock.now + .milliseconds(configuration.drainTimeoutMs)
            while table.attemptCount > 0 && ContinuousClock.now < cancelDeadline && !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(20))
            }
            if table.attemptCount > 0 {
                logger.warning("attempts ignore their cancellation; leaving without their results", metadata: ["attempts": "\(table.attemptCount)"])
            }
        }
        if let channel = table.channel {
            table.disconnected()
            try? await channel.writeAndFlush(Message.goodbye(reason: "worker \(configuration.workerId) is shutting down"))
            try? await channel.close()
        }
    }

    /// Closes the current connection (as a network failure would); the worker reconnects.
    func closeConnection() {
        table.channel?.close(promise: nil)
    }
}
