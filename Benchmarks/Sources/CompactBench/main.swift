// Full compaction of one bucket of a primary-key table with WeirTable, for `Benchmarks/run compact`, beside its
// ceiling measured in the same run: zstd decompression and recompression of the input files' own column pages.
//
// For each SORTED_RUNS count (5, 10, 20): a table (id BIGINT primary key, k STRING(16), v DOUBLE, payload STRING of
// about 100 characters of words; one bucket; deduplicate; Parquet with zstd level 1, Paimon's defaults; write-only,
// so that writes never compact) gets that many commits of ROWS / count rows each, with ids drawn at random from
// [0, ROWS): every commit is one level-0 file over the whole key range, all overlapping. Then, best of RUNS (each on
// a fresh copy of the table's directory, copied before the clock starts):
//   compact  `FileStoreTable.compact(full: true)`: plan, merge every run into the max level, commit. Throughput is
//            MB (10^6 bytes) of input on disk (the input files' sizes) per CPU second of this process (getrusage,
//            user + system); wall seconds are printed too.
//   ceiling  for every page of every input file (ParquetFileReader.pageBodies: dictionary and data pages, the bytes
//            the codec sees), Zstd.decompress then Zstd.compress at level 1, one thread; the same MB of input files
//            per CPU second. Pages are read into memory before the clock starts.
//   lookups  LOOKUPS point reads (`id = <key>` as the plan's and the read's filter) before and after compaction,
//            counting the data files the read opened through a counting FileIO, and the files the plan kept after
//            pruning. Each lookup must return the one row the generator last wrote for the key.
// After compaction the whole table is read and checked against the rows the generator wrote (last write per id
// wins), computed here without the engine. Output: JSON lines.
import BenchClock
import Foundation
import WeirCodecs
import WeirColumnar
import WeirFileIO
import WeirPaimon
import WeirParquet
import WeirTable

let arguments = CommandLine.arguments
guard arguments.count == 5, let rows = Int(arguments[2]), rows > 0, let runs = Int(arguments[3]), runs > 0,
      let lookups = Int(arguments[4]), lookups > 0 else {
    FileHandle.standardError.write(Data("usage: compact-bench SCRATCH_DIR ROWS RUNS LOOKUPS\n".utf8))
    exit(2)
}
let scratch = URL(fileURLWithPath: arguments[1])
let local = LocalFileIO()

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("compact-bench: \(message)\n".utf8))
    exit(1)
}

let words = ["order", "shipped", "pending", "customer", "invoice", "refund", "warehouse", "priority", "express", "standard",
             "delivered", "returned", "payment", "card", "transfer", "berlin", "paris", "lisbon", "oslo", "vienna", "item",
             "quantity", "discount", "coupon", "gift", "note", "fragile", "large", "small", "blue", "red", "green"]

let wordBytes = words.map { Array($0.utf8) }

let schema = try TableSchema.create(
    columns: [TableSchema.Column("id", DataType(.bigint)), TableSchema.Column("k", .string),
              TableSchema.Column("v", DataType(.double)), TableSchema.Column("payload", .string)],
    primaryKeys: ["id"], options: ["bucket": "1", "write-only": "true"], timeMillis: currentTimeMillis())

/// One commit's rows; records in `expected` the v each id ends with (a later row of the same id wins).
func commitBatch(rows count: Int, keySpace: Int, random: inout SplitMix64, expected: inout [Double]) -> ColumnBatch {
    var ids: [Int64] = [], vs: [Double] = []
    var keys = ByteStrings(), payloads = ByteStrings()
    ids.reserveCapacity(count)
    vs.reserveCapacity(count)
    keys.reserveCapacity(strings: count, bytes: count * 16)
    payloads.reserveCapacity(strings: count, bytes: count * 110)
    var payload: [UInt8] = []
    for _ in 0..<count {
        let id = random.below(keySpace)
        let v = Double(random.below(100_000_000)) / 1000
        ids.append(Int64(id))
        vs.append(v)
        expected[id] = v
        var key: [UInt8] = Array("user-".utf8)
        var digits = (id &* 2_654_435_761) % 100_000_000_000
        for _ in 0..<11 {
            key.insert(UInt8(ascii: "0") + UInt8(digits % 10), at: 5)
            digits /= 10
        }
        keys.append(key)
        payload.removeAll(keepingCapacity: true)
        while payload.count < 100 {
            payload += wordBytes[random.below(wordBytes.count)]
            payload.append(UInt8(ascii: " "))
        }
        payloads.append(payload)
    }
    let type = schema.logicalRowType
    return ColumnBatch(schema: type, columns: [
        Column(type: type.fields[0].type, validity: nil, values: .int64(ids)),
        Column(type: type.fields[1].type, validity: nil, values: .bytes(keys)),
        Column(type: type.fields[2].type, validity: nil, values: .float64(vs)),
        Column(type: type.fields[3].type, validity: nil, values: .bytes(payloads)),
    ])
}

let identifier = try TableIdentifier(database: "bench", table: "t")

func table(_ warehouse: URL, io: any FileIO) async throws -> FileStoreTable {
    try await Warehouse(io: io, root: try StoragePath(parsing: warehouse.path)).table(identifier)
}

/// The live data files of the latest snapshot.
func liveFiles(_ table: FileStoreTable) async throws -> [DataFileMeta] {
    try await table.plan(try await table.resolve(.latest)).splits.flatMap(\.files)
}

struct LookupFigures {
    var filesOpened = 0
    var planFiles = 0
    var answers: [Int64: Double] = [:]
}

/// `keys.count` point reads `id = key` on `warehouse` through a counting FileIO.
func lookup(_ warehouse: URL, keys: [Int64]) async throws -> LookupFigures {
    let io = CountingFileIO(base: local)
    let t = try await table(warehouse, io: io)
    var figures = LookupFigures()
    for key in keys {
        let filter = Predicate.compare(field: 0, .equal, .integer(key))
        let plan = try await t.plan(try await t.resolve(.latest), filter: filter)
        figures.planFiles += plan.splits.reduce(0) { $0 + $1.files.count }
        _ = io.takeDataFilesOpened()
        let result = try await t.read(plan, filter: filter)
        figures.filesOpened += io.takeDataFilesOpened()
        guard result.rowCount == 1, let batch = result.batches.first(where: { $0.rowCount == 1 }),
              case .int64(let ids) = batch.columns[0].values, ids[0] == key, case .float64(let vs) = batch.columns[2].values else {
            fail("lookup of id \(key) returned \(result.rowCount) rows")
        }
        figures.answers[key] = vs[0]
    }
    return figures
}

/// Checks a full read of `warehouse` against `expected` (v per id; NaN where no row was written).
func checkFullRead(_ warehouse: URL, expected: [Double]) async throws {
    let t = try await table(warehouse, io: local)
    let result = try await t.read(try await t.plan(try await t.resolve(.latest)))
    var seen = 0
    for batch in result.batches {
        guard case .int64(let ids) = batch.columns[0].values, case .float64(let vs) = batch.columns[2].values else {
            fail("unexpected column storage in the read")
        }
        for (id, v) in zip(ids, vs) {
            guard id >= 0, Int(id) < expected.count, expected[Int(id)] == v else { fail("id \(id) read with v \(v), expected \(expected[Int(id)])") }
            seen += 1
        }
    }
    let want = expected.reduce(0) { $0 + ($1.isNaN ? 0 : 1) }
    guard seen == want else { fail("the read has \(seen) rows, expected \(want)") }
}

func json(_ fields: [(String, Any)]) -> String {
    "{" + fields.map { key, value in
        let text: String
        switch value {
        case let d as Double: text = String(format: "%.4f", d)
        case let s as String: text = "\"\(s)\""
        default: text = "\(value)"
        }
        return "\"\(key)\":\(text)"
    }.joined(separator: ",") + "}"
}

for sortedRuns in [5, 10, 20] {
    let base = scratch.appendingPathComponent("compact-\(sortedRuns)")
    try? FileManager.default.removeItem(at: base)
    let source = base.appendingPathComponent("source")
    let work = base.appendingPathComponent("work")
    try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)

    // The table: sortedRuns commits, one level-0 file each.
    let warehouse = Warehouse(io: local, root: try StoragePath(parsing: source.path))
    try await warehouse.createDatabase("bench")
    let sourceTable = try await warehouse.createTable(identifier, schema: schema)
    var random = SplitMix64(seed: UInt64(sortedRuns))
    var expected = [Double](repeating: .nan, count: rows)
    for commit in 0..<sortedRuns {
        let batch = commitBatch(rows: rows / sortedRuns, keySpace: rows, random: &random, expected: &expected)
        var write = try await sourceTable.newWrite(commitUser: "load")
        try await write.write(batch)
        guard case .committed = try await sourceTable.commit(try await write.prepareCommit(), commitUser: "load", identifier: Int64(commit)) else {
            fail("commit \(commit) made no snapshot")
        }
    }
    let inputs = try await liveFiles(sourceTable)
    guard inputs.count == sortedRuns, inputs.allSatisfy({ $0.level == 0 }) else {
        fail("\(sortedRuns) commits left \(inputs.count) files at levels \(Set(inputs.map(\.level)).sorted())")
    }
    let inputBytes = inputs.reduce(Int64(0)) { $0 + $1.fileSize }
    let inputRows = inputs.reduce(Int64(0)) { $0 + $1.rowCount }
    let keys = (0..<lookups).map { _ -> Int64 in
        while true {
            let id = random.below(rows)
            if !expected[id].isNaN { return Int64(id) }
        }
    }

    // The ceiling: zstd over the input files' pages.
    var pages: [ParquetPageBody] = []
    for file in inputs {
        let path = try StoragePath(parsing: source.appendingPathComponent("bench.db/t/bucket-0/\(file.fileName)").path)
        let reader = try await ParquetFileReader.open(io: local, path: path)
        for group in reader.rowGroups.indices { pages += try await reader.pageBodies(rowGroup: group) }
        await reader.close()
    }
    if let other = pages.first(where: { $0.codec != "ZSTD" }) {
        fail("a page of an input file is compressed with \(other.codec), not ZSTD as the table's options say")
    }
    var ceiling = (wall: Double.infinity, cpu: Double.infinity)
    var sink = 0
    for _ in 0..<max(3, runs) {
        let t = try await timed {
            for page in pages {
                let raw = try Zstd.decompress(page.bytes, uncompressedBytes: page.uncompressedBytes)
                sink &+= try Zstd.compress(raw, level: 1).count
            }
        }
        if t.cpu < ceiling.cpu { ceiling = t }
    }
    let pageBytes = pages.reduce(0) { $0 + $1.bytes.count }
    let pageRawBytes = pages.reduce(0) { $0 + $1.uncompressedBytes }

    // Lookups before compaction (on the source table, which compaction never touches).
    let before = try await lookup(source, keys: keys)
    for (key, v) in before.answers where expected[Int(key)] != v { fail("lookup of id \(key) before compaction: v \(v), expected \(expected[Int(key)])") }

    var best = (wall: Double.infinity, cpu: Double.infinity)
    var outputFiles = 0, outputBytes: Int64 = 0
    for run in 0..<runs {
        try? FileManager.default.removeItem(at: work)
        try FileManager.default.copyItem(at: source, to: work)
        let t = try await table(work, io: local)
        var result: CompactResult? = nil
        let timing = try await timed { result = try await t.compact(full: true, commitUser: "compact-\(run)") }
        guard let result, case .committed = result.outcome, result.units.count == 1,
              result.units[0].inputBytes == inputBytes, result.units[0].rewrittenFiles.count == sortedRuns else {
            fail("the compaction of \(sortedRuns) runs did not rewrite them all")
        }
        outputFiles = result.units[0].writtenFiles.count
        outputBytes = result.units[0].writtenBytes
        if timing.cpu < best.cpu { best = timing }
    }
    try await checkFullRead(work, expected: expected)
    let after = try await lookup(work, keys: keys)
    guard after.answers == before.answers else { fail("lookups answer differently after compaction") }
    try? FileManager.default.removeItem(at: base)

    let mb = Double(inputBytes) / 1e6
    print(json([("op", "compact"), ("sorted_runs", sortedRuns), ("input_files", inputs.count), ("input_bytes", inputBytes),
                ("input_rows", inputRows), ("output_files", outputFiles), ("output_bytes", outputBytes),
                ("wall_seconds", best.wall), ("cpu_seconds", best.cpu), ("mb_per_cpu_s", mb / best.cpu), ("mb_per_wall_s", mb / best.wall)]))
    print(json([("op", "ceiling"), ("sorted_runs", sortedRuns), ("pages", pages.count), ("page_bytes", pageBytes),
                ("page_uncompressed_bytes", pageRawBytes), ("wall_seconds", ceiling.wall), ("cpu_seconds", ceiling.cpu),
                ("mb_per_cpu_s", mb / ceiling.cpu), ("check", sink & 1)]))
    print(json([("op", "lookups"), ("sorted_runs", sortedRuns), ("lookups", lookups),
                ("files_opened_before", Double(before.filesOpened) / Double(lookups)),
                ("files_opened_after", Double(after.filesOpened) / Double(lookups)),
                ("plan_files_before", Double(before.planFiles) / Double(lookups)),
                ("plan_files_after", Double(after.planFiles) / Double(lookups))]))
}
