import Foundation
import WeirFileIO

/// A JuiceFS 1.4.2 S3 gateway (MinIO-derived, strict SigV4, ignores conditional writes) over a volume formatted
/// in a scratch directory (local files as storage, SQLite metadata), on a free port of 127.0.0.1
/// (spec/object-stores.md section 2.2).
public final class JuiceFSGateway: Sendable {
    public let process: ServerProcess
    public let scratchDirectory: String
    /// The gateway's root user and password (MINIO_ROOT_USER / MINIO_ROOT_PASSWORD).
    public static let credentials = S3Credentials(accessKeyID: "weiradmin", secretAccessKey: "weir-gateway-secret-123")
    /// The most time `juicefs format` may take, in milliseconds.
    public static let formatTimeoutMs = 60_000

    public var port: Int { process.port }
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    private init(process: ServerProcess, scratchDirectory: String) {
        self.process = process
        self.scratchDirectory = scratchDirectory
    }

    /// Formats a volume and starts the gateway; waits until `/minio/health/live` answers.
    public static func start() async throws -> JuiceFSGateway {
        let venv = try PackageRoot.serversVenv(requiring: "juicefs")
        let juicefs = venv + "/bin/juicefs"
        let directory = try PackageRoot.makeScratchDirectory("juicefs")
        let meta = "sqlite3://" + directory + "/meta.db"
        try await format(juicefs: juicefs, arguments: ["--no-agent", "format", "--storage", "file", "--bucket", directory + "/", meta, "vol"], directory: directory)
        let port = try FreePort.next()
        let process = try await ServerProcess.start(
            name: "juicefs-gateway", python: venv + "/bin/python",
            command: [juicefs, "--no-agent", "gateway", meta, "127.0.0.1:\(port)", "--multi-buckets", "--keep-etag", "--object-meta",
                      "--cache-dir", directory + "/cache", "--no-usage-report", "--log", directory + "/gw.log",
                      "--metrics", "127.0.0.1:0", "--no-banner"],
            environment: ["MINIO_ROOT_USER": credentials.accessKeyID, "MINIO_ROOT_PASSWORD": credentials.secretAccessKey],
            directory: directory, port: port, healthPath: "/minio/health/live")
        return JuiceFSGateway(process: process, scratchDirectory: directory)
    }

    /// A configuration for this gateway: path-style, conditional writes off (the gateway ignores them).
    public func configuration(credentials: S3Credentials = JuiceFSGateway.credentials,
                              retryPolicy: RetryPolicy = RetryPolicy(attemptsMax: 3, delayBaseMs: 20, delayMaxMs: 200)) throws -> S3Configuration {
        S3Configuration(
            endpoint: try S3Endpoint(parsing: endpoint), region: "us-east-1", credentials: credentials,
            addressingStyle: .path, conditionalWrites: false, partBytes: S3Configuration.partBytesMin, retryPolicy: retryPolicy)
    }

    /// Stops the gateway and removes its scratch directory (kept when `WEIR_KEEP_SCRATCH=1`).
    public func stop() {
        process.stop()
        if ProcessInfo.processInfo.environment["WEIR_KEEP_SCRATCH"] != "1" {
            try? FileManager.default.removeItem(atPath: scratchDirectory)
        }
    }

    private static func format(juicefs: String, arguments: [String], directory: String) async throws {
        let logPath = directory + "/format.log"
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else { throw ServerError("cannot create \(logPath)") }
        guard let log = FileHandle(forWritingAtPath: logPath) else { throw ServerError("cannot open \(logPath)") }
        defer { try? log.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: juicefs)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let started = ContinuousClock.now
        while process.isRunning {
            if ContinuousClock.now - started > .milliseconds(formatTimeoutMs) {
                process.terminate()
                throw ServerError("juicefs format did not finish within \(formatTimeoutMs) ms; see \(logPath)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        guard process.terminationStatus == 0 else {
            let tail = (FileManager.default.contents(atPath: logPath).map { String(decoding: $0.suffix(ServerProcess.logTailBytesMax), as: UTF8.self) }) ?? ""
            throw ServerError("juicefs format exited with status \(process.terminationStatus); log \(logPath) ends:\n\(tail)")
        }
    }
}
