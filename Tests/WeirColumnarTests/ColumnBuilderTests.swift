import Testing
import WeirColumnar

@Suite struct ColumnBuilderTests {
    static let allTypes: [(DataType, [Value])] = [
        (DataType(.boolean), [.boolean(true), .null, .boolean(false)]),
        (DataType(.tinyint), [.integer(-128), .integer(127), .null]),
        (DataType(.smallint), [.integer(-32768), .null, .integer(7)]),
        (DataType(.int, nullable: false), [.integer(Int64(Int32.min)), .integer(0), .integer(Int64(Int32.max))]),
        (DataType(.bigint), [.integer(Int64.min), .null, .integer(Int64.max)]),
        (DataType(.float), [.float(1.5), .null, .float(-0.0)]),
        (DataType(.double), [.double(3.25), .double(.infinity), .null]),
        (DataType(.decimal(precision: 10, scale: 2)), [.decimal(unscaled: 1230, scale: 2), .null, .decimal(unscaled: -99_999_999_99, scale: 2)]),
        (DataType(.decimal(precision: 38, scale: 10)), [.decimal(unscaled: Int128("12345678901234567890123456789")!, scale: 10), .null]),
        (DataType.string, [.string("héllo"), .null, .string("")]),
        (DataType(.char(length: 3)), [.string("abc"), .string("a")]),
        (DataType.bytes, [.bytes([0, 255, 1]), .null, .bytes([])]),
        (DataType(.date), [.date(days: 19_723), .null, .date(days: -1)]),
        (DataType(.time(precision: 3)), [.time(millis: 0), .time(millis: 86_399_999), .null]),
        (DataType(.timestamp(precision: 6)), [.timestamp(1_704_110_400_123_456), .null]),
        (DataType(.timestampLTZ(precision: 3)), [.timestamp(-1), .timestamp(0)]),
        (DataType(.array(element: DataType(.int))), [.list([.integer(1), .null, .integer(3)]), .null, .list([])]),
        (DataType(.map(key: DataType.string.nullable(false), value: DataType(.bigint))),
         [.map([.init(key: .string("a"), value: .integer(1)), .init(key: .string("b"), value: .null)]), .null, .map([])]),
        (DataType(.row(fields: [DataField(id: 5, name: "x", type: DataType(.int, nullable: false)),
                                DataField(id: 6, name: "y", type: .string)])),
         [.row([.integer(1), .string("one")]), .null, .row([.integer(2), .null])]),
    ]

    @Test(arguments: allTypes.indices)
    func valuesRoundTripThroughAColumn(_ index: Int) throws {
        let (type, values) = Self.allTypes[index]
        var builder = ColumnBuilder(type: type)
        for value in values { try builder.append(value) }
        let column = builder.finish()
        try column.validate(context: "\(type)")
        #expect(column.count == values.count)
        #expect(column.nullCount == values.filter { $0 == .null }.count)
        for (row, value) in values.enumerated() {
            #expect(column.value(at: row) == value, "\(type) row \(row)")
        }
    }

    @Test func rejectsValuesThatDoNotFit() {
        let cases: [(DataType, Value, String)] = [
            (DataType(.int, nullable: false), .null, "NOT NULL"),
            (DataType(.tinyint), .integer(128), "out of range for TINYINT"),
            (DataType(.int), .integer(1 << 40), "out of range for INT"),
            (DataType(.decimal(precision: 5, scale: 2)), .decimal(unscaled: 123_456, scale: 2), "more than 5 digits"),
            (DataType(.decimal(precision: 5, scale: 1)), .decimal(unscaled: 1234, scale: 3), "more than 1 fractional"),
            (DataType(.varchar(length: 3)), .string("abcd"), "do not fit VARCHAR(3)"),
            (DataType(.binary(length: 2)), .bytes([1, 2, 3]), "do not fit BINARY(2)"),
            (DataType.string, .integer(1), "is not a STRING"),
            (DataType.bytes, .string("x"), "is not a BYTES"),
            (DataType(.time(precision: 0)), .time(millis: 86_400_000), "not a time of day"),
            (DataType(.map(key: .string, value: .string)), .map([.init(key: .null, value: .string("v"))]), "map key is null"),
        ]
        for (type, value, message) in cases {
            var builder = ColumnBuilder(type: type)
            #expect { try builder.append(value) } throws: { ($0 as? ColumnarError)?.description.contains(message) == true }
        }
    }

    @Test func decimalsAreRescaledExactly() throws {
        var builder = ColumnBuilder(type: DataType(.decimal(precision: 10, scale: 3)))
        try builder.append(.decimal(unscaled: 12, scale: 1))   // 1.2 -> 1.200
        try builder.append(.decimal(unscaled: 4500, scale: 4)) // 0.4500 -> 0.450
        #expect(builder.finish().values == .int64([1200, 450]))
    }

    @Test func validationCatchesBrokenBuffers() {
        let badOffsets = Column(type: .string, validity: nil, values: .bytes(ByteStrings(offsets: [0, 3, 2], data: [1, 2, 3])))
        #expect(throws: ColumnarError.self) { try badOffsets.validate(context: "c") }
        let wrongStorage = Column(type: DataType(.bigint), validity: nil, values: .int32([1]))
        #expect(throws: ColumnarError.self) { try wrongStorage.validate(context: "c") }
        let nullInRequired = Column(type: DataType(.int, nullable: false), validity: Bitmap([true, false]), values: .int32([1, 0]))
        #expect(throws: ColumnarError.self) { try nullInRequired.validate(context: "c") }
        let shortValidity = Column(type: DataType(.int), validity: Bitmap([true]), values: .int32([1, 2]))
        #expect(throws: ColumnarError.self) { try shortValidity.validate(context: "c") }
    }

    @Test func bitmapSetsGetsAndCounts() {
        var bits = Bitmap(count: 130, value: true)
        #expect(bits.setCount == 130 && bits.allSet)
        bits[129] = false
        bits[0] = false
        #expect(!bits[129] && !bits[0] && bits[64] && bits.setCount == 128)
        var grown = Bitmap()
        for i in 0..<200 { grown.append(i % 3 == 0) }
        #expect(grown.count == 200 && grown.setCount == 67)
    }
}
