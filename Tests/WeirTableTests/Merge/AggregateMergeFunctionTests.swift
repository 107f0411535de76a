import Testing
import WeirColumnar
import WeirPaimon
@testable import WeirTable

@Suite struct AggregateMergeFunctionTests {
    static let columns: [(String, DataType)] = [("k", MergeTest.int), ("price", MergeTest.double), ("sales", MergeTest.bigint)]
    static let options = ["merge-engine": "aggregation", "fields.price.aggregate-function": "max", "fields.sales.aggregate-function": "sum"]

    @Test func docExampleMaxAndSum() throws {
        let factory = try MergeTest.factory(Self.columns, options: Self.options)
        #expect(factory.engine == .aggregation)
        #expect(!factory.picksWholeRecord)
        let result = try MergeTest.merge(factory, [kv(1, .insert, int(1), .double(23.0), int(15)), kv(2, .insert, int(1), .double(30.2), int(20))])
        #expect(result == KeyValue(sequenceNumber: 2, kind: .insert, value: [int(1), .double(30.2), int(35)], level: -1))
        #expect(try MergeTest.merge(factory, []) == nil)
    }

    @Test func functionChoicePerField() throws {
        let columns: [(String, DataType)] = [
            ("k", MergeTest.int), ("seq", MergeTest.bigint), ("a", MergeTest.bigint), ("b", MergeTest.bigint), ("c", MergeTest.string),
        ]
        let options = [
            "merge-engine": "aggregation", "sequence.field": "seq", "fields.default-aggregate-function": "sum",
            "fields.a.aggregate-function": "min", "fields.c.aggregate-function": "last_non_null_value",
        ]
        let factory = try MergeTest.factory(columns, options: options)
        let result = try MergeTest.merge(factory, [
            kv(1, .insert, int(1), int(5), int(3), int(1), str("x")),
            kv(2, .insert, int(1), .null, int(2), int(4), .null),
        ])
        // seq is last_value (null wins), a min, b the default sum, c last_non_null_value.
        #expect(result?.value == [int(1), .null, int(2), int(5), str("x")])

        let defaults = try MergeTest.factory(columns, options: ["merge-engine": "aggregation"])
        let plain = try MergeTest.merge(defaults, [kv(1, .insert, int(1), int(5), int(3), int(1), str("x")), kv(2, .insert, int(1), .null, int(4), .null, .null)])
        #expect(plain?.value == [int(1), int(5), int(4), int(1), str("x")])
    }

    @Test func retractsUseEachFunctionsRetract() throws {
        let factory = try MergeTest.factory(Self.columns, options: [
            "merge-engine": "aggregation", "fields.sales.aggregate-function": "sum", "fields.price.aggregate-function": "last_value",
        ])
        let result = try MergeTest.merge(factory, [kv(1, .insert, int(1), .double(2), int(10)), kv(2, .updateBefore, int(1), .double(2), int(4))])
        #expect(result == KeyValue(sequenceNumber: 2, kind: .insert, value: [int(1), .null, int(6)], level: -1))
        let firstRetract = try MergeTest.merge(factory, [kv(1, .delete, int(1), .double(2), int(4))])
        #expect(firstRetract?.value == [int(1), .null, int(-4)])
        #expect(firstRetract?.kind == .insert)
    }

    @Test func aRetractOnAFunctionWithoutRetractFails() throws {
        let factory = try MergeTest.factory(Self.columns, options: Self.options)
        let error = MergeTest.mergeError(factory, [kv(1, .insert, int(1), .double(2), int(10)), kv(2, .delete, int(1), .double(2), int(10))])
        #expect(error?.kind == .invalidInput)
        #expect(error?.subject == "field 'price'")
        #expect(error?.message == "Aggregate function 'max' does not support retraction, If you allow this function to ignore retraction messages, "
                + "you can configure 'fields.price.ignore-retract'='true'.")
    }

    @Test func ignoreRetractKeepsTheAccumulator() throws {
        var options = Self.options
        options["fields.price.ignore-retract"] = "true"
        let factory = try MergeTest.factory(Self.columns, options: options)
        let result = try MergeTest.merge(factory, [kv(1, .insert, int(1), .double(2), int(10)), kv(2, .delete, int(1), .double(2), int(3))])
        #expect(result?.value == [int(1), .double(2), int(7)])
    }

    @Test func removeRecordOnDeleteResetsTheRowAndDeletes() throws {
        var options = Self.options
        options["aggregation.remove-record-on-delete"] = "true"
        let factory = try MergeTest.factory(Self.columns, options: options)
        let delete = kv(2, .delete, int(1), .null, int(1))
        #expect(try MergeTest.merge(factory, [kv(1, .insert, int(1), .double(2), int(10)), delete])
                == KeyValue(sequenceNumber: 2, kind: .delete, value: delete.value, level: -1))
        let after = try MergeTest.merge(factory, [kv(1, .insert, int(1), .double(2), int(10)), delete, kv(3, .insert, int(1), .double(1), int(5))])
        #expect(after == KeyValue(sequenceNumber: 3, kind: .insert, value: [int(1), .double(1), int(6)], level: -1))
        // -U is still an ordinary retract (max cannot retract).
        #expect(MergeTest.mergeError(factory, [kv(1, .insert, int(1), .double(2), int(10)), kv(2, .updateBefore, int(1), .double(2), int(1))]) != nil)
        options["fields.price.ignore-retract"] = "true"
        let conflict = try MergeTest.factoryError(Self.columns, options: options)
        #expect(conflict?.message == "aggregation.remove-record-on-delete and fields.price.ignore-retract have conflicting behavior so should not be enabled at the same time.")
    }

    @Test func removeRecordOnDeleteChecksNotNullColumns() throws {
        let columns: [(String, DataType)] = [("k", MergeTest.int), ("v", MergeTest.int.nullable(false))]
        let factory = try MergeTest.factory(columns, options: ["merge-engine": "aggregation", "aggregation.remove-record-on-delete": "true"])
        #expect(MergeTest.mergeError(factory, [kv(1, .delete, int(1), .null)])?.message == "Field 1 can not be null")
    }

    @Test func firstValueIsPerRound() throws {
        let columns: [(String, DataType)] = [("k", MergeTest.int), ("f", MergeTest.int), ("n", MergeTest.int)]
        let factory = try MergeTest.factory(columns, options: [
            "merge-engine": "aggregation", "fields.f.aggregate-function": "first_value", "fields.n.aggregate-function": "first_not_null_value",
        ])
        var function = factory.make()
        #expect(try MergeTest.merge(&function, [kv(1, .insert, int(1), .null, .null), kv(2, .insert, int(1), int(2), int(2)), kv(3, .insert, int(1), int(3), int(3))])?.value
                == [int(1), .null, int(2)])
        // A new round after reset() takes its own first values.
        #expect(try MergeTest.merge(&function, [kv(4, .insert, int(1), int(7), int(8)), kv(5, .insert, int(1), int(9), int(9))])?.value == [int(1), int(7), int(8)])
    }

    @Test func functionErrors() throws {
        func error(_ function: String, _ type: DataType, _ extra: [String: String] = [:]) throws -> TableError? {
            var options = ["merge-engine": "aggregation", "fields.v.aggregate-function": function]
            options.merge(extra) { $1 }
            return try MergeTest.factoryError([("k", MergeTest.int), ("v", type)], options: options)
        }
        let sumOnString = try error("sum", MergeTest.string)
        #expect(sumOnString?.kind == .invalidTable)
        #expect(sumOnString?.description == "field 'v': Data type for sum column must be 'NumericType' but was 'STRING'.")
        let unknown = try error("count", MergeTest.bigint)
        #expect(unknown?.kind == .invalidTable)
        #expect(unknown?.description == "field 'v': Use unsupported aggregation: count or spell aggregate function incorrectly!")
        for sketch in ["hll_sketch", "theta_sketch", "rbm32", "rbm64"] {
            let unsupported = try error(sketch, DataType.bytes)
            #expect(unsupported?.kind == .unsupported)
            #expect(unsupported?.description.contains(sketch) == true)
        }
        #expect(try error("max", DataType(.array(element: MergeTest.int)))?.message.contains("must be comparable") == true)
        #expect(try error("bool_and", MergeTest.int)?.message.contains("BooleanType") == true)
        #expect(try error("listagg", DataType(.varchar(length: 10)))?.message.contains("STRING") == true)
        #expect(try error("collect", MergeTest.int)?.message.contains("Array") == true)
        #expect(try error("merge_map", MergeTest.int)?.message.contains("MAP") == true)
        #expect(try error("nested_update", DataType(.array(element: MergeTest.int)))?.message.contains("Array<Row>") == true)
        #expect(try error("product", DataType(.date)) != nil)
        #expect(try MergeTest.factoryError([("k", MergeTest.int), ("v", MergeTest.string)], options: ["merge-engine": "aggregation", "fields.default-aggregate-function": "sum"])?
            .description == "field 'v': Data type for sum column must be 'NumericType' but was 'STRING'.")
    }
}
