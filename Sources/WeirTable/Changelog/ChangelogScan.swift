import WeirColumnar
import WeirPaimon

/// The changes one snapshot made, as records with their kinds and sequence numbers.
public struct SnapshotChanges: Sendable {
    public let snapshotId: Int64
    public let commitKind: Snapshot.CommitKind
    /// Records in sequence order (ties keep file order: partition, bucket, file as committed).
    public let records: KeyValueBatch
}

/// A change stream: each snapshot's changes, in snapshot order.
public struct ChangelogResult: Sendable {
    /// The columns of the records (the table's latest schema, projected).
    public let rowType: RowType
    public let snapshots: [SnapshotChanges]

    public var rowCount: Int { snapshots.reduce(0) { $0 + $1.records.rowCount } }

    /// The name of the kind column ``rows(kindColumn:)`` adds (as Paimon's audit-log table has `rowkind`).
    public static let kindColumn = "_kind"

    /// The records as rows with a leading string column holding each record's kind (`+I`, `-U`, `+U`, `-D`).
    public func rows(kindColumn: String = ChangelogResult.kindColumn) -> ReadResult {
        // Java's reserved field id of the audit-log `rowkind` column (Integer.MAX_VALUE - 4).
        let kindField = DataField(id: Int(Int32.max) - 4, name: kindColumn, type: DataType.string.nullable(false))
        let type = RowType([kindField] + rowType.fields)
        var batches: [ColumnBatch] = []
        for change in snapshots where change.records.rowCount > 0 {
            var strings = ByteStrings()
            strings.reserveCapacity(strings: change.records.rowCount, bytes: 2 * change.records.rowCount)
            for kind in change.records.rowKinds { strings.append(Array(kind.shortString.utf8)) }
            let kinds = Column(type: kindField.type, validity: nil, values: .bytes(strings))
            batches.append(ColumnBatch(schema: type, columns: [kinds] + change.records.values.columns))
        }
        return ReadResult(rowType: type, batches: batches)
    }
}

extension FileStoreTable {
    /// The change stream from snapshot `from` to snapshot `to` (default: the latest), Paimon's streaming read
    /// without the initial full scan:
    ///
    /// - a table with a changelog producer (`input`, `lookup`, `full-compaction`): every snapshot's changelog files
    ///   (its `changelogManifestList`), whatever its commit kind (Java's `AllDeltaFollowUpScanner` over changelogs);
    /// - otherwise (`none`): the new files (ADD entries of the delta) of APPEND snapshots; COMPACT and OVERWRITE
    ///   snapshots add no changes (Java's `DeltaFollowUpScanner`).
    ///
    /// Inside a snapshot records are ordered by sequence number (stable, so ties keep the partition, bucket and
    /// file order of the manifests). Rows are read in the table's latest schema (older files evolve by field id);
    /// `projection` picks columns by name and `filter` (indexes of the latest schema) drops records whose values do
    /// not pass. A start before the earliest live snapshot is a `notFound` error; a start after the latest gives
    /// no changes.
    public func readChanges(from: Int64, to: Int64? = nil, projection: [String]? = nil,
                            filter: Predicate? = nil) async throws(TableError) -> ChangelogResult {
        let readSchema = schema
        var outputIndexes = Array(readSchema.fields.indices)
        if let projection {
            outputIndexes = []
            for name in projection {
                guard let index = readSchema.fields.firstIndex(where: { $0.name == name }) else {
                    throw TableError(.invalidInput, name, "no column named \(name.debugDescription) in \(self.name) (columns: \(readSchema.fieldNames.joined(separator: ", ")))")
                }
                outputIndexes.append(index)
            }
        }
        let outputType = RowType(outputIndexes.map { readSchema.fields[$0] })
        let producer: CoreOptions.ChangelogProducer
        do { producer = try readSchema.coreOptions.changelogProducer() } catch { throw TableError.format(error, kind: .invalidTable) }
        guard let latest = try await snapshots.latestId() else { return ChangelogResult(rowType: outputType, snapshots: []) }
        let earliest = try await snapshots.earliestId() ?? 1
        guard from >= earliest else {
            throw TableError(.notFound, name, "snapshot \(from) has expired; the earliest snapshot is \(earliest)")
        }
        let last = min(to ?? latest, latest)
        let reader = SnapshotReader(io: io, paths: paths)
        var context = try SplitReadContext(table: self, readSchema: readSchema)
        var out: [SnapshotChanges] = []
        var id = from
        while id <= last {
            defer { id += 1 }
            let snapshot = try await snapshots.snapshot(id)
            let entries: [ManifestEntry]
            if producer != .none {
                entries = try await reader.changelogEntries(snapshot).filter { $0.kind == .add }
            } else if snapshot.commitKind == .append {
                entries = try await reader.deltaEntries(snapshot).filter { $0.kind == .add }
            } else {
                entries = []
            }
            var batches: [KeyValueBatch] = []
            for entry in entries {
                let split = DataSplit(partition: entry.partition, bucket: entry.bucket, totalBuckets: entry.totalBuckets, files: [entry.file])
                let fileReader = try await context.open(entry.file, in: split)
                do {
                    while let batch = try await fileReader.next() {
                        var kept = batch
                        if let filter {
                            let selected = filter.selection(batch.values)
                            if selected.count != batch.rowCount { kept = BatchGather.take(batch, rows: selected.map { Int32($0) }) }
                        }
                        if kept.rowCount > 0 {
                            batches.append(KeyValueBatch(sequenceNumbers: kept.sequenceNumbers, rowKinds: kept.rowKinds,
                                                         values: ColumnBatch(schema: outputType, columns: outputIndexes.map { kept.values.columns[$0] })))
                        }
                    }
                } catch {
                    await fileReader.close()
                    throw error
                }
            }
            out.append(SnapshotChanges(snapshotId: id, commitKind: snapshot.commitKind,
                                       records: Self.sequenceOrdered(batches, type: outputType)))
        }
        return ChangelogResult(rowType: outputType, snapshots: out)
    }

    /// The records of `batches` in one batch, stably ordered by sequence number.
    static func sequenceOrdered(_ batches: [KeyValueBatch], type: RowType) -> KeyValueBatch {
        var order: [(sequence: Int64, source: Int32, row: Int32)] = []
        order.reserveCapacity(batches.reduce(0) { $0 + $1.rowCount })
        for (source, batch) in batches.enumerated() {
            for (row, sequence) in batch.sequenceNumbers.enumerated() { order.append((sequence, Int32(source), Int32(row))) }
        }
        // Sort by (sequence, position in the stream): stable.
        order.sort { a, b in
            if a.sequence != b.sequence { return a.sequence < b.sequence }
            return a.source != b.source ? a.source < b.source : a.row < b.row
        }
        if batches.isEmpty {
            return KeyValueBatch(sequenceNumbers: [], rowKinds: [],
                                 values: ColumnBatch(schema: type, columns: type.fields.map { ColumnBuilder(type: $0.type).finish() }))
        }
        return BatchGather.gather(batches, sources: order.map(\.source), rows: order.map(\.row))
    }
}
