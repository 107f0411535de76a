import Testing
import WeirAvro

/// Binary encoding against vectors computed by hand from the Avro specification ("Binary Encoding").
@Suite struct AvroBinaryTests {
    func encode(_ value: AvroValue, _ schema: String) throws(AvroError) -> [UInt8] {
        try AvroDatumWriter(schema: AvroSchema.parse(schema)).encode(value)
    }

    func decode(_ bytes: [UInt8], _ schema: String) throws(AvroError) -> AvroValue {
        try AvroDatumReader(writerSchema: AvroSchema.parse(schema)).decode(bytes)
    }

    func roundTrip(_ value: AvroValue, _ schema: String, _ expected: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let bytes = try encode(value, schema)
        #expect(bytes == expected, "\(value) as \(schema)", sourceLocation: sourceLocation)
        #expect(try decode(expected, schema) == value, "\(expected) as \(schema)", sourceLocation: sourceLocation)
    }

    /// The specification's zigzag table, plus the extremes.
    @Test func zigzagVarints() throws {
        let longs: [(Int64, [UInt8])] = [
            (0, [0x00]), (-1, [0x01]), (1, [0x02]), (-2, [0x03]), (2, [0x04]), (-64, [0x7f]), (64, [0x80, 0x01]),
            (8191, [0xfe, 0x7f]), (-8192, [0xff, 0x7f]), (8192, [0x80, 0x80, 0x01]),
            (Int64.max, [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
            (Int64.min, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
        ]
        for (n, bytes) in longs { try roundTrip(.long(n), #""long""#, bytes) }
        let ints: [(Int32, [UInt8])] = [
            (0, [0x00]), (-1, [0x01]), (63, [0x7e]), (-64, [0x7f]), (64, [0x80, 0x01]),
            (Int32.max, [0xfe, 0xff, 0xff, 0xff, 0x0f]), (Int32.min, [0xff, 0xff, 0xff, 0xff, 0x0f]),
        ]
        for (n, bytes) in ints { try roundTrip(.int(n), #""int""#, bytes) }
        // An int whose varint does not fit 32 bits is corrupt.
        #expect(throws: AvroError.self) { try decode([0xff, 0xff, 0xff, 0xff, 0x1f], #""int""#) }
        #expect(throws: AvroError.self) { try decode([0x80, 0x80], #""long""#) }
    }

    @Test func primitives() throws {
        try roundTrip(.null, #""null""#, [])
        try roundTrip(.boolean(true), #""boolean""#, [0x01])
        try roundTrip(.boolean(false), #""boolean""#, [0x00])
        #expect(throws: AvroError.self) { try decode([0x02], #""boolean""#) }
        // The specification's example: "foo" is 06 66 6f 6f.
        try roundTrip(.string("foo"), #""string""#, [0x06, 0x66, 0x6f, 0x6f])
        try roundTrip(.string(""), #""string""#, [0x00])
        try roundTrip(.string("é"), #""string""#, [0x04, 0xc3, 0xa9])
        try roundTrip(.bytes([0, 255]), #""bytes""#, [0x04, 0x00, 0xff])
        // IEEE 754 little-endian.
        try roundTrip(.float(1.0), #""float""#, [0x00, 0x00, 0x80, 0x3f])
        try roundTrip(.float(-0.0), #""float""#, [0x00, 0x00, 0x00, 0x80])
        try roundTrip(.double(1.0), #""double""#, [0, 0, 0, 0, 0, 0, 0xf0, 0x3f])
        try roundTrip(.double(.nan), #""double""#, [0, 0, 0, 0, 0, 0, 0xf8, 0x7f])
        try roundTrip(.fixed([1, 2, 3]), #"{"type":"fixed","name":"F","size":3}"#, [1, 2, 3])
        try roundTrip(.enumeration("C"), #"{"type":"enum","name":"E","symbols":["A","B","C"]}"#, [0x04])
        // Invalid UTF-8 in a string is corrupt.
        #expect(throws: AvroError.self) { try decode([0x02, 0xff], #""string""#) }
    }

    @Test func complexTypes() throws {
        // The specification's example: the array [3, 27] is 04 06 36 00.
        try roundTrip(.array([.long(3), .long(27)]), #"{"type":"array","items":"long"}"#, [0x04, 0x06, 0x36, 0x00])
        try roundTrip(.array([]), #"{"type":"array","items":"long"}"#, [0x00])
        try roundTrip(.map([AvroMapEntry(key: "a", value: .int(1)), AvroMapEntry(key: "b", value: .int(-1))]),
                      #"{"type":"map","values":"int"}"#, [0x04, 0x02, 0x61, 0x02, 0x02, 0x62, 0x01, 0x00])
        // Unions: the branch index, then the value. ["null","string"]: null is 00, "a" is 02 02 61.
        try roundTrip(.union(branch: 0, value: .null), #"["null","string"]"#, [0x00])
        try roundTrip(.union(branch: 1, value: .string("a")), #"["null","string"]"#, [0x02, 0x02, 0x61])
        #expect(throws: AvroError.self) { try decode([0x04], #"["null","string"]"#) }
        #expect(throws: AvroError.self) { try decode([0x01], #"["null","string"]"#) }
        // Records: fields in order. The specification's example record {a: long 27, b: string "foo"} is 36 06 66 6f 6f.
        try roundTrip(.record([.long(27), .string("foo")]),
                      #"{"type":"record","name":"test","fields":[{"name":"a","type":"long"},{"name":"b","type":"string"}]}"#,
                      [0x36, 0x06, 0x66, 0x6f, 0x6f])
        // A recursive list: 1 -> 2 -> nil.
        let list = #"{"type":"record","name":"L","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","L"]}]}"#
        try roundTrip(.record([.int(1), .union(branch: 1, value: .record([.int(2), .union(branch: 0, value: .null)]))]), list,
                      [0x02, 0x02, 0x04, 0x00])
    }

    /// Blocks of arrays and maps written with a negative count are followed by their byte size; readers must
    /// accept them, and several blocks in one value.
    @Test func negativeBlockCountsWithByteSizes() throws {
        let schema = #"{"type":"array","items":"long"}"#
        // count -2 (03), size 2 bytes (04), items 3 and 27, end.
        #expect(try decode([0x03, 0x04, 0x06, 0x36, 0x00], schema) == .array([.long(3), .long(27)]))
        // Two blocks: one positive, one negative.
        #expect(try decode([0x02, 0x02, 0x01, 0x02, 0x04, 0x00], schema) == .array([.long(1), .long(2)]))
        let map = #"{"type":"map","values":"string"}"#
        #expect(try decode([0x01, 0x08, 0x02, 0x6b, 0x04, 0x76, 0x76, 0x00], map) == .map([AvroMapEntry(key: "k", value: .string("vv"))]))
        // A reader that skips the array uses the byte size to jump over the block.
        let writer = try AvroSchema.parse(#"{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"array","items":"long"}},{"name":"b","type":"int"}]}"#)
        let reader = try AvroSchema.parse(#"{"type":"record","name":"R","fields":[{"name":"b","type":"int"}]}"#)
        let datum = try AvroDatumReader(writerSchema: writer, readerSchema: reader)
        #expect(try datum.decode([0x03, 0x04, 0x06, 0x36, 0x00, 0x54]) == .record([.int(42)]))
        // A byte size that runs past the end is corrupt even when skipping.
        #expect(throws: AvroError.self) { try datum.decode([0x03, 0x40, 0x06, 0x36, 0x00, 0x54]) }
    }

    /// Lying counts and lengths end in an error, never in a huge allocation or a crash.
    @Test func lyingInputIsRefused() throws {
        let cases: [([UInt8], String, String)] = [
            ([0xfe, 0xff, 0xff, 0xff, 0x0f], #"{"type":"array","items":"long"}"#, "cannot fit"),
            ([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], #"{"type":"array","items":"long"}"#, "too large"),
            ([0xfe, 0xff, 0xff, 0xff, 0x0f], #"{"type":"array","items":"null"}"#, "limit"),
            ([0x80, 0x80, 0x80, 0x80, 0x08, 0x00], #"{"type":"map","values":"null"}"#, "cannot fit"),
            ([0xfe, 0xff, 0xff, 0xff, 0x0f, 0x61], #""string""#, "remain"),
            ([0x01], #""bytes""#, "negative length"),
            ([0x02], #"{"type":"fixed","name":"F","size":2}"#, "need 2 bytes"),
            ([0x08], #"{"type":"enum","name":"E","symbols":["A"]}"#, "outside"),
            ([0x00, 0x00], #""int""#, "after the datum"),
        ]
        for (bytes, schema, message) in cases {
            do {
                let value = try decode(bytes, schema)
                Issue.record("decoded \(value) from \(bytes) as \(schema)")
            } catch {
                #expect(error.message.contains(message), "\(bytes) as \(schema): \(error)")
            }
        }
        // Values nest at most valueDepthMax deep, even through a recursive type.
        let list = #"{"type":"record","name":"L","fields":[{"name":"next","type":["null","L"]}]}"#
        let deep = [UInt8](repeating: 0x02, count: 10_000) + [0x00]
        do {
            _ = try decode(deep, list)
            Issue.record("decoded 10 000 nested records")
        } catch {
            #expect(error.message.contains("nests deeper"))
        }
    }

    @Test func encodingChecksValuesAgainstTheSchema() throws {
        let cases: [(AvroValue, String)] = [
            (.int(1), #""string""#),
            (.enumeration("Z"), #"{"type":"enum","name":"E","symbols":["A"]}"#),
            (.fixed([1]), #"{"type":"fixed","name":"F","size":2}"#),
            (.union(branch: 2, value: .null), #"["null","int"]"#),
            (.record([.int(1)]), #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}"#),
            (.string("x"), #"["null","int"]"#),
        ]
        for (value, schema) in cases {
            #expect(throws: AvroError.self, "\(value) as \(schema)") { try encode(value, schema) }
        }
        // A bare value in a union takes the first branch it fits; an int widens to long.
        #expect(try encode(.null, #"["null","int"]"#) == [0x00])
        #expect(try encode(.int(1), #"["null","int"]"#) == [0x02, 0x02])
        #expect(try encode(.int(-1), #""long""#) == [0x01])
        // The error names the path of the value.
        do {
            _ = try encode(.record([.array([.int(1), .string("x")])]), #"{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"array","items":"int"}}]}"#)
        } catch {
            #expect(error.location == "$.a[1]")
        }
    }
}
