import Testing
import WeirColumnar
import WeirPaimon
@testable import WeirTable

@Suite struct ValueComparisonTests {
    func sign(_ a: Value, _ b: Value, _ type: DataType) -> Int { ValueComparison.compare(a, b, type: type).signum() }

    @Test func numbersCompareNumerically() {
        #expect(sign(int(-5), int(3), MergeTest.int) == -1)
        #expect(sign(int(Int64.max), int(Int64.min), MergeTest.bigint) == 1)
        #expect(sign(.date(days: 3), .date(days: 3), DataType(.date)) == 0)
        #expect(sign(.timestamp(10), .timestamp(-10), DataType(.timestamp(precision: 6))) == 1)
        #expect(sign(.time(millis: 1), .time(millis: 2), DataType(.time(precision: 0))) == -1)
    }

    @Test func floatsFollowJavaCompare() {
        #expect(sign(.double(-0.0), .double(0.0), MergeTest.double) == -1)
        #expect(sign(.double(.nan), .double(.infinity), MergeTest.double) == 1)
        #expect(sign(.double(.nan), .double(.nan), MergeTest.double) == 0)
        #expect(sign(.float(1.5), .float(2.5), DataType(.float)) == -1)
    }

    @Test func decimalsCompareByValueAcrossScales() {
        let type = DataType(.decimal(precision: 38, scale: 4))
        #expect(sign(dec(150, 2), dec(15, 1), type) == 0)
        #expect(sign(dec(-15, 1), dec(-7, 1), type) == -1)
        #expect(sign(dec(-10, 1), dec(-5, 1), type) == -1)
        #expect(sign(dec(1, 38), dec(0, 0), type) == 1)
        #expect(sign(dec(-123_456, 3), dec(-1_234_561, 4), type) == 1)
        #expect(sign(dec(Int128(Int64.max) * 1_000_000, 6), dec(Int128(Int64.max), 0), type) == 0)
    }

    @Test func stringsAndBytesCompareUnsignedThenByLength() {
        #expect(sign(str("a"), str("ab"), MergeTest.string) == -1)
        #expect(sign(str("é"), str("z"), MergeTest.string) == 1)
        #expect(sign(.bytes([0xFF]), .bytes([0x01, 0x00]), DataType.bytes) == 1)
        #expect(sign(.bytes([]), .bytes([]), DataType.bytes) == 0)
    }

    @Test func booleansAndNulls() {
        #expect(sign(.boolean(false), .boolean(true), MergeTest.boolean) == -1)
        #expect(sign(.null, .boolean(false), MergeTest.boolean) == -1)
        #expect(sign(.null, .null, MergeTest.boolean) == 0)
    }
}
