import Foundation

/// Runs a peer script from `Tests/Interop/peers/` with the Python of the gravitino venv (`.venv-gravitino`, pinned
/// in `Tests/Interop/requirements-gravitino.txt`; `WEIR_GRAVITINO_VENV` overrides it): the real `apache-gravitino`
/// client. Its standard output is returned; a non-zero exit throws with the tail of both outputs.
public enum GravitinoPeer {
    public static var venv: String {
        ProcessInfo.processInfo.environment["WEIR_GRAVITINO_VENV"].flatMap { $0.isEmpty ? nil : $0 } ?? PackageRoot.path + "/.venv-gravitino"
    }

    /// The venv's Python, or an error naming how to make the venv.
    public static func python() throws -> String {
        let python = venv + "/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw ServerError("no gravitino venv at \(venv): run scripts/setup --tests (or set WEIR_GRAVITINO_VENV)")
        }
        return python
    }

    public static func run(_ script: String, _ arguments: [String], environment: [String: String] = [:], timeoutSeconds: Double = 120) async throws -> String {
        var env = environment
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONPATH"] = PackageRoot.path + "/Tests/Interop/peers"
        let result = try await ChildProcess.run(try python(), [PackageRoot.path + "/Tests/Interop/peers/" + script] + arguments,
                                                environment: env, timeoutSeconds: timeoutSeconds)
        guard result.status == 0 else {
            throw ServerError("gravitino peer \(script) exited with \(result.status):\n\(result.stdout.suffix(2000))\n\(result.stderr.suffix(6000))")
        }
        return result.stdout
    }
}

/// `weir catalog serve` as a real process on a free loopback port, stopped by PID.
public final class WeirCatalogServer: Sendable {
    public let process: ServerProcess
    public var port: Int { process.port }
    public var uri: String { "http://127.0.0.1:\(port)" }

    private init(process: ServerProcess) { self.process = process }

    /// The `weir` executable of this build (beside the test bundle).
    public static var executable: String {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            let candidate = url.deletingLastPathComponent().appendingPathComponent("weir")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
            url = url.deletingLastPathComponent()
        }
        return PackageRoot.path + "/.build/debug/weir"
    }

    /// Starts the server on `store` and waits until `/api/version` answers.
    public static func start(store: String, directory: String, extraArguments: [String] = []) async throws -> WeirCatalogServer {
        let port = try FreePort.next()
        let process = try await ServerProcess.start(
            name: "weir-catalog", python: "/usr/bin/python3",
            command: [executable, "catalog", "serve", "--store", store, "--listen", "127.0.0.1:\(port)", "--log-level", "warning"] + extraArguments,
            directory: directory, port: port, healthPath: "/api/version")
        return WeirCatalogServer(process: process)
    }

    public func stop() { process.stop() }
}
