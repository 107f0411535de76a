import Testing
import WeirColumnar
import WeirPaimon
@testable import WeirTable

@Suite struct RowKindFilterTests {
    @Test func ignoreDeleteDropsBothRetracts() throws {
        let filter = try RowKindFilter(options: CoreOptions(["ignore-delete": "true"]))
        #expect(RowKind.allCases.filter(filter.keeps) == [.insert, .updateAfter])
    }

    @Test func ignoreUpdateBeforeDropsOnlyUpdateBefore() throws {
        let filter = try RowKindFilter(options: CoreOptions(["ignore-update-before": "true"]))
        #expect(RowKind.allCases.filter(filter.keeps) == [.insert, .updateAfter, .delete])
    }

    @Test func defaultKeepsEverythingAndBadValuesFail() throws {
        #expect(RowKind.allCases.filter(try RowKindFilter(options: CoreOptions([:])).keeps) == RowKind.allCases)
        #expect(RowKind.allCases.filter(try RowKindFilter(options: CoreOptions(["partial-update.ignore-delete": "TRUE"])).keeps) == [.insert, .updateAfter])
        #expect(throws: TableError.self) { try RowKindFilter(options: CoreOptions(["ignore-update-before": "1"])) }
    }
}
