import WeirColumnar

/// Row helpers shared by the engines that build rows.
enum MergeRow {
    /// A record whose value row does not have one value per table column is refused.
    static func checkWidth(_ record: KeyValue, _ width: Int) throws(TableError) {
        guard record.value.count == width else {
            throw TableError(.invalidInput, "record \(record.sequenceNumber)",
                             "a value row of \(record.value.count) values for a table of \(width) columns")
        }
    }

    /// `initRow`: the record's values, refusing a null in a NOT NULL column.
    static func initialRow(_ values: [Value], nullables: [Bool]) throws(TableError) -> [Value] {
        for (i, value) in values.enumerated() where value == .null && !nullables[i] {
            throw notNull(i)
        }
        return values
    }

    static func notNull(_ index: Int) -> TableError {
        TableError(.invalidInput, "", "Field \(index) can not be null")
    }
}
