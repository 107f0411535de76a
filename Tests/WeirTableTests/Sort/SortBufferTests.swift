import Foundation
import Testing
import WeirCodecs
import WeirColumnar
import WeirFileIO
import WeirPaimon
import WeirTestSupport
@testable import WeirTable

@Suite struct SortBufferTests {
    static let fields = [
        DataField(id: 0, name: "k", type: DataType(.int, nullable: false)),
        DataField(id: 1, name: "s", type: DataType.string.nullable(false)),
        DataField(id: 2, name: "v", type: DataType(.double)),
        DataField(id: 3, name: "d", type: DataType(.decimal(precision: 25, scale: 3))),
        DataField(id: 4, name: "ts", type: DataType(.timestamp(precision: 9))),
        DataField(id: 5, name: "t", type: DataType(.time(precision: 6))),
        DataField(id: 6, name: "c", type: DataType(.char(length: 4))),
        DataField(id: 7, name: "arr", type: DataType(.array(element: DataType(.int)))),
        DataField(id: 8, name: "m", type: DataType(.map(key: DataType.string.nullable(false), value: DataType(.bigint)))),
        DataField(id: 9, name: "r", type: DataType(.row(fields: [DataField(id: 10, name: "x", type: DataType(.int)),
                                                                  DataField(id: 11, name: "y", type: .bytes)]))),
        DataField(id: 12, name: "ms", type: DataType(.multiset(element: DataType.string.nullable(false)))),
        DataField(id: 13, name: "seqf", type: DataType(.bigint)),
    ]

    struct Row {
        var values: [Value]
        var sequence: Int64
        var kind: RowKind
    }

    func randomBatch(_ g: inout SplitMix64, rows: Int, firstSequence: Int64) -> (KeyValueBatch, [Row]) {
        var out: [Row] = []
        for i in 0..<rows {
            var values = Self.fields.map { randomValue($0.type, &g) }
            values[0] = .integer(Int64.random(in: 0...50, using: &g))
            values[1] = .string(["", "a", "b\u{0}c", "zz"].randomElement(using: &g)!)
            if case .list(let items) = values[10] {
                // Multisets round-trip as counts: keep distinct elements in first-seen order.
                var seen = Set<Value>()
                values[10] = .list(items.filter { seen.insert($0).inserted })
            }
            out.append(Row(values: values, sequence: firstSequence + Int64(i), kind: RowKind.allCases.randomElement(using: &g)!))
        }
        let kv = KeyValueBatch(sequenceNumbers: out.map(\.sequence), rowKinds: out.map(\.kind), values: batch(Self.fields, out.map(\.values)))
        return (kv, out)
    }

    func drain(_ buffer: SortBuffer) async throws -> [Row] {
        let merge = KWayMerge(runs: try await buffer.sortedRuns(), blockRecords: 100)
        var out: [Row] = []
        while let block = try await merge.nextBlock() {
            let gathered = block.gather()
            for (i, values) in rowsOf(gathered.values).enumerated() {
                out.append(Row(values: values, sequence: gathered.sequenceNumbers[i], kind: gathered.rowKinds[i]))
            }
        }
        return out
    }

    func naive(_ rows: [Row], orderColumn: Int?, descending: Bool = false) -> [Row] {
        rows.sorted { a, b in
            let c = referenceCompare([a.values[0], a.values[1]], [b.values[0], b.values[1]])
            if c != 0 { return c < 0 }
            if let orderColumn {
                let o = referenceCompare([a.values[orderColumn]], [b.values[orderColumn]], descending: descending)
                if o != 0 { return o < 0 }
            }
            return a.sequence < b.sequence
        }
    }

    func expectSame(_ actual: [Row], _ expected: [Row], seed: UInt64) {
        #expect(actual.count == expected.count)
        #expect(actual.map(\.sequence) == expected.map(\.sequence), "seed \(seed)")
        #expect(actual.map(\.kind) == expected.map(\.kind), "seed \(seed)")
        #expect(sameRows(actual.map(\.values), expected.map(\.values)), "seed \(seed)")
    }

    @Test(arguments: [false, true]) func spillsAndMergesLikeANaiveSort(withOrder: Bool) async throws {
        let seed = testSeed()
        var g = SplitMix64(seed: seed)
        let scratch = try Scratch("sortbuffer")
        defer { scratch.remove() }
        let directory = try StoragePath(parsingLocalOrURI: scratch.path + "/spill", currentDirectory: "/")
        let buffer = try SortBuffer(valueType: RowType(Self.fields), keyColumns: [0, 1], orderColumns: withOrder ? [11] : [],
                                    orderDescending: withOrder, memoryLimit: 24 << 10, scratchDirectory: directory, chunkRows: 37)
        var all: [Row] = []
        var sequence: Int64 = 0
        for _ in 0..<12 {
            let (kv, rows) = randomBatch(&g, rows: Int.random(in: 1...90, using: &g), firstSequence: sequence)
            sequence += Int64(rows.count)
            all += rows
            #expect(try await buffer.append(kv))
        }
        #expect(buffer.spillCount > 0, "a 24 KiB buffer spills")
        #expect(buffer.rowCount == all.count)
        #expect(FileManager.default.fileExists(atPath: directory.localPath))
        expectSame(try await drain(buffer), naive(all, orderColumn: withOrder ? 11 : nil, descending: withOrder), seed: seed)
        await buffer.clear()
        #expect(buffer.isEmpty)
        // Usable again after a clear.
        let (kv, rows) = randomBatch(&g, rows: 20, firstSequence: sequence)
        try await buffer.append(kv)
        expectSame(try await drain(buffer), naive(rows, orderColumn: withOrder ? 11 : nil, descending: withOrder), seed: seed)
        await buffer.close()
        #expect(!FileManager.default.fileExists(atPath: directory.localPath), "scratch files removed")
    }

    @Test func inMemoryOnlyWhenItFits() async throws {
        var g = SplitMix64(seed: 7)
        let buffer = try SortBuffer(valueType: RowType(Self.fields), keyColumns: [0, 1], memoryLimit: 64 << 20)
        let (kv, rows) = randomBatch(&g, rows: 300, firstSequence: 0)
        try await buffer.append(kv)
        #expect(buffer.spillCount == 0)
        expectSame(try await drain(buffer), naive(rows, orderColumn: nil), seed: 7)
        await buffer.close()
    }

    @Test func notSpillableReportsFull() async throws {
        var g = SplitMix64(seed: 3)
        let buffer = try SortBuffer(valueType: RowType(Self.fields), keyColumns: [0, 1], memoryLimit: 16 << 10, spillable: false)
        var taken = 0
        var refused = false
        var sequence: Int64 = 0
        for _ in 0..<20 {
            let (kv, rows) = randomBatch(&g, rows: 40, firstSequence: sequence)
            sequence += 40
            if try await buffer.append(kv) { taken += rows.count } else { refused = true; break }
        }
        #expect(refused)
        #expect(buffer.spillCount == 0)
        #expect(buffer.rowCount == taken)
        #expect(buffer.memoryBytes <= 16 << 10 || taken == 40)
        await buffer.close()
    }

    @Test func tableOptionsConfigureTheBuffer() throws {
        let schema = try TableSchema(id: 0, fields: Self.fields, highestFieldId: 13, partitionKeys: [], primaryKeys: ["k", "s"],
                                     options: ["write-buffer-size": "1 mb", "write-buffer-spillable": "false",
                                               "sequence.field": "seqf", "sequence.field.sort-order": "descending"],
                                     timeMillis: 0)
        let buffer = try SortBuffer(schema: schema)
        #expect(buffer.memoryLimit == 1 << 20)
        #expect(!buffer.spillable)
        #expect(buffer.keyColumns == [0, 1])
        #expect(buffer.orderColumns == [11])
        #expect(buffer.orderEncoder?.descending == true)
    }
}

@Suite struct BatchGatherTests {
    @Test func gatherTakesRowsOfEveryTypeFromSeveralSources() throws {
        let seed = testSeed()
        var g = SplitMix64(seed: seed)
        let fields = SortBufferTests.fields + [
            DataField(id: 20, name: "b", type: DataType(.boolean)),
            DataField(id: 21, name: "i8", type: DataType(.tinyint)),
            DataField(id: 22, name: "f", type: DataType(.float, nullable: false)),
            DataField(id: 23, name: "dec", type: DataType(.decimal(precision: 9, scale: 2))),
            DataField(id: 24, name: "nested", type: DataType(.array(element: DataType(.map(key: DataType(.int, nullable: false),
                                                                                        value: DataType(.array(element: .string))))))),
        ]
        let sources = (0..<4).map { _ in (0..<Int.random(in: 1...30, using: &g)).map { _ in fields.map { randomValue($0.type, &g) } } }
        let batches = sources.map { rows in
            KeyValueBatch(sequenceNumbers: rows.indices.map { Int64($0) }, rowKinds: rows.map { _ in .insert }, values: batch(fields, rows))
        }
        var pickSources: [Int32] = []
        var pickRows: [Int32] = []
        for _ in 0..<100 {
            let s = Int.random(in: 0..<sources.count, using: &g)
            pickSources.append(Int32(s))
            pickRows.append(Int32(Int.random(in: 0..<sources[s].count, using: &g)))
        }
        let gathered = BatchGather.gather(batches, sources: pickSources, rows: pickRows)
        try gathered.values.validate()
        let expected = zip(pickSources, pickRows).map { sources[Int($0)][Int($1)] }
        #expect(sameRows(rowsOf(gathered.values), expected), "seed \(seed)")
        #expect(gathered.sequenceNumbers == pickRows.map { Int64($0) })
        let sliced = BatchGather.slice(batches[0], 1..<batches[0].rowCount)
        try sliced.values.validate()
        #expect(sameRows(rowsOf(sliced.values), Array(sources[0].dropFirst())))
        #expect(BatchGather.gather(batches, sources: [], rows: []).rowCount == 0)
    }
}
