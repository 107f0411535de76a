import Testing
import WeirCodecs
import WeirColumnar
import WeirPaimon
@testable import WeirTable

/// The left-fold property of spec section 1: merging a prefix, then feeding its result back in as the first
/// record of the rest, gives the same result (or the same failure) as merging everything at once, for every engine
/// and a mix of the functions Paimon allows, with add-only input and, where the engine accepts them, retracts.
///
/// Where Paimon itself keeps state outside the row, Java has the same limits and the test stays inside them:
/// a partial-update prefix whose result is a DELETE is not fed back (the `meetInsert` flag is not in the row);
/// partial-update records with sequence groups carry null protected columns when their group's sequence is null
/// (Java's `initRow` copies a retract's values into the row, so a retract with values in a group it does not
/// order would seed columns the fed-back row skips); per-round flags are left out where the row cannot restore
/// them (`first_non_null_value` under `aggReversed`, `first_value` after a round of only retracts or across a
/// remove-record-on-delete), and `listagg` under `aggReversed` gets no blank strings (Java's `agg(in, acc)` with a
/// null accumulator stores a blank input, which a fed-back row then skips).
@Suite struct LeftFoldPropertyTests {
    typealias Generate = @Sendable (inout SplitMix64) -> Value

    struct Scenario: Sendable {
        var name: String
        var columns: [(String, DataType, Generate)]
        var options: [String: String]
        var kinds: [RowKind] = [.insert, .updateAfter]
        var skipsDeletePrefix = false
        /// Partial-update sequence groups as (sequence columns, protected columns): a record whose sequence
        /// columns are all null has null protected columns.
        var groups: [([String], [String])] = []
    }

    // MARK: value generators

    /// True one time in four: the column is null.
    static func isNull(_ g: inout SplitMix64) -> Bool { Int.random(in: 0..<4, using: &g) == 0 }
    static func draw(_ range: ClosedRange<Int64>, _ g: inout SplitMix64) -> Value { .integer(Int64.random(in: range, using: &g)) }

    static let key: Generate = { _ in .integer(1) }
    static let smallInt: Generate = { g in isNull(&g) ? .null : draw(-3...3, &g) }
    static let sequence: Generate = { g in isNull(&g) ? .null : draw(0...4, &g) }
    static let word: Generate = { g in isNull(&g) ? .null : .string(["a", "b", "c", " ", "a,b", ""].randomElement(using: &g)!) }
    static let nonBlankWord: Generate = { g in isNull(&g) ? .null : .string(["a", "b", "c", "a,b"].randomElement(using: &g)!) }
    static let double: Generate = { g in isNull(&g) ? .null : .double(Double(Int.random(in: -4...4, using: &g)) / 2) }
    static let boolean: Generate = { g in isNull(&g) ? .null : .boolean(Bool.random(using: &g)) }
    static let decimal: Generate = { g in isNull(&g) ? .null : .decimal(unscaled: Int128(Int.random(in: -999...999, using: &g)), scale: 2) }
    static let intList: Generate = { g in
        if isNull(&g) { return .null }
        var elements: [Value] = []
        for _ in 0..<Int.random(in: 0...3, using: &g) { elements.append(draw(0...3, &g)) }
        return .list(elements)
    }
    static let intMap: Generate = { g in
        if isNull(&g) { return .null }
        var entries: [Value.MapEntry] = []
        for _ in 0..<Int.random(in: 0...3, using: &g) {
            let key = Value.string(["x", "y", "z"].randomElement(using: &g)!)
            entries.append(Value.MapEntry(key: key, value: draw(0...3, &g)))
        }
        return .map(entries)
    }
    static let keyTimeMap: Generate = { g in
        if isNull(&g) { return .null }
        var entries: [Value.MapEntry] = []
        for _ in 0..<Int.random(in: 0...3, using: &g) {
            let ts: Value = Int.random(in: 0..<5, using: &g) == 0 ? .null : .string(String(Int.random(in: 10...14, using: &g)))
            let value: Value = Int.random(in: 0..<6, using: &g) == 0 ? .null : .row([draw(0...9, &g), ts])
            entries.append(Value.MapEntry(key: .string(["x", "y"].randomElement(using: &g)!), value: value))
        }
        return .map(entries)
    }
    static let nestedRows: Generate = { g in
        if isNull(&g) { return .null }
        var rows: [Value] = []
        for _ in 0..<Int.random(in: 0...3, using: &g) {
            if Int.random(in: 0..<6, using: &g) == 0 {
                rows.append(.null)
                continue
            }
            let id: Value = Int.random(in: 0..<6, using: &g) == 0 ? .null : draw(0...2, &g)
            let seq = draw(0...3, &g)
            let v: Value = Int.random(in: 0..<3, using: &g) == 0 ? .null : .string(["p", "q"].randomElement(using: &g)!)
            rows.append(.row([id, seq, v]))
        }
        return .list(rows)
    }

    static let nestedType = DataType(.array(element: DataType(.row(fields: [
        DataField(id: 100, name: "id", type: DataType(.int)), DataField(id: 101, name: "seq", type: DataType(.int)),
        DataField(id: 102, name: "v", type: DataType.string),
    ]))))
    static let keyTimeType = DataType(.map(key: DataType.string, value: DataType(.row(fields: [
        DataField(id: 200, name: "value", type: DataType(.int)), DataField(id: 201, name: "ts", type: DataType.string),
    ]))))
    static let int = DataType(.int)
    static let allKinds = RowKind.allCases

    // MARK: scenarios

    static let scenarios: [Scenario] = [
        Scenario(name: "deduplicate", columns: [("k", int, key), ("v", int, smallInt)], options: [:], kinds: allKinds),
        Scenario(name: "deduplicate ignore-delete", columns: [("k", int, key), ("v", int, smallInt)], options: ["ignore-delete": "true"], kinds: allKinds),
        Scenario(name: "first-row", columns: [("k", int, key), ("v", int, smallInt)], options: ["merge-engine": "first-row"]),
        Scenario(name: "first-row ignore-delete", columns: [("k", int, key), ("v", int, smallInt)],
                 options: ["merge-engine": "first-row", "ignore-delete": "true"], kinds: allKinds),
        Scenario(name: "partial-update plain", columns: [("k", int, key), ("a", int, smallInt), ("b", .string, word), ("c", DataType(.double), double)],
                 options: ["merge-engine": "partial-update"]),
        Scenario(name: "partial-update ignore-delete", columns: [("k", int, key), ("a", int, smallInt), ("b", .string, word)],
                 options: ["merge-engine": "partial-update", "ignore-delete": "true"], kinds: allKinds),
        Scenario(name: "partial-update remove-record-on-delete", columns: [("k", int, key), ("a", int, smallInt), ("b", .string, word)],
                 options: ["merge-engine": "partial-update", "partial-update.remove-record-on-delete": "true"], kinds: allKinds, skipsDeletePrefix: true),
        Scenario(
            name: "partial-update sequence groups with aggregation",
            columns: [
                ("k", int, key), ("g1", int, sequence), ("a", int, smallInt), ("b", .string, nonBlankWord), ("f", int, smallInt),
                ("c", int, smallInt), ("g2", int, sequence), ("d", DataType(.array(element: int)), intList), ("p", int, smallInt),
                ("e", int, smallInt), ("x", .string, word),
            ],
            options: [
                "merge-engine": "partial-update", "fields.g1.sequence-group": "a,b,f", "fields.g2.sequence-group": "c,d,p",
                "fields.a.aggregate-function": "sum", "fields.b.aggregate-function": "listagg", "fields.f.aggregate-function": "first_value",
                "fields.c.aggregate-function": "max", "fields.d.aggregate-function": "collect", "fields.p.aggregate-function": "product",
                "fields.e.aggregate-function": "last_non_null_value",
            ]),
        Scenario(
            name: "partial-update sequence groups with retracts",
            columns: [
                ("k", int, key), ("a", int, smallInt), ("g1", int, sequence), ("b", int, smallInt), ("g2", int, sequence),
                ("c", DataType(.array(element: int)), intList), ("d", int, smallInt), ("m", int, smallInt), ("x", int, smallInt),
            ],
            options: [
                "merge-engine": "partial-update", "fields.g1.sequence-group": "a,b", "fields.g2.sequence-group": "c,d,m",
                "fields.a.aggregate-function": "sum", "fields.c.aggregate-function": "collect", "fields.d.aggregate-function": "last_non_null_value",
                "fields.m.aggregate-function": "max", "fields.m.ignore-retract": "true",
                "partial-update.remove-record-on-sequence-group": "g2",
            ],
            kinds: allKinds, skipsDeletePrefix: true, groups: [(["g1"], ["a", "b"]), (["g2"], ["c", "d", "m"])]),
        Scenario(
            name: "partial-update multi-field sequence group, ignore-delete",
            columns: [("k", int, key), ("s1", int, sequence), ("s2", int, sequence), ("a", int, smallInt), ("b", .string, word), ("x", int, smallInt)],
            options: ["merge-engine": "partial-update", "fields.s1,s2.sequence-group": "a,b", "fields.a.aggregate-function": "sum", "ignore-delete": "true"],
            kinds: allKinds, groups: [(["s1", "s2"], ["a", "b"])]),
        Scenario(
            name: "aggregation add-only",
            columns: [
                ("k", int, key), ("sum", int, smallInt), ("product", int, smallInt), ("max", .string, word),
                ("min", DataType(.decimal(precision: 10, scale: 2)), decimal), ("last", int, smallInt), ("lastnn", int, smallInt),
                ("first", int, smallInt), ("firstnn", int, smallInt), ("list", .string, word), ("and", DataType(.boolean), boolean),
                ("or", DataType(.boolean), boolean), ("coll", DataType(.array(element: int)), intList), ("map", DataType(.map(key: .string, value: int)), intMap),
                ("keytime", keyTimeType, keyTimeMap), ("nested", nestedType, nestedRows), ("nestednokey", nestedType, nestedRows),
                ("nestedpartial", nestedType, nestedRows), ("dsum", DataType(.double), double),
            ],
            options: [
                "merge-engine": "aggregation", "fields.sum.aggregate-function": "sum", "fields.product.aggregate-function": "product",
                "fields.max.aggregate-function": "max", "fields.min.aggregate-function": "min", "fields.last.aggregate-function": "last_value",
                "fields.first.aggregate-function": "first_value", "fields.firstnn.aggregate-function": "first_non_null_value",
                "fields.list.aggregate-function": "listagg", "fields.list.distinct": "true", "fields.and.aggregate-function": "bool_and",
                "fields.or.aggregate-function": "bool_or", "fields.coll.aggregate-function": "collect", "fields.coll.distinct": "true",
                "fields.map.aggregate-function": "merge_map", "fields.keytime.aggregate-function": "merge_map_with_keytime",
                "fields.nested.aggregate-function": "nested_update", "fields.nested.nested-key": "id",
                "fields.nested.nested-sequence-field": "seq", "fields.nested.count-limit": "2",
                "fields.nestednokey.aggregate-function": "nested_update", "fields.nestednokey.count-limit": "4",
                "fields.nestedpartial.aggregate-function": "nested_partial_update", "fields.nestedpartial.nested-key": "id",
                "fields.nestedpartial.nested-key-null-strategy": "ignore", "fields.dsum.aggregate-function": "sum",
            ]),
        Scenario(
            name: "aggregation with retracts",
            columns: [
                ("k", int, key), ("sum", int, smallInt), ("product", int, smallInt), ("last", int, smallInt), ("lastnn", .string, word),
                ("coll", DataType(.array(element: int)), intList), ("map", DataType(.map(key: .string, value: int)), intMap),
                ("nested", nestedType, nestedRows), ("nestednokey", nestedType, nestedRows), ("max", int, smallInt),
            ],
            options: [
                "merge-engine": "aggregation", "fields.sum.aggregate-function": "sum", "fields.product.aggregate-function": "product",
                "fields.last.aggregate-function": "last_value", "fields.coll.aggregate-function": "collect",
                "fields.map.aggregate-function": "merge_map", "fields.nested.aggregate-function": "nested_update",
                "fields.nested.nested-key": "id", "fields.nestednokey.aggregate-function": "nested_update",
                "fields.max.aggregate-function": "max", "fields.max.ignore-retract": "true",
            ],
            kinds: allKinds),
        Scenario(
            name: "aggregation remove-record-on-delete",
            columns: [
                ("k", int, key), ("sum", int, smallInt), ("lastnn", int, smallInt), ("coll", DataType(.array(element: int)), intList),
                ("map", DataType(.map(key: .string, value: int)), intMap), ("seq", int, sequence),
            ],
            options: [
                "merge-engine": "aggregation", "aggregation.remove-record-on-delete": "true", "sequence.field": "seq",
                "fields.sum.aggregate-function": "sum", "fields.coll.aggregate-function": "collect", "fields.map.aggregate-function": "merge_map",
            ],
            kinds: allKinds),
    ]

    // MARK: the property

    /// A merge outcome: the result, or that it failed.
    enum Outcome: Equatable {
        case result(KeyValue?)
        case failed
    }

    static func outcome(_ function: inout any MergeFunction, _ records: [KeyValue]) -> Outcome {
        do throws(TableError) {
            return .result(try MergeTest.merge(&function, records))
        } catch {
            return .failed
        }
    }

    static func records(_ scenario: Scenario, _ g: inout SplitMix64) -> [KeyValue] {
        let names = scenario.columns.map(\.0)
        let count = Int.random(in: 1...8, using: &g)
        return (0..<count).map { i in
            var values = scenario.columns.map { $0.2(&g) }
            for (sequence, protected) in scenario.groups where sequence.allSatisfy({ values[names.firstIndex(of: $0)!] == .null }) {
                for column in protected { values[names.firstIndex(of: column)!] = .null }
            }
            return KeyValue(sequenceNumber: Int64(i + 1), kind: scenario.kinds.randomElement(using: &g)!, value: values,
                            level: Int32.random(in: 0...3, using: &g))
        }
    }

    @Test(arguments: scenarios.indices)
    func prefixResultFedBackGivesTheSameResult(_ index: Int) throws {
        let scenario = Self.scenarios[index]
        let schema = try MergeTest.schema(scenario.columns.map { ($0.0, $0.1) }, options: scenario.options)
        let factory = try MergeFunctionFactory(schema: schema)
        var function = factory.make()
        var checkedSplits = 0, failures = 0
        for iteration in 0..<300 {
            let seed = UInt64(0x5EED_0000) &+ UInt64(index) << 20 &+ UInt64(iteration)
            var g = SplitMix64(seed: seed)
            let records = Self.records(scenario, &g)
            let whole = Self.outcome(&function, records)
            if whole == .failed { failures += 1 }
            for split in 1..<records.count {
                let prefix = Self.outcome(&function, Array(records[..<split]))
                let folded: Outcome
                switch prefix {
                case .failed:
                    folded = .failed
                case .result(nil):
                    folded = Self.outcome(&function, Array(records[split...]))
                case .result(let result?):
                    if scenario.skipsDeletePrefix && result.kind.isRetract { continue }
                    folded = Self.outcome(&function, [result] + records[split...])
                }
                checkedSplits += 1
                #expect(folded == whole, "scenario '\(scenario.name)', seed \(seed), split \(split): \(records)")
                if folded != whole { return }
            }
        }
        // The generator must exercise the property, not only failures or trivial rounds.
        #expect(checkedSplits > 500, "scenario '\(scenario.name)' checked only \(checkedSplits) splits")
        #expect(failures < 150, "scenario '\(scenario.name)' failed in \(failures) of 300 rounds")
    }
}
