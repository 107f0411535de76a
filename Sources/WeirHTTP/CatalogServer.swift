import Hummingbird
import Logging
import WeirCatalog

/// The catalog service as an HTTP server, for `weir catalog serve` and for the coordinator to embed.
public enum CatalogServer {
    /// The port the Gravitino client and its tests expect.
    public static let defaultPort = 8090
    /// How long a connection may stay idle before the server closes it, in seconds.
    public static let idleTimeoutSeconds: Int64 = 60

    /// The Hummingbird application serving ``GravitinoAPI`` over `service` on `host:port` (loopback unless the
    /// caller decides otherwise). `onRunning` is called with the bound port once the server listens.
    public static func application(service: CatalogService, host: String = "127.0.0.1", port: Int = defaultPort,
                                   logger: Logger = Logger(label: "weir.catalog"),
                                   onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(responder: GravitinoAPI(service: service, logger: logger),
                    server: .http1(configuration: .init(idleTimeout: .seconds(idleTimeoutSeconds))),
                    configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "weir-catalog"),
                    onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
                    logger: logger)
    }

    /// Serves until SIGTERM or SIGINT (Hummingbird's service group handles both and shuts down gracefully), then
    /// closes the service.
    public static func run(service: CatalogService, host: String, port: Int, logger: Logger,
                           onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = application(service: service, host: host, port: port, logger: logger, onRunning: onRunning)
        do {
            try await app.runService()
        } catch {
            await service.close()
            throw error
        }
        await service.close()
    }
}
