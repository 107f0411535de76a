import Testing
import WeirColumnar
import WeirFileIO
@testable import WeirORC

/// Files Weir writes, read back by Weir: every type with nulls under every codec, strings in both encodings,
/// many stripes, projection, target schemas, statistics and stripe skipping.
@Suite struct ORCRoundTripTests {
    typealias S = ORCTestSupport

    static let codecs: [ORCCompression] = [.none, .zlib, .snappy, .zstd(), .lz4]

    @Test(arguments: codecs)
    func everyTypeWithNullsRoundTrips(_ compression: ORCCompression) async throws {
        let batches = [try S.batch(S.allTypes, rows: 1500, seed: 11), try S.batch(S.allTypes, rows: 1, seed: 12),
                       try S.batch(S.allTypes, rows: 2100, seed: 13)]
        let options = ORCWriteOptions(compression: compression, compressionBlockSize: 4096, stripeSizeBytes: 300_000, rowIndexStride: 500)
        let (io, path, summary) = try await S.write(batches, schema: S.allTypes, options: options)
        #expect(summary.rowCount == 3601)
        #expect(summary.stripeCount >= 2)
        let reader = try await ORCFileReader.open(io: io, path: path, options: ORCReadOptions(targetSchema: S.allTypes))
        #expect(reader.postScript.compression == compression.kind)
        #expect(reader.stripes.map(\.rowCount).reduce(0, +) == 3601)
        let read = try await reader.readAll()
        #expect(read.count == summary.stripeCount)
        for batch in read {
            try batch.validate()
            #expect(batch.schema == S.allTypes)
        }
        let expected = S.rows(batches), actual = S.rows(read)
        #expect(expected.count == actual.count)
        for (index, (e, a)) in zip(expected, actual).enumerated() where e != a {
            Issue.record("row \(index): expected \(e), got \(a)")
            break
        }
    }

    /// Without a target schema the reader maps ORC types back to Paimon's, keeping field ids from `paimon.id`.
    @Test func fileSchemaMapsORCTypesAndKeepsFieldIds() async throws {
        let bytes = try await S.fileBytes([try S.batch(S.allTypes, rows: 10, seed: 1)], schema: S.allTypes)
        let reader = try await S.open(bytes)
        let types = Dictionary(uniqueKeysWithValues: reader.schema.fields.map { ($0.name, $0.type.description) })
        #expect(types["bi"] == "BIGINT")
        #expect(types["dec38"] == "DECIMAL(38, 10)")
        #expect(types["c"] == "CHAR(8)")
        #expect(types["vc"] == "VARCHAR(20)")
        #expect(types["s"] == "STRING")
        #expect(types["bin"] == "BYTES")
        #expect(types["tm"] == "INT")
        #expect(types["ts3"] == "TIMESTAMP(9)")
        #expect(types["ltz"] == "TIMESTAMP(9) WITH LOCAL TIME ZONE")
        #expect(types["m"] == "MAP<VARCHAR(10), BIGINT>")
        #expect(reader.schema.fields.map(\.id) == S.allTypes.fields.map(\.id))
        guard case .row(let fields) = reader.schema.fields[reader.schema.index(of: "r")!].type.kind else {
            Issue.record("r is not a row")
            return
        }
        #expect(fields.map(\.id) == [26, 27, 28])
        // Paimon's derived ids for array elements and map keys and values.
        let types0 = reader.footer.types
        let element = types0.first { $0.attribute("paimon.id") == String(Int32.max / 4 + 22 * 1024 + 1) }
        #expect(element?.kind == .int)
        let key = types0.first { $0.attribute("paimon.id") == String(Int32.max / 4 - 24 * 1024 - 1) }
        #expect(key?.kind == .varchar)
        // Values read as TIMESTAMP(9) are the written TIMESTAMP(3) values in nanoseconds.
        let batch = try await reader.read(stripe: 0)
        let written = try S.batch(S.allTypes, rows: 10, seed: 1)
        let index = S.allTypes.index(of: "ts3")!
        for row in 0..<10 {
            guard case .timestamp(let millis) = written.columns[index].value(at: row) else { continue }
            #expect(batch.columns[index].value(at: row) == .timestamp(millis * 1_000_000))
        }
    }

    @Test func emptyFileHasSchemaAndNoStripes() async throws {
        let (io, path, summary) = try await S.write([], schema: S.allTypes)
        #expect(summary.rowCount == 0)
        #expect(summary.stripeCount == 0)
        let (schema, batches) = try await ORCFile.readBatches(io: io, path: path)
        #expect(schema.fieldNames == S.allTypes.fieldNames)
        #expect(batches.isEmpty)
    }

    static let strings = RowType([
        DataField(id: 0, name: "low", type: .string),
        DataField(id: 1, name: "high", type: DataType(.varchar(length: 40))),
        DataField(id: 2, name: "bin", type: .bytes),
    ])

    static func stringBatch(rows: Int) -> ColumnBatch {
        var low = ColumnBuilder(type: .string), high = ColumnBuilder(type: DataType(.varchar(length: 40))), bin = ColumnBuilder(type: .bytes)
        for i in 0..<rows {
            try! low.append(i % 13 == 0 ? .null : .string(["red", "green", "blue", "", "ünï"][i % 5]))
            try! high.append(i % 17 == 0 ? .null : .string("value-\(i * 7919 % 100_003)"))
            try! bin.append(.bytes([UInt8(i % 3), UInt8(i % 251)]))
        }
        return ColumnBatch(schema: strings, columns: [low.finish(), high.finish(), bin.finish()])
    }

    /// Low-cardinality strings are dictionary encoded and high-cardinality ones direct (threshold 0.8); the
    /// threshold forces either; binary is always direct. Values survive every choice.
    @Test(arguments: [(0.8, ["DICTIONARY_V2", "DIRECT_V2"]), (1.0, ["DICTIONARY_V2", "DICTIONARY_V2"]), (0.0, ["DIRECT_V2", "DIRECT_V2"])])
    func stringEncodingsByCardinality(_ threshold: Double, _ encodings: [String]) async throws {
        let batch = Self.stringBatch(rows: 5000)
        let bytes = try await S.fileBytes([batch], schema: Self.strings, options: ORCWriteOptions(dictionaryKeySizeThreshold: threshold))
        let reader = try await S.open(bytes, options: ORCReadOptions(targetSchema: Self.strings))
        let footer = try await reader.stripeFooter(0)
        #expect(footer.columns.map(\.kind.description) == ["DIRECT"] + encodings + ["DIRECT_V2"])
        if threshold == 0.8 { #expect(footer.columns[1].dictionarySize == 5) }
        let read = try await reader.read(stripe: 0)
        #expect(read == batch)
    }

    static let wide = RowType([
        DataField(id: 0, name: "id", type: DataType(.bigint, nullable: false)),
        DataField(id: 1, name: "name", type: .string),
        DataField(id: 2, name: "day", type: DataType(.date)),
        DataField(id: 3, name: "price", type: DataType(.decimal(precision: 12, scale: 2))),
        DataField(id: 4, name: "at", type: DataType(.timestamp(precision: 6))),
        DataField(id: 5, name: "flag", type: DataType(.boolean)),
        DataField(id: 6, name: "maybe", type: DataType(.int)),
    ])

    /// Rows sorted by id, so each stripe covers its own id range; `maybe` is null only in rows 20,000...29,999.
    static func sortedBatch(from: Int, rows: Int) -> ColumnBatch {
        var builders = wide.fields.map { ColumnBuilder(type: $0.type) }
        for i in from..<(from + rows) {
            try! builders[0].append(.integer(Int64(i)))
            try! builders[1].append(.string(String(format: "n%06d", i)))
            try! builders[2].append(.date(days: Int32(i / 100)))
            try! builders[3].append(.decimal(unscaled: Int128(i) * 25, scale: 2))
            try! builders[4].append(.timestamp(Int64(i) * 1_000_000 + 123))
            try! builders[5].append(.boolean(i >= 40_000))
            try! builders[6].append((20_000..<30_000).contains(i) ? .null : .integer(Int64(i % 1000)))
        }
        return ColumnBatch(schema: wide, columns: builders.map { $0.finish() })
    }

    static func wideFile() async throws -> ORCFileReader {
        let batches = stride(from: 0, to: 50_000, by: 5_000).map { sortedBatch(from: $0, rows: 5_000) }
        let bytes = try await S.fileBytes(batches, schema: wide, options: ORCWriteOptions(stripeSizeBytes: 250_000))
        return try await S.open(bytes, options: ORCReadOptions(targetSchema: wide))
    }

    @Test func manyStripesAndProjection() async throws {
        let reader = try await Self.wideFile()
        #expect(reader.stripes.count >= 5)
        #expect(reader.rowCount == 50_000)
        let projected = try await reader.readAll(projection: ["price", "id"])
        #expect(projected.allSatisfy { $0.schema.fieldNames == ["price", "id"] })
        var next: Int64 = 0
        for batch in projected {
            try batch.validate()
            for row in 0..<batch.rowCount {
                #expect(batch.columns[1].value(at: row) == .integer(next))
                #expect(batch.columns[0].value(at: row) == .decimal(unscaled: Int128(next) * 25, scale: 2))
                next += 1
            }
        }
        #expect(next == 50_000)
        await #expect(throws: ORCError.self) { _ = try await reader.read(stripe: 0, projection: ["nope"]) }
        await #expect(throws: ORCError.self) { _ = try await reader.read(stripe: 0, projection: ["id", "id"]) }
        await #expect(throws: ORCError.self) { _ = try await reader.read(stripe: 99) }
    }

    /// Stripe statistics rule stripes out: only stripes whose range can hold a match are read, and no stripe
    /// holding a match is skipped.
    @Test func stripeSkippingFromStatistics() async throws {
        let reader = try await Self.wideFile()
        let all = reader.stripes.map(\.index)
        func matching(_ filter: ORCFilter) -> [Int] { reader.stripes(matching: filter) }
        // Which stripes truly hold rows with id in a range.
        var ranges: [ClosedRange<Int64>] = []
        var first: Int64 = 0
        for stripe in reader.stripes {
            ranges.append(first...(first + Int64(stripe.rowCount) - 1))
            first += Int64(stripe.rowCount)
        }
        func holding(_ ids: ClosedRange<Int64>) -> [Int] { ranges.indices.filter { ranges[$0].overlaps(ids) } }

        #expect(matching(.greaterThanOrEqual("id", .integer(45_000))) == holding(45_000...49_999))
        #expect(matching(.lessThan("id", .integer(1))) == holding(0...0))
        #expect(matching(.equal("id", .integer(25_000))) == holding(25_000...25_000))
        #expect(matching(.equal("id", .integer(-5))).isEmpty)
        #expect(matching(.equal("name", .string("n031000"))) == holding(31_000...31_000))
        #expect(matching(.greaterThan("day", .date(days: 480))) == holding(48_100...49_999))
        #expect(matching(.lessThanOrEqual("price", .decimal(unscaled: 250, scale: 1))) == holding(0...1_000))
        #expect(matching(.greaterThanOrEqual("at", .timestamp(49_999_000_000))) == holding(49_999...49_999))
        #expect(matching(.equal("flag", .boolean(true))) == holding(40_000...49_999))
        #expect(matching(.isNull("maybe")) == holding(20_000...29_999))
        #expect(matching(.isNotNull("maybe")) == all.filter { !(20_000...29_999).contains(ranges[$0].lowerBound) || !(20_000...29_999).contains(ranges[$0].upperBound) })
        #expect(matching(.and([.greaterThanOrEqual("id", .integer(10_000)), .lessThan("id", .integer(12_000))])) == holding(10_000...11_999))
        #expect(matching(.or([.equal("id", .integer(3)), .equal("id", .integer(49_000))])) == holding(3...3) + holding(49_000...49_000))
        // Undecidable comparisons keep every stripe: an unknown column, a value of another type.
        #expect(matching(.equal("missing", .integer(1))) == all)
        #expect(matching(.equal("id", .string("x"))) == all)
        let read = try await reader.readAll(projection: ["id"], filter: .greaterThanOrEqual("id", .integer(45_000)))
        #expect(read.reduce(0) { $0 + $1.rowCount } == holding(45_000...49_999).map { reader.stripes[$0].rowCount }.reduce(0, +))
    }

    /// Stripe, file and row-group statistics hold what was written.
    @Test func statisticsAtEveryLevel() async throws {
        let reader = try await Self.wideFile()
        let stats = reader.footer.statistics
        #expect(stats.count == 8)
        #expect(stats[0].numberOfValues == 50_000)
        #expect(stats[1].intStatistics == ORCIntegerStatistics(minimum: 0, maximum: 49_999, sum: 1_249_975_000))
        #expect(stats[1].hasNull == false)
        #expect(stats[2].stringStatistics?.minimum == Array("n000000".utf8))
        #expect(stats[2].stringStatistics?.maximum == Array("n049999".utf8))
        #expect(stats[2].stringStatistics?.sum == 350_000)
        #expect(stats[3].dateStatistics == ORCDateStatistics(minimum: 0, maximum: 499))
        #expect(stats[4].decimalStatistics == ORCDecimalStatistics(minimum: "0.00", maximum: "12499.75", sum: "312493750.00"))
        #expect(stats[5].timestampStatistics?.minimumUtc == 0)
        #expect(stats[5].timestampStatistics?.maximumUtc == 49_999_000)
        #expect(stats[5].timestampStatistics?.minimumNanos == Int32(123_001))
        #expect(stats[6].bucketStatistics == [10_000])
        #expect(stats[7].numberOfValues == 40_000)
        #expect(stats[7].hasNull == true)
        #expect(stats.allSatisfy { ($0.bytesOnDisk ?? 0) > 0 || $0 == stats[0] })
        let stripeRows = reader.stripes.map { $0.statistics[1].numberOfValues }
        #expect(stripeRows.reduce(0, +) == 50_000)

        // Row index: one entry per 10,000 rows of a stripe, with the group's statistics.
        let stripe = reader.stripes[0]
        let index = try await reader.rowIndex(stripe: 0, column: 1)
        #expect(index.entries.count == (stripe.rowCount + 9_999) / 10_000)
        #expect(index.entries[0].statistics?.intStatistics?.minimum == 0)
        #expect(index.entries[0].statistics?.numberOfValues == UInt64(min(10_000, stripe.rowCount)))
        let names = try await reader.rowIndex(stripe: 0, column: 2)
        #expect(names.entries[0].statistics?.stringStatistics?.minimum == Array("n000000".utf8))
    }

    /// Reading into a target schema: wider integers, decimal rescaling, coarser timestamps, missing nullable
    /// columns as nulls; incompatible types and missing NOT NULL columns are refused at open.
    @Test func targetSchemaConversions() async throws {
        let schema = RowType([
            DataField(id: 0, name: "i", type: DataType(.int)),
            DataField(id: 1, name: "dec", type: DataType(.decimal(precision: 10, scale: 2))),
            DataField(id: 2, name: "ts", type: DataType(.timestamp(precision: 9))),
            DataField(id: 3, name: "f", type: DataType(.float)),
        ])
        var builders = schema.fields.map { ColumnBuilder(type: $0.type) }
        let timestamps: [Int64] = [1_999_999_999, -1_500_000_001, 0, 123_456_789_012_345_678]
        for row in 0..<4 {
            try builders[0].append(.integer([Int64(Int32.max), -1, 0, 7][row]))
            try builders[1].append(.decimal(unscaled: [12345, -12345, 5, -5][row], scale: 2))
            try builders[2].append(.timestamp(timestamps[row]))
            try builders[3].append(.float(Float(row) + 0.5))
        }
        let bytes = try await S.fileBytes([ColumnBatch(schema: schema, columns: builders.map { $0.finish() })], schema: schema)
        let target = RowType([
            DataField(id: 0, name: "i", type: DataType(.bigint)),
            DataField(id: 1, name: "dec", type: DataType(.decimal(precision: 25, scale: 1))),
            DataField(id: 2, name: "ts", type: DataType(.timestamp(precision: 3))),
            DataField(id: 9, name: "extra", type: .string),
            DataField(id: 3, name: "f", type: DataType(.double)),
        ])
        let reader = try await S.open(bytes, options: ORCReadOptions(targetSchema: target))
        #expect(reader.schema == target)
        let batch = try await reader.read(stripe: 0)
        #expect(batch.columns[0].value(at: 0) == .integer(Int64(Int32.max)))
        // 123.45 → 123.5, -123.45 → -123.5, 0.05 → 0.1, -0.05 → -0.1 (half away from zero).
        #expect((0..<4).map { batch.columns[1].value(at: $0) } == [1235, -1235, 1, -1].map { .decimal(unscaled: $0, scale: 1) })
        #expect((0..<4).map { batch.columns[2].value(at: $0) } == [1999, -1501, 0, 123_456_789_012].map { .timestamp($0) })
        #expect(batch.columns[3].nullCount == 4)
        #expect(batch.columns[4].value(at: 1) == .double(1.5))

        let narrow = RowType([DataField(id: 1, name: "dec", type: DataType(.decimal(precision: 3, scale: 2)))])
        let tooNarrow = try await S.open(bytes, options: ORCReadOptions(targetSchema: narrow))
        await #expect(throws: ORCError.self) { _ = try await tooNarrow.read(stripe: 0) }
        for bad in [RowType([DataField(id: 0, name: "i", type: DataType(.smallint))]),
                    RowType([DataField(id: 0, name: "f", type: .string)]),
                    RowType([DataField(id: 0, name: "absent", type: DataType(.int, nullable: false))])] {
            await #expect(throws: ORCError.self) { _ = try await S.open(bytes, options: ORCReadOptions(targetSchema: bad)) }
        }
    }

    /// ORC's pre-1970 rule (seconds + 1 when the fraction is at least a millisecond) round-trips every value but
    /// those in (-1 s, 0) with such a fraction, which every ORC reader takes one second late.
    @Test func timestampsAroundTheEpoch() async throws {
        let schema = RowType([DataField(id: 0, name: "t", type: DataType(.timestamp(precision: 9)))])
        let values: [Int64] = [-2_000_000_001, -1_999_999_999, -1_000_000_000, -1_000_000_001, -999_999, -1, 0, 1, 999_999_999,
                               1_420_070_400_000_000_000, Int64.max / 1000 * 1000, Int64.min / 1000 * 1000 + 1000, -500_000_000]
        var builder = ColumnBuilder(type: schema.fields[0].type)
        for v in values { try builder.append(.timestamp(v)) }
        let bytes = try await S.fileBytes([ColumnBatch(schema: schema, columns: [builder.finish()])], schema: schema)
        let batch = try await S.open(bytes).read(stripe: 0)
        for (row, v) in values.enumerated() {
            // Inside (-1 s, 0) with a fraction of at least a millisecond: one second late.
            let expected = v > -1_000_000_000 && v < 0 && v + 1_000_000_000 >= 1_000_000 ? v + 1_000_000_000 : v
            #expect(batch.columns[0].value(at: row) == .timestamp(expected), "row \(row): \(v)")
        }
    }

    @Test func writerRefusesWhatItCannotWrite() async throws {
        let io = MemoryFileIO()
        let path = try StoragePath(parsing: "memory://orc/bad.orc")
        let multiset = RowType([DataField(id: 0, name: "m", type: DataType(.multiset(element: .string)))])
        let file = try await io.create(path, overwrite: true)
        #expect(throws: ORCError.self) { _ = try ORCFileWriter(file: file, schema: multiset) }
        #expect(throws: ORCError.self) {
            _ = try ORCFileWriter(file: file, schema: Self.strings, options: ORCWriteOptions(compressionBlockSize: 10))
        }
        let writer = try ORCFileWriter(file: file, schema: Self.strings)
        await #expect(throws: ORCError.self) { try await writer.write(Self.sortedBatch(from: 0, rows: 3)) }
        // A failed write aborts the file: nothing is visible.
        #expect(try await io.exists(path) == false)
        await #expect(throws: ORCError.self) { _ = try await writer.close() }
    }
}

extension ORCCompression: CustomTestStringConvertible {
    public var testDescription: String { description }
}
