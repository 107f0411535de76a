/// One record of a manifest file: a file added to or deleted from a (partition, bucket); mirrors
/// `org.apache.paimon.manifest.ManifestEntry` (spec/paimon-format.md section 4.4).
public struct ManifestEntry: Hashable, Sendable, FileEntry {
    public var kind: FileKind
    /// Partition values (serialized with ``SerializationUtils`` in `_PARTITION`; the empty row when unpartitioned).
    public var partition: BinaryRow
    /// Bucket id (0 for unaware-bucket append tables, -2 for postpone mode).
    public var bucket: Int32
    /// The table's `bucket` option when the file was written.
    public var totalBuckets: Int32
    public var file: DataFileMeta

    /// `_VERSION` of manifest entry records (`ManifestEntrySerializer.getVersion`); Java accepts only 2.
    public static let version: Int32 = 2

    /// The Avro record's field names (after the leading `_VERSION` int), in order: `_KIND` int, `_PARTITION` bytes,
    /// `_BUCKET` int, `_TOTAL_BUCKETS` int, `_FILE` DataFileMeta record (``DataFileMeta/avroFieldNames``).
    public static let avroFieldNames = ["_KIND", "_PARTITION", "_BUCKET", "_TOTAL_BUCKETS", "_FILE"]

    public init(kind: FileKind, partition: BinaryRow, bucket: Int32, totalBuckets: Int32, file: DataFileMeta) {
        self.kind = kind
        self.partition = partition
        self.bucket = bucket
        self.totalBuckets = totalBuckets
        self.file = file
    }

    public var level: Int32 { file.level }
    public var fileName: String { file.fileName }
    public var extraFiles: [String] { file.extraFiles }
    public var embeddedIndex: [UInt8]? { file.embeddedIndex }
    public var externalPath: String? { file.externalPath }
}
