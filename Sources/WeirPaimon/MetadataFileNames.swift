/// Versioned metadata files found by listing a directory (`HintFileUtils.listVersionedFiles`): `<prefix><id>` where
/// the id is whatever `Long.parseLong` accepts after the prefix. Temporary files (`.<name>.<uuid>.tmp`) and the hint
/// files do not parse.
enum VersionedFileName {
    static func parse(_ name: String, prefix: String) -> Int64? {
        guard name.hasPrefix(prefix) else { return nil }
        let digits = name.dropFirst(prefix.count)
        guard !digits.isEmpty, digits.utf8.count <= 20 else { return nil }
        return Int64(digits)
    }
}

/// `snapshot/snapshot-<id>` (`org.apache.paimon.utils.SnapshotManager`).
public enum SnapshotManager {
    public static let snapshotDirectory = "snapshot"
    public static let snapshotPrefix = "snapshot-"
    public static func snapshotFileName(_ id: Int64) -> String { snapshotPrefix + String(id) }
    public static func parseSnapshotFileName(_ name: String) -> Int64? { VersionedFileName.parse(name, prefix: snapshotPrefix) }
}

/// `schema/schema-<id>` (`org.apache.paimon.schema.SchemaManager`).
public enum SchemaManager {
    public static let schemaDirectory = "schema"
    public static let schemaPrefix = "schema-"
    public static func schemaFileName(_ id: Int64) -> String { schemaPrefix + String(id) }
    public static func parseSchemaFileName(_ name: String) -> Int64? { VersionedFileName.parse(name, prefix: schemaPrefix) }
}

/// `changelog/changelog-<id>`: long-lived changelog metadata (`org.apache.paimon.utils.ChangelogManager`).
public enum ChangelogManager {
    public static let changelogDirectory = "changelog"
    public static let changelogPrefix = "changelog-"
    public static func changelogFileName(_ id: Int64) -> String { changelogPrefix + String(id) }
    public static func parseChangelogFileName(_ name: String) -> Int64? { VersionedFileName.parse(name, prefix: changelogPrefix) }
}

/// `tag/tag-<name>` (`org.apache.paimon.utils.TagManager`).
public enum TagManager {
    public static let tagDirectory = "tag"
    public static let tagPrefix = "tag-"

    /// The file name of tag `name`; a name must not be blank, contain `/`, or be all digits (it would read as a
    /// snapshot id in `VERSION AS OF`).
    public static func tagFileName(_ name: String) throws(PaimonFormatError) -> String {
        guard !InternalRowPartitionComputer.isNullOrWhitespaceOnly(name) else { throw PaimonFormatError("tag name", "a tag name must not be blank") }
        guard !name.contains("/") else { throw PaimonFormatError("tag name", "tag name '\(name)' contains '/'") }
        guard !name.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw PaimonFormatError("tag name", "tag name '\(name)' is numeric and would be taken for a snapshot id")
        }
        return tagPrefix + name
    }

    /// The tag name of a `tag-<name>` file name; nil for other names.
    public static func parseTagFileName(_ name: String) -> String? {
        guard name.hasPrefix(tagPrefix), name.count > tagPrefix.count else { return nil }
        return String(name.dropFirst(tagPrefix.count))
    }
}

/// `branch/branch-<name>/` (`org.apache.paimon.utils.BranchManager`).
public enum BranchManager {
    public static let branchDirectory = "branch"
    public static let branchPrefix = "branch-"
    public static let defaultMainBranch = "main"

    public static func branchDirectoryName(_ name: String) throws(PaimonFormatError) -> String {
        guard !InternalRowPartitionComputer.isNullOrWhitespaceOnly(name), !name.contains("/") else {
            throw PaimonFormatError("branch name", "'\(name)' is not a usable branch name")
        }
        return branchPrefix + name
    }

    public static func parseBranchDirectoryName(_ name: String) -> String? {
        guard name.hasPrefix(branchPrefix), name.count > branchPrefix.count else { return nil }
        return String(name.dropFirst(branchPrefix.count))
    }
}

/// `consumer/consumer-<id>` (`org.apache.paimon.consumer.ConsumerManager`).
public enum ConsumerManager {
    public static let consumerDirectory = "consumer"
    public static let consumerPrefix = "consumer-"
    public static func consumerFileName(_ consumerId: String) -> String { consumerPrefix + consumerId }
}
