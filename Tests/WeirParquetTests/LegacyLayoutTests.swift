import Testing
import WeirColumnar
@testable import WeirParquet

/// Layouts older or other writers produce, built by hand: 2-level lists (a repeated primitive, and a repeated group
/// named `array`), a REPEATED field outside any LIST, BINARY decimals, INT64 TIME in microseconds, unsigned and
/// converted-only annotations.
@Suite struct LegacyLayoutTests {
    static func bytes(_ strings: [[UInt8]]) -> ColumnValues {
        var s = ByteStrings()
        for v in strings { s.append(v) }
        return .bytes(s)
    }

    static func legacyFile() throws -> [UInt8] {
        let elements: [SchemaElement] = [
            SchemaElement(name: "m", numChildren: 8),
            SchemaElement(name: "ints", repetition: .optional, numChildren: 1, convertedType: .list),
            SchemaElement(name: "element", type: .int32, repetition: .repeated),
            SchemaElement(name: "pairs", repetition: .optional, numChildren: 1, convertedType: .list),
            SchemaElement(name: "array", repetition: .repeated, numChildren: 2),
            SchemaElement(name: "a", type: .int32, repetition: .required),
            SchemaElement(name: "b", type: .byteArray, repetition: .optional, convertedType: .utf8),
            SchemaElement(name: "plain_repeated", type: .int32, repetition: .repeated),
            SchemaElement(name: "price", type: .byteArray, repetition: .optional, convertedType: .decimal, scale: 2, precision: 10),
            SchemaElement(name: "t", type: .int64, repetition: .optional, logicalType: .time(adjustedToUTC: true, unit: .micros)),
            SchemaElement(name: "u8", type: .int32, repetition: .optional, convertedType: .uint8),
            SchemaElement(name: "u32", type: .int32, repetition: .optional, convertedType: .uint32),
            SchemaElement(name: "ts", type: .int64, repetition: .optional, convertedType: .timestampMillis),
        ]
        typealias F = FileSurgery
        let leaves: [(LeafColumn, LeafBatch)] = [
            (F.leaf(["ints", "element"], .int32, .int32, maxDef: 2, maxRep: 1, type: DataType(.int)),
             F.batch(def: [2, 2, 0, 1], rep: [0, 1, 0, 0], .int32([1, 2]))),
            (F.leaf(["pairs", "array", "a"], .int32, .int32, maxDef: 2, maxRep: 1, type: DataType(.int)),
             F.batch(def: [2, 1, 2, 2], rep: [0, 0, 0, 1], .int32([1, 2, 3]))),
            (F.leaf(["pairs", "array", "b"], .byteArray, .bytes, maxDef: 3, maxRep: 1, type: .string),
             F.batch(def: [3, 1, 2, 3], rep: [0, 0, 0, 1], bytes([Array("x".utf8), Array("yz".utf8)]))),
            (F.leaf(["plain_repeated"], .int32, .int32, maxDef: 1, maxRep: 1, type: DataType(.int)),
             F.batch(def: [1, 0, 1, 1], rep: [0, 0, 0, 1], .int32([5, 6, 7]))),
            (F.leaf(["price"], .byteArray, .bytes, maxDef: 1, maxRep: 0, type: .bytes),
             F.batch(def: [1, 0, 1], bytes([[0x7B], [0xFB]]))),
            (F.leaf(["t"], .int64, .int64, maxDef: 1, maxRep: 0, type: DataType(.bigint)),
             F.batch(def: [1, 0, 1], .int64([1_500_000, 0]))),
            (F.leaf(["u8"], .int32, .int32, maxDef: 1, maxRep: 0, type: DataType(.int)),
             F.batch(def: [1, 0, 1], .int32([200, 0]))),
            (F.leaf(["u32"], .int32, .int32, maxDef: 1, maxRep: 0, type: DataType(.int)),
             F.batch(def: [1, 0, 1], .int32([Int32(bitPattern: 4_000_000_000), 0]))),
            (F.leaf(["ts"], .int64, .int64, maxDef: 1, maxRep: 0, type: DataType(.bigint)),
             F.batch(def: [1, 0, 1], .int64([1000, -1]))),
        ]
        return try FileSurgery.build(elements: elements, leaves: leaves, rows: 3)
    }

    @Test func legacyLayoutsRead() throws {
        let (schema, batches) = try ParquetFile.readBatches(bytes: try Self.legacyFile())
        #expect(schema.fields.map { "\($0.name) \($0.type)" } == [
            "ints ARRAY<INT NOT NULL>",
            "pairs ARRAY<ROW<a INT NOT NULL, b STRING> NOT NULL>",
            "plain_repeated ARRAY<INT NOT NULL> NOT NULL",
            "price DECIMAL(10, 2)",
            "t TIME(6)",
            "u8 SMALLINT",
            "u32 BIGINT",
            "ts TIMESTAMP(3) WITH LOCAL TIME ZONE",
        ])
        let rows = PQ.rows(batches)
        #expect(rows == [
            [.list([.integer(1), .integer(2)]), .list([.row([.integer(1), .string("x")])]), .list([.integer(5)]),
             .decimal(unscaled: 123, scale: 2), .time(millis: 1500), .integer(200), .integer(4_000_000_000), .timestamp(1000)],
            [.null, .list([]), .list([]), .null, .null, .null, .null, .null],
            [.list([]), .list([.row([.integer(2), .null]), .row([.integer(3), .string("yz")])]), .list([.integer(6), .integer(7)]),
             .decimal(unscaled: -5, scale: 2), .time(millis: 0), .integer(0), .integer(0), .timestamp(-1)],
        ])
    }

    @Test func levelsThatDisagreeAreErrors() throws {
        // pairs.a says 3 rows' worth of entries for the list, pairs.b a different shape.
        let elements: [SchemaElement] = [
            SchemaElement(name: "m", numChildren: 1),
            SchemaElement(name: "pairs", repetition: .optional, numChildren: 1, convertedType: .list),
            SchemaElement(name: "array", repetition: .repeated, numChildren: 2),
            SchemaElement(name: "a", type: .int32, repetition: .required),
            SchemaElement(name: "b", type: .int32, repetition: .optional),
        ]
        typealias F = FileSurgery
        let file = try FileSurgery.build(elements: elements, leaves: [
            (F.leaf(["pairs", "array", "a"], .int32, .int32, maxDef: 2, maxRep: 1, type: DataType(.int)),
             F.batch(def: [2, 2], rep: [0, 1], .int32([1, 2]))),
            (F.leaf(["pairs", "array", "b"], .int32, .int32, maxDef: 3, maxRep: 1, type: DataType(.int)),
             F.batch(def: [3], rep: [0], .int32([1]))),
        ], rows: 1)
        #expect(throws: ParquetError.self) { _ = try ParquetFile.readBatches(bytes: file) }
    }
}
