import WeirColumnar
import WeirFileIO
import WeirPaimon

/// Which partitions a read wants: a test of one partition row, and optionally a test of a manifest's
/// `_PARTITION_STATS` (min, max and null counts of each partition column over the manifest) that says whether the
/// manifest may hold a wanted partition at all, so manifests can be skipped unread.
public struct PartitionFilter: Sendable {
    public var matches: @Sendable (BinaryRow) -> Bool
    /// False only when no partition within the stats can match; nil = cannot tell from stats.
    public var mayMatchStats: (@Sendable (SimpleStats) -> Bool)?

    public init(matches: @escaping @Sendable (BinaryRow) -> Bool, mayMatchStats: (@Sendable (SimpleStats) -> Bool)? = nil) {
        self.matches = matches
        self.mayMatchStats = mayMatchStats
    }

    /// Exactly the partitions in `partitions`; manifests whose partition range (per column, min to max, or nulls)
    /// contains none of them are skipped.
    public static func partitions(_ partitions: Set<BinaryRow>, partitionType: RowType) -> PartitionFilter {
        let types = partitionType.fields.map(\.type)
        let decoded: [[Value]] = partitions.compactMap { try? $0.values(types: types) }
        let undecodable = decoded.count != partitions.count
        return PartitionFilter(
            matches: { partitions.contains($0) },
            mayMatchStats: { stats in
                if undecodable || types.isEmpty { return true }
                guard stats.minValues.arity == types.count, stats.maxValues.arity == types.count,
                      let mins = try? stats.minValues.values(types: types.map { $0.nullable(true) }),
                      let maxs = try? stats.maxValues.values(types: types.map { $0.nullable(true) }) else { return true }
                return decoded.contains { values in
                    values.indices.allSatisfy { i in
                        let value = values[i]
                        if value == .null {
                            // A null partition value is only excluded when the null count is known to be 0.
                            return i >= stats.nullCounts.count || stats.nullCounts[i] != 0
                        }
                        if mins[i] != .null && ValueComparison.compare(value, mins[i], type: types[i]) < 0 { return false }
                        if maxs[i] != .null && ValueComparison.compare(value, maxs[i], type: types[i]) > 0 { return false }
                        return true
                    }
                }
            })
    }
}

/// A test of an integer attribute (bucket or level) that also works on a range: ``mayMatch`` says whether any
/// value in a range can pass, so a manifest whose `_MIN_BUCKET…_MAX_BUCKET` (or level range) cannot is skipped.
public struct RangeFilter: Sendable {
    public var mayMatch: @Sendable (ClosedRange<Int32>) -> Bool

    public init(mayMatch: @escaping @Sendable (ClosedRange<Int32>) -> Bool) { self.mayMatch = mayMatch }

    public func matches(_ value: Int32) -> Bool { mayMatch(value...value) }

    /// Values in `set`.
    public static func only(_ set: Set<Int32>) -> RangeFilter {
        RangeFilter { range in set.contains { range.contains($0) } }
    }

    /// Values ≥ `minimum` (e.g. levels ≥ 1, or real buckets ≥ 0).
    public static func atLeast(_ minimum: Int32) -> RangeFilter {
        RangeFilter { range in range.upperBound >= minimum }
    }
}

/// Reads what a snapshot holds: its base and delta manifest lists folded into the live files (spec section 4.6),
/// its delta, its changelog, and its index files. Mirrors the manifest part of Java's `FileStoreScan`.
///
/// Manifests are read concurrently (at most ``readWidth`` at once); the fold keeps the base-then-delta, file-order
/// semantics. Filters prune manifests first (partition stats, bucket and level ranges, where the list records
/// them) and then entries; ADD and DELETE entries of one file share partition, bucket and level, so pruning never
/// separates them.
public struct SnapshotReader: Sendable {
    public let io: any FileIO
    public let paths: TablePaths
    /// The most manifests read at once.
    public var readWidth: Int

    public init(io: any FileIO, paths: TablePaths, readWidth: Int = 8) {
        self.io = io
        self.paths = paths
        self.readWidth = max(1, readWidth)
    }

    /// The records of manifest list `fileName`.
    public func manifestList(_ fileName: String) async throws(TableError) -> [ManifestFileMeta] {
        try await ManifestList.read(io: io, paths: paths, fileName: fileName)
    }

    /// The manifests of the snapshot's data (base list, then delta list).
    public func dataManifests(_ snapshot: Snapshot) async throws(TableError) -> [ManifestFileMeta] {
        try await manifestList(snapshot.baseManifestList) + manifestList(snapshot.deltaManifestList)
    }

    /// True when `manifest` may hold entries passing the filters (from its list record alone).
    public static func mayMatch(_ manifest: ManifestFileMeta, partitionFilter: PartitionFilter?, bucketFilter: RangeFilter?,
                                levelFilter: RangeFilter?) -> Bool {
        if let mayMatchStats = partitionFilter?.mayMatchStats, !mayMatchStats(manifest.partitionStats) { return false }
        if let bucketFilter, let low = manifest.minBucket, let high = manifest.maxBucket, low <= high,
           !bucketFilter.mayMatch(low...high) { return false }
        if let levelFilter, let low = manifest.minLevel, let high = manifest.maxLevel, low <= high,
           !levelFilter.mayMatch(low...high) { return false }
        return true
    }

    /// Every entry of `manifests` passing the filters, in list order then file order.
    public func entries(of manifests: [ManifestFileMeta], partitionFilter: PartitionFilter? = nil, bucketFilter: RangeFilter? = nil,
                        levelFilter: RangeFilter? = nil) async throws(TableError) -> [ManifestEntry] {
        let wanted = manifests.filter {
            Self.mayMatch($0, partitionFilter: partitionFilter, bucketFilter: bucketFilter, levelFilter: levelFilter)
        }
        let io = self.io, paths = self.paths
        let perManifest = try await concurrentMap(wanted, width: readWidth) { (manifest: ManifestFileMeta) throws(TableError) -> [ManifestEntry] in
            let entries = try await ManifestFile.read(io: io, paths: paths, fileName: manifest.fileName)
            return entries.filter { entry in
                (partitionFilter?.matches(entry.partition) ?? true)
                    && (bucketFilter?.matches(entry.bucket) ?? true)
                    && (levelFilter?.matches(entry.file.level) ?? true)
            }
        }
        return perManifest.flatMap { $0 }
    }

    /// The snapshot's live files (kind ADD) passing the filters: base and delta entries folded by identifier.
    /// A DELETE left over (its file was never added) is a `corrupt` error naming the snapshot.
    public func liveEntries(_ snapshot: Snapshot, partitionFilter: PartitionFilter? = nil, bucketFilter: RangeFilter? = nil,
                            levelFilter: RangeFilter? = nil) async throws(TableError) -> [ManifestEntry] {
        let entries = try await entries(of: try await dataManifests(snapshot), partitionFilter: partitionFilter,
                                        bucketFilter: bucketFilter, levelFilter: levelFilter)
        do {
            return try FileEntries.liveFiles(entries, subject: "snapshot-\(snapshot.id)")
        } catch {
            throw TableError(.corrupt, paths.relative(paths.snapshot(snapshot.id)), error.message)
        }
    }

    /// The entries this snapshot's commit made (its delta list), ADD and DELETE, in order.
    public func deltaEntries(_ snapshot: Snapshot, partitionFilter: PartitionFilter? = nil, bucketFilter: RangeFilter? = nil,
                             levelFilter: RangeFilter? = nil) async throws(TableError) -> [ManifestEntry] {
        try await entries(of: try await manifestList(snapshot.deltaManifestList), partitionFilter: partitionFilter,
                          bucketFilter: bucketFilter, levelFilter: levelFilter)
    }

    /// The changelog files this snapshot's commit produced; empty when it has no changelog list.
    public func changelogEntries(_ snapshot: Snapshot, partitionFilter: PartitionFilter? = nil,
                                 bucketFilter: RangeFilter? = nil) async throws(TableError) -> [ManifestEntry] {
        guard let list = snapshot.changelogManifestList else { return [] }
        return try await entries(of: try await manifestList(list), partitionFilter: partitionFilter, bucketFilter: bucketFilter)
    }

    /// The snapshot's live index files (its index manifest is a full listing); empty when it has none.
    public func indexEntries(_ snapshot: Snapshot) async throws(TableError) -> [IndexManifestEntry] {
        guard let name = snapshot.indexManifest else { return [] }
        return try await IndexManifestFile.read(io: io, paths: paths, fileName: name).filter { $0.kind == .add }
    }

    /// Σ row counts of the snapshot's live files (what `totalRecordCount` records).
    public func totalRecordCount(_ snapshot: Snapshot) async throws(TableError) -> Int64 {
        if let count = snapshot.totalRecordCount { return count }
        return try await liveEntries(snapshot).reduce(0) { $0 + $1.file.rowCount }
    }
}
