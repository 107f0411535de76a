import WeirColumnar
import WeirFileIO
import WeirPaimon
import WeirParquet
import WeirTable

/// The staging files between the two stages of an ingest: `<staging>/group-<g>/split-<i>.parquet`, holding the
/// rows of input `i` that belong to write group `g`, in input order, with the table's columns plus
/// ``kindColumn`` (the row kind as TINYINT). A split task writes its files with overwrite, and the same input
/// always gives the same files, so a repeated attempt is harmless; a write task reads a group's files in split order.
enum IngestStaging {
    static let kindColumn = "_weir_row_kind"
    static let directoryName = "_weir_staging"

    /// `<warehouse>/_weir_staging/<jobId>` (outside every `<db>.db` directory, so no Paimon reader sees it).
    static func location(warehouse: String, jobId: String) -> String {
        warehouse.hasSuffix("/") ? "\(warehouse)\(directoryName)/\(jobId)" : "\(warehouse)/\(directoryName)/\(jobId)"
    }

    static func file(staging: String, group: Int, split: Int) throws -> (any FileIO, StoragePath) {
        try WarehouseAccess.path("\(staging)/group-\(group)/split-\(split).parquet")
    }

    /// Staging files are written once and read once, whole: zstd level 1 (fewer bytes through the page cache or
    /// the network than uncompressed or lz4 for the same CPU), no dictionary encoding and no page statistics, which
    /// cost CPU on every value and buy nothing for a file nobody filters.
    static let writeOptions = ParquetWriteOptions(compression: .zstd(level: 1), dictionary: false, statistics: false)

    static func stagingType(_ schema: TableSchema) -> RowType {
        RowType(schema.logicalRowType.fields + [DataField(id: Int(Int32.max) - 20, name: kindColumn, type: DataType(.tinyint, nullable: false))])
    }

    /// The write group of a (partition, bucket): stable across processes (hash of the partition bytes and the bucket).
    static func group(partition: BinaryRow, bucket: Int32, groups: Int) -> Int {
        let h = UInt32(bitPattern: partition.hashCode) &* 31 &+ UInt32(bitPattern: bucket)
        return Int(h % UInt32(groups))
    }
}
