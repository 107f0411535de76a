import WeirColumnar
import WeirFileIO
import WeirPaimon

/// The compaction side of one bucket writer of a primary-key table (Java's `MergeTreeCompactManager` inside
/// `MergeTreeWriter`, run synchronously): it knows the bucket's levels (the live files of the snapshot the write
/// started from plus the level-0 files flushed since) and gathers what compaction changed into one increment
/// that the write's commit turns into a COMPACT snapshot after its APPEND snapshot.
///
/// - Write stall: after every flush, while the bucket has more than `num-sorted-run.stop-trigger` sorted runs,
///   a universal pick runs and is compacted before writing goes on.
/// - At prepare-commit: one universal pick (Java triggers after the last flush and a batch write waits for it), or
///   a full compaction with `full-compaction.delta-commits` > 0 (a batch write compacts every bucket it wrote).
/// - Increment bookkeeping (Java's `MergeTreeWriter.updateCompactResult`): an input that an earlier compaction
///   of this write produced is dropped from the additions instead of deleted from the table, and its file is
///   removed at once unless it is an upgraded (shared) or newly flushed file; everything else goes to the
///   deletions.
/// - Lookup compaction (``CompactionSettings/lookup``) writes changelog files for `changelog-producer = lookup`
///   and `full-compaction` (when a unit goes to the max level), which the COMPACT snapshot lists, and with
///   deletion vectors keeps the bucket's vectors (restored from the snapshot the write started from), whose new
///   index file the COMPACT snapshot adds.
final class WriterCompaction {
    let target: CompactionTarget
    let settings: CompactionSettings
    private(set) var levels: Levels
    /// Files flushed by this write (level 0; the APPEND snapshot adds them).
    private var flushed: Set<String> = []
    /// Files the COMPACT snapshot deletes, and adds.
    private(set) var compactBefore: [DataFileMeta] = []
    private(set) var compactAfter: [DataFileMeta] = []
    /// Changelog files the compactions wrote.
    private(set) var changelog: [DataFileMeta] = []
    /// The bucket's deletion vectors (deletion-vector tables).
    private(set) var vectors: DeletionVectorsMaintainer?

    /// The live entries of the bucket the write started from (DELETE entries copy them exactly).
    private let restored: [LevelFileKey: ManifestEntry]

    /// - Parameters:
    ///   - restored: the bucket's live entries in the snapshot the write started from.
    ///   - vectors: the bucket's deletion vectors in that snapshot (deletion-vector tables).
    init(target: CompactionTarget, settings: CompactionSettings, restored: [ManifestEntry], vectors: DeletionVectorsMaintainer? = nil) throws(TableError) {
        self.target = target
        self.settings = settings
        self.vectors = vectors
        self.restored = Dictionary(restored.map { (LevelFileKey(name: $0.file.fileName, level: $0.file.level), $0) }, uniquingKeysWith: { a, _ in a })
        levels = try Levels(keyComparator: KeyComparator(schema: target.table.schema), files: restored.map(\.file), numLevels: settings.numLevels)
    }

    /// The compaction of a bucket writer, or nil when a live file of the bucket was written with a newer schema
    /// than the write's (rewriting it would drop its new columns; the write then leaves the bucket alone).
    static func make(target: CompactionTarget, settings: CompactionSettings, restored: [ManifestEntry],
                     vectors: DeletionVectorsMaintainer? = nil) throws(TableError) -> WriterCompaction? {
        if restored.contains(where: { $0.file.schemaId > target.table.schema.id }) { return nil }
        return try WriterCompaction(target: target, settings: settings, restored: restored, vectors: vectors)
    }

    /// Whether a writer of `table` compacts: a primary-key table, not `write-only`, that Weir can compact.
    static func settings(for schema: TableSchema) throws(TableError) -> CompactionSettings? {
        guard !schema.primaryKeys.isEmpty else { return nil }
        let settings = try CompactionSettings(schema: schema)
        return settings.writeOnly || settings.unsupportedReason != nil ? nil : settings
    }

    /// Registers freshly flushed level-0 files and compacts while the bucket has too many sorted runs.
    func flushed(_ files: [DataFileMeta]) async throws(TableError) {
        guard !files.isEmpty else { return }
        for file in files { flushed.insert(file.fileName) }
        try levels.update(before: [], after: files)
        while levels.numberOfSortedRuns > Int(settings.stopTrigger) {
            guard let picked = settings.pick(levels, full: false) else { break }
            try await run(picked)
        }
    }

    /// The compaction a batch write waits for before it commits: one universal pick, or with
    /// `full-compaction.delta-commits` > 0 a full compaction (``CompactionSettings/fullCompactionAtEveryCommit``).
    func prepareCommit() async throws(TableError) {
        let full = settings.fullCompactionAtEveryCommit
        let withVectors = full ? Set(vectors?.vectors.keys.map { $0 } ?? []) : []
        if let picked = settings.pick(levels, full: full, withDeletionVectors: withVectors) { try await run(picked) }
    }

    func run(_ picked: PickedCompaction) async throws(TableError) {
        let result = try await MergeTreeCompactTask(target: target, picked: picked, settings: settings, levels: levels,
                                                    vectors: vectors?.vectors ?? [:]).run()
        do {
            try levels.update(before: result.before, after: result.after)
            try vectors?.apply(result)
        } catch {
            for file in result.createdFiles { await target.table.deleteQuietly(target.directory, file.fileName) }
            throw error
        }
        changelog += result.changelog
        let outputs = Set(result.after.map(\.fileName))
        for file in result.before {
            if let index = compactAfter.firstIndex(where: { $0.fileName == file.fileName && $0.level == file.level }) {
                compactAfter.remove(at: index)
                let shared = flushed.contains(file.fileName) || outputs.contains(file.fileName)
                    || compactBefore.contains { $0.fileName == file.fileName }
                if !shared { await target.table.deleteQuietly(target.directory, file.fileName) }
            } else {
                compactBefore.append(file)
            }
        }
        compactAfter += result.after
    }

    /// The changelog files of the compactions as ADD entries.
    func changelogEntries(totalBuckets: Int32) -> [ManifestEntry] {
        changelog.map { ManifestEntry(kind: .add, partition: target.partition, bucket: target.bucket, totalBuckets: totalBuckets, file: $0) }
    }

    /// Writes the bucket's new deletion-vector index file when the compactions changed a vector; returns the
    /// index changes (new file ADD, old files DELETE), empty when nothing changed.
    func prepareIndex() async throws(TableError) -> (added: [IndexManifestEntry], deleted: [IndexManifestEntry]) {
        guard var maintainer = vectors else { return ([], []) }
        let changes = try await maintainer.prepareCommit(io: target.table.io, paths: target.table.paths)
        vectors = maintainer
        return (changes.newIndexFiles, changes.deletedIndexFiles)
    }

    /// The COMPACT part of the write's commit message: DELETE entries of `compactBefore`, ADD entries of
    /// `compactAfter`, with `totalBuckets`.
    func entries(totalBuckets: Int32) -> (deleted: [ManifestEntry], added: [ManifestEntry]) {
        (compactBefore.map { file in
            if let live = restored[LevelFileKey(name: file.fileName, level: file.level)] { return CommitMessage.deletion(of: live) }
            return ManifestEntry(kind: .delete, partition: target.partition, bucket: target.bucket, totalBuckets: totalBuckets, file: file)
         },
         compactAfter.map { ManifestEntry(kind: .add, partition: target.partition, bucket: target.bucket, totalBuckets: totalBuckets, file: $0) })
    }

    /// Deletes the files compaction wrote that are still pending (not upgrades of a live or flushed file).
    func abort() async {
        let shared = Set(compactBefore.map(\.fileName)).union(flushed)
        for file in compactAfter + changelog where !shared.contains(file.fileName) {
            await target.table.deleteQuietly(target.directory, file.fileName)
        }
        changelog = []
        compactAfter = []
        compactBefore = []
    }
}
