/// Metadata of one data file, the `_FILE` record of a manifest entry; mirrors `org.apache.paimon.io.DataFileMeta`
/// (Java 1.3 shape, spec/paimon-format.md section 4.4). Plain values: Avro encoding is the engine's, following
/// ``avroFieldNames``.
public struct DataFileMeta: Hashable, Sendable {
    /// File name only (the directory comes from partition and bucket, or ``externalPath``).
    public var fileName: String
    /// Exact size in bytes (readers use it to find the Parquet footer).
    public var fileSize: Int64
    /// All rows, -U/-D included.
    public var rowCount: Int64
    /// Trimmed primary key of the first row (empty row for append tables).
    public var minKey: BinaryRow
    /// Trimmed primary key of the last row.
    public var maxKey: BinaryRow
    /// Stats over the key columns (empty stats for append tables).
    public var keyStats: SimpleStats
    /// Stats over the value columns listed by ``valueStatsCols`` (all columns when nil).
    public var valueStats: SimpleStats
    public var minSequenceNumber: Int64
    public var maxSequenceNumber: Int64
    /// Schema the file was written with.
    public var schemaId: Int64
    /// LSM level; 0 for new files and append tables.
    public var level: Int32
    /// Sidecar files (file indexes, lookup files); usually empty.
    public var extraFiles: [String]
    /// Creation time: Java stores the local wall clock as if it were UTC, epoch milliseconds (Avro
    /// `timestamp-millis`). Always write it.
    public var creationTime: Int64?
    /// Number of -U/-D rows; nil = unknown (read as 0).
    public var deleteRowCount: Int64?
    /// A small file index inlined in the manifest.
    public var embeddedIndex: [UInt8]?
    public var fileSource: FileSource?
    /// Columns covered by ``valueStats``: nil = all, `[]` = none.
    public var valueStatsCols: [String]?
    /// Absolute path when the file lives outside the table directory.
    public var externalPath: String?
    /// Row tracking: id of the file's first row (Java 1.3+).
    public var firstRowId: Int64?
    /// Data evolution: the columns a partial-column file holds; nil = all (Java 1.3+).
    public var writeCols: [String]?

    /// The Avro record's field names (`DataFileMeta.SCHEMA`, Java 1.3), in order, with their Avro types:
    /// `_FILE_NAME` string, `_FILE_SIZE` long, `_ROW_COUNT` long, `_MIN_KEY` bytes, `_MAX_KEY` bytes,
    /// `_KEY_STATS` SimpleStats record, `_VALUE_STATS` SimpleStats record, `_MIN_SEQUENCE_NUMBER` long,
    /// `_MAX_SEQUENCE_NUMBER` long, `_SCHEMA_ID` long, `_LEVEL` int, `_EXTRA_FILES` array<string>,
    /// `_CREATION_TIME` ["null", long timestamp-millis], `_DELETE_ROW_COUNT` ["null","long"],
    /// `_EMBEDDED_FILE_INDEX` ["null","bytes"], `_FILE_SOURCE` ["null","int"],
    /// `_VALUE_STATS_COLS` ["null", array<string>], `_EXTERNAL_PATH` ["null","string"],
    /// `_FIRST_ROW_ID` ["null","long"], `_WRITE_COLS` ["null", array<string>].
    public static let avroFieldNames = [
        "_FILE_NAME", "_FILE_SIZE", "_ROW_COUNT", "_MIN_KEY", "_MAX_KEY", "_KEY_STATS", "_VALUE_STATS",
        "_MIN_SEQUENCE_NUMBER", "_MAX_SEQUENCE_NUMBER", "_SCHEMA_ID", "_LEVEL", "_EXTRA_FILES", "_CREATION_TIME",
        "_DELETE_ROW_COUNT", "_EMBEDDED_FILE_INDEX", "_FILE_SOURCE", "_VALUE_STATS_COLS", "_EXTERNAL_PATH",
        "_FIRST_ROW_ID", "_WRITE_COLS",
    ]

    public init(
        fileName: String, fileSize: Int64, rowCount: Int64, minKey: BinaryRow, maxKey: BinaryRow, keyStats: SimpleStats,
        valueStats: SimpleStats, minSequenceNumber: Int64, maxSequenceNumber: Int64, schemaId: Int64, level: Int32,
        extraFiles: [String] = [], creationTime: Int64?, deleteRowCount: Int64?, embeddedIndex: [UInt8]? = nil,
        fileSource: FileSource?, valueStatsCols: [String]?, externalPath: String? = nil, firstRowId: Int64? = nil,
        writeCols: [String]? = nil
    ) {
        self.fileName = fileName
        self.fileSize = fileSize
        self.rowCount = rowCount
        self.minKey = minKey
        self.maxKey = maxKey
        self.keyStats = keyStats
        self.valueStats = valueStats
        self.minSequenceNumber = minSequenceNumber
        self.maxSequenceNumber = maxSequenceNumber
        self.schemaId = schemaId
        self.level = level
        self.extraFiles = extraFiles
        self.creationTime = creationTime
        self.deleteRowCount = deleteRowCount
        self.embeddedIndex = embeddedIndex
        self.fileSource = fileSource
        self.valueStatsCols = valueStatsCols
        self.externalPath = externalPath
        self.firstRowId = firstRowId
        self.writeCols = writeCols
    }

    /// `DataFileMeta.forAppend`: an append-table file: empty min/max keys and key stats, level 0, no deletes,
    /// sequence numbers `minSequenceNumber...maxSequenceNumber`.
    public static func forAppend(
        fileName: String, fileSize: Int64, rowCount: Int64, valueStats: SimpleStats, minSequenceNumber: Int64,
        maxSequenceNumber: Int64, schemaId: Int64, creationTime: Int64, fileSource: FileSource = .append,
        valueStatsCols: [String]?, extraFiles: [String] = [], embeddedIndex: [UInt8]? = nil, externalPath: String? = nil
    ) -> DataFileMeta {
        DataFileMeta(
            fileName: fileName, fileSize: fileSize, rowCount: rowCount, minKey: .emptyRow, maxKey: .emptyRow,
            keyStats: .emptyStats, valueStats: valueStats, minSequenceNumber: minSequenceNumber,
            maxSequenceNumber: maxSequenceNumber, schemaId: schemaId, level: 0, extraFiles: extraFiles,
            creationTime: creationTime, deleteRowCount: 0, embeddedIndex: embeddedIndex, fileSource: fileSource,
            valueStatsCols: valueStatsCols, externalPath: externalPath)
    }

    /// Checks the invariants a reader relies on: non-negative sizes and counts, `min ≤ max` sequence numbers,
    /// `deleteRowCount ≤ rowCount`, a non-empty file name without `/`, consistent stats.
    public func validate(subject: String) throws(PaimonFormatError) {
        guard !fileName.isEmpty, !fileName.contains("/") else { throw PaimonFormatError(subject, "file name '\(fileName)' is not a plain name") }
        guard fileSize >= 0, rowCount >= 0 else { throw PaimonFormatError(subject, "\(fileName): negative size \(fileSize) or row count \(rowCount)") }
        guard minSequenceNumber <= maxSequenceNumber else {
            throw PaimonFormatError(subject, "\(fileName): min sequence number \(minSequenceNumber) > max \(maxSequenceNumber)")
        }
        guard level >= 0 else { throw PaimonFormatError(subject, "\(fileName): negative level \(level)") }
        if let deleteRowCount, deleteRowCount < 0 || deleteRowCount > rowCount {
            throw PaimonFormatError(subject, "\(fileName): delete row count \(deleteRowCount) is outside 0...\(rowCount)")
        }
        try keyStats.validate(subject: subject + ", " + fileName + " _KEY_STATS")
        try valueStats.validate(subject: subject + ", " + fileName + " _VALUE_STATS")
    }
}
