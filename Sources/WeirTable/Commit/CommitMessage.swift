import WeirPaimon

/// What one commit adds to and removes from a table (Java's `CommitMessage` increments, flattened to manifest
/// entries).
///
/// - `newFiles`: data files to add, kind ADD, with their partition, bucket and `_TOTAL_BUCKETS`.
/// - `deletedFiles`: data files to remove, kind DELETE, each a copy of the live ADD entry with only the kind
///   changed (partition bytes, bucket, level, extra files, embedded index and external path must match exactly,
///   spec section 4.6). Compaction puts its inputs here and its outputs in `newFiles`.
/// - `changelogFiles`: changelog files produced by this commit, kind ADD.
/// - `newIndexFiles` / `deletedIndexFiles`: index files (dynamic-bucket HASH index, deletion vectors) to add and
///   remove, kinds ADD and DELETE.
public struct CommitMessage: Sendable, Equatable {
    public var newFiles: [ManifestEntry]
    public var deletedFiles: [ManifestEntry]
    public var changelogFiles: [ManifestEntry]
    public var newIndexFiles: [IndexManifestEntry]
    public var deletedIndexFiles: [IndexManifestEntry]

    public init(newFiles: [ManifestEntry] = [], deletedFiles: [ManifestEntry] = [], changelogFiles: [ManifestEntry] = [],
                newIndexFiles: [IndexManifestEntry] = [], deletedIndexFiles: [IndexManifestEntry] = []) {
        self.newFiles = newFiles
        self.deletedFiles = deletedFiles
        self.changelogFiles = changelogFiles
        self.newIndexFiles = newIndexFiles
        self.deletedIndexFiles = deletedIndexFiles
    }

    /// True when the message changes nothing.
    public var isEmpty: Bool {
        newFiles.isEmpty && deletedFiles.isEmpty && changelogFiles.isEmpty && newIndexFiles.isEmpty && deletedIndexFiles.isEmpty
    }

    /// Concatenation of several messages (e.g. one per writer task).
    public static func merged(_ messages: [CommitMessage]) -> CommitMessage {
        CommitMessage(newFiles: messages.flatMap(\.newFiles), deletedFiles: messages.flatMap(\.deletedFiles),
                      changelogFiles: messages.flatMap(\.changelogFiles), newIndexFiles: messages.flatMap(\.newIndexFiles),
                      deletedIndexFiles: messages.flatMap(\.deletedIndexFiles))
    }

    /// The DELETE entry that removes the file of the live ADD entry `entry` (a copy with only the kind changed).
    public static func deletion(of entry: ManifestEntry) -> ManifestEntry {
        var copy = entry
        copy.kind = .delete
        return copy
    }
}

/// How a commit ended. A lost race is retried inside the commit and is not an outcome; failures are errors.
public enum CommitOutcome: Sendable, Equatable {
    /// This call created snapshot `snapshotId`.
    case committed(snapshotId: Int64)
    /// A snapshot with this commit user, identifier and kind already exists (a replayed commit): nothing written.
    case alreadyCommitted(snapshotId: Int64)
    /// The message changed nothing (no files, no index files): no snapshot made.
    case empty

    /// The snapshot holding the commit, nil for ``empty``.
    public var snapshotId: Int64? {
        switch self {
        case .committed(let id), .alreadyCommitted(let id): return id
        case .empty: return nil
        }
    }
}
