import Foundation
import Testing
import WeirColumnar
import WeirFileIO
import WeirORC
import WeirTestSupport
import WeirTextFormats

/// ORC files checked against the pinned pyarrow (`pyarrow.orc`, ORC C++ 2.0) both ways, and the ORC files of the
/// pypaimon fixture warehouse. Values are compared as parsed JSON in Weir's value encoding (`ValueJSON`).
@Suite struct ORCInteropTests {
    static let codecs = ["uncompressed", "zlib", "snappy", "zstd", "lz4"]

    /// The rows of batches as JSON lines.
    static func jsonLines(_ batches: [ColumnBatch]) -> String {
        var out = ""
        for batch in batches {
            for row in 0..<batch.rowCount { out += ValueJSON.encodeRow(batch, row: row) + "\n" }
        }
        return out
    }

    static func path(_ local: String) throws -> StoragePath { try StoragePath(parsing: local) }

    /// The first difference between two JSON-lines texts, parsing (with `JSONLines.difference`) only the lines
    /// that differ as text.
    static func difference(_ expected: String, _ actual: String) throws -> String? {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: true)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: true)
        guard e.count == a.count else { return "expected \(e.count) rows, got \(a.count)" }
        for (index, (x, y)) in zip(e, a).enumerated() where x != y {
            if let difference = try JSONLines.difference(String(x), String(y)) { return "row \(index + 1): \(difference)" }
        }
        return nil
    }

    // MARK: pyarrow writes, Weir reads

    /// pyarrow writes every case (flat types with nulls everywhere, dictionary and direct strings, many stripes,
    /// nested types, no rows) with every codec it has; Weir reads each file to the rows pyarrow reads back.
    @Test func weirReadsWhatPyarrowWrites() async throws {
        let scratch = try Scratch("orc-pyarrow")
        defer { scratch.remove() }
        var specs = Self.codecs.map { "flat:\($0)" } + Self.codecs.map { "nested:\($0)" }
        specs += ["dictionary:zstd", "direct:zstd", "dictionary:uncompressed", "direct:snappy", "stripes:zstd", "stripes:uncompressed", "empty:zlib"]
        _ = try PythonPeer.run("orc_write.py", [scratch.path] + specs)
        let io = LocalFileIO()
        var checkedRows = 0
        for spec in specs {
            let base = scratch.path + "/" + spec.replacingOccurrences(of: ":", with: "-")
            let expected = try String(contentsOfFile: base + ".jsonl", encoding: .utf8)
            let (schema, batches) = try await ORCFile.readBatches(io: io, path: Self.path(base + ".orc"))
            for batch in batches { try batch.validate() }
            let difference = try Self.difference(expected, Self.jsonLines(batches))
            #expect(difference == nil, "\(spec): \(difference ?? "")")
            checkedRows += batches.reduce(0) { $0 + $1.rowCount }
            if spec.hasPrefix("stripes") { #expect(batches.count > 1, "\(spec): \(batches.count) stripes") }
            if spec.hasPrefix("flat") {
                #expect(schema.fields.map(\.type.description).contains("TIMESTAMP(9) WITH LOCAL TIME ZONE"))
            }
        }
        #expect(checkedRows == 5 * 3000 + 5 * 2000 + 4 * 8000 + 2 * 30000)
    }
}
