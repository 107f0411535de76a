import WeirCodecs

/// How ``ParquetFileWriter`` writes: Java Paimon's defaults (spec/paimon-format.md §10.1) unless changed.
public struct ParquetWriteOptions: Sendable, Equatable {
    /// The page codec.
    public enum Compression: Sendable, Hashable, CustomStringConvertible {
        case uncompressed
        case snappy
        case gzip
        case zstd(level: Int32)
        case lz4Raw

        public var description: String {
            switch self {
            case .uncompressed: "uncompressed"
            case .snappy: "snappy"
            case .gzip: "gzip"
            case .zstd(let level): "zstd(\(level))"
            case .lz4Raw: "lz4-raw"
            }
        }

        var kind: CompressionKind {
            switch self {
            case .uncompressed: .uncompressed
            case .snappy: .snappy
            case .gzip: .gzip
            case .zstd: .zstd
            case .lz4Raw: .lz4Raw
            }
        }

        var codec: CompressionCodec {
            switch self {
            case .uncompressed: .uncompressed
            case .snappy: .snappy
            case .gzip: .gzip
            case .zstd(let level): .zstd(level: level)
            case .lz4Raw: .lz4Raw
            }
        }
    }

    /// Default zstd level 1, as Paimon's `file.compression.zstd-level`.
    public var compression: Compression
    /// A row group is closed once its column chunks hold about this many bytes (encoded, before the footer).
    public var rowGroupBytes: Int
    /// A data page is closed once it holds about this many bytes of levels and values (uncompressed).
    public var pageBytes: Int
    /// A data page holds at most this many rows.
    public var pageRowCountMax: Int
    /// Dictionary-encode columns (all types but BOOLEAN and INT96 timestamps); a column chunk falls back to PLAIN for
    /// its remaining pages once its dictionary holds more than ``dictionaryPageBytes`` (PLAIN-encoded).
    public var dictionary: Bool
    public var dictionaryPageBytes: Int
    /// Write min/max/null-count statistics in the column chunks (the summary has them either way).
    public var statistics: Bool
    /// Byte-string min/max longer than this are left out of the file's statistics (not truncated).
    public var statisticsValueBytesMax: Int
    /// Store a CRC-32 of every page in its header.
    public var pageChecksums: Bool
    /// The footer's `created_by`.
    public var createdBy: String
    /// Extra key-value metadata for the footer.
    public var keyValueMetadata: [String: String]

    public init(compression: Compression = .zstd(level: 1), rowGroupBytes: Int = 128 << 20, pageBytes: Int = 1 << 20,
                pageRowCountMax: Int = 20_000, dictionary: Bool = true, dictionaryPageBytes: Int = 1 << 20,
                statistics: Bool = true, statisticsValueBytesMax: Int = 4096, pageChecksums: Bool = false,
                createdBy: String = "weir version 0.1.0", keyValueMetadata: [String: String] = [:]) {
        self.compression = compression
        self.rowGroupBytes = rowGroupBytes
        self.pageBytes = pageBytes
        self.pageRowCountMax = pageRowCountMax
        self.dictionary = dictionary
        self.dictionaryPageBytes = dictionaryPageBytes
        self.statistics = statistics
        self.statisticsValueBytesMax = statisticsValueBytesMax
        self.pageChecksums = pageChecksums
        self.createdBy = createdBy
        self.keyValueMetadata = keyValueMetadata
    }

    func validate() throws(ParquetError) {
        guard rowGroupBytes > 0, pageBytes > 0, pageRowCountMax > 0, dictionaryPageBytes > 0, statisticsValueBytesMax >= 0 else {
            throw ParquetError(file: "", location: "options", "sizes and counts must be positive")
        }
        if case .zstd(let level) = compression, !Zstd.levelRange.contains(level) {
            throw ParquetError(file: "", location: "options", "zstd level \(level) is outside \(Zstd.levelRange)")
        }
    }
}

/// What ``ParquetFileWriter/close()`` reports.
public struct ParquetWriteSummary: Sendable, Equatable {
    public var rowCount: Int64
    /// The size of the finished file.
    public var fileBytes: Int64
    public var rowGroupCount: Int
    /// One per top-level field, in schema order: null count (rows where the field is null) and, for atomic fields,
    /// min and max over the whole file (NaN excluded; nil when no value is non-null or for nested fields).
    public var columns: [ParquetColumnStatistics]
}
