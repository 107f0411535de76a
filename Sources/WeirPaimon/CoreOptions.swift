/// Typed access to a table's options (the `options` of its schema), mirroring `org.apache.paimon.CoreOptions`
/// (Java 1.3; spec/paimon-format.md section 9, spec/paimon-semantics.md for the merge options).
///
/// Options are strings; each accessor parses on use, as Java's `Options.get` does, and returns Java's default when
/// the key (and its fallback keys) is absent. Values are parsed the Java way: integers with
/// `Integer.parseInt`/`Long.parseLong` syntax (optional sign, digits, no spaces), booleans `true`/`false` in any
/// case, enums by their option value in any case, memory sizes with ``MemorySize/parse(_:subject:)``, durations
/// with ``TimeUtils/parseDuration(_:subject:)``. A bad value throws a ``PaimonFormatError`` whose subject is
/// `option '<key>'`.
public struct CoreOptions: Sendable, Equatable {
    public let options: [String: String]

    public init(_ options: [String: String]) { self.options = options }

    // MARK: option keys and defaults

    public static let bucket = ConfigOption<Int32>(key: "bucket", default: -1, parse: ConfigOption<Int32>.int32)
    public static let bucketKey = ConfigOption<String>.string("bucket-key")
    public static let bucketFunctionType = ConfigOption<BucketFunctionType>.enumeration("bucket-function.type", default: .default)
    public static let fileFormat = ConfigOption<String>.string("file.format", default: "parquet")
    public static let fileCompression = ConfigOption<String>.string("file.compression", default: "zstd")
    public static let fileCompressionZstdLevel = ConfigOption<Int32>(key: "file.compression.zstd-level", default: 1, parse: ConfigOption<Int32>.int32)
    public static let fileFormatPerLevel = ConfigOption<[String: String]>(key: "file.format.per.level", default: [:], parse: ConfigOption<[String: String]>.map)
    public static let fileCompressionPerLevel = ConfigOption<[String: String]>(key: "file.compression.per.level", default: [:], parse: ConfigOption<[String: String]>.map)
    public static let manifestFormat = ConfigOption<String>.string("manifest.format", default: "avro")
    public static let manifestCompression = ConfigOption<String>.string("manifest.compression", default: "zstd")
    public static let manifestTargetFileSize = ConfigOption<MemorySize>.memory("manifest.target-file-size", default: .ofMebiBytes(8))
    public static let manifestMergeMinCount = ConfigOption<Int32>(key: "manifest.merge-min-count", default: 30, parse: ConfigOption<Int32>.int32)
    public static let manifestFullCompactionFileSize = ConfigOption<MemorySize>.memory("manifest.full-compaction-threshold-size", default: .ofMebiBytes(16))
    public static let mergeEngine = ConfigOption<MergeEngine>.enumeration("merge-engine", default: .deduplicate)
    public static let ignoreDelete = ConfigOption<Bool>(
        key: "ignore-delete", fallbackKeys: ["first-row.ignore-delete", "deduplicate.ignore-delete", "partial-update.ignore-delete"],
        default: false, parse: ConfigOption<Bool>.boolean)
    public static let ignoreUpdateBefore = ConfigOption<Bool>.bool("ignore-update-before", default: false)
    public static let sequenceField = ConfigOption<String>.string("sequence.field")
    public static let sequenceFieldSortOrder = ConfigOption<SortOrder>.enumeration("sequence.field.sort-order", default: .ascending)
    public static let rowkindField = ConfigOption<String>.string("rowkind.field")
    public static let partialUpdateRemoveRecordOnDelete = ConfigOption<Bool>.bool("partial-update.remove-record-on-delete", default: false)
    public static let partialUpdateRemoveRecordOnSequenceGroup = ConfigOption<String>.string("partial-update.remove-record-on-sequence-group")
    public static let aggregationRemoveRecordOnDelete = ConfigOption<Bool>.bool("aggregation.remove-record-on-delete", default: false)
    public static let fieldsDefaultAggFunc = ConfigOption<String>.string("fields.default-aggregate-function")
    public static let changelogProducer = ConfigOption<ChangelogProducer>.enumeration("changelog-producer", default: .none)
    public static let writeBufferSize = ConfigOption<MemorySize>.memory("write-buffer-size", default: .ofMebiBytes(256))
    public static let writeBufferSpillable = ConfigOption<Bool>.bool("write-buffer-spillable", default: true)
    public static let pageSize = ConfigOption<MemorySize>.memory("page-size", default: .ofKibiBytes(64))
    public static let targetFileSize = ConfigOption<MemorySize>(key: "target-file-size", default: nil, parse: ConfigOption<MemorySize>.memorySize)
    public static let numSortedRunsCompactionTrigger = ConfigOption<Int32>(key: "num-sorted-run.compaction-trigger", default: 5, parse: ConfigOption<Int32>.int32)
    public static let numSortedRunsStopTrigger = ConfigOption<Int32>(key: "num-sorted-run.stop-trigger", default: nil, parse: ConfigOption<Int32>.int32)
    public static let numLevels = ConfigOption<Int32>(key: "num-levels", default: nil, parse: ConfigOption<Int32>.int32)
    public static let compactionMaxSizeAmplificationPercent = ConfigOption<Int32>(
        key: "compaction.max-size-amplification-percent", default: 200, parse: ConfigOption<Int32>.int32)
    public static let compactionSizeRatio = ConfigOption<Int32>(key: "compaction.size-ratio", default: 1, parse: ConfigOption<Int32>.int32)
    public static let fullCompactionDeltaCommits = ConfigOption<Int32>(key: "full-compaction.delta-commits", default: nil, parse: ConfigOption<Int32>.int32)
    public static let snapshotNumRetainedMin = ConfigOption<Int32>(key: "snapshot.num-retained.min", default: 10, parse: ConfigOption<Int32>.int32)
    public static let snapshotNumRetainedMax = ConfigOption<Int32>(key: "snapshot.num-retained.max", default: Int32.max, parse: ConfigOption<Int32>.int32)
    public static let snapshotTimeRetained = ConfigOption<Duration>.duration("snapshot.time-retained", default: .seconds(3600))
    public static let snapshotExpireLimit = ConfigOption<Int32>(key: "snapshot.expire.limit", default: 50, parse: ConfigOption<Int32>.int32)
    public static let changelogNumRetainedMin = ConfigOption<Int32>(key: "changelog.num-retained.min", default: nil, parse: ConfigOption<Int32>.int32)
    public static let changelogNumRetainedMax = ConfigOption<Int32>(key: "changelog.num-retained.max", default: nil, parse: ConfigOption<Int32>.int32)
    public static let changelogTimeRetained = ConfigOption<Duration>(key: "changelog.time-retained", default: nil, parse: ConfigOption<Duration>.timeDuration)
    public static let deletionVectorsEnabled = ConfigOption<Bool>.bool("deletion-vectors.enabled", default: false)
    public static let deletionVectorsBitmap64 = ConfigOption<Bool>.bool("deletion-vectors.bitmap64", default: false)
    public static let writeOnly = ConfigOption<Bool>(key: "write-only", fallbackKeys: ["write.compaction-skip"], default: false, parse: ConfigOption<Bool>.boolean)
    public static let partitionDefaultName = ConfigOption<String>.string("partition.default-name", default: "__DEFAULT_PARTITION__")
    public static let partitionGenerateLegacyName = ConfigOption<Bool>.bool("partition.legacy-name", default: true)
    public static let metadataStatsMode = ConfigOption<String>.string("metadata.stats-mode", default: "truncate(16)")
    public static let metadataStatsDenseStore = ConfigOption<Bool>.bool("metadata.stats-dense-store", default: true)
    public static let dataFilePrefix = ConfigOption<String>.string("data-file.prefix", default: "data-")
    public static let changelogFilePrefix = ConfigOption<String>.string("changelog-file.prefix", default: "changelog-")
    public static let fileSuffixIncludeCompression = ConfigOption<Bool>.bool("file.suffix.include.compression", default: false)
    public static let dataFileThinMode = ConfigOption<Bool>.bool("data-file.thin-mode", default: false)
    public static let commitMaxRetries = ConfigOption<Int32>(key: "commit.max-retries", default: 10, parse: ConfigOption<Int32>.int32)
    public static let commitTimeout = ConfigOption<Duration>(key: "commit.timeout", default: nil, parse: ConfigOption<Duration>.timeDuration)
    public static let commitMinRetryWait = ConfigOption<Duration>.duration("commit.min-retry-wait", default: .milliseconds(10))
    public static let commitMaxRetryWait = ConfigOption<Duration>.duration("commit.max-retry-wait", default: .seconds(10))
    public static let dynamicBucketTargetRowNum = ConfigOption<Int64>(key: "dynamic-bucket.target-row-num", default: 2_000_000, parse: ConfigOption<Int64>.int64)
    public static let fileIndexInManifestThreshold = ConfigOption<MemorySize>.memory("file-index.in-manifest-threshold", default: MemorySize(bytes: 500))
    public static let rowTrackingEnabled = ConfigOption<Bool>.bool("row-tracking.enabled", default: false)
    public static let dataEvolutionEnabled = ConfigOption<Bool>.bool("data-evolution.enabled", default: false)
    /// Options folded into the schema's key lists and removed from the stored options.
    public static let primaryKey = ConfigOption<String>.string("primary-key")
    public static let partition = ConfigOption<String>.string("partition")

    /// `fields.` prefix of per-field options (`CoreOptions.FIELDS_PREFIX`).
    public static let fieldsPrefix = "fields"

    // MARK: generic access

    /// The raw value of `option` (its key, then its fallback keys), nil when absent.
    public func raw<T>(_ option: ConfigOption<T>) -> String? {
        if let value = options[option.key] { return value }
        for key in option.fallbackKeys { if let value = options[key] { return value } }
        return nil
    }

    /// The parsed value of `option`, or its default (nil for options without a default).
    public func get<T>(_ option: ConfigOption<T>) throws(PaimonFormatError) -> T? {
        guard let text = raw(option) else { return option.defaultValue }
        return try option.parse(text, "option '\(option.key)'")
    }

    /// The parsed value of an option that has a default.
    func value<T>(_ option: ConfigOption<T>) throws(PaimonFormatError) -> T {
        guard let value = try get(option) else {
            preconditionFailure("option '\(option.key)' has no default")
        }
        return value
    }

    // MARK: typed accessors (Java method names)

    public func bucket() throws(PaimonFormatError) -> Int32 { try value(Self.bucket) }
    /// `bucket-key` split on `,` (no trimming, as Java); empty when absent or blank.
    public func bucketKey() -> [String] {
        guard let text = raw(Self.bucketKey), !TimeUtils.javaTrim(text).isEmpty else { return [] }
        return text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
    public func bucketFunctionType() throws(PaimonFormatError) -> BucketFunctionType { try value(Self.bucketFunctionType) }
    /// `file.format`, lower-cased (`normalizeFileFormat`).
    public func fileFormat() throws(PaimonFormatError) -> String { try value(Self.fileFormat).lowercased() }
    public func fileCompression() throws(PaimonFormatError) -> String { try value(Self.fileCompression) }
    public func fileCompressionZstdLevel() throws(PaimonFormatError) -> Int32 { try value(Self.fileCompressionZstdLevel) }
    /// `file.format.per.level` (`0:avro,1:orc`) as level → lower-cased format.
    public func fileFormatPerLevel() throws(PaimonFormatError) -> [Int32: String] {
        try perLevel(Self.fileFormatPerLevel).mapValues { $0.lowercased() }
    }
    public func fileCompressionPerLevel() throws(PaimonFormatError) -> [Int32: String] { try perLevel(Self.fileCompressionPerLevel) }
    /// `manifest.format`, lower-cased.
    public func manifestFormat() throws(PaimonFormatError) -> String { try value(Self.manifestFormat).lowercased() }
    public func manifestCompression() throws(PaimonFormatError) -> String { try value(Self.manifestCompression) }
    public func manifestTargetSize() throws(PaimonFormatError) -> MemorySize { try value(Self.manifestTargetFileSize) }
    public func manifestMergeMinCount() throws(PaimonFormatError) -> Int32 { try value(Self.manifestMergeMinCount) }
    public func manifestFullCompactionThresholdSize() throws(PaimonFormatError) -> MemorySize { try value(Self.manifestFullCompactionFileSize) }
    public func mergeEngine() throws(PaimonFormatError) -> MergeEngine { try value(Self.mergeEngine) }
    public func ignoreDelete() throws(PaimonFormatError) -> Bool { try value(Self.ignoreDelete) }
    public func ignoreUpdateBefore() throws(PaimonFormatError) -> Bool { try value(Self.ignoreUpdateBefore) }
    /// `sequence.field` split on `,` (no trimming, as Java); empty when absent.
    public func sequenceField() -> [String] {
        guard let text = raw(Self.sequenceField) else { return [] }
        return text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
    public func sequenceFieldSortOrder() throws(PaimonFormatError) -> SortOrder { try value(Self.sequenceFieldSortOrder) }
    public func rowkindField() -> String? { raw(Self.rowkindField) }
    public func partialUpdateRemoveRecordOnDelete() throws(PaimonFormatError) -> Bool { try value(Self.partialUpdateRemoveRecordOnDelete) }
    /// `partial-update.remove-record-on-sequence-group`, split on `,` and trimmed.
    public func partialUpdateRemoveRecordOnSequenceGroup() -> [String] {
        guard let text = raw(Self.partialUpdateRemoveRecordOnSequenceGroup) else { return [] }
        return text.split(separator: ",").map { TimeUtils.javaTrim(String($0)) }
    }
    public func aggregationRemoveRecordOnDelete() throws(PaimonFormatError) -> Bool { try value(Self.aggregationRemoveRecordOnDelete) }
    /// `fields.default-aggregate-function`.
    public func fieldsDefaultFunc() -> String? { raw(Self.fieldsDefaultAggFunc) }
    /// `fields.<field>.aggregate-function`.
    public func fieldAggFunc(_ field: String) -> String? { options["\(Self.fieldsPrefix).\(field).aggregate-function"] }
    /// `fields.<field>.ignore-retract` (default false).
    public func fieldAggIgnoreRetract(_ field: String) throws(PaimonFormatError) -> Bool {
        try value(ConfigOption<Bool>.bool("\(Self.fieldsPrefix).\(field).ignore-retract", default: false))
    }
    /// `fields.<field>.distinct` (default false).
    public func fieldCollectAggDistinct(_ field: String) throws(PaimonFormatError) -> Bool {
        try value(ConfigOption<Bool>.bool("\(Self.fieldsPrefix).\(field).distinct", default: false))
    }
    /// `fields.<field>.list-agg-delimiter` (default `,`).
    public func fieldListAggDelimiter(_ field: String) -> String {
        options["\(Self.fieldsPrefix).\(field).list-agg-delimiter"] ?? ","
    }
    /// The partial-update sequence groups: every `fields.<seq1>[,<seq2>…].sequence-group = <f1>,<f2>,…` option as
    /// (sequence fields, protected fields), both split on `,` and trimmed, ordered by key for determinism
    /// (`PartialUpdateMergeFunction.SEQUENCE_GROUP`).
    public func sequenceGroups() -> [(sequenceFields: [String], fields: [String])] {
        let prefix = Self.fieldsPrefix + ".", suffix = ".sequence-group"
        return options.keys.sorted().compactMap { key in
            guard key.hasPrefix(prefix), key.hasSuffix(suffix), key.count > prefix.count + suffix.count else { return nil }
            let sequence = key.dropFirst(prefix.count).dropLast(suffix.count)
            let trim = { (s: Substring) in TimeUtils.javaTrim(String(s)) }
            return (sequence.split(separator: ",").map(trim), options[key]!.split(separator: ",").map(trim))
        }
    }
    public func changelogProducer() throws(PaimonFormatError) -> ChangelogProducer { try value(Self.changelogProducer) }
    public func writeBufferSize() throws(PaimonFormatError) -> Int64 { try value(Self.writeBufferSize).bytes }
    public func writeBufferSpillable() throws(PaimonFormatError) -> Bool { try value(Self.writeBufferSpillable) }
    public func pageSize() throws(PaimonFormatError) -> Int64 { try value(Self.pageSize).bytes }
    /// `target-file-size`, else 128 MiB for primary-key tables and 256 MiB for append tables.
    public func targetFileSize(hasPrimaryKey: Bool) throws(PaimonFormatError) -> Int64 {
        try get(Self.targetFileSize)?.bytes ?? (hasPrimaryKey ? 128 << 20 : 256 << 20)
    }
    /// `targetFileSize / 10 * 7`: files at least this big do not join compaction.
    public func compactionFileSize(hasPrimaryKey: Bool) throws(PaimonFormatError) -> Int64 {
        try targetFileSize(hasPrimaryKey: hasPrimaryKey) / 10 * 7
    }
    public func numSortedRunCompactionTrigger() throws(PaimonFormatError) -> Int32 { try value(Self.numSortedRunsCompactionTrigger) }
    /// `num-sorted-run.stop-trigger`, else trigger + 3; never below the trigger.
    public func numSortedRunStopTrigger() throws(PaimonFormatError) -> Int32 {
        let trigger = try numSortedRunCompactionTrigger()
        let stop = try get(Self.numSortedRunsStopTrigger) ?? Self.addSafely(trigger, 3)
        return max(trigger, stop)
    }
    /// `num-levels`, else trigger + 1 (6 by default).
    public func numLevels() throws(PaimonFormatError) -> Int32 {
        if let numLevels = try get(Self.numLevels) { return numLevels }
        return Self.addSafely(try numSortedRunCompactionTrigger(), 1)
    }
    public func maxSizeAmplificationPercent() throws(PaimonFormatError) -> Int32 { try value(Self.compactionMaxSizeAmplificationPercent) }
    public func sortedRunSizeRatio() throws(PaimonFormatError) -> Int32 { try value(Self.compactionSizeRatio) }
    public func fullCompactionDeltaCommits() throws(PaimonFormatError) -> Int32? { try get(Self.fullCompactionDeltaCommits) }
    public func snapshotNumRetainMin() throws(PaimonFormatError) -> Int32 { try value(Self.snapshotNumRetainedMin) }
    public func snapshotNumRetainMax() throws(PaimonFormatError) -> Int32 { try value(Self.snapshotNumRetainedMax) }
    public func snapshotTimeRetain() throws(PaimonFormatError) -> Duration { try value(Self.snapshotTimeRetained) }
    public func snapshotExpireLimit() throws(PaimonFormatError) -> Int32 { try value(Self.snapshotExpireLimit) }
    /// `changelog.num-retained.min`, else the snapshot value.
    public func changelogNumRetainMin() throws(PaimonFormatError) -> Int32 {
        if let value = try get(Self.changelogNumRetainedMin) { return value }
        return try snapshotNumRetainMin()
    }
    public func changelogNumRetainMax() throws(PaimonFormatError) -> Int32 {
        if let value = try get(Self.changelogNumRetainedMax) { return value }
        return try snapshotNumRetainMax()
    }
    public func changelogTimeRetain() throws(PaimonFormatError) -> Duration {
        if let value = try get(Self.changelogTimeRetained) { return value }
        return try snapshotTimeRetain()
    }
    public func deletionVectorsEnabled() throws(PaimonFormatError) -> Bool { try value(Self.deletionVectorsEnabled) }
    public func deletionVectorBitmap64() throws(PaimonFormatError) -> Bool { try value(Self.deletionVectorsBitmap64) }
    public func writeOnly() throws(PaimonFormatError) -> Bool { try value(Self.writeOnly) }
    public func partitionDefaultName() -> String { raw(Self.partitionDefaultName) ?? "__DEFAULT_PARTITION__" }
    public func legacyPartitionName() throws(PaimonFormatError) -> Bool { try value(Self.partitionGenerateLegacyName) }
    /// `metadata.stats-mode` as a collector mode (`none`, `counts`, `full`, `truncate(N)`, any case).
    public func statsMode() throws(PaimonFormatError) -> SimpleColStatsCollector.Mode {
        try SimpleColStatsCollector.Mode.parse(try value(Self.metadataStatsMode), subject: "option '\(Self.metadataStatsMode.key)'")
    }
    public func statsDenseStore() throws(PaimonFormatError) -> Bool { try value(Self.metadataStatsDenseStore) }
    public func dataFilePrefix() -> String { raw(Self.dataFilePrefix) ?? "data-" }
    public func changelogFilePrefix() -> String { raw(Self.changelogFilePrefix) ?? "changelog-" }
    public func fileSuffixIncludeCompression() throws(PaimonFormatError) -> Bool { try value(Self.fileSuffixIncludeCompression) }
    public func dataFileThinMode() throws(PaimonFormatError) -> Bool { try value(Self.dataFileThinMode) }
    public func commitMaxRetries() throws(PaimonFormatError) -> Int32 { try value(Self.commitMaxRetries) }
    /// `commit.timeout`; nil means no limit.
    public func commitTimeout() throws(PaimonFormatError) -> Duration? { try get(Self.commitTimeout) }
    public func commitMinRetryWait() throws(PaimonFormatError) -> Duration { try value(Self.commitMinRetryWait) }
    public func commitMaxRetryWait() throws(PaimonFormatError) -> Duration { try value(Self.commitMaxRetryWait) }
    public func dynamicBucketTargetRowNum() throws(PaimonFormatError) -> Int64 { try value(Self.dynamicBucketTargetRowNum) }
    public func fileIndexInManifestThreshold() throws(PaimonFormatError) -> Int64 { try value(Self.fileIndexInManifestThreshold).bytes }
    public func rowTrackingEnabled() throws(PaimonFormatError) -> Bool { try value(Self.rowTrackingEnabled) }
    public func dataEvolutionEnabled() throws(PaimonFormatError) -> Bool { try value(Self.dataEvolutionEnabled) }

    func perLevel(_ option: ConfigOption<[String: String]>) throws(PaimonFormatError) -> [Int32: String] {
        var out: [Int32: String] = [:]
        for (key, value) in try self.value(option) {
            guard let level = Int32(key) else { throw PaimonFormatError("option '\(option.key)'", "level '\(key)' is not an integer") }
            out[level] = value
        }
        return out
    }

    /// `MathUtils.addSafely`: saturates at Int32.max instead of overflowing.
    static func addSafely(_ a: Int32, _ b: Int32) -> Int32 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int32.max : sum
    }

    // MARK: enums (Java option values)

    public enum MergeEngine: String, Sendable, CaseIterable, OptionEnum {
        case deduplicate, partialUpdate = "partial-update", aggregation, firstRow = "first-row"
    }

    public enum ChangelogProducer: String, Sendable, CaseIterable, OptionEnum {
        case none, input, fullCompaction = "full-compaction", lookup
    }

    public enum BucketFunctionType: String, Sendable, CaseIterable, OptionEnum {
        case `default`, mod
    }

    public enum SortOrder: String, Sendable, CaseIterable, OptionEnum {
        case ascending, descending
    }
}

/// An enum whose raw values are Java's option values (`DescribedEnum#toString`).
public protocol OptionEnum: RawRepresentable, CaseIterable, Sendable where RawValue == String {}

/// One option: its key, fallback keys, default and parser; mirrors `org.apache.paimon.options.ConfigOption`.
public struct ConfigOption<T> {
    public let key: String
    public let fallbackKeys: [String]
    public let defaultValue: T?
    /// Parses the text of the option; the second argument is the subject for errors.
    public let parse: @Sendable (String, String) throws(PaimonFormatError) -> T

    public init(
        key: String, fallbackKeys: [String] = [], default defaultValue: T?,
        parse: @escaping @Sendable (String, String) throws(PaimonFormatError) -> T
    ) {
        self.key = key
        self.fallbackKeys = fallbackKeys
        self.defaultValue = defaultValue
        self.parse = parse
    }
}

extension ConfigOption: Sendable where T: Sendable {}

extension ConfigOption {
    /// `Integer.parseInt`.
    public static func int32(_ text: String, _ subject: String) throws(PaimonFormatError) -> Int32 {
        guard text.utf8.count <= 12, let value = Int32(text) else {
            throw PaimonFormatError(subject, "'\(text.prefix(64))' is not a 32-bit integer")
        }
        return value
    }

    /// `Long.parseLong`.
    public static func int64(_ text: String, _ subject: String) throws(PaimonFormatError) -> Int64 {
        guard text.utf8.count <= 21, let value = Int64(text) else {
            throw PaimonFormatError(subject, "'\(text.prefix(64))' is not a 64-bit integer")
        }
        return value
    }

    /// `true` / `false`, any case.
    public static func boolean(_ text: String, _ subject: String) throws(PaimonFormatError) -> Bool {
        switch text.uppercased() {
        case "TRUE": return true
        case "FALSE": return false
        default: throw PaimonFormatError(subject, "unrecognized value '\(text.prefix(64))' for a boolean; expected true or false (case insensitive)")
        }
    }

    public static func memorySize(_ text: String, _ subject: String) throws(PaimonFormatError) -> MemorySize {
        try MemorySize.parse(text, subject: subject)
    }

    public static func timeDuration(_ text: String, _ subject: String) throws(PaimonFormatError) -> Duration {
        try TimeUtils.parseDuration(text, subject: subject)
    }

    /// Java's map type: `k1:v1,k2:v2` (keys and values trimmed; quoting is not supported and is an error).
    public static func map(_ text: String, _ subject: String) throws(PaimonFormatError) -> [String: String] {
        guard !text.contains("'"), !text.contains("\"") else {
            throw PaimonFormatError(subject, "quoted map entries are not supported: '\(text.prefix(64))'")
        }
        var out: [String: String] = [:]
        for entry in text.split(separator: ",") {
            let parts = entry.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw PaimonFormatError(subject, "map entry '\(entry)' is not key:value") }
            out[TimeUtils.javaTrim(String(parts[0]))] = TimeUtils.javaTrim(String(parts[1]))
        }
        return out
    }
}

extension ConfigOption where T == String {
    public static func string(_ key: String, default defaultValue: String? = nil) -> ConfigOption<String> {
        ConfigOption(key: key, default: defaultValue) { text, _ in text }
    }
}

extension ConfigOption where T == Bool {
    public static func bool(_ key: String, default defaultValue: Bool) -> ConfigOption<Bool> {
        ConfigOption(key: key, default: defaultValue, parse: boolean)
    }
}

extension ConfigOption where T == MemorySize {
    public static func memory(_ key: String, default defaultValue: MemorySize) -> ConfigOption<MemorySize> {
        ConfigOption(key: key, default: defaultValue, parse: memorySize)
    }
}

extension ConfigOption where T == Duration {
    public static func duration(_ key: String, default defaultValue: Duration) -> ConfigOption<Duration> {
        ConfigOption(key: key, default: defaultValue, parse: timeDuration)
    }
}

extension ConfigOption where T: OptionEnum {
    /// An enum option matched case-insensitively against the option values (`OptionsUtils.convertToEnum`).
    public static func enumeration(_ key: String, default defaultValue: T) -> ConfigOption<T> {
        ConfigOption(key: key, default: defaultValue) { (text: String, subject: String) throws(PaimonFormatError) -> T in
            let upper = text.uppercased()
            guard let match = T.allCases.first(where: { $0.rawValue.uppercased() == upper }) else {
                throw PaimonFormatError(
                    subject, "could not parse value '\(text.prefix(64))'; expected one of: " + T.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return match
        }
    }
}
