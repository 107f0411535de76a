import Testing
import WeirColumnar
import WeirPaimon
@testable import WeirTable

@Suite struct DeduplicateAndFirstRowTests {
    let columns: [(String, DataType)] = [("k", MergeTest.int), ("v", MergeTest.string)]

    @Test func deduplicateKeepsTheLastRecordWhateverItsKind() throws {
        let factory = try MergeTest.factory(columns, options: [:])
        #expect(factory.engine == .deduplicate)
        #expect(factory.picksWholeRecord)
        let last = kv(3, .updateAfter, int(1), str("c"), level: 2)
        #expect(try MergeTest.merge(factory, [kv(1, .insert, int(1), str("a")), kv(2, .updateBefore, int(1), str("a")), last]) == last)
        let delete = kv(4, .delete, int(1), str("c"))
        #expect(try MergeTest.merge(factory, [kv(1, .insert, int(1), str("a")), delete]) == delete)
        #expect(try MergeTest.merge(factory, []) == nil)
    }

    @Test func deduplicateWithIgnoreDeleteSkipsRetracts() throws {
        for key in ["ignore-delete", "deduplicate.ignore-delete"] {
            let factory = try MergeTest.factory(columns, options: [key: "true"])
            let add = kv(1, .insert, int(1), str("a"))
            #expect(try MergeTest.merge(factory, [add, kv(2, .delete, int(1), str("a")), kv(3, .updateBefore, int(1), str("a"))]) == add)
            #expect(try MergeTest.merge(factory, [kv(2, .delete, int(1), str("a"))]) == nil)
        }
    }

    @Test func resetStartsANewKey() throws {
        var function = try MergeTest.factory(columns, options: [:]).make()
        try function.add(kv(1, .insert, int(1), str("a")))
        function.reset()
        #expect(try function.result() == nil)
    }

    @Test func firstRowKeepsTheFirstAdd() throws {
        let factory = try MergeTest.factory(columns, options: ["merge-engine": "first-row"])
        #expect(factory.engine == .firstRow)
        #expect(factory.picksWholeRecord)
        let first = kv(5, .insert, int(1), str("a"), level: 3)
        #expect(try MergeTest.merge(factory, [first, kv(6, .updateAfter, int(1), str("b"))]) == first)
    }

    @Test func firstRowRefusesRetractsUnlessIgnoreDelete() throws {
        let strict = try MergeTest.factory(columns, options: ["merge-engine": "first-row"])
        let error = MergeTest.mergeError(strict, [kv(1, .insert, int(1), str("a")), kv(2, .updateBefore, int(1), str("a"))])
        #expect(error?.kind == .invalidInput)
        #expect(error?.message.contains("First row merge engine can not accept DELETE/UPDATE_BEFORE records") == true)

        let lenient = try MergeTest.factory(columns, options: ["merge-engine": "first-row", "first-row.ignore-delete": "true"])
        let add = kv(2, .insert, int(1), str("b"))
        #expect(try MergeTest.merge(lenient, [kv(1, .delete, int(1), str("a")), add, kv(3, .delete, int(1), str("b"))]) == add)
        #expect(try MergeTest.merge(lenient, [kv(1, .delete, int(1), str("a"))]) == nil)
    }

    @Test func firstRowTracksHighLevelRecords() throws {
        var function = FirstRowMergeFunction(ignoreDelete: false)
        try function.add(kv(1, .insert, int(1), str("a"), level: 0))
        #expect(!function.containsHighLevel)
        try function.add(kv(2, .insert, int(1), str("b"), level: 1))
        #expect(function.containsHighLevel)
        function.reset()
        #expect(!function.containsHighLevel)
    }

    @Test func firstRowRejectsASequenceField() throws {
        let error = try MergeTest.factoryError(columns, options: ["merge-engine": "first-row", "sequence.field": "v"])
        #expect(error?.kind == .invalidTable)
        #expect(error?.message == "Do not support use sequence field on FIRST_ROW merge engine.")
    }

    @Test func badEngineOrIgnoreDeleteIsAnInvalidTable() throws {
        #expect(try MergeTest.factoryError(columns, options: ["merge-engine": "newest"])?.kind == .invalidTable)
        #expect(try MergeTest.factoryError(columns, options: ["ignore-delete": "yes"])?.kind == .invalidTable)
        #expect(try MergeTest.factoryError(columns, options: ["merge-engine": "PARTIAL-UPDATE"]) == nil)
    }
}
