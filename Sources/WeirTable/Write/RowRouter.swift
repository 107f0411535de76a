import WeirColumnar
import WeirPaimon

/// Decides the partition and bucket of every input row (Java's `RowKeyExtractor`s): the partition row from the
/// partition columns, the bucket from the bucket key's hash for fixed-bucket tables (`FixedBucketRowKeyExtractor`),
/// bucket 0 for unaware-bucket append tables. Dynamic-bucket (-1) and postpone (-2) primary-key tables are not
/// written by Weir: they need a key index Weir does not maintain yet.
struct RowRouter {
    let schema: TableSchema
    let partitionIndexes: [Int]
    let partitionTypes: [DataType]
    let extractor: FixedBucketRowKeyExtractor?

    init(schema: TableSchema, subject: String) throws(TableError) {
        self.schema = schema
        partitionIndexes = schema.projection(schema.partitionKeys)
        partitionTypes = partitionIndexes.map { schema.fields[$0].type }
        switch BucketMode.of(schema) {
        case .hashFixed:
            do { extractor = try FixedBucketRowKeyExtractor(schema: schema) } catch { throw TableError.format(error, kind: .invalidTable) }
        case .bucketUnaware:
            extractor = nil
        default:
            throw TableError(.unsupported, subject,
                             "Weir writes fixed-bucket primary-key tables and append tables; this table has bucket = \(schema.numBuckets) (\(BucketMode.of(schema).rawValue)), which Weir can read but not write. Create the table with a 'bucket' option > 0")
        }
    }

    /// For every row, its (partition, bucket) group: groups in first-appearance order and each row's group index.
    func route(_ batch: ColumnBatch) throws(TableError) -> (groups: [BucketKey], rowGroups: [Int32]) {
        var groups: [BucketKey] = []
        var groupIndex: [BucketKey: Int32] = [:]
        var rowGroups = [Int32](repeating: 0, count: batch.rowCount)
        let bucketIndexes = extractor.map { _ in schema.projection(schema.bucketKeys) } ?? []
        let bucketTypes = bucketIndexes.map { schema.fields[$0].type }
        var partitionCache: [[Value]: BinaryRow] = [:]
        for row in 0..<batch.rowCount {
            let partitionValues = partitionIndexes.map { batch.columns[$0].value(at: row) }
            let partition: BinaryRow
            do {
                if let cached = partitionCache[partitionValues] {
                    partition = cached
                } else {
                    partition = try BinaryRowWriter.write(partitionValues, types: partitionTypes, subject: "partition")
                    partitionCache[partitionValues] = partition
                }
                var bucket: Int32 = 0
                if let extractor {
                    let keyRow = try BinaryRowWriter.write(bucketIndexes.map { batch.columns[$0].value(at: row) }, types: bucketTypes, subject: "bucket key")
                    bucket = try extractor.bucketFunction.bucket(keyRow, numBuckets: extractor.numBuckets)
                }
                let key = BucketKey(partition: partition, bucket: bucket)
                if let index = groupIndex[key] {
                    rowGroups[row] = index
                } else {
                    let index = Int32(groups.count)
                    groups.append(key)
                    groupIndex[key] = index
                    rowGroups[row] = index
                }
            } catch {
                throw TableError(.invalidInput, "row \(row + 1)", error.description)
            }
        }
        return (groups, rowGroups)
    }
}
