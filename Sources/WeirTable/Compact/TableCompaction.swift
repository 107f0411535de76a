import WeirColumnar
import WeirFileIO
import WeirPaimon

/// What ``FileStoreTable/compact(partition:bucket:full:commitUser:maxAttempts:)`` did.
public struct CompactResult: Sendable {
    /// One executed unit of one (partition, bucket).
    public struct Unit: Sendable {
        public var partition: BinaryRow
        /// `k=v/` segments (empty for an unpartitioned table).
        public var partitionPath: String
        public var bucket: Int32
        public var outputLevel: Int32
        public var dropDelete: Bool
        /// The unit's files as they were (level before).
        public var inputFiles: [DataFileMeta]
        /// Files the compaction wrote (on `outputLevel`, `_FILE_SOURCE` = COMPACT).
        public var writtenFiles: [DataFileMeta]
        /// Inputs that only changed level (same file, now on `outputLevel`).
        public var upgradedFiles: [DataFileMeta]
        /// Inputs removed from the bucket (rewritten; not the upgraded ones).
        public var rewrittenFiles: [DataFileMeta]
        /// Changelog files the compaction wrote (`changelog-producer` `lookup` or `full-compaction`).
        public var changelogFiles: [DataFileMeta] = []
        /// Rows of files above the output level newly marked deleted (deletion-vector tables).
        public var deletedRows: Int = 0

        public var inputBytes: Int64 { inputFiles.reduce(0) { $0 + $1.fileSize } }
        public var writtenBytes: Int64 { writtenFiles.reduce(0) { $0 + $1.fileSize } }
    }

    public var units: [Unit]
    /// The COMPACT commit: `.committed(snapshotId:)`, or `.empty` when there was nothing to compact
    /// (`.alreadyCommitted` only when the commit user already made a batch COMPACT commit: nothing was changed).
    public var outcome: CommitOutcome
    /// Plan-execute-commit rounds made (more than 1 after a conflict with a concurrent compaction or overwrite).
    public var attempts: Int
    /// The entries committed: DELETE of every input, ADD of every output (upgrades: DELETE old level, ADD new).
    public var message: CommitMessage

    public var snapshotId: Int64? { outcome.snapshotId }
}

extension FileStoreTable {
    /// Compacts the LSM trees of this primary-key table (a dedicated compaction, Java's `compact` action): reads
    /// the latest snapshot's live files, picks per (partition, bucket) with the universal strategy (or, with
    /// `full`, every run to the max level), runs the units (at most two at once) and commits one COMPACT
    /// snapshot with all deletions and additions. Buckets with nothing to do are left alone; nothing to do at
    /// all gives `.empty` and no snapshot.
    ///
    /// Concurrent commits that only add level-0 files (APPEND) never conflict with it. When the commit finds
    /// that a compacted file is no longer live (another compaction or an overwrite removed it), the files this
    /// attempt wrote are deleted and the whole compaction starts over on the new latest snapshot, at most
    /// `maxAttempts` times (then a `conflict` error). Any other failure deletes what was written and throws.
    ///
    /// - Parameters:
    ///   - partition: only partitions it matches (e.g. ``partitionFilter(spec:)``); all when nil.
    ///   - bucket: only this bucket.
    ///   - commitUser: the snapshot's commit user; use a fresh one per call (the commit identifier is the batch
    ///     identifier, and (user, identifier, kind) makes a commit idempotent).
    ///
    /// Append tables are not compacted (`unsupported`): Weir does not merge small append files yet. Lookup
    /// compaction (first-row, `changelog-producer = lookup`, deletion vectors) looks level-0 keys up in the higher
    /// levels; the COMPACT snapshot then also lists the changelog files of the `lookup` and `full-compaction`
    /// producers and replaces the deletion-vector index files of the buckets whose vectors changed. Combinations
    /// Weir does not compact are refused (``CompactionSettings/unsupportedReason``).
    public func compact(partition: PartitionFilter? = nil, bucket: Int32? = nil, full: Bool = false, commitUser: String,
                        maxAttempts: Int = 3) async throws(TableError) -> CompactResult {
        try await compact(partition: partition, bucket: bucket, full: full, commitUser: commitUser, maxAttempts: maxAttempts,
                          beforeCommit: nil)
    }

    /// ``compact(partition:bucket:full:commitUser:maxAttempts:)`` with a hook run before each commit (tests put
    /// concurrent commits there).
    func compact(partition: PartitionFilter?, bucket: Int32?, full: Bool, commitUser: String, maxAttempts: Int,
                 beforeCommit: (@Sendable (_ attempt: Int) async throws(TableError) -> Void)?) async throws(TableError) -> CompactResult {
        guard isPrimaryKeyTable else {
            throw TableError(.unsupported, name, "\(name) is an append table; Weir compacts only primary-key tables (their LSM trees)")
        }
        if let reason = try CompactionSettings(schema: schema).unsupportedReason {
            throw TableError(.unsupported, name, "Weir cannot compact \(name): \(reason)")
        }
        var lastConflict = ""
        let attempts = max(1, maxAttempts)
        for attempt in 1...attempts {
            guard let latest = try await snapshots.latest() else {
                return CompactResult(units: [], outcome: .empty, attempts: attempt, message: CommitMessage())
            }
            // Rewritten files are written in the latest schema, so no column of a newer file is lost.
            let current = try await withLatestSchema()
            let settings = try CompactionSettings(schema: current.schema)
            if let reason = settings.unsupportedReason { throw TableError(.unsupported, name, "Weir cannot compact \(name): \(reason)") }
            let jobs = try await current.planCompaction(latest, partition: partition, bucket: bucket, full: full, settings: settings)
            if jobs.isEmpty {
                return CompactResult(units: [], outcome: .empty, attempts: attempt, message: CommitMessage())
            }
            let results: [CompactTaskResult]
            do {
                results = try await Self.runJobs(jobs, table: current)
            } catch where error.kind == .conflict && attempt < attempts {
                lastConflict = error.message  // a schema change raced with the plan: start over
                continue
            }
            let (message, indexFiles) = try await current.commitMessage(jobs, results)
            var units: [CompactResult.Unit] = []
            for (job, result) in zip(jobs, results) {
                let upgraded = result.upgradedFiles
                let upgradedNames = Set(upgraded.map(\.fileName))
                units.append(CompactResult.Unit(
                    partition: job.partition, partitionPath: job.partitionPath, bucket: job.bucket, outputLevel: job.picked.unit.outputLevel,
                    dropDelete: job.picked.dropDelete, inputFiles: job.picked.unit.files, writtenFiles: result.writtenFiles,
                    upgradedFiles: upgraded, rewrittenFiles: result.before.filter { !upgradedNames.contains($0.fileName) },
                    changelogFiles: result.changelog, deletedRows: result.deletions.values.reduce(0) { $0 + $1.count }))
            }
            let written = zip(jobs, results).flatMap { job, result in result.createdFiles.map { (job, $0) } }
            func deleteWritten() async {
                for (job, file) in written { await deleteQuietly(job.target.directory, file.fileName) }
                for file in indexFiles { await DeletionVectorIndexFile.delete(io: io, paths: paths, file: file) }
            }
            do {
                if let beforeCommit { try await beforeCommit(attempt) }
                let outcome = try await FileStoreCommit(io: io, paths: paths, schema: current.schema, commitUser: commitUser)
                    .commit(message, kind: .compact, identifier: Snapshot.batchCommitIdentifier)
                if case .alreadyCommitted = outcome {
                    // An earlier COMPACT of this commit user (the user was reused): this one's files are not in it.
                    await deleteWritten()
                }
                return CompactResult(units: units, outcome: outcome, attempts: attempt, message: message)
            } catch {
                if let id = try? await findSnapshot(after: latest.id, commitUser: commitUser, kind: .compact,
                                                    identifier: Snapshot.batchCommitIdentifier) {
                    // The commit made its snapshot although the call failed afterwards.
                    return CompactResult(units: units, outcome: .committed(snapshotId: id), attempts: attempt, message: message)
                }
                await deleteWritten()
                guard error.kind == .conflict else { throw error }
                lastConflict = error.message
            }
        }
        throw TableError(.conflict, name,
                         "compaction gave up after \(attempts) attempts: concurrent commits kept removing the files it compacted (last: \(lastConflict)); the files it wrote were deleted")
    }

    /// This table as of its latest schema (itself when that is the schema it has).
    func withLatestSchema() async throws(TableError) -> FileStoreTable {
        guard let latest = try await schemas.latest(), latest.id > schema.id else { return self }
        return FileStoreTable(io: io, identifier: identifier, paths: paths, schema: latest)
    }

    /// A filter for the partitions whose values (as partition path strings, `partition.default-name` for null)
    /// equal every `key = value` of `spec`; keys must be partition keys.
    public func partitionFilter(spec: [String: String]) throws(TableError) -> PartitionFilter {
        for key in spec.keys where !schema.partitionKeys.contains(key) {
            throw TableError(.invalidInput, key, "\(key) is not a partition key of \(name) (partition keys: \(schema.partitionKeys.joined(separator: ", ")))")
        }
        let computer: InternalRowPartitionComputer
        do { computer = try InternalRowPartitionComputer(schema: schema) } catch { throw TableError.format(error, kind: .invalidTable) }
        return PartitionFilter(matches: { row in
            guard let values = try? computer.generatePartValues(row) else { return false }
            let map = Dictionary(values.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            return spec.allSatisfy { map[$0.key] == $0.value }
        })
    }

    /// The units to run on `snapshot`, one per (partition, bucket) with something to do, in (partition bytes,
    /// bucket) order.
    func planCompaction(_ snapshot: Snapshot, partition: PartitionFilter?, bucket: Int32?, full: Bool,
                        settings: CompactionSettings) async throws(TableError) -> [CompactionJob] {
        let entries = try await SnapshotReader(io: io, paths: paths).liveEntries(
            snapshot, partitionFilter: partition, bucketFilter: bucket.map { RangeFilter.only([$0]) })
        var groups: [BucketKey: [ManifestEntry]] = [:]
        for entry in entries where entry.bucket >= 0 {
            groups[BucketKey(partition: entry.partition, bucket: entry.bucket), default: []].append(entry)
        }
        let keys = groups.keys.sorted { a, b in
            a.partition.bytes.lexicographicallyPrecedes(b.partition.bytes) || (a.partition.bytes == b.partition.bytes && a.bucket < b.bucket)
        }
        let computer: InternalRowPartitionComputer
        do { computer = try InternalRowPartitionComputer(schema: schema) } catch { throw TableError.format(error, kind: .invalidTable) }
        let comparator = KeyComparator(schema: schema)
        let indexEntries = settings.deletionVectors ? try await SnapshotReader(io: io, paths: paths).indexEntries(snapshot) : []
        var jobs: [CompactionJob] = []
        for key in keys {
            let bucketEntries = groups[key]!
            let levels = try Levels(keyComparator: comparator, files: bucketEntries.map(\.file), numLevels: settings.numLevels)
            var vectors: DeletionVectorsMaintainer? = nil
            if settings.deletionVectors {
                vectors = try await DeletionVectorsMaintainer.restore(io: io, paths: paths, partition: key.partition, bucket: key.bucket,
                                                                      indexEntries: indexEntries, format: settings.deletionVectorFormat)
            }
            guard let picked = settings.pick(levels, full: full, withDeletionVectors: Set(vectors?.vectors.keys ?? [:].keys)) else { continue }
            let partitionPath: String
            do { partitionPath = try computer.partitionPath(key.partition) } catch { throw TableError.format(error, kind: .corrupt) }
            let directory = try paths.bucketDirectory(partitionPath: partitionPath, bucket: key.bucket)
            jobs.append(CompactionJob(
                target: CompactionTarget(table: self, partition: key.partition, bucket: key.bucket, directory: directory, names: DataFileNames()),
                partitionPath: partitionPath, totalBuckets: bucketEntries[0].totalBuckets, picked: picked,
                settings: settings, levels: levels, deletionVectors: vectors,
                entries: Dictionary(bucketEntries.map { (LevelFileKey(name: $0.file.fileName, level: $0.file.level), $0) },
                                    uniquingKeysWith: { a, _ in a })))
        }
        return jobs
    }

    /// Runs the jobs, at most `width` at once; on any failure deletes what every job wrote and throws the first
    /// error.
    static func runJobs(_ jobs: [CompactionJob], table: FileStoreTable, width: Int = 2) async throws(TableError) -> [CompactTaskResult] {
        let outcomes = await withTaskGroup(of: (Int, Result<CompactTaskResult, TableError>).self) { group in
            var results = [Result<CompactTaskResult, TableError>?](repeating: nil, count: jobs.count)
            var next = 0
            func start() {
                let index = next
                let job = jobs[index]
                next += 1
                group.addTask { (index, await runJob(job)) }
            }
            while next < min(max(1, width), jobs.count) { start() }
            while let (index, outcome) = await group.next() {
                results[index] = outcome
                if next < jobs.count {
                    if case .failure = outcome {} else { start() }
                }
            }
            return results
        }
        var firstError: TableError? = nil
        var results: [CompactTaskResult] = []
        for outcome in outcomes {
            switch outcome {
            case .success(let result)?: results.append(result)
            case .failure(let error)?: if firstError == nil { firstError = error }
            case nil: if firstError == nil { firstError = TableError(.io, table.name, "a compaction task did not run") }
            }
        }
        if let firstError {
            for (job, outcome) in zip(jobs, outcomes) {
                if case .success(let result)? = outcome {
                    for file in result.createdFiles { await table.deleteQuietly(job.target.directory, file.fileName) }
                }
            }
            throw firstError
        }
        return results
    }

    /// Runs one job's task. A function of its own: with the task's `do throws(TableError)` inline in the child
    /// task's closure, swiftc 6.3.1 release builds returned a wrong index to `runJobs` (an index-out-of-range trap).
    static func runJob(_ job: CompactionJob) async -> Result<CompactTaskResult, TableError> {
        do throws(TableError) {
            let task = MergeTreeCompactTask(target: job.target, picked: job.picked, settings: job.settings, levels: job.levels,
                                            vectors: job.deletionVectors?.vectors ?? [:])
            return .success(try await task.run())
        } catch {
            return .failure(error)
        }
    }

    /// The commit message of executed jobs: DELETE entries of their inputs, ADD entries of their outputs and
    /// changelog files, and for deletion-vector buckets whose vectors changed the new index file (ADD) and the
    /// old ones (DELETE). Returns the index files it wrote too; on a failure it deletes them and every file the
    /// jobs wrote.
    func commitMessage(_ jobs: [CompactionJob], _ results: [CompactTaskResult]) async throws(TableError) -> (CommitMessage, [IndexFileMeta]) {
        var message = CommitMessage()
        var indexFiles: [IndexFileMeta] = []
        do {
            for (job, result) in zip(jobs, results) {
                message.deletedFiles += result.before.map { job.liveEntry($0) }
                message.newFiles += result.after.map {
                    ManifestEntry(kind: .add, partition: job.partition, bucket: job.bucket, totalBuckets: job.totalBuckets, file: $0)
                }
                message.changelogFiles += result.changelog.map {
                    ManifestEntry(kind: .add, partition: job.partition, bucket: job.bucket, totalBuckets: job.totalBuckets, file: $0)
                }
                if var vectors = job.deletionVectors {
                    try vectors.apply(result)
                    let (added, deleted) = try await vectors.prepareCommit(io: io, paths: paths)
                    indexFiles += added.map(\.indexFile)
                    message.newIndexFiles += added
                    message.deletedIndexFiles += deleted
                }
            }
        } catch {
            for file in indexFiles { await DeletionVectorIndexFile.delete(io: io, paths: paths, file: file) }
            for (job, result) in zip(jobs, results) {
                for file in result.createdFiles { await deleteQuietly(job.target.directory, file.fileName) }
            }
            throw error
        }
        return (message, indexFiles)
    }

    /// The id of a snapshot after `after` made by (commitUser, identifier, kind), if any.
    func findSnapshot(after: Int64, commitUser: String, kind: Snapshot.CommitKind, identifier: Int64) async throws(TableError) -> Int64? {
        guard let latest = try await snapshots.latestId(), latest > after else { return nil }
        for id in (after + 1)...latest {
            guard let snapshot = try await snapshots.snapshotIfExists(id) else { continue }
            if snapshot.commitUser == commitUser && snapshot.commitKind == kind && snapshot.commitIdentifier == identifier { return id }
        }
        return nil
    }

    func deleteQuietly(_ directory: StoragePath, _ fileName: String) async {
        guard let path = try? directory.appending(fileName) else { return }
        _ = try? await io.delete(path, recursive: false)
    }
}

struct LevelFileKey: Hashable {
    var name: String
    var level: Int32
}

/// One unit of one (partition, bucket) to run, with the live entries of the bucket (DELETE entries must copy them).
struct CompactionJob: Sendable {
    let target: CompactionTarget
    let partitionPath: String
    let totalBuckets: Int32
    let picked: PickedCompaction
    let settings: CompactionSettings
    /// The bucket's levels the unit was picked from.
    let levels: Levels
    /// The bucket's deletion vectors (deletion-vector tables).
    let deletionVectors: DeletionVectorsMaintainer?
    let entries: [LevelFileKey: ManifestEntry]

    var partition: BinaryRow { target.partition }
    var bucket: Int32 { target.bucket }

    /// The DELETE of the live entry of `file`.
    func liveEntry(_ file: DataFileMeta) -> ManifestEntry {
        if let entry = entries[LevelFileKey(name: file.fileName, level: file.level)] { return CommitMessage.deletion(of: entry) }
        return ManifestEntry(kind: .delete, partition: partition, bucket: bucket, totalBuckets: totalBuckets, file: file)
    }
}
