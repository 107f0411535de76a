/// Directory and file names of a table's manifests, index files, statistics and buckets, mirroring the constants
/// and builders of `org.apache.paimon.utils.FileStorePathFactory` (spec/paimon-format.md sections 1.1 and 1.2).
/// Pure: the caller supplies UUIDs and counters; every name is relative to the table root.
public enum FileStorePathFactory {
    public static let manifestPath = "manifest"
    public static let manifestPrefix = "manifest-"
    public static let manifestListPrefix = "manifest-list-"
    public static let indexManifestPrefix = "index-manifest-"
    public static let indexPath = "index"
    public static let indexPrefix = "index-"
    public static let statisticsPath = "statistics"
    public static let statisticsPrefix = "stat-"
    public static let bucketPathPrefix = "bucket-"
    /// Directory of bucket -2 (postpone mode).
    public static let postponeBucketDirectory = "bucket-postpone"

    /// `manifest-<uuid>-<n>` (in `manifest/`).
    public static func manifestFileName(uuid: String, count: Int) throws(PaimonFormatError) -> String {
        try FileNames.counted(manifestPrefix, uuid: uuid, count: count)
    }

    /// `manifest-list-<uuid>-<n>` (in `manifest/`).
    public static func manifestListFileName(uuid: String, count: Int) throws(PaimonFormatError) -> String {
        try FileNames.counted(manifestListPrefix, uuid: uuid, count: count)
    }

    /// `index-manifest-<uuid>-<n>` (in `manifest/`).
    public static func indexManifestFileName(uuid: String, count: Int) throws(PaimonFormatError) -> String {
        try FileNames.counted(indexManifestPrefix, uuid: uuid, count: count)
    }

    /// `index-<uuid>-<n>` (in `index/`).
    public static func indexFileName(uuid: String, count: Int) throws(PaimonFormatError) -> String {
        try FileNames.counted(indexPrefix, uuid: uuid, count: count)
    }

    /// `stat-<uuid>-<n>` (in `statistics/`).
    public static func statisticsFileName(uuid: String, count: Int) throws(PaimonFormatError) -> String {
        try FileNames.counted(statisticsPrefix, uuid: uuid, count: count)
    }

    /// The kind, UUID and counter of a name in `manifest/`; nil for other names. A manifest-list name is never
    /// taken for a manifest name.
    public enum ManifestDirectoryFile: Sendable, Equatable {
        case manifest(uuid: String, count: Int)
        case manifestList(uuid: String, count: Int)
        /// pypaimon 2.1 writes index manifests without the counter.
        case indexManifest(uuid: String, count: Int?)
    }

    public static func parseManifestDirectoryFile(_ name: String) -> ManifestDirectoryFile? {
        if let p = FileNames.parseCounted(name, prefix: manifestListPrefix, countOptional: false) {
            return .manifestList(uuid: p.uuid, count: p.count!)
        }
        if let p = FileNames.parseCounted(name, prefix: indexManifestPrefix, countOptional: true) {
            return .indexManifest(uuid: p.uuid, count: p.count)
        }
        if let p = FileNames.parseCounted(name, prefix: manifestPrefix, countOptional: false) {
            return .manifest(uuid: p.uuid, count: p.count!)
        }
        return nil
    }

    /// (UUID, counter) of an `index-<uuid>-<n>` file name.
    public static func parseIndexFileName(_ name: String) -> (uuid: String, count: Int)? {
        guard let p = FileNames.parseCounted(name, prefix: indexPrefix, countOptional: false) else { return nil }
        return (p.uuid, p.count!)
    }

    /// `bucket-<b>`, or `bucket-postpone` for bucket -2.
    public static func bucketDirectoryName(_ bucket: Int32) -> String {
        bucket == BucketMode.postponeBucket ? postponeBucketDirectory : bucketPathPrefix + String(bucket)
    }

    /// The bucket of a bucket directory name; nil for other names.
    public static func parseBucketDirectoryName(_ name: String) -> Int32? {
        if name == postponeBucketDirectory { return BucketMode.postponeBucket }
        guard name.hasPrefix(bucketPathPrefix) else { return nil }
        let digits = name.dropFirst(bucketPathPrefix.count)
        guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int32(digits)
    }

    /// `relativeBucketPath`: `<partition path><bucket dir>`, e.g. `dt=2024-01-01/bucket-0` (`partitionPath` as built
    /// by ``PartitionPathUtils/generatePartitionPath(_:)``, empty or ending in `/`).
    public static func relativeBucketPath(partitionPath: String, bucket: Int32) -> String {
        partitionPath + bucketDirectoryName(bucket)
    }
}
