import WeirFileIO
import WeirPaimon

extension FileStoreTable {
    /// Commits a write's files as one snapshot (APPEND, or whatever `kind` says) through ``FileStoreCommit``:
    /// atomic, conflict-checked, retried on a lost race, and a no-op returning `.alreadyCommitted` when this
    /// (commitUser, identifier) is already in the table.
    public func commit(_ message: CommitMessage, commitUser: String, identifier: Int64 = Snapshot.batchCommitIdentifier,
                       kind: Snapshot.CommitKind = .append) async throws(TableError) -> CommitOutcome {
        try await FileStoreCommit(io: io, paths: paths, schema: schema, commitUser: commitUser)
            .commit(message, kind: kind, identifier: identifier)
    }
}
