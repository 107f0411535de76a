import WeirFileIO
import WeirPaimon

/// The deletion vectors of one (partition, bucket) while a writer or a compaction changes them (Java's
/// `BucketedDvMaintainer` with `DeletionVectorsIndexFile`): restored from the bucket's live DV index file, it
/// takes new deleted positions per data file and drops the vectors of files that leave the bucket; at commit it
/// writes the bucket's complete new index file and returns the index changes — the new file (ADD) and the bucket's
/// old index files (DELETE) — for ``CommitMessage/newIndexFiles`` / ``CommitMessage/deletedIndexFiles``.
/// ``IndexManifestFile/combine(previous:changes:bucketMode:)`` then replaces the bucket's entry in the index
/// manifest; a bucket left without vectors only loses its old file.
///
/// Positions are 0-based row ordinals in the data file as written (the order readers see rows in).
public struct DeletionVectorsMaintainer: Sendable {
    public let partition: BinaryRow
    public let bucket: Int32
    public let format: DeletionVector.Format
    /// Vectors by data file name (never empty ones).
    public private(set) var vectors: [String: DeletionVector]
    /// The bucket's DV index files when restored (deleted at the next commit that changes anything).
    public let restoredIndexFiles: [IndexManifestEntry]
    /// True once a vector changed since the restore (or the last ``prepareCommit(io:paths:)``).
    public private(set) var isModified = false
    private var committedIndexFiles: [IndexManifestEntry]

    /// An empty maintainer for a bucket without deletion vectors.
    public init(partition: BinaryRow, bucket: Int32, format: DeletionVector.Format = .bitmap32) {
        self.init(partition: partition, bucket: bucket, format: format, vectors: [:], indexFiles: [])
    }

    init(partition: BinaryRow, bucket: Int32, format: DeletionVector.Format, vectors: [String: DeletionVector], indexFiles: [IndexManifestEntry]) {
        self.partition = partition
        self.bucket = bucket
        self.format = format
        self.vectors = vectors.filter { !$0.value.isEmpty }
        restoredIndexFiles = indexFiles
        committedIndexFiles = indexFiles
    }

    /// The maintainer of a bucket as of a snapshot: `indexEntries` are the snapshot's live index entries
    /// (``SnapshotReader/indexEntries(_:)``); those of this bucket and type `DELETION_VECTORS` are read.
    /// `format` is the variant new vectors get (`deletion-vectors.bitmap64`); restored vectors keep theirs.
    public static func restore(io: any FileIO, paths: TablePaths, partition: BinaryRow, bucket: Int32, indexEntries: [IndexManifestEntry],
                               format: DeletionVector.Format = .bitmap32) async throws(TableError) -> DeletionVectorsMaintainer {
        let mine = indexEntries.filter {
            $0.kind == .add && $0.partition == partition && $0.bucket == bucket && $0.indexFile.indexType == IndexFileMeta.deletionVectorsIndex
        }
        var vectors: [String: DeletionVector] = [:]
        for entry in mine {
            for (name, vector) in try await DeletionVectorIndexFile.read(io: io, paths: paths, file: entry.indexFile) {
                if var existing = vectors[name] {
                    try existing.merge(vector)
                    vectors[name] = existing
                } else {
                    vectors[name] = vector
                }
            }
        }
        return DeletionVectorsMaintainer(partition: partition, bucket: bucket, format: format, vectors: vectors, indexFiles: mine)
    }

    /// The vector of a data file, nil when none of its rows is deleted.
    public func deletionVector(of fileName: String) -> DeletionVector? { vectors[fileName] }

    /// Marks row `position` of data file `fileName` deleted (Java's `notifyNewDeletion`); true when it was not yet.
    @discardableResult
    public mutating func notifyNewDeletion(fileName: String, position: Int64) throws(TableError) -> Bool {
        var vector = vectors[fileName] ?? DeletionVector(format: format)
        guard try vector.delete(position) else { return false }
        vectors[fileName] = vector
        isModified = true
        return true
    }

    /// Adds every position of `vector` to the file's vector.
    public mutating func mergeNewDeletion(fileName: String, vector: DeletionVector) throws(TableError) {
        if vector.isEmpty { return }
        if var existing = vectors[fileName] {
            let before = existing.cardinality
            try existing.merge(vector)
            if existing.cardinality == before { return }
            vectors[fileName] = existing
        } else {
            var fresh = DeletionVector(format: format)
            try fresh.merge(vector)
            vectors[fileName] = fresh
        }
        isModified = true
    }

    /// Forgets the vector of a data file that leaves the bucket (a compaction rewrote or dropped it; Java's
    /// `removeDeletionVectorOf`).
    public mutating func removeDeletionVector(of fileName: String) {
        if vectors.removeValue(forKey: fileName) != nil { isModified = true }
    }

    /// Writes the bucket's new index file when anything changed and returns the index changes of the commit:
    /// `newIndexFiles` (the new file, ADD; none when no vector is left) and `deletedIndexFiles` (the index files the
    /// bucket had, DELETE). Nothing changed: both empty. Afterwards the maintainer continues from the new file, so
    /// a later call deletes it in turn. If the commit does not happen, ``DeletionVectorIndexFile/delete(io:paths:file:)``
    /// removes the written file.
    public mutating func prepareCommit(io: any FileIO, paths: TablePaths) async throws(TableError)
        -> (newIndexFiles: [IndexManifestEntry], deletedIndexFiles: [IndexManifestEntry]) {
        guard isModified else { return ([], []) }
        let written = try await DeletionVectorIndexFile.write(io: io, paths: paths, partition: partition, bucket: bucket, vectors: vectors)
        let added = written.map { [$0] } ?? []
        let deleted = committedIndexFiles.map { entry -> IndexManifestEntry in
            var copy = entry
            copy.kind = .delete
            return copy
        }
        committedIndexFiles = added
        isModified = false
        return (added, deleted)
    }
}

extension DeletionVectorsMaintainer {
    /// Takes what a compaction of this bucket did: the row positions it superseded become deleted, and the
    /// vectors of files that left the bucket (inputs that were rewritten, not upgraded) are dropped.
    public mutating func apply(_ result: CompactTaskResult) throws(TableError) {
        for file in result.deletions.keys.sorted() {
            for position in result.deletions[file]! { try notifyNewDeletion(fileName: file, position: position) }
        }
        let kept = Set(result.after.map(\.fileName))
        for file in result.before where !kept.contains(file.fileName) { removeDeletionVector(of: file.fileName) }
    }
}
