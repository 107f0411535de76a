import Testing
import WeirAvro
import WeirCodecs
import WeirColumnar
import WeirFileIO

/// Random values of any Paimon type, as ColumnBuilder takes them.
enum Values {
    static func value(_ type: DataType, _ rng: inout SplitMix64, nullChance: Double = 0.2) -> Value {
        if type.isNullable, Double.random(in: 0..<1, using: &rng) < nullChance { return .null }
        switch type.kind {
        case .boolean: return .boolean(Bool.random(using: &rng))
        case .tinyint: return .integer(Int64(Int8.random(in: .min ... .max, using: &rng)))
        case .smallint: return .integer(Int64(Int16.random(in: .min ... .max, using: &rng)))
        case .int: return .integer(Int64([Int32.min, Int32.max, 0, Int32.random(in: .min ... .max, using: &rng)].randomElement(using: &rng)!))
        case .bigint: return .integer([Int64.min, Int64.max, -1, Int64.random(in: .min ... .max, using: &rng)].randomElement(using: &rng)!)
        case .float: return .float([Float.infinity, -0.0, 1.5, Float.random(in: -1e6...1e6, using: &rng)].randomElement(using: &rng)!)
        case .double: return .double([-Double.infinity, 0, 1e300, Double.random(in: -1e9...1e9, using: &rng)].randomElement(using: &rng)!)
        case .decimal(let p, let s):
            var limit: Int128 = 1
            for _ in 0..<p { limit *= 10 }
            let unscaled = [limit - 1, -(limit - 1), 0, Int128.random(in: -(limit - 1)...(limit - 1), using: &rng)].randomElement(using: &rng)!
            return .decimal(unscaled: unscaled, scale: s)
        case .char(let n), .varchar(let n):
            let alphabet = Array("abcxyzÄé中文😀 \"\\\n\t")
            let length = Int.random(in: 0...min(n, 12), using: &rng)
            return .string(String((0..<length).map { _ in alphabet.randomElement(using: &rng)! }))
        case .binary(let n), .varbinary(let n):
            return .bytes((0..<Int.random(in: 0...min(n, 12), using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
        case .date: return .date(days: Int32.random(in: -100_000...100_000, using: &rng))
        case .time: return .time(millis: Int32.random(in: 0..<86_400_000, using: &rng))
        case .timestamp(let p), .timestampLTZ(let p):
            let range: Int64 = p <= 3 ? 10_000_000_000_000 : p <= 6 ? 10_000_000_000_000_000 : 4_000_000_000_000_000_000
            return .timestamp(Int64.random(in: -range...range, using: &rng))
        case .array(let e), .multiset(let e):
            return .list((0..<Int.random(in: 0...3, using: &rng)).map { _ in value(e, &rng, nullChance: nullChance) })
        case .map(let k, let v):
            return .map((0..<Int.random(in: 0...3, using: &rng)).map { _ in
                Value.MapEntry(key: value(k.nullable(false), &rng), value: value(v, &rng, nullChance: nullChance))
            })
        case .row(let fields):
            return .row(fields.map { value($0.type, &rng, nullChance: nullChance) })
        }
    }

    static func batch(_ schema: RowType, rows: Int, seed: UInt64) throws -> ColumnBatch {
        var rng = SplitMix64(seed: seed)
        var builders = schema.fields.map { ColumnBuilder(type: $0.type) }
        for _ in 0..<rows {
            for i in builders.indices { try builders[i].append(value(schema.fields[i].type, &rng)) }
        }
        return ColumnBatch(schema: schema, columns: builders.map { $0.finish() })
    }

    /// Every row of the batches as values.
    static func rows(_ batches: [ColumnBatch]) -> [[Value]] {
        batches.flatMap { batch in (0..<batch.rowCount).map { row in batch.columns.map { $0.value(at: row) } } }
    }
}

@Suite struct AvroBatchTests {
    /// Every Paimon type, nullable and NOT NULL, nested.
    static let everyType = RowType([
        field(0, "b", DataType(.boolean)), field(1, "ti", DataType(.tinyint)), field(2, "si", notNull(.smallint)), field(3, "i", notNull(.int)),
        field(4, "bi", DataType(.bigint)), field(5, "fl", DataType(.float)), field(6, "d", notNull(.double)),
        field(7, "dec", DataType(.decimal(precision: 10, scale: 2))), field(8, "dec18", notNull(.decimal(precision: 18, scale: 4))),
        field(9, "dec38", DataType(.decimal(precision: 38, scale: 10))), field(10, "dec1", notNull(.decimal(precision: 1, scale: 0))),
        field(11, "c", DataType(.char(length: 5))), field(12, "vc", notNull(.varchar(length: 20))), field(13, "s", .string),
        field(14, "bin", DataType(.binary(length: 4))), field(15, "vb", notNull(.varbinary(length: 10))), field(16, "by", .bytes),
        field(17, "dt", DataType(.date)), field(18, "tm", notNull(.time(precision: 3))), field(19, "tm0", DataType(.time(precision: 0))),
        field(20, "ts0", DataType(.timestamp(precision: 0))), field(21, "ts3", notNull(.timestamp(precision: 3))),
        field(22, "ts6", DataType(.timestamp(precision: 6))), field(23, "ts9", DataType(.timestamp(precision: 9))),
        field(24, "ltz3", DataType(.timestampLTZ(precision: 3))), field(25, "ltz6", notNull(.timestampLTZ(precision: 6))),
        field(26, "ltz9", DataType(.timestampLTZ(precision: 9))),
        field(27, "arr", DataType(.array(element: DataType(.int)))),
        field(28, "arrnn", notNull(.array(element: DataType.string.nullable(false)))),
        field(29, "nested", DataType(.array(element: DataType(.array(element: DataType(.bigint)))))),
        field(30, "m", DataType(.map(key: DataType.string.nullable(false), value: DataType(.double)))),
        field(31, "mi", notNull(.map(key: notNull(.int), value: .string))),
        field(32, "mrow", DataType(.map(key: notNull(.bigint), value: DataType(.row(fields: [field(33, "a", DataType(.int)), field(34, "b", DataType.string.nullable(false))]))))),
        field(35, "r", DataType(.row(fields: [
            field(36, "x", notNull(.int)), field(37, "y", .string),
            field(38, "z", DataType(.row(fields: [field(39, "w", DataType(.double)), field(40, "v", DataType(.array(element: DataType(.date))))]))),
        ]))),
        field(41, "rnn", notNull(.row(fields: [field(42, "p", DataType(.boolean))]))),
    ])

    static let codecs: [AvroCodec] = [.null, .deflate(), .snappy, .zstandard(level: 1)]

    static func path(_ name: String) -> StoragePath { try! StoragePath(parsing: "memory://batches/\(name)") }

    @Test(arguments: codecs)
    func everyTypeRoundTrips(_ codec: AvroCodec) async throws {
        let io = MemoryFileIO()
        let path = Self.path("all.avro")
        let batches = [try Values.batch(Self.everyType, rows: 700, seed: 1), try Values.batch(Self.everyType, rows: 0, seed: 2),
                       try Values.batch(Self.everyType, rows: 300, seed: 3)]
        let summary = try await AvroFile.write(io: io, path: path, schema: Self.everyType, batches: batches, codec: codec,
                                               overwrite: false, blockBytes: 32 << 10)
        #expect(summary.rowCount == 1000)
        #expect(summary.blockCount > 3)
        #expect(summary.bytes == (try await io.status(path)).size)
        #expect(summary.schema == (try AvroSchema(paimonRowType: Self.everyType)))

        // Read as the table's own row type: identical columns.
        let read = try await AvroFile.readBatches(io: io, path: path, readType: Self.everyType)
        #expect(read.count == summary.blockCount)
        #expect(Values.rows(read) == Values.rows(batches))
        // Read with the file's own row type (what Avro can express): the same values.
        let (rowType, own) = try await AvroFile.readBatches(io: io, path: path)
        #expect(rowType == (try summary.schema.paimonRowType()))
        #expect(Values.rows(own) == Values.rows(batches))

        // The generic reader sees the same number of records.
        let (header, records) = try await AvroFileReader.readAll(io: io, path: path)
        #expect(records.count == 1000)
        #expect(header.codec.name == codec.name)
    }

    @Test func batchWriterStreamsBlocks() async throws {
        let io = MemoryFileIO()
        let path = Self.path("stream.avro")
        let blockBytes = 16 << 10
        let writer = try await AvroBatchWriter.create(io: io, path: path, rowType: Self.everyType, codec: .zstandard(level: 1),
                                                      overwrite: false, blockBytes: blockBytes)
        let headerOnly = writer.bytesBuffered
        #expect(writer.bytesWritten == 0 && headerOnly > 0 && writer.estimatedFileBytes == Int64(headerOnly))
        var batches: [ColumnBatch] = []
        for seed in 0..<4 {
            let batch = try Values.batch(Self.everyType, rows: 250, seed: UInt64(20 + seed))
            try await writer.write(batch)
            batches.append(batch)
            // Blocks go to the file as they fill: what is held is at most about one block.
            #expect(writer.bytesWritten > 0 && writer.bytesBuffered < blockBytes + 16 << 10)
            #expect(writer.estimatedFileBytes == writer.bytesWritten + Int64(writer.bytesBuffered))
        }
        // A batch of another row type, or an invalid one, is refused and the writer goes on.
        let other = RowType([DataField(id: 0, name: "a", type: DataType(.int, nullable: false))])
        await #expect(throws: AvroError.self) {
            try await writer.write(ColumnBatch(schema: other, columns: [Column(type: other.fields[0].type, validity: nil, values: .int32([1]))]))
        }
        #expect(try await io.exists(path) == false)
        let summary = try await writer.close()
        #expect(summary.rowCount == 1000 && summary.blockCount == writer.blockCount && summary.blockCount > 4)
        let stored = try await io.status(path).size
        #expect(summary.bytes == writer.bytesWritten && summary.bytes == stored)
        #expect(Values.rows(try await AvroFile.readBatches(io: io, path: path, readType: Self.everyType)) == Values.rows(batches))
        await #expect(throws: AvroError.self) { try await writer.write(batches[0]) }

        // Aborted: nothing is visible.
        let aborted = try await AvroBatchWriter.create(io: io, path: Self.path("aborted.avro"), rowType: Self.everyType, overwrite: false)
        try await aborted.write(batches[0])
        await aborted.abort()
        #expect(try await io.exists(Self.path("aborted.avro")) == false)
    }

    @Test func projectionKeepsNamedFieldsInOrder() async throws {
        let io = MemoryFileIO()
        let path = Self.path("proj.avro")
        let batch = try Values.batch(Self.everyType, rows: 200, seed: 9)
        _ = try await AvroFile.write(io: io, path: path, schema: Self.everyType, batches: [batch], codec: .snappy, overwrite: false)
        let (rowType, read) = try await AvroFile.readBatches(io: io, path: path, projection: ["r", "i", "ts9", "mi"])
        #expect(rowType.fieldNames == ["r", "i", "ts9", "mi"])
        let expected = Values.rows([batch]).map { [$0[33], $0[3], $0[23], $0[31]] }
        #expect(Values.rows(read) == expected)
        await #expect(throws: AvroError.self) { _ = try await AvroFile.readBatches(io: io, path: path, projection: ["nope"]) }
    }

    /// A Paimon table reads a data file with its current schema: by name, with conversions, nulls for fields the
    /// file does not have.
    @Test func readTypeConvertsAndFillsMissingFields() async throws {
        let io = MemoryFileIO()
        let path = Self.path("evolve.avro")
        let written = RowType([field(0, "a", notNull(.int)), field(1, "b", DataType(.bigint)), field(2, "ts", notNull(.timestamp(precision: 3))),
                               field(3, "dec", DataType(.decimal(precision: 5, scale: 2))), field(4, "name", .string), field(5, "t9", notNull(.timestamp(precision: 9)))])
        var builders = written.fields.map { ColumnBuilder(type: $0.type) }
        let rows: [[Value]] = [
            [.integer(1), .integer(10), .timestamp(1_500), .decimal(unscaled: 12345, scale: 2), .string("x"), .timestamp(1_999_999_999)],
            [.integer(-300), .null, .timestamp(-1), .null, .null, .timestamp(-1)],
        ]
        for row in rows { for i in builders.indices { try builders[i].append(row[i]) } }
        let batch = ColumnBatch(schema: written, columns: builders.map { $0.finish() })
        _ = try await AvroFile.write(io: io, path: path, schema: written, batches: [batch], overwrite: false)

        let readType = RowType([field(1, "b", DataType(.double)), field(0, "a", DataType(.smallint)), field(2, "ts", DataType(.timestamp(precision: 6))),
                                field(3, "dec", DataType(.decimal(precision: 10, scale: 4))), field(9, "extra", .string),
                                field(5, "t9", DataType(.timestamp(precision: 3)))])
        let read = try await AvroFile.readBatches(io: io, path: path, readType: readType)
        #expect(Values.rows(read) == [
            [.double(10), .integer(1), .timestamp(1_500_000), .decimal(unscaled: 1_234_500, scale: 4), .null, .timestamp(1_999)],
            [.null, .integer(-300), .timestamp(-1_000), .null, .null, .timestamp(-1)],
        ])
        // TINYINT cannot hold -300: an error naming the record, not a wrong value.
        await #expect(throws: AvroError.self) {
            _ = try await AvroFile.readBatches(io: io, path: path, readType: RowType([field(0, "a", DataType(.tinyint))]))
        }
        // A NOT NULL field the file lacks, a type the file's type cannot be read as, a null in a NOT NULL column.
        for bad in [RowType([field(9, "extra", DataType.string.nullable(false))]), RowType([field(4, "name", DataType(.int))]),
                    RowType([field(1, "b", notNull(.bigint))])] {
            do {
                _ = try await AvroFile.readBatches(io: io, path: path, readType: bad)
                Issue.record("read as \(bad)")
            } catch let error as AvroError {
                #expect(!error.message.isEmpty)
            }
        }
    }

    /// DECIMAL is written as the shortest two's-complement big-endian bytes (Java's BigInteger.toByteArray).
    @Test func decimalBytesAreShortest() async throws {
        let io = MemoryFileIO()
        let path = Self.path("dec.avro")
        let schema = RowType([field(0, "d", notNull(.decimal(precision: 38, scale: 0))), field(1, "s", notNull(.decimal(precision: 18, scale: 0)))])
        let cases: [(Int128, [UInt8])] = [
            (0, [0x00]), (1, [0x01]), (127, [0x7f]), (128, [0x00, 0x80]), (255, [0x00, 0xff]), (256, [0x01, 0x00]),
            (-1, [0xff]), (-128, [0x80]), (-129, [0xff, 0x7f]), (-256, [0xff, 0x00]),
            (99_999_999_999_999_999, [0x01, 0x63, 0x45, 0x78, 0x5d, 0x89, 0xff, 0xff]),
        ]
        var d = ColumnBuilder(type: schema.fields[0].type), s = ColumnBuilder(type: schema.fields[1].type)
        for (value, _) in cases {
            try d.append(.decimal(unscaled: value, scale: 0))
            try s.append(.decimal(unscaled: value, scale: 0))
        }
        let batch = ColumnBatch(schema: schema, columns: [d.finish(), s.finish()])
        _ = try await AvroFile.write(io: io, path: path, schema: schema, batches: [batch], codec: .null, overwrite: false)
        let (_, records) = try await AvroFileReader.readAll(io: io, path: path)
        for ((_, bytes), record) in zip(cases, records) {
            #expect(record == .record([.bytes(bytes), .bytes(bytes)]))
        }
        let big = Int128("99999999999999999999999999999999999999")!
        #expect(try await Self.decimalRoundTrip(big, io: io) == big)
        #expect(try await Self.decimalRoundTrip(-big, io: io) == -big)
    }

    static func decimalRoundTrip(_ value: Int128, io: MemoryFileIO) async throws -> Int128 {
        let schema = RowType([field(0, "d", notNull(.decimal(precision: 38, scale: 3)))])
        var b = ColumnBuilder(type: schema.fields[0].type)
        try b.append(.decimal(unscaled: value, scale: 3))
        let path = Self.path("dec38.avro")
        _ = try await AvroFile.write(io: io, path: path, schema: schema, batches: [ColumnBatch(schema: schema, columns: [b.finish()])], overwrite: true)
        let read = try await AvroFile.readBatches(io: io, path: path, readType: schema)
        guard case .decimal(let unscaled, _) = read[0].columns[0].value(at: 0) else { return 0 }
        return unscaled
    }

    /// MULTISET is written as Java does: each distinct element with its count.
    @Test func multisetsAreWrittenAsCounts() async throws {
        let io = MemoryFileIO()
        let path = Self.path("multiset.avro")
        let schema = RowType([field(0, "ms", DataType(.multiset(element: DataType.string.nullable(false)))), field(1, "mi", notNull(.multiset(element: DataType(.int))))])
        var a = ColumnBuilder(type: schema.fields[0].type), b = ColumnBuilder(type: schema.fields[1].type)
        try a.append(.list([.string("x"), .string("y"), .string("x")]))
        try b.append(.list([.integer(3), .null, .integer(3), .integer(3)]))
        try a.append(.null)
        try b.append(.list([]))
        _ = try await AvroFile.write(io: io, path: path, schema: schema, batches: [ColumnBatch(schema: schema, columns: [a.finish(), b.finish()])], overwrite: false)
        let (rowType, read) = try await AvroFile.readBatches(io: io, path: path)
        #expect(rowType.fields.map { "\($0.type)" } == ["MAP<STRING NOT NULL, INT>", "MAP<INT, INT> NOT NULL"])
        #expect(Values.rows(read) == [
            [.map([.init(key: .string("x"), value: .integer(2)), .init(key: .string("y"), value: .integer(1))]),
             .map([.init(key: .integer(3), value: .integer(3)), .init(key: .null, value: .integer(1))])],
            [.null, .map([])],
        ])
    }

    @Test func writeRefusesMismatchedBatches() async throws {
        let io = MemoryFileIO()
        let schema = RowType([field(0, "a", notNull(.int))])
        let other = RowType([field(0, "a", notNull(.bigint))])
        var b = ColumnBuilder(type: other.fields[0].type)
        try b.append(.integer(1))
        await #expect(throws: AvroError.self) {
            _ = try await AvroFile.write(io: io, path: Self.path("bad.avro"), schema: schema,
                                         batches: [ColumnBatch(schema: other, columns: [b.finish()])], overwrite: false)
        }
        #expect(try await io.exists(Self.path("bad.avro")) == false)
        // An invalid column (a null in a NOT NULL column) is refused before anything is written.
        let broken = ColumnBatch(schema: schema, columns: [Column(type: schema.fields[0].type, validity: Bitmap([false]), values: .int32([0]))])
        await #expect(throws: AvroError.self) {
            _ = try await AvroFile.write(io: io, path: Self.path("bad.avro"), schema: schema, batches: [broken], overwrite: false)
        }
    }

    @Test func inspectDescribesTheFile() async throws {
        let io = MemoryFileIO()
        let path = Self.path("inspect.avro")
        let batch = try Values.batch(Self.everyType, rows: 500, seed: 4)
        _ = try await AvroFile.write(io: io, path: path, schema: Self.everyType, batches: [batch], codec: .deflate(),
                                     overwrite: false, metadata: ["weir.writer": Array("test".utf8)], blockBytes: 20_000)
        let text = try await AvroFile.inspect(io: io, path: path)
        #expect(text.contains("codec: deflate"))
        #expect(text.contains("\"name\": \"record\""))
        #expect(text.contains("\"namespace\": \"org.apache.paimon.avro.generated\""))
        #expect(text.contains("weir.writer: 4 bytes \"test\""))
        #expect(text.contains("records: 500 (per block:"))
        #expect(text.contains("row type: b BOOLEAN, ti INT, si INT NOT NULL"))
        #expect(text.contains("blocks: "))
    }
}
