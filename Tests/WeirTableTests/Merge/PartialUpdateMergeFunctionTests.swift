import Testing
import WeirColumnar
import WeirPaimon
@testable import WeirTable

@Suite struct PartialUpdateMergeFunctionTests {
    static let plain: [(String, DataType)] = [("k", MergeTest.int), ("price", MergeTest.double), ("n", MergeTest.int), ("name", MergeTest.string)]
    static let grouped: [(String, DataType)] = [
        ("k", MergeTest.int), ("a", MergeTest.int), ("b", MergeTest.int), ("g_1", MergeTest.int),
        ("c", MergeTest.int), ("d", MergeTest.int), ("g_2", MergeTest.int),
    ]
    static let groups = ["merge-engine": "partial-update", "fields.g_1.sequence-group": "a,b", "fields.g_2.sequence-group": "c,d"]

    @Test func docExampleKeepsTheLatestNonNullValuePerColumn() throws {
        let factory = try MergeTest.factory(Self.plain, options: ["merge-engine": "partial-update"])
        #expect(!factory.picksWholeRecord)
        let result = try MergeTest.merge(factory, [
            kv(1, .insert, int(1), .double(23.0), int(10), .null),
            kv(2, .insert, int(1), .null, .null, str("This is a book")),
            kv(3, .insert, int(1), .double(25.2), .null, .null),
        ])
        #expect(result == KeyValue(sequenceNumber: 3, kind: .insert, value: [int(1), .double(25.2), int(10), str("This is a book")], level: -1))
    }

    @Test func nullInANotNullColumnFails() throws {
        let columns: [(String, DataType)] = [("k", MergeTest.int), ("v", MergeTest.int.nullable(false))]
        let factory = try MergeTest.factory(columns, options: ["merge-engine": "partial-update"])
        let error = MergeTest.mergeError(factory, [kv(1, .insert, int(1), .null)])
        #expect(error?.kind == .invalidInput)
        #expect(error?.message == "Field 1 can not be null")
    }

    @Test func retractsFailByDefault() throws {
        let factory = try MergeTest.factory(Self.plain, options: ["merge-engine": "partial-update"])
        let error = MergeTest.mergeError(factory, [kv(1, .insert, int(1), .double(1), int(1), str("a")), kv(2, .delete, int(1), .null, .null, .null)])
        #expect(error?.kind == .invalidInput)
        #expect(error?.message.hasPrefix("By default, Partial update can not accept delete records") == true)
    }

    @Test func ignoreDeleteSkipsRetractsButAFirstRetractSeedsTheRow() throws {
        let factory = try MergeTest.factory(Self.plain, options: ["merge-engine": "partial-update", "partial-update.ignore-delete": "true"])
        let added = try MergeTest.merge(factory, [kv(1, .insert, int(1), .double(1), int(2), .null), kv(2, .delete, int(1), .double(9), int(9), str("x"))])
        #expect(added == KeyValue(sequenceNumber: 1, kind: .insert, value: [int(1), .double(1), int(2), .null], level: -1))
        // Java's initRow: the first record of the round, a retract, fills the row before it is skipped.
        let seeded = try MergeTest.merge(factory, [kv(1, .delete, int(1), .double(9), .null, str("x")), kv(2, .insert, int(1), .null, int(3), .null)])
        #expect(seeded == KeyValue(sequenceNumber: 2, kind: .insert, value: [int(1), .double(9), int(3), str("x")], level: -1))
        let onlyRetracts = try MergeTest.merge(factory, [kv(4, .delete, int(1), .null, .null, .null)])
        #expect(onlyRetracts?.kind == .delete)
        #expect(onlyRetracts?.sequenceNumber == 0)
    }

    @Test func removeRecordOnDeleteDeletesTheRowAndIgnoresUpdateBefore() throws {
        let factory = try MergeTest.factory(Self.plain, options: ["merge-engine": "partial-update", "partial-update.remove-record-on-delete": "true"])
        let deleted = try MergeTest.merge(factory, [kv(1, .insert, int(1), .double(1), int(2), str("a")), kv(2, .delete, int(1), .null, .null, str("d"))])
        #expect(deleted == KeyValue(sequenceNumber: 2, kind: .delete, value: [int(1), .null, .null, str("d")], level: -1))
        let reinserted = try MergeTest.merge(factory, [
            kv(1, .insert, int(1), .double(1), int(2), str("a")), kv(2, .delete, int(1), .null, .null, .null), kv(3, .insert, int(1), .null, int(5), .null),
        ])
        #expect(reinserted == KeyValue(sequenceNumber: 3, kind: .insert, value: [int(1), .null, int(5), .null], level: -1))
        let updateBefore = try MergeTest.merge(factory, [kv(1, .insert, int(1), .double(1), int(2), str("a")), kv(2, .updateBefore, int(1), .double(1), int(2), str("a"))])
        #expect(updateBefore == KeyValue(sequenceNumber: 2, kind: .insert, value: [int(1), .double(1), int(2), str("a")], level: -1))
    }

    @Test func docExampleSequenceGroupsProtectTheirFields() throws {
        let factory = try MergeTest.factory(Self.grouped, options: Self.groups)
        var function = factory.make()
        let first = kv(1, .insert, int(1), int(1), int(1), int(1), int(1), int(1), int(1))
        let second = kv(2, .insert, int(1), int(2), int(2), int(2), int(2), int(2), .null)
        #expect(try MergeTest.merge(&function, [first, second])?.value == [1, 2, 2, 2, 1, 1, 1].map { int($0) })
        let third = kv(3, .insert, int(1), int(3), int(3), int(1), int(3), int(3), int(3))
        #expect(try MergeTest.merge(&function, [first, second, third])?.value == [1, 2, 2, 2, 3, 3, 3].map { int($0) })
    }

    @Test func aNewerGroupSequenceOverwritesEvenWithNull() throws {
        let factory = try MergeTest.factory(Self.grouped, options: Self.groups)
        let result = try MergeTest.merge(factory, [
            kv(1, .insert, int(1), int(1), int(1), int(1), .null, .null, .null),
            kv(2, .insert, int(1), .null, int(7), int(1), .null, .null, .null),
        ])
        #expect(result?.value == [int(1), .null, int(7), int(1), .null, .null, .null])
    }

    @Test func docExampleMultipleSequenceFieldsCompareLexicographically() throws {
        let columns: [(String, DataType)] = [
            ("k", MergeTest.int), ("a", MergeTest.int), ("b", MergeTest.int), ("g_1", MergeTest.int),
            ("c", MergeTest.int), ("d", MergeTest.int), ("g_2", MergeTest.int), ("g_3", MergeTest.int),
        ]
        let factory = try MergeTest.factory(columns, options: [
            "merge-engine": "partial-update", "fields.g_1.sequence-group": "a,b", "fields.g_2,g_3.sequence-group": "c,d",
        ])
        let records = [
            kv(1, .insert, int(1), int(1), int(1), int(1), int(1), int(1), int(1), int(1)),
            kv(2, .insert, int(1), int(2), int(2), int(2), int(2), int(2), int(1), .null),
        ]
        #expect(try MergeTest.merge(factory, records)?.value == [1, 2, 2, 2, 1, 1, 1, 1].map { int($0) })
        let third = kv(3, .insert, int(1), int(3), int(3), int(1), int(3), int(3), int(3), int(1))
        #expect(try MergeTest.merge(factory, records + [third])?.value == [1, 2, 2, 2, 3, 3, 3, 1].map { int($0) })
    }

    @Test func docExampleAggregationInsideGroups() throws {
        let columns: [(String, DataType)] = [("k", MergeTest.int), ("a", MergeTest.int), ("b", MergeTest.int), ("c", MergeTest.int), ("d", MergeTest.int)]
        let factory = try MergeTest.factory(columns, options: [
            "merge-engine": "partial-update", "fields.a.sequence-group": "b", "fields.b.aggregate-function": "first_value",
            "fields.c.sequence-group": "d", "fields.d.aggregate-function": "sum",
        ])
        let result = try MergeTest.merge(factory, [
            kv(1, .insert, int(1), int(1), int(1), .null, .null),
            kv(2, .insert, int(1), .null, .null, int(1), int(1)),
            kv(3, .insert, int(1), int(2), int(2), .null, .null),
            kv(4, .insert, int(1), .null, .null, int(2), int(2)),
        ])
        #expect(result?.value == [1, 2, 1, 2, 3].map { int($0) })
    }

    @Test func docExampleAggregationWithAnOlderMultiFieldSequence() throws {
        let columns: [(String, DataType)] = [
            ("k", MergeTest.int), ("a", MergeTest.int), ("b", MergeTest.int), ("g_1", MergeTest.int),
            ("c", MergeTest.string), ("g_2", MergeTest.int), ("g_3", MergeTest.int),
        ]
        let factory = try MergeTest.factory(columns, options: [
            "merge-engine": "partial-update", "fields.a.aggregate-function": "sum",
            "fields.g_1,g_3.sequence-group": "a", "fields.g_2.sequence-group": "c",
        ])
        let records = [
            kv(1, .insert, int(1), int(1), int(1), int(1), str("1"), int(1), int(1)),
            kv(2, .insert, int(1), int(2), int(2), int(2), str("2"), .null, int(2)),
        ]
        #expect(try MergeTest.merge(factory, records)?.value == [int(1), int(3), int(2), int(2), str("1"), int(1), int(2)])
        let third = kv(3, .insert, int(1), int(3), int(3), int(2), str("3"), int(3), int(1))
        #expect(try MergeTest.merge(factory, records + [third])?.value == [int(1), int(6), int(3), int(2), str("3"), int(3), int(2)])
    }

    @Test func olderInputAggregatesReversed() throws {
        let columns: [(String, DataType)] = [("k", MergeTest.int), ("g", MergeTest.int), ("s", MergeTest.string), ("f", MergeTest.int)]
        let factory = try MergeTest.factory(columns, options: [
            "merge-engine": "partial-update", "fields.g.sequence-group": "s,f",
            "fields.s.aggregate-function": "listagg", "fields.f.aggregate-function": "first_value",
        ])
        let result = try MergeTest.merge(factory, [
            kv(1, .insert, int(1), int(5), str("new"), int(50)),
            kv(2, .insert, int(1), int(3), str("old"), int(30)),
        ])
        // listagg puts the older value first; first_value takes the older one.
        #expect(result?.value == [int(1), int(5), str("old,new"), int(30)])
    }

    @Test func retractWithSequenceGroupsNullsOrRetractsProtectedFields() throws {
        let columns: [(String, DataType)] = [("k", MergeTest.int), ("a", MergeTest.int), ("s", MergeTest.int), ("g", MergeTest.int), ("x", MergeTest.int)]
        let factory = try MergeTest.factory(columns, options: [
            "merge-engine": "partial-update", "fields.g.sequence-group": "a,s", "fields.s.aggregate-function": "sum",
        ])
        let add = kv(1, .insert, int(1), int(10), int(10), int(5), int(7))
        // Newer retract: a nulled, s retracted, g advanced, x (no group) untouched.
        #expect(try MergeTest.merge(factory, [add, kv(2, .updateBefore, int(1), int(10), int(4), int(6), int(0))])?.value
                == [int(1), .null, int(6), int(6), int(7)])
        // Older retract: only the aggregated field retracts.
        #expect(try MergeTest.merge(factory, [add, kv(2, .delete, int(1), int(10), int(4), int(1), int(0))])?.value
                == [int(1), int(10), int(6), int(5), int(7)])
        // Null group sequence: nothing happens.
        let skipped = try MergeTest.merge(factory, [add, kv(2, .delete, int(1), int(10), int(4), .null, int(0))])
        #expect(skipped == KeyValue(sequenceNumber: 2, kind: .insert, value: add.value, level: -1))
    }

    @Test func onlyRetractsGiveADelete() throws {
        let factory = try MergeTest.factory(Self.grouped, options: Self.groups)
        let result = try MergeTest.merge(factory, [kv(1, .updateBefore, int(1), int(1), int(1), int(1), .null, .null, .null)])
        #expect(result?.kind == .delete)
        #expect(result?.value == [int(1), .null, .null, int(1), .null, .null, .null])
    }

    @Test func removeRecordOnSequenceGroupDeletesTheWholeRow() throws {
        var options = Self.groups
        options["partial-update.remove-record-on-sequence-group"] = "g_2"
        let factory = try MergeTest.factory(Self.grouped, options: options)
        let add = kv(1, .insert, int(1), int(1), int(1), int(1), int(1), int(1), int(1))
        let delete = kv(2, .delete, int(1), .null, .null, .null, .null, .null, int(2))
        #expect(try MergeTest.merge(factory, [add, delete]) == KeyValue(sequenceNumber: 2, kind: .delete, value: delete.value, level: -1))
        // A -D of the other group only retracts its columns; an older g_2 delete does nothing to the row.
        let otherGroup = kv(2, .delete, int(1), .null, .null, int(2), .null, .null, .null)
        #expect(try MergeTest.merge(factory, [add, otherGroup])?.value == [int(1), .null, .null, int(2), int(1), int(1), int(1)])
        let older = kv(2, .delete, int(1), .null, .null, .null, .null, .null, int(0))
        #expect(try MergeTest.merge(factory, [add, older]) == KeyValue(sequenceNumber: 2, kind: .insert, value: add.value, level: -1))
        // A later add starts from the deleted row.
        let revived = try MergeTest.merge(factory, [add, delete, kv(3, .insert, int(1), int(5), .null, int(3), .null, .null, .null)])
        #expect(revived?.kind == .insert)
        #expect(revived?.value == [int(1), int(5), .null, int(3), .null, .null, int(2)])
    }

    @Test func validationMessages() throws {
        func error(_ options: [String: String], _ columns: [(String, DataType)] = Self.grouped) throws -> String? {
            var all = ["merge-engine": "partial-update"]
            all.merge(options) { $1 }
            return try MergeTest.factoryError(columns, options: all)?.message
        }
        #expect(try error(["fields.a.aggregate-function": "sum"]) == "Must use sequence group for aggregation functions but not found for field a.")
        #expect(try error(["fields.default-aggregate-function": "max"]) == "Must use sequence group for aggregation functions but not found for field a.")
        #expect(try error(["fields.default-aggregate-function": "last_non_null_value"]) == nil)
        #expect(try error(["fields.g_1.sequence-group": "a,zz"]) == "Field zz can not be found in table schema")
        #expect(try error(["fields.g_1.sequence-group": "a,k"])?.contains("contains primary key field 'k'") == true)
        #expect(try error(["fields.g_1.sequence-group": "a", "fields.g_2.sequence-group": "a"])?.hasPrefix("Field a is defined repeatedly by multiple groups") == true)
        #expect(try error(["fields.g_1.sequence-group": "a", "partial-update.remove-record-on-delete": "true"])
                == "sequence-group and partial-update.remove-record-on-delete have conflicting behavior so should not be enabled at the same time.")
        #expect(try error(["ignore-delete": "true", "partial-update.remove-record-on-delete": "true"])?.contains("conflicting behavior") == true)
        #expect(try error(["ignore-delete": "true", "fields.g_1.sequence-group": "a", "partial-update.remove-record-on-sequence-group": "g_1"])?
            .contains("conflicting behavior") == true)
        #expect(try error(["fields.g_1.sequence-group": "a", "partial-update.remove-record-on-sequence-group": "a"])
                == "field 'a' defined in 'partial-update.remove-record-on-sequence-group' option must be part of sequence groups")
        #expect(try error(["fields.g_1.sequence-groups": "a"]) == nil)
        #expect(try error(["fieldsg_1.sequence-group": "a"]) == "Invalid sequence-group option: fieldsg_1.sequence-group")
        #expect(try error(["fields.g_1.sequence-group": "a", "fields.a.aggregate-function": "sum", "fields.a.ignore-retract": "maybe"]) != nil)
    }
}
