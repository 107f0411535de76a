import WeirCodecs
import WeirColumnar

/// Maps a bucket-key row to a bucket, mirroring `org.apache.paimon.bucket.BucketFunction` (Java 1.3;
/// spec/paimon-format.md section 6.2). Chosen by the `bucket-function.type` option (``create(_:bucketKeyType:subject:)``).
public protocol BucketFunction: Sendable {
    /// The bucket of `row` (the bucket-key BinaryRow, row kind +I) among `numBuckets` > 0 buckets, in
    /// `0 ..< numBuckets`.
    func bucket(_ row: BinaryRow, numBuckets: Int32) throws(PaimonFormatError) -> Int32
}

/// `BucketFunction.create`.
public func makeBucketFunction(
    _ type: CoreOptions.BucketFunctionType, bucketKeyType: RowType, subject: String = "bucket function"
) throws(PaimonFormatError) -> any BucketFunction {
    switch type {
    case .default: return DefaultBucketFunction()
    case .mod: return try ModBucketFunction(bucketKeyType: bucketKeyType, subject: subject)
    }
}

/// `DefaultBucketFunction`: `abs(hash % numBuckets)` with Java's truncating `%`, where hash is
/// ``BinaryRow/hashCode`` (MurmurHash3 by 4-byte words, seed 42, over the row bytes).
public struct DefaultBucketFunction: BucketFunction {
    public init() {}

    public func bucket(_ row: BinaryRow, numBuckets: Int32) throws(PaimonFormatError) -> Int32 {
        guard numBuckets > 0 else { throw PaimonFormatError("bucket function", "the number of buckets \(numBuckets) is not positive") }
        return MurmurHash3.bucket(hash: row.hashCode, numBuckets: numBuckets)
    }
}

/// `ModBucketFunction`: for a single INT or BIGINT bucket key, `floorMod(value, numBuckets)`.
public struct ModBucketFunction: BucketFunction {
    public let isBigint: Bool

    /// Fails unless `bucketKeyType` has exactly one INT or BIGINT field.
    public init(bucketKeyType: RowType, subject: String = "bucket function") throws(PaimonFormatError) {
        guard bucketKeyType.fields.count == 1 else {
            throw PaimonFormatError(subject, "bucket key must have exactly one field in mod bucket function, got \(bucketKeyType.fieldNames)")
        }
        switch bucketKeyType.fields[0].type.kind {
        case .int: isBigint = false
        case .bigint: isBigint = true
        default:
            throw PaimonFormatError(subject, "bucket key type must be INT or BIGINT in mod bucket function, but got \(bucketKeyType.fields[0].type)")
        }
    }

    public func bucket(_ row: BinaryRow, numBuckets: Int32) throws(PaimonFormatError) -> Int32 {
        guard numBuckets > 0 else { throw PaimonFormatError("bucket function", "the number of buckets \(numBuckets) is not positive") }
        guard row.arity == 1 else { throw PaimonFormatError("bucket function", "mod bucket function needs a row of one field, got \(row.arity)") }
        let value = try row.value(at: 0, type: DataType(isBigint ? .bigint : .int), subject: "bucket key")
        guard case .integer(let x) = value else { throw PaimonFormatError("bucket function", "the bucket key is null") }
        let n = Int64(numBuckets)
        return Int32(((x % n) + n) % n)
    }
}
