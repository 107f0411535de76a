import WeirColumnar
import WeirPaimon

/// The checks Java's `FileStoreCommitImpl.noConflictsOrFail` makes before a commit that deletes files
/// (spec/paimon-format.md section 3.6), on the live entries of the touched partitions in the latest snapshot
/// (`base`) plus the commit's entries (`delta`), and the deletion-vector index check of ``checkDeletionVectors(live:changes:bucketMode:latestSnapshotId:)``.
/// Any failure is a `conflict` error: retrying cannot help.
struct ConflictDetection {
    let keyComparator: KeyComparator?
    let partitionComputer: InternalRowPartitionComputer?
    let subject: String

    func partitionText(_ row: BinaryRow) -> String {
        if let partitionComputer, let spec = try? partitionComputer.generatePartValues(row) {
            return spec.isEmpty ? "{}" : "{" + spec.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + "}"
        }
        return row.description
    }

    func describe(_ entry: ManifestEntry) -> String {
        "\(entry.file.fileName) (partition \(partitionText(entry.partition)), bucket \(entry.bucket), level \(entry.file.level))"
    }

    func check(base: [ManifestEntry], delta: [ManifestEntry], kind: Snapshot.CommitKind,
               latestSnapshotId: Int64?) throws(TableError) {
        let against = latestSnapshotId.map { "snapshot \($0)" } ?? "an empty table"
        let all = base + delta

        // Total buckets within a partition must not change without an overwrite.
        if kind != .overwrite {
            var buckets: [BinaryRow: Int32] = [:]
            for entry in all where entry.totalBuckets > 0 {
                if let old = buckets[entry.partition] {
                    if old != entry.totalBuckets {
                        throw TableError(.conflict, subject,
                                         "Total buckets of partition \(partitionText(entry.partition)) changed from \(old) to "
                                             + "\(entry.totalBuckets) without overwrite. Give up committing.")
                    }
                } else {
                    buckets[entry.partition] = entry.totalBuckets
                }
            }
        }

        // The files this commit deletes must still be live.
        let merged: [ManifestEntry]
        do {
            merged = try FileEntries.mergeEntries(all, subject: subject)
        } catch {
            throw TableError(.conflict, subject, "File deletion conflicts detected! Give up committing. \(error.message) (against \(against))")
        }
        if let orphan = merged.first(where: { $0.kind == .delete }) {
            throw TableError(.conflict, subject,
                             "File deletion conflicts detected! Give up committing. \(describe(orphan)) is no longer live in \(against): "
                                 + "another commit removed it.")
        }

        // Primary-key tables: on every level ≥ 1 of a bucket, key ranges must not overlap.
        guard let keyComparator else { return }
        struct Level: Hashable {
            var partition: BinaryRow
            var bucket: Int32
            var level: Int32
        }
        var levels: [Level: [ManifestEntry]] = [:]
        for entry in merged where entry.file.level >= 1 {
            levels[Level(partition: entry.partition, bucket: entry.bucket, level: entry.file.level), default: []].append(entry)
        }
        for (_, files) in levels where files.count > 1 {
            var keyed: [(min: [WeirColumnar.Value], max: [WeirColumnar.Value], entry: ManifestEntry)] = []
            for entry in files {
                keyed.append((try keyComparator.values(entry.file.minKey, subject: "\(entry.file.fileName) _MIN_KEY"),
                              try keyComparator.values(entry.file.maxKey, subject: "\(entry.file.fileName) _MAX_KEY"), entry))
            }
            keyed.sort { keyComparator.compare(values: $0.min, $1.min) < 0 }
            for i in 0..<(keyed.count - 1) where keyComparator.compare(values: keyed[i].max, keyed[i + 1].min) >= 0 {
                throw TableError(.conflict, subject,
                                 "LSM conflicts detected! Give up committing. Key ranges overlap on level \(keyed[i].entry.file.level): "
                                     + "\(describe(keyed[i].entry)) and \(describe(keyed[i + 1].entry)) (against \(against))")
            }
        }
    }

    /// A commit that changes deletion vectors replaces whole index files, built from the index it read when it
    /// started; readers trust those vectors instead of merging. So every deletion-vector index file it deletes must
    /// still be live in the latest snapshot, and a bucket it gives a first index must still have none. Otherwise
    /// another commit (a dedicated compaction, another writer) changed the bucket's vectors meanwhile, and this
    /// commit would drop that commit's vectors and keep ones for files it rewrote: an old row would show beside its
    /// replacement. (Java checks deletion-vector conflicts only for unaware-bucket tables; Weir checks every table.)
    /// `live`: the latest snapshot's index entries; `changes`: the commit's index changes.
    func checkDeletionVectors(live: [IndexManifestEntry], changes: [IndexManifestEntry], bucketMode: BucketMode,
                              latestSnapshotId: Int64?) throws(TableError) {
        let against = latestSnapshotId.map { "snapshot \($0)" } ?? "an empty table"
        let vectors = changes.filter { $0.indexFile.indexType == IndexFileMeta.deletionVectorsIndex }
        guard !vectors.isEmpty else { return }
        let liveVectors = live.filter { $0.kind == .add && $0.indexFile.indexType == IndexFileMeta.deletionVectorsIndex }
        let liveNames = Set(liveVectors.map(\.indexFile.fileName))
        for entry in vectors where entry.kind == .delete && !liveNames.contains(entry.indexFile.fileName) {
            throw TableError(.conflict, subject,
                             "Deletion vector conflicts detected! Give up committing. Index file \(entry.indexFile.fileName) (partition "
                                 + "\(partitionText(entry.partition)), bucket \(entry.bucket)) is no longer live in \(against): another commit "
                                 + "changed the bucket's deletion vectors.")
        }
        // Unaware-bucket tables keep an index file per data file, keyed by name: only deletions can go stale.
        guard bucketMode != .bucketUnaware else { return }
        struct Bucket: Hashable {
            var partition: BinaryRow
            var bucket: Int32
        }
        let replaced = Set(vectors.filter { $0.kind == .delete }.map { Bucket(partition: $0.partition, bucket: $0.bucket) })
        let indexed = Set(liveVectors.map { Bucket(partition: $0.partition, bucket: $0.bucket) })
        for entry in vectors where entry.kind == .add {
            let bucket = Bucket(partition: entry.partition, bucket: entry.bucket)
            if indexed.contains(bucket) && !replaced.contains(bucket) {
                throw TableError(.conflict, subject,
                                 "Deletion vector conflicts detected! Give up committing. Partition \(partitionText(entry.partition)), bucket "
                                     + "\(entry.bucket) has a deletion-vector index in \(against) that this commit did not start from: another "
                                     + "commit changed the bucket's deletion vectors.")
            }
        }
    }
}
