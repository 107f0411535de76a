import WeirColumnar

/// `nested_partial_update` (`FieldNestedPartialUpdateAgg`): an `ARRAY<ROW>` column whose rows are merged by
/// `fields.<f>.nested-key`: the accumulator's rows then the input's, grouped by key in first-seen order, each
/// group folded from an all-null row by overwriting with non-null fields. A null input keeps the accumulator.
/// `nested-key-null-strategy` applies as for `nested_update`. No retraction.
struct NestedPartialUpdate: Sendable {
    let keyIndexes: [Int]
    let nullStrategy: NestedKeyNullStrategy
    let nestedFieldCount: Int

    func agg(_ acc: Value, _ input: Value, _ aggregator: FieldAggregator) throws(TableError) -> Value {
        if input == .null { return acc }
        var rows = try NestedRows.rows(acc, nestedFieldCount, aggregator)
        rows.append(contentsOf: try NestedRows.rows(input, nestedFieldCount, aggregator))
        var table = NestedTable()
        for row in rows {
            guard let key = try NestedRows.key(of: row, keyIndexes, nullStrategy, aggregator),
                case .row(let fields) = row
            else { continue }
            var merged: [Value]
            if case .row(let existing)? = table[key] { merged = existing } else { merged = Array(repeating: .null, count: nestedFieldCount) }
            for (i, field) in fields.enumerated() where field != .null { merged[i] = field }
            table.put(key, .row(merged))
        }
        return .list(table.rows)
    }
}
