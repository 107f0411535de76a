import WeirColumnar
import WeirFileIO
import WeirPaimon

/// Where a compaction of one (partition, bucket) reads and writes: the table (its latest schema is the schema
/// rows are read in and written with), the bucket, its directory, and the file namer of the writer.
struct CompactionTarget: Sendable {
    let table: FileStoreTable
    let partition: BinaryRow
    let bucket: Int32
    let directory: StoragePath
    let names: DataFileNames

    init(table: FileStoreTable, partition: BinaryRow, bucket: Int32, directory: StoragePath, names: DataFileNames) {
        self.table = table
        self.partition = partition
        self.bucket = bucket
        self.directory = directory
        self.names = names
    }
}

/// What running one unit did (Java's `CompactResult`): `before` leave the bucket, `after` join it. An upgraded
/// file is in both, with its old and its new level; every other file of `after` was written by the task.
/// A lookup compaction also returns the changelog files it wrote (`changelog-producer` `lookup` or
/// `full-compaction`) and the rows of files above the output level that its outputs supersede (deletion vectors).
public struct CompactTaskResult: Sendable, Equatable {
    public var before: [DataFileMeta] = []
    public var after: [DataFileMeta] = []
    /// Changelog files (on the output level, `changelog-` names).
    public var changelog: [DataFileMeta] = []
    /// Row positions to mark deleted, by data file name (files of levels above the output level, not in the unit).
    public var deletions: [String: [Int64]] = [:]

    public init(before: [DataFileMeta] = [], after: [DataFileMeta] = [], changelog: [DataFileMeta] = [], deletions: [String: [Int64]] = [:]) {
        self.before = before
        self.after = after
        self.changelog = changelog
        self.deletions = deletions
    }

    /// Every file the task wrote: data files (not upgrades) and changelog files.
    public var createdFiles: [DataFileMeta] { writtenFiles + changelog }

    /// Files of `after` that the task wrote (not upgrades of an input).
    public var writtenFiles: [DataFileMeta] {
        let inputs = Set(before.map(\.fileName))
        return after.filter { !inputs.contains($0.fileName) }
    }

    /// Inputs that only changed level.
    public var upgradedFiles: [DataFileMeta] {
        let outputs = Set(after.map(\.fileName))
        return after.isEmpty ? [] : before.filter { outputs.contains($0.fileName) }
    }

    mutating func merge(_ other: CompactTaskResult) {
        before += other.before
        after += other.after
        changelog += other.changelog
        for (file, positions) in other.deletions { deletions[file, default: []] += positions }
    }
}

/// Runs one ``CompactUnit`` on one (partition, bucket) (Java's `MergeTreeCompactTask` with the
/// `MergeTreeCompactRewriter`; spec/paimon-semantics.md section 4.3):
///
/// 1. the unit's files are cut into key-range sections (``IntervalPartition``);
/// 2. a section of several runs is queued for rewriting; a section of one run is walked file by file: a file
///    smaller than `minFileSize` (`target-file-size × compaction.small-file-ratio`) is queued, a bigger one first
///    rewrites the queue and is then *upgraded*;
/// 3. a queue that is a single one-run section is upgraded file by file instead of rewritten;
/// 4. rewriting merges each queued section's runs through ``KWayMerge`` and the table's merge function
///    (``KeyGroupMerger``, dropping -D/-U results when `dropDelete`), and writes the queued sections in key
///    order into files of the output level (`_FILE_SOURCE` = COMPACT) rolled at `target-file-size`;
/// 5. upgrading keeps the file and changes only its level; a file already on the output level stays as it is;
///    upgrading to the max level rewrites a file that may hold retract rows (`_DELETE_ROW_COUNT` > 0 or unknown),
///    and a file with a deletion vector.
///
/// Input rows that the bucket's deletion vectors mark are never read. Lookup compaction (``CompactionSettings/lookup``,
/// Java's `LookupMergeTreeCompactRewriter`) rewrites queued sections that hold a level-0 file into a level above 0
/// key by key, and rewrites a level-0 file instead of upgrading it (``LookupCompactRewrite``); so does the
/// `full-compaction` changelog producer for everything that goes to the max level
/// (`FullChangelogMergeTreeCompactRewriter`).
///
/// On an error every file the task wrote is deleted.
struct MergeTreeCompactTask {
    let target: CompactionTarget
    let unit: CompactUnit
    let dropDelete: Bool
    let maxLevel: Int32
    let minFileSize: Int64
    let settings: CompactionSettings
    /// The runs of the levels above the output level (not in the unit), ascending by level.
    let higherLevels: [[DataFileMeta]]
    /// The bucket's deletion vectors by data file name, as of the start of the task.
    let vectors: [String: DeletionVector]

    init(target: CompactionTarget, picked: PickedCompaction, settings: CompactionSettings, levels: Levels,
         vectors: [String: DeletionVector] = [:]) {
        self.target = target
        unit = picked.unit
        dropDelete = picked.dropDelete
        maxLevel = picked.maxLevel
        minFileSize = settings.minFileSize
        self.settings = settings
        let output = picked.unit.outputLevel
        higherLevels = output < levels.maxLevel ? ((output + 1)...levels.maxLevel).map { levels.runOfLevel($0) }.filter { !$0.isEmpty } : []
        self.vectors = vectors
    }

    var schema: TableSchema { target.table.schema }

    func run() async throws(TableError) -> CompactTaskResult {
        let keyTypes = schema.logicalTrimmedPrimaryKeysType.fields.map(\.type)
        guard !keyTypes.isEmpty else { throw TableError(.unsupported, target.table.name, "only primary-key tables have an LSM tree to compact") }
        let sections = try IntervalPartition(keyTypes: keyTypes).partition(unit.files)
        var state = State(task: self)
        do {
            var candidate: [[[DataFileMeta]]] = []
            for section in sections {
                if section.runs.count > 1 {
                    candidate.append(section.runs)
                    continue
                }
                for file in section.runs[0] {
                    if file.fileSize < minFileSize {
                        candidate.append([[file]])
                    } else {
                        try await rewrite(&candidate, &state)
                        try await upgrade(file, &state)
                    }
                }
            }
            try await rewrite(&candidate, &state)
        } catch {
            await state.deleteWritten()
            throw error
        }
        return state.result
    }

    /// Mutable progress of one run: the result so far and every file written (for clean-up).
    struct State {
        let task: MergeTreeCompactTask
        var result = CompactTaskResult()
        var written: [DataFileMeta] = []
        var reads = ReadContext()
        /// Created at the first lookup; caches the files it decodes for the rest of the task.
        var lookup: LookupLevels?

        init(task: MergeTreeCompactTask) { self.task = task }

        func deleteWritten() async {
            for file in written {
                if let path = try? task.target.directory.appending(file.fileName) {
                    _ = try? await task.target.table.io.delete(path, recursive: false)
                }
            }
        }
    }

    func upgrade(_ file: DataFileMeta, _ state: inout State) async throws(TableError) {
        if file.level == unit.outputLevel {
            // The full pick of a max level alone: a file with a deletion vector is rewritten without its deleted rows.
            if unit.outputLevel == maxLevel && vectors[file.fileName] != nil { try await rewriteNow([[[file]]], &state) }
            return
        }
        if rewritesOnUpgrade(file) || (unit.outputLevel == maxLevel && vectors[file.fileName] != nil) {
            try await rewriteNow([[[file]]], &state)
            return
        }
        if unit.outputLevel != maxLevel || file.deleteRowCount == 0 {
            var moved = file
            moved.level = unit.outputLevel
            state.result.merge(CompactTaskResult(before: [file], after: [moved]))
        } else {
            // A file that may hold retract rows is rewritten on its way to the max level (the rows go).
            try await rewriteNow([[[file]]], &state)
        }
    }

    func rewrite(_ candidate: inout [[[DataFileMeta]]], _ state: inout State) async throws(TableError) {
        if candidate.isEmpty { return }
        if candidate.count == 1 {
            let section = candidate[0]
            if section.isEmpty {
                candidate = []
                return
            }
            if section.count == 1 {
                candidate = []
                for file in section[0] { try await upgrade(file, &state) }
                return
            }
        }
        let sections = candidate
        candidate = []
        try await rewriteNow(sections, &state)
    }

    /// Merges and writes `sections` (each a list of runs) in order into new files of the output level.
    func rewriteNow(_ sections: [[[DataFileMeta]]], _ state: inout State) async throws(TableError) {
        if let newer = sections.lazy.flatMap({ $0.joined() }).first(where: { $0.schemaId > schema.id }) {
            throw TableError(.conflict, newer.fileName,
                             "written with schema \(newer.schemaId), newer than schema \(schema.id) the compaction writes with; its new columns would be lost")
        }
        if let mode = recordwiseMode(sections) {
            try await rewriteRecordwise(sections, mode: mode, &state)
            return
        }
        let writer = try KeyValueFileWriter(io: target.table.io, directory: target.directory, schema: schema, level: unit.outputLevel,
                                            fileSource: .compact, names: target.names)
        do {
            var merger = try KeyGroupMerger(schema: schema, rowType: schema.logicalRowType, dropRetracts: dropDelete)
            for section in sections {
                try await mergeSection(section, into: writer, merger: &merger, reads: &state.reads)
            }
            let files = try await writer.close()
            state.written += files
            state.result.merge(CompactTaskResult(before: sections.flatMap { $0.flatMap { $0 } }, after: files))
        } catch {
            await writer.abort()
            throw error
        }
    }

    /// Merges one section's runs; a table that needs lookup merges with ``LookupMergeRule`` (each run cut to one
    /// level), as Java's rewriter does with the `LookupMergeFunction` the table wraps its merge function in.
    func mergeSection(_ runs: [[DataFileMeta]], into writer: KeyValueFileWriter, merger: inout KeyGroupMerger,
                      reads: inout ReadContext) async throws(TableError) {
        let levelRuns = merger.lookup ? IntervalPartition.Section.byLevel(runs) : runs
        let runLevels = merger.lookup ? levelRuns.map { $0[0].level } : nil
        let (merge, readers) = try await openMerge(levelRuns, reads: &reads)
        do {
            while let block = try await merge.nextBlock() {
                let merged = try merger.merge(block, runLevels: runLevels)
                if merged.rowCount > 0 { try await writer.write(merged) }
            }
        } catch {
            for reader in readers { await reader.close() }
            throw error
        }
        for reader in readers { await reader.close() }
    }

    /// A k-way merge of `runs` (run i of the merge is `runs[i]`), read in the table's schema with the deletion
    /// vectors applied, and its readers (the caller closes them).
    func openMerge(_ runs: [[DataFileMeta]], reads: inout ReadContext) async throws(TableError) -> (KWayMerge, [LazyRunReader]) {
        let keyColumns = schema.projection(schema.trimmedPrimaryKeys)
        let keyEncoder = try SortKeyEncoder(types: keyColumns.map { schema.fields[$0].type })
        let options = schema.coreOptions
        let orderColumns = schema.projection(options.sequenceField())
        var orderEncoder: SortKeyEncoder? = nil
        if !orderColumns.isEmpty {
            let descending: Bool
            do { descending = try options.sequenceFieldSortOrder() == .descending } catch { throw TableError.format(error, kind: .invalidTable) }
            orderEncoder = try SortKeyEncoder(types: orderColumns.map { schema.fields[$0].type }, descending: descending)
        }
        var readers: [LazyRunReader] = []
        var sorted: [SortedRun] = []
        for run in runs {
            var opens: [LazyRunReader.Source] = []
            for file in run {
                let path = try target.table.paths.dataFile(fileName: file.fileName, partition: target.partition, bucket: target.bucket,
                                                           externalPath: file.externalPath, partitionComputer: try reads.partitionComputer(schema))
                opens.append(LazyRunReader.Source(path: path, file: file, fileSchema: try await reads.schema(file.schemaId, table: target.table),
                                                  vector: vectors[file.fileName]))
            }
            let reader = LazyRunReader(io: target.table.io, tableSchema: schema, sources: opens)
            readers.append(reader)
            sorted.append(SortedRun.encoding({ () async throws(TableError) -> KeyValueBatch? in try await reader.next() },
                                             keyEncoder: keyEncoder, keyColumns: keyColumns,
                                             orderEncoder: orderEncoder, orderColumns: orderColumns))
        }
        return (KWayMerge(runs: sorted), readers)
    }
}

/// The schemas files were written with, read once per task.
struct ReadContext {
    var schemas: [Int64: TableSchema] = [:]
    var computer: InternalRowPartitionComputer?

    mutating func schema(_ id: Int64, table: FileStoreTable) async throws(TableError) -> TableSchema {
        if let known = schemas[id] { return known }
        let schema = try await table.schema(id: id)
        schemas[id] = schema
        return schema
    }

    mutating func partitionComputer(_ schema: TableSchema) throws(TableError) -> InternalRowPartitionComputer {
        if let computer { return computer }
        do {
            let made = try InternalRowPartitionComputer(schema: schema)
            computer = made
            return made
        } catch {
            throw TableError.format(error, kind: .invalidTable)
        }
    }
}

/// The files of one sorted run read one after another, each opened only when the previous one is done; rows a
/// file's deletion vector marks are dropped.
final class LazyRunReader {
    struct Source {
        var path: StoragePath
        var file: DataFileMeta
        var fileSchema: TableSchema
        var vector: DeletionVector? = nil
    }

    private let io: any FileIO
    private let tableSchema: TableSchema
    private let sources: [Source]
    private var index = 0
    private var current: DataFileReader?
    private var filter: DeletionFilter?

    init(io: any FileIO, tableSchema: TableSchema, sources: [Source]) {
        self.io = io
        self.tableSchema = tableSchema
        self.sources = sources
    }

    func next() async throws(TableError) -> KeyValueBatch? {
        while index < sources.count {
            if current == nil {
                let source = sources[index]
                current = try await DataFileReader.open(io: io, path: source.path, file: source.file, fileSchema: source.fileSchema,
                                                        tableSchema: tableSchema, projection: nil, primaryKey: true)
                filter = source.vector.map(DeletionFilter.init)
            }
            if let batch = try await current!.next() {
                guard filter != nil else { return batch }
                let kept = filter!.apply(batch)
                if kept.rowCount == 0 { continue }
                return kept
            }
            await current!.close()
            current = nil
            index += 1
        }
        return nil
    }

    func close() async {
        await current?.close()
        current = nil
        index = sources.count
    }
}
