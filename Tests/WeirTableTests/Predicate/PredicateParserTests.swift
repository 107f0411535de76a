import Testing
import WeirColumnar
@testable import WeirTable

@Suite struct PredicateParserTests {
    let fields = [
        DataField(id: 0, name: "id", type: DataType(.bigint, nullable: false)),
        DataField(id: 1, name: "dt", type: .string),
        DataField(id: 2, name: "price", type: DataType(.decimal(precision: 10, scale: 2))),
        DataField(id: 3, name: "day", type: DataType(.date)),
        DataField(id: 4, name: "ok", type: DataType(.boolean)),
        DataField(id: 5, name: "weird name", type: .string),
    ]

    func parse(_ text: String) throws(TableError) -> Predicate { try PredicateParser(fields: fields).parse(text) }

    @Test func comparisonsAndLogic() throws {
        #expect(try parse("id = 5") == .compare(field: 0, .equal, .integer(5)))
        #expect(try parse("id <> 5") == .compare(field: 0, .notEqual, .integer(5)))
        #expect(try parse("dt = '2024-01-01' AND price >= 12.30")
                == .and([.compare(field: 1, .equal, .string("2024-01-01")), .compare(field: 2, .greaterOrEqual, .decimal(unscaled: 1230, scale: 2))]))
        #expect(try parse("id < 3 OR NOT (ok = true)") == .or([.compare(field: 0, .less, .integer(3)), .not(.compare(field: 4, .equal, .boolean(true)))]))
        #expect(try parse("day = '2024-01-02'") == .compare(field: 3, .equal, .date(days: 19724)))
        #expect(try parse("dt IS NOT NULL and price is null") == .and([.isNotNull(field: 1), .isNull(field: 2)]))
        #expect(try parse("id IN (1, 2, -3)") == .isIn(field: 0, [.integer(1), .integer(2), .integer(-3)]))
        #expect(try parse("id NOT IN (1)") == .not(.isIn(field: 0, [.integer(1)])))
        #expect(try parse("id BETWEEN 1 AND 9") == .and([.compare(field: 0, .greaterOrEqual, .integer(1)), .compare(field: 0, .lessOrEqual, .integer(9))]))
        #expect(try parse("\"weird name\" = 'it''s'") == .compare(field: 5, .equal, .string("it's")))
    }

    @Test func badExpressionsNameWhereAndWhat() {
        func message(_ text: String) -> String {
            do { _ = try parse(text); return "parsed" } catch { return error.description }
        }
        #expect(message("nope = 1").contains("no column named \"nope\""))
        #expect(message("price = 'abc'").contains("column price: \"abc\" is not a DECIMAL(10, 2)"))
        #expect(message("id = NULL").contains("use IS NULL"))
        #expect(message("id = 1 AND").contains("expected a column name at the end"))
        #expect(message("id = 'x").contains("unterminated"))
        #expect(message("(id = 1").contains("expected )"))
        #expect(message("id ~ 1").contains("at offset 3"))
        #expect(message(String(repeating: "(", count: 100) + "id = 1" + String(repeating: ")", count: 100)).contains("nested deeper than 64"))
        #expect(message(String(repeating: " ", count: PredicateParser.expressionBytesMax + 1)).contains("longer than"))
    }
}

@Suite struct PredicateEvaluationTests {
    let types = [DataType(.bigint), DataType.string]

    func test(_ p: Predicate, _ row: [Value]) -> Bool { p.test(types: types) { row[$0] } }

    @Test func threeValuedLogic() {
        let isOne = Predicate.compare(field: 0, .equal, .integer(1))
        #expect(test(isOne, [.integer(1), .null]))
        #expect(!test(isOne, [.null, .null]))
        #expect(!test(.not(isOne), [.null, .null]), "NOT unknown is unknown, so the row is filtered")
        #expect(test(.or([isOne, .isNull(field: 1)]), [.null, .null]))
        #expect(!test(.and([.isNull(field: 1), isOne]), [.null, .null]))
        #expect(test(.isIn(field: 1, [.string("a"), .string("b")]), [.integer(0), .string("b")]))
    }

    @Test func statisticsRefuteOnlyWhatCannotMatch() {
        let mins: [Value?] = [.integer(10), .string("b")]
        let maxs: [Value?] = [.integer(20), .string("d")]
        func may(_ p: Predicate, nulls: [Int64?] = [0, 0], rows: Int64 = 5) -> Bool {
            p.mayMatch(types: types, rowCount: rows, min: { mins[$0] }, max: { maxs[$0] }, nullCount: { nulls[$0] })
        }
        #expect(may(.compare(field: 0, .equal, .integer(10))))
        #expect(!may(.compare(field: 0, .equal, .integer(21))))
        #expect(!may(.compare(field: 0, .less, .integer(10))))
        #expect(may(.compare(field: 0, .lessOrEqual, .integer(10))))
        #expect(!may(.compare(field: 0, .greater, .integer(20))))
        #expect(may(.compare(field: 1, .greaterOrEqual, .string("d"))))
        #expect(!may(.compare(field: 1, .greater, .string("d"))))
        #expect(!may(.isNull(field: 0)))
        #expect(may(.isNull(field: 0), nulls: [nil, 0]), "unknown null count may match")
        #expect(!may(.isNotNull(field: 0), nulls: [5, 0]))
        #expect(!may(.compare(field: 0, .equal, .integer(15)), nulls: [5, 0]), "an all-NULL column matches no comparison")
        #expect(!may(.isIn(field: 0, [.integer(1), .integer(30)])))
        #expect(may(.or([.compare(field: 0, .equal, .integer(1)), .compare(field: 1, .equal, .string("c"))])))
        #expect(may(.compare(field: 0, .equal, .integer(99)), nulls: [0, 0], rows: 5) == false)
    }

    @Test func restrictingToPartitionFieldsNeverFiltersMore() {
        // (dt = 'a' AND id = 1) restricted to {1 → 0} keeps dt = 'a'; (dt = 'a' OR id = 1) cannot be restricted.
        let p = Predicate.and([.compare(field: 1, .equal, .string("a")), .compare(field: 0, .equal, .integer(1))])
        #expect(p.restricted(to: [1: 0]) == .compare(field: 0, .equal, .string("a")))
        #expect(Predicate.or([.compare(field: 1, .equal, .string("a")), .compare(field: 0, .equal, .integer(1))]).restricted(to: [1: 0]) == nil)
        #expect(Predicate.not(.and([.compare(field: 1, .equal, .string("a")), .compare(field: 0, .equal, .integer(1))])).restricted(to: [1: 0]) == nil)
    }
}
