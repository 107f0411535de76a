import Testing
import WeirCodecs
import WeirColumnar
import WeirPaimon
import WeirTestSupport
@testable import WeirTable

/// The in-memory order of ``SortBuffer`` on both of its paths (the radix sort of short fixed-width keys and the
/// comparison sort), and rows taken by position without a copy.
@Suite struct SortBufferOrderTests {
    struct Record {
        var key: [Value]
        var sequence: Int64
        var kind: RowKind
        var index: Int
    }

    /// (key, sequence, retract before add, position): the merge order.
    func reference(_ records: [Record]) -> [Int] {
        records.sorted { a, b in
            let c = referenceCompare(a.key, b.key)
            if c != 0 { return c < 0 }
            if a.sequence != b.sequence { return a.sequence < b.sequence }
            if a.kind.isRetract != b.kind.isRetract { return a.kind.isRetract }
            return a.index < b.index
        }.map(\.index)
    }

    @Test(arguments: [
        ([DataType(.bigint, nullable: false)], true),     // 8-byte keys: radix
        ([DataType(.int)], true),                         // 5 bytes with the null marker: radix
        ([DataType(.tinyint, nullable: false), DataType(.smallint)], true),
        ([DataType(.bigint)], false),                     // 9 bytes: comparison sort
        ([DataType(.int), DataType.string], false),
    ] as [([DataType], Bool)])
    func ordersLikeTheReference(keyTypes: [DataType], ascending: Bool) async throws {
        for seed: UInt64 in [1, 2, 3] {
            var g = SplitMix64(seed: seed)
            let fields = keyTypes.enumerated().map { DataField(id: $0.offset, name: "k\($0.offset)", type: $0.element) }
                + [DataField(id: keyTypes.count, name: "v", type: DataType(.int))]
            let buffer = try SortBuffer(valueType: RowType(fields), keyColumns: Array(keyTypes.indices), memoryLimit: 64 << 20)
            var records: [Record] = []
            var sequence: Int64 = 100
            for _ in 0..<3 {
                let count = Int.random(in: 1...400, using: &g)
                let rows = (0..<count).map { _ in fields.map { randomValue($0.type, &g) } }
                var sequences: [Int64] = []
                var kinds: [RowKind] = []
                for row in rows {
                    // Rising sequence numbers (as a writer assigns them), or some repeats and falls.
                    sequence += ascending ? 1 : Int64.random(in: -2...2, using: &g)
                    let kind = [RowKind.insert, .updateBefore, .updateAfter, .delete].randomElement(using: &g)!
                    sequences.append(sequence)
                    kinds.append(kind)
                    records.append(Record(key: Array(row[..<keyTypes.count]), sequence: sequence, kind: kind, index: records.count))
                }
                try await buffer.append(KeyValueBatch(sequenceNumbers: sequences, rowKinds: kinds, values: batch(fields, rows)))
            }
            #expect(buffer.sortedOrder().map { Int($0) } == reference(records), "seed \(seed)")
            await buffer.close()
        }
    }

    @Test func takesRowsByPosition() async throws {
        let fields = [DataField(id: 0, name: "k", type: DataType(.bigint, nullable: false)), DataField(id: 1, name: "s", type: .string)]
        let rows: [[Value]] = (0..<10).map { [.integer(Int64(9 - $0)), .string("row \($0)")] }
        let buffer = try SortBuffer(valueType: RowType(fields), keyColumns: [0], memoryLimit: 64 << 20)
        let picked: [Int32] = [7, 2, 5]
        try await buffer.append(values: batch(fields, rows), rows: picked, sequenceNumbers: [1, 2, 3], rowKinds: [.insert, .delete, .insert])
        let order = buffer.sortedOrder()
        let sorted = buffer.gather(order)
        #expect(rowsOf(sorted.values) == [rows[7], rows[5], rows[2]])
        #expect(sorted.sequenceNumbers == [1, 3, 2])
        #expect(sorted.rowKinds == [.insert, .insert, .delete])
        await buffer.close()
    }
}
