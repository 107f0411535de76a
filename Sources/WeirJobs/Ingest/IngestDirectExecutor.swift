import WeirCluster
import WeirColumnar
import WeirPaimon
import WeirTable

/// `ingest-direct`: reads its parts of the job's Parquet inputs in order and writes them with a positioned
/// ``TableWrite`` (each row numbered `sequenceBase + its position in the inputs`), then returns the level-0 files.
/// It commits nothing and compacts nothing. A repeated attempt numbers its rows the same and writes new files under
/// new names; the files of an attempt whose result is not used are orphans for orphan clean-up. An input whose row
/// count no longer matches the plan fails the task for good.
public struct IngestDirectExecutor: TaskExecutor {
    public init() {}
    public var kind: String { "ingest-direct" }

    public func run(spec: [UInt8], context: TaskContext) async throws -> [UInt8] {
        let s = try JobDocuments.decode(IngestDirectSpec.self, spec, what: "ingest-direct spec")
        do {
            let table = try await WarehouseAccess.table(warehouse: s.warehouse, s.table, schemaId: s.schemaId)
            let total = UInt64(s.parts.reduce(0) { $0 + $1.rows })
            var write = try await table.newPositionedWrite(commitUser: s.commitUser, sequenceBase: s.sequenceBase)
            do {
                var done: UInt64 = 0
                for part in s.parts {
                    if context.isCancelled() { throw TaskFailure("cancelled", retryable: false) }
                    let (io, path) = try WarehouseAccess.path(part.input)
                    let batches = try await TableInput.read(io: io, path: path, format: .parquet, schema: table.schema, opColumn: s.opColumn,
                                                            parquetRowGroups: part.rowGroups)
                    var position = part.firstPosition
                    for batch in batches {
                        try await write.write(batch.values, rowKinds: batch.rowKinds, firstPosition: position)
                        position += Int64(batch.values.rowCount)
                        done += UInt64(batch.values.rowCount)
                        context.progress(done, 0, done, total)
                    }
                    let read = position - part.firstPosition
                    guard read == part.rows else {
                        let groups = part.rowGroups.map { " (row groups \($0.lowerBound)..<\($0.upperBound))" } ?? ""
                        throw TaskFailure("input \(part.input)\(groups) has \(read) rows, \(part.rows) when the job was planned: it changed during the job",
                                          retryable: false)
                    }
                }
                return try await write.taskResult(rows: done, units: total, context: context)
            } catch {
                await write.abort()
                throw error
            }
        } catch let error as TableError {
            throw error.taskFailure
        }
    }
}
