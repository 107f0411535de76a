import Foundation
import Synchronization

/// A server process for tests, started through ``ParentWatch`` so it dies with the test process.
///
/// Output (stdout and stderr) goes to `<scratch>/<name>.log`. ``start(name:python:command:environment:directory:port:healthPath:startTimeoutMs:)``
/// returns once `GET healthPath` on 127.0.0.1:`port` gets any HTTP answer below 500; if the process exits first
/// or the timeout passes, it is stopped and the error carries the tail of the log.
/// ``stop()`` sends SIGTERM to the launcher's process group (the launcher and the server), waits up to
/// ``stopGraceMs`` for the launcher to exit, then SIGKILLs the group; it is idempotent and also runs on deinit.
public final class ServerProcess: Sendable {
    /// How long ``stop()`` waits after SIGTERM before SIGKILL, in milliseconds (longer than the launcher's own
    /// 3 s grace, so the launcher gets to kill its child itself).
    public static let stopGraceMs = 5_000
    /// The most log bytes quoted in a start-up error.
    public static let logTailBytesMax = 4_000

    public let name: String
    public let pid: Int32
    public let port: Int
    public let logPath: String
    private let process: Mutex<Process?>

    private init(name: String, process: Process, port: Int, logPath: String) {
        self.name = name
        self.pid = process.processIdentifier
        self.port = port
        self.logPath = logPath
        self.process = Mutex(process)
    }

    deinit { stop() }

    /// Starts `command` (an executable path and its arguments) under the launcher, run by `python`.
    public static func start(
        name: String, python: String, command: [String], environment: [String: String] = [:],
        directory: String, port: Int, healthPath: String, startTimeoutMs: Int = 60_000
    ) async throws -> ServerProcess {
        let launcher = try ParentWatch.install(in: directory)
        let logPath = directory + "/" + name + ".log"
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else { throw ServerError("cannot create \(logPath)") }
        guard let log = FileHandle(forWritingAtPath: logPath) else { throw ServerError("cannot open \(logPath)") }
        defer { try? log.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [launcher, String(ProcessInfo.processInfo.processIdentifier), "--"] + command
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw ServerError("cannot start \(name) (\(command.joined(separator: " "))): \(error)")
        }
        let server = ServerProcess(name: name, process: process, port: port, logPath: logPath)

        let started = ContinuousClock.now
        while true {
            if let status = server.exitStatus {
                server.stop()
                throw ServerError("\(name) exited with status \(status) before answering on 127.0.0.1:\(port)\(healthPath); log \(logPath) ends:\n\(server.logTail())")
            }
            if let answer = try? LoopbackHTTP.request("GET", port: port, path: healthPath, timeoutMs: 1_000), answer.status < 500 {
                return server
            }
            if ContinuousClock.now - started > .milliseconds(startTimeoutMs) {
                server.stop()
                throw ServerError("\(name) did not answer on 127.0.0.1:\(port)\(healthPath) within \(startTimeoutMs) ms; log \(logPath) ends:\n\(server.logTail())")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// True until the process has exited (or ``stop()`` was called).
    public var isRunning: Bool { process.withLock { $0?.isRunning ?? false } }

    /// The exit status once the process has exited by itself; nil while it runs or after ``stop()``.
    public var exitStatus: Int32? {
        process.withLock { p in
            guard let p, !p.isRunning else { return nil }
            return p.terminationStatus
        }
    }

    /// Stops the server by PID: SIGTERM, then SIGKILL after ``stopGraceMs``. Safe to call more than once.
    public func stop() {
        guard let process = process.withLock({ value in defer { value = nil }; return value }) else { return }
        guard process.isRunning else { return }
        signal(SIGTERM)
        let deadline = ContinuousClock.now + .milliseconds(Self.stopGraceMs)
        while process.isRunning && ContinuousClock.now < deadline {
            usleep(20_000)
        }
        if process.isRunning {
            signal(SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Kills launcher and server at once with SIGKILL (a crash, for failure tests); the process is then gone.
    public func kill9() {
        guard let process = process.withLock({ value in defer { value = nil }; return value }) else { return }
        signal(SIGKILL)
        process.waitUntilExit()
    }

    /// Signals the launcher's process group (launcher and server), or the launcher alone if it has not made
    /// its group yet.
    private func signal(_ signal: Int32) {
        if kill(-pid, signal) != 0 {
            _ = kill(pid, signal)
        }
    }

    /// The last ``logTailBytesMax`` bytes of the log.
    public func logTail() -> String {
        guard let data = FileManager.default.contents(atPath: logPath) else { return "(no log)" }
        return String(decoding: data.suffix(Self.logTailBytesMax), as: UTF8.self)
    }
}
