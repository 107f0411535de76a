import Foundation
import Testing
import WeirColumnar
import WeirFileIO
import WeirParquet
import WeirTestSupport
import WeirTextFormats

/// Parquet against the real peers: files Weir writes are read by pyarrow and DuckDB with the same values; files
/// pyarrow writes (every option that changes the layout) and the pypaimon fixture tables are read by Weir with the
/// same values as pyarrow reads. Values are compared as JSON Lines in the shared encoding (ValueJSON / value_json.py).
@Suite(.serialized) struct ParquetInteropTests {
    static func f(_ id: Int, _ name: String, _ type: DataType) -> DataField { DataField(id: id, name: name, type: type) }

    /// Every Paimon type Weir writes, flat and nested.
    static var schema: RowType {
        let point = DataType(.row(fields: [f(101, "x", DataType(.int)), f(102, "label", .string),
                                           f(103, "w", DataType(.array(element: DataType(.double))))]))
        return RowType([
            f(0, "id", DataType(.bigint, nullable: false)), f(1, "b", DataType(.boolean)), f(2, "i8", DataType(.tinyint)),
            f(3, "i16", DataType(.smallint)), f(4, "i32", DataType(.int)), f(5, "i64", DataType(.bigint)),
            f(6, "f32", DataType(.float)), f(7, "f64", DataType(.double)),
            f(8, "dec9", DataType(.decimal(precision: 9, scale: 2))), f(9, "dec18", DataType(.decimal(precision: 18, scale: 6))),
            f(10, "dec38", DataType(.decimal(precision: 38, scale: 10))), f(11, "s", .string),
            f(12, "vc", DataType(.varchar(length: 20))), f(13, "bin", .bytes), f(14, "day", DataType(.date)),
            f(15, "tod", DataType(.time(precision: 3))), f(16, "ts3", DataType(.timestamp(precision: 3))),
            f(17, "ts6", DataType(.timestamp(precision: 6))), f(18, "ts9", DataType(.timestamp(precision: 9))),
            f(19, "ltz3", DataType(.timestampLTZ(precision: 3))), f(20, "ltz6", DataType(.timestampLTZ(precision: 6))),
            f(21, "req_s", DataType.string.nullable(false)), f(22, "req_i", DataType(.int, nullable: false)),
            f(23, "ints", DataType(.array(element: DataType(.int)))),
            f(24, "names", DataType(.array(element: DataType.string.nullable(false)))),
            f(25, "attrs", DataType(.map(key: DataType.string.nullable(false), value: DataType(.bigint)))),
            f(26, "point", point), f(27, "points", DataType(.array(element: point))),
            f(28, "deep", DataType(.map(key: DataType(.int, nullable: false), value: DataType(.array(element: DataType(.decimal(precision: 20, scale: 3))))))),
            f(29, "c", DataType(.char(length: 5))), f(30, "fbin", DataType(.binary(length: 4))),
            f(31, "ltz9", DataType(.timestampLTZ(precision: 9))), f(32, "ts0", DataType(.timestamp(precision: 0))),
            f(33, "d19", DataType(.decimal(precision: 19, scale: 19))),
            f(34, "req_row", DataType(.row(fields: [f(35, "a", DataType(.tinyint, nullable: false)), f(36, "b", DataType(.date))]), nullable: false)),
        ])
    }

    /// Weir's reading of a file as JSON Lines.
    static func weirJSONLines(_ path: String) async throws -> String {
        let (_, batches) = try await ParquetFile.readBatches(io: LocalFileIO(), path: try StoragePath(parsing: path))
        return jsonLines(batches)
    }

    @Test func pyarrowFilesReadByWeir() async throws {
        let scratch = try Scratch("parquet-interop-r")
        defer { if ProcessInfo.processInfo.environment["WEIR_KEEP_SCRATCH"] == nil { scratch.remove() } }
        _ = try await PythonPeer.run("parquet_write.py", [scratch.path])
        let files = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.hasSuffix(".parquet") }.sorted()
        #expect(files.count >= 20)
        for name in files {
            let path = scratch.path + "/" + name
            do {
                let difference = try JSONLines.difference(try Self.read(path + ".expected.jsonl"), try await Self.weirJSONLines(path))
                #expect(difference == nil, "Weir reading pyarrow's \(name): \(difference ?? "")")
            } catch {
                Issue.record("Weir reading pyarrow's \(name): \(error)")
            }
        }
    }

    @Test func pypaimonFixturesReadByWeir() async throws {
        let warehouse = URL(fileURLWithPath: PackageRoot.path + "/../shared/fixtures/pypaimon/warehouse").standardized.path
        guard let walker = FileManager.default.enumerator(atPath: warehouse) else {
            Issue.record("no fixture warehouse at \(warehouse)")
            return
        }
        let files = walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".parquet") }.sorted().map { warehouse + "/" + $0 }
        #expect(files.count >= 20)
        let scratch = try Scratch("parquet-interop-p")
        defer { scratch.remove() }
        _ = try await PythonPeer.run("parquet_read.py", ["pyarrow", scratch.path, "{}"] + files)
        for path in files {
            let name = (path as NSString).lastPathComponent
            do {
                let difference = try JSONLines.difference(try Self.read(scratch.path + "/" + name + ".pyarrow.jsonl"),
                                                          try await Self.weirJSONLines(path))
                #expect(difference == nil, "Weir reading \(path): \(difference ?? "")")
            } catch {
                Issue.record("Weir reading \(path): \(error)")
            }
        }
    }

    static var precisions: String { #"{"ts3":3,"ts6":6,"ts9":9,"ltz3":3,"ltz6":6,"ltz9":9,"ts0":0}"# }

    /// Deterministic rows: extremes, nulls, empty strings and lists, non-ASCII text.
    static func rows(count: Int, seed: UInt64) -> [[Value]] {
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        func pick(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        func int(_ lo: Int64, _ hi: Int64) -> Int64 {
            switch pick(10) {
            case 0: return lo
            case 1: return hi
            case 2: return 0
            default: return lo + Int64(bitPattern: next() % UInt64(bitPattern: hi &- lo &+ 1 == 0 ? Int64.max : hi &- lo &+ 1))
            }
        }
        let words = ["", "a", "Paimon", "naïve", "日本語", "🙂 emoji", "tab\there", "quote\"", "x".padding(toLength: 300, withPad: "y", startingAt: 0)]
        func value(_ type: DataType, depth: Int) -> Value {
            if type.isNullable && pick(7) == 0 { return .null }
            switch type.kind {
            case .boolean: return .boolean(pick(2) == 0)
            case .tinyint: return .integer(int(-128, 127))
            case .smallint: return .integer(int(-32768, 32767))
            case .int: return .integer(int(Int64(Int32.min), Int64(Int32.max)))
            case .bigint: return .integer(int(Int64.min, Int64.max))
            case .float: return .float([Float(0), -1.5, 3.25e10, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, Float(pick(1000)) / 8][pick(6)])
            case .double: return .double([0.0, -2.75, 1e300, -.leastNonzeroMagnitude, Double(pick(100_000)) / 1024][pick(5)])
            case .decimal(let p, let s):
                var v: Int128 = 0
                for _ in 0..<(1 + pick(p)) { v = v * 10 + Int128(pick(10)) }
                return .decimal(unscaled: pick(2) == 0 ? -v : v, scale: s)
            case .varchar(let n), .char(let n): return .string(words.filter { $0.count <= n }[pick(words.filter { $0.count <= n }.count)])
            case .varbinary: return .bytes((0..<pick(9)).map { _ in UInt8(pick(256)) })
            case .binary(let n): return .bytes((0..<n).map { _ in UInt8(pick(256)) })
            case .date: return .date(days: Int32(int(-719_162, 2_932_896)))
            case .time: return .time(millis: Int32(int(0, 86_399_999)))
            case .timestamp(let p), .timestampLTZ(let p):
                let seconds = int(-9_000_000_000, 9_000_000_000)
                if p <= 3 { return .timestamp(seconds * 1000 + int(0, 999)) }
                if p <= 6 { return .timestamp(seconds * 1_000_000 + int(0, 999_999)) }
                return .timestamp(seconds * 1_000_000_000 + int(0, 999_999_999))
            case .array(let e), .multiset(let e):
                return .list((0..<(depth > 2 ? 0 : pick(4))).map { _ in value(e, depth: depth + 1) })
            case .map(let k, let v):
                var seen = Set<Value>()
                var entries: [Value.MapEntry] = []
                for _ in 0..<(depth > 2 ? 0 : pick(4)) {
                    let key = value(k.nullable(false), depth: depth + 1)
                    if seen.insert(key).inserted { entries.append(.init(key: key, value: value(v, depth: depth + 1))) }
                }
                return .map(entries)
            case .row(let fields): return .row(fields.map { value($0.type, depth: depth + 1) })
            }
        }
        return (0..<count).map { row in schema.fields.map { field in
            field.name == "id" ? .integer(Int64(row)) : value(field.type, depth: 0)
        } }
    }

    static func batch(_ schema: RowType, _ rows: [[Value]]) throws -> ColumnBatch {
        var builders = schema.fields.map { ColumnBuilder(type: $0.type) }
        for row in rows { for i in builders.indices { try builders[i].append(row[i]) } }
        return ColumnBatch(schema: schema, columns: builders.map { $0.finish() })
    }

    static func jsonLines(_ batches: [ColumnBatch]) -> String {
        batches.flatMap { b in (0..<b.rowCount).map { ValueJSON.encodeRow(b, row: $0) } }.joined(separator: "\n") + "\n"
    }

    static func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test func weirFilesReadByPyarrowAndDuckDB() async throws {
        let scratch = try Scratch("parquet-interop-w")
        defer { if ProcessInfo.processInfo.environment["WEIR_KEEP_SCRATCH"] == nil { scratch.remove() } }
        let io = LocalFileIO()
        let rows = Self.rows(count: 500, seed: 7)
        let batch = try Self.batch(Self.schema, rows)
        let expected = Self.jsonLines([batch])
        // DuckDB's TIMESTAMP holds microseconds: it reads INT96 (TIMESTAMP(7..9)) floored to the microsecond.
        let nanoColumns = ["ts9", "ltz9"].map { Self.schema.index(of: $0)! }
        let microRows = rows.map { row -> [Value] in
            var row = row
            for column in nanoColumns {
                if case .timestamp(let nanos) = row[column] {
                    let floored = nanos >= 0 ? nanos / 1000 : (nanos - 999) / 1000
                    row[column] = .timestamp(floored * 1000)
                }
            }
            return row
        }
        let expectedMicros = Self.jsonLines([try Self.batch(Self.schema, microRows)])
        var files: [String] = []
        let codecs: [(String, ParquetWriteOptions)] = [
            ("default", ParquetWriteOptions()),
            ("uncompressed", ParquetWriteOptions(compression: .uncompressed)),
            ("snappy", ParquetWriteOptions(compression: .snappy)),
            ("gzip", ParquetWriteOptions(compression: .gzip)),
            ("zstd9", ParquetWriteOptions(compression: .zstd(level: 9))),
            ("lz4raw", ParquetWriteOptions(compression: .lz4Raw)),
            ("plain", ParquetWriteOptions(dictionary: false)),
            ("fallback-pages-groups", ParquetWriteOptions(rowGroupBytes: 96 << 10, pageBytes: 4 << 10, pageRowCountMax: 100,
                                                         dictionaryPageBytes: 512, pageChecksums: true)),
        ]
        for (name, options) in codecs {
            let path = scratch.path + "/\(name).parquet"
            let summary = try await ParquetFile.write(io: io, path: try StoragePath(parsing: path), schema: Self.schema,
                                                      batches: [batch], options: options, overwrite: false)
            #expect(summary.rowCount == 500)
            files.append(path)
        }
        // Weir reads its own files back the same way.
        for path in files {
            let (_, batches) = try await ParquetFile.readBatches(io: io, path: try StoragePath(parsing: path))
            let read = batches.flatMap { b in (0..<b.rowCount).map { r in b.columns.map { $0.value(at: r) } } }
            #expect(read == rows, "Weir reading \(path)")
        }
        let clock = ContinuousClock()
        let started = clock.now
        defer { print("peers and comparison took \(clock.now - started)") }
        _ = try await PythonPeer.run("parquet_read.py", ["pyarrow,duckdb", scratch.path, Self.precisions] + files)
        for engine in ["pyarrow", "duckdb"] {
            for path in files {
                let difference = try JSONLines.difference(engine == "duckdb" ? expectedMicros : expected,
                                                          Self.read(scratch.path + "/" + (path as NSString).lastPathComponent + ".\(engine).jsonl"))
                #expect(difference == nil, "\(engine) reading \(path): \(difference ?? "")")
            }
        }
    }
}
