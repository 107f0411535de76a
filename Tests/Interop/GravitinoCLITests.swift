import Foundation
import Testing
import WeirTestSupport

/// `weir catalog ...` commands from the shell: directly on a store, and against a running server, with the same
/// answers; every command has `--help`; errors print as `weir: ...` with exit status 1.
@Suite struct GravitinoCLITests {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func weir(_ arguments: [String], environment: [String: String] = [:]) async throws -> Result {
        let result = try await ChildProcess.run(WeirCatalogServer.executable, arguments, environment: environment)
        return Result(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }

    /// Runs the same session of commands with `connection` and returns what they printed.
    func session(_ connection: [String], lake: String) async throws -> [String] {
        var printed: [String] = []
        func ok(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let r = try await weir(["catalog"] + args + connection, environment: ["WEIR_METALAKE": "ml"])
            #expect(r.status == 0, "\(args): \(r.stderr)", sourceLocation: sourceLocation)
            printed.append(r.stdout)
        }
        try await ok(["metalake", "create", "ml", "--comment", "from the shell", "--property", "team=data", "--user", "carol"])
        try await ok(["metalake", "list"])
        try await ok(["catalog", "create", "files", "--type", "fileset", "--property", "location=\(lake)"])
        try await ok(["catalog", "create", "models", "--type", "model"])
        try await ok(["catalog", "create", "hive", "--type", "relational", "--provider", "hive", "--property", "metastore.uris=thrift://h:9083"])
        try await ok(["catalog", "list"])
        try await ok(["schema", "create", "files.raw"])
        try await ok(["schema", "create", "models.s"])
        try await ok(["schema", "create", "hive.db"])
        try await ok(["schema", "list", "files"])
        try await ok(["table", "list", "hive.db"])
        try await ok(["fileset", "create", "files.raw.events", "--property", "k=v"])
        try await ok(["fileset", "list", "files.raw"])
        try await ok(["fileset", "location", "files.raw.events", "/2026/01/a.parquet"])
        try await ok(["model", "register", "models.s.llm"])
        try await ok(["model", "link", "models.s.llm", "--uri", "s3://b/v0", "--uri", "hf=hf://org/m", "--alias", "prod"])
        try await ok(["model", "versions", "models.s.llm"])
        try await ok(["tag", "create", "gold"])
        try await ok(["tag", "associate", "fileset", "files.raw.events", "--add", "gold"])
        try await ok(["tag", "list"])
        try await ok(["tag", "objects", "gold"])
        try await ok(["metalake", "show", "ml", "--json"])
        return printed
    }

    @Test func commandsWorkOnAStoreAndAgainstAServerAlike() async throws {
        let scratch = try Scratch("cli"); defer { scratch.remove() }
        let direct = try await session(["--store", "sqlite:\(scratch.path)/direct.db"], lake: scratch.path + "/lake1")
        #expect(direct[1] == "ml\n" && direct[5] == "files\nhive\nmodels\n" && direct[9] == "raw\n")
        #expect(direct[13] == "file:\(scratch.path)/lake1/raw/events/2026/01/a.parquet\n")
        #expect(direct[16].contains("0\tprod\thf=hf://org/m unknown=s3://b/v0"))
        #expect(direct[18] == "gold\n" && direct[19] == "gold\n" && direct[20] == "fileset files.raw.events\n")
        #expect(direct[21].contains("\"creator\" : \"carol\"") && direct[21].contains("\"team\" : \"data\""))
        #expect(FileManager.default.fileExists(atPath: scratch.path + "/lake1/raw/events"))

        let server = try await WeirCatalogServer.start(store: "sqlite:\(scratch.path)/served.db", directory: scratch.path)
        defer { server.stop() }
        let served = try await session(["--server", server.uri], lake: scratch.path + "/lake2")
        #expect(served.count == direct.count)
        for (a, b) in zip(direct, served) where !a.contains("\"audit\"") {
            #expect(a.replacingOccurrences(of: "lake1", with: "lake2") == b)
        }
        // Errors: weir: <type>: <message>, exit status 1.
        let missing = try await weir(["catalog", "catalog", "show", "nope", "--server", server.uri, "--metalake", "ml"])
        #expect(missing.status == 1 && missing.stderr.hasPrefix("weir: NoSuchCatalogException: "), "\(missing.stderr)")
        let noTarget = try await weir(["catalog", "metalake", "list"], environment: ["WEIR_CATALOG_SERVER": "", "WEIR_CATALOG_STORE": ""])
        #expect(noTarget.status == 1 && noTarget.stderr.hasPrefix("weir: name a running service"), "\(noTarget.stderr)")
        let badStore = try await weir(["catalog", "metalake", "list", "--store", "mysql://x"])
        #expect(badStore.status == 1 && badStore.stderr.contains("unknown store"), "\(badStore.stderr)")
    }

    @Test func everyCatalogCommandHasHelp() async throws {
        let commands = [[], ["serve"], ["metalake"], ["metalake", "create"], ["metalake", "list"], ["metalake", "show"], ["metalake", "drop"],
                        ["catalog"], ["catalog", "create"], ["catalog", "list"], ["catalog", "show"], ["catalog", "drop"],
                        ["schema", "create"], ["schema", "list"], ["schema", "show"], ["schema", "drop"], ["table", "list"], ["table", "show"],
                        ["fileset", "create"], ["fileset", "list"], ["fileset", "show"], ["fileset", "location"], ["fileset", "drop"],
                        ["model", "register"], ["model", "list"], ["model", "show"], ["model", "link"], ["model", "versions"], ["model", "drop"],
                        ["tag", "create"], ["tag", "list"], ["tag", "associate"], ["tag", "objects"]]
        for command in commands {
            let r = try await weir(["catalog"] + command + ["--help"])
            #expect(r.status == 0 && r.stdout.contains("USAGE: weir catalog"), "\(command): \(r.stdout.prefix(200)) \(r.stderr)")
        }
    }
}
