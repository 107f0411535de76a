/// Min, max and null counts of some columns of a file or manifest, mirroring
/// `org.apache.paimon.stats.SimpleStats` (spec/paimon-format.md sections 4.4 and 4.7): the `_KEY_STATS`,
/// `_VALUE_STATS` and `_PARTITION_STATS` records.
///
/// `minValues`/`maxValues` are BinaryRows with one (nullable) field per covered column, a null field meaning
/// "unknown"; `nullCounts` has one entry per covered column, nil meaning unknown. Java reads `_NULL_COUNTS` with
/// `size()`, so always write an array (``emptyStats`` uses `[]`).
public struct SimpleStats: Hashable, Sendable {
    public var minValues: BinaryRow
    public var maxValues: BinaryRow
    public var nullCounts: [Int64?]

    /// The Avro record's field names, in order, with their Avro types:
    /// `_MIN_VALUES` bytes (serialized BinaryRow), `_MAX_VALUES` bytes, `_NULL_COUNTS`
    /// `["null", {"type": "array", "items": ["null", "long"]}]`.
    public static let avroFieldNames = ["_MIN_VALUES", "_MAX_VALUES", "_NULL_COUNTS"]

    /// `SimpleStats.EMPTY_STATS`: empty rows and no null counts (append tables' key stats; "no value stats").
    public static let emptyStats = SimpleStats(minValues: .emptyRow, maxValues: .emptyRow, nullCounts: [])

    public init(minValues: BinaryRow, maxValues: BinaryRow, nullCounts: [Int64?]) {
        self.minValues = minValues
        self.maxValues = maxValues
        self.nullCounts = nullCounts
    }

    /// Checks that the three parts cover the same number of columns.
    public func validate(subject: String) throws(PaimonFormatError) {
        guard minValues.arity == maxValues.arity, minValues.arity == nullCounts.count else {
            throw PaimonFormatError(
                subject, "stats cover \(minValues.arity) min, \(maxValues.arity) max and \(nullCounts.count) null-count columns")
        }
    }
}
