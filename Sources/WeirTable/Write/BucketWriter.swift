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
///
/// Not for concurrent use; it is `Sendable` so that ``TableWrite`` can hand each writer to one child task when it
/// flushes several buckets at once (no writer is used by two tasks at a time).
final class BucketWriter: @unchecked Sendable {
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
        try await write(values: batch.values, rows: nil, sequenceNumbers: batch.sequenceNumbers, rowKinds: batch.rowKinds)
    }

    /// Takes rows `rows` of `values` (all when nil) for this bucket, with one sequence number and kind per row; a
    /// primary-key writer buffers them without copying the values.
    func write(values: ColumnBatch, rows: [Int32]?, sequenceNumbers: [Int64], rowKinds: [RowKind]) async throws(TableError) {
        if let appendWriter {
            try await appendWriter.write(rows.map { BatchGather.gather([values], schema: values.schema, sources: [Int32](repeating: 0, count: $0.count), rows: $0) } ?? values)
            return
        }
        guard let buffer else { return }
        if try await !buffer.append(values: values, rows: rows, sequenceNumbers: sequenceNumbers, rowKinds: rowKinds) {
            try await flush()
            try await buffer.append(values: values, rows: rows, sequenceNumbers: sequenceNumbers, rowKinds: rowKinds)
        }
    }

    /// Rows per batch handed to the file writer by an in-memory flush.
    static let flushBatchRows = 65536

    /// Sorts, merges and writes what the buffer holds as level-0 files.
    ///
    /// When nothing was spilled, the merge function keeps one whole record per key (deduplicate, first-row) and
    /// no input changelog is written, the sorted rows are picked per key on the buffer's own arrays and each
    /// output batch is gathered once from the input batches; otherwise the buffer's sorted runs go through
    /// ``KWayMerge`` and ``KeyGroupMerger``.
    func flush() async throws(TableError) {
        guard let buffer, var merger, !buffer.isEmpty else { return }
        let writer = try KeyValueFileWriter(io: io, directory: directory, schema: schema, level: 0, fileSource: .append, names: names)
        pendingWriters.append(writer)
        let changelogWriter = inputChangelog
            ? try KeyValueFileWriter(io: io, directory: directory, schema: schema, level: 0, fileSource: .append, changelog: true, names: names) : nil
        if let changelogWriter { pendingWriters.append(changelogWriter) }
        if changelogWriter == nil && buffer.inMemoryOnly && merger.factory.picksWholeRecord {
            let order = buffer.sortedOrder()
            let firstRow = merger.factory.engine == .firstRow
            var picked: [Int32] = []
            picked.reserveCapacity(order.count)
            var start = 0
            while start < order.count {
                var end = start + 1
                while end < order.count && buffer.sameKey(order[start], order[end]) { end += 1 }
                if let record = try merger.pick(group: start..<end, firstRow: firstRow, kind: { buffer.rowKind(order[$0]) }) {
                    picked.append(order[record])
                }
                start = end
            }
            start = 0
            while start < picked.count {
                let end = min(picked.count, start + Self.flushBatchRows)
                let batch = buffer.gather(picked[start..<end])
                try await writer.write(batch)
                start = end
            }
        } else {
            let merge = KWayMerge(runs: try await buffer.sortedRuns())
            while let block = try await merge.nextBlock() {
                if let changelogWriter { try await changelogWriter.write(block.gather()) }
                let merged = try merger.merge(block)
                if merged.rowCount > 0 { try await writer.write(merged) }
            }
            self.merger = merger
        }
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
