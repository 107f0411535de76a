import Testing
import WeirColumnar
import WeirPaimon

@Suite struct BinaryRowTests {
    static let bigint = DataType(.bigint), int = DataType(.int), string = DataType.string

    /// spec/paimon-format.md section 5.5: (types, values, serialized hex with the 4-byte arity prefix).
    static let workedExamples: [(String, [DataType], [Value], String)] = [
        ("empty row", [], [], "00000000 0000000000000000"),
        ("BIGINT 1", [bigint], [.integer(1)], "00000001 0000000000000000 0100000000000000"),
        ("INT null", [int], [.null], "00000001 0001000000000000 0000000000000000"),
        ("STRING abc", [string], [.string("abc")], "00000001 0000000000000000 6162630000000083"),
        ("STRING 2024-01-01", [string], [.string("2024-01-01")],
         "00000001 0000000000000000 0a00000010000000 323032342d30312d3031000000000000"),
        ("INT 1, STRING a", [int, string], [.integer(1), .string("a")],
         "00000002 0000000000000000 0100000000000000 6100000000000081"),
        ("DECIMAL(10,2) 123.45", [DataType(.decimal(precision: 10, scale: 2))], [.decimal(unscaled: 12345, scale: 2)],
         "00000001 0000000000000000 3930000000000000"),
        ("DECIMAL(20,2) 123.45", [DataType(.decimal(precision: 20, scale: 2))], [.decimal(unscaled: 12345, scale: 2)],
         "00000001 0000000000000000 0200000010000000 30390000000000000000000000000000"),
        ("TIMESTAMP(3)", [DataType(.timestamp(precision: 3))], [.timestamp(1_704_070_923_456)],
         "00000001 0000000000000000 c0c48ac28c010000"),
        ("TIMESTAMP(6)", [DataType(.timestamp(precision: 6))], [.timestamp(1_704_070_923_456_789)],
         "00000001 0000000000000000 080a0c0010000000 c0c48ac28c010000"),
        ("DATE, BOOLEAN, DOUBLE", [DataType(.date), DataType(.boolean), DataType(.double)], [.date(days: 19723), .boolean(true), .double(1.5)],
         "00000003 0000000000000000 0b4d000000000000 0100000000000000 000000000000f83f"),
    ]

    @Test func workedExamplesOfTheSpecByteForByte() throws {
        for (name, types, values, expected) in Self.workedExamples {
            let row = try BinaryRow(values: values, types: types)
            #expect(hexString(SerializationUtils.serializeBinaryRow(row)) == hexString(hex(expected)), "\(name)")
            let back = try SerializationUtils.deserializeBinaryRow(hex(expected))
            #expect(back == row, "\(name)")
            #expect(try back.values(types: types) == values, "\(name)")
        }
        #expect(SerializationUtils.serializeBinaryRow(.emptyRow) == hex("00000000 0000000000000000"))
        #expect(BinaryRow.emptyRow.arity == 0 && BinaryRow.emptyRow.sizeInBytes == 8)
    }

    /// Bytes of pypaimon-written manifests (see FixtureManifestData.swift for how they were extracted) decode to the
    /// values the fixture tables hold, and encoding those values gives the same bytes.
    @Test func fixtureManifestBytesDecodeAndReencode() throws {
        let cases: [(String, [DataType], [Value])] = [
            ("0000000100000000000000000a00000010000000323032342d30322d3031000000000000", [.string], [.string("2024-02-01")]),
            ("0000000100000000000000000a00000010000000323032342d30322d3032000000000000", [.string], [.string("2024-02-02")]),
            ("0000000100000000000000000a00000010000000323032342d30312d3031000000000000", [.string.nullable(false)], [.string("2024-01-01")]),
            ("000000000000000000000000", [], []),
            ("0000000100000000000000000100000000000000", [Self.bigint], [.integer(1)]),
            ("0000000100000000000000000b00000000000000", [Self.bigint.nullable(false)], [.integer(11)]),
        ]
        for (bytes, types, values) in cases {
            let row = try SerializationUtils.deserializeBinaryRow(hex(bytes), subject: "_PARTITION")
            #expect(try row.values(types: types) == values)
            #expect(SerializationUtils.serializeBinaryRow(try BinaryRow(values: values, types: types)) == hex(bytes))
        }
        // Every partition, key and stats row of every fixture manifest round-trips through the typed values.
        var checked = 0
        for snapshot in FixtureManifestData.snapshots {
            let keyTypes: [DataType] = snapshot.table.hasPrefix("pk_") || snapshot.table.hasPrefix("fmt_") ? [Self.bigint] : []
            let partitionTypes: [DataType] = ["pk_partitioned", "append_fixed_bucket"].contains(snapshot.table) ? [.string] : []
            for entry in snapshot.entries {
                for (bytes, types) in [(entry.partition, partitionTypes), (entry.minKey, keyTypes), (entry.maxKey, keyTypes),
                                       (entry.keyStats.min, keyTypes), (entry.keyStats.max, keyTypes)] {
                    let row = try SerializationUtils.deserializeBinaryRow(hex(bytes))
                    let values = try row.values(types: types)
                    #expect(SerializationUtils.serializeBinaryRow(try BinaryRow(values: values, types: types)) == hex(bytes))
                    checked += 1
                }
            }
        }
        #expect(checked > 100)
    }

    @Test func nullNonCompactDecimalAndTimestampReserveTheirBytes() throws {
        let types = [DataType(.decimal(precision: 20, scale: 2)), DataType(.timestamp(precision: 9)), DataType(.timestampLTZ(precision: 6)), DataType(.int)]
        let row = try BinaryRow(values: [.null, .null, .null, .integer(5)], types: types)
        #expect(hexString(row.bytes) == hexString(hex("""
            0007000000000000
            0000000028000000 0000000038000000 0000000040000000 0500000000000000
            00000000000000000000000000000000 0000000000000000 0000000000000000
            """)))
        #expect(try row.values(types: types) == [.null, .null, .null, .integer(5)])
        // Compact types and strings write nothing for nulls.
        let compact = try BinaryRow(values: [.null, .null], types: [DataType(.decimal(precision: 18, scale: 0)), .string])
        #expect(compact.bytes == hex("0003000000000000 0000000000000000 0000000000000000"))
    }

    @Test func everyAtomicTypeRoundTrips() throws {
        let types: [DataType] = [
            DataType(.boolean), DataType(.tinyint), DataType(.smallint), DataType(.int), DataType(.bigint), DataType(.float),
            DataType(.double), DataType(.decimal(precision: 18, scale: 4)), DataType(.decimal(precision: 38, scale: 10)),
            DataType(.char(length: 3)), DataType(.varchar(length: 100)), DataType(.binary(length: 4)), .bytes, DataType(.date),
            DataType(.time(precision: 3)), DataType(.timestamp(precision: 0)), DataType(.timestamp(precision: 3)),
            DataType(.timestamp(precision: 6)), DataType(.timestamp(precision: 9)), DataType(.timestampLTZ(precision: 3)),
            DataType(.timestampLTZ(precision: 7)),
        ]
        let maxDecimal38 = Int128("99999999999999999999999999999999999999")!
        let rows: [[Value]] = [
            [.boolean(false), .integer(-128), .integer(-32768), .integer(Int64(Int32.min)), .integer(Int64.min), .float(-0.0),
             .double(.infinity), .decimal(unscaled: -999_999_999_999_999_999, scale: 4), .decimal(unscaled: -maxDecimal38, scale: 10),
             .string("abc"), .string("ünïcödé strings longer than seven bytes 😀"), .bytes([0, 1, 2, 255]), .bytes(Array(0..<200)),
             .date(days: -719_162), .time(millis: 86_399_999), .timestamp(-1), .timestamp(-62_135_596_800_000),
             .timestamp(-1), .timestamp(-1), .timestamp(0), .timestamp(-12_345_678_901_234_567)],
            [.boolean(true), .integer(127), .integer(32767), .integer(Int64(Int32.max)), .integer(Int64.max), .float(.nan),
             .double(-1e-300), .decimal(unscaled: 0, scale: 4), .decimal(unscaled: maxDecimal38, scale: 10),
             .string(""), .string("1234567"), .bytes([]), .bytes([7, 7, 7, 7, 7, 7, 7, 7]),
             .date(days: 2_932_896), .time(millis: 0), .timestamp(253_402_300_799_000), .timestamp(1_704_070_923_456),
             .timestamp(1_704_070_923_456_789), .timestamp(1_704_070_923_456_789_123), .timestamp(Int64.max), .timestamp(9_223_372_036_854_775_807)],
            types.map { _ in Value.null },
        ]
        for values in rows {
            let row = try BinaryRow(values: values, types: types)
            #expect(row.sizeInBytes % 8 == 0)
            let back = try SerializationUtils.deserializeBinaryRow(SerializationUtils.serializeBinaryRow(row)).values(types: types)
            for (index, (a, b)) in zip(values, back).enumerated() {
                if case .float(let x) = a, x.isNaN, case .float(let y) = b { #expect(y.isNaN); continue }
                #expect(a == b, "field \(index) of \(types[index])")
            }
        }
        // A decimal of another scale is rescaled exactly; one that would lose digits is an error.
        let decimal = DataType(.decimal(precision: 10, scale: 2))
        #expect(try BinaryRow(values: [.decimal(unscaled: 5, scale: 0)], types: [decimal]).values(types: [decimal]) == [.decimal(unscaled: 500, scale: 2)])
        #expect(paimonError { _ = try BinaryRow(values: [.decimal(unscaled: 5, scale: 3)], types: [decimal]) } != nil)
        #expect(paimonError { _ = try BinaryRow(values: [.decimal(unscaled: 100_000_000_000, scale: 2)], types: [decimal]) } != nil)
        #expect(paimonError { _ = try BinaryRow(values: [.integer(300)], types: [DataType(.tinyint)]) }?.message.contains("out of range") == true)
        #expect(paimonError { _ = try BinaryRow(values: [.string("x")], types: [.bytes]) }?.message.contains("is not a value of") == true)
        #expect(paimonError { _ = try BinaryRow(values: [.integer(1)], types: []) } != nil)
        // Row kind byte.
        let deleted = try BinaryRow(values: [.integer(1)], types: [Self.bigint], rowKind: .delete)
        #expect(deleted.bytes[0] == 3 && deleted.rowKind == .delete)
    }

    @Test func nestedArraysMapsRowsAndMultisets() throws {
        // ARRAY<INT> [1, null, 3]: count 3, null bit 1, three 4-byte elements, fixed part padded to 24 bytes
        // (BinaryArrayWriter layout), stored in the row's variable part with slot (16 << 32 | 24).
        let arrayType = DataType(.array(element: DataType(.int)))
        let row = try BinaryRow(values: [.list([.integer(1), .null, .integer(3)])], types: [arrayType])
        #expect(hexString(row.bytes) == hexString(hex("""
            0000000000000000 1800000010000000
            0300000002000000 0100000000000000 0300000000000000
            """)))
        // MAP<INT, INT> {1: 2}: int32 size of the key array (16), the key array, the value array; 36 bytes padded
        // to 40 in the row. ROW<INT> (7): a nested 16-byte row.
        let mapType = DataType(.map(key: DataType(.int), value: DataType(.int)))
        let rowType = DataType(.row(fields: [DataField(id: 0, name: "x", type: DataType(.int))]))
        let mapAndRow = try BinaryRow(values: [.map([.init(key: .integer(1), value: .integer(2))]), .row([.integer(7)])], types: [mapType, rowType])
        #expect(hexString(mapAndRow.bytes) == hexString(hex("""
            0000000000000000 2400000018000000 1000000040000000
            10000000 0100000000000000 0100000000000000 0100000000000000 0200000000000000 00000000
            0000000000000000 0700000000000000
            """)))
        #expect(try mapAndRow.values(types: [mapType, rowType]) == [.map([.init(key: .integer(1), value: .integer(2))]), .row([.integer(7)])])
        let lyingMultiset = hex("0000000000000000 2400000010000000 10000000 0100000000000000 0500000000000000 0100000000000000 ffffff7f00000000 00000000")
        #expect(paimonError {
            _ = try BinaryRow(arity: 1, bytes: lyingMultiset).values(types: [DataType(.multiset(element: DataType(.int)))])
        }?.message.contains("multiset count") == true)
        let types: [DataType] = [
            DataType(.array(element: .string)),
            DataType(.map(key: .string.nullable(false), value: DataType(.decimal(precision: 20, scale: 1)))),
            DataType(.row(fields: [DataField(id: 1, name: "a", type: DataType(.int)), DataField(id: 2, name: "b", type: DataType(.array(element: DataType(.timestamp(precision: 6)))))])),
            DataType(.multiset(element: DataType(.bigint))),
            DataType(.array(element: DataType(.array(element: DataType(.boolean))))),
        ]
        let values: [Value] = [
            .list([.string("short"), .null, .string("a string longer than seven bytes")]),
            .map([.init(key: .string("k1"), value: .decimal(unscaled: 12345678901234567890, scale: 1)), .init(key: .string("k2"), value: .null)]),
            .row([.integer(7), .list([.timestamp(1_704_070_923_456_789), .null])]),
            .list([.integer(5), .integer(9), .integer(5)]),
            .list([.list([.boolean(true), .boolean(false)]), .list([]), .null]),
        ]
        let nested = try BinaryRow(values: values, types: types)
        let back = try nested.values(types: types)
        #expect(Array(back[0...2]) == Array(values[0...2]))
        #expect(back[3] == .list([.integer(5), .integer(5), .integer(9)]), "a multiset reads back grouped by element")
        #expect(back[4] == values[4])
    }

    @Test func hashCodeIsTheBucketHash() throws {
        // spec/paimon-format.md section 6.2 test vectors.
        let vectors: [([DataType], [Value], Int32)] = [
            ([Self.bigint], [.integer(1)], 1_465_514_398),
            ([Self.int], [.integer(1)], 1_465_514_398),
            ([Self.bigint], [.integer(3)], -771_300_025),
            ([.string], [.string("abc")], -101_922_419),
            ([.string], [.string("abcdefghij")], 1_455_944_208),
            ([Self.int, .string], [.integer(1), .string("a")], -948_407_462),
        ]
        for (types, values, hash) in vectors {
            #expect(try BinaryRow(values: values, types: types).hashCode == hash, "\(values)")
        }
    }

    @Test func lyingBytesAreErrorsNotCrashes() throws {
        let string = DataType.string
        let cases: [([UInt8], [DataType], String)] = [
            (hex("000000"), [], "too few"),
            (hex("ffffffff 0000000000000000"), [], "arity -1"),
            (hex("00000005 0000000000000000 0100000000000000"), [Self.bigint], "cannot hold"),
            (hex("00000001 0000000000000000 01000000000000"), [Self.bigint], "cannot hold"),
            (hex("00000001 0000000000000000 0100000000000000 01"), [Self.bigint], "multiple of 8"),
            (hex("00000001 0900000000000000 0100000000000000"), [Self.bigint], "row kind byte 9"),
            (hex("00000001 0000000000000000 0a00000040000000 323032342d30312d3031000000000000"), [string], "point outside"),
            (hex("00000001 0000000000000000 ff00000010000000 323032342d30312d3031000000000000"), [string], "point outside"),
            (hex("00000001 0000000000000000 0a000000f0ffffff 323032342d30312d3031000000000000"), [string], "inline length 127"),
            (hex("00000001 0000000000000000 0a000000f0ffff7f 323032342d30312d3031000000000000"), [string], "point outside"),
            (hex("00000001 0000000000000000 616263000000008f"), [string], "inline length 15"),
            (hex("00000001 0000000000000000 ff00000000000083"), [string], "not valid UTF-8"),
            (hex("00000001 0000000000000000 0200000000000000"), [DataType(.boolean)], "boolean byte 2"),
            (hex("00000001 0000000000000000 1100000010000000 00000000000000000000000000000000 0000000000000000"),
             [DataType(.decimal(precision: 20, scale: 2))], "expected 1...16"),
            (hex("00000001 0000000000000000 0000000010000000 00000000000000000000000000000000"),
             [DataType(.decimal(precision: 20, scale: 2))], "expected 1...16"),
            (hex("00000001 0000000000000000 ffffffffffffff7f"), [DataType(.decimal(precision: 10, scale: 2))], "more than 10 digits"),
            (hex("00000001 0000000000000000 40420f0010000000 c0c48ac28c010000"), [DataType(.timestamp(precision: 9))], "nano-of-millisecond"),
            (hex("00000001 0000000000000000 0100000010000000 c0c48ac28c010000"), [DataType(.timestamp(precision: 6))], "does not fit TIMESTAMP(6)"),
            (hex("00000001 0000000000000000 0000000020000000 c0c48ac28c010000"), [DataType(.timestamp(precision: 6))], "outside"),
            (hex("00000001 0000000000000000 0800000010000000 ffffff7f00000000"), [DataType(.array(element: Self.int))], "does not fit"),
            (hex("00000001 0000000000000000 0800000010000000 0200000000000000"), [DataType(.array(element: Self.bigint))], "do not fit"),
            (hex("00000001 0000000000000000 0800000010000000 ff00000000000000"), [DataType(.map(key: Self.int, value: Self.int))], "key array size"),
            (hex("00000001 0000000000000000 0800000010000000 0000000000000000"), [DataType(.row(fields: [DataField(id: 0, name: "x", type: Self.int)]))], "cannot hold"),
            (hex("00000001 0000000000000000 0100000000000000"), [Self.bigint, Self.bigint], "2 types"),
        ]
        for (bytes, types, message) in cases {
            let error = paimonError {
                let row = try SerializationUtils.deserializeBinaryRow(bytes, subject: "_MIN_KEY of manifest-x")
                _ = try row.values(types: types, subject: "_MIN_KEY of manifest-x")
            }
            #expect(error?.subject.hasPrefix("_MIN_KEY of manifest-x") == true, "\(hexString(bytes))")
            #expect(error?.message.contains(message) == true, "\(String(describing: error)) should mention \(message)")
        }
        let row = try BinaryRow(values: [.integer(1)], types: [Self.bigint])
        #expect(paimonError { _ = try row.value(at: 1, type: Self.bigint) }?.message.contains("outside") == true)
        #expect(paimonError { _ = try BinaryRow(arity: -1, bytes: []) } != nil)
    }
}
