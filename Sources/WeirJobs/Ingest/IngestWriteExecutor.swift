import WeirCluster
import WeirColumnar
import WeirPaimon
import WeirParquet
import WeirTable

/// `ingest-write`: reads one write group's staging files in split order (so rows keep the order of the inputs)
/// and writes them with a ``TableWrite`` — sequence numbers continue per bucket after the latest snapshot, rows are
/// sorted and merged per key, level-0 files rolled at the target size, the bucket compacted as a Paimon writer
/// would — then returns the changes (new files, and the files its compaction replaced).
/// It commits nothing: the coordinator makes the job's one commit. A repeated attempt writes new files under
/// new names; the files of an attempt whose result is not used are orphans for orphan clean-up.
public struct IngestWriteExecutor: TaskExecutor {
    public init() {}
    public var kind: String { "ingest-write" }

    public func run(spec: [UInt8], context: TaskContext) async throws -> [UInt8] {
        let s = try JobDocuments.decode(IngestWriteSpec.self, spec, what: "ingest-write spec")
        do {
            let table = try await WarehouseAccess.table(warehouse: s.warehouse, s.table, schemaId: s.schemaId)
            var write = try await table.newWrite(commitUser: s.commitUser)
            do {
                var rows: UInt64 = 0
                for (done, split) in s.splits.enumerated() {
                    if context.isCancelled() { throw TaskFailure("cancelled", retryable: false) }
                    let (io, path) = try IngestStaging.file(staging: s.staging, group: s.group, split: split)
                    let batches: [ColumnBatch]
                    do { (_, batches) = try await ParquetFile.readBatches(io: io, path: path) } catch {
                        throw TaskFailure("staging file \(path): \(error)", retryable: true)
                    }
                    for batch in batches {
                        let columns = Array(batch.columns.dropLast())
                        guard case .int8(let raw) = batch.columns.last!.values else {
                            throw TaskFailure("staging file \(path): the row-kind column is not TINYINT", retryable: false)
                        }
                        let kinds = raw.map { RowKind(rawValue: $0) ?? .insert }
                        try await write.write(ColumnBatch(schema: table.schema.logicalRowType, columns: columns), rowKinds: kinds)
                        rows += UInt64(batch.rowCount)
                    }
                    context.progress(rows, 0, UInt64(done + 1), UInt64(s.splits.count))
                }
                return try await write.taskResult(rows: rows, units: UInt64(s.splits.count), context: context)
            } catch {
                await write.abort()
                throw error
            }
        } catch let error as TableError {
            throw error.taskFailure
        }
    }
}
