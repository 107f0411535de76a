import Testing
import WeirColumnar
import WeirPaimon
@testable import WeirTable

/// Each function's agg and retract rule and null handling (spec section 2.3 table).
@Suite struct FieldAggregatorTests {
    func make(_ name: String, _ type: DataType, _ options: [String: String] = [:]) throws -> FieldAggregator {
        try FieldAggregatorFactory.make(name: name, field: "v", type: type, options: CoreOptions(options))
    }

    /// Folds `inputs` from a null accumulator.
    func fold(_ aggregator: inout FieldAggregator, _ inputs: [Value]) throws -> Value {
        var acc = Value.null
        for input in inputs { acc = try aggregator.agg(acc, input) }
        return acc
    }

    func error(_ body: () throws(TableError) -> Value) -> TableError? {
        do throws(TableError) {
            _ = try body()
            return nil
        } catch { return error }
    }

    @Test func sumSkipsNullsAndRetractSubtracts() throws {
        var sum = try make("sum", MergeTest.int)
        #expect(try fold(&sum, [.null, int(3), .null, int(4)]) == int(7))
        #expect(try sum.agg(.null, .null) == .null)
        #expect(try sum.retract(int(7), int(3)) == int(4))
        #expect(try sum.retract(.null, int(3)) == int(-3))
        #expect(try sum.retract(int(7), .null) == int(7))
        #expect(try sum.retract(.null, .null) == .null)
        var double = try make("sum", MergeTest.double)
        #expect(try fold(&double, [.double(1.5), .double(2.25)]) == .double(3.75))
        var float = try make("sum", DataType(.float))
        #expect(try fold(&float, [.float(1.5), .float(2)]) == .float(3.5))
    }

    @Test func sumOverflowNamesTheField() throws {
        var tiny = try make("sum", DataType(.tinyint))
        let overflow = error { () throws(TableError) in try tiny.agg(int(100), int(100)) }
        #expect(overflow?.kind == .invalidInput)
        #expect(overflow?.description == "field 'v': 100 + 100 overflows TINYINT")
        var big = try make("sum", MergeTest.bigint)
        #expect(error { () throws(TableError) in try big.agg(int(Int64.max), int(1)) }?.subject == "field 'v'")
        #expect(error { () throws(TableError) in try big.retract(.null, int(Int64.min)) } != nil)
        #expect(try big.agg(int(Int64.max), int(-1)) == int(Int64.max - 1))
        #expect(error { () throws(TableError) in try big.agg(str("1"), int(1)) }?.kind == .invalidInput)
    }

    @Test func decimalSumKeepsScaleAndPrecision() throws {
        var sum = try make("sum", DataType(.decimal(precision: 5, scale: 2)))
        #expect(try sum.agg(dec(12345, 2), dec(-45, 2)) == dec(12300, 2))
        // An input of another scale is rescaled exactly.
        #expect(try sum.agg(dec(100, 2), dec(5, 1)) == dec(150, 2))
        let overflow = error { () throws(TableError) in try sum.agg(dec(99999, 2), dec(1, 2)) }
        #expect(overflow?.description == "field 'v': 999.99 + 0.01 overflows DECIMAL(5, 2)")
        #expect(try sum.retract(.null, dec(150, 2)) == dec(-150, 2))
        var wide = try make("sum", DataType(.decimal(precision: 38, scale: 0)))
        let max = DecimalArithmetic.powerOfTen(38) - 1
        #expect(try wide.agg(dec(max - 1, 0), dec(1, 0)) == dec(max, 0))
        #expect(error { () throws(TableError) in try wide.agg(dec(max, 0), dec(1, 0)) } != nil)
    }

    @Test func productMultipliesAndRetractDivides() throws {
        var product = try make("product", MergeTest.int)
        #expect(try fold(&product, [int(3), .null, int(-4)]) == int(-12))
        #expect(try product.retract(int(-12), int(4)) == int(-3))
        #expect(try product.retract(int(7), int(2)) == int(3))
        #expect(try product.retract(.null, int(4)) == .null)
        #expect(try product.retract(int(4), .null) == int(4))
        #expect(error { () throws(TableError) in try product.retract(int(4), int(0)) }?.kind == .invalidInput)
        #expect(error { () throws(TableError) in try product.agg(int(65536), int(65536)) }?.message == "65536 * 65536 overflows INT")
        let tiny = try make("product", DataType(.tinyint))
        #expect(error { () throws(TableError) in try tiny.retract(int(-128), int(-1)) } != nil)
    }

    @Test func decimalProductRoundsHalfUpAndDividesExactly() throws {
        var product = try make("product", DataType(.decimal(precision: 10, scale: 2)))
        #expect(try product.agg(dec(125, 2), dec(125, 2)) == dec(156, 2))  // 1.5625 → 1.56
        #expect(try product.agg(dec(-15, 2), dec(50, 2)) == dec(-8, 2))  // -0.075 → -0.08
        #expect(try product.retract(dec(100, 2), dec(800, 2)) == dec(13, 2))  // 0.125 → 0.13
        #expect(try product.retract(dec(600, 2), dec(-200, 2)) == dec(-300, 2))
        #expect(error { () throws(TableError) in try product.retract(dec(100, 2), dec(300, 2)) }?.message.hasPrefix("Non-terminating decimal expansion") == true)
        #expect(error { () throws(TableError) in try product.retract(dec(100, 2), dec(0, 2)) }?.message.hasPrefix("Division by zero") == true)
        #expect(error { () throws(TableError) in try product.agg(dec(99_999_999_99, 2), dec(200, 2)) }?.message.contains("overflows DECIMAL(10, 2)") == true)
        // Intermediate products wider than 128 bits still round correctly.
        var wide = try make("product", DataType(.decimal(precision: 38, scale: 30)))
        let oneAndHalf = dec(15 * DecimalArithmetic.powerOfTen(29), 30)
        #expect(try wide.agg(oneAndHalf, oneAndHalf) == dec(225 * DecimalArithmetic.powerOfTen(28), 30))
    }

    @Test func maxAndMinSkipNulls() throws {
        var max = try make("max", MergeTest.string)
        #expect(try fold(&max, [.null, str("b"), str("ab"), .null]) == str("b"))
        var min = try make("min", DataType(.decimal(precision: 10, scale: 2)))
        #expect(try fold(&min, [dec(150, 2), .null, dec(-1, 2), dec(20, 2)]) == dec(-1, 2))
        var ts = try make("max", DataType(.timestamp(precision: 3)))
        #expect(try fold(&ts, [.timestamp(5), .timestamp(9), .timestamp(1)]) == .timestamp(9))
        var bool = try make("min", MergeTest.boolean)
        #expect(try fold(&bool, [.boolean(true), .boolean(false)]) == .boolean(false))
        #expect(error { () throws(TableError) in try max.retract(str("b"), str("b")) }?.message.contains("'max' does not support retraction") == true)
    }

    @Test func lastValueAndLastNonNullValue() throws {
        var last = try make("last_value", MergeTest.int)
        #expect(try fold(&last, [int(1), .null]) == .null)
        #expect(try last.retract(int(1), int(5)) == .null)
        var lastNonNull = try make("last_non_null_value", MergeTest.int)
        #expect(try fold(&lastNonNull, [int(1), .null, int(2), .null]) == int(2))
        #expect(try lastNonNull.retract(int(2), int(9)) == .null)
        #expect(try lastNonNull.retract(int(2), .null) == int(2))
    }

    @Test func firstValueAndFirstNonNullValueResetPerRound() throws {
        var first = try make("first_value", MergeTest.int)
        #expect(try fold(&first, [.null, int(1), int(2)]) == .null)
        first.reset()
        #expect(try fold(&first, [int(3), int(1)]) == int(3))
        var firstNonNull = try make("first_non_null_value", MergeTest.int)
        #expect(try fold(&firstNonNull, [.null, int(1), int(2)]) == int(1))
        firstNonNull.reset()
        #expect(try fold(&firstNonNull, [int(5), .null]) == int(5))
        var legacy = try make("first_not_null_value", MergeTest.int)
        #expect(try fold(&legacy, [.null, int(4), int(2)]) == int(4))
        #expect(error { () throws(TableError) in try legacy.retract(int(4), int(4)) }?.message.contains("'first_not_null_value'") == true)
        #expect(error { () throws(TableError) in try first.retract(int(4), int(4)) } != nil)
    }

    @Test func listaggJoinsAndSkipsBlanks() throws {
        var listagg = try make("listagg", MergeTest.string)
        #expect(try fold(&listagg, [str("a"), .null, str("  "), str("b"), str("")]) == str("a,b"))
        #expect(try listagg.agg(str(" \t"), str("x")) == str("x"))
        var custom = try make("listagg", MergeTest.string, ["fields.v.list-agg-delimiter": " | "])
        #expect(try fold(&custom, [str("a"), str("b")]) == str("a | b"))
        #expect(error { () throws(TableError) in try listagg.retract(str("a"), str("a")) } != nil)
        // U+00A0 is not Java whitespace, so it is not blank.
        #expect(try listagg.agg(str("a"), str("\u{00A0}")) == str("a,\u{00A0}"))
    }

    @Test func listaggDistinctAppendsOnlyNewTokens() throws {
        var distinct = try make("listagg", MergeTest.string, ["fields.v.distinct": "true"])
        #expect(try distinct.agg(str("a,b"), str("b,c,,a, ,d")) == str("a,b,c,d"))
        #expect(try distinct.agg(str("a,b"), str("a,b")) == str("a,b"))
        // The accumulator itself is not de-duplicated.
        #expect(try distinct.agg(.null, str("x,x")) == str("x,x"))
        var multi = try make("listagg", MergeTest.string, ["fields.v.distinct": "true", "fields.v.list-agg-delimiter": "::"])
        #expect(try multi.agg(str("a::b"), str("b::c")) == str("a::b::c"))
        #expect(Listagg.split(Array("a,,b,".utf8), on: Array(",".utf8)).map { String(decoding: $0, as: UTF8.self) } == ["a", "", "b", ""])
        #expect(Listagg.split([], on: Array(",".utf8)).isEmpty)
    }

    @Test func boolAndOr() throws {
        var and = try make("bool_and", MergeTest.boolean)
        #expect(try fold(&and, [.boolean(true), .null, .boolean(false), .boolean(true)]) == .boolean(false))
        var or = try make("bool_or", MergeTest.boolean)
        #expect(try fold(&or, [.null, .boolean(false), .boolean(true)]) == .boolean(true))
        #expect(try fold(&or, [.null, .null]) == .null)
        #expect(error { () throws(TableError) in try or.retract(.boolean(true), .boolean(true)) } != nil)
    }

    @Test func collectAppendsAndRetractsElements() throws {
        let type = DataType(.array(element: MergeTest.int))
        var collect = try make("collect", type)
        #expect(try fold(&collect, [.list([int(1), int(2)]), .null, .list([int(2)])]) == .list([int(1), int(2), int(2)]))
        #expect(try collect.agg(.null, .null) == .null)
        #expect(try collect.retract(.list([int(1), int(2), int(2), int(3)]), .list([int(2), int(3), int(9)])) == .list([int(1), int(2)]))
        #expect(try collect.retract(.null, .list([int(1)])) == .null)
        #expect(try collect.retract(.list([int(1)]), .list([])) == .list([int(1)]))
        var distinct = try make("collect", type, ["fields.v.distinct": "true"])
        #expect(try fold(&distinct, [.list([int(1), int(1), .null]), .list([int(2), .null, int(1)])]) == .list([int(1), .null, int(2)]))
        #expect(try distinct.agg(.list([int(3), int(3)]), .null) == .list([int(3)]))
        // An older input (partial-update aggReversed) still appends after the accumulator.
        #expect(try collect.aggReversed(.list([int(1)]), .list([int(2)])) == .list([int(1), int(2)]))
        var wrapped = try make("collect", type, ["fields.v.ignore-retract": "true"])
        #expect(try wrapped.aggReversed(.list([int(1)]), .list([int(2)])) == .list([int(2), int(1)]))
        #expect(try wrapped.retract(.list([int(1)]), .list([int(1)])) == .list([int(1)]))
    }

    @Test func mergeMapOverwritesByKey() throws {
        let type = DataType(.map(key: MergeTest.string, value: MergeTest.int))
        var mergeMap = try make("merge_map", type)
        let a = Value.map([.init(key: str("x"), value: int(1)), .init(key: str("y"), value: int(2))])
        let b = Value.map([.init(key: str("y"), value: int(9)), .init(key: str("z"), value: .null)])
        #expect(try mergeMap.agg(a, b) == .map([.init(key: str("x"), value: int(1)), .init(key: str("y"), value: int(9)), .init(key: str("z"), value: .null)]))
        #expect(try mergeMap.agg(.null, b) == b)
        #expect(try mergeMap.agg(a, .null) == a)
        #expect(try mergeMap.retract(a, .map([.init(key: str("x"), value: int(42))])) == .map([.init(key: str("y"), value: int(2))]))
        #expect(try mergeMap.retract(.null, a) == .null)
        #expect(try mergeMap.retract(a, .map([])) == a)
        let bytes = DataType(.map(key: DataType.bytes, value: MergeTest.int))
        var binary = try make("merge_map", bytes)
        #expect(try binary.agg(.map([.init(key: .bytes([1]), value: int(1))]), .map([.init(key: .bytes([1]), value: int(2))])) == .map([.init(key: .bytes([1]), value: int(2))]))
    }

    @Test func mergeMapWithKeyTimeKeepsTheNewestEntry() throws {
        let row = DataType(.row(fields: [DataField(id: 10, name: "value", type: MergeTest.string), DataField(id: 11, name: "ts", type: MergeTest.string)]))
        let type = DataType(.map(key: MergeTest.string, value: row))
        var agg = try make("merge_map_with_keytime", type, ["fields.v.ts-field": "ts"])
        func entry(_ key: String, _ value: String, _ ts: String?) -> Value.MapEntry {
            .init(key: str(key), value: .row([str(value), ts.map(str) ?? .null]))
        }
        // The documentation's example, with the older timestamp written "050": timestamps compare as strings.
        var acc = try agg.agg(.null, .map([entry("product_name", "iPhone", "100"), entry("color", "Black", "100")]))
        acc = try agg.agg(acc, .map([entry("product_name", "iPad", "200"), entry("price", "999", "200")]))
        #expect(try agg.agg(acc, .map([entry("color", "White", "50")]))
                == .map([entry("product_name", "iPad", "200"), entry("color", "White", "50"), entry("price", "999", "200")]))
        acc = try agg.agg(acc, .map([entry("color", "White", "050")]))
        #expect(acc == .map([entry("product_name", "iPad", "200"), entry("color", "Black", "100"), entry("price", "999", "200")]))
        // A null value removes the key, a null timestamp is skipped, a tie keeps the stored entry.
        let next = try agg.agg(acc, .map([.init(key: str("color"), value: .null), entry("price", "1", nil), entry("product_name", "Mac", "200")]))
        #expect(next == .map([entry("product_name", "iPad", "200"), entry("price", "999", "200")]))
        #expect(error { () throws(TableError) in try agg.retract(acc, acc) } != nil)
    }

    @Test func mergeMapWithKeyTimeValidatesItsType() throws {
        let one = DataType(.map(key: MergeTest.string, value: DataType(.row(fields: [DataField(id: 10, name: "ts", type: MergeTest.string)]))))
        #expect(throws: TableError.self) { try make("merge_map_with_keytime", one) }
        let row = DataType(.row(fields: [DataField(id: 10, name: "value", type: MergeTest.string), DataField(id: 11, name: "ts", type: MergeTest.bigint)]))
        #expect(throws: TableError.self) { try make("merge_map_with_keytime", DataType(.map(key: MergeTest.string, value: row))) }
        let good = DataType(.row(fields: [DataField(id: 10, name: "ts", type: MergeTest.string), DataField(id: 11, name: "value", type: MergeTest.bigint)]))
        #expect(throws: TableError.self) { try make("merge_map_with_keytime", DataType(.map(key: MergeTest.string, value: good)), ["fields.v.ts-field": "nope"]) }
        _ = try make("merge_map_with_keytime", DataType(.map(key: MergeTest.string, value: good)), ["fields.v.ts-field": "ts"])
    }

    static let nested = DataType(.array(element: DataType(.row(fields: [
        DataField(id: 10, name: "id", type: MergeTest.int), DataField(id: 11, name: "seq", type: MergeTest.int), DataField(id: 12, name: "v", type: MergeTest.string),
    ]))))

    func row(_ id: Value, _ seq: Value, _ v: Value) -> Value { .row([id, seq, v]) }

    @Test func nestedUpdateWithoutKeyAppendsUpToTheLimit() throws {
        var agg = try make("nested_update", Self.nested, ["fields.v.count-limit": "3"])
        let a = row(int(1), int(1), str("a")), b = row(int(2), int(1), str("b")), c = row(int(3), int(1), str("c"))
        var acc = try agg.agg(.null, .list([a, .null, b]))
        #expect(acc == .list([a, b]))
        acc = try agg.agg(acc, .list([c, a]))
        #expect(acc == .list([a, b, c]))
        #expect(try agg.agg(acc, .list([b])) == acc)
        #expect(try agg.retract(.list([a, b, a, .null]), .list([a])) == .list([b]))
        #expect(try agg.agg(acc, .null) == acc)
    }

    @Test func nestedUpdateUpsertsByKey() throws {
        var agg = try make("nested_update", Self.nested, ["fields.v.nested-key": "id"])
        let a1 = row(int(1), int(1), str("a1")), b = row(int(2), int(1), str("b")), a2 = row(int(1), int(0), str("a2"))
        #expect(try agg.agg(.list([a1, b]), .list([a2])) == .list([a2, b]))
        #expect(try agg.retract(.list([a1, b]), .list([row(int(1), .null, .null)])) == .list([b]))
        var sequenced = try make("nested_update", Self.nested, ["fields.v.nested-key": "id", "fields.v.nested-sequence-field": "seq"])
        #expect(try sequenced.agg(.list([a1, b]), .list([a2])) == .list([a1, b]))
        let a3 = row(int(1), int(1), str("a3"))
        #expect(try sequenced.agg(.list([a1, b]), .list([a3])) == .list([a3, b]))
        var limited = try make("nested_update", Self.nested, ["fields.v.nested-key": "id", "fields.v.count-limit": "2"])
        #expect(try limited.agg(.list([a1, b]), .list([row(int(3), int(1), str("c")), a2])) == .list([a2, b]))
    }

    @Test func nestedUpdateNullKeyStrategies() throws {
        let nullKey = row(.null, int(1), str("n"))
        let a = row(int(1), int(1), str("a"))
        var merge = try make("nested_update", Self.nested, ["fields.v.nested-key": "id"])
        #expect(try merge.agg(.list([a]), .list([nullKey])) == .list([a, nullKey]))
        var ignore = try make("nested_update", Self.nested, ["fields.v.nested-key": "id", "fields.v.nested-key-null-strategy": "ignore"])
        #expect(try ignore.agg(.list([a]), .list([nullKey])) == .list([a]))
        var fail = try make("nested_update", Self.nested, ["fields.v.nested-key": "id", "fields.v.nested-key-null-strategy": "ERROR"])
        #expect(error { () throws(TableError) in try fail.agg(.list([a]), .list([nullKey])) }?.message
                == "Nested key contains null values. Primary key fields must not be null.")
        #expect(throws: TableError.self) { try make("nested_update", Self.nested, ["fields.v.nested-key-null-strategy": "ignore"]) }
        #expect(throws: TableError.self) { try make("nested_update", Self.nested, ["fields.v.nested-sequence-field": "seq"]) }
        #expect(throws: TableError.self) { try make("nested_update", Self.nested, ["fields.v.nested-key": "nope"]) }
        #expect(throws: TableError.self) { try make("nested_update", Self.nested, ["fields.v.count-limit": "many"]) }
    }

    @Test func nestedPartialUpdateMergesRowsByKey() throws {
        var agg = try make("nested_partial_update", Self.nested, ["fields.v.nested-key": "id"])
        let acc = Value.list([row(int(1), int(1), str("a")), row(int(2), int(2), .null)])
        let input = Value.list([row(int(2), .null, str("b")), row(int(1), int(5), .null), .null, row(int(3), .null, .null)])
        #expect(try agg.agg(acc, input) == .list([row(int(1), int(5), str("a")), row(int(2), int(2), str("b")), row(int(3), .null, .null)]))
        #expect(try agg.agg(acc, .null) == acc)
        #expect(error { () throws(TableError) in try agg.retract(acc, input) } != nil)
        #expect(throws: TableError.self) { try make("nested_partial_update", Self.nested) }
    }

    @Test func primaryKeyPassesThrough() throws {
        var key = try make("primary-key", MergeTest.int)
        #expect(try key.agg(int(1), int(2)) == int(2))
        #expect(try key.retract(int(1), int(3)) == int(3))
    }
}
