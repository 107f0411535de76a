/// How a table distributes rows into buckets, mirroring `org.apache.paimon.table.BucketMode` and the
/// `bucketMode()` of `KeyValueFileStore` / `AppendOnlyFileStore` (spec/paimon-format.md section 6.1).
public enum BucketMode: String, Sendable, CaseIterable {
    /// `bucket = N > 0`: bucket = hash of the bucket key mod N (PK tables, and append tables with `bucket-key`).
    case hashFixed = "HASH_FIXED"
    /// PK table, `bucket = -1`, primary key contains all partition keys: an assigner picks buckets, recorded in HASH
    /// index files.
    case hashDynamic = "HASH_DYNAMIC"
    /// PK table, `bucket = -1`, cross-partition upsert.
    case keyDynamic = "KEY_DYNAMIC"
    /// Append table, `bucket = -1`: every file in `bucket-0`.
    case bucketUnaware = "BUCKET_UNAWARE"
    /// PK table, `bucket = -2`: files in `bucket-postpone` until compaction assigns buckets.
    case postponeMode = "POSTPONE_MODE"

    /// `BucketMode.UNAWARE_BUCKET`: the bucket id of unaware-bucket files.
    public static let unawareBucket: Int32 = 0
    /// `BucketMode.POSTPONE_BUCKET`.
    public static let postponeBucket: Int32 = -2
    /// The `bucket` option value of dynamic / unaware tables.
    public static let dynamicBucket: Int32 = -1

    /// The mode of `schema` (its `bucket` option must parse).
    public static func of(_ schema: TableSchema) -> BucketMode {
        let bucket = schema.numBuckets
        if schema.primaryKeys.isEmpty {
            return bucket == -1 ? .bucketUnaware : .hashFixed
        }
        switch bucket {
        case -2: return .postponeMode
        case -1: return schema.crossPartitionUpdate ? .keyDynamic : .hashDynamic
        default: return .hashFixed
        }
    }
}
