import Testing
import WeirColumnar
import WeirPaimon
@testable import WeirTable

@Suite struct IntervalPartitionTests {
    func file(_ name: String, _ lo: Int64, _ hi: Int64) throws -> DataFileMeta {
        let types = [DataType(.bigint, nullable: false)]
        return DataFileMeta(
            fileName: name, fileSize: 1, rowCount: 1,
            minKey: try BinaryRow(values: [.integer(lo)], types: types), maxKey: try BinaryRow(values: [.integer(hi)], types: types),
            keyStats: .emptyStats, valueStats: .emptyStats, minSequenceNumber: 0, maxSequenceNumber: 0, schemaId: 0, level: 0,
            extraFiles: [], creationTime: 0, deleteRowCount: 0, embeddedIndex: nil, fileSource: .append, valueStatsCols: [],
            externalPath: nil, firstRowId: nil, writeCols: nil)
    }

    @Test func sectionsAndRunsFollowKeyRanges() throws {
        // [1,5] [3,8] overlap → one section with two runs; [6,7] fits after [1,5] in run 0; [10,12] is a new section.
        let files = [try file("c", 10, 12), try file("a", 1, 5), try file("b", 3, 8), try file("d", 6, 7)]
        let sections = try IntervalPartition(keyTypes: [DataType(.bigint, nullable: false)]).partition(files)
        #expect(sections.map { $0.runs.map { $0.map(\.fileName) } } == [[["a", "d"], ["b"]], [["c"]]])
    }

    @Test func negativeKeysOrderNumerically() throws {
        let files = [try file("pos", 1, 2), try file("neg", -5, -1)]
        let sections = try IntervalPartition(keyTypes: [DataType(.bigint, nullable: false)]).partition(files)
        #expect(sections.map { $0.runs.flatMap { $0.map(\.fileName) } } == [["neg"], ["pos"]])
    }
}
