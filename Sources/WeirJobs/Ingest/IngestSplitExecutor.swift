import WeirCluster
import WeirColumnar
import WeirPaimon
import WeirParquet
import WeirTable

/// `ingest-split`: reads one input file (or a range of its Parquet row groups) into the table's rows (errors name the line and column), assigns each row
/// its partition and bucket as a table write would, and writes the rows of each write group to that group's
/// staging file (see ``IngestStaging``), keeping input order. Bad input fails the task for good (not retryable).
public struct IngestSplitExecutor: TaskExecutor {
    public init() {}
    public var kind: String { "ingest-split" }

    public func run(spec: [UInt8], context: TaskContext) async throws -> [UInt8] {
        let s = try JobDocuments.decode(IngestSplitSpec.self, spec, what: "ingest-split spec")
        do {
            let table = try await WarehouseAccess.table(warehouse: s.warehouse, s.table, schemaId: s.schemaId)
            let (io, path) = try WarehouseAccess.path(s.input)
            let batches = try await TableInput.read(io: io, path: path, format: s.format.flatMap(TableInput.Format.init(rawValue:)),
                                                    schema: table.schema, opColumn: s.opColumn, parquetRowGroups: s.rowGroups)
            if context.isCancelled() { throw TaskFailure("cancelled", retryable: false) }
            let stagingType = IngestStaging.stagingType(table.schema)
            var byGroup: [Int: [ColumnBatch]] = [:]
            var rows = 0
            for batch in batches {
                let assignment = try table.assignBuckets(batch.values)
                let groupOfPair = (0..<assignment.groupCount).map {
                    IngestStaging.group(partition: assignment.partitions[$0], bucket: assignment.buckets[$0], groups: s.groups)
                }
                var rowsOfGroup: [Int: [Int32]] = [:]
                for row in 0..<batch.values.rowCount {
                    rowsOfGroup[groupOfPair[Int(assignment.rowGroups[row])], default: []].append(Int32(row))
                }
                let kinds = Column(type: DataType(.tinyint, nullable: false), validity: nil,
                                   values: .int8((0..<batch.values.rowCount).map { batch.rowKinds?[$0].rawValue ?? RowKind.insert.rawValue }))
                let staged = ColumnBatch(schema: stagingType, columns: batch.values.columns + [kinds])
                for (group, picked) in rowsOfGroup {
                    byGroup[group, default: []].append(
                        BatchGather.gather([staged], schema: stagingType, sources: [Int32](repeating: 0, count: picked.count), rows: picked))
                }
                rows += batch.values.rowCount
                context.progress(UInt64(rows), 0, 0, 1)
            }
            for (group, groupBatches) in byGroup {
                let (stagingIO, stagingPath) = try IngestStaging.file(staging: s.staging, group: group, split: s.splitIndex)
                do {
                    _ = try await ParquetFile.write(io: stagingIO, path: stagingPath, schema: stagingType, batches: groupBatches,
                                                    options: IngestStaging.writeOptions, overwrite: true)
                } catch {
                    throw TaskFailure("staging file \(stagingPath): \(error)", retryable: true)
                }
            }
            context.progress(UInt64(rows), 0, 1, 1)
            return JobDocuments.encode(IngestSplitResult(rows: rows, rowsByGroup: byGroup.mapValues { $0.reduce(0) { $0 + $1.rowCount } }))
        } catch let error as TableError {
            throw error.taskFailure
        }
    }
}
