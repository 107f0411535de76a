import Testing
import WeirCodecs
import WeirColumnar
import WeirPaimon
import WeirTestSupport
@testable import WeirTable

@Suite struct ColumnarBucketHasherTests {
    /// The value-by-value reference: the bucket-key BinaryRow from ``BinaryRowWriter`` and Paimon's default bucket
    /// function.
    func reference(_ rows: [[Value]], types: [DataType], numBuckets: Int32) throws -> [Int32] {
        try rows.map { try DefaultBucketFunction().bucket(try BinaryRowWriter.write($0, types: types), numBuckets: numBuckets) }
    }

    @Test func specVectors() throws {
        // spec/paimon-format.md section 6.2: bucket for N = 2 and N = 10.
        let cases: [([DataType], [Value], Int32, Int32)] = [
            ([DataType(.bigint)], [.integer(1)], 0, 8),
            ([DataType(.int)], [.integer(1)], 0, 8),
            ([DataType(.bigint)], [.integer(3)], 1, 5),
            ([.string], [.string("abc")], 1, 9),
            ([.string], [.string("abcdefghij")], 0, 8),
            ([DataType(.int), .string], [.integer(1), .string("a")], 0, 2),
        ]
        for (types, values, two, ten) in cases {
            let columns = zip(types, values).map { column($0, [$1]) }
            let hasher = try #require(ColumnarBucketHasher(columns: columns))
            #expect(hasher.buckets(numBuckets: 2) == [two], "\(values)")
            #expect(hasher.buckets(numBuckets: 10) == [ten], "\(values)")
        }
    }

    @Test(arguments: [
        [DataType(.bigint, nullable: false)],
        [DataType(.int)],
        [DataType.string],
        [DataType(.char(length: 9))],
        [DataType(.varbinary(length: 20))],
        [DataType(.binary(length: 12))],
        [DataType(.boolean), DataType(.tinyint), DataType(.smallint)],
        [DataType(.float), DataType(.double)],
        [DataType(.decimal(precision: 10, scale: 2)), DataType(.decimal(precision: 18, scale: 0))],
        [DataType(.date), DataType(.time(precision: 3)), DataType(.timestamp(precision: 3)), DataType(.timestampLTZ(precision: 0))],
        [DataType(.int), DataType.string, DataType(.bigint), DataType.bytes, DataType(.double)],
    ])
    func matchesBinaryRowWriter(types: [DataType]) throws {
        var g = SplitMix64(seed: 20261121)
        let rows = (0..<600).map { _ in types.map { randomValue($0, &g) } }
        let columns = types.indices.map { c in column(types[c], rows.map { $0[c] }) }
        let hasher = try #require(ColumnarBucketHasher(columns: columns))
        for numBuckets: Int32 in [1, 2, 4, 7, 128, 1000] {
            #expect(hasher.buckets(numBuckets: numBuckets) == (try reference(rows, types: types, numBuckets: numBuckets)))
        }
    }

    @Test func declinesTypesWithAVariablePartOfTheirOwn() {
        for type in [DataType(.decimal(precision: 20, scale: 2)), DataType(.timestamp(precision: 6)),
                     DataType(.array(element: DataType(.int)))] {
            #expect(ColumnarBucketHasher(columns: [ColumnBuilder(type: type).finish()]) == nil, "\(type)")
        }
    }
}
