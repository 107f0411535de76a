import Foundation
import Testing
import WeirTestSupport

/// `weir catalog serve` as a real process, driven by the real `apache-gravitino==1.3.1` Python client
/// (`peers/gravitino_client.py`) through every supported operation: on SQLite, and again on PostgreSQL (where the
/// peer also uses a `jdbc-postgresql` catalog on the same server).
@Suite(.postgres, .serialized) struct GravitinoInteropTests {
    static let scenarios = ["metalakes", "fileset catalogs, schemas and filesets", "gvfs", "relational tables", "models and versions", "tags",
                            "simple auth", "errors"]

    func expectScenarios(_ printed: String, extra: [String] = []) {
        let passed = printed.split(separator: "\n").filter { $0.hasPrefix("ok ") }.map { line -> String in
            let words = line.dropFirst(3).split(separator: " ")
            return words.dropLast().joined(separator: " ")
        }
        #expect(passed == Self.scenarios + extra, "\(printed)")
    }

    @Test func gravitinoClientOnSQLite() async throws {
        let scratch = try Scratch("gravitino"); defer { scratch.remove() }
        let server = try await WeirCatalogServer.start(store: "sqlite:\(scratch.path)/catalog.db", directory: scratch.path)
        defer { server.stop() }
        let printed = try await GravitinoPeer.run("gravitino_client.py", [server.uri, scratch.path])
        expectScenarios(printed)
        #expect(server.process.isRunning)
    }

    @Test func gravitinoClientOnPostgreSQL() async throws {
        let postgres = try CurrentPostgres.require()
        let storeDatabase = try await SharedPostgres.shared.freshDatabase("store")
        let jdbcDatabase = try await SharedPostgres.shared.freshDatabase("jdbc")
        let scratch = try Scratch("gravitino"); defer { scratch.remove() }
        let server = try await WeirCatalogServer.start(store: postgres.url(database: storeDatabase), directory: scratch.path)
        defer { server.stop() }
        let printed = try await GravitinoPeer.run("gravitino_client.py", [server.uri, scratch.path, postgres.jdbcURL(database: jdbcDatabase), PostgresServer.user])
        expectScenarios(printed, extra: ["jdbc-postgresql"])
        // The store really is in PostgreSQL: the runs left their migrations there.
        #expect(try postgres.psql("SELECT module || '/' || version FROM weir_schema_versions", database: storeDatabase)
            .trimmingCharacters(in: .whitespacesAndNewlines) == "catalog/1")
    }

    /// SIGTERM stops the server gracefully: exit status 0.
    @Test func serveStopsOnSIGTERM() async throws {
        let scratch = try Scratch("gravitino"); defer { scratch.remove() }
        let port = try FreePort.next()
        // The test process runs with signals blocked and children inherit that: unblock, then exec weir (same PID).
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, set()); os.execv(sys.argv[1], sys.argv[1:])",
                             WeirCatalogServer.executable, "catalog", "serve", "--store", "sqlite:\(scratch.path)/c.db", "--listen", "127.0.0.1:\(port)"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        var answered = false
        for _ in 0..<200 where !answered {
            answered = (try? LoopbackHTTP.request("GET", port: port, path: "/api/version"))?.status == 200
            if !answered { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(answered)
        kill(process.processIdentifier, SIGTERM)
        for _ in 0..<200 where process.isRunning { try await Task.sleep(for: .milliseconds(25)) }
        #expect(!process.isRunning && process.terminationStatus == 0)
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(printed.contains("serving sqlite:\(scratch.path)/c.db on http://127.0.0.1:\(port)"), "\(printed)")
    }
}
