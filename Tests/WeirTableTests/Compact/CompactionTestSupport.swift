import Foundation
import Testing
import WeirCodecs
import WeirColumnar
import WeirFileIO
import WeirPaimon
@testable import WeirTable

/// One input row of the compaction tests' table `dt STRING, id BIGINT NOT NULL, v STRING, n BIGINT`, primary key
/// (dt, id), partitioned by dt.
struct TestRow: Sendable {
    var dt: String
    var id: Int64
    var v: String?
    var n: Int64?
    var kind: RowKind = .insert
}

enum CompactTables {
    static let columns: [TableSchema.Column] = [
        .init("dt", .string), .init("id", DataType(.bigint, nullable: false)), .init("v", .string), .init("n", DataType(.bigint)),
    ]

    /// A new table in memory with `options` (bucket 2 unless given).
    static func make(_ options: [String: String] = [:], io: MemoryFileIO = MemoryFileIO()) async throws -> FileStoreTable {
        let root = try StoragePath(parsing: "memory://c\(UInt32.random(in: 0...UInt32.max))/db.db/t")
        let schema = try TableSchema.create(columns: columns, partitionKeys: ["dt"], primaryKeys: ["dt", "id"],
                                            options: ["bucket": "2"].merging(options) { $1 }, timeMillis: 1_700_000_000_000)
        try await TableCreation.create(io: io, root: root, schema: schema)
        return try await FileStoreTable.open(io: io, root: root)
    }

    /// The rows as a batch in the table's columns.
    static func batch(_ rows: [TestRow], schema: TableSchema) throws -> ColumnBatch {
        var builders = schema.fields.map { ColumnBuilder(type: $0.type) }
        for row in rows {
            try builders[0].append(.string(row.dt))
            try builders[1].append(.integer(row.id))
            try builders[2].append(row.v.map { .string($0) } ?? .null)
            try builders[3].append(row.n.map { .integer($0) } ?? .null)
        }
        return ColumnBatch(schema: RowType(schema.fields), columns: builders.map { $0.finish() })
    }

    /// One write + commit of `rows` (a fresh commit user), handed to the writer `chunk` rows at a time.
    @discardableResult
    static func write(_ table: FileStoreTable, _ rows: [TestRow], chunk: Int = .max) async throws -> WriteCommitResult {
        let user = UUID().uuidString.lowercased()
        var write = try await table.newWrite(commitUser: user)
        var start = 0
        while start < rows.count {
            let part = Array(rows[start..<min(rows.count, start + chunk)])
            try await write.write(try batch(part, schema: table.schema), rowKinds: part.map(\.kind))
            start += part.count
        }
        let message = try await write.prepareCommit()
        return try await table.commitWrite(message, commitUser: user)
    }

    /// The merged rows of the latest snapshot as sorted `dt|id|v|n` lines.
    static func read(_ table: FileStoreTable, allLevels: Bool = true) async throws -> [String] {
        let plan = try await table.plan(try await table.resolve(.latest), allLevels: allLevels)
        let result = try await table.read(plan)
        var lines: [String] = []
        for batch in result.batches {
            for row in 0..<batch.rowCount {
                lines.append(batch.columns.map { "\($0.value(at: row))" }.joined(separator: "|"))
            }
        }
        return lines.sorted()
    }

    static func live(_ table: FileStoreTable) async throws -> [ManifestEntry] {
        guard let latest = try await table.snapshots.latest() else { return [] }
        return try await SnapshotReader(io: table.io, paths: table.paths).liveEntries(latest)
    }

    /// Checks the LSM invariants of every bucket: on each level ≥ 1 the files' key ranges do not overlap.
    static func expectLevelsDisjoint(_ table: FileStoreTable, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let comparator = try #require(KeyComparator(schema: table.schema))
        var groups: [String: [DataFileMeta]] = [:]
        for entry in try await live(table) where entry.file.level > 0 {
            groups["\(entry.partition.bytes)-\(entry.bucket)-\(entry.file.level)", default: []].append(entry.file)
        }
        for (group, files) in groups {
            let sorted = try files.sorted { try comparator.compare($0.minKey, $1.minKey) < 0 }
            for (a, b) in zip(sorted, sorted.dropFirst()) {
                #expect(try comparator.compare(a.maxKey, b.minKey) < 0, "overlap on \(group): \(a.fileName) and \(b.fileName)",
                        sourceLocation: sourceLocation)
            }
        }
    }

    /// Names of the data files under the table directory.
    static func dataFilesOnStorage(_ table: FileStoreTable) async throws -> Set<String> {
        let page = try await table.io.listAll(table.paths.root, recursive: true)
        return Set(page.files.map { String($0.path.name) }.filter { $0.hasPrefix("data-") })
    }

    /// Names of the data files some snapshot holds.
    static func referencedDataFiles(_ table: FileStoreTable) async throws -> Set<String> {
        var names = Set<String>()
        let reader = SnapshotReader(io: table.io, paths: table.paths)
        for snapshot in try await table.allSnapshots() {
            for entry in try await reader.liveEntries(snapshot) { names.insert(entry.file.fileName) }
        }
        return names
    }

    /// Every data file on storage belongs to some snapshot.
    static func expectNoStrayFiles(_ table: FileStoreTable, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let stray = try await dataFilesOnStorage(table).subtracting(try await referencedDataFiles(table))
        #expect(stray.isEmpty, "files no snapshot refers to: \(stray.sorted())", sourceLocation: sourceLocation)
    }

    /// Rows written with kinds and values that the merge engine of `engine` accepts.
    static func randomRows(_ engine: String, count: Int, keys: Int64, _ g: inout SplitMix64) -> [TestRow] {
        randomRows(engine, count: count, keys: 0..<keys, &g)
    }

    /// Rows with keys in `keys`.
    static func randomRows(_ engine: String, count: Int, keys: Range<Int64>, _ g: inout SplitMix64) -> [TestRow] {
        var rows: [TestRow] = []
        for _ in 0..<count {
            let dt = ["a", "b"].randomElement(using: &g)!
            let id = Int64.random(in: keys, using: &g)
            let v: String? = Int.random(in: 0..<4, using: &g) == 0 ? nil : ["x", "y", "z", "w"].randomElement(using: &g)!
            let n: Int64? = Int.random(in: 0..<4, using: &g) == 0 ? nil : Int64.random(in: -5...20, using: &g)
            var kind = RowKind.insert
            switch engine {
            case "deduplicate", "aggregation", "deduplicate-sequence-field":
                let roll = Int.random(in: 0..<10, using: &g)
                kind = roll < 5 ? .insert : roll < 7 ? .updateAfter : roll < 8 ? .updateBefore : .delete
            case "partial-update":
                kind = Bool.random(using: &g) ? .insert : .updateAfter
            default:
                kind = .insert
            }
            rows.append(TestRow(dt: dt, id: id, v: v, n: n, kind: kind))
        }
        return rows
    }

    static func engineOptions(_ engine: String) -> [String: String] {
        switch engine {
        case "partial-update": return ["merge-engine": "partial-update"]
        case "aggregation": return ["merge-engine": "aggregation", "fields.n.aggregate-function": "sum", "fields.v.aggregate-function": "last_value"]
        case "first-row": return ["merge-engine": "first-row"]
        case "deduplicate-sequence-field": return ["sequence.field": "n"]
        default: return [:]
        }
    }
}
