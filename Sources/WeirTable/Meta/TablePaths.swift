import struct Foundation.UUID
import WeirFileIO
import WeirPaimon

/// The paths of one table: Java's `FileStorePathFactory` directories plus the `SnapshotManager`, `SchemaManager`
/// and `TagManager` file paths (spec/paimon-format.md section 1), all under ``root``.
///
/// Contracts:
/// - The fixed directories and the id-named files (``snapshot(_:)``, ``schema(_:)``, the hint files) are always
///   valid paths: ``init(root:)`` refuses a root whose key leaves no room for them.
/// - Every function that takes a name (a manifest or index file name read from a manifest, a tag name, a
///   partition path) checks it first: a name must be one non-empty path segment (no `/`, not `.` or `..`, no
///   control character), a partition path `k=v/` segments, so a name read from a file can never point outside
///   its directory. A bad name is a ``TableError`` of kind `invalidInput` (or `corrupt` where the caller says the
///   name came from a file).
public struct TablePaths: Sendable, Equatable {
    /// Room left in a key for the longest fixed name appended to the root.
    static let keyReserve = 128

    public let root: StoragePath
    public let snapshotDirectory: StoragePath
    public let schemaDirectory: StoragePath
    public let manifestDirectory: StoragePath
    public let tagDirectory: StoragePath
    public let indexDirectory: StoragePath
    public let statisticsDirectory: StoragePath
    public let consumerDirectory: StoragePath
    public let changelogDirectory: StoragePath
    public let branchDirectory: StoragePath

    /// The paths of the table at `root`; fails when the root's key is too long to hold the table's files.
    public init(root: StoragePath) throws(TableError) {
        guard root.key.utf8.count + Self.keyReserve <= StoragePath.keyBytesMax else {
            throw TableError(.invalidInput, root.description,
                             "the table path is too long (\(root.key.utf8.count) bytes; at most \(StoragePath.keyBytesMax - Self.keyReserve))")
        }
        self.root = root
        snapshotDirectory = Self.fixed(root, SnapshotManager.snapshotDirectory)
        schemaDirectory = Self.fixed(root, SchemaManager.schemaDirectory)
        manifestDirectory = Self.fixed(root, FileStorePathFactory.manifestPath)
        tagDirectory = Self.fixed(root, TagManager.tagDirectory)
        indexDirectory = Self.fixed(root, FileStorePathFactory.indexPath)
        statisticsDirectory = Self.fixed(root, FileStorePathFactory.statisticsPath)
        consumerDirectory = Self.fixed(root, ConsumerManager.consumerDirectory)
        changelogDirectory = Self.fixed(root, ChangelogManager.changelogDirectory)
        branchDirectory = Self.fixed(root, BranchManager.branchDirectory)
    }

    /// `snapshot/snapshot-<id>`.
    public func snapshot(_ id: Int64) -> StoragePath { Self.fixed(snapshotDirectory, SnapshotManager.snapshotFileName(id)) }
    /// `schema/schema-<id>`.
    public func schema(_ id: Int64) -> StoragePath { Self.fixed(schemaDirectory, SchemaManager.schemaFileName(id)) }
    /// `snapshot/LATEST`.
    public var latestHint: StoragePath { Self.fixed(snapshotDirectory, HintFileUtils.latest) }
    /// `snapshot/EARLIEST`.
    public var earliestHint: StoragePath { Self.fixed(snapshotDirectory, HintFileUtils.earliest) }

    /// `manifest/<fileName>` (manifests, manifest lists and index manifests).
    public func manifest(_ fileName: String) throws(TableError) -> StoragePath {
        try Self.child(manifestDirectory, fileName, what: "manifest file name")
    }

    /// `tag/tag-<name>`; the name must be a valid tag name (not blank, no `/`, not all digits).
    public func tag(_ name: String) throws(TableError) -> StoragePath {
        let fileName: String
        do {
            fileName = try TagManager.tagFileName(name)
        } catch {
            throw TableError(.invalidInput, "tag '\(name)'", error.message)
        }
        return try Self.child(tagDirectory, fileName, what: "tag name")
    }

    /// `index/<fileName>`.
    public func index(_ fileName: String) throws(TableError) -> StoragePath {
        try Self.child(indexDirectory, fileName, what: "index file name")
    }

    /// `statistics/<fileName>`.
    public func statistics(_ fileName: String) throws(TableError) -> StoragePath {
        try Self.child(statisticsDirectory, fileName, what: "statistics file name")
    }

    /// `consumer/consumer-<id>`.
    public func consumer(_ consumerId: String) throws(TableError) -> StoragePath {
        try Self.child(consumerDirectory, ConsumerManager.consumerFileName(consumerId), what: "consumer id")
    }

    /// `<partition path><bucket dir>`, e.g. `dt=2024-01-01/bucket-0`; `partitionPath` is empty or `k=v/` segments
    /// as ``PartitionPathUtils/generatePartitionPath(_:)`` builds them.
    public func bucketDirectory(partitionPath: String, bucket: Int32) throws(TableError) -> StoragePath {
        let segments = partitionPath.split(separator: "/", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            let last = index == segments.count - 1
            if last && segment.isEmpty { continue }
            guard !segment.isEmpty, segment.contains("="), Self.isPlainName(segment) else {
                throw TableError(.invalidInput, "partition path '\(partitionPath)'", "'\(segment)' is not a partition directory name (k=v)")
            }
        }
        let relative = FileStorePathFactory.relativeBucketPath(partitionPath: partitionPath, bucket: bucket)
        do {
            return try root.appending(relative)
        } catch {
            throw TableError(.invalidInput, "partition path '\(partitionPath)'", error.description)
        }
    }

    /// The path of a data (or changelog) file of a manifest entry: its `_EXTERNAL_PATH` when set, else
    /// `<partition dir>/bucket-<b>/<file name>` with the partition directory built from the entry's partition row.
    public func dataFile(_ entry: ManifestEntry, partitionComputer: InternalRowPartitionComputer) throws(TableError) -> StoragePath {
        try dataFile(fileName: entry.file.fileName, partition: entry.partition, bucket: entry.bucket,
                     externalPath: entry.file.externalPath, partitionComputer: partitionComputer)
    }

    /// See ``dataFile(_:partitionComputer:)``; `fileName` may also be one of the entry's extra files.
    public func dataFile(fileName: String, partition: BinaryRow, bucket: Int32, externalPath: String? = nil,
                         partitionComputer: InternalRowPartitionComputer) throws(TableError) -> StoragePath {
        if let externalPath {
            do {
                return try StoragePath(parsing: externalPath)
            } catch {
                throw TableError(.corrupt, fileName, "_EXTERNAL_PATH '\(externalPath)': \(error.description)")
            }
        }
        let partitionPath: String
        do {
            partitionPath = try partitionComputer.partitionPath(partition)
        } catch {
            throw TableError(.corrupt, fileName, "partition \(partition): \(error.message)")
        }
        return try Self.child(try bucketDirectory(partitionPath: partitionPath, bucket: bucket), fileName, what: "data file name")
    }

    /// A new `manifest-<uuid>-0`.
    public func newManifestFileName() -> String { Self.counted(FileStorePathFactory.manifestPrefix) }
    /// A new `manifest-list-<uuid>-0`.
    public func newManifestListFileName() -> String { Self.counted(FileStorePathFactory.manifestListPrefix) }
    /// A new `index-manifest-<uuid>-0`.
    public func newIndexManifestFileName() -> String { Self.counted(FileStorePathFactory.indexManifestPrefix) }
    /// A new `index-<uuid>-0`.
    public func newIndexFileName() -> String { Self.counted(FileStorePathFactory.indexPrefix) }

    /// The table-relative form of `path` (e.g. `manifest/manifest-…-0`), or its full form outside the table.
    public func relative(_ path: StoragePath) -> String { path.relative(to: root) ?? path.description }

    // MARK: helpers

    static func counted(_ prefix: String) -> String { prefix + UUID().uuidString.lowercased() + "-0" }

    /// True for one non-empty path segment that is not `.` or `..` and holds no control character.
    static func isPlainName<S: StringProtocol>(_ name: S) -> Bool {
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/") else { return false }
        return !name.utf8.contains { $0 < 0x20 || $0 == 0x7f }
    }

    static func child(_ directory: StoragePath, _ name: String, what: String) throws(TableError) -> StoragePath {
        guard isPlainName(name) else {
            throw TableError(.invalidInput, "\(what) '\(name.prefix(200))'", "not a plain file name (one path segment)")
        }
        do {
            return try directory.appending(name)
        } catch {
            throw TableError(.invalidInput, "\(what) '\(name.prefix(200))'", error.description)
        }
    }

    /// A fixed name under a directory whose key is known to leave room (``keyReserve``).
    static func fixed(_ directory: StoragePath, _ name: String) -> StoragePath {
        do {
            return try directory.appending(name)
        } catch {
            preconditionFailure("fixed name '\(name)' under \(directory): \(error)")
        }
    }
}
