import struct Foundation.Date
import WeirColumnar
import WeirFileIO
import WeirPaimon

/// Commits changes to a table as new snapshots, mirroring Java's `FileStoreCommitImpl` (spec/paimon-format.md
/// sections 3.3, 3.5 and 3.6).
///
/// One call makes at most one snapshot, atomically: the manifests and lists are written first, then
/// `snapshot-<latest+1>` is created with create-if-absent (``SnapshotStore/tryCreate(_:)``); when another writer
/// took that id first, the commit starts over on the new latest snapshot after a backoff of
/// `min(commit.min-retry-wait · 2^n, commit.max-retry-wait)` plus up to 20 % jitter, at most `commit.max-retries`
/// times and within `commit.timeout` (then a `conflict` error).
///
/// Contracts:
/// - **Exactly once**: a commit is identified by (commit user, identifier, kind). Before the first attempt the
///   snapshots of this user are searched newest first (down to the user's first snapshot with a smaller
///   identifier); a match means the commit was made already and returns ``CommitOutcome/alreadyCommitted(snapshotId:)``
///   without writing anything. After an attempt whose snapshot write failed in an unknown way, the retry first
///   looks for its own snapshot among the new ones. Batch writers that always use identifier `Long.MAX_VALUE`
///   must therefore use a fresh commit user per commit (as Java's batch writers do).
/// - **Conflicts**: a commit with DELETE entries (or deletion-vector index changes) is checked against the latest
///   snapshot on every attempt (``ConflictDetection``): files it deletes must still be live, `_TOTAL_BUCKETS` must
///   agree within a partition (except for OVERWRITE), for primary-key tables the key ranges of level ≥ 1
///   files of a bucket must not overlap, and deletion-vector index files it replaces must still be the live ones
///   of their buckets. A conflict is a `conflict` error and nothing of the commit stays behind.
///   APPEND commits of new files only are not checked, as in Java. An APPEND commit that deletes files is made as
///   OVERWRITE, as Java labels it.
/// - **Clean-up**: files written for an attempt that lost the race and cannot be reused (the base list, an index
///   manifest, per-attempt deltas) are deleted before the retry; on failure everything this call wrote is deleted,
///   unless an attempt's outcome was unknown (its snapshot may refer to the files; orphan clean handles them).
/// - **Snapshot content**: base list = the previous snapshot's base and delta manifests re-listed (no merging),
///   delta list = one new manifest, changelog list when there are changelog files, index manifest = the previous
///   listing combined with the index changes (or the previous one unchanged), `schemaId` = latest schema,
///   `totalRecordCount` = previous + `deltaRecordCount` (Σ rows added − Σ rows deleted),
///   `changelogRecordCount`, `watermark` = max of the previous and the given one, `logOffsets` carried over,
///   `statistics` inherited while the schema is unchanged, `nextRowId` (row tracking assigns `_FIRST_ROW_ID` to
///   new appended files and the snapshot id as their sequence numbers), `LATEST` updated.
public struct FileStoreCommit: Sendable {
    public let io: any FileIO
    public let paths: TablePaths
    public let schema: TableSchema
    public let commitUser: String
    /// Commit time of new snapshots, epoch milliseconds.
    public var clock: @Sendable () -> Int64

    public init(io: any FileIO, paths: TablePaths, schema: TableSchema, commitUser: String,
                clock: @escaping @Sendable () -> Int64 = FileStoreCommit.wallClockMillis) {
        self.io = io
        self.paths = paths
        self.schema = schema
        self.commitUser = commitUser
        self.clock = clock
    }

    public static let wallClockMillis: @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    var snapshots: SnapshotStore { SnapshotStore(io: io, paths: paths) }
    var reader: SnapshotReader { SnapshotReader(io: io, paths: paths) }
    var subject: String { paths.root.description }

    // MARK: public operations

    /// Commits `message` as one snapshot of kind `kind` (APPEND, COMPACT or OVERWRITE; an APPEND that deletes
    /// files is made as OVERWRITE). An empty message makes no snapshot (``CommitOutcome/empty``).
    public func commit(_ message: CommitMessage, kind: Snapshot.CommitKind, identifier: Int64,
                       properties: [String: String]? = nil, watermark: Int64? = nil) async throws(TableError) -> CommitOutcome {
        try validate(message, overwrite: false)
        if message.isEmpty { return .empty }
        guard kind != .analyze else {
            throw TableError(.unsupported, subject, "ANALYZE commits (statistics only) are not supported")
        }
        let hasDeletes = !message.deletedFiles.isEmpty
            || (message.newIndexFiles + message.deletedIndexFiles).contains { $0.indexFile.indexType == IndexFileMeta.deletionVectorsIndex }
        let effectiveKind: Snapshot.CommitKind = (kind == .append && hasDeletes) ? .overwrite : kind
        let delta = message.deletedFiles + message.newFiles
        let indexChanges = message.deletedIndexFiles + message.newIndexFiles
        return try await run(Attempt(
            kind: effectiveKind, identifier: identifier, properties: properties, watermark: watermark,
            changelog: message.changelogFiles, conflictCheck: hasDeletes,
            delta: { _ throws(TableError) in delta }, deltaIsFixed: true,
            indexChanges: { _ throws(TableError) in indexChanges }))
    }

    /// An OVERWRITE commit: deletes every live file (and index file) of `partitions` — of the whole table when
    /// nil — as of the snapshot it commits on, and adds `message.newFiles`, which must lie in those partitions.
    /// Files of bucket -2 (postpone mode) are kept unless the table is in postpone mode. `message.deletedFiles`
    /// must be empty (the overwrite deletes what is live itself); changelog files are ignored, as Java does. When
    /// nothing is live there and nothing is added, no snapshot is made (``CommitOutcome/empty``).
    public func overwrite(partitions: Set<BinaryRow>?, message: CommitMessage, identifier: Int64,
                          properties: [String: String]? = nil, watermark: Int64? = nil) async throws(TableError) -> CommitOutcome {
        try validate(message, overwrite: true)
        if let partitions {
            for entry in message.newFiles where !partitions.contains(entry.partition) {
                throw TableError(.invalidInput, subject,
                                 "trying to overwrite partitions \(partitions.map(partitionText)), but \(entry.file.fileName) is in partition \(partitionText(entry.partition))")
            }
        }
        let partitionType = schema.logicalPartitionType
        let filter = partitions.map { PartitionFilter.partitions($0, partitionType: partitionType) }
        let bucketFilter: RangeFilter? = schema.numBuckets == BucketMode.postponeBucket ? nil : .atLeast(0)
        let reader = self.reader
        let newFiles = message.newFiles
        let newIndexFiles = message.newIndexFiles
        let outcome = try await run(Attempt(
            kind: .overwrite, identifier: identifier, properties: properties, watermark: watermark, changelog: [],
            conflictCheck: true,
            delta: { latest throws(TableError) in
                guard let latest else { return newFiles }
                let live = try await reader.liveEntries(latest, partitionFilter: filter, bucketFilter: bucketFilter)
                let liveIds = Set(live.map(\.identifier))
                if let again = newFiles.first(where: { liveIds.contains($0.identifier) }) {
                    throw TableError(.invalidInput, subject, Self.readdedMessage(again))
                }
                return live.map(CommitMessage.deletion) + newFiles
            },
            deltaIsFixed: false,
            indexChanges: { latest throws(TableError) in
                guard let latest else { return newIndexFiles }
                let live = try await reader.indexEntries(latest).filter { filter?.matches($0.partition) ?? true }
                return live.map { var e = $0; e.kind = .delete; return e } + newIndexFiles
            },
            skipWhenEmpty: true))
        return outcome
    }

    // MARK: validation

    func partitionText(_ row: BinaryRow) -> String {
        if let computer = try? InternalRowPartitionComputer(schema: schema), let spec = try? computer.generatePartValues(row) {
            return "{" + spec.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + "}"
        }
        return row.description
    }

    /// pypaimon drops every ADD whose identifier any DELETE of the snapshot names, whatever the order, so a file
    /// must never be added again once deleted (Java never does; a level change is a new identifier).
    static func readdedMessage(_ entry: ManifestEntry) -> String {
        "\(entry.file.fileName) is deleted and added again with the same identifier (partition, bucket, level, name); "
            + "readers that fold without order (pypaimon) would drop it — write the data under a new file name"
    }

    func validate(_ message: CommitMessage, overwrite: Bool) throws(TableError) {
        let arity = schema.partitionKeys.count
        func check(_ entries: [ManifestEntry], _ kind: FileKind, _ label: String) throws(TableError) {
            for entry in entries {
                guard entry.kind == kind else {
                    throw TableError(.invalidInput, subject, "\(label) \(entry.file.fileName) has kind \(entry.kind), expected \(kind)")
                }
                guard entry.partition.arity == arity else {
                    throw TableError(.invalidInput, subject,
                                     "\(label) \(entry.file.fileName) has a partition of \(entry.partition.arity) fields; the table has \(arity) partition keys")
                }
                do {
                    try entry.file.validate(subject: label)
                } catch {
                    throw TableError(.invalidInput, subject, error.description)
                }
                guard TablePaths.isPlainName(entry.file.fileName) else {
                    throw TableError(.invalidInput, subject, "\(label) '\(entry.file.fileName)' is not a plain file name")
                }
            }
        }
        try check(message.newFiles, .add, "new file")
        try check(message.deletedFiles, .delete, "deleted file")
        try check(message.changelogFiles, .add, "changelog file")
        for entry in message.newIndexFiles where entry.kind != .add {
            throw TableError(.invalidInput, subject, "new index file \(entry.indexFile.fileName) has kind DELETE")
        }
        for entry in message.deletedIndexFiles where entry.kind != .delete {
            throw TableError(.invalidInput, subject, "deleted index file \(entry.indexFile.fileName) has kind ADD")
        }
        if overwrite && !message.deletedFiles.isEmpty {
            throw TableError(.invalidInput, subject, "an overwrite deletes the live files itself; deletedFiles must be empty")
        }
        var seen = Set<FileEntryIdentifier>()
        for entry in message.newFiles where !seen.insert(entry.identifier).inserted {
            throw TableError(.invalidInput, subject, "new file \(entry.file.fileName) is listed twice")
        }
        for entry in message.deletedFiles where seen.contains(entry.identifier) {
            throw TableError(.invalidInput, subject, Self.readdedMessage(entry))
        }
    }

    // MARK: the attempt loop

    struct Attempt: Sendable {
        var kind: Snapshot.CommitKind
        var identifier: Int64
        var properties: [String: String]?
        var watermark: Int64?
        var changelog: [ManifestEntry]
        var conflictCheck: Bool
        /// The data entries to commit on top of the given latest snapshot.
        var delta: @Sendable (Snapshot?) async throws(TableError) -> [ManifestEntry]
        /// True when `delta` does not depend on the latest snapshot (its manifest is written once and reused).
        var deltaIsFixed: Bool
        var indexChanges: @Sendable (Snapshot?) async throws(TableError) -> [IndexManifestEntry]
        /// Make no snapshot when the delta, changelog and index changes are all empty.
        var skipWhenEmpty = false
    }

    /// Files this call wrote, by lifetime.
    struct Written {
        /// Reused across attempts: the fixed delta manifest and list, the changelog manifest and list.
        var reusable: [StoragePath] = []
        /// Written for the current attempt only.
        var attempt: [StoragePath] = []
    }

    struct RetrySettings {
        var maxRetries: Int
        var timeoutMillis: Int64?
        var minWaitMillis: Int64
        var maxWaitMillis: Int64
    }

    func retrySettings() throws(TableError) -> RetrySettings {
        let options = schema.coreOptions
        do {
            return RetrySettings(
                maxRetries: Int(max(0, try options.commitMaxRetries())),
                timeoutMillis: try options.commitTimeout().map(TimeUtils.milliseconds),
                minWaitMillis: max(0, TimeUtils.milliseconds(try options.commitMinRetryWait())),
                maxWaitMillis: max(0, TimeUtils.milliseconds(try options.commitMaxRetryWait())))
        } catch {
            throw TableError.format(error, kind: .invalidTable)
        }
    }

    func run(_ attempt: Attempt) async throws(TableError) -> CommitOutcome {
        let settings = try retrySettings()
        let options = schema.coreOptions
        let rowTracking: Bool
        do {
            rowTracking = try options.rowTrackingEnabled()
        } catch {
            throw TableError.format(error, kind: .invalidTable)
        }
        let snapshots = self.snapshots

        // Exactly once: a replayed commit is a no-op.
        if let id = try await findCommitted(identifier: attempt.identifier, kind: attempt.kind) {
            return .alreadyCommitted(snapshotId: id)
        }

        var written = Written()
        var uncertain = false
        var lastSeen: Snapshot? = nil
        var retried = false
        var conflictBase: (snapshotId: Int64, partitions: Set<BinaryRow>, entries: [ManifestEntry])? = nil
        var fixedDelta: (list: String, size: Int64, entries: [ManifestEntry])? = nil
        var changelogList: (list: String, size: Int64)? = nil
        let started = ContinuousClock.now
        var retry = 0
        var lastFailure = ""

        func cleanUp(_ paths: [StoragePath]) async {
            for path in paths { await MetaIO.deleteQuietly(io, path) }
        }

        while true {
            var outcome: Bool? = nil
            var newSnapshotId: Int64 = 0
            do throws(TableError) {
                let latest = try await snapshots.latest()

                // After an attempt with an unknown outcome, look for our own snapshot first.
                if retried, let latest {
                    let from = (lastSeen?.id ?? 0) + 1
                    if from <= latest.id {
                        for id in from...latest.id {
                            guard let snapshot = try await snapshots.snapshotIfExists(id) else { continue }
                            if snapshot.commitUser == commitUser && snapshot.commitIdentifier == attempt.identifier
                                && snapshot.commitKind == attempt.kind {
                                return uncertain ? .committed(snapshotId: id) : .alreadyCommitted(snapshotId: id)
                            }
                        }
                    }
                }

                newSnapshotId = (latest?.id ?? 0) + 1
                var delta = try await attempt.delta(latest)
                let indexChanges = try await attempt.indexChanges(latest)
                if attempt.skipWhenEmpty && delta.isEmpty && indexChanges.isEmpty && attempt.changelog.isEmpty {
                    await cleanUp(written.reusable)
                    return .empty
                }

                // The latest snapshot's index listing, read once per attempt: the deletion-vector conflict check and the
                // new index manifest both start from it.
                var latestIndex: [IndexManifestEntry] = []
                if !indexChanges.isEmpty, let latest { latestIndex = try await reader.indexEntries(latest) }

                // Conflict check against the latest snapshot (incrementally after the first attempt).
                if attempt.conflictCheck {
                    var base: [ManifestEntry] = []
                    if let latest {
                        let partitions = Set(delta.map(\.partition) + indexChanges
                            .filter { $0.indexFile.indexType == IndexFileMeta.deletionVectorsIndex }.map(\.partition))
                        base = try await self.conflictBase(latest: latest, partitions: partitions, cached: conflictBase)
                        conflictBase = (latest.id, partitions, base)
                    }
                    let detection = ConflictDetection(keyComparator: KeyComparator(schema: schema),
                                                      partitionComputer: try? InternalRowPartitionComputer(schema: schema), subject: subject)
                    try detection.check(base: base, delta: delta, kind: attempt.kind, latestSnapshotId: latest?.id)
                    try detection.checkDeletionVectors(live: latestIndex, changes: indexChanges, bucketMode: BucketMode.of(schema),
                                                       latestSnapshotId: latest?.id)
                }

                // Row tracking: first row ids for new appended files, the snapshot id as sequence numbers.
                var nextRowId = latest?.nextRowId ?? 0
                if rowTracking {
                    (delta, nextRowId) = try assignRowTracking(delta, snapshotId: newSnapshotId, nextRowId: nextRowId)
                }

                written.attempt = []
                let partitionType = schema.logicalPartitionType
                // Delta manifest and list.
                let deltaList: (list: String, size: Int64)
                if attempt.deltaIsFixed && !rowTracking, let fixed = fixedDelta {
                    deltaList = (fixed.list, fixed.size)
                } else {
                    var files: [StoragePath] = []
                    var metas: [ManifestFileMeta] = []
                    if !delta.isEmpty {
                        let meta = try await ManifestFile.write(io: io, paths: paths, entries: delta, partitionType: partitionType,
                                                                schemaId: schema.id, options: options)
                        files.append(try paths.manifest(meta.fileName))
                        metas.append(meta)
                    }
                    if attempt.deltaIsFixed && !rowTracking { written.reusable += files } else { written.attempt += files }
                    let list = try await ManifestList.write(io: io, paths: paths, metas: metas, options: options)
                    let listPath = try paths.manifest(list.fileName)
                    if attempt.deltaIsFixed && !rowTracking {
                        written.reusable.append(listPath)
                        fixedDelta = (list.fileName, list.size, delta)
                    } else {
                        written.attempt.append(listPath)
                    }
                    deltaList = (list.fileName, list.size)
                }
                // Changelog manifest and list (reused).
                if !attempt.changelog.isEmpty && changelogList == nil {
                    let meta = try await ManifestFile.write(io: io, paths: paths, entries: attempt.changelog, partitionType: partitionType,
                                                            schemaId: schema.id, options: options)
                    written.reusable.append(try paths.manifest(meta.fileName))
                    let list = try await ManifestList.write(io: io, paths: paths, metas: [meta], options: options)
                    written.reusable.append(try paths.manifest(list.fileName))
                    changelogList = (list.fileName, list.size)
                }
                // Base list: everything the latest snapshot holds, re-listed.
                var baseMetas: [ManifestFileMeta] = []
                if let latest { baseMetas = try await reader.dataManifests(latest) }
                let baseList = try await ManifestList.write(io: io, paths: paths, metas: baseMetas, options: options)
                written.attempt.append(try paths.manifest(baseList.fileName))
                // Index manifest: the previous full listing combined with the changes.
                var indexManifest = latest?.indexManifest
                if !indexChanges.isEmpty {
                    let combined = try IndexManifestFile.combine(previous: latestIndex, changes: indexChanges, bucketMode: BucketMode.of(schema))
                    let file = try await IndexManifestFile.write(io: io, paths: paths, entries: combined, options: options)
                    written.attempt.append(try paths.manifest(file.fileName))
                    indexManifest = file.fileName
                }

                let latestSchemaId = try await SchemaStore(io: io, paths: paths).ids().last ?? schema.id
                let deltaRecordCount = delta.reduce(Int64(0)) { $0 + ($1.kind == .add ? $1.file.rowCount : -$1.file.rowCount) }
                var previousTotal: Int64 = 0
                if let latest { previousTotal = try await reader.totalRecordCount(latest) }
                var currentWatermark = attempt.watermark
                if let old = latest?.watermark { currentWatermark = max(currentWatermark ?? old, old) }
                let properties = (attempt.properties?.isEmpty ?? true) ? nil : attempt.properties
                let snapshot = Snapshot(
                    id: newSnapshotId, schemaId: latestSchemaId,
                    baseManifestList: baseList.fileName, baseManifestListSize: baseList.size,
                    deltaManifestList: deltaList.list, deltaManifestListSize: deltaList.size,
                    changelogManifestList: changelogList?.list, changelogManifestListSize: changelogList?.size,
                    indexManifest: indexManifest, commitUser: commitUser, commitIdentifier: attempt.identifier,
                    commitKind: attempt.kind, timeMillis: clock(), logOffsets: latest?.logOffsets ?? [:],
                    totalRecordCount: previousTotal + deltaRecordCount, deltaRecordCount: deltaRecordCount,
                    changelogRecordCount: attempt.changelog.reduce(0) { $0 + $1.file.rowCount },
                    watermark: currentWatermark,
                    statistics: await inheritedStatistics(latest, latestSchemaId: latestSchemaId),
                    properties: properties, nextRowId: nextRowId)

                do {
                    outcome = try await snapshots.tryCreate(snapshot)
                } catch {
                    // The snapshot may or may not exist now: keep its files and look for it on the next attempt.
                    uncertain = true
                    outcome = nil
                    lastFailure = error.description
                    written.attempt = []
                }
                lastSeen = latest
            } catch {
                // Preparing the attempt failed (a conflict, a bad file, storage): nothing of it stays behind.
                await cleanUp(written.attempt)
                if !uncertain { await cleanUp(written.reusable) }
                throw error
            }

            if outcome == true { return .committed(snapshotId: newSnapshotId) }
            if outcome == false {
                lastFailure = "snapshot \(newSnapshotId) was created by another writer"
                await cleanUp(written.attempt)
                written.attempt = []
            }
            retried = true

            let elapsedDuration = ContinuousClock.now - started
            let elapsed = TimeUtils.milliseconds(elapsedDuration)
            if retry >= settings.maxRetries || (settings.timeoutMillis.map { elapsed > $0 } ?? false) || Task.isCancelled {
                if !uncertain { await cleanUp(written.reusable) }
                let why = Task.isCancelled ? "the commit was cancelled" : "gave up after \(retry + 1) attempts in \(elapsed) ms"
                throw TableError(.conflict, subject,
                                 "Commit failed: \(why) (last: \(lastFailure)); there may be commit conflicts between several writers")
            }
            let base = min(Double(settings.minWaitMillis) * pow2(retry), Double(settings.maxWaitMillis))
            let wait = Int64(base) + Int64.random(in: 0..<max(1, Int64(base * 0.2)))
            try? await Task.sleep(for: .milliseconds(wait))
            retry += 1
        }
    }

    func pow2(_ n: Int) -> Double { n >= 62 ? Double.greatestFiniteMagnitude : Double(Int64(1) << n) }

    /// The live entries of `partitions` in `latest`: from `cached` plus the deltas since, when possible.
    func conflictBase(latest: Snapshot, partitions: Set<BinaryRow>,
                      cached: (snapshotId: Int64, partitions: Set<BinaryRow>, entries: [ManifestEntry])?) async throws(TableError) -> [ManifestEntry] {
        let filter = PartitionFilter.partitions(partitions, partitionType: schema.logicalPartitionType)
        if let cached, cached.partitions == partitions, cached.snapshotId <= latest.id {
            if cached.snapshotId == latest.id { return cached.entries }
            var entries = cached.entries
            var complete = true
            for id in (cached.snapshotId + 1)...latest.id {
                guard let snapshot = try await snapshots.snapshotIfExists(id) else {
                    complete = false
                    break
                }
                entries += try await reader.deltaEntries(snapshot, partitionFilter: filter)
            }
            if complete {
                do {
                    return try FileEntries.liveFiles(entries, subject: "snapshot-\(latest.id)")
                } catch {
                    // Fall through to a full read.
                }
            }
        }
        return try await reader.liveEntries(latest, partitionFilter: filter)
    }

    /// The newest snapshot of this commit user with (identifier, kind), searched newest first down to the user's
    /// first snapshot with a smaller identifier.
    func findCommitted(identifier: Int64, kind: Snapshot.CommitKind) async throws(TableError) -> Int64? {
        let snapshots = self.snapshots
        guard let latestId = try await snapshots.latestId(), let earliestId = try await snapshots.earliestId() else { return nil }
        var high = latestId
        while high >= earliestId {
            // Read a batch of snapshots at once (small JSON files; latency matters on object stores).
            let low = max(earliestId, high - 15)
            let batch = try await concurrentMap(Array((low...high).reversed()), width: 8) { (id: Int64) throws(TableError) -> Snapshot? in
                try await snapshots.snapshotIfExists(id)
            }
            for snapshot in batch {
                guard let snapshot, snapshot.commitUser == commitUser else { continue }
                if snapshot.commitIdentifier == identifier && snapshot.commitKind == kind { return snapshot.id }
                if snapshot.commitIdentifier < identifier { return nil }
            }
            high = low - 1
        }
        return nil
    }

    /// `statistics` of the latest snapshot when its statistics file was made for the latest schema.
    func inheritedStatistics(_ latest: Snapshot?, latestSchemaId: Int64) async -> String? {
        guard let name = latest?.statistics, let path = try? paths.statistics(name),
              let bytes = try? await MetaIO.read(io, path),
              let root = try? JsonSerdeUtil.parse(bytes, subject: name, bytesMax: MetaIO.jsonBytesMax),
              case .number(let text)? = root["schemaId"], Int64(text) == latestSchemaId else { return nil }
        return name
    }

    /// Java's row-tracking assignment: the snapshot id as every delta file's sequence numbers, and consecutive
    /// first row ids from `nextRowId` for new appended files without one.
    func assignRowTracking(_ delta: [ManifestEntry], snapshotId: Int64,
                           nextRowId: Int64) throws(TableError) -> ([ManifestEntry], Int64) {
        var next = nextRowId
        var out: [ManifestEntry] = []
        for var entry in delta {
            guard let source = entry.file.fileSource else {
                throw TableError(.invalidInput, subject, "row tracking needs _FILE_SOURCE on \(entry.file.fileName)")
            }
            if entry.kind == .add {
                entry.file.minSequenceNumber = snapshotId
                entry.file.maxSequenceNumber = snapshotId
                if source == .append && entry.file.firstRowId == nil {
                    entry.file.firstRowId = next
                    next += entry.file.rowCount
                }
            }
            out.append(entry)
        }
        return (out, next)
    }
}
