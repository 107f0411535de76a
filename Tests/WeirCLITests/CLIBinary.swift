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
