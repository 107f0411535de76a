/// One record of a manifest list: metadata of one manifest file; mirrors
/// `org.apache.paimon.manifest.ManifestFileMeta` (spec/paimon-format.md section 4.3).
public struct ManifestFileMeta: Hashable, Sendable {
    /// Manifest file name (in `manifest/`).
    public var fileName: String
    /// Exact byte size.
    public var fileSize: Int64
    public var numAddedFiles: Int64
    public var numDeletedFiles: Int64
    /// Full-mode stats over the partition columns of all entries.
    public var partitionStats: SimpleStats
    /// Largest `_SCHEMA_ID` of the entries.
    public var schemaId: Int64
    /// Since 1.1, for pruning; nil = unknown.
    public var minBucket: Int32?
    public var maxBucket: Int32?
    public var minLevel: Int32?
    public var maxLevel: Int32?
    /// Java 1.4+ (row tracking); nil from 1.3 writers.
    public var minRowId: Int64?
    public var maxRowId: Int64?

    /// `_VERSION` of manifest list records (`ManifestFileMetaSerializer.getVersion`); Java accepts only 2.
    public static let version: Int32 = 2

    /// The Avro record's field names (after the leading `_VERSION` int), in order: `_FILE_NAME` string,
    /// `_FILE_SIZE` long, `_NUM_ADDED_FILES` long, `_NUM_DELETED_FILES` long, `_PARTITION_STATS` SimpleStats
    /// record, `_SCHEMA_ID` long, `_MIN_BUCKET`/`_MAX_BUCKET`/`_MIN_LEVEL`/`_MAX_LEVEL` ["null","int"]. Java 1.3
    /// writes exactly these; `_MIN_ROW_ID`/`_MAX_ROW_ID` (["null","long"]) are 1.4+ (``avroFieldNamesJava14``).
    public static let avroFieldNames = [
        "_FILE_NAME", "_FILE_SIZE", "_NUM_ADDED_FILES", "_NUM_DELETED_FILES", "_PARTITION_STATS", "_SCHEMA_ID",
        "_MIN_BUCKET", "_MAX_BUCKET", "_MIN_LEVEL", "_MAX_LEVEL",
    ]
    public static let avroFieldNamesJava14 = avroFieldNames + ["_MIN_ROW_ID", "_MAX_ROW_ID"]

    public init(
        fileName: String, fileSize: Int64, numAddedFiles: Int64, numDeletedFiles: Int64, partitionStats: SimpleStats,
        schemaId: Int64, minBucket: Int32? = nil, maxBucket: Int32? = nil, minLevel: Int32? = nil, maxLevel: Int32? = nil,
        minRowId: Int64? = nil, maxRowId: Int64? = nil
    ) {
        self.fileName = fileName
        self.fileSize = fileSize
        self.numAddedFiles = numAddedFiles
        self.numDeletedFiles = numDeletedFiles
        self.partitionStats = partitionStats
        self.schemaId = schemaId
        self.minBucket = minBucket
        self.maxBucket = maxBucket
        self.minLevel = minLevel
        self.maxLevel = maxLevel
        self.minRowId = minRowId
        self.maxRowId = maxRowId
    }

    /// The record describing a manifest holding `entries` (counts, bucket and level ranges, largest schema id —
    /// `schemaId` when empty). Partition stats are the caller's (``SimpleStatsConverter``).
    public static func describing(
        fileName: String, fileSize: Int64, entries: [ManifestEntry], partitionStats: SimpleStats, schemaId: Int64
    ) -> ManifestFileMeta {
        ManifestFileMeta(
            fileName: fileName, fileSize: fileSize,
            numAddedFiles: Int64(entries.count(where: { $0.kind == .add })), numDeletedFiles: Int64(entries.count(where: { $0.kind == .delete })),
            partitionStats: partitionStats, schemaId: entries.map(\.file.schemaId).max() ?? schemaId,
            minBucket: entries.map(\.bucket).min(), maxBucket: entries.map(\.bucket).max(),
            minLevel: entries.map(\.file.level).min(), maxLevel: entries.map(\.file.level).max())
    }
}
