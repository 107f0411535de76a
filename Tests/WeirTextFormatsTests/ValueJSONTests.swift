import Testing
import WeirColumnar
import WeirTextFormats

/// The value encoding matches make_fixtures.py (shared/fixtures/pypaimon) for every type it covers.
@Suite struct ValueJSONTests {
    @Test func encodesLikeTheFixtures() throws {
        let cases: [(Value, DataType, String)] = [
            (.null, .string, "null"),
            (.boolean(false), DataType(.boolean), "false"),
            (.integer(-49), DataType(.tinyint), "-49"),
            (.float(1.5), DataType(.float), "1.5"),
            (.float(0.1), DataType(.float), "0.10000000149011612"),
            (.double(.nan), DataType(.double), "\"NaN\""),
            (.decimal(unscaled: 301, scale: 2), DataType(.decimal(precision: 10, scale: 2)), "\"3.01\""),
            (.decimal(unscaled: -5, scale: 3), DataType(.decimal(precision: 10, scale: 3)), "\"-0.005\""),
            (.decimal(unscaled: 0, scale: 10), DataType(.decimal(precision: 20, scale: 10)), "\"0.0000000000\""),
            (.decimal(unscaled: 42, scale: 0), DataType(.decimal(precision: 5, scale: 0)), "\"42\""),
            (.string("na\"me\n"), .string, #""na\"me\n""#),
            (.bytes([1, 2, 255]), .bytes, "\"0102ff\""),
            (.date(days: 19_724), DataType(.date), "\"2024-01-02\""),
            (.date(days: -1), DataType(.date), "\"1969-12-31\""),
            (.time(millis: 45_296_789), DataType(.time(precision: 3)), "\"12:34:56.789\""),
            (.timestamp(1_704_110_401_001_001), DataType(.timestamp(precision: 6)), "\"2024-01-01T12:00:01.001001\""),
            (.timestamp(1_717_200_001_500), DataType(.timestamp(precision: 3)), "\"2024-06-01T00:00:01.500000\""),
            (.timestamp(-1), DataType(.timestamp(precision: 9)), "\"1969-12-31T23:59:59.999999999\""),
            (.list([.integer(1), .null]), DataType(.array(element: DataType(.int))), "[1,null]"),
            (.map([.init(key: .string("k"), value: .integer(2))]), DataType(.map(key: .string, value: DataType(.int))), "[[\"k\",2]]"),
            (.row([.integer(1), .string("x")]), DataType(.row(fields: [DataField(id: 0, name: "a", type: DataType(.int)), DataField(id: 1, name: "b", type: .string)])), "{\"a\":1,\"b\":\"x\"}"),
        ]
        for (value, type, expected) in cases {
            #expect(ValueJSON.encode(value, type: type) == expected, "\(value) as \(type)")
        }
    }

    @Test func civilDatesRoundTripOverCenturies() {
        for days in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let (y, m, d) = CivilTime.civil(days: days)
            #expect(CivilTime.days(year: y, month: m, day: d) == days)
        }
        #expect(CivilTime.date(days: 0) == "1970-01-01")
        #expect(CivilTime.date(days: 11_016) == "2000-02-29")
    }
}
