import Foundation

/// Runs a peer script from `Tests/Interop/peers/` with the interop venv's Python (`.venv-interop`, pinned in
/// `Tests/Interop/requirements.txt`; `WEIR_INTEROP_VENV` overrides it). The script gets `arguments`; its
/// standard output is returned; a non-zero exit throws with the tail of its standard error.
public enum PythonPeer {
    public static var venv: String {
        ProcessInfo.processInfo.environment["WEIR_INTEROP_VENV"].flatMap { $0.isEmpty ? nil : $0 } ?? PackageRoot.path + "/.venv-interop"
    }

    public static func run(_ script: String, _ arguments: [String], timeoutSeconds: Double = 300) throws -> String {
        let python = venv + "/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw ServerError("no interop venv at \(venv): run scripts/setup --tests")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [PackageRoot.path + "/Tests/Interop/peers/" + script] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = PackageRoot.path + "/Tests/Interop/peers"
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let deadline = DispatchTime.now() + timeoutSeconds
        let killer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: deadline, execute: killer)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer.cancel()
        guard process.terminationStatus == 0 else {
            let tail = String(decoding: stderr.suffix(4000), as: UTF8.self)
            throw ServerError("peer \(script) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus):\n\(tail)")
        }
        return String(decoding: stdout, as: UTF8.self)
    }
}
