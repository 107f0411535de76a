import WeirPaimon

/// Compaction split for a cluster: the coordinator lists the buckets that need work (``compactionTargets``), one
/// task per bucket compacts it without committing (``compactBucket``), and the coordinator commits every task's
/// changes as one COMPACT snapshot. Concurrent appends never conflict with it (they only add level-0 files); a
/// concurrent compaction or overwrite of the same files makes that commit fail with `.conflict`.
extension FileStoreTable {
    /// A (partition, bucket) of the latest snapshot whose sorted runs the universal pick (or, with `full`, full
    /// compaction) would compact.
    public struct BucketToCompact: Sendable, Hashable {
        public var partition: BinaryRow
        public var bucket: Int32

        public init(partition: BinaryRow, bucket: Int32) {
            self.partition = partition
            self.bucket = bucket
        }
    }

    /// The buckets to compact now, in (partition bytes, bucket) order; empty when nothing needs it.
    public func compactionTargets(partition: PartitionFilter? = nil, bucket: Int32? = nil, full: Bool) async throws(TableError) -> [BucketToCompact] {
        guard isPrimaryKeyTable else {
            throw TableError(.unsupported, name, "\(name) is an append table; Weir compacts only primary-key tables (their LSM trees)")
        }
        guard let latest = try await snapshots.latest() else { return [] }
        let current = try await withLatestSchema()
        let settings = try CompactionSettings(schema: current.schema)
        if let reason = settings.unsupportedReason { throw TableError(.unsupported, name, "Weir cannot compact \(name): \(reason)") }
        return try await current.planCompaction(latest, partition: partition, bucket: bucket, full: full, settings: settings)
            .map { BucketToCompact(partition: $0.partition, bucket: $0.bucket) }
    }

    /// Compacts one bucket on the latest snapshot and returns the changes (DELETE entries of its inputs, ADD
    /// entries of its outputs, upgrades as both, changelog files, deletion-vector index changes) without
    /// committing them; an empty message when the bucket no
    /// longer needs compaction. The files it writes are new files; a caller that does not commit them leaves them
    /// to orphan clean-up (or deletes them), index files included.
    public func compactBucket(_ target: BucketToCompact, full: Bool) async throws(TableError) -> CommitMessage {
        guard let latest = try await snapshots.latest() else { return CommitMessage() }
        let current = try await withLatestSchema()
        let settings = try CompactionSettings(schema: current.schema)
        if let reason = settings.unsupportedReason { throw TableError(.unsupported, name, "Weir cannot compact \(name): \(reason)") }
        let jobs = try await current.planCompaction(latest, partition: PartitionFilter(matches: { $0 == target.partition }),
                                                    bucket: target.bucket, full: full, settings: settings)
            .filter { $0.partition == target.partition && $0.bucket == target.bucket }
        guard !jobs.isEmpty else { return CommitMessage() }
        let results = try await Self.runJobs(jobs, table: current, width: 1)
        let (message, _) = try await current.commitMessage(jobs, results)
        return message
    }
}
