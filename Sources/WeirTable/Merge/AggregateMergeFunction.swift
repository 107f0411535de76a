import WeirColumnar
import WeirPaimon

/// The `aggregation` engine, mirroring `AggregateMergeFunction`: every column has a ``FieldAggregator``; the
/// accumulator row starts all-null and each record folds in with `retract(acc, in)` (`-U`/`-D`) or `agg(acc, in)`
/// (`+I`/`+U`).
///
/// - Function per column (`getAggFuncName`): `sequence.field` columns `last_value`; primary-key columns pass
///   through; otherwise `fields.<f>.aggregate-function`, else `fields.default-aggregate-function`, else
///   `last_non_null_value`.
/// - `aggregation.remove-record-on-delete`: a `-D` resets the row to the delete record's values (a null in a
///   NOT NULL column is "Field i can not be null") and makes the result a DELETE, until the next record.
/// - The result is INSERT otherwise, with the last record's sequence number and level ``KeyValue/unknownLevel``;
///   no record since `reset()` gives nil.
public struct AggregateMergeFunction: MergeFunction {
    private var aggregators: [FieldAggregator]
    private let nullables: [Bool]
    public let removesRecordOnDelete: Bool
    private var row: [Value]
    private var latestSequenceNumber: Int64?
    private var currentDeleteRow = false

    /// The function for `schema`, validating every column's function (see ``FieldAggregatorFactory``).
    public init(schema: TableSchema) throws(TableError) {
        let options = schema.coreOptions
        let sequenceFields = options.sequenceField()
        var aggregators: [FieldAggregator] = []
        for field in schema.fields {
            let name: String
            if sequenceFields.contains(field.name) {
                name = "last_value"
            } else if schema.primaryKeys.contains(field.name) {
                name = "primary-key"
            } else {
                name = options.fieldAggFunc(field.name) ?? options.fieldsDefaultFunc() ?? "last_non_null_value"
            }
            aggregators.append(try FieldAggregatorFactory.make(name: name, field: field.name, type: field.type, options: options))
        }
        self.aggregators = aggregators
        nullables = schema.fields.map(\.type.isNullable)
        removesRecordOnDelete = try MergeOptions.read { () throws(PaimonFormatError) in try options.aggregationRemoveRecordOnDelete() }
        row = Array(repeating: .null, count: aggregators.count)
    }

    public mutating func reset() {
        for i in aggregators.indices { aggregators[i].reset() }
        for i in row.indices { row[i] = .null }
        latestSequenceNumber = nil
        currentDeleteRow = false
    }

    public mutating func add(_ record: KeyValue) throws(TableError) {
        try MergeRow.checkWidth(record, aggregators.count)
        latestSequenceNumber = record.sequenceNumber
        currentDeleteRow = removesRecordOnDelete && record.kind == .delete
        if currentDeleteRow {
            row = try MergeRow.initialRow(record.value, nullables: nullables)
            return
        }
        if record.kind.isRetract {
            for i in row.indices { row[i] = try aggregators[i].retract(row[i], record.value[i]) }
        } else {
            for i in row.indices { row[i] = try aggregators[i].agg(row[i], record.value[i]) }
        }
    }

    public func result() throws(TableError) -> KeyValue? {
        guard let latestSequenceNumber else { return nil }
        return KeyValue(sequenceNumber: latestSequenceNumber, kind: currentDeleteRow ? .delete : .insert, value: row,
                        level: KeyValue.unknownLevel)
    }
}
