import Testing
import WeirColumnar
import WeirPaimon
@testable import WeirTable

@Suite struct RecordOrderingTests {
    let columns: [(String, DataType)] = [("k", MergeTest.int), ("ts", MergeTest.bigint), ("v", MergeTest.string)]

    private func sorted(_ records: [KeyValue], _ options: [String: String]) throws -> [KeyValue] {
        let ordering = try RecordOrdering(schema: MergeTest.schema(columns, options: options))
        return records.sorted(by: ordering.areInIncreasingOrder)
    }

    @Test func withoutSequenceFieldOrdersBySequenceNumberThenRetractFirst() throws {
        let a = kv(2, .insert, int(1), int(0), str("a"))
        let b = kv(1, .insert, int(1), int(9), str("b"))
        let retract = kv(2, .updateBefore, int(1), int(0), str("a"))
        #expect(try sorted([a, b, retract], [:]) == [b, retract, a])
        #expect(try RecordOrdering(schema: MergeTest.schema(columns, options: [:])).userSequenceFieldIndexes.isEmpty)
    }

    @Test func sequenceFieldComesFirstWithNullsSmallest() throws {
        let late = kv(1, .insert, int(1), int(20), str("late"))
        let early = kv(2, .insert, int(1), int(10), str("early"))
        let none = kv(3, .insert, int(1), .null, str("none"))
        let tie = kv(0, .insert, int(1), int(10), str("tie"))
        let ordering = try RecordOrdering(schema: MergeTest.schema(columns, options: ["sequence.field": "ts"]))
        #expect(ordering.userSequenceFieldIndexes == [1])
        #expect(try sorted([late, early, none, tie], ["sequence.field": "ts"]) == [none, tie, early, late])
    }

    @Test func descendingFlipsValuesButNullsStaySmallest() throws {
        let late = kv(1, .insert, int(1), int(20), str("late"))
        let early = kv(2, .insert, int(1), int(10), str("early"))
        let none = kv(3, .insert, int(1), .null, str("none"))
        let options = ["sequence.field": "ts", "sequence.field.sort-order": "descending"]
        #expect(try sorted([early, none, late], options) == [none, late, early])
    }

    @Test func severalSequenceFieldsCompareLeftToRight() throws {
        let options = ["sequence.field": "ts,v"]
        let a = kv(9, .insert, int(1), int(1), str("b"))
        let b = kv(1, .insert, int(1), int(1), str("c"))
        let c = kv(5, .insert, int(1), int(2), str("a"))
        #expect(try sorted([c, b, a], options) == [a, b, c])
    }

    @Test func invalidSequenceFieldsAreRejected() throws {
        func error(_ options: [String: String]) throws -> TableError? {
            let schema = try MergeTest.schema(columns, options: options)
            do throws(TableError) {
                _ = try RecordOrdering(schema: schema)
                return nil
            } catch { return error }
        }
        #expect(try error(["sequence.field": "nope"])?.message == "Sequence field: 'nope' can not be found in table schema.")
        #expect(try error(["sequence.field": "ts,ts"])?.message == "Sequence field 'ts' is defined repeatedly.")
        #expect(try error(["sequence.field": "ts", "sequence.field.sort-order": "sideways"])?.kind == .invalidTable)
        let nested = try RecordOrdering(schema: MergeTest.schema([("k", MergeTest.int), ("l", DataType(.array(element: MergeTest.int)))], options: [:]))
        #expect(nested.userSequenceFieldIndexes.isEmpty)
        #expect(throws: TableError.self) {
            try RecordOrdering(schema: MergeTest.schema([("k", MergeTest.int), ("l", DataType(.array(element: MergeTest.int)))], options: ["sequence.field": "l"]))
        }
    }

    @Test func aggregationOnASequenceFieldIsRejected() throws {
        let error = try MergeTest.factoryError(columns, options: ["sequence.field": "ts", "merge-engine": "aggregation", "fields.ts.aggregate-function": "max"])
        #expect(error?.message == "Should not define aggregation on sequence field: 'ts'.")
    }
}
