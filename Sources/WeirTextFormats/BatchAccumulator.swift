import WeirColumnar

/// Collects the rows a text reader parses into column builders and cuts them into batches of at most
/// `batchRows` rows. Columns a row did not give read as null (an error for a NOT NULL column).
struct BatchAccumulator {
    let schema: RowType
    let batchRows: Int
    private var builders: [ColumnBuilder]
    private var batches: [ColumnBatch] = []

    init(schema: RowType, batchRows: Int) {
        precondition(batchRows > 0)
        self.schema = schema
        self.batchRows = batchRows
        builders = schema.fields.map { ColumnBuilder(type: $0.type) }
    }

    /// Appends one value to column `column` of the current row.
    mutating func append(_ value: Value, column: Int) throws(ColumnarError) {
        try builders[column].append(value)
    }

    /// Ends the row that began at `line`: columns not in `filled` get null.
    mutating func endRow(filled: [Bool], line: Int) throws(ColumnarError) {
        for (index, done) in filled.enumerated() where !done {
            do { try builders[index].append(.null) } catch {
                throw ColumnarError("line \(line): column \(schema.fields[index].name): missing, and the column is NOT NULL")
            }
        }
        if builders[0].count >= batchRows {
            batches.append(ColumnBatch(schema: schema, columns: builders.map { $0.finish() }))
            builders = schema.fields.map { ColumnBuilder(type: $0.type) }
        }
    }

    /// The batches, the last one partial; one empty batch when there were no rows.
    func finish() -> [ColumnBatch] {
        if builders[0].count > 0 || batches.isEmpty {
            return batches + [ColumnBatch(schema: schema, columns: builders.map { $0.finish() })]
        }
        return batches
    }
}
