import WeirColumnar
import WeirPaimon

/// One record fed to a merge function, mirroring Paimon's `org.apache.paimon.KeyValue`: the full value row in
/// table-schema order (the key is the primary-key columns of `value`, as in Paimon's value rows), the writer's
/// sequence number, the row kind and the level of the file the record was read from.
///
/// Merge functions that build a new row (partial-update, aggregation) return it with `level` ``unknownLevel``,
/// as Java's `KeyValue.replace` does.
public struct KeyValue: Sendable, Equatable {
    /// `KeyValue.UNKNOWN_LEVEL`: the level of a record that was not read from a file.
    public static let unknownLevel: Int32 = -1

    public var sequenceNumber: Int64
    public var kind: RowKind
    public var value: [Value]
    public var level: Int32

    public init(sequenceNumber: Int64, kind: RowKind, value: [Value], level: Int32 = 0) {
        self.sequenceNumber = sequenceNumber
        self.kind = kind
        self.value = value
        self.level = level
    }
}

/// Java's `MergeFunction`: reset per key, add the key's records in merge order (``RecordOrdering``), then take
/// the result. A result whose kind is a retract (`-U`/`-D`) means the key is deleted; nil means no output for
/// the key. The same function serves merge-on-read and compaction, so an earlier result fed back in as the first
/// record of a later round gives the same answer as merging all records at once (spec section 1).
public protocol MergeFunction: Sendable {
    mutating func reset()
    mutating func add(_ record: KeyValue) throws(TableError)
    func result() throws(TableError) -> KeyValue?
}
