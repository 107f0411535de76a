import Foundation
import Testing

/// A throw-away PostgreSQL 15 server for tests: `initdb` into a scratch directory (under /tmp when running as root), `postgres` on a free port of
/// 127.0.0.1 with its Unix socket in the same directory, trust authentication for the superuser ``user``.
///
/// PostgreSQL refuses to run as root, and the tests run as root; the server (and `initdb`) then run as the
/// unprivileged user `nobody` through `setpriv` (which execs, so the postmaster's PID is the launcher's child),
/// and the scratch directory is handed to `nobody`. The server runs under ``ParentWatch`` so it dies with the
/// test process; ``stop()`` asks for a fast shutdown (SIGINT to the postmaster's PID from `postmaster.pid`),
/// then stops the launcher by PID, and removes the directory.
public final class PostgresServer: Sendable {
    /// Where Debian's `postgresql-15` puts its programs (`WEIR_POSTGRES_BIN` overrides it).
    public static var binDirectory: String {
        ProcessInfo.processInfo.environment["WEIR_POSTGRES_BIN"].flatMap { $0.isEmpty ? nil : $0 } ?? "/usr/lib/postgresql/15/bin"
    }
    /// The superuser `initdb` creates.
    public static let user = "weir"
    /// How long start-up may take, in milliseconds.
    public static let startTimeoutMs = 60_000

    public let port: Int
    public let directory: String
    public var dataDirectory: String { directory + "/data" }
    public var socketDirectory: String { directory + "/sock" }
    private let launcher: Process

    private init(port: Int, directory: String, launcher: Process) {
        self.port = port
        self.directory = directory
        self.launcher = launcher
    }

    deinit { stop() }

    /// A `postgresql://` URL for `database` over TCP.
    public func url(database: String) -> String { "postgresql://\(Self.user)@127.0.0.1:\(port)/\(database)" }

    /// A JDBC URL for `database`, as Gravitino's `jdbc-url` catalog property holds it.
    public func jdbcURL(database: String) -> String { "jdbc:postgresql://127.0.0.1:\(port)/\(database)" }

    /// Starts a server and waits until it accepts connections.
    public static func start() async throws -> PostgresServer {
        let initdb = binDirectory + "/initdb"
        guard FileManager.default.isExecutableFile(atPath: initdb) else {
            throw ServerError("no PostgreSQL at \(binDirectory): install Debian's postgresql-15 (scripts/setup --tests) or set WEIR_POSTGRES_BIN")
        }
        let asRoot = getuid() == 0
        // As root the server runs as `nobody`, who may not be able to walk into the package's folder: use /tmp then.
        let directory = asRoot ? NSTemporaryDirectory().trimmingSuffixSlash() + "/weir-postgres-" + UUID().uuidString.prefix(8).lowercased()
                               : try PackageRoot.makeScratchDirectory("postgres")
        try FileManager.default.createDirectory(atPath: directory + "/sock", withIntermediateDirectories: true)
        if asRoot {
            _ = try run("/bin/chown", ["-R", "nobody:nogroup", directory])
        }
        func unprivileged(_ command: [String]) -> [String] {
            asRoot ? ["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"] + command : command
        }
        let initArgs = unprivileged([initdb, "-D", directory + "/data", "-U", user, "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"])
        let initResult = try run(initArgs[0], Array(initArgs.dropFirst()), directory: directory)
        guard initResult.status == 0 else {
            try? FileManager.default.removeItem(atPath: directory)
            throw ServerError("initdb failed with status \(initResult.status): \(initResult.output.suffix(2000))")
        }
        let port = try FreePort.next()
        let script = try ParentWatch.install(in: directory)
        let log = directory + "/postgres.log"
        guard FileManager.default.createFile(atPath: log, contents: nil) else { throw ServerError("cannot create \(log)") }
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        defer { try? logHandle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script, String(ProcessInfo.processInfo.processIdentifier), "--"] + unprivileged([
            binDirectory + "/postgres", "-D", directory + "/data", "-p", String(port), "-k", directory + "/sock",
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
            "-c", "max_connections=200",
        ])
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = logHandle
        process.standardError = logHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let server = PostgresServer(port: port, directory: directory, launcher: process)
        let started = ContinuousClock.now
        while true {
            if !process.isRunning {
                let tail = (try? String(contentsOfFile: log, encoding: .utf8)).map { String($0.suffix(2000)) } ?? ""
                server.stop()
                throw ServerError("postgres exited with status \(process.terminationStatus) before accepting connections:\n\(tail)")
            }
            if let ready = try? run(binDirectory + "/pg_isready", ["-q", "-h", "127.0.0.1", "-p", String(port)]), ready.status == 0 { break }
            if ContinuousClock.now - started > .milliseconds(startTimeoutMs) {
                server.stop()
                throw ServerError("postgres did not accept connections on 127.0.0.1:\(port) within \(startTimeoutMs) ms")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return server
    }

    /// Creates a database owned by ``user``.
    public func createDatabase(_ name: String) throws {
        _ = try psql("CREATE DATABASE \"\(name)\"", database: "postgres")
    }

    /// Creates a login role that must give `password` over TCP (SCRAM-SHA-256; the superuser keeps trust), owning
    /// `database` (created here). The rule goes first in `pg_hba.conf`, and the server reloads its configuration.
    public func createPasswordRole(_ role: String, password: String, database: String) throws {
        try psql("CREATE ROLE \"\(role)\" LOGIN PASSWORD '\(password.replacingOccurrences(of: "'", with: "''"))'", database: "postgres")
        try psql("CREATE DATABASE \"\(database)\" OWNER \"\(role)\"", database: "postgres")
        let hba = dataDirectory + "/pg_hba.conf"
        let rules = try String(contentsOfFile: hba, encoding: .utf8)
        try ("host all \(role) 127.0.0.1/32 scram-sha-256\n" + rules).write(toFile: hba, atomically: false, encoding: .utf8)
        try psql("SELECT pg_reload_conf()", database: "postgres")
    }

    /// Runs SQL with `psql` and returns its unaligned, tuples-only output; a failure throws with psql's message.
    @discardableResult
    public func psql(_ sql: String, database: String) throws -> String {
        let result = try Self.run(Self.binDirectory + "/psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                                                            "-p", String(port), "-U", Self.user, "-d", database, "-c", sql])
        guard result.status == 0 else { throw ServerError("psql failed (\(result.status)) on \(sql.prefix(200)): \(result.output.suffix(2000))") }
        return result.output
    }

    /// Stops the server by PID (fast shutdown, then the launcher's process group) and removes its directory
    /// (kept when `WEIR_KEEP_SCRATCH=1`). Safe to call more than once.
    public func stop() {
        if let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
           let first = text.split(separator: "\n").first, let pid = Int32(first), pid > 1 {
            kill(pid, SIGINT)
            let deadline = ContinuousClock.now + .seconds(10)
            while kill(pid, 0) == 0 && ContinuousClock.now < deadline { usleep(20_000) }
        }
        if launcher.isRunning {
            if kill(-launcher.processIdentifier, SIGTERM) != 0 { _ = kill(launcher.processIdentifier, SIGTERM) }
            let deadline = ContinuousClock.now + .seconds(5)
            while launcher.isRunning && ContinuousClock.now < deadline { usleep(20_000) }
            if launcher.isRunning {
                if kill(-launcher.processIdentifier, SIGKILL) != 0 { _ = kill(launcher.processIdentifier, SIGKILL) }
                launcher.waitUntilExit()
            }
        }
        if ProcessInfo.processInfo.environment["WEIR_KEEP_SCRATCH"] != "1" {
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// Runs a program to completion; returns its status and combined output.
    static func run(_ executable: String, _ arguments: [String], directory: String? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// One PostgreSQL server per test process, shared by the suites that declare `.postgres`: started by the first,
/// stopped when the last one ends (also when its tests fail or throw).
public actor SharedPostgres {
    public static let shared = SharedPostgres()
    private var server: (server: PostgresServer, users: Int)?
    private var starting: Task<PostgresServer, any Error>?
    private var databases = 0

    public func acquire() async throws -> PostgresServer {
        if let server {
            self.server = (server.server, server.users + 1)
            return server.server
        }
        let task = starting ?? Task { try await PostgresServer.start() }
        starting = task
        let started = try await task.value
        starting = nil
        if let server {
            self.server = (server.server, server.users + 1)
        } else {
            server = (started, 1)
        }
        return server!.server
    }

    public func release() {
        guard let server else { return }
        if server.users > 1 {
            self.server = (server.server, server.users - 1)
        } else {
            server.server.stop()
            self.server = nil
        }
    }

    /// A fresh database on the shared server, named after `label`.
    public func freshDatabase(_ label: String) throws -> String {
        guard let server else { throw ServerError("the PostgreSQL server is not running (declare the .postgres trait)") }
        databases += 1
        let name = "\(label)_\(databases)_\(UUID().uuidString.prefix(6).lowercased())"
        try server.server.createDatabase(name)
        return name
    }
}

/// The PostgreSQL server of the running suite.
public enum CurrentPostgres {
    @TaskLocal public static var server: PostgresServer?

    public static func require() throws -> PostgresServer {
        try #require(server, "the suite needs the .postgres trait")
    }
}

/// Runs a suite with the shared PostgreSQL server.
public struct PostgresTrait: SuiteTrait, TestScoping {
    public init() {}
    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let server = try await SharedPostgres.shared.acquire()
        do {
            try await CurrentPostgres.$server.withValue(server) { try await function() }
        } catch {
            await SharedPostgres.shared.release()
            throw error
        }
        await SharedPostgres.shared.release()
    }
}

extension Trait where Self == PostgresTrait {
    public static var postgres: PostgresTrait { PostgresTrait() }
}

fileprivate extension String {
    func trimmingSuffixSlash() -> String {
        var s = self
        while s.count > 1 && s.hasSuffix("/") { s.removeLast() }
        return s
    }
}
