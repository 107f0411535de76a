import Foundation
import Testing
import WeirTestSupport

/// `weir table scan --changelog --from-snapshot N`: the change stream, one JSON line per record with a leading
/// "_kind", in snapshot order and then sequence order — the raw input of a `changelog-producer=input` table, the
/// committed delta files of a table without a producer.
@Suite struct TableChangelogCommandTests {
    @Test func changelogScanPrintsTheChangeStream() async throws {
        let scratch = try Scratch("table-changelog-cli")
        defer { scratch.remove() }
        let wh = ["--warehouse", scratch.path + "/wh"]
        for (name, options) in [("input", #"{"bucket": "1", "changelog-producer": "input"}"#), ("plain", #"{"bucket": "1"}"#)] {
            try """
                {"fields": [{"name": "id", "type": "BIGINT NOT NULL"}, {"name": "name", "type": "STRING"}],
                 "primaryKeys": ["id"], "options": \(options)}
                """.write(toFile: scratch.path + "/\(name).json", atomically: true, encoding: .utf8)
        }
        try """
            {"id":2,"name":"b"}
            {"id":1,"name":"a"}
            {"id":1,"name":"a2","_op":"+U"}
            """.write(toFile: scratch.path + "/c1.jsonl", atomically: true, encoding: .utf8)
        try #"{"id":2,"_op":"-D"}"#.write(toFile: scratch.path + "/c2.jsonl", atomically: true, encoding: .utf8)
        for name in ["input", "plain"] {
            var r = try await CLI.run(["table", "create", "db.\(name)", "--schema", "\(name).json"] + wh, directory: scratch.path)
            #expect(r.status == 0, "\(r.stderr)")
            for input in ["c1.jsonl", "c2.jsonl"] {
                r = try await CLI.run(["table", "write", "db.\(name)", "--input", input] + wh, directory: scratch.path)
                #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
            }
        }

        var r = try await CLI.run(["table", "scan", "db.input", "--changelog", "--from-snapshot", "1"] + wh, directory: scratch.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == """
            {"_kind":"+I","id":2,"name":"b"}
            {"_kind":"+I","id":1,"name":"a"}
            {"_kind":"+U","id":1,"name":"a2"}
            {"_kind":"-D","id":2,"name":null}

            """, "\(r.stdout)")
        r = try await CLI.run(["table", "scan", "db.input", "--changelog", "--from-snapshot", "2", "--select", "id"] + wh, directory: scratch.path)
        #expect(r.status == 0 && r.stdout == "{\"_kind\":\"-D\",\"id\":2}\n", "\(r.stdout) \(r.stderr)")
        // Without --from-snapshot: from the earliest.
        r = try await CLI.run(["table", "scan", "db.input", "--changelog", "--where", "id = 1"] + wh, directory: scratch.path)
        #expect(r.stdout.split(separator: "\n") == [#"{"_kind":"+I","id":1,"name":"a"}"#, #"{"_kind":"+U","id":1,"name":"a2"}"#], "\(r.stdout) \(r.stderr)")

        // No producer: each APPEND snapshot's new (merged) files.
        r = try await CLI.run(["table", "scan", "db.plain", "--changelog", "--from-snapshot", "1"] + wh, directory: scratch.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == """
            {"_kind":"+I","id":2,"name":"b"}
            {"_kind":"+U","id":1,"name":"a2"}
            {"_kind":"-D","id":2,"name":null}

            """, "\(r.stdout)")
        // Merged rows are unchanged by the producer.
        r = try await CLI.run(["table", "scan", "db.input"] + wh, directory: scratch.path)
        #expect(r.stdout == "{\"id\":1,\"name\":\"a2\"}\n", "\(r.stdout) \(r.stderr)")

        r = try await CLI.run(["table", "scan", "db.input", "--from-snapshot", "1"] + wh, directory: scratch.path)
        #expect(r.status != 0 && r.stderr.contains("--from-snapshot needs --changelog"), "\(r.stderr)")
        r = try await CLI.run(["table", "scan", "db.input", "--changelog", "--snapshot", "1"] + wh, directory: scratch.path)
        #expect(r.status != 0, "\(r.stderr)")
    }
}
