import WeirFileIO
import WeirPaimon

/// How ``FileStoreTable/commitWrite(_:commitUser:identifier:)`` ended.
public struct WriteCommitResult: Sendable {
    /// The APPEND commit of the written level-0 files.
    public var append: CommitOutcome
    /// The COMPACT commit of the write's compaction; nil when the write did not compact or the compaction was
    /// dropped (see ``compactionError``).
    public var compact: CommitOutcome?
    /// Why the write's compaction was not committed (e.g. a concurrent compaction removed its inputs); its files
    /// were deleted and the table is as if the write had not compacted.
    public var compactionError: TableError?
}

extension FileStoreTable {
    /// Commits a write's files as one snapshot (APPEND, or whatever `kind` says) through ``FileStoreCommit``:
    /// atomic, conflict-checked, retried on a lost race, and a no-op returning `.alreadyCommitted` when this
    /// (commitUser, identifier) is already in the table.
    ///
    /// An APPEND message that also deletes files is a write with compaction (``TableWrite/prepareCommit()``) and
    /// goes through ``commitWrite(_:commitUser:identifier:)``: the APPEND snapshot's outcome is returned.
    public func commit(_ message: CommitMessage, commitUser: String, identifier: Int64 = Snapshot.batchCommitIdentifier,
                       kind: Snapshot.CommitKind = .append) async throws(TableError) -> CommitOutcome {
        if kind == .append && !message.deletedFiles.isEmpty {
            return try await commitWrite(message, commitUser: commitUser, identifier: identifier).append
        }
        return try await FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: commitUser)
            .commit(message, kind: kind, identifier: identifier)
    }

    /// Commits what a ``TableWrite`` prepared the way Java's writers do: the level-0 ADD entries (and level-0
    /// changelog files and other index files) as an APPEND snapshot, then the write's compaction — the DELETE
    /// entries, the ADD entries and changelog files of levels ≥ 1, the deletion-vector index changes — as a
    /// COMPACT snapshot with the same commit user and identifier.
    ///
    /// The compaction is skipped when the APPEND was already committed (a replay: its files belong to the earlier
    /// run). When the COMPACT commit fails (typically because a concurrent compaction or overwrite removed its
    /// inputs), the write stays committed: the files only the compaction wrote are deleted and the error is
    /// returned in ``WriteCommitResult/compactionError`` rather than thrown.
    public func commitWrite(_ message: CommitMessage, commitUser: String,
                            identifier: Int64 = Snapshot.batchCommitIdentifier) async throws(TableError) -> WriteCommitResult {
        // Compaction output: files and changelog files above level 0 (Java writes a compaction's changelog on its
        // output level, input changelog on level 0) and deletion-vector index changes.
        let isVectors = { (entry: IndexManifestEntry) in entry.indexFile.indexType == IndexFileMeta.deletionVectorsIndex }
        let appendPart = CommitMessage(newFiles: message.newFiles.filter { $0.file.level == 0 },
                                       changelogFiles: message.changelogFiles.filter { $0.file.level == 0 },
                                       newIndexFiles: message.newIndexFiles.filter { !isVectors($0) },
                                       deletedIndexFiles: message.deletedIndexFiles.filter { !isVectors($0) })
        let compactPart = CommitMessage(newFiles: message.newFiles.filter { $0.file.level != 0 }, deletedFiles: message.deletedFiles,
                                        changelogFiles: message.changelogFiles.filter { $0.file.level != 0 },
                                        newIndexFiles: message.newIndexFiles.filter(isVectors),
                                        deletedIndexFiles: message.deletedIndexFiles.filter(isVectors))
        let committer = FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: commitUser)
        let append = try await committer.commit(appendPart, kind: .append, identifier: identifier)
        if compactPart.isEmpty { return WriteCommitResult(append: append, compact: nil, compactionError: nil) }

        // Files only the compaction made (not upgrades of a deleted file, not the write's own level-0 files).
        let shared = Set(compactPart.deletedFiles.map(\.file.fileName) + appendPart.newFiles.map(\.file.fileName))
        let compactionOutputs = compactPart.newFiles.filter { !shared.contains($0.file.fileName) } + compactPart.changelogFiles
        func dropCompaction() async {
            for entry in compactPart.newIndexFiles { await DeletionVectorIndexFile.delete(io: io, paths: paths, file: entry.indexFile) }
            guard let computer = try? InternalRowPartitionComputer(schema: schema) else { return }
            for entry in compactionOutputs {
                if let path = try? paths.dataFile(entry, partitionComputer: computer) { _ = try? await io.delete(path, recursive: false) }
            }
        }
        if case .alreadyCommitted = append {
            await dropCompaction()
            return WriteCommitResult(append: append, compact: nil, compactionError: nil)
        }
        var base: Int64 = 0
        if let id = append.snapshotId {
            base = id
        } else if let latest = try? await snapshots.latestId() {
            base = latest
        }
        do {
            let compact = try await committer.commit(compactPart, kind: .compact, identifier: identifier)
            if case .alreadyCommitted = compact { await dropCompaction() }  // an older commit of this user and identifier
            return WriteCommitResult(append: append, compact: compact, compactionError: nil)
        } catch {
            if let id = try? await findSnapshot(after: base, commitUser: commitUser, kind: .compact, identifier: identifier) {
                return WriteCommitResult(append: append, compact: .committed(snapshotId: id), compactionError: nil)
            }
            await dropCompaction()
            return WriteCommitResult(append: append, compact: nil, compactionError: error)
        }
    }
}
