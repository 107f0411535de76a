import WeirColumnar

/// The table-level rules a schema must satisfy before a table is created or altered, mirroring the basics of
/// `org.apache.paimon.schema.SchemaValidation#validateTableSchema` (Java 1.3) plus `Schema.normalizeFields`'
/// NOT NULL rule for keys. Errors name the schema (`schema-<id>`) and say which rule failed.
///
/// Checked:
/// - primary-key and partition columns exist and are not ARRAY/MAP/MULTISET/ROW; primary-key columns are NOT NULL;
/// - `bucket`: -1 forbids `bucket-key` (and `full-compaction.delta-commits` on append tables); otherwise it must be
///   > 0, or -2 on a primary-key table (postpone mode); a fixed-bucket append table needs `bucket-key`; bucket keys
///   are not nested types; `bucket-function.type = mod` needs one INT or BIGINT bucket key;
/// - `sequence.field`: every name is a field, appears once, has no aggregate function; not with `first-row`, not
///   with a cross-partition update;
/// - `changelog-producer` other than `none` needs a primary key; `first-row` allows only `none` and `lookup`;
///   `full-compaction.delta-commits` is incompatible with the `lookup` producer (Java since PR #7999);
/// - `snapshot.num-retained.min` ≥ 1 and ≤ `.max`; the same for `changelog.num-retained.*`;
/// - field ids are below `Integer.MAX_VALUE / 2` (the system-field range, `SpecialFields.SYSTEM_FIELD_ID_START`);
/// - column names are not system names (`_SEQUENCE_NUMBER`, `_VALUE_KIND`, `_LEVEL`, `rowkind`, `_ROW_ID`) and do not
///   start with `_KEY_`;
/// - `rowkind.field` names a field; deletion vectors need changelog producer `none`/`input`/`lookup` and a merge
///   engine other than `first-row`;
/// - every option the engine reads through ``CoreOptions`` parses.
public enum SchemaValidation {
    /// `SpecialFields.SYSTEM_FIELD_NAMES`.
    public static let systemFieldNames: Set<String> = ["_SEQUENCE_NUMBER", "_VALUE_KIND", "_LEVEL", "rowkind", "_ROW_ID"]
    /// `SpecialFields.KEY_FIELD_PREFIX`.
    public static let keyFieldPrefix = "_KEY_"
    /// Java's message for `full-compaction.delta-commits` with `changelog-producer = lookup`.
    public static let deltaCommitsWithLookupMessage = "'full-compaction.delta-commits' is incompatible with 'changelog-producer'='lookup'. "
        + "Use 'changelog-producer'='full-compaction' to get periodic full compaction with changelog generation, "
        + "or remove 'full-compaction.delta-commits'."

    public static func validateTableSchema(_ schema: TableSchema) throws(PaimonFormatError) {
        let subject = "schema-\(schema.id)"
        func fail(_ message: String) -> PaimonFormatError { PaimonFormatError(subject, message) }
        let options = schema.coreOptions
        func field(_ name: String) -> DataField? { schema.fields.first { $0.name == name } }
        func isNested(_ type: DataType) -> Bool {
            switch type.kind {
            case .array, .multiset, .map, .row: return true
            default: return false
            }
        }

        for (intro, keys) in [("primary key", schema.primaryKeys), ("partition", schema.partitionKeys)] {
            for key in keys {
                guard let f = field(key) else { throw fail("cannot find field: \(key)") }
                if isNested(f.type) { throw fail("the type \(f.type) in \(intro) field \(key) is unsupported") }
            }
        }
        for key in schema.primaryKeys where field(key)!.type.isNullable {
            throw fail("primary key column '\(key)' must be NOT NULL")
        }

        // validateBucket
        let bucket = try options.bucket()
        if bucket == -1 {
            if options.raw(CoreOptions.bucketKey) != nil {
                throw fail("cannot define 'bucket-key' with bucket = -1, please remove the 'bucket-key' setting or specify a bucket number")
            }
            if schema.primaryKeys.isEmpty, options.raw(CoreOptions.fullCompactionDeltaCommits) != nil {
                throw fail("an append table of unaware or dynamic bucket does not support 'full-compaction.delta-commits'")
            }
        } else if bucket < 1 && !(!schema.primaryKeys.isEmpty && bucket == BucketMode.postponeBucket) {
            throw fail("the number of buckets needs to be greater than 0 (got \(bucket); -1 is dynamic/unaware, -2 postpone for primary-key tables)")
        } else {
            if schema.primaryKeys.isEmpty && schema.bucketKeys.isEmpty {
                throw fail("you should define a 'bucket-key' for bucketed append mode")
            }
            let nested = schema.fields.filter { schema.bucketKeys.contains($0.name) && isNested($0.type) }.map(\.name)
            if !nested.isEmpty { throw fail("nested type can not be in bucket-key, in this table these keys are \(nested)") }
        }
        if try options.bucketFunctionType() == .mod, bucket > 0 {
            _ = try ModBucketFunction(bucketKeyType: schema.logicalBucketKeyType, subject: subject)
        }

        // validateSequenceField
        let sequenceFields = options.sequenceField()
        let mergeEngine = try options.mergeEngine()
        if !sequenceFields.isEmpty {
            for name in sequenceFields {
                guard field(name) != nil else { throw fail("sequence field: '\(name)' can not be found in table schema") }
                guard options.fieldAggFunc(name) == nil else { throw fail("should not define aggregation on sequence field: '\(name)'") }
                guard sequenceFields.filter({ $0 == name }).count == 1 else { throw fail("sequence field '\(name)' is defined repeatedly") }
            }
            if mergeEngine == .firstRow { throw fail("do not support use sequence field on FIRST_ROW merge engine") }
            if schema.crossPartitionUpdate {
                throw fail(
                    "you can not use sequence.field in cross partition update case (primary key constraint "
                        + "\(schema.primaryKeys) does not include all partition fields \(schema.partitionKeys))")
            }
        }

        let changelogProducer = try options.changelogProducer()
        if schema.primaryKeys.isEmpty && changelogProducer != .none {
            throw fail("can not set changelog-producer on a table without primary keys, please define primary keys")
        }

        let snapshotMin = try options.snapshotNumRetainMin(), snapshotMax = try options.snapshotNumRetainMax()
        guard snapshotMin > 0 else { throw fail("snapshot.num-retained.min should be at least 1") }
        guard snapshotMin <= snapshotMax else { throw fail("snapshot.num-retained.min should not be larger than snapshot.num-retained.max") }
        let changelogMin = try options.changelogNumRetainMin(), changelogMax = try options.changelogNumRetainMax()
        guard changelogMin > 0 else { throw fail("changelog.num-retained.min should be at least 1") }
        guard changelogMin <= changelogMax else { throw fail("changelog.num-retained.min should not be larger than changelog.num-retained.max") }

        let systemIdStart = Int(Int32.max / 2)
        if let reserved = schema.fields.first(where: { $0.id >= systemIdStart }) {
            throw fail("field id \(reserved.id) of '\(reserved.name)' is in the range reserved for system fields (≥ \(systemIdStart))")
        }
        for name in schema.fieldNames {
            if systemFieldNames.contains(name) { throw fail("field name [\(name)] in schema cannot be one of \(systemFieldNames.sorted())") }
            if name.hasPrefix(keyFieldPrefix) { throw fail("field name [\(name)] in schema cannot start with [\(keyFieldPrefix)]") }
        }

        if changelogProducer == .lookup, options.raw(CoreOptions.fullCompactionDeltaCommits) != nil {
            throw fail(deltaCommitsWithLookupMessage)
        }
        if mergeEngine == .firstRow, changelogProducer != .lookup, changelogProducer != .none {
            throw fail("only support 'none' and 'lookup' changelog-producer on FIRST_ROW merge engine")
        }
        if let rowkind = options.rowkindField(), field(rowkind) == nil {
            throw fail("rowkind field: '\(rowkind)' can not be found in table schema")
        }
        if try options.deletionVectorsEnabled() {
            guard changelogProducer == .none || changelogProducer == .input || changelogProducer == .lookup else {
                throw fail("deletion vectors mode is only supported for NONE/INPUT/LOOKUP changelog producer now")
            }
            guard mergeEngine != .firstRow else {
                throw fail("first row merge engine does not need deletion vectors because there is no deletion of old data in this merge engine")
            }
        }

        // Parse the remaining options the engine reads, so a bad value fails here rather than mid-write.
        _ = try options.fileFormat()
        _ = try options.writeBufferSize()
        _ = try options.targetFileSize(hasPrimaryKey: !schema.primaryKeys.isEmpty)
        _ = try options.numSortedRunStopTrigger()
        _ = try options.numLevels()
        _ = try options.snapshotTimeRetain()
        _ = try options.changelogTimeRetain()
        _ = try options.statsMode()
        _ = try options.ignoreDelete()
        _ = try options.writeOnly()
        _ = try options.legacyPartitionName()
        _ = try options.sequenceFieldSortOrder()
    }
}
