import WeirPaimon

/// Validates a table's merge options once and makes merge functions, one per reader or writer task; mirrors
/// Java's `MergeFunctionFactory` with `PrimaryKeyTableUtils.createMergeFunctionFactory` choosing the engine.
///
/// Validation (all `.invalidTable`): `merge-engine` and `ignore-delete` parse; the `sequence.field` rules of
/// ``RecordOrdering``, no `fields.<f>.aggregate-function` on a sequence field, and no `sequence.field` with
/// `first-row` (Java's `SchemaValidation.validateSequenceField`); then the engine's own rules
/// (``PartialUpdateConfiguration``, ``AggregateMergeFunction``).
public struct MergeFunctionFactory: Sendable {
    public let engine: CoreOptions.MergeEngine
    private let prototype: Prototype

    private enum Prototype: Sendable {
        case deduplicate(DeduplicateMergeFunction)
        case firstRow(FirstRowMergeFunction)
        case partialUpdate(PartialUpdateMergeFunction)
        case aggregation(AggregateMergeFunction)
    }

    public init(schema: TableSchema) throws(TableError) {
        let options = schema.coreOptions
        engine = try MergeOptions.read { () throws(PaimonFormatError) in try options.mergeEngine() }
        let ignoreDelete = try MergeOptions.read { () throws(PaimonFormatError) in try options.ignoreDelete() }
        _ = try RecordOrdering(schema: schema)
        let sequenceFields = options.sequenceField()
        for field in sequenceFields where options.fieldAggFunc(field) != nil {
            throw TableError(.invalidTable, "option 'sequence.field'", "Should not define aggregation on sequence field: '\(field)'.")
        }
        switch engine {
        case .deduplicate:
            prototype = .deduplicate(DeduplicateMergeFunction(ignoreDelete: ignoreDelete))
        case .firstRow:
            guard sequenceFields.isEmpty else {
                throw TableError(.invalidTable, "option 'sequence.field'", "Do not support use sequence field on FIRST_ROW merge engine.")
            }
            prototype = .firstRow(FirstRowMergeFunction(ignoreDelete: ignoreDelete))
        case .partialUpdate:
            prototype = .partialUpdate(try PartialUpdateMergeFunction(schema: schema))
        case .aggregation:
            prototype = .aggregation(try AggregateMergeFunction(schema: schema))
        }
    }

    /// A new merge function in its reset state.
    public func make() -> any MergeFunction {
        switch prototype {
        case .deduplicate(let function): return function
        case .firstRow(let function): return function
        case .partialUpdate(let function): return function
        case .aggregation(let function): return function
        }
    }

    /// True for deduplicate and first-row: the result is always one input record unchanged (for first-row the
    /// first add, for deduplicate the last record), so a reader may pick a record instead of materialising a row.
    public var picksWholeRecord: Bool { engine == .deduplicate || engine == .firstRow }
}
