import Foundation
import WeirTestSupport

/// Runs the `weir` executable of this build as a child process.
enum CLI {
    /// The executable beside the test bundle in the build products directory.
    static var path: String {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            let candidate = url.deletingLastPathComponent().appendingPathComponent("weir")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
            url = url.deletingLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath + "/.build/debug/weir"
    }

    typealias Result = ChildProcess.Result

    /// Runs `weir arguments...` to completion with `environment` added to this process's environment.
    static func run(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil) async throws -> Result {
        try await ChildProcess.run(path, arguments, environment: environment, directory: directory)
    }
}

extension CLI {
    /// Runs `weir arguments...` under a Python parent that reports the child's peak resident set size
    /// (getrusage RUSAGE_CHILDREN, ru_maxrss in KiB on Linux). Returns the result and the peak in bytes.
    static func runMeasuringPeakMemory(_ arguments: [String], environment: [String: String] = [:]) async throws -> (Result, Int) {
        let script = """
            import resource, subprocess, sys
            code = subprocess.run(sys.argv[1:]).returncode
            print("peak_rss_kib=%d" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
            sys.exit(code)
            """
        var result = try await ChildProcess.run("/usr/bin/env", ["python3", "-c", script, path] + arguments, environment: environment)
        var peakBytes = -1
        if let line = result.stderr.split(separator: "\n").last(where: { $0.hasPrefix("peak_rss_kib=") }),
           let kib = Int(line.dropFirst("peak_rss_kib=".count)) {
            peakBytes = kib * 1024
            result.stderr = result.stderr.replacingOccurrences(of: String(line) + "\n", with: "")
        }
        return (result, peakBytes)
    }
}

extension CLI {
    /// Starts `weir arguments...` without waiting for it; standard output and error go to `logPath`.
    static func start(_ arguments: [String], logPath: String, directory: String? = nil) throws -> RunningCLI {
        try RunningCLI(path, arguments, logPath: logPath, directory: directory)
    }
}

/// A `weir` process a test started and controls: signalled by PID, awaited without blocking a thread (the exit
/// arrives through the process's termination handler). ``kill(_:)`` is safe after the process has exited.
final class RunningCLI: @unchecked Sendable {
    /// How a process ended: its exit status or, when `signalled`, the signal that ended it.
    struct Exit: Sendable, Equatable {
        var status: Int32
        var signalled: Bool
    }

    let logPath: String
    private let process: Process
    private let lock = NSLock()
    private var exit: Exit?
    private var waiters: [CheckedContinuation<Exit, Never>] = []

    init(_ executable: String, _ arguments: [String], logPath: String, directory: String?) throws {
        guard FileManager.default.createFile(atPath: logPath, contents: nil), let log = FileHandle(forWritingAtPath: logPath) else {
            throw CLIError("cannot create the log \(logPath)")
        }
        defer { try? log.close() }
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        self.logPath = logPath
        process.terminationHandler = { ended in
            ended.terminationHandler = nil  // the handler holds this object: break the cycle
            let result = Exit(status: ended.terminationStatus, signalled: ended.terminationReason == .uncaughtSignal)
            let resumed: [CheckedContinuation<Exit, Never>] = self.lock.withLock { () -> [CheckedContinuation<Exit, Never>] in
                self.exit = result
                defer { self.waiters = [] }
                return self.waiters
            }
            for waiter in resumed { waiter.resume(returning: result) }
        }
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// The exit once the process has ended; nil while it runs.
    var exited: Exit? { lock.withLock { exit } }

    /// Sends `signal` to the process (by its PID) unless it has already ended.
    func kill(_ signal: Int32) {
        lock.withLock {
            if exit == nil { _ = Foundation.kill(pid, signal) }
        }
    }

    /// Waits for the process to end.
    func waitForExit() async -> Exit {
        await withCheckedContinuation { continuation in
            let done: Exit? = lock.withLock {
                if let exit { return exit }
                waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// The process's output so far.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
}

/// A test helper's failure, with what went wrong.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
