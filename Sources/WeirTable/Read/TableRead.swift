import Foundation
import WeirColumnar
import WeirFileIO
import WeirPaimon

/// What a read returns: batches of the projected columns, in split order (partition, bucket) and, inside a
/// bucket of a primary-key table, in key order.
public struct ReadResult: Sendable {
    public let rowType: RowType
    public let batches: [ColumnBatch]

    public var rowCount: Int { batches.reduce(0) { $0 + $1.rowCount } }
}

extension FileStoreTable {
    /// Reads a plan's splits (Java's `MergeFileSplitRead` / `RawFileSplitRead`): append splits file by file;
    /// primary-key splits merged across their sorted runs with one k-way merge per section
    /// (``IntervalPartition``) and the table's merge function, dropping keys whose result is -U/-D (tables that
    /// need lookup merge a key's level-0 records with its newest record above level 0 only, ``LookupMergeRule``,
    /// as Java's read does through `LookupMergeFunction`); files of a
    /// split that need no merge (no level 0, no retract rows, and one level or a first-row or deletion-vector
    /// table) read raw. Rows marked by the split's deletion vectors are never read.
    /// Rows are read in `plan.resolved.schema` (older files evolve to it by field id); `projection` picks
    /// columns by name, `filter` (indexes of the read schema) drops rows that do not pass.
    public func read(_ plan: ReadPlan, projection: [String]? = nil, filter: Predicate? = nil) async throws(TableError) -> ReadResult {
        let readSchema = plan.resolved.schema
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
        var batches: [ColumnBatch] = []
        let context = try SplitReadContext(table: self, readSchema: readSchema)
        for splitBatches in try await context.readAll(plan.splits) {
            for kv in splitBatches {
                var values = kv.values
                if let filter {
                    let selected = filter.selection(values)
                    if selected.count != values.rowCount {
                        values = BatchGather.gather([values], schema: values.schema, sources: [Int32](repeating: 0, count: selected.count), rows: selected.map { Int32($0) })
                    }
                }
                if values.rowCount == 0 { continue }
                batches.append(ColumnBatch(schema: outputType, columns: outputIndexes.map { values.columns[$0] }))
            }
        }
        return ReadResult(rowType: outputType, batches: batches)
    }
}

/// Reads splits of one table in one read schema; caches the schemas files were written with.
struct SplitReadContext: Sendable {
    let table: FileStoreTable
    let readSchema: TableSchema
    let partitionComputer: InternalRowPartitionComputer
    var schemas: [Int64: TableSchema]

    init(table: FileStoreTable, readSchema: TableSchema) throws(TableError) {
        self.table = table
        self.readSchema = readSchema
        do { partitionComputer = try InternalRowPartitionComputer(schema: readSchema) } catch { throw TableError.format(error, kind: .invalidTable) }
        schemas = [readSchema.id: readSchema]
    }

    mutating func fileSchema(_ id: Int64) async throws(TableError) -> TableSchema {
        if let known = schemas[id] { return known }
        let schema = try await table.schema(id: id)
        schemas[id] = schema
        return schema
    }

    mutating func open(_ file: DataFileMeta, in split: DataSplit) async throws(TableError) -> DataFileReader {
        let path = try table.paths.dataFile(fileName: file.fileName, partition: split.partition, bucket: split.bucket,
                                            externalPath: file.externalPath, partitionComputer: partitionComputer)
        return try await DataFileReader.open(io: table.io, path: path, file: file, fileSchema: try await fileSchema(file.schemaId),
                                             tableSchema: readSchema, projection: nil, primaryKey: !readSchema.primaryKeys.isEmpty)
    }

    /// How many splits a read reads at once: one per processor, at most 4.
    static let parallelism = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))

    /// The rows of every split (``read(_:)``), in split order, reading up to ``parallelism`` splits at once (each
    /// with its own copy of this context).
    func readAll(_ splits: [DataSplit]) async throws(TableError) -> [[KeyValueBatch]] {
        let width = min(splits.count, Self.parallelism)
        if width <= 1 {
            var context = self
            var out: [[KeyValueBatch]] = []
            for split in splits { out.append(try await context.read(split)) }
            return out
        }
        do {
            return try await withThrowingTaskGroup(of: (Int, [KeyValueBatch]).self) { group in
                var out = [[KeyValueBatch]](repeating: [], count: splits.count)
                var next = 0
                func start() {
                    let index = next, split = splits[index]
                    var context = self
                    next += 1
                    group.addTask { (index, try await context.read(split)) }
                }
                while next < width { start() }
                while let (index, batches) = try await group.next() {
                    out[index] = batches
                    if next < splits.count { start() }
                }
                return out
            }
        } catch let error as TableError {
            throw error
        } catch {
            throw TableError(.io, table.name, "\(error)")
        }
    }

    /// The rows of a split: merged for primary-key tables, as stored for append tables; rows the split's deletion
    /// vectors mark are dropped as the files are read (before any merge).
    mutating func read(_ split: DataSplit) async throws(TableError) -> [KeyValueBatch] {
        let vectors = split.deletionFiles.isEmpty
            ? [:] : try await DeletionVectorIndexFile.read(io: table.io, paths: table.paths, deletionFiles: split.deletionFiles)
        if readSchema.primaryKeys.isEmpty || Self.isRawConvertible(split.files, schema: readSchema) {
            var out: [KeyValueBatch] = []
            for file in split.files {
                let reader = try await open(file, in: split)
                do {
                    if var filter = vectors[file.fileName].map(DeletionFilter.init) {
                        while let batch = try await reader.next() {
                            let kept = filter.apply(batch)
                            if kept.rowCount > 0 { out.append(kept) }
                        }
                    } else {
                        out += try await reader.readAll()
                    }
                } catch {
                    await reader.close()
                    throw error
                }
                await reader.close()
            }
            return out
        }
        let keyNames = readSchema.trimmedPrimaryKeys
        let keyColumns = readSchema.projection(keyNames)
        let keyTypes = keyColumns.map { readSchema.fields[$0].type }
        let keyEncoder = try SortKeyEncoder(types: keyTypes)
        let options = readSchema.coreOptions
        let orderColumns = readSchema.projection(options.sequenceField())
        var orderEncoder: SortKeyEncoder? = nil
        if !orderColumns.isEmpty {
            let descending: Bool
            do { descending = try options.sequenceFieldSortOrder() == .descending } catch { throw TableError.format(error, kind: .invalidTable) }
            orderEncoder = try SortKeyEncoder(types: orderColumns.map { readSchema.fields[$0].type }, descending: descending)
        }
        var merger = try KeyGroupMerger(schema: readSchema, rowType: readSchema.logicalRowType, dropRetracts: true)
        var out: [KeyValueBatch] = []
        for section in try IntervalPartition(keyTypes: keyTypes).partition(split.files) {
            var runs: [SortedRun] = []
            var readers: [DataFileReader] = []
            // A table that needs lookup merges with LookupMergeRule: each run holds one level.
            let fileRuns = merger.lookup ? IntervalPartition.Section.byLevel(section.runs) : section.runs
            let runLevels = merger.lookup ? fileRuns.map { $0[0].level } : nil
            for run in fileRuns {
                var files: [DataFileReader] = []
                for file in run {
                    let reader = try await open(file, in: split)
                    files.append(reader)
                }
                readers += files
                let state = RunFiles(files, filters: run.map { vectors[$0.fileName].map(DeletionFilter.init) })
                runs.append(SortedRun.encoding({ () async throws(TableError) -> KeyValueBatch? in try await state.next() },
                                               keyEncoder: keyEncoder, keyColumns: keyColumns,
                                               orderEncoder: orderEncoder, orderColumns: orderColumns))
            }
            let merge = KWayMerge(runs: runs)
            do {
                while let block = try await merge.nextBlock() {
                    let merged = try merger.merge(block, runLevels: runLevels)
                    if merged.rowCount > 0 { out.append(merged) }
                }
            } catch {
                for reader in readers { await reader.close() }
                throw error
            }
            for reader in readers { await reader.close() }
        }
        return out
    }

    /// Java's `MergeTreeSplitGenerator` raw-convertible rule: no level-0 file, no file with retract rows, and
    /// either a deletion-vector or first-row table (levels ≥ 1 hold unique keys once the vectors are applied) or
    /// all files in one level.
    static func isRawConvertible(_ files: [DataFileMeta], schema: TableSchema) -> Bool {
        guard files.allSatisfy({ $0.level != 0 && ($0.deleteRowCount ?? 0) == 0 }) else { return false }
        if (try? schema.coreOptions.mergeEngine()) == .firstRow || (try? schema.coreOptions.deletionVectorsEnabled()) == true { return true }
        return Set(files.map(\.level)).count <= 1
    }
}

/// The files of one sorted run read one after another, each through its deletion vector if it has one.
final class RunFiles {
    private var files: [DataFileReader]
    private var filters: [DeletionFilter?]
    private var index = 0

    init(_ files: [DataFileReader], filters: [DeletionFilter?] = []) {
        self.files = files
        self.filters = filters
    }

    func next() async throws(TableError) -> KeyValueBatch? {
        while index < files.count {
            if let batch = try await files[index].next() {
                guard index < filters.count, filters[index] != nil else { return batch }
                let kept = filters[index]!.apply(batch)
                if kept.rowCount > 0 { return kept }
                continue
            }
            index += 1
        }
        return nil
    }
}
