import WeirColumnar

/// Extracts the partition, trimmed primary key and bucket of a table row, mirroring
/// `org.apache.paimon.table.sink.FixedBucketRowKeyExtractor` (and `RowKeyExtractor`) for fixed-bucket tables
/// (spec/paimon-format.md section 6).
///
/// Rows are given as one ``Value`` per schema field, in schema order. The bucket key row is built from the bucket
/// keys in bucket-key order (row kind +I) and hashed with the table's ``BucketFunction``.
public struct FixedBucketRowKeyExtractor: Sendable {
    public let schema: TableSchema
    public let numBuckets: Int32
    public let bucketFunction: any BucketFunction
    let partitionIndexes: [Int]
    let trimmedPrimaryKeyIndexes: [Int]
    let bucketKeyIndexes: [Int]

    /// Fails unless the schema's mode is ``BucketMode/hashFixed`` and its bucket function can be built.
    public init(schema: TableSchema) throws(PaimonFormatError) {
        let subject = "schema-\(schema.id)"
        guard BucketMode.of(schema) == .hashFixed else {
            throw PaimonFormatError(subject, "bucket = \(schema.numBuckets) is not fixed-bucket mode (\(BucketMode.of(schema).rawValue))")
        }
        guard schema.numBuckets > 0 else { throw PaimonFormatError(subject, "bucket = \(schema.numBuckets) is not a positive bucket count") }
        guard !schema.bucketKeys.isEmpty else { throw PaimonFormatError(subject, "a fixed-bucket table needs bucket keys") }
        self.schema = schema
        numBuckets = schema.numBuckets
        bucketFunction = try makeBucketFunction(
            try schema.coreOptions.bucketFunctionType(), bucketKeyType: schema.logicalBucketKeyType, subject: subject)
        partitionIndexes = schema.projection(schema.partitionKeys)
        trimmedPrimaryKeyIndexes = schema.projection(schema.trimmedPrimaryKeys)
        bucketKeyIndexes = schema.projection(schema.bucketKeys)
    }

    func project(_ row: [Value], _ indexes: [Int], _ what: String) throws(PaimonFormatError) -> BinaryRow {
        guard row.count == schema.fields.count else {
            throw PaimonFormatError("row", "\(row.count) values for the \(schema.fields.count) fields of schema-\(schema.id)")
        }
        return try BinaryRowWriter.write(indexes.map { row[$0] }, types: indexes.map { schema.fields[$0].type }, subject: what)
    }

    /// The partition row (partition keys in `partitionKeys` order).
    public func partition(_ row: [Value]) throws(PaimonFormatError) -> BinaryRow { try project(row, partitionIndexes, "partition") }

    /// The trimmed primary key row (empty row for append tables).
    public func trimmedPrimaryKey(_ row: [Value]) throws(PaimonFormatError) -> BinaryRow {
        try project(row, trimmedPrimaryKeyIndexes, "trimmed primary key")
    }

    /// The bucket key row.
    public func bucketKey(_ row: [Value]) throws(PaimonFormatError) -> BinaryRow { try project(row, bucketKeyIndexes, "bucket key") }

    /// The bucket of the row, in `0 ..< numBuckets`.
    public func bucket(_ row: [Value]) throws(PaimonFormatError) -> Int32 {
        try bucketFunction.bucket(try bucketKey(row), numBuckets: numBuckets)
    }
}
