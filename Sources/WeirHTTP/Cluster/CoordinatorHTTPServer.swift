import Hummingbird
import Logging

/// The coordinator's HTTP port as a Hummingbird application (a service for the coordinator's ServiceGroup).
public enum CoordinatorHTTPServer {
    public static func application(api: CoordinatorAPI, host: String, port: Int, logger: Logger,
                                   onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(responder: api,
                    server: .http1(configuration: .init(idleTimeout: .seconds(CatalogServer.idleTimeoutSeconds))),
                    configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "weir-coordinator"),
                    onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
                    logger: logger)
    }
}
