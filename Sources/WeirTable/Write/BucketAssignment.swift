import WeirColumnar
import WeirPaimon

/// Where the rows of a batch go: the distinct (partition, bucket) pairs in order of first appearance and, for every
/// row, the index of its pair. Used by jobs that split a write across tasks by bucket (the cluster's ingest).
public struct BucketAssignment: Sendable {
    public let partitions: [BinaryRow]
    public let buckets: [Int32]
    public let rowGroups: [Int32]

    public var groupCount: Int { buckets.count }
}

extension FileStoreTable {
    /// The partition and bucket of every row of `batch` (rows in the table's schema), exactly as a ``TableWrite``
    /// routes them. Fails for tables Weir cannot write (dynamic or postpone buckets).
    public func assignBuckets(_ batch: ColumnBatch) throws(TableError) -> BucketAssignment {
        let (groups, rowGroups) = try RowRouter(schema: schema, subject: name).route(batch)
        return BucketAssignment(partitions: groups.map(\.partition), buckets: groups.map(\.bucket), rowGroups: rowGroups)
    }
}
