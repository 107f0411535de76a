import WeirColumnar
import WeirFileIO
import WeirPaimon

/// Writes the rows of one (partition, bucket) of a write (Java's `MergeTreeWriter` for primary-key tables and
/// `AppendOnlyWriter` for append tables; primary-key buckets compact through ``WriterCompaction`` unless
/// `write-only`, append files are not compacted).
///
/// Primary-key rows go into a ``SortBuffer`` (spilling to local disk past `write-buffer-size`); a flush sorts by
/// (key, sequence.field, sequence number), merges each key with the table's merge function (keeping -D/-U
/// results, since older files may still hold the key) and writes level-0 files rolled at `target-file-size`.
/// A buffer that cannot spill and is full is flushed on the spot, as Java does. With `changelog-producer=input`
/// each flush also writes the sorted, unmerged records as level-0 changelog files (Java's
/// `MergeTreeWriter.flushWriteBuffer`). Append rows are written straight to rolling files. Files written stay
/// invisible until the commit; ``abort()`` deletes them.
final class BucketWriter {
    let schema: TableSchema
    let directory: StoragePath
    let names = DataFileNames()
    private let io: any FileIO
    private var buffer: SortBuffer?
    private var merger: KeyGroupMerger?
    private var appendWriter: AppendFileWriter?
    private(set) var files: [DataFileMeta] = []
    /// Changelog files written (`changelog-producer=input`).
    private(set) var changelogFiles: [DataFileMeta] = []
    private let inputChangelog: Bool
    private var pendingWriters: [KeyValueFileWriter] = []
    /// Compacts the bucket's LSM tree after flushes (nil: append table or `write-only`).
    let compaction: WriterCompaction?

    init(io: any FileIO, schema: TableSchema, directory: StoragePath, nextSequenceNumber: Int64,
         compaction: WriterCompaction? = nil) throws(TableError) {
        self.compaction = compaction
        self.io = io
        self.schema = schema
        self.directory = directory
        let producer: CoreOptions.ChangelogProducer
        do { producer = try schema.coreOptions.changelogProducer() } catch { throw TableError.format(error, kind: .invalidTable) }
        inputChangelog = !schema.primaryKeys.isEmpty && producer == .input
        if schema.primaryKeys.isEmpty {
            appendWriter = try AppendFileWriter(io: io, directory: directory, schema: schema, nextSequenceNumber: nextSequenceNumber, names: names)
        } else {
            buffer = try SortBuffer(schema: schema)
            merger = try KeyGroupMerger(schema: schema, rowType: schema.logicalRowType, dropRetracts: false)
        }
    }

    /// Takes rows of this bucket, with their sequence numbers and kinds.
    func write(_ batch: KeyValueBatch) async throws(TableError) {
        if let appendWriter {
            try await appendWriter.write(batch.values)
            return
        }
        guard let buffer else { return }
        if try await !buffer.append(batch) {
            try await flush()
            try await buffer.append(batch)
        }
    }

    /// Sorts, merges and writes what the buffer holds as level-0 files.
    func flush() async throws(TableError) {
        guard let buffer, var merger, !buffer.isEmpty else { return }
        let writer = try KeyValueFileWriter(io: io, directory: directory, schema: schema, level: 0, fileSource: .append, names: names)
        pendingWriters.append(writer)
        let changelogWriter = inputChangelog
            ? try KeyValueFileWriter(io: io, directory: directory, schema: schema, level: 0, fileSource: .append, changelog: true, names: names) : nil
        if let changelogWriter { pendingWriters.append(changelogWriter) }
        let merge = KWayMerge(runs: try await buffer.sortedRuns())
        while let block = try await merge.nextBlock() {
            if let changelogWriter { try await changelogWriter.write(block.gather()) }
            let merged = try merger.merge(block)
            if merged.rowCount > 0 { try await writer.write(merged) }
        }
        self.merger = merger
        let written = try await writer.close()
        files += written
        pendingWriters.removeAll { $0 === writer }
        if let changelogWriter {
            changelogFiles += try await changelogWriter.close()
            pendingWriters.removeAll { $0 === changelogWriter }
        }
        await buffer.clear()
        try await compaction?.flushed(written)
    }

    /// Flushes and returns every file this writer made.
    func prepareCommit() async throws(TableError) -> [DataFileMeta] {
        if let appendWriter {
            files += try await appendWriter.close()
            self.appendWriter = nil
        } else {
            try await flush()
            await buffer?.close()
            try await compaction?.prepareCommit()
        }
        return files
    }

    /// Deletes every file written and the buffer's spills.
    func abort() async {
        await appendWriter?.abort()
        await compaction?.abort()
        for writer in pendingWriters { await writer.abort() }
        for file in files + changelogFiles {
            if let path = try? directory.appending(file.fileName) { _ = try? await io.delete(path, recursive: false) }
        }
        files = []
        changelogFiles = []
        await buffer?.close()
    }
}
