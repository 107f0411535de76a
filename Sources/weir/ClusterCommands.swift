import ArgumentParser
import Foundation
import Logging
import Metrics
import NIOPosix
import Prometheus
import ServiceLifecycle
import WeirCatalog
import WeirCluster
import WeirHTTP
import WeirJobs

/// `weir coordinator`: the scheduler process. One TCP port for workers (the WeirProtocol frames, HMAC handshake
/// over the shared secret), one HTTP port for the status page, `/api/cluster/status`, `/metrics`, the job API and the
/// Gravitino catalog API; jobs, tasks and the catalog in one store (SQLite by default, or PostgreSQL).
struct CoordinatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Run the coordinator until SIGTERM or SIGINT.")

    @Option(name: .long, help: "Address for workers, HOST:PORT.") var listen = "127.0.0.1:7480"
    @Option(name: .long, help: "Address for the HTTP status, metrics, job and catalog API, HOST:PORT.") var http = "127.0.0.1:8090"
    @Option(name: .long, help: "The store: sqlite:PATH (created if missing) or postgresql://user:password@host:port/database (or ?password-file=PATH for the password).") var store = "sqlite:weir-state.db"
    @Option(name: .long, help: "The warehouse jobs write to (file://, s3:// URI, or a local path).") var warehouse: String
    @Option(name: .long, help: "File holding the shared cluster secret.") var secretFile: String
    @Option(name: .long, help: "Heartbeat interval in milliseconds (told to workers).") var heartbeatMs: UInt64 = 1000
    @Option(name: .long, help: "A worker silent this long is dead, in milliseconds (default: 10 heartbeats).") var heartbeatTimeoutMs: UInt64?
    @Option(name: .long, help: "TLS certificate chain (PEM) for the worker port.") var tlsCert: String?
    @Option(name: .long, help: "TLS private key (PEM) for the worker port.") var tlsKey: String?
    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"

    func run() async throws {
        let (host, port) = try CatalogCLI.parseListen(listen)
        let (httpHost, httpPort) = try CatalogCLI.parseListen(http)
        guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("unknown log level '\(logLevel)'") }
        var logger = Logger(label: "weir.coordinator")
        logger.logLevel = level
        let secret = try SecretFile.read(secretFile)
        let warehouseURI = try Storage().path(warehouse).description
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("give --tls-cert and --tls-key together") }

        let storeURL = try StoreURL(parsing: store)
        let catalogStore = try await storeURL.open(extraMigrations: ClusterMigrations.all)
        let clusterStore = SQLClusterStore(backend: catalogStore.backend)
        let configuration = Coordinator.Configuration(
            host: host, port: port, secret: secret, heartbeatIntervalMs: heartbeatMs,
            heartbeatTimeoutMs: heartbeatTimeoutMs ?? heartbeatMs * 10,
            tls: tlsCert.map { ServerTLS(certificateChainPath: $0, privateKeyPath: tlsKey!) }, logger: logger)
        let coordinator = Coordinator(configuration: configuration, store: clusterStore, drivers: JobKinds.drivers)
        let catalog = CatalogService(store: catalogStore, warehouse: warehouseURI)
        let api = CoordinatorAPI(coordinator: coordinator, catalog: catalog, warehouse: warehouseURI, registry: Self.bootstrapMetrics(), logger: logger)
        let httpApp = CoordinatorHTTPServer.application(api: api, host: httpHost, port: httpPort, logger: logger) { bound in
            let workers = (try? await coordinator.waitUntilListening()) ?? port
            FileHandle.standardOutput.write(Data("weir coordinator: workers on \(host):\(workers), status on http://\(httpHost):\(bound)/ (store \(storeURL), warehouse \(warehouseURI))\n".utf8))
        }
        let group = ServiceGroup(configuration: .init(services: [.init(service: coordinator), .init(service: httpApp)],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            await catalog.close()
            throw error
        }
        await catalog.close()
    }

    /// Sends this process's swift-metrics (task durations, heartbeats, FileIO requests, retries and errors) to a
    /// Prometheus registry, which `/metrics` emits. Once per process: this command runs once.
    static func bootstrapMetrics() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Tasks take from milliseconds (a small split) to many minutes (a large bucket's compaction).
        factory.durationHistogramBuckets[ClusterMetrics.taskDurationLabel] =
            [.milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(15), .seconds(60), .seconds(300), .seconds(900), .seconds(3600)]
        MetricsSystem.bootstrap(factory)
        return registry
    }
}

/// `weir worker`: runs tasks for a coordinator.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run a worker for a coordinator until SIGTERM or SIGINT (it reconnects when the coordinator goes away).")

    @Option(name: .long, help: "The coordinator's worker address, HOST:PORT.") var coordinator: String
    @Option(name: .long, help: "File holding the shared cluster secret.") var secretFile: String
    @Option(name: .long, help: "Tasks run at once (default: the number of cores).") var slots: Int?
    @Option(name: .long, help: "This worker's own scratch directory (not shared with other workers).") var scratch: String
    @Option(name: .long, help: "A stable worker id (default: host name and scratch directory).") var id: String?
    @Option(name: .long, help: "CA certificates (PEM) to verify the coordinator's TLS certificate; enables TLS.") var tlsCa: String?
    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"

    func run() async throws {
        let (host, port) = try CatalogCLI.parseListen(coordinator)
        guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("unknown log level '\(logLevel)'") }
        var logger = Logger(label: "weir.worker")
        logger.logLevel = level
        let secret = try SecretFile.read(secretFile)
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let scratchPath = URL(fileURLWithPath: scratch).standardizedFileURL.path
        let workerId = id ?? "\(ProcessInfo.processInfo.hostName):\(scratchPath)"
        let configuration = Worker.Configuration(
            host: host, port: port, secret: secret, workerId: workerId, slots: slots ?? ProcessInfo.processInfo.activeProcessorCount,
            scratchDirectory: scratchPath, tls: tlsCa.map { ClientTLS(trustRootsPath: $0) }, logger: logger)
        let worker = Worker(configuration: configuration, executors: JobKinds.executors)
        FileHandle.standardOutput.write(Data("weir worker \(workerId): \(configuration.slots) slots, coordinator \(host):\(port)\n".utf8))
        let group = ServiceGroup(configuration: .init(services: [.init(service: worker)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// The job kinds this build runs: drivers on the coordinator, executors on workers.
enum JobKinds {
    static let drivers: [any JobDriver] = [IngestDriver(), CompactDriver()]
    static let executors: [any TaskExecutor] = [IngestSplitExecutor(), IngestWriteExecutor(), IngestDirectExecutor(), CompactBucketExecutor()]
}

/// The cluster secret from a file: its bytes without a trailing newline; at least 16 bytes.
enum SecretFile {
    static let bytesMin = 16
    static let bytesMax = 4096

    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read the secret file \(path)") }
        var bytes = Array(data)
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        guard bytes.count >= bytesMin, bytes.count <= bytesMax else {
            throw ValidationError("the secret in \(path) must have \(bytesMin) to \(bytesMax) bytes (it has \(bytes.count))")
        }
        return bytes
    }
}
