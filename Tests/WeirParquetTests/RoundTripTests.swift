import Testing
import WeirColumnar
import WeirFileIO
@testable import WeirParquet

/// Write then read back: every Paimon type, nulls, nested types, extremes, every codec, dictionary modes, many row
/// groups and pages.
@Suite struct RoundTripTests {
    static func check(_ schema: RowType, rows: Int, seed: UInt64, nullRate: Double = 0.15,
                      options: ParquetWriteOptions = ParquetWriteOptions()) async throws -> (RowType, [ColumnBatch]) {
        var generator = ValueGenerator(seed: seed, nullRate: nullRate)
        let values = generator.rows(schema, count: rows)
        let batch = try PQ.batch(schema, values)
        let (readSchema, batches) = try await PQ.roundTrip(schema, [batch], options: options)
        let read = PQ.rows(batches)
        #expect(read.count == values.count)
        for (i, (expected, actual)) in zip(values, read).enumerated() where expected != actual {
            Issue.record("row \(i) differs:\n  wrote \(expected)\n  read  \(actual)")
            break
        }
        for b in batches { try b.validate() }
        return (readSchema, batches)
    }

    @Test func everyAtomicTypeNullable() async throws {
        let (schema, _) = try await Self.check(Schemas.atomic, rows: 3000, seed: 1)
        // Types come back from the Parquet annotations (CHAR/VARCHAR lengths are not stored).
        #expect(schema.fields.map(\.type.description) == [
            "BIGINT NOT NULL", "BOOLEAN", "TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE", "DECIMAL(9, 2)",
            "DECIMAL(18, 6)", "DECIMAL(19, 0)", "DECIMAL(38, 10)", "STRING", "STRING", "STRING", "BYTES", "BYTES", "BYTES",
            "DATE", "TIME(3)", "TIMESTAMP(3)", "TIMESTAMP(3)", "TIMESTAMP(6)", "TIMESTAMP(9)",
            "TIMESTAMP(3) WITH LOCAL TIME ZONE", "TIMESTAMP(6) WITH LOCAL TIME ZONE", "TIMESTAMP(9)"])
        #expect(schema.fields.map(\.id) == Array(0...26))
    }

    @Test func everyAtomicTypeRequired() async throws {
        _ = try await Self.check(Schemas.atomicRequired, rows: 2000, seed: 2)
    }

    @Test func allNullColumns() async throws {
        _ = try await Self.check(Schemas.atomic, rows: 500, seed: 3, nullRate: 1.0)
    }

    @Test func nestedTypes() async throws {
        _ = try await Self.check(Schemas.nested, rows: 1500, seed: 4)
        _ = try await Self.check(Schemas.nested, rows: 300, seed: 5, nullRate: 0.6)
        _ = try await Self.check(Schemas.nested, rows: 300, seed: 6, nullRate: 0)
    }

    @Test(arguments: [ParquetWriteOptions.Compression.uncompressed, .snappy, .gzip, .zstd(level: 1), .zstd(level: 9), .lz4Raw])
    func everyCodec(_ compression: ParquetWriteOptions.Compression) async throws {
        for dictionary in [true, false] {
            let options = ParquetWriteOptions(compression: compression, dictionary: dictionary)
            _ = try await Self.check(Schemas.atomic, rows: 700, seed: 10, options: options)
            _ = try await Self.check(Schemas.nested, rows: 200, seed: 11, options: options)
        }
    }

    @Test func extremeValues() async throws {
        let schema = RowType([
            Schemas.f(0, "i8", DataType(.tinyint)), Schemas.f(1, "i16", DataType(.smallint)), Schemas.f(2, "i32", DataType(.int)),
            Schemas.f(3, "i64", DataType(.bigint)), Schemas.f(4, "f", DataType(.float)), Schemas.f(5, "d", DataType(.double)),
            Schemas.f(6, "d38", DataType(.decimal(precision: 38, scale: 0))), Schemas.f(7, "d9", DataType(.decimal(precision: 9, scale: 9))),
            Schemas.f(8, "s", .string), Schemas.f(9, "ts9", DataType(.timestamp(precision: 9))),
        ])
        var max38: Int128 = 1
        for _ in 0..<38 { max38 *= 10 }
        max38 -= 1
        let rows: [[Value]] = [
            [.integer(-128), .integer(-32768), .integer(Int64(Int32.min)), .integer(Int64.min), .float(-.greatestFiniteMagnitude),
             .double(-.infinity), .decimal(unscaled: -max38, scale: 0), .decimal(unscaled: -999_999_999, scale: 9),
             .string(""), .timestamp(Int64.min + 1)],
            [.integer(127), .integer(32767), .integer(Int64(Int32.max)), .integer(Int64.max), .float(.leastNonzeroMagnitude),
             .double(.greatestFiniteMagnitude), .decimal(unscaled: max38, scale: 0), .decimal(unscaled: 999_999_999, scale: 9),
             .string(String(repeating: "長", count: 10_000)), .timestamp(Int64.max)],
            [.integer(0), .integer(0), .integer(0), .integer(0), .float(-0.0), .double(0.0), .decimal(unscaled: 0, scale: 0),
             .decimal(unscaled: 1, scale: 9), .string("\u{0}"), .timestamp(0)],
            [.null, .null, .null, .null, .null, .null, .null, .null, .null, .timestamp(-1)],
        ]
        let batch = try PQ.batch(schema, rows)
        let (_, read) = try await PQ.roundTrip(schema, [batch])
        #expect(PQ.rows(read) == rows)
        // -0.0 keeps its sign.
        guard case .float32(let floats) = read[0].columns[4].values else { Issue.record("FLOAT storage"); return }
        #expect(floats[2].sign == .minus)
    }

    @Test func nanRoundTripsAndIsLeftOutOfStatistics() async throws {
        let schema = RowType([Schemas.f(0, "d", DataType(.double)), Schemas.f(1, "f", DataType(.float))])
        let batch = try PQ.batch(schema, [[.double(.nan), .float(.nan)], [.double(2), .float(-1)], [.double(-3), .float(.nan)]])
        let (io, path, summary) = try await PQ.write(schema, [batch])
        let (_, read) = try await ParquetFile.readBatches(io: io, path: path)
        guard case .float64(let d) = read[0].columns[0].values, case .float32(let f) = read[0].columns[1].values else {
            Issue.record("storage"); return
        }
        #expect(d[0].isNaN && d[1] == 2 && d[2] == -3)
        #expect(f[0].isNaN && f[1] == -1 && f[2].isNaN)
        #expect(summary.columns[0].min == .double(-3) && summary.columns[0].max == .double(2))
        #expect(summary.columns[1].min == .float(-1) && summary.columns[1].max == .float(-1))
        let reader = try await ParquetFileReader.open(io: io, path: path)
        #expect(reader.rowGroups[0].columns[0]?.min == .double(-3))
        #expect(reader.rowGroups[0].columns[0]?.max == .double(2))
    }

    @Test func multisetIsWrittenAsMapOfCounts() async throws {
        let schema = RowType([Schemas.f(0, "tags", DataType(.multiset(element: .string)))])
        let batch = try PQ.batch(schema, [[.list([.string("a"), .string("b"), .string("a")])], [.null], [.list([])]])
        let (readSchema, read) = try await PQ.roundTrip(schema, [batch])
        #expect(readSchema.fields[0].type.description == "MAP<STRING NOT NULL, INT NOT NULL>")
        #expect(PQ.rows(read) == [[.map([.init(key: .string("a"), value: .integer(2)), .init(key: .string("b"), value: .integer(1))])],
                                  [.null], [.map([])]])
        let bad = try PQ.batch(schema, [[.list([.null])]])
        await #expect(throws: ParquetError.self) { _ = try await PQ.roundTrip(schema, [bad]) }
    }

    @Test func zeroRowsAndEmptyBatches() async throws {
        let schema = Schemas.nested
        let empty = try PQ.batch(schema, [])
        let (io, path, summary) = try await PQ.write(schema, [empty, empty])
        #expect(summary.rowCount == 0 && summary.rowGroupCount == 0)
        let reader = try await ParquetFileReader.open(io: io, path: path)
        #expect(reader.rowGroups.isEmpty)
        #expect(reader.schema.fields.map(\.name) == schema.fieldNames)
    }

    @Test func manyBatchesStreamIntoRowGroups() async throws {
        let schema = Schemas.atomic
        var generator = ValueGenerator(seed: 20)
        var batches: [ColumnBatch] = []
        var all: [[Value]] = []
        for _ in 0..<12 {
            let rows = generator.rows(schema, count: 400)
            all += rows
            batches.append(try PQ.batch(schema, rows))
        }
        let options = ParquetWriteOptions(rowGroupBytes: 64 << 10, pageBytes: 8 << 10, pageRowCountMax: 300)
        let (io, path, summary) = try await PQ.write(schema, batches, options: options)
        #expect(summary.rowCount == 4800)
        #expect(summary.rowGroupCount > 3)
        let reader = try await ParquetFileReader.open(io: io, path: path)
        #expect(reader.rowGroups.count == summary.rowGroupCount)
        #expect(reader.rowGroups.reduce(0) { $0 + $1.rowCount } == 4800)
        #expect(PQ.rows(try await reader.readAll()) == all)
        #expect(summary.fileBytes == Int64(try await io.readAll(path).count))
    }
}
