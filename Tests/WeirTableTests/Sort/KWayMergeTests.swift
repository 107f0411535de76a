import Testing
import WeirCodecs
import WeirColumnar
import WeirPaimon
@testable import WeirTable

/// One record of a test run.
struct TestRecord: Equatable {
    var id: Int64
    var key: [Value]
    var order: Value
    var sequence: Int64
    var kind: RowKind
    var run: Int
}

let mergeFields = [
    DataField(id: 0, name: "k1", type: DataType(.int, nullable: false)),
    DataField(id: 1, name: "k2", type: DataType.string.nullable(false)),
    DataField(id: 2, name: "ord", type: DataType(.bigint)),
    DataField(id: 3, name: "id", type: DataType(.bigint, nullable: false)),
    DataField(id: 4, name: "payload", type: DataType(.array(element: DataType.string))),
]

func recordOrder(_ a: TestRecord, _ b: TestRecord, withOrder: Bool) -> Bool {
    let c = referenceCompare(a.key, b.key)
    if c != 0 { return c < 0 }
    if withOrder {
        let o = referenceCompare(a.order, b.order)
        if o != 0 { return o < 0 }
    }
    if a.sequence != b.sequence { return a.sequence < b.sequence }
    if a.kind.isRetract != b.kind.isRetract { return a.kind.isRetract }
    return a.run < b.run
}

func randomRecords(_ g: inout SplitMix64, count: Int, run: Int, nextId: inout Int64) -> [TestRecord] {
    (0..<count).map { _ in
        defer { nextId += 1 }
        let key: [Value] = [.integer(Int64.random(in: 0...6, using: &g)), .string(["", "a", "a\u{0}", "b"].randomElement(using: &g)!)]
        let order: Value = Int.random(in: 0..<5, using: &g) == 0 ? .null : .integer(Int64.random(in: 0...3, using: &g))
        return TestRecord(id: nextId, key: key, order: order, sequence: Int64.random(in: 0...20, using: &g),
                          kind: RowKind.allCases.randomElement(using: &g)!, run: run)
    }
}

func keyValueBatch(_ records: [TestRecord]) -> KeyValueBatch {
    let rows: [[Value]] = records.map { r in [r.key[0], r.key[1], r.order, .integer(r.id), .list([.string("p\(r.id)")])] }
    return KeyValueBatch(sequenceNumbers: records.map(\.sequence), rowKinds: records.map(\.kind), values: batch(mergeFields, rows))
}

/// Splits a sorted run into chunks of random sizes.
func chunked(_ records: [TestRecord], _ g: inout SplitMix64, encoder: SortKeyEncoder, orderEncoder: SortKeyEncoder?) -> [SortedChunk] {
    var chunks: [SortedChunk] = []
    var start = 0
    while start < records.count {
        let end = min(records.count, start + Int.random(in: 0...9, using: &g))
        chunks.append(SortedChunk.encode(keyValueBatch(Array(records[start..<end])), keyEncoder: encoder, keyColumns: [0, 1],
                                         orderEncoder: orderEncoder, orderColumns: [2]))
        start = end
    }
    return chunks
}

/// Merges with `KWayMerge` and returns the records (by id) and the group boundaries.
func merged(_ runs: [SortedRun], blockRecords: Int) async throws -> (ids: [Int64], groups: [[Int64]], blocks: Int) {
    let merge = KWayMerge(runs: runs, blockRecords: blockRecords)
    var ids: [Int64] = []
    var groups: [[Int64]] = []
    var blocks = 0
    while let block = try await merge.nextBlock() {
        blocks += 1
        let gathered = block.gather()
        guard case .int64(let blockIds) = gathered.values.columns[3].values else { throw TableError(.corrupt, "", "ids") }
        ids += blockIds
        for g in 0..<block.groupCount { groups.append(Array(blockIds[block.group(g)])) }
        // Positions agree with the gathered batch.
        for i in 0..<block.recordCount {
            #expect(block.sequenceNumber(ofRecord: i) == gathered.sequenceNumbers[i])
            #expect(block.rowKind(ofRecord: i) == gathered.rowKinds[i])
        }
    }
    return (ids, groups, blocks)
}

@Suite struct KWayMergeTests {
    @Test(arguments: [false, true]) func randomRunsMergeAsANaiveSort(withOrder: Bool) async throws {
        let seed = testSeed()
        var g = SplitMix64(seed: seed)
        let encoder = try SortKeyEncoder(types: [mergeFields[0].type, mergeFields[1].type])
        let orderEncoder = withOrder ? try SortKeyEncoder(types: [mergeFields[2].type]) : nil
        for round in 0..<25 {
            var nextId: Int64 = 0
            let k = Int.random(in: 0...7, using: &g)
            var all: [TestRecord] = []
            var runs: [SortedRun] = []
            for r in 0..<k {
                var records = randomRecords(&g, count: Int.random(in: 0...40, using: &g), run: r, nextId: &nextId)
                records.sort { recordOrder($0, $1, withOrder: withOrder) }
                all += records
                runs.append(.chunks(chunked(records, &g, encoder: encoder, orderEncoder: orderEncoder)))
            }
            let expected = all.enumerated().sorted { x, y in
                recordOrder(x.element, y.element, withOrder: withOrder) || (!recordOrder(y.element, x.element, withOrder: withOrder) && x.offset < y.offset)
            }.map(\.element)
            let blockRecords = [1, 3, 7, 4096].randomElement(using: &g)!
            let result = try await merged(runs, blockRecords: blockRecords)
            #expect(result.ids == expected.map(\.id), "seed \(seed) round \(round)")
            // Groups: maximal runs of equal keys, never split across blocks.
            var expectedGroups: [[Int64]] = []
            for record in expected {
                if let last = expectedGroups.last, let lastRecord = all.first(where: { $0.id == last[0] }),
                   referenceCompare(lastRecord.key, record.key) == 0 {
                    expectedGroups[expectedGroups.count - 1].append(record.id)
                } else {
                    expectedGroups.append([record.id])
                }
            }
            #expect(result.groups == expectedGroups, "seed \(seed) round \(round)")
        }
    }

    @Test func tiesGoBySequenceThenRetractBeforeAdd() async throws {
        let encoder = try SortKeyEncoder(types: [mergeFields[0].type, mergeFields[1].type])
        let key: [Value] = [.integer(1), .string("x")]
        let a = [TestRecord(id: 1, key: key, order: .null, sequence: 5, kind: .insert, run: 0)]
        let b = [TestRecord(id: 2, key: key, order: .null, sequence: 5, kind: .delete, run: 1),
                 TestRecord(id: 3, key: key, order: .null, sequence: 7, kind: .updateAfter, run: 1)]
        let c = [TestRecord(id: 4, key: key, order: .null, sequence: 4, kind: .insert, run: 2)]
        var g = SplitMix64(seed: 1)
        let runs = [a, b, c].map { SortedRun.chunks(chunked($0, &g, encoder: encoder, orderEncoder: nil)) }
        let result = try await merged(runs, blockRecords: 1)
        #expect(result.ids == [4, 2, 1, 3])
        #expect(result.groups == [[4, 2, 1, 3]])
    }

    @Test func noRunsAndEmptyRunsEndAtOnce() async throws {
        #expect(try await KWayMerge(runs: []).nextBlock() == nil)
        let empty = SortedRun.chunks([])
        #expect(try await KWayMerge(runs: [empty, SortedRun.chunks([])]).nextBlock() == nil)
    }

    @Test func errorsOfARunReachTheCaller() async throws {
        let failing = SortedRun { () throws(TableError) -> SortedChunk? in throw TableError(.corrupt, "data-x.parquet", "truncated") }
        await #expect(throws: TableError.self) { _ = try await KWayMerge(runs: [failing]).nextBlock() }
    }
}
