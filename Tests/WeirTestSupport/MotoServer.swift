import Foundation
import WeirFileIO

/// A moto S3 server (`python -m moto.server`) on a free port of 127.0.0.1, from the test-server venv.
/// moto honours `If-None-Match: *` atomically (spec/object-stores.md section 1) but checks no signatures.
public final class MotoServer: Sendable {
    public let process: ServerProcess
    public let scratchDirectory: String
    /// Any credentials work with moto; these are what ``configuration(partBytes:retryPolicy:)`` uses.
    public static let credentials = S3Credentials(accessKeyID: "weir-test", secretAccessKey: "weir-test-secret")

    public var port: Int { process.port }
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    private init(process: ServerProcess, scratchDirectory: String) {
        self.process = process
        self.scratchDirectory = scratchDirectory
    }

    /// Starts moto and waits until `/moto-api/` answers (about 1 s).
    public static func start() async throws -> MotoServer {
        let venv = try PackageRoot.serversVenv(requiring: "python")
        let directory = try PackageRoot.makeScratchDirectory("moto")
        let port = try FreePort.next()
        let python = venv + "/bin/python"
        let process = try await ServerProcess.start(
            name: "moto", python: python, command: [python, "-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)],
            directory: directory, port: port, healthPath: "/moto-api/")
        return MotoServer(process: process, scratchDirectory: directory)
    }

    /// Wipes every bucket and object (`POST /moto-api/reset`).
    public func reset() throws {
        let answer = try LoopbackHTTP.request("POST", port: port, path: "/moto-api/reset", timeoutMs: 10_000)
        guard answer.status == 200 else { throw ServerError("moto reset answered \(answer.status)") }
    }

    /// A configuration for this server: path-style, conditional writes on.
    public func configuration(partBytes: Int = 8 << 20, retryPolicy: RetryPolicy = RetryPolicy(attemptsMax: 4, delayBaseMs: 20, delayMaxMs: 200)) throws -> S3Configuration {
        S3Configuration(
            endpoint: try S3Endpoint(parsing: endpoint), region: "us-east-1", credentials: Self.credentials,
            addressingStyle: .path, conditionalWrites: true, partBytes: partBytes, retryPolicy: retryPolicy)
    }

    /// Stops the server and removes its scratch directory (kept when `WEIR_KEEP_SCRATCH=1`).
    public func stop() {
        process.stop()
        if ProcessInfo.processInfo.environment["WEIR_KEEP_SCRATCH"] != "1" {
            try? FileManager.default.removeItem(atPath: scratchDirectory)
        }
    }
}
