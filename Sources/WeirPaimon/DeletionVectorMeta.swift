/// Where one data file's deletion vector lies inside a DV index file, mirroring
/// `org.apache.paimon.index.DeletionVectorMeta` (spec/paimon-format.md sections 4.5 and 7.6): one element of
/// `_DELETIONS_VECTORS_RANGES`.
public struct DeletionVectorMeta: Hashable, Sendable {
    /// `f0`: the data file the vector belongs to.
    public var dataFileName: String
    /// `f1`: byte offset of the vector's size int in the index file.
    public var offset: Int32
    /// `f2`: the vector's length (32-bit variant: magic + bitmap, without size and CRC; 64-bit variant: total).
    public var length: Int32
    /// `_CARDINALITY`: number of deleted rows; nil when unknown (old writers).
    public var cardinality: Int64?

    /// The Avro record's field names, in order: `f0` string, `f1` int, `f2` int, `_CARDINALITY` ["null","long"].
    public static let avroFieldNames = ["f0", "f1", "f2", "_CARDINALITY"]

    public init(dataFileName: String, offset: Int32, length: Int32, cardinality: Int64?) {
        self.dataFileName = dataFileName
        self.offset = offset
        self.length = length
        self.cardinality = cardinality
    }
}
