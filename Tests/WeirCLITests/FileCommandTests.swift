import Foundation
import Testing
import WeirTestSupport

/// `weir file convert` and `inspect` as a user runs them: JSONL goes through Parquet, ORC, Avro and CSV and comes
/// back with the same values; bad input gets a clear error.
@Suite struct FileCommandTests {
    static let schema = #"""
        {"fields": [{"name": "id", "type": "BIGINT NOT NULL"}, {"name": "name", "type": "STRING"},
                    {"name": "price", "type": "DECIMAL(10, 2)"}, {"name": "day", "type": "DATE"},
                    {"name": "ts", "type": "TIMESTAMP(6)"}, {"name": "tags", "type": {"type": "ARRAY", "element": "STRING"}}]}
        """#
    static let rows = (1...300).map { i in
        #"{"id":\#(i),"name":"n\#(i)","price":"\#(i).\#(String(format: "%02d", i % 100))","day":"2024-01-\#(String(format: "%02d", i % 28 + 1))","ts":"2024-06-01T00:00:\#(String(format: "%02d", i % 60)).123456","tags":["a","b\#(i)"]}"#
    }.joined(separator: "\n") + "\n" + #"{"id":0,"name":null,"price":null,"day":null,"ts":null,"tags":null}"# + "\n"

    @Test func convertsThroughEveryFormatAndBack() async throws {
        let scratch = try Scratch("file-cli")
        defer { scratch.remove() }
        try Self.schema.write(toFile: scratch.path + "/schema.json", atomically: true, encoding: .utf8)
        try Self.rows.write(toFile: scratch.path + "/in.jsonl", atomically: true, encoding: .utf8)
        let chain = ["in.jsonl", "a.parquet", "b.orc", "c.avro", "d.csv", "e.parquet", "out.jsonl"]
        for (from, to) in zip(chain, chain.dropFirst()) {
            var arguments = ["file", "convert", from, to]
            if from.hasSuffix(".jsonl") || from.hasSuffix(".csv") { arguments += ["--schema", "schema.json"] }
            let result = try await CLI.run(arguments, directory: scratch.path)
            #expect(result.status == 0, "\(from) -> \(to): \(result.stderr)")
            #expect(result.stdout.contains("converted 301 rows, 6 columns"), "\(result.stdout)")
        }
        let back = try String(contentsOfFile: scratch.path + "/out.jsonl", encoding: .utf8)
        #expect(try JSONLines.difference(Self.rows, back) == nil)

        for (file, marker) in [("a.parquet", "paimon_schema"), ("b.orc", "stripe"), ("c.avro", "zstandard")] {
            let inspected = try await CLI.run(["file", "inspect", file], directory: scratch.path)
            #expect(inspected.status == 0 && inspected.stdout.lowercased().contains(marker.lowercased()), "\(file): \(inspected.stdout.prefix(400)) \(inspected.stderr)")
        }
    }

    @Test func badInputGetsAClearError() async throws {
        let scratch = try Scratch("file-cli")
        defer { scratch.remove() }
        try Self.schema.write(toFile: scratch.path + "/schema.json", atomically: true, encoding: .utf8)
        try "{\"id\": 1, \"price\": \"abc\"}\n".write(toFile: scratch.path + "/bad.jsonl", atomically: true, encoding: .utf8)
        let bad = try await CLI.run(["file", "convert", "bad.jsonl", "x.parquet", "--schema", "schema.json"], directory: scratch.path)
        #expect(bad.status != 0 && bad.stderr.contains("line 1: column price: \"abc\" is not a DECIMAL(10, 2)"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/x.parquet"))
        let noSchema = try await CLI.run(["file", "convert", "bad.jsonl", "x.parquet"], directory: scratch.path)
        #expect(noSchema.status != 0 && noSchema.stderr.contains("give its schema with --schema"), "\(noSchema.stderr)")
        try "not a data file".write(toFile: scratch.path + "/plain.txt", atomically: true, encoding: .utf8)
        let inspect = try await CLI.run(["file", "inspect", "plain.txt"], directory: scratch.path)
        #expect(inspect.status != 0 && inspect.stderr.contains("not a Parquet, ORC or Avro file"), "\(inspect.stderr)")
    }
}
