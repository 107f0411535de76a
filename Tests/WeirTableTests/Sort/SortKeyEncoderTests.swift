import Testing
import WeirCodecs
import WeirColumnar
import WeirPaimon
@testable import WeirTable

@Suite struct SortKeyEncoderTests {
    static let keyTypes: [DataType] = [
        DataType(.boolean), DataType(.tinyint), DataType(.smallint), DataType(.int), DataType(.bigint),
        DataType(.float), DataType(.double), DataType(.decimal(precision: 10, scale: 2)),
        DataType(.decimal(precision: 30, scale: 5)), DataType(.date), DataType(.time(precision: 3)),
        DataType(.timestamp(precision: 3)), DataType(.timestamp(precision: 9)), DataType(.timestampLTZ(precision: 6)),
        .string, DataType(.char(length: 20)), .bytes, DataType(.binary(length: 16)),
        DataType(.int, nullable: false), .string.nullable(false), DataType(.double, nullable: false),
    ]

    /// Encodes `rows` (one value per type) and checks memcmp order against the typed comparison for every pair.
    func check(types: [DataType], rows: [[Value]], descending: Bool = false, seed: UInt64) throws {
        let encoder = try SortKeyEncoder(types: types, descending: descending)
        let columns = types.indices.map { c in column(types[c], rows.map { $0[c] }) }
        var keys = ByteStrings()
        encoder.encode(columns: columns, into: &keys)
        #expect(keys.count == rows.count)
        let encoded = (0..<rows.count).map { Array(keys[$0]) }
        var failures = 0
        for i in rows.indices {
            for j in rows.indices {
                let expected = referenceCompare(rows[i], rows[j], descending: descending)
                let actual = memcmpOrder(encoded[i], encoded[j])
                if expected != actual, failures < 5 {
                    failures += 1
                    Issue.record("seed \(seed): \(types) \(rows[i]) vs \(rows[j]): expected \(expected), memcmp \(actual)")
                }
            }
        }
    }

    @Test func everyKeyTypeOrdersAsJavaCompares() throws {
        let seed = testSeed()
        var g = SplitMix64(seed: seed)
        for type in Self.keyTypes {
            let rows = (0..<120).map { _ in [randomValue(type, &g)] }
            try check(types: [type], rows: rows, seed: seed)
            try check(types: [type], rows: rows, descending: true, seed: seed)
        }
    }

    @Test func compositeKeysOrderFieldByField() throws {
        let seed = testSeed()
        var g = SplitMix64(seed: seed)
        for _ in 0..<12 {
            let types = (0..<Int.random(in: 2...4, using: &g)).map { _ in Self.keyTypes.randomElement(using: &g)! }
            let rows = (0..<80).map { _ in types.map { randomValue($0, &g) } }
            try check(types: types, rows: rows, seed: seed)
        }
    }

    @Test func prefixesAndZeroBytesOrderBeforeExtensions() throws {
        let rows: [[Value]] = [[.bytes([])], [.bytes([0])], [.bytes([0, 0])], [.bytes([0, 1])], [.bytes([1])], [.bytes([0xFF])],
                               [.bytes([0xFF, 0])], [.null]]
        try check(types: [.bytes], rows: rows, seed: 0)
        let encoder = try SortKeyEncoder(types: [.string, .string])
        // ("a", "b") must sort before ("a\0", "") and ("ab", ""): no key is a prefix of another.
        let k1 = try encoder.key(of: [.string("a"), .string("b")])
        let k2 = try encoder.key(of: [.string("a\u{0}"), .string("")])
        let k3 = try encoder.key(of: [.string("ab"), .string("")])
        #expect(memcmpOrder(k1, k2) < 0 && memcmpOrder(k2, k3) < 0)
    }

    @Test func floatSpecialsFollowJavaCompare() throws {
        let values: [Float] = [-.infinity, -1, -.leastNonzeroMagnitude, -0.0, 0.0, .leastNonzeroMagnitude, 1, .infinity, .nan]
        let encoder = try SortKeyEncoder(types: [DataType(.float, nullable: false)])
        let keys = try values.map { try encoder.key(of: [.float($0)]) }
        for i in 1..<keys.count { #expect(memcmpOrder(keys[i - 1], keys[i]) < 0, "\(values[i - 1]) < \(values[i])") }
        // Every NaN is the same key.
        #expect(try encoder.key(of: [.float(-Float.nan)]) == encoder.key(of: [.float(.nan)]))
        #expect(try encoder.key(of: [.float(Float(bitPattern: 0x7F80_0001))]) == encoder.key(of: [.float(.nan)]))
    }

    @Test func nestedTypesAreRefused() {
        #expect(throws: TableError.self) { try SortKeyEncoder(types: [DataType(.array(element: DataType(.int)))]) }
    }

    @Test func descendingKeepsNullsFirst() throws {
        let encoder = try SortKeyEncoder(types: [DataType(.int)], descending: true)
        let null = try encoder.key(of: [.null])
        let one = try encoder.key(of: [.integer(1)])
        let two = try encoder.key(of: [.integer(2)])
        #expect(memcmpOrder(null, two) < 0 && memcmpOrder(two, one) < 0)
    }

    @Test func encodesRowRanges() throws {
        let encoder = try SortKeyEncoder(types: [DataType(.bigint, nullable: false)])
        let c = column(DataType(.bigint, nullable: false), (0..<10).map { .integer($0) })
        var keys = ByteStrings()
        encoder.encode(columns: [c], rows: 3..<6, into: &keys)
        encoder.encode(columns: [c], rows: 8..<10, into: &keys)
        #expect(keys.count == 5)
        #expect(Array(keys[0]) == (try encoder.key(of: [.integer(3)])))
        #expect(Array(keys[4]) == (try encoder.key(of: [.integer(9)])))
    }
}
