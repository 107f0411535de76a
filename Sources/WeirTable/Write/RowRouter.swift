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
    let bucketIndexes: [Int]
    let bucketTypes: [DataType]

    init(schema: TableSchema, subject: String) throws(TableError) {
        self.schema = schema
        partitionIndexes = schema.projection(schema.partitionKeys)
        partitionTypes = partitionIndexes.map { schema.fields[$0].type }
        switch BucketMode.of(schema) {
        case .hashFixed:
            do { extractor = try FixedBucketRowKeyExtractor(schema: schema) } catch { throw TableError.format(error, kind: .invalidTable) }
            bucketIndexes = schema.projection(schema.bucketKeys)
        case .bucketUnaware:
            extractor = nil
            bucketIndexes = []
        default:
            throw TableError(.unsupported, subject,
                             "Weir writes fixed-bucket primary-key tables and append tables; this table has bucket = \(schema.numBuckets) (\(BucketMode.of(schema).rawValue)), which Weir can read but not write. Create the table with a 'bucket' option > 0")
        }
        bucketTypes = bucketIndexes.map { schema.fields[$0].type }
    }

    /// For every row, its (partition, bucket) group: groups in first-appearance order and each row's group index.
    /// Buckets of the default bucket function over the key types ``ColumnarBucketHasher`` covers are hashed from
    /// the column buffers; other bucket functions and key types, and partition rows, go value by value.
    func route(_ batch: ColumnBatch) throws(TableError) -> (groups: [BucketKey], rowGroups: [Int32]) {
        let rows = batch.rowCount
        var buckets: [Int32]
        if let extractor {
            if extractor.bucketFunction is DefaultBucketFunction,
               let hasher = ColumnarBucketHasher(columns: bucketIndexes.map { batch.columns[$0] }) {
                buckets = hasher.buckets(numBuckets: extractor.numBuckets)
            } else {
                buckets = [Int32](repeating: 0, count: rows)
                for row in 0..<rows {
                    do {
                        let keyRow = try BinaryRowWriter.write(bucketIndexes.map { batch.columns[$0].value(at: row) }, types: bucketTypes, subject: "bucket key")
                        buckets[row] = try extractor.bucketFunction.bucket(keyRow, numBuckets: extractor.numBuckets)
                    } catch {
                        throw TableError(.invalidInput, "row \(row + 1)", error.description)
                    }
                }
            }
        } else {
            buckets = [Int32](repeating: 0, count: rows)
        }
        var groups: [BucketKey] = []
        var rowGroups = [Int32](repeating: 0, count: rows)
        if partitionIndexes.isEmpty {
            // One partition: the group of a bucket is looked up by the bucket alone.
            var groupOfBucket: [Int32: Int32] = [:]
            var last: (bucket: Int32, group: Int32) = (-1, -1)
            for row in 0..<rows {
                let bucket = buckets[row]
                if bucket == last.bucket {
                    rowGroups[row] = last.group
                    continue
                }
                let group: Int32
                if let known = groupOfBucket[bucket] {
                    group = known
                } else {
                    group = Int32(groups.count)
                    groups.append(BucketKey(partition: BinaryRow.emptyRow, bucket: bucket))
                    groupOfBucket[bucket] = group
                }
                rowGroups[row] = group
                last = (bucket, group)
            }
            return (groups, rowGroups)
        }
        var groupIndex: [BucketKey: Int32] = [:]
        var partitionCache: [[Value]: BinaryRow] = [:]
        for row in 0..<rows {
            let partitionValues = partitionIndexes.map { batch.columns[$0].value(at: row) }
            let partition: BinaryRow
            do {
                if let cached = partitionCache[partitionValues] {
                    partition = cached
                } else {
                    partition = try BinaryRowWriter.write(partitionValues, types: partitionTypes, subject: "partition")
                    partitionCache[partitionValues] = partition
                }
            } catch {
                throw TableError(.invalidInput, "row \(row + 1)", error.description)
            }
            let key = BucketKey(partition: partition, bucket: buckets[row])
            if let index = groupIndex[key] {
                rowGroups[row] = index
            } else {
                let index = Int32(groups.count)
                groups.append(key)
                groupIndex[key] = index
                rowGroups[row] = index
            }
        }
        return (groups, rowGroups)
    }
}
