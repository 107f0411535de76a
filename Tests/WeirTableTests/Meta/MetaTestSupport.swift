import Foundation
import Testing
import WeirColumnar
import WeirFileIO
import WeirPaimon
import WeirTestSupport
@testable import WeirTable

/// The pypaimon 2.1.0 fixture warehouse (read-only; the repository's `shared/` sits beside the package).

/// The fixture tables (directories of the database), sorted.
func fixtureTables() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: fixtureDatabase).filter { !$0.hasPrefix(".") }.sorted()
}


/// A scratch copy of fixture table `name` (tests that write must never touch the fixtures).
func copyFixture(_ name: String, into scratch: Scratch) throws -> StoragePath {
    let target = scratch.path + "/" + name
    try FileManager.default.copyItem(atPath: fixtureDatabase + "/" + name, toPath: target)
    return try localPath(target)
}

/// A table in memory: `memory://<random volume>/db.db/t`.
func memoryTable() throws -> (io: MemoryFileIO, paths: TablePaths) {
    let io = MemoryFileIO()
    let root = try StoragePath(parsing: "memory://v\(UInt32.random(in: 0...UInt32.max))/db.db/t")
    return (io, try TablePaths(root: root))
}

/// The TableError `body` throws, nil when it throws nothing.
func tableError(_ body: () async throws(TableError) -> Void) async -> TableError? {
    do {
        try await body()
        return nil
    } catch {
        return error
    }
}

enum TestSchemas {
    /// Append table `id BIGINT, name STRING`, unpartitioned, `bucket = -1`.
    static func append(options: [String: String] = [:]) throws -> TableSchema {
        try TableSchema.create(
            columns: [.init("id", DataType(.bigint)), .init("name", .string)], options: options, timeMillis: 1_700_000_000_000)
    }

    /// Primary-key table `dt STRING, id BIGINT, v STRING`, partitioned by `dt`, key `(dt, id)`, `bucket = 2`.
    static func primaryKey(options: [String: String] = ["bucket": "2"]) throws -> TableSchema {
        try TableSchema.create(
            columns: [.init("dt", .string), .init("id", DataType(.bigint)), .init("v", .string)],
            partitionKeys: ["dt"], primaryKeys: ["dt", "id"], options: options, timeMillis: 1_700_000_000_000)
    }
}

/// A partition row of one STRING column.
func partition(_ value: String) throws -> BinaryRow {
    try BinaryRow(values: [.string(value)], types: [.string])
}

/// A BIGINT key row.
func key(_ value: Int64) throws -> BinaryRow {
    try BinaryRow(values: [.integer(value)], types: [DataType(.bigint, nullable: false)])
}

/// An ADD entry for a data file that does not need to exist.
func entry(_ fileName: String, partition: BinaryRow = .emptyRow, bucket: Int32 = 0, totalBuckets: Int32 = -1, level: Int32 = 0,
           rowCount: Int64 = 10, minKey: BinaryRow = .emptyRow, maxKey: BinaryRow = .emptyRow, schemaId: Int64 = 0,
           fileSize: Int64 = 100) -> ManifestEntry {
    ManifestEntry(kind: .add, partition: partition, bucket: bucket, totalBuckets: totalBuckets, file: DataFileMeta(
        fileName: fileName, fileSize: fileSize, rowCount: rowCount, minKey: minKey, maxKey: maxKey, keyStats: .emptyStats,
        valueStats: .emptyStats, minSequenceNumber: 0, maxSequenceNumber: rowCount - 1, schemaId: schemaId, level: level,
        creationTime: 1_700_000_000_000, deleteRowCount: 0, fileSource: .append, valueStatsCols: []))
}

/// Creates a table with `schema` on `io` at `paths.root`.
func createTable(_ io: any FileIO, _ paths: TablePaths, _ schema: TableSchema) async throws {
    try await TableCreation.create(io: io, root: paths.root, schema: schema)
}

/// Writes a small file at the data path of `entry` (for expiration and orphan tests on real files).
func writeDataFile(_ io: any FileIO, _ paths: TablePaths, _ schema: TableSchema, _ entry: ManifestEntry) async throws {
    let path = try paths.dataFile(entry, partitionComputer: try InternalRowPartitionComputer(schema: schema))
    try await io.write(path, [UInt8](repeating: 7, count: Int(entry.file.fileSize)), overwrite: false)
}
