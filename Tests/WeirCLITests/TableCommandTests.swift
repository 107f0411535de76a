import Foundation
import Testing
import WeirTestSupport

/// `weir table` as a user runs it: create a partitioned primary-key table, write updates and deletes over several
/// commits, scan the merged rows (latest, by snapshot, by tag, projected and filtered), evolve the schema, list
/// snapshots and describe; bad input names the line and column and commits nothing.
@Suite struct TableCommandTests {
    static let schema = #"""
        {"fields": [{"name": "dt", "type": "STRING"}, {"name": "id", "type": "BIGINT"}, {"name": "name", "type": "STRING"},
                    {"name": "price", "type": "DECIMAL(10, 2)"}],
         "partitionKeys": ["dt"], "primaryKeys": ["dt", "id"], "options": {"bucket": "2"}}
        """#

    func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init).sorted() }

    @Test func writeScanTimeTravelAndEvolve() async throws {
        let scratch = try Scratch("table-cli")
        defer { scratch.remove() }
        let wh = ["--warehouse", scratch.path + "/wh"]
        try Self.schema.write(toFile: scratch.path + "/schema.json", atomically: true, encoding: .utf8)
        try """
            {"dt":"2024-01-01","id":1,"name":"a","price":"1.50"}
            {"dt":"2024-01-01","id":2,"name":"b","price":"2.50"}
            {"dt":"2024-01-02","id":1,"name":"c","price":"3.00"}
            """.write(toFile: scratch.path + "/c1.jsonl", atomically: true, encoding: .utf8)
        try """
            {"dt":"2024-01-01","id":2,"name":"b2","price":"20.00","_op":"+U"}
            {"dt":"2024-01-02","id":1,"_op":"-D"}
            {"dt":"2024-01-02","id":7,"name":"g","price":null}
            """.write(toFile: scratch.path + "/c2.jsonl", atomically: true, encoding: .utf8)

        var r = try await CLI.run(["table", "create", "db.t", "--schema", "schema.json"] + wh, directory: scratch.path)
        #expect(r.status == 0, "\(r.stderr)")
        r = try await CLI.run(["table", "write", "db.t", "--input", "c1.jsonl"] + wh, directory: scratch.path)
        #expect(r.status == 0 && r.stdout.contains("snapshot 1"), "\(r.stdout) \(r.stderr)")
        r = try await CLI.run(["table", "tag", "create", "db.t", "first"] + wh, directory: scratch.path)
        #expect(r.status == 0, "\(r.stderr)")
        r = try await CLI.run(["table", "write", "db.t", "--input", "c2.jsonl"] + wh, directory: scratch.path)
        #expect(r.status == 0 && r.stdout.contains("snapshot 2"), "\(r.stdout) \(r.stderr)")

        r = try await CLI.run(["table", "scan", "db.t"] + wh, directory: scratch.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(lines(r.stdout) == [
            #"{"dt":"2024-01-01","id":1,"name":"a","price":"1.50"}"#,
            #"{"dt":"2024-01-01","id":2,"name":"b2","price":"20.00"}"#,
            #"{"dt":"2024-01-02","id":7,"name":"g","price":null}"#,
        ], "\(r.stdout)")
        for old in [["--snapshot", "1"], ["--tag", "first"]] {
            r = try await CLI.run(["table", "scan", "db.t", "--select", "id,name"] + old + wh, directory: scratch.path)
            #expect(lines(r.stdout) == [#"{"id":1,"name":"a"}"#, #"{"id":1,"name":"c"}"#, #"{"id":2,"name":"b"}"#], "\(old): \(r.stdout) \(r.stderr)")
        }
        r = try await CLI.run(["table", "scan", "db.t", "--where", "dt = '2024-01-01' AND price > 2", "--select", "id"] + wh, directory: scratch.path)
        #expect(lines(r.stdout) == [#"{"id":2}"#], "\(r.stdout) \(r.stderr)")

        r = try await CLI.run(["table", "alter", "db.t", "--add-column", "qty INT", "--rename-column", "name=label"] + wh, directory: scratch.path)
        #expect(r.status == 0, "\(r.stderr)")
        r = try await CLI.run(["table", "scan", "db.t", "--where", "id = 1"] + wh, directory: scratch.path)
        #expect(lines(r.stdout) == [#"{"dt":"2024-01-01","id":1,"label":"a","price":"1.50","qty":null}"#], "\(r.stdout) \(r.stderr)")

        r = try await CLI.run(["table", "snapshots", "db.t"] + wh, directory: scratch.path)
        #expect(r.status == 0 && r.stdout.contains("APPEND") && lines(r.stdout).count == 3, "\(r.stdout) \(r.stderr)")
        r = try await CLI.run(["table", "describe", "db.t"] + wh, directory: scratch.path)
        #expect(r.status == 0 && r.stdout.contains("qty INT (id 4)") && r.stdout.contains("dt=2024-01-01/bucket-"), "\(r.stdout) \(r.stderr)")
    }

    @Test func badRowsCommitNothing() async throws {
        let scratch = try Scratch("table-cli")
        defer { scratch.remove() }
        let wh = ["--warehouse", scratch.path + "/wh"]
        try Self.schema.write(toFile: scratch.path + "/schema.json", atomically: true, encoding: .utf8)
        var input = (1...16).map { #"{"dt":"d","id":\#($0),"name":"n","price":"1.00"}"# }
        input.append(#"{"dt":"d","id":17,"name":"n","price":"abc"}"#)
        try input.joined(separator: "\n").write(toFile: scratch.path + "/bad.jsonl", atomically: true, encoding: .utf8)
        _ = try await CLI.run(["table", "create", "db.t", "--schema", "schema.json"] + wh, directory: scratch.path)
        var r = try await CLI.run(["table", "write", "db.t", "--input", "bad.jsonl"] + wh, directory: scratch.path)
        #expect(r.status != 0 && r.stderr.contains("line 17: column price: \"abc\" is not a DECIMAL(10, 2)"), "\(r.stderr)")
        r = try await CLI.run(["table", "snapshots", "db.t"] + wh, directory: scratch.path)
        #expect(lines(r.stdout).count == 1, "no snapshot after a failed write: \(r.stdout)")
        let dataFiles = FileManager.default.enumerator(atPath: scratch.path + "/wh/db.db/t")?.compactMap { $0 as? String }.filter { $0.contains("data-") } ?? []
        #expect(dataFiles.isEmpty, "\(dataFiles)")
        r = try await CLI.run(["table", "scan", "db.t", "--where", "nope = 1"] + wh, directory: scratch.path)
        #expect(r.status != 0 && r.stderr.contains("no column named \"nope\""), "\(r.stderr)")
        r = try await CLI.run(["table", "scan", "db.x"] + wh, directory: scratch.path)
        #expect(r.status != 0 && r.stderr.contains("no such table"), "\(r.stderr)")
    }
}
