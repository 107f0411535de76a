/// One record of an index manifest: an index file of a (partition, bucket); mirrors
/// `org.apache.paimon.manifest.IndexManifestEntry` with `org.apache.paimon.index.IndexFileMeta`
/// (spec/paimon-format.md section 4.5). An index manifest is a full listing of the live index files.
public struct IndexManifestEntry: Hashable, Sendable {
    public var kind: FileKind
    public var partition: BinaryRow
    public var bucket: Int32
    public var indexFile: IndexFileMeta

    /// `_VERSION` of index manifest records (`IndexManifestEntrySerializer.getVersion`).
    public static let version: Int32 = 1

    /// The Avro record's field names (after the leading `_VERSION` int), in order: `_KIND` int, `_PARTITION` bytes,
    /// `_BUCKET` int, `_INDEX_TYPE` string, `_FILE_NAME` string, `_FILE_SIZE` long, `_ROW_COUNT` long,
    /// `_DELETIONS_VECTORS_RANGES` ["null", array<["null", record f0/f1/f2/_CARDINALITY]>],
    /// `_EXTERNAL_PATH` ["null","string"] (Java 1.3+).
    public static let avroFieldNames = [
        "_KIND", "_PARTITION", "_BUCKET", "_INDEX_TYPE", "_FILE_NAME", "_FILE_SIZE", "_ROW_COUNT",
        "_DELETIONS_VECTORS_RANGES", "_EXTERNAL_PATH",
    ]

    public init(kind: FileKind, partition: BinaryRow, bucket: Int32, indexFile: IndexFileMeta) {
        self.kind = kind
        self.partition = partition
        self.bucket = bucket
        self.indexFile = indexFile
    }
}

/// An index file: a dynamic-bucket HASH index or a deletion-vector file.
public struct IndexFileMeta: Hashable, Sendable {
    /// `HASH` (`HashIndexFile.HASH_INDEX`).
    public static let hashIndex = "HASH"
    /// `DELETION_VECTORS` (`DeletionVectorsIndexFile.DELETION_VECTORS_INDEX`).
    public static let deletionVectorsIndex = "DELETION_VECTORS"

    public var indexType: String
    /// File name in `index/`.
    public var fileName: String
    public var fileSize: Int64
    /// HASH: number of int32 hashes; DV: number of vectors.
    public var rowCount: Int64
    /// DV files only: one range per data file, in file order.
    public var deletionVectorRanges: [DeletionVectorMeta]?
    public var externalPath: String?

    public init(
        indexType: String, fileName: String, fileSize: Int64, rowCount: Int64,
        deletionVectorRanges: [DeletionVectorMeta]? = nil, externalPath: String? = nil
    ) {
        self.indexType = indexType
        self.fileName = fileName
        self.fileSize = fileSize
        self.rowCount = rowCount
        self.deletionVectorRanges = deletionVectorRanges
        self.externalPath = externalPath
    }
}
