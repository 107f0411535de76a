import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import Synchronization
import WeirProtocol

/// The coordinator process's service: listens for workers (TCP, optionally TLS; frames and the HMAC handshake of
/// WeirProtocol), schedules the tasks of submitted jobs on them through ``SchedulerCore``, keeps jobs and tasks in
/// a ``ClusterStore``, and calls the ``JobDriver`` of each job kind (off the event loops) to plan stages and commit.
///
/// Lifecycle (swift-service-lifecycle): ``run()`` binds, takes back the store's unfinished jobs (see
/// ``SchedulerCore`` for the restart rule), then serves until cancelled or shut down gracefully (SIGTERM through a
/// `ServiceGroup`, or ``beginShutdown()``): it stops accepting, finishes the store writes already decided, says
/// goodbye to the workers and returns. Workers keep running their attempts and register with them again when a
/// coordinator is back on the same store.
///
/// The public methods (``submit(kind:spec:)``, ``job(_:)``, ``jobs(limit:)``, ``tasks(jobId:)``, ``cancel(_:)``,
/// ``status()``) may be called from any task, also before ``run()`` starts.
public final class Coordinator: Service, Sendable {
    public let configuration: Configuration
    let store: any ClusterStore
    let drivers: [String: any JobDriver]
    let eventLoopGroup: any EventLoopGroup
    let nowMs: @Sendable () -> Int64
    let scheduler: Scheduler
    let directives: AsyncStream<[SchedulerDirective]>
    let connections = ConnectionTable()
    /// When each attempt in flight was assigned, and its task kind, for the task-duration histogram. Attempts that end
    /// without a result (their worker died) stay until ``attemptStartsMax`` entries, when all are forgotten at once.
    let attemptStarts = Mutex<[TaskRef: (kind: String, assigned: ContinuousClock.Instant)]>([:])
    static let attemptStartsMax = 65_536
    let refusals = RefusalLog(countMax: 32)
    let driverCalls = DriverCallOrder()
    let listening = AsyncValue<Int>()
    let lifecycle = Mutex(Lifecycle())
    var logger: Logger { configuration.logger }

    struct Lifecycle {
        var started = false
        var shuttingDown = false
        var server: (any Channel)?
    }

    /// `drivers` are the job kinds this coordinator runs, one per ``JobDriver/kind``.
    public convenience init(configuration: Configuration, store: any ClusterStore, drivers: [any JobDriver],
                            eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.init(configuration: configuration, store: store, drivers: drivers, eventLoopGroup: eventLoopGroup, nowMs: WallClock.nowMs)
    }

    init(configuration: Configuration, store: any ClusterStore, drivers: [any JobDriver], eventLoopGroup: any EventLoopGroup,
         nowMs: @escaping @Sendable () -> Int64) {
        var byKind: [String: any JobDriver] = [:]
        for driver in drivers {
            precondition(byKind[driver.kind] == nil, "two job drivers of kind \(driver.kind)")
            byKind[driver.kind] = driver
        }
        self.configuration = configuration
        self.store = store
        self.drivers = byKind
        self.eventLoopGroup = eventLoopGroup
        self.nowMs = nowMs
        let (stream, continuation) = AsyncStream.makeStream(of: [SchedulerDirective].self)
        directives = stream
        scheduler = Scheduler(configuration: SchedulerCore.Configuration(
            heartbeatTimeoutMs: Int64(clamping: configuration.heartbeatTimeoutMs), attemptsMax: configuration.attemptsMax,
            finishedJobsKeptMax: configuration.finishedJobsKeptMax), nowMs: nowMs, output: continuation)
    }

    /// The port the coordinator listens on, once it does (throws when binding failed).
    public func waitUntilListening() async throws -> Int {
        try await listening.value()
    }

    /// The port the coordinator listens on, nil before it does.
    public var port: Int? { listening.current }

    public func run() async throws {
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await serve()
            } onGracefulShutdown: {
                self.beginShutdown()
            }
        } onCancel: {
            // Connections ending now end because of this: the scheduler must not take their attempts back.
            self.lifecycle.withLock { $0.shuttingDown = true }
        }
    }

    /// Starts a graceful shutdown: stop accepting; ``run()`` then finishes what was decided and returns.
    public func beginShutdown() {
        let server = lifecycle.withLock { state -> (any Channel)? in
            state.shuttingDown = true
            return state.server
        }
        server?.close(promise: nil)
    }

    var isShuttingDown: Bool { lifecycle.withLock { $0.shuttingDown } }

    func serve() async throws {
        let alreadyStarted = lifecycle.withLock { state -> Bool in
            defer { state.started = true }
            return state.started
        }
        precondition(!alreadyStarted, "a Coordinator runs once")
        let server: NIOAsyncChannel<NIOAsyncChannel<PeerEvent, Message>, Never>
        do {
            try configuration.validate()
            server = try await bind(sslContext: try configuration.tls?.makeContext())
        } catch {
            listening.fail(error)
            await scheduler.stop()
            throw error
        }
        let port = server.channel.localAddress?.port ?? configuration.port
        let closeNow = lifecycle.withLock { state -> Bool in
            state.server = server.channel
            return state.shuttingDown
        }
        if closeNow { server.channel.close(promise: nil) }
        listening.set(port)
        logger.info("coordinator listening", metadata: ["host": "\(configuration.host)", "port": "\(port)",
                                                         "tls": "\(configuration.tls != nil)", "kinds": "\(drivers.keys.sorted())"])
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await self.executeDirectives() }
            group.addTask { await self.tickUntilShutdown() }
            do {
                try await resumeUnfinishedJobs()
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        group.addTask { await self.serve(connection) }
                    }
                }
            } catch {
                await finishServing()
                throw error
            }
            await finishServing()
        }
        logger.info("coordinator stopped")
    }

    /// After the listener closed: no more events, goodbye to the workers, then the directive stream ends.
    func finishServing() async {
        lifecycle.withLock { $0.shuttingDown = true }
        await scheduler.stop()
        connections.closeAll(reason: "the coordinator is shutting down")
    }

    func bind(sslContext: NIOSSLContext?) async throws -> NIOAsyncChannel<NIOAsyncChannel<PeerEvent, Message>, Never> {
        let settings = ServerHandshakeHandler.Settings(
            secret: configuration.secret, heartbeatIntervalMs: configuration.heartbeatIntervalMs,
            handshakeTimeoutMs: configuration.handshakeTimeoutMs, logger: logger,
            onRefused: { [refusals] in refusals.add($0) }, nowMs: nowMs)
        let frameBytesMax = configuration.frameBytesMax
        do {
            return try await ServerBootstrap(group: eventLoopGroup)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .bind(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        if let sslContext { try sync.addHandler(NIOSSLServerHandler(context: sslContext)) }
                        try sync.addHandler(ByteToMessageHandler(MessageDecoder(frameBytesMax: frameBytesMax)))
                        try sync.addHandler(MessageToByteHandler(MessageEncoder(frameBytesMax: FrameHeader.frameBytesMaxDefault)))
                        try sync.addHandler(ServerHandshakeHandler(settings: settings, nonce: Nonce.random(),
                                                                   sessionId: UUID().uuidString.lowercased()))
                        return try NIOAsyncChannel<PeerEvent, Message>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw ClusterError(.bindFailed, "cannot listen on \(configuration.host):\(configuration.port): \(error)")
        }
    }

    /// Ticks the scheduler every heartbeat interval (dead workers, heartbeats to workers) until shutdown.
    func tickUntilShutdown() async {
        let intervalMs = Int64(clamping: configuration.heartbeatIntervalMs)
        while !isShuttingDown && !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(intervalMs))
            await scheduler.handle(.tick)
        }
    }

    /// Loads the store's unfinished jobs into the scheduler, oldest first.
    func resumeUnfinishedJobs() async throws {
        let unfinished = try await store.unfinishedJobs()
        for job in unfinished {
            let tasks = try await store.tasks(jobId: job.id)
            logger.info("resuming a job", metadata: ["job": "\(job.id)", "kind": "\(job.kind)", "state": "\(job.state.rawValue)",
                                                      "stage": "\(job.stage)", "tasks": "\(tasks.count)"])
            await scheduler.handle(.jobResumed(job, tasks: tasks))
        }
    }
}
