import Foundation

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

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `weir arguments...` to completion with `environment` added to this process's environment.
    static func run(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil) throws -> Result {
        try spawn(path, arguments, environment: environment, directory: directory)
    }

    /// Runs `executable arguments...` to completion, collecting its output.
    static func spawn(_ executable: String, _ arguments: [String], environment: [String: String], directory: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Drain both pipes while the child runs, so a large output cannot block it.
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: stdoutData, as: UTF8.self),
                      stderr: String(decoding: stderrData, as: UTF8.self))
    }
}

extension CLI {
    /// Runs `weir arguments...` under a Python parent that reports the child's peak resident set size
    /// (getrusage RUSAGE_CHILDREN, ru_maxrss in KiB on Linux). Returns the result and the peak in bytes.
    static func runMeasuringPeakMemory(_ arguments: [String], environment: [String: String] = [:]) throws -> (Result, Int) {
        let script = """
            import resource, subprocess, sys
            code = subprocess.run(sys.argv[1:]).returncode
            print("peak_rss_kib=%d" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
            sys.exit(code)
            """
        var result = try spawn("/usr/bin/env", ["python3", "-c", script, path] + arguments, environment: environment)
        var peakBytes = -1
        if let line = result.stderr.split(separator: "\n").last(where: { $0.hasPrefix("peak_rss_kib=") }),
           let kib = Int(line.dropFirst("peak_rss_kib=".count)) {
            peakBytes = kib * 1024
            result.stderr = result.stderr.replacingOccurrences(of: String(line) + "\n", with: "")
        }
        return (result, peakBytes)
    }
}
