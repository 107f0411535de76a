import Foundation

/// Runs a peer script from `Tests/Interop/peers/` with the interop venv's Python (`.venv-interop`, pinned in
/// `Tests/Interop/requirements.txt`; `WEIR_INTEROP_VENV` overrides it). The script gets `arguments`; its
/// standard output is returned; a non-zero exit throws with the tail of its standard error.
public enum PythonPeer {
    public static var venv: String {
        ProcessInfo.processInfo.environment["WEIR_INTEROP_VENV"].flatMap { $0.isEmpty ? nil : $0 } ?? PackageRoot.path + "/.venv-interop"
    }

    public static func run(_ script: String, _ arguments: [String], timeoutSeconds: Double = 300) async throws -> String {
        let python = venv + "/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw ServerError("no interop venv at \(venv): run scripts/setup --tests")
        }
        let result = try await ChildProcess.run(
            python, [PackageRoot.path + "/Tests/Interop/peers/" + script] + arguments,
            environment: ["PYTHONPATH": PackageRoot.path + "/Tests/Interop/peers", "PYTHONDONTWRITEBYTECODE": "1"],
            timeoutSeconds: timeoutSeconds)
        guard result.status == 0 else {
            throw ServerError("peer \(script) \(arguments.joined(separator: " ")) exited with \(result.status):\n\(result.stderr.suffix(4000))")
        }
        return result.stdout
    }
}
