import Foundation
import Testing
import WeirTestSupport

/// `weir table compact` as a user runs it: several write-only commits, a compaction of one partition, a full
/// compaction; the scan is the same before and after, and the command says what it did.
@Suite struct TableCompactCommandTests {
    func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init).sorted() }

    @Test func compactPartitionThenFull() async throws {
        let scratch = try Scratch("table-compact-cli")
        defer { scratch.remove() }
        let wh = ["--warehouse", scratch.path + "/wh"]
        try #"""
            {"fields": [{"name": "dt", "type": "STRING"}, {"name": "id", "type": "BIGINT"}, {"name": "v", "type": "STRING"}],
             "partitionKeys": ["dt"], "primaryKeys": ["dt", "id"], "options": {"bucket": "1", "write-only": "true"}}
            """#.write(toFile: scratch.path + "/schema.json", atomically: true, encoding: .utf8)
        var r = try await CLI.run(["table", "create", "db.t", "--schema", "schema.json"] + wh, directory: scratch.path)
        #expect(r.status == 0, "\(r.stderr)")
        for commit in 0..<6 {
            let rows = (0..<4).map { #"{"dt":"\#($0 % 2 == 0 ? "x" : "y")","id":\#($0 + commit),"v":"c\#(commit)"}"# }
                + (commit == 5 ? [#"{"dt":"x","id":0,"_op":"-D"}"#] : [])
            try rows.joined(separator: "\n").write(toFile: scratch.path + "/c\(commit).jsonl", atomically: true, encoding: .utf8)
            r = try await CLI.run(["table", "write", "db.t", "--input", "c\(commit).jsonl"] + wh, directory: scratch.path)
            #expect(r.status == 0, "\(r.stderr)")
        }
        r = try await CLI.run(["table", "scan", "db.t"] + wh, directory: scratch.path)
        let before = lines(r.stdout)
        #expect(before.count == 15 && !before.contains(#"{"dt":"x","id":0,"v":"c0"}"#), "\(r.stdout)")

        r = try await CLI.run(["table", "compact", "db.t", "--partition", "dt=x"] + wh, directory: scratch.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("dt=x/bucket-0: 6 files") && r.stdout.contains("-> level 5") && r.stdout.contains("snapshot 7 (COMPACT"),
                "\(r.stdout)")
        #expect(!r.stdout.contains("dt=y/"), "\(r.stdout)")
        r = try await CLI.run(["table", "scan", "db.t"] + wh, directory: scratch.path)
        #expect(lines(r.stdout) == before)

        r = try await CLI.run(["table", "compact", "db.t", "--full"] + wh, directory: scratch.path)
        #expect(r.status == 0 && r.stdout.contains("dt=y/bucket-0") && r.stdout.contains("snapshot 8 (COMPACT"), "\(r.stdout) \(r.stderr)")
        r = try await CLI.run(["table", "compact", "db.t", "--full"] + wh, directory: scratch.path)
        #expect(r.status == 0 && r.stdout.contains("nothing to compact"), "\(r.stdout) \(r.stderr)")
        r = try await CLI.run(["table", "scan", "db.t"] + wh, directory: scratch.path)
        #expect(lines(r.stdout) == before)
        r = try await CLI.run(["table", "describe", "db.t"] + wh, directory: scratch.path)
        #expect(r.stdout.contains("levels 5") && !r.stdout.contains("levels 0"), "\(r.stdout)")
        r = try await CLI.run(["table", "compact", "db.t", "--partition", "id=1"] + wh, directory: scratch.path)
        #expect(r.status != 0 && r.stderr.contains("not a partition key"), "\(r.stderr)")
    }
}
