import Foundation
import Testing
import WeirColumnar
import WeirFileIO
import WeirPaimon
@testable import WeirTable
import WeirTestSupport
import WeirTextFormats

/// Deletion vectors and changelog files against the real pypaimon 2.1.0 (and its pyroaring):
/// - roaring bitmaps: Weir decodes what pyroaring writes (plain and run-optimized) and writes the same bytes;
///   pyroaring decodes what Weir writes;
/// - pypaimon reads the deletion vectors Weir writes: a primary-key table in merge-on-write shape (a full
///   compaction to level 5, then Weir's lookup compaction of level 0 into level 4 that marks the superseded rows,
///   another into level 3, a full compaction that drops the vectors) and an append table;
/// - Weir reads the deletion vectors pypaimon writes (row-id deletes of a data-evolution table);
/// - a `changelog-producer=input` table Weir writes reads the same in pypaimon, and pypaimon's streaming read of
///   its changelog (with row kinds) gives the records Weir's change stream gives, snapshot by snapshot; so does a
///   `changelog-producer=lookup` table (with and without deletion vectors) whose changelog Weir's compaction wrote.
@Suite(.serialized) struct PaimonDeletionVectorInteropTests {
    static func peer(_ arguments: [String]) async throws -> String { try await PythonPeer.run("paimon_dv.py", arguments) }

    static func hexBytes(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8)
        func nibble(_ c: UInt8) -> UInt8 { c >= 97 ? c - 87 : c - 48 }
        return stride(from: 0, to: digits.count, by: 2).map { nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) }
    }

    static func warehouse(_ scratch: Scratch) throws -> Warehouse {
        Warehouse(io: LocalFileIO(), root: try StoragePath(parsingLocalOrURI: scratch.path + "/wh", currentDirectory: "/"))
    }

    static func createTable(_ warehouse: Warehouse, _ name: String, columns: [TableSchema.Column], primaryKeys: [String],
                            partitionKeys: [String] = [], options: [String: String]) async throws -> FileStoreTable {
        let schema = try TableSchema.create(columns: columns, partitionKeys: partitionKeys, primaryKeys: primaryKeys,
                                            options: options, timeMillis: 1_700_000_000_000)
        try await warehouse.createDatabase("db")
        return try await warehouse.createTable(try TableIdentifier(database: "db", table: name), schema: schema)
    }

    static func batch(_ table: FileStoreTable, _ rows: [[Value]]) throws -> ColumnBatch {
        let type = table.schema.logicalRowType
        var builders = type.fields.map { ColumnBuilder(type: $0.type) }
        for row in rows { for (i, value) in row.enumerated() { try builders[i].append(value) } }
        return ColumnBatch(schema: type, columns: builders.map { $0.finish() })
    }

    static func write(_ table: FileStoreTable, _ rows: [[Value]], kinds: [RowKind]? = nil, identifier: Int64) async throws {
        var write = try await table.newWrite(commitUser: "weir")
        try await write.write(try batch(table, rows), rowKinds: kinds)
        _ = try await table.commit(try await write.prepareCommit(), commitUser: "weir", identifier: identifier)
    }

    static func compareRows(_ table: FileStoreTable, _ warehouse: String, _ name: String, expected: [Any]? = nil,
                            sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let weir = try await PaimonTableInteropTests.weirRows(table)
        let pypaimon = try await PaimonTableInteropTests.pypaimonRows(warehouse, "db." + name)
        let difference = JSONLines.unorderedDifference(expected: pypaimon, actual: weir)
        #expect(difference == nil, "\(name): pypaimon vs Weir: \(difference ?? "")", sourceLocation: sourceLocation)
        if let expected {
            let fromExpected = JSONLines.unorderedDifference(expected: expected, actual: weir)
            #expect(fromExpected == nil, "\(name): expected vs Weir: \(fromExpected ?? "")", sourceLocation: sourceLocation)
        }
    }

    // MARK: roaring bitmaps

    @Test func roaringBitmapsAgreeWithPyroaring() async throws {
        let scratch = try Scratch("dv-roaring")
        defer { scratch.remove() }
        let seed = UInt64.random(in: 1...1_000_000)
        _ = try await Self.peer(["roaring-write", scratch.path + "/py.jsonl", String(seed)])
        let lines = try JSONLines.parse(try String(contentsOfFile: scratch.path + "/py.jsonl", encoding: .utf8))
        #expect(lines.count == 40)
        var weirLines: [String] = []
        var expectedValues: [[Int]] = []
        for (index, line) in lines.enumerated() {
            let object = try #require(line as? [String: Any])
            let values = try #require(object["values"] as? [Int])
            let plain = Self.hexBytes(try #require(object["plain"] as? String))
            let optimized = Self.hexBytes(try #require(object["optimized"] as? String))
            let fromPlain = try RoaringBitmap32(portable: plain)
            let fromOptimized = try RoaringBitmap32(portable: optimized)
            #expect(fromPlain.values.map(Int.init) == values, "seed \(seed) set \(index)")
            #expect(fromOptimized == fromPlain, "seed \(seed) set \(index)")
            // Array and bitmap containers serialize identically (pyroaring's "plain" form has no run containers
            // unless it made some while building); run optimization takes the same decisions.
            func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> String? {
                if a == b { return nil }
                let at = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
                return "\(a.count) vs \(b.count) bytes, first difference at byte \(at)"
            }
            if plain.starts(with: [0x3a, 0x30]) {
                let difference = firstDifference(fromPlain.serialized(runOptimize: false), plain)
                #expect(difference == nil, "seed \(seed) set \(index) plain bytes: \(difference ?? "")")
            }
            let difference = firstDifference(fromPlain.serialized(runOptimize: true), optimized)
            #expect(difference == nil, "seed \(seed) set \(index) run-optimized bytes: \(difference ?? "")")
            for optimize in [false, true] {
                let hex = fromPlain.serialized(runOptimize: optimize).map { String(format: "%02x", $0) }.joined()
                weirLines.append("{\"hex\":\"\(hex)\"}")
                expectedValues.append(values)
            }
        }
        try weirLines.joined(separator: "\n").write(toFile: scratch.path + "/weir.jsonl", atomically: true, encoding: .utf8)
        let read = try JSONLines.parse(try await Self.peer(["roaring-read", scratch.path + "/weir.jsonl"]))
        #expect(read.count == expectedValues.count)
        for (line, values) in zip(read, expectedValues) {
            #expect((line as? [String: Any])?["values"] as? [Int] == values, "seed \(seed)")
        }
    }

    // MARK: pypaimon reads Weir's deletion vectors

    @Test func pypaimonReadsDeletionVectorsWeirWrote() async throws {
        let scratch = try Scratch("dv-weir-writes")
        defer { scratch.remove() }
        let warehouse = try Self.warehouse(scratch)
        let peerWarehouse = scratch.path + "/wh"

        // Primary-key table, two partitions, two buckets.
        let table = try await Self.createTable(
            warehouse, "pk",
            columns: [TableSchema.Column("dt", DataType.string.nullable(false)), TableSchema.Column("id", DataType(.bigint, nullable: false)),
                      TableSchema.Column("name", DataType.string)],
            primaryKeys: ["dt", "id"], partitionKeys: ["dt"], options: ["bucket": "2", "deletion-vectors.enabled": "true", "write-only": "true"])
        var model: [String: [String: Any]] = [:]
        func key(_ dt: String, _ id: Int64) -> String { "\(dt)/\(id)" }
        var rows: [[Value]] = []
        // Many more rows than the later writes, so their compaction stops below level 5 (size ratio).
        for dt in ["2024-01-01", "2024-01-02"] {
            for id in Int64(0)..<600 {
                rows.append([.string(dt), .integer(id), .string("n\(id)")])
                model[key(dt, id)] = ["dt": dt, "id": Int(id), "name": "n\(id)"]
            }
        }
        try await Self.write(table, rows, identifier: 1)
        // Level 0 only: a DV table's batch scan shows nothing, in both readers.
        try await Self.compareRows(table, peerWarehouse, "pk", expected: [])
        #expect(try await table.compact(full: true, commitUser: "full").snapshotId != nil)
        try await Self.compareRows(table, peerWarehouse, "pk", expected: Array(model.values))

        rows = []
        var kinds: [RowKind] = []
        for dt in ["2024-01-01", "2024-01-02"] {
            for id in Int64(0)..<35 {
                if id % 3 == 0 {
                    rows.append([.string(dt), .integer(id), .string("u\(id)")]); kinds.append(.updateAfter)
                    model[key(dt, id)] = ["dt": dt, "id": Int(id), "name": "u\(id)"]
                } else if id % 5 == 1 {
                    rows.append([.string(dt), .integer(id), .null]); kinds.append(.delete)
                    model[key(dt, id)] = nil
                } else if id >= 30 {
                    // (Existing keys: an insert overwrites them.)
                    rows.append([.string(dt), .integer(id), .string("new")]); kinds.append(.insert)
                    model[key(dt, id)] = ["dt": dt, "id": Int(id), "name": "new"]
                }
            }
        }
        try await Self.write(table, rows, kinds: kinds, identifier: 3)
        // Weir's lookup compaction: level 0 goes to level 4, the rows it supersedes in level 5 are marked.
        let compacted = try await table.compact(commitUser: "lookup")
        #expect(compacted.units.allSatisfy { $0.outputLevel == 4 } && compacted.units.contains { $0.deletedRows > 0 })
        let latest = try #require(try await table.snapshots.latest())
        let index = try await SnapshotReader(io: table.io, paths: table.paths).indexEntries(latest)
        #expect(index.count == 4 && index.allSatisfy { $0.indexFile.indexType == "DELETION_VECTORS" })
        try await Self.compareRows(table, peerWarehouse, "pk", expected: Array(model.values))

        // A second round replaces the buckets' index files (old ones deleted in the index manifest).
        try await Self.write(table, [[.string("2024-01-01"), .integer(2), .string("again")]], identifier: 5)
        model[key("2024-01-01", 2)] = ["dt": "2024-01-01", "id": 2, "name": "again"]
        #expect(try await table.compact(commitUser: "lookup2").units.map(\.outputLevel) == [3])
        let index2 = try await SnapshotReader(io: table.io, paths: table.paths).indexEntries(try #require(try await table.snapshots.latest()))
        #expect(index2.count == 4 && Set(index2.map(\.indexFile.fileName)) != Set(index.map(\.indexFile.fileName)))
        try await Self.compareRows(table, peerWarehouse, "pk", expected: Array(model.values))
        // A full compaction merges the levels and drops every vector; the rows stay.
        #expect(try await table.compact(full: true, commitUser: "full2").snapshotId != nil)
        let index3 = try await SnapshotReader(io: table.io, paths: table.paths).indexEntries(try #require(try await table.snapshots.latest()))
        #expect(index3.isEmpty)
        try await Self.compareRows(table, peerWarehouse, "pk", expected: Array(model.values))

        // Append table: any file's rows can be deleted.
        let append = try await Self.createTable(
            warehouse, "append", columns: [TableSchema.Column("k", DataType(.bigint)), TableSchema.Column("v", DataType.string)],
            primaryKeys: [], options: ["deletion-vectors.enabled": "true"])
        try await Self.write(append, (0..<50).map { [.integer(Int64($0)), .string("r\($0)")] }, identifier: 1)
        try await Self.write(append, (50..<80).map { [.integer(Int64($0)), .string("r\($0)")] }, identifier: 2)
        let files = try await SnapshotReader(io: append.io, paths: append.paths).liveEntries(try #require(try await append.snapshots.latest()))
        var maintainer = DeletionVectorsMaintainer(partition: files[0].partition, bucket: files[0].bucket)
        var deletedKeys = Set<Int>()
        for entry in files {
            let first = entry.file.minSequenceNumber  // append files: row i has sequence first + i, and k == sequence here
            for position in stride(from: Int64(0), to: entry.file.rowCount, by: 3) {
                try maintainer.notifyNewDeletion(fileName: entry.file.fileName, position: position)
                deletedKeys.insert(Int(first + position))
            }
        }
        let changes = try await maintainer.prepareCommit(io: append.io, paths: append.paths)
        _ = try await append.commit(CommitMessage(newIndexFiles: changes.newIndexFiles), commitUser: "weir", identifier: 3)
        try await Self.compareRows(append, peerWarehouse, "append",
                                   expected: (0..<80).filter { !deletedKeys.contains($0) }.map { ["k": $0, "v": "r\($0)"] as [String: Any] })
    }

    // MARK: Weir reads pypaimon's deletion vectors

    @Test func weirReadsDeletionVectorsPypaimonWrote() async throws {
        let scratch = try Scratch("dv-pypaimon-writes")
        defer { scratch.remove() }
        let peerWarehouse = scratch.path + "/wh"
        try #"""
            {"fields": [{"name": "k", "type": "BIGINT"}, {"name": "v", "type": "STRING"}],
             "options": {"row-tracking.enabled": "true", "data-evolution.enabled": "true", "deletion-vectors.enabled": "true"}}
            """#.write(toFile: scratch.path + "/schema.json", atomically: true, encoding: .utf8)
        try (0..<10).map { "{\"k\":\($0),\"v\":\"r\($0)\"}" }.joined(separator: "\n").write(toFile: scratch.path + "/rows.jsonl", atomically: true, encoding: .utf8)
        _ = try await PaimonTableInteropTests.peer(["create", peerWarehouse, "db.t", scratch.path + "/schema.json"])
        _ = try await PaimonTableInteropTests.peer(["write", peerWarehouse, "db.t", scratch.path + "/rows.jsonl"])
        _ = try await PaimonTableInteropTests.peer(["write", peerWarehouse, "db.t", scratch.path + "/rows.jsonl"])
        _ = try await Self.peer(["delete-row-ids", peerWarehouse, "db.t", "0", "5", "9", "12"])
        let table = try await Self.warehouse(scratch).table(try TableIdentifier(database: "db", table: "t"))
        let latest = try #require(try await table.snapshots.latest())
        let index = try await SnapshotReader(io: table.io, paths: table.paths).indexEntries(latest)
        #expect(index.count == 1 && index[0].indexFile.deletionVectorRanges?.count == 2)
        // Row ids 0, 5, 9 are rows 0, 5, 9 of the first file; 12 is row 2 of the second.
        let expected: [Any] = (0..<10).filter { ![0, 5, 9].contains($0) }.map { ["k": $0, "v": "r\($0)"] as [String: Any] }
            + (0..<10).filter { $0 != 2 }.map { ["k": $0, "v": "r\($0)"] as [String: Any] }
        try await Self.compareRows(table, peerWarehouse, "t", expected: expected)
        // And Weir adds to pypaimon's vectors: the maintainer restores them, one more row goes.
        let files = try await SnapshotReader(io: table.io, paths: table.paths).liveEntries(latest)
        var maintainer = try await DeletionVectorsMaintainer.restore(io: table.io, paths: table.paths, partition: files[0].partition,
                                                                     bucket: files[0].bucket, indexEntries: index)
        #expect(maintainer.vectors.values.map(\.cardinality).sorted() == [1, 3])
        let second = try #require(files.first { maintainer.deletionVector(of: $0.file.fileName)?.cardinality == 1 })
        try maintainer.notifyNewDeletion(fileName: second.file.fileName, position: 7)
        let changes = try await maintainer.prepareCommit(io: table.io, paths: table.paths)
        _ = try await table.commit(CommitMessage(newIndexFiles: changes.newIndexFiles, deletedIndexFiles: changes.deletedIndexFiles),
                                   commitUser: "weir", identifier: 1)
        try await Self.compareRows(table, peerWarehouse, "t",
                                   expected: (0..<10).filter { ![0, 5, 9].contains($0) }.map { ["k": $0, "v": "r\($0)"] as [String: Any] }
                                       + (0..<10).filter { $0 != 2 && $0 != 7 }.map { ["k": $0, "v": "r\($0)"] as [String: Any] })
    }

    // MARK: input changelog

    @Test func inputChangelogReadsTheSameInPypaimon() async throws {
        let scratch = try Scratch("dv-input-changelog")
        defer { scratch.remove() }
        let warehouse = try Self.warehouse(scratch)
        let peerWarehouse = scratch.path + "/wh"
        let table = try await Self.createTable(
            warehouse, "cl",
            columns: [TableSchema.Column("dt", DataType.string.nullable(false)), TableSchema.Column("id", DataType(.bigint, nullable: false)),
                      TableSchema.Column("name", DataType.string)],
            primaryKeys: ["dt", "id"], partitionKeys: ["dt"], options: ["bucket": "2", "changelog-producer": "input"])
        try await Self.write(table, (0..<20).map { [.string($0 % 2 == 0 ? "a" : "b"), .integer(Int64($0)), .string("n\($0)")] }, identifier: 1)
        var rows: [[Value]] = []
        var kinds: [RowKind] = []
        for id in 0..<20 where id % 4 == 0 {
            let dt = Value.string(id % 2 == 0 ? "a" : "b")
            rows += [[dt, .integer(Int64(id)), .string("n\(id)")], [dt, .integer(Int64(id)), .string("u\(id)")]]
            kinds += [.updateBefore, .updateAfter]
        }
        rows.append([.string("b"), .integer(3), .string("n3")])
        kinds.append(.delete)
        try await Self.write(table, rows, kinds: kinds, identifier: 2)
        let snapshot = try #require(try await table.snapshots.latest())
        #expect(snapshot.changelogManifestList != nil && snapshot.changelogRecordCount == Int64(rows.count))
        try await Self.compareRows(table, peerWarehouse, "cl")

        try await Self.compareStreams(table, peerWarehouse, "cl", expectedSnapshots: [1, 2])
    }

    /// The change stream from snapshot 1: pypaimon's streaming read of the changelog files vs Weir's, snapshot by
    /// snapshot.
    static func compareStreams(_ table: FileStoreTable, _ peerWarehouse: String, _ name: String, expectedSnapshots: [Int64],
                               sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let stream = try JSONLines.parse(try await Self.peer(["stream", peerWarehouse, "db." + name, "1"]))
        let changes = try await table.readChanges(from: 1)
        #expect(changes.snapshots.map(\.snapshotId) == expectedSnapshots, sourceLocation: sourceLocation)
        var total = 0
        for change in changes.snapshots {
            var bytes: [UInt8] = []
            for batch in ChangelogResult(rowType: changes.rowType, snapshots: [change]).rows().batches { JSONLinesFormat.write(batch, into: &bytes) }
            let weir = try JSONLines.parse(String(decoding: bytes, as: UTF8.self))
            let theirs: [Any] = stream.compactMap { line in
                guard var object = line as? [String: Any], object["snapshot"] as? Int == Int(change.snapshotId) else { return nil }
                object["snapshot"] = nil
                return object
            }
            total += weir.count
            #expect(weir.count == change.records.rowCount, sourceLocation: sourceLocation)
            let difference = JSONLines.unorderedDifference(expected: theirs, actual: weir)
            #expect(difference == nil, "\(name) snapshot \(change.snapshotId): \(difference ?? "")", sourceLocation: sourceLocation)
        }
        #expect(total == stream.count, "\(name): pypaimon streamed \(stream.count) records, Weir \(total)", sourceLocation: sourceLocation)
    }

    /// `changelog-producer = lookup` (with and without deletion vectors): the writers' lookup compaction writes
    /// the changelog (COMPACT snapshots); pypaimon reads the table and streams the same changelog records.
    @Test(arguments: [false, true]) func lookupChangelogReadsTheSameInPypaimon(deletionVectors: Bool) async throws {
        let scratch = try Scratch("dv-lookup-changelog")
        defer { scratch.remove() }
        let warehouse = try Self.warehouse(scratch)
        let peerWarehouse = scratch.path + "/wh"
        var options = ["bucket": "2", "changelog-producer": "lookup"]
        if deletionVectors { options["deletion-vectors.enabled"] = "true" }
        let table = try await Self.createTable(
            warehouse, "lk",
            columns: [TableSchema.Column("dt", DataType.string.nullable(false)), TableSchema.Column("id", DataType(.bigint, nullable: false)),
                      TableSchema.Column("name", DataType.string)],
            primaryKeys: ["dt", "id"], partitionKeys: ["dt"], options: options)
        var model: [String: [String: Any]] = [:]
        try await Self.write(table, (0..<20).map { [.string($0 % 2 == 0 ? "a" : "b"), .integer(Int64($0)), .string("n\($0)")] }, identifier: 1)
        for id in 0..<20 { model["\(id)"] = ["dt": id % 2 == 0 ? "a" : "b", "id": id, "name": "n\(id)"] }
        var rows: [[Value]] = []
        var kinds: [RowKind] = []
        for id in 0..<24 where id % 4 == 0 || id == 3 || id >= 20 {
            let dt = Value.string(id % 2 == 0 ? "a" : "b")
            if id == 3 {
                rows.append([dt, .integer(3), .null]); kinds.append(.delete)
                model["3"] = nil
            } else {
                rows.append([dt, .integer(Int64(id)), .string("u\(id)")]); kinds.append(.updateAfter)
                model["\(id)"] = ["dt": id % 2 == 0 ? "a" : "b", "id": id, "name": "u\(id)"]
            }
        }
        try await Self.write(table, rows, kinds: kinds, identifier: 2)
        try await Self.compareRows(table, peerWarehouse, "lk", expected: Array(model.values))
        // Two writes, each an APPEND and a COMPACT snapshot; the changelog is in the COMPACT ones.
        let changes = try await table.readChanges(from: 1)
        #expect(changes.snapshots.map(\.commitKind) == [.append, .compact, .append, .compact])
        #expect(changes.snapshots[1].records.rowCount == 20 && changes.snapshots[1].records.rowKinds.allSatisfy { $0 == .insert })
        let second = changes.snapshots[3].records.rowKinds
        #expect(second.filter { $0 == .updateBefore }.count == 5 && second.filter { $0 == .updateAfter }.count == 5)
        #expect(second.filter { $0 == .insert }.count == 4 && second.filter { $0 == .delete }.count == 1)
        try await Self.compareStreams(table, peerWarehouse, "lk", expectedSnapshots: [1, 2, 3, 4])
    }

    /// `changelog-producer = lookup` on partial-update and aggregation (a sum with a retraction), with and without
    /// deletion vectors: three writes whose lookup compactions leave values on levels 5, 4 and 3; the changelog
    /// holds the found merged value as BEFORE and the new merged value as AFTER, and pypaimon streams the same
    /// records. pypaimon reads the rows the same with deletion vectors (levels above 0 through the vectors) and for
    /// partial-update; a sum without deletion vectors it reads only after a full compaction (its merge read folds
    /// every level, ``PaimonCompactionInteropTests/pypaimonMergesEveryLevel``), where it gives Weir's read of the
    /// three levels.
    @Test(arguments: [("aggregation", false), ("aggregation", true), ("partial-update", false), ("partial-update", true)])
    func lookupChangelogOfPartialUpdateAndAggregationStreamsTheSame(engine: String, deletionVectors: Bool) async throws {
        let scratch = try Scratch("dv-lookup-engines")
        defer { scratch.remove() }
        let warehouse = try Self.warehouse(scratch)
        let peerWarehouse = scratch.path + "/wh"
        var options = ["bucket": "1", "changelog-producer": "lookup", "merge-engine": engine]
        if engine == "aggregation" { options["fields.n.aggregate-function"] = "sum"; options["fields.v.aggregate-function"] = "last_value" }
        if deletionVectors { options["deletion-vectors.enabled"] = "true" }
        let table = try await Self.createTable(
            warehouse, "lk",
            columns: [TableSchema.Column("id", DataType(.bigint, nullable: false)), TableSchema.Column("v", DataType.string),
                      TableSchema.Column("n", DataType(.bigint))],
            primaryKeys: ["id"], options: options)
        let sum = engine == "aggregation"
        // id -> (v, n) as the engine folds the writes below.
        var model: [Int64: (String?, Int64?)] = [:]
        try await Self.write(table, (0..<300).map { [.integer(Int64($0)), .string("a"), .integer(1)] }, identifier: 1)
        for id in Int64(0)..<300 { model[id] = ("a", 1) }
        // Partial-update rows leave v null: the stored v stays.
        try await Self.write(table, (0..<100).map { [.integer(Int64($0)), sum ? .string("b") : .null, .integer(2)] }, identifier: 2)
        for id in Int64(0)..<100 { model[id] = sum ? ("b", 3) : ("a", 2) }
        var rows: [[Value]] = (0..<5).map { [.integer(Int64($0)), .string("c"), sum ? .integer(4) : .null] }
        var kinds = [RowKind](repeating: .insert, count: rows.count)
        for id in Int64(0)..<5 { model[id] = sum ? ("c", 7) : ("c", 2) }
        if sum {
            // A retraction of 1 from key 7: the sum drops to 2, last_value's v to null.
            rows.append([.integer(7), .string("b"), .integer(1)]); kinds.append(.delete)
            model[7] = (nil, 2)
        }
        try await Self.write(table, rows, kinds: kinds, identifier: 3)
        let live = try await SnapshotReader(io: table.io, paths: table.paths).liveEntries(try #require(try await table.snapshots.latest()))
        #expect(Set(live.map(\.file.level)) == [5, 4, 3], "levels \(live.map(\.file.level))")
        let expected: [Any] = model.map { id, value -> [String: Any] in
            ["id": Int(id), "v": value.0.map { $0 as Any } ?? NSNull(), "n": value.1.map { Int($0) as Any } ?? NSNull()]
        }
        let weir = try await PaimonTableInteropTests.weirRows(table)
        #expect(JSONLines.unorderedDifference(expected: expected, actual: weir) == nil,
                "Weir: \(JSONLines.unorderedDifference(expected: expected, actual: weir) ?? "")")
        if deletionVectors || !sum { try await Self.compareRows(table, peerWarehouse, "lk", expected: expected) }
        let changes = try await table.readChanges(from: 1)
        #expect(changes.snapshots.map(\.commitKind) == [.append, .compact, .append, .compact, .append, .compact])
        let last = changes.snapshots[5].records
        #expect(last.rowKinds.filter { $0 == .updateBefore }.count == (sum ? 6 : 5) && last.rowKinds.filter { $0 == .updateAfter }.count == (sum ? 6 : 5))
        try await Self.compareStreams(table, peerWarehouse, "lk", expectedSnapshots: [1, 2, 3, 4, 5, 6])
        _ = try await table.compact(full: true, commitUser: "full")
        try await Self.compareRows(table, peerWarehouse, "lk", expected: expected)
    }
}
