import WeirCluster
import WeirTable

extension TableWrite {
    /// Ends a write task: writes out what is buffered (``prepareCommit()``), reports `rows` rows, the bytes of the new
    /// files and all `units` done, and returns the changes (new files, and files the write's compaction replaced) as
    /// the task's result. Commits nothing; on an error the caller aborts the write.
    mutating func taskResult(rows: UInt64, units: UInt64, context: TaskContext) async throws(TableError) -> [UInt8] {
        let message = try await prepareCommit()
        let bytes = message.newFiles.reduce(0) { $0 + UInt64($1.file.fileSize) }
        context.progress(rows, bytes, units, units)
        return JobDocuments.encode(FileEntriesDocument(message.newFiles + message.deletedFiles))
    }
}
