import Foundation
import Testing
import WeirFileIO
import WeirTestSupport
@testable import WeirCluster

/// A coordinator and workers in this test process, over real loopback sockets, with the `concat` job kind. The
/// services run as tasks of their own (as a `ServiceGroup` would run them); ``shutdown()`` stops them all.
///
/// The services and the test body run on ``threads``, not on Swift's cooperative pool: in a separate process the
/// coordinator and each worker have a pool of their own, but here they would share it with the CPU-bound suites
/// that run beside them, which held it for more than 10 s at a time in full runs (handshakes timed out, and a job
/// did not finish within a minute of its last part being released).
final class TestCluster {
    static let secret = Array("the test cluster's secret".utf8)
    /// The threads every test cluster's services and bodies run on (started once, never stopped: tests share them).
    static let threads: DedicatedThreads = {
        let threads = DedicatedThreads(namePrefix: "weir-tcluster-", threads: 4)
        threads.start()
        return threads
    }()

    let scratch: Scratch
    let recorder = JobRecorder()
    private(set) var store: any ClusterStore
    let configure: @Sendable (inout Coordinator.Configuration) -> Void
    private(set) var port = 0
    private(set) var coordinator: Coordinator?
    private var coordinatorTask: Task<Void, any Error>?
    private(set) var workers: [String: Worker] = [:]
    private var workerTasks: [String: Task<Void, any Error>] = [:]
    let outputDirectory: String

    init(name: String, store: (any ClusterStore)? = nil, configure: @escaping @Sendable (inout Coordinator.Configuration) -> Void = { _ in }) throws {
        scratch = try Scratch(name)
        self.store = store ?? MemoryClusterStore()
        self.configure = configure
        outputDirectory = scratch.path + "/output"
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
    }

    /// Runs `body` with a started coordinator and `workers` registered workers; always shuts everything down.
    static func with(_ name: String, workers: Int, slots: Int = 2, store: (any ClusterStore)? = nil,
                     configure: @escaping @Sendable (inout Coordinator.Configuration) -> Void = { _ in },
                     _ body: (TestCluster) async throws -> Void) async throws {
        let cluster = try TestCluster(name: name, store: store, configure: configure)
        try await withTaskExecutorPreference(threads) {
            do {
                try await cluster.startCoordinator()
                for i in 1...max(1, workers) where workers > 0 { cluster.startWorker("worker-\(i)", slots: slots) }
                try await cluster.waitForWorkers(workers)
                try await body(cluster)
            } catch {
                await cluster.shutdown()
                throw error
            }
            await cluster.shutdown()
        }
    }

    /// Runs a service on ``threads`` (an unstructured task does not inherit the caller's executor preference).
    static func run(_ service: @escaping @Sendable () async throws -> Void) -> Task<Void, any Error> {
        Task(executorPreference: threads) { try await service() }
    }

    func coordinatorConfiguration() -> Coordinator.Configuration {
        // Generous timeouts: these tests run beside CPU-heavy suites in one process, whose tasks can hold the
        // cooperative pool for seconds; death is tested by closing connections, not by silence.
        var configuration = Coordinator.Configuration(host: "127.0.0.1", port: port, secret: Self.secret, heartbeatIntervalMs: 100,
                                                      heartbeatTimeoutMs: 20_000, handshakeTimeoutMs: 10_000, commitRetryDelayMs: 50)
        configuration.logger.logLevel = .warning
        configure(&configuration)
        return configuration
    }

    /// Starts a coordinator on the cluster's port (a free one the first time), on `store` if given.
    func startCoordinator(store newStore: (any ClusterStore)? = nil) async throws {
        if let newStore { store = newStore }
        let coordinator = Coordinator(configuration: coordinatorConfiguration(), store: store, drivers: [ConcatDriver(recorder: recorder)])
        self.coordinator = coordinator
        coordinatorTask = Self.run { try await coordinator.run() }
        port = try await coordinator.waitUntilListening()
    }

    /// Stops the coordinator: gracefully, or by cancelling its run (as a crash would, minus the lost process).
    func stopCoordinator(graceful: Bool = true) async {
        guard let coordinator, let task = coordinatorTask else { return }
        if graceful { coordinator.beginShutdown() } else { task.cancel() }
        _ = await Self.finish(task)
        self.coordinator = nil
        coordinatorTask = nil
    }

    func workerConfiguration(_ id: String, slots: Int, secret: [UInt8]) -> Worker.Configuration {
        var configuration = Worker.Configuration(host: "127.0.0.1", port: port, secret: secret, workerId: id, slots: slots,
                                                 scratchDirectory: scratch.path + "/scratch-\(id)", reconnectDelayMinMs: 50,
                                                 reconnectDelayMaxMs: 400, coordinatorTimeoutMs: 30_000, progressIntervalMs: 20,
                                                 drainTimeoutMs: 2_000)
        configuration.logger.logLevel = .warning
        return configuration
    }

    @discardableResult
    func startWorker(_ id: String, slots: Int = 2, secret: [UInt8] = TestCluster.secret,
                     adjust: (inout Worker.Configuration) -> Void = { _ in }) -> Worker {
        var configuration = workerConfiguration(id, slots: slots, secret: secret)
        adjust(&configuration)
        let worker = Worker(configuration: configuration, executors: [PartExecutor(recorder: recorder), JoinExecutor(recorder: recorder)])
        workers[id] = worker
        workerTasks[id] = Self.run { try await worker.run() }
        return worker
    }

    /// Stops a worker (gracefully or by cancellation) and returns how its run ended.
    @discardableResult
    func stopWorker(_ id: String, graceful: Bool = true) async -> Result<Void, any Error>? {
        guard let worker = workers[id], let task = workerTasks[id] else { return nil }
        if graceful { worker.beginShutdown() } else { task.cancel() }
        let result = await Self.finish(task)
        workers[id] = nil
        workerTasks[id] = nil
        return result
    }

    /// How a worker's run ended, waiting for it.
    func workerResult(_ id: String) async -> Result<Void, any Error>? {
        guard let task = workerTasks[id] else { return nil }
        return await Self.finish(task)
    }

    func shutdown() async {
        for id in workers.keys.sorted() { await stopWorker(id) }
        await stopCoordinator()
        scratch.remove()
    }

    /// Awaits a service task; cancels it when it has not ended within `timeoutMs`.
    static func finish(_ task: Task<Void, any Error>, timeoutMs: Int64 = 30_000) async -> Result<Void, any Error> {
        let watchdog = Task {
            try await Task.sleep(for: .milliseconds(timeoutMs))
            task.cancel()
        }
        let result = await task.result
        watchdog.cancel()
        return result
    }

    // MARK: - Waiting

    /// Polls `condition` every 20 ms until it holds, and once more at the deadline; fails after `timeoutMs` (generous:
    /// the full suite runs multi-process cluster tests beside these, which can keep a 2-core machine busy for minutes).
    func waitFor(_ what: String, timeoutMs: Int64 = 300_000, sourceLocation: SourceLocation = #_sourceLocation,
                 _ condition: () async throws -> Bool) async throws {
        if try await Eventually.holds(timeoutMs: Int(timeoutMs), pollMs: 20, condition) { return }
        Issue.record("timed out after \(timeoutMs) ms waiting for \(what)", sourceLocation: sourceLocation)
        throw CancellationError()
    }

    func waitForWorkers(_ count: Int) async throws {
        try await waitFor("\(count) registered workers") {
            await (coordinator?.status().workers.filter(\.connected).count ?? 0) == count
        }
    }

    /// Waits until the job is in a final state, also in the store (the coordinator stores behind its decisions),
    /// and returns it.
    func waitForJob(_ id: String, timeoutMs: Int64 = 300_000) async throws -> JobRecord {
        var record: JobRecord?
        try await waitFor("job \(id) to finish", timeoutMs: timeoutMs) {
            record = try await coordinator?.job(id)
            guard let record, record.state.isFinal else { return false }
            return try await store.job(id)?.state == record.state
        }
        return record!
    }

    func submit(parts: Int, failParts: [Int] = [], failAttempts: UInt64 = 0, failRetryable: Bool = true) async throws -> JobRecord {
        try await coordinator!.submit(kind: "concat", spec: ConcatDriver.spec(parts: parts, directory: outputDirectory, failParts: failParts,
                                                                               failAttempts: failAttempts, failRetryable: failRetryable))
    }

    static func expectedText(parts: Int) -> String {
        (0..<parts).map { "part \($0)\n" }.joined()
    }

    /// Checks what a succeeded `concat` job must satisfy: each part's result used exactly once, from the attempt
    /// the store accepted, and the commit made once with the text of all parts in order.
    func expectExactlyOnce(_ job: JobRecord, parts: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let text = Self.expectedText(parts: parts)
        #expect(job.state == .succeeded, "\(job.message ?? "")", sourceLocation: sourceLocation)
        #expect(job.message == "snapshot 1: " + text, sourceLocation: sourceLocation)
        let stored = try #require(try await store.job(job.id), sourceLocation: sourceLocation)
        #expect(stored.state == .succeeded && stored.message == job.message, sourceLocation: sourceLocation)
        let tasks = try await store.tasks(jobId: job.id)
        #expect(tasks.count == parts + 1, sourceLocation: sourceLocation)
        #expect(tasks.allSatisfy { $0.state == .succeeded }, sourceLocation: sourceLocation)
        let join = try #require(tasks.first { $0.taskId == "concat" }, sourceLocation: sourceLocation)
        let joinSpec = try JSONDecoder().decode(ConcatDriver.ConcatSpec.self, from: Data(try #require(join.spec as [UInt8]?)))
        // The join read exactly one file per part: the one of the accepted attempt.
        #expect(joinSpec.files.count == parts, sourceLocation: sourceLocation)
        for i in 0..<parts {
            let task = try #require(tasks.first { $0.taskId == "part-\(i)" }, sourceLocation: sourceLocation)
            #expect(joinSpec.files[i].hasPrefix("part-\(i)-attempt-\(task.attempt)-"), sourceLocation: sourceLocation)
        }
        let snapshot = recorder.snapshot
        #expect(snapshot.commits[job.commitUser] == text, sourceLocation: sourceLocation)
    }
}
