import WeirColumnar
import WeirPaimon

/// The checks Java's `FileStoreCommitImpl.noConflictsOrFail` makes before a commit that deletes files
/// (spec/paimon-format.md section 3.6), on the live entries of the touched partitions in the latest snapshot
/// (`base`) plus the commit's entries (`delta`). Any failure is a `conflict` error: retrying cannot help.
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
}
