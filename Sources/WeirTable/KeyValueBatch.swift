import WeirColumnar
import WeirPaimon

/// Records of a primary-key table's LSM tree in columns (Java's `KeyValue`, batched): for every row a sequence
/// number, a row kind and the full value row (all table columns in schema order, or a projection of them).
/// The key is not stored apart: it is the trimmed primary-key columns of `values`, as in Paimon where the value
/// row always holds the key columns. Append tables use the same type with every kind `+I`.
///
/// Invariant: `sequenceNumbers.count == rowKinds.count == values.rowCount`.
public struct KeyValueBatch: Sendable, Equatable {
    public var sequenceNumbers: [Int64]
    public var rowKinds: [RowKind]
    public var values: ColumnBatch

    public init(sequenceNumbers: [Int64], rowKinds: [RowKind], values: ColumnBatch) {
        precondition(sequenceNumbers.count == values.rowCount && rowKinds.count == values.rowCount,
                     "KeyValueBatch columns of different lengths")
        self.sequenceNumbers = sequenceNumbers
        self.rowKinds = rowKinds
        self.values = values
    }

    public var rowCount: Int { values.rowCount }
}
