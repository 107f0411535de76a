import Foundation
import WeirColumnar
import WeirFileIO
import WeirPaimon

/// A batch write into one table (Java's `TableWriteImpl` + `FileStoreWrite`): rows are routed to their
/// (partition, bucket), numbered, buffered and written as level-0 files; ``prepareCommit()`` returns the files
/// as a ``CommitMessage`` for ``FileStoreTable/commit(_:commitUser:identifier:)``.
///
/// Sequence numbers continue per bucket from the largest `_MAX_SEQUENCE_NUMBER` of the bucket's live files in the
/// latest snapshot (spec/paimon-format.md section 7.2), one per row in arrival order, so a later write wins over
/// older data. Rows whose kind `ignore-delete` / `ignore-update-before` drops are not written. A partition whose
/// files were written with another bucket count is refused (Java's "Try to write partition … with a new bucket
/// num"). Nothing is visible before the commit; ``abort()`` deletes what was written.
public struct TableWrite {
    public let table: FileStoreTable
    public let commitUser: String
    let router: RowRouter
    let kindFilter: RowKindFilter
    let partitionComputer: InternalRowPartitionComputer
    /// The largest live sequence number of each bucket of the latest snapshot.
    var maxSequence: [BucketKey: Int64]
    /// Bucket count recorded in the latest snapshot for each partition.
    var partitionBuckets: [BinaryRow: Int32]
    var writers: [BucketKey: BucketWriter] = [:]
    var writerOrder: [BucketKey] = []
    var nextSequence: [BucketKey: Int64] = [:]

    init(table: FileStoreTable, commitUser: String) async throws(TableError) {
        self.table = table
        self.commitUser = commitUser
        router = try RowRouter(schema: table.schema, subject: table.name)
        kindFilter = try RowKindFilter(options: table.options)
        do { partitionComputer = try InternalRowPartitionComputer(schema: table.schema) } catch { throw TableError.format(error, kind: .invalidTable) }
        var maxSequence: [BucketKey: Int64] = [:]
        var partitionBuckets: [BinaryRow: Int32] = [:]
        if let latest = try await table.snapshots.latest() {
            for entry in try await SnapshotReader(io: table.io, paths: table.paths).liveEntries(latest) {
                let key = BucketKey(partition: entry.partition, bucket: entry.bucket)
                maxSequence[key] = max(maxSequence[key] ?? -1, entry.file.maxSequenceNumber)
                partitionBuckets[entry.partition] = entry.totalBuckets
            }
        }
        self.maxSequence = maxSequence
        self.partitionBuckets = partitionBuckets
    }

    /// Takes rows in the table's schema (all columns, schema order) and their kinds (nil: all +I).
    public mutating func write(_ values: ColumnBatch, rowKinds: [RowKind]? = nil) async throws(TableError) {
        let rows = values.rowCount
        guard rows > 0 else { return }
        guard values.schema.fields.map(\.type) == table.schema.fields.map(\.type) else {
            throw TableError(.invalidInput, table.name, "the rows have columns \(values.schema.fields.map { "\($0.name) \($0.type)" }) but the table has \(table.schema.fields.map { "\($0.name) \($0.type)" })")
        }
        if let rowKinds, rowKinds.count != rows {
            throw TableError(.invalidInput, table.name, "\(rowKinds.count) row kinds for \(rows) rows")
        }
        if !table.isPrimaryKeyTable, let rowKinds, rowKinds.contains(where: { $0 != .insert }) {
            throw TableError(.invalidInput, table.name, "an append table takes only +I rows")
        }
        let (groups, rowGroups) = try router.route(values)
        var rowsOfGroup = [[Int32]](repeating: [], count: groups.count)
        for row in 0..<rows where kindFilter.keeps(rowKinds?[row] ?? .insert) {
            rowsOfGroup[Int(rowGroups[row])].append(Int32(row))
        }
        for (index, key) in groups.enumerated() where !rowsOfGroup[index].isEmpty {
            let picked = rowsOfGroup[index]
            let writer = try await writer(for: key)
            var sequence = nextSequence[key]!
            var sequences: [Int64] = []
            sequences.reserveCapacity(picked.count)
            for _ in picked {
                sequences.append(sequence)
                sequence += 1
            }
            nextSequence[key] = sequence
            let kinds = rowKinds.map { kinds in picked.map { kinds[Int($0)] } } ?? [RowKind](repeating: .insert, count: picked.count)
            try await writer.write(values: values, rows: picked.count == rows ? nil : picked, sequenceNumbers: sequences, rowKinds: kinds)
        }
    }

    mutating func writer(for key: BucketKey) async throws(TableError) -> BucketWriter {
        if let existing = writers[key] { return existing }
        let numBuckets = table.schema.numBuckets
        if let recorded = partitionBuckets[key.partition], recorded != numBuckets {
            let path = (try? partitionComputer.partitionPath(key.partition)) ?? "\(key.partition)"
            throw TableError(.invalidInput, table.name,
                             "partition \(path.isEmpty ? "(unpartitioned)" : path) was written with \(recorded) buckets and the table now has \(numBuckets); Weir does not rescale buckets")
        }
        let partitionPath: String
        do { partitionPath = try partitionComputer.partitionPath(key.partition) } catch { throw TableError.format(error, kind: .invalidInput) }
        let directory = try table.paths.bucketDirectory(partitionPath: partitionPath, bucket: key.bucket)
        let first = (maxSequence[key] ?? -1) + 1
        let writer = try BucketWriter(io: table.io, schema: table.schema, directory: directory, nextSequenceNumber: first)
        writers[key] = writer
        writerOrder.append(key)
        nextSequence[key] = first
        return writer
    }

    /// Writes out everything buffered and returns the new files. The write cannot be used afterwards.
    /// Buckets are flushed concurrently, at most ``flushParallelism`` at a time; the files are listed in the order
    /// the buckets were first written.
    public mutating func prepareCommit() async throws(TableError) -> CommitMessage {
        let filesOfWriter = try await Self.prepareAll(writerOrder.map { writers[$0]! })
        var entries: [ManifestEntry] = []
        for (key, files) in zip(writerOrder, filesOfWriter) {
            for file in files {
                entries.append(ManifestEntry(kind: .add, partition: key.partition, bucket: key.bucket,
                                             totalBuckets: table.schema.numBuckets, file: file))
            }
        }
        return CommitMessage(newFiles: entries)
    }

    /// How many buckets a write flushes at once: one per processor, at most 4 (each holds a sorted copy of its
    /// rows and its encoded row group while it writes).
    static let flushParallelism = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))

    /// Runs ``BucketWriter/prepareCommit()`` of every writer, ``flushParallelism`` at a time; the files of each.
    static func prepareAll(_ writers: [BucketWriter]) async throws(TableError) -> [[DataFileMeta]] {
        let width = min(writers.count, flushParallelism)
        if width <= 1 {
            var out: [[DataFileMeta]] = []
            for writer in writers { out.append(try await writer.prepareCommit()) }
            return out
        }
        do {
            return try await withThrowingTaskGroup(of: (Int, [DataFileMeta]).self) { group in
                var out = [[DataFileMeta]](repeating: [], count: writers.count)
                var next = 0
                func start() {
                    let index = next, writer = writers[index]
                    next += 1
                    group.addTask { (index, try await writer.prepareCommit()) }
                }
                while next < width { start() }
                while let (index, files) = try await group.next() {
                    out[index] = files
                    if next < writers.count { start() }
                }
                return out
            }
        } catch let error as TableError {
            throw error
        } catch {
            throw TableError(.io, "prepare commit", "\(error)")
        }
    }

    /// Deletes every file this write made (after a failure, or when the commit was already done).
    public mutating func abort() async {
        for key in writerOrder { await writers[key]?.abort() }
        writers = [:]
        writerOrder = []
    }
}

extension FileStoreTable {
    public func newWrite(commitUser: String) async throws(TableError) -> TableWrite {
        try await TableWrite(table: self, commitUser: commitUser)
    }
}
