// The Paimon table benchmark with WeirTable, for `Benchmarks/run table`, which runs pypaimon and pypaimon-rust on
// the same input in the same run and prints all three side by side with the ratios.
// Steps, each timed on the wall clock, best of RUNS with a fresh warehouse each run:
//   load    write BASE (1M rows: id BIGINT primary key, k STRING, v DOUBLE, payload STRING) into a new table with
//           4 buckets (Paimon's defaults otherwise: Parquet, zstd level 1) and commit it
//   update  write UPDATES (200k rows with ids of BASE and new values) and commit
//   read    resolve the latest snapshot, plan, and read every column of the merged table into memory
// The input files are decoded before the clock starts. Output: JSON lines, with the read's checksum (rows, sum of
// ids, sum of floor(v * 1e6), which do not depend on row order) and this process's peak resident memory.
import BenchClock
import Foundation
import WeirColumnar
import WeirFileIO
import WeirPaimon
import WeirParquet
import WeirTable

let arguments = CommandLine.arguments
guard arguments.count == 5, let runs = Int(arguments[4]), runs > 0 else {
    FileHandle.standardError.write(Data("usage: table-bench BASE.parquet UPDATES.parquet SCRATCH_DIR RUNS\n".utf8))
    exit(2)
}
let io = LocalFileIO()
let scratch = try StoragePath(parsing: arguments[3])

let columns = [
    TableSchema.Column("id", DataType(.bigint)),
    TableSchema.Column("k", .string),
    TableSchema.Column("v", DataType(.double)),
    TableSchema.Column("payload", .string),
]
let schema = try TableSchema.create(columns: columns, primaryKeys: ["id"], options: ["bucket": "4"], timeMillis: currentTimeMillis())

/// The batches of a Parquet file in the table's row type (the file's columns are nullable; the key is NOT NULL).
func input(_ path: String) async throws -> [ColumnBatch] {
    let (fileType, batches) = try await ParquetFile.readBatches(io: io, path: try StoragePath(parsing: path))
    guard fileType.fieldNames == schema.fieldNames else {
        throw TableError(.invalidInput, path, "columns \(fileType.fieldNames), expected \(schema.fieldNames)")
    }
    let rowType = schema.logicalRowType
    return batches.map { batch in
        ColumnBatch(schema: rowType, columns: zip(batch.columns, rowType.fields).map { column, field in
            var column = column
            column.type = field.type
            return column
        })
    }
}
let base = try await input(arguments[1])
let updates = try await input(arguments[2])

func write(_ table: FileStoreTable, _ batches: [ColumnBatch], user: String) async throws {
    var write = try await table.newWrite(commitUser: user)
    for batch in batches { try await write.write(batch) }
    let message = try await write.prepareCommit()
    guard case .committed = try await table.commit(message, commitUser: user) else {
        throw TableError(.conflict, user, "the commit made no snapshot")
    }
}

/// The best (least wall-clock) run of each step.
var best = ["load": (wall: Double.infinity, cpu: 0.0), "update": (.infinity, 0), "read": (.infinity, 0)]
@MainActor func keep(_ step: String, _ timing: (wall: Double, cpu: Double)) {
    if timing.wall < best[step]!.wall { best[step] = timing }
}
var result: ReadResult? = nil
for run in 0..<runs {
    let root = try scratch.appending("weir-warehouse")
    _ = try await io.delete(root, recursive: true)
    let warehouse = Warehouse(io: io, root: root)
    try await warehouse.createDatabase("bench")
    let table = try await warehouse.createTable(try TableIdentifier(database: "bench", table: "t"), schema: schema)
    keep("load", try await timed { try await write(table, base, user: "load-\(run)") })
    keep("update", try await timed { try await write(table, updates, user: "update-\(run)") })
    result = nil
    keep("read", try await timed {
        let resolved = try await table.resolve(.latest)
        let plan = try await table.plan(resolved)
        result = try await table.read(plan)
    })
    if run == runs - 1 { _ = try await io.delete(root, recursive: true) }
}

var rows = 0
var idSum: Int64 = 0
var vMicrosSum: Int64 = 0
for batch in result!.batches {
    rows += batch.rowCount
    guard case .int64(let ids) = batch.columns[0].values, case .float64(let vs) = batch.columns[2].values else {
        FileHandle.standardError.write(Data("unexpected column storage in the read\n".utf8))
        exit(1)
    }
    for id in ids { idSum &+= id }
    for v in vs { vMicrosSum &+= Int64((v * 1e6).rounded(.down)) }
}
let peak = usage()
print(#"{"op":"load","seconds":\#(best["load"]!.wall),"cpu_seconds":\#(best["load"]!.cpu),"rows":\#(base.reduce(0) { $0 + $1.rowCount })}"#)
print(#"{"op":"update","seconds":\#(best["update"]!.wall),"cpu_seconds":\#(best["update"]!.cpu),"rows":\#(updates.reduce(0) { $0 + $1.rowCount })}"#)
print(#"{"op":"read","seconds":\#(best["read"]!.wall),"cpu_seconds":\#(best["read"]!.cpu),"rows":\#(rows),"id_sum":\#(idSum),"v_micros_sum":\#(vMicrosSum)}"#)
print(#"{"op":"peak_rss_mib","value":\#(peak.ru_maxrss / 1024)}"#)
