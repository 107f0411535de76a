import WeirColumnar

/// `nested_update` (`FieldNestedUpdateAgg`): an `ARRAY<ROW>` column kept as a nested table. Null elements are
/// dropped whenever rows are rebuilt.
///
/// - Without `fields.<f>.nested-key`: agg appends the input's rows to the accumulator's, up to
///   `fields.<f>.count-limit` rows in all (an accumulator already at the limit is returned as it is); retract
///   removes every accumulator row equal to a retracted row.
/// - With a nested key: agg upserts by key. A row whose key is already present replaces it, unless
///   `fields.<f>.nested-sequence-field` is set and the new row's sequence (nulls first) is smaller; a new key is
///   added while the input's new keys keep the row count under the limit. Retract removes the retracted keys.
///   `fields.<f>.nested-key-null-strategy` decides about keys with a null: merge them, ignore the row, or fail.
/// Rows keep the order their keys first appeared (Java's hash-map order is unspecified).
struct NestedUpdate: Sendable {
    /// Positions of the nested key fields in the element row; empty without a key.
    let keyIndexes: [Int]
    let nullStrategy: NestedKeyNullStrategy
    /// Positions and types of `nested-sequence-field`; empty without one.
    let sequenceIndexes: [Int]
    let sequenceTypes: [DataType]
    let countLimit: Int
    let nestedFieldCount: Int

    func agg(_ acc: Value, _ input: Value, _ aggregator: FieldAggregator) throws(TableError) -> Value {
        if input == .null { return acc }
        let incoming = try NestedRows.rows(input, nestedFieldCount, aggregator)
        guard !keyIndexes.isEmpty else {
            guard acc != .null else { return .list(Array(incoming.prefix(max(0, countLimit)))) }
            let stored = try NestedRows.elements(acc, aggregator)
            if stored.count >= countLimit { return acc }
            let remaining = countLimit - stored.count
            return .list(try NestedRows.rows(acc, nestedFieldCount, aggregator) + incoming.prefix(remaining))
        }
        var table = NestedTable()
        if acc != .null { try upsert(try NestedRows.rows(acc, nestedFieldCount, aggregator), into: &table, limitNewKeys: false, aggregator) }
        try upsert(incoming, into: &table, limitNewKeys: true, aggregator)
        return .list(table.rows)
    }

    func retract(_ acc: Value, _ input: Value, _ aggregator: FieldAggregator) throws(TableError) -> Value {
        if acc == .null || input == .null { return acc }
        let stored = try NestedRows.rows(acc, nestedFieldCount, aggregator)
        let retracted = try NestedRows.rows(input, nestedFieldCount, aggregator)
        guard !keyIndexes.isEmpty else {
            let removed = Set(retracted)
            return .list(stored.filter { !removed.contains($0) })
        }
        var table = NestedTable()
        for row in stored {
            guard let key = try key(of: row, aggregator) else { continue }
            table.put(key, row)
        }
        for row in retracted {
            guard let key = try key(of: row, aggregator) else { continue }
            table.remove(key)
        }
        return .list(table.rows)
    }

    private func upsert(_ rows: [Value], into table: inout NestedTable, limitNewKeys: Bool, _ aggregator: FieldAggregator) throws(TableError) {
        for row in rows {
            guard let key = try key(of: row, aggregator) else { continue }
            if let existing = table[key] {
                if sequenceIndexes.isEmpty || compareSequence(row, existing) >= 0 { table.put(key, row) }
            } else if !limitNewKeys || table.count < countLimit {
                table.put(key, row)
            }
        }
    }

    /// The nested key of a row, nil when the null strategy drops the row.
    private func key(of row: Value, _ aggregator: FieldAggregator) throws(TableError) -> [Value]? {
        try NestedRows.key(of: row, keyIndexes, nullStrategy, aggregator)
    }

    private func compareSequence(_ a: Value, _ b: Value) -> Int {
        guard case .row(let x) = a, case .row(let y) = b else { return 0 }
        for (i, index) in sequenceIndexes.enumerated() {
            let c = ValueComparison.compare(x[index], y[index], type: sequenceTypes[i])
            if c != 0 { return c }
        }
        return 0
    }
}
