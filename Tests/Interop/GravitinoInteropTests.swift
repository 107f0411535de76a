import Foundation
import Testing
import WeirFileIO
import WeirTable
import WeirTestSupport
import WeirTextFormats

/// `weir catalog serve` as a real process, driven by the real `apache-gravitino==1.3.1` Python client
/// (`peers/gravitino_client.py`) through every supported operation: on SQLite, and again on PostgreSQL (where the
/// peer also uses a `jdbc-postgresql` catalog on the same server). Its `lakehouse-paimon` catalog is a real Paimon
/// warehouse: a table pypaimon wrote there is listed and loaded; the table the client creates is written by Weir
/// and read back by pypaimon.
@Suite(.postgres, .serialized) struct GravitinoInteropTests {
    static let scenarios = ["metalakes", "fileset catalogs, schemas and filesets", "gvfs", "relational tables", "models and versions", "tags",
                            "simple auth", "errors", "lakehouse-paimon"]

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
        try await PaimonWarehouseChecks.prepare(scratch.path)
        let printed = try await GravitinoPeer.run("gravitino_client.py", [server.uri, scratch.path])
        expectScenarios(printed)
        try await PaimonWarehouseChecks.verify(scratch.path)
        #expect(server.process.isRunning)
    }

    @Test func gravitinoClientOnPostgreSQL() async throws {
        let postgres = try CurrentPostgres.require()
        let storeDatabase = try await SharedPostgres.shared.freshDatabase("store")
        let jdbcDatabase = try await SharedPostgres.shared.freshDatabase("jdbc")
        let scratch = try Scratch("gravitino"); defer { scratch.remove() }
        let server = try await WeirCatalogServer.start(store: postgres.url(database: storeDatabase), directory: scratch.path)
        defer { server.stop() }
        try await PaimonWarehouseChecks.prepare(scratch.path)
        let printed = try await GravitinoPeer.run("gravitino_client.py", [server.uri, scratch.path, postgres.jdbcURL(database: jdbcDatabase), PostgresServer.user])
        expectScenarios(printed, extra: ["jdbc-postgresql"])
        try await PaimonWarehouseChecks.verify(scratch.path)
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
        #expect(try await Eventually.holds { (try? LoopbackHTTP.request("GET", port: port, path: "/api/version"))?.status == 200 })
        kill(process.processIdentifier, SIGTERM)
        #expect(try await Eventually.holds(pollMs: 25) { !process.isRunning })
        #expect(!process.isRunning && process.terminationStatus == 0)
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(printed.contains("serving sqlite:\(scratch.path)/c.db on http://127.0.0.1:\(port)"), "\(printed)")
    }
}

/// The Paimon side of the `lakehouse-paimon` scenario: pypaimon writes `db.from_pypaimon` into the warehouse
/// before the client runs; afterwards Weir writes rows into the `db.events` table the client created through
/// the REST API, and pypaimon reads exactly those rows.
enum PaimonWarehouseChecks {
    static func prepare(_ scratch: String) async throws {
        let schema = #"{"fields": [{"name": "id", "type": "BIGINT NOT NULL"}, {"name": "name", "type": "STRING"}, {"name": "score", "type": "DOUBLE"}], "primaryKeys": ["id"], "options": {"bucket": "2"}}"#
        try schema.write(toFile: scratch + "/from_pypaimon.json", atomically: true, encoding: .utf8)
        _ = try await PythonPeer.run("paimon_table.py", ["create", scratch + "/paimon-wh", "db.from_pypaimon", scratch + "/from_pypaimon.json"])
    }

    static func verify(_ scratch: String) async throws {
        let warehouse = Warehouse(io: LocalFileIO(), root: try StoragePath(parsingLocalOrURI: scratch + "/paimon-wh", currentDirectory: "/"))
        let table = try await warehouse.table(try TableIdentifier(parsing: "db.events"))
        #expect(table.schema.fieldNames == ["id", "name", "price", "day", "qty"])
        let rows = """
            {"id":1,"name":"a","price":"1.50","day":"2024-01-01","qty":3}
            {"id":2,"name":"b","price":null,"day":"2024-01-02","qty":null}
            """
        let batches = try JSONLinesFormat.read(Array(rows.utf8), schema: table.schema.logicalRowType)
        var write = try await table.newWrite(commitUser: "interop")
        for batch in batches { try await write.write(batch) }
        _ = try await table.commit(try await write.prepareCommit(), commitUser: "interop")
        let read = try JSONLines.parse(try await PythonPeer.run("paimon_table.py", ["read", scratch + "/paimon-wh", "db.events"]))
        #expect(JSONLines.unorderedDifference(expected: try JSONLines.parse(rows), actual: read) == nil)
    }
}
