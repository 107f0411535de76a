/// How ``ORCFileWriter`` writes a file. The defaults follow Paimon's ORC format: zstd (level 1), 64 MiB stripes,
/// 256 KiB compression blocks, a row index every 10,000 rows and dictionary encoding for string columns whose
/// distinct values are at most 80% of their non-null values.
public struct ORCWriteOptions: Sendable, Equatable {
    public var compression: ORCCompression
    /// Uncompressed bytes per compression chunk, 1 KiB ... 4 MiB (the chunk header holds 23 bits of length).
    public var compressionBlockSize: Int
    /// A stripe is closed once the batches buffered for it hold this many bytes in memory (an estimate of the
    /// raw column size; encoded stripes are smaller).
    public var stripeSizeBytes: Int
    /// Rows per row group of the row index (0 writes no row index).
    public var rowIndexStride: Int
    /// A string column is dictionary encoded in a stripe when distinct values / non-null values ≤ this
    /// (0 never, 1 always).
    public var dictionaryKeySizeThreshold: Double
    /// Application key-value pairs stored in the footer.
    public var userMetadata: [ORCUserMetadataItem]

    public static let compressionBlockSizeRange = 1024...(4 << 20)

    public init(compression: ORCCompression = .zstd(), compressionBlockSize: Int = 256 * 1024,
                stripeSizeBytes: Int = 64 << 20, rowIndexStride: Int = 10_000, dictionaryKeySizeThreshold: Double = 0.8,
                userMetadata: [ORCUserMetadataItem] = []) {
        self.compression = compression
        self.compressionBlockSize = compressionBlockSize
        self.stripeSizeBytes = stripeSizeBytes
        self.rowIndexStride = rowIndexStride
        self.dictionaryKeySizeThreshold = dictionaryKeySizeThreshold
        self.userMetadata = userMetadata
    }

    func validate(file: String) throws(ORCError) {
        guard Self.compressionBlockSizeRange.contains(compressionBlockSize) else {
            throw ORCError(file: file, location: "options", "compression block size \(compressionBlockSize) is outside \(Self.compressionBlockSizeRange)")
        }
        guard stripeSizeBytes >= 1 else { throw ORCError(file: file, location: "options", "stripe size must be at least 1 byte") }
        guard rowIndexStride >= 0 else { throw ORCError(file: file, location: "options", "row index stride must not be negative") }
        guard (0...1).contains(dictionaryKeySizeThreshold) else {
            throw ORCError(file: file, location: "options", "dictionary key size threshold \(dictionaryKeySizeThreshold) is outside 0...1")
        }
    }
}

/// What ``ORCFileWriter/close()`` reports.
public struct ORCWriteSummary: Sendable, Equatable {
    public var rowCount: Int64
    public var stripeCount: Int
    /// Bytes of the whole file.
    public var fileBytes: Int64
    /// File-level statistics by ORC column id (0 is the root struct; top-level field i is not necessarily
    /// column i + 1 when earlier fields are nested).
    public var statistics: [ORCColumnStatistics]
    /// The ORC column id of each top-level field, in schema order.
    public var fieldColumnIds: [Int]

    public init(rowCount: Int64, stripeCount: Int, fileBytes: Int64, statistics: [ORCColumnStatistics], fieldColumnIds: [Int]) {
        self.rowCount = rowCount
        self.stripeCount = stripeCount
        self.fileBytes = fileBytes
        self.statistics = statistics
        self.fieldColumnIds = fieldColumnIds
    }
}

/// The identity Weir writes into files. Weir has no registered writer code; it uses 87 (`W`), outside the
/// registered range (0 ORC Java ... 5 CUDF), and writer version 6, the first any non-Java writer may use.
public enum ORCWriter {
    public static let writerCode: UInt32 = 87
    public static let writerVersion: UInt32 = 6
    public static let softwareVersion = "Weir 0.1"
    /// The zone written into stripe footers; the ORC C++ writer and pyarrow use the same, so TIMESTAMP values
    /// are stored as wall-clock seconds.
    public static let timezone = "GMT"
}
