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
/// older data. A positioned write (``FileStoreTable/newPositionedWrite(commitUser:sequenceBase:)``) numbers each
/// row `sequenceBase + position` instead, from the position its caller gives, so several writes of disjoint
/// position ranges of one input, committed together, order their rows as one write of the whole input would.
/// Rows whose kind `ignore-delete` / `ignore-update-before` drops are not written. A partition whose
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
    /// The sequence number of position 0 of a positioned write (nil: numbered per bucket in arrival order).
    public let sequenceBase: Int64?
    /// Compaction of primary-key buckets after flushes (nil: append table, `write-only`, or a table Weir does not
    /// compact), and the live entries of each bucket in the latest snapshot it starts from.
    let compaction: CompactionSettings?
    var liveEntries: [BucketKey: [ManifestEntry]] = [:]
    /// The index entries of the latest snapshot (deletion-vector tables that compact: each bucket's vectors).
    var indexEntries: [IndexManifestEntry] = []

    init(table: FileStoreTable, commitUser: String, sequenceBase: Int64? = nil) async throws(TableError) {
        self.table = table
        self.commitUser = commitUser
        self.sequenceBase = sequenceBase
        router = try RowRouter(schema: table.schema, subject: table.name)
        kindFilter = try RowKindFilter(options: table.options)
        do { partitionComputer = try InternalRowPartitionComputer(schema: table.schema) } catch { throw TableError.format(error, kind: .invalidTable) }
        if sequenceBase != nil {
            guard table.isPrimaryKeyTable else {
                throw TableError(.invalidInput, table.name, "a positioned write is for primary-key tables; this is an append table")
            }
            if try CompactionSettings(schema: table.schema).lookup {
                throw TableError(.invalidInput, table.name,
                                 "a positioned write does not compact, and this table needs lookup compaction to make its level-0 rows visible (first-row, deletion vectors or changelog-producer = lookup)")
            }
            compaction = nil
        } else {
            compaction = try WriterCompaction.settings(for: table.schema)
        }
        var maxSequence: [BucketKey: Int64] = [:]
        var partitionBuckets: [BinaryRow: Int32] = [:]
        var liveEntries: [BucketKey: [ManifestEntry]] = [:]
        if let latest = try await table.snapshots.latest() {
            if compaction?.deletionVectors == true {
                indexEntries = try await SnapshotReader(io: table.io, paths: table.paths).indexEntries(latest)
            }
            for entry in try await SnapshotReader(io: table.io, paths: table.paths).liveEntries(latest) {
                let key = BucketKey(partition: entry.partition, bucket: entry.bucket)
                maxSequence[key] = max(maxSequence[key] ?? -1, entry.file.maxSequenceNumber)
                partitionBuckets[entry.partition] = entry.totalBuckets
                if compaction != nil { liveEntries[key, default: []].append(entry) }
            }
        }
        self.liveEntries = liveEntries
        self.maxSequence = maxSequence
        self.partitionBuckets = partitionBuckets
    }

    /// Takes rows in the table's schema (all columns, schema order) and their kinds. Without kinds, a
    /// primary-key table with a `rowkind.field` takes each row's kind from that column (`+I`, `-U`, `+U`, `-D`;
    /// a null or other value is an error), as Java's `RowKindGenerator` and pypaimon do; otherwise every row is +I.
    ///
    /// A positioned write needs `firstPosition`, the position of the batch's first row in the whole input (row `i`
    /// gets sequence number `sequenceBase + firstPosition + i`); an ordinary write takes none.
    public mutating func write(_ values: ColumnBatch, rowKinds: [RowKind]? = nil, firstPosition: Int64? = nil) async throws(TableError) {
        let rows = values.rowCount
        guard rows > 0 else { return }
        guard (sequenceBase == nil) == (firstPosition == nil) else {
            throw TableError(.invalidInput, table.name, sequenceBase == nil ? "a position was given to a write that numbers rows per bucket"
                                                                            : "a positioned write needs the position of every batch")
        }
        if let firstPosition, firstPosition < 0 { throw TableError(.invalidInput, table.name, "position \(firstPosition) is negative") }
        guard values.schema.fields.map(\.type) == table.schema.fields.map(\.type) else {
            throw TableError(.invalidInput, table.name, "the rows have columns \(values.schema.fields.map { "\($0.name) \($0.type)" }) but the table has \(table.schema.fields.map { "\($0.name) \($0.type)" })")
        }
        var rowKinds = rowKinds
        if rowKinds == nil, table.isPrimaryKeyTable, let field = table.options.rowkindField() {
            rowKinds = try Self.rowKinds(values, field: field, schema: table.schema)
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
            var sequences: [Int64] = []
            sequences.reserveCapacity(picked.count)
            if let sequenceBase, let firstPosition {
                let first = sequenceBase + firstPosition
                for row in picked { sequences.append(first + Int64(row)) }
            } else {
                var sequence = nextSequence[key]!
                for _ in picked {
                    sequences.append(sequence)
                    sequence += 1
                }
                nextSequence[key] = sequence
            }
            let kinds = rowKinds.map { kinds in picked.map { kinds[Int($0)] } } ?? [RowKind](repeating: .insert, count: picked.count)
            try await writer.write(values: values, rows: picked.count == rows ? nil : picked, sequenceNumbers: sequences, rowKinds: kinds)
        }
    }

    /// The kinds named by the `rowkind.field` column `field` of `values`.
    static func rowKinds(_ values: ColumnBatch, field: String, schema: TableSchema) throws(TableError) -> [RowKind] {
        guard let index = schema.fields.firstIndex(where: { $0.name == field }), schema.fields[index].type.isCharacterString else {
            throw TableError(.invalidTable, "option 'rowkind.field'", "the row kind field \(field.debugDescription) is not a string column of the table")
        }
        let column = values.columns[index]
        var kinds: [RowKind] = []
        kinds.reserveCapacity(values.rowCount)
        for row in 0..<values.rowCount {
            let value = column.value(at: row)
            guard case .string(let text) = value, let kind = RowKind(shortString: text) else {
                let shown: String
                if case .string(let text) = value { shown = text.debugDescription } else { shown = "null" }
                throw TableError(.invalidInput, "row \(row + 1)",
                                 "column \(field) (the table's rowkind.field) holds \(shown), not a row kind (+I, -U, +U, -D)")
            }
            kinds.append(kind)
        }
        return kinds
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
        var compactor: WriterCompaction? = nil
        if let settings = compaction {
            let restored = liveEntries.removeValue(forKey: key) ?? []
            var vectors: DeletionVectorsMaintainer? = nil
            if settings.deletionVectors {
                vectors = try await DeletionVectorsMaintainer.restore(io: table.io, paths: table.paths, partition: key.partition, bucket: key.bucket,
                                                                      indexEntries: indexEntries, format: settings.deletionVectorFormat)
            }
            compactor = try WriterCompaction.make(target: CompactionTarget(table: table, partition: key.partition, bucket: key.bucket,
                                                                           directory: directory, names: DataFileNames()),
                                                  settings: settings, restored: restored, vectors: vectors)
        }
        let writer = try BucketWriter(io: table.io, schema: table.schema, directory: directory, nextSequenceNumber: first,
                                      compaction: compactor)
        writers[key] = writer
        writerOrder.append(key)
        nextSequence[key] = first
        return writer
    }

    /// Writes out everything buffered and returns the new files (and the changelog files of
    /// `changelog-producer=input`). The write cannot be used afterwards. Buckets are flushed concurrently, at most
    /// ``flushParallelism`` at a time; files are listed in the order the buckets were first written.
    ///
    /// Primary-key buckets that compacted (unless `write-only`) add their compaction: DELETE entries of its
    /// inputs and ADD entries (level ≥ 1) of its outputs; ``FileStoreTable/commit(_:commitUser:identifier:kind:)``
    /// commits the level-0 files as an APPEND snapshot and the compaction as a COMPACT snapshot after it. The
    /// compaction's changelog files (on levels above 0) and deletion-vector index changes go with the COMPACT one.
    public mutating func prepareCommit() async throws(TableError) -> CommitMessage {
        let filesOfWriter = try await Self.prepareAll(writerOrder.map { writers[$0]! })
        var entries: [ManifestEntry] = []
        var compactDeleted: [ManifestEntry] = []
        var compactAdded: [ManifestEntry] = []
        var changelog: [ManifestEntry] = []
        var newIndexFiles: [IndexManifestEntry] = []
        var deletedIndexFiles: [IndexManifestEntry] = []
        for (key, files) in zip(writerOrder, filesOfWriter) {
            let writer = writers[key]!
            for file in files {
                entries.append(ManifestEntry(kind: .add, partition: key.partition, bucket: key.bucket,
                                             totalBuckets: table.schema.numBuckets, file: file))
            }
            if let compaction = writer.compaction {
                let (deleted, added) = compaction.entries(totalBuckets: table.schema.numBuckets)
                compactDeleted += deleted
                compactAdded += added
                changelog += compaction.changelogEntries(totalBuckets: table.schema.numBuckets)
                do {
                    let index = try await compaction.prepareIndex()
                    newIndexFiles += index.added
                    deletedIndexFiles += index.deleted
                } catch {
                    for entry in newIndexFiles { await DeletionVectorIndexFile.delete(io: table.io, paths: table.paths, file: entry.indexFile) }
                    throw error
                }
            }
            for file in writer.changelogFiles {
                changelog.append(ManifestEntry(kind: .add, partition: key.partition, bucket: key.bucket,
                                               totalBuckets: table.schema.numBuckets, file: file))
            }
        }
        return CommitMessage(newFiles: entries + compactAdded, deletedFiles: compactDeleted, changelogFiles: changelog,
                             newIndexFiles: newIndexFiles, deletedIndexFiles: deletedIndexFiles)
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

    /// A write that numbers rows by their position in a whole input: row at position `p` gets sequence number
    /// `sequenceBase + p` (take the base from ``nextSequenceNumber()`` once for all writes of that input). For
    /// primary-key tables whose level-0 files readers see (not first-row, deletion vectors or `changelog-producer =
    /// lookup`); it never compacts (several positioned writes may write one bucket), like `write-only`.
    public func newPositionedWrite(commitUser: String, sequenceBase: Int64) async throws(TableError) -> TableWrite {
        guard sequenceBase >= 0 else { throw TableError(.invalidInput, name, "sequence base \(sequenceBase) is negative") }
        return try await TableWrite(table: self, commitUser: commitUser, sequenceBase: sequenceBase)
    }

    /// One more than the largest `_MAX_SEQUENCE_NUMBER` of the live files of the latest snapshot, over all buckets
    /// (0 for an empty table): a sequence number every bucket's existing rows are older than.
    public func nextSequenceNumber() async throws(TableError) -> Int64 {
        guard let latest = try await snapshots.latest() else { return 0 }
        var largest: Int64 = -1
        for entry in try await SnapshotReader(io: io, paths: paths).liveEntries(latest) {
            largest = max(largest, entry.file.maxSequenceNumber)
        }
        return largest + 1
    }
}
