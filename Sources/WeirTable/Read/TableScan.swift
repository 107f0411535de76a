import WeirColumnar
import WeirPaimon

/// Which snapshot a read sees (Java's `scan.snapshot-id`, `scan.timestamp-millis`, `scan.tag-name`).
public enum SnapshotSelector: Sendable, Equatable {
    case latest
    case id(Int64)
    /// The latest snapshot committed at or before the time, else the earliest (Paimon's rule).
    case timestamp(millis: Int64)
    case tag(String)
}

/// A resolved read target: the snapshot (nil for a table without commits) and the schema rows are read in:
/// the latest schema for `.latest`, the snapshot's own schema for time travel (as Paimon does).
public struct ResolvedSnapshot: Sendable {
    public let snapshot: Snapshot?
    public let schema: TableSchema
}

/// The files of one (partition, bucket) a reader reads together (Java's `DataSplit`).
public struct DataSplit: Sendable {
    public var partition: BinaryRow
    public var bucket: Int32
    public var totalBuckets: Int32
    public var files: [DataFileMeta]
    /// Deletion vectors of the files (by file name) of a `deletion-vectors.enabled` table: rows they mark are not read.
    public var deletionFiles: [String: DeletionFile] = [:]
}

/// What a scan reads: splits in (partition bytes, bucket) order, and how much pruning skipped.
public struct ReadPlan: Sendable {
    public let resolved: ResolvedSnapshot
    public let splits: [DataSplit]
    /// Live files left out by partition, bucket, level or statistics pruning.
    public let skippedFiles: Int
}

extension FileStoreTable {
    public func resolve(_ selector: SnapshotSelector) async throws(TableError) -> ResolvedSnapshot {
        let snapshot: Snapshot?
        switch selector {
        case .latest:
            return ResolvedSnapshot(snapshot: try await snapshots.latest(), schema: schema)
        case .id(let id):
            snapshot = try await snapshots.snapshot(id)
        case .timestamp(let millis):
            guard let found = try await snapshots.snapshot(atOrBefore: millis) else {
                throw TableError(.notFound, name, "no snapshot at or before \(millis)")
            }
            snapshot = found
        case .tag(let tag):
            guard let found = try await tags.tag(tag) else { throw TableError(.notFound, name, "no tag named \(tag.debugDescription)") }
            snapshot = found.snapshot
        }
        return ResolvedSnapshot(snapshot: snapshot, schema: try await self.schema(id: snapshot!.schemaId))
    }

    /// Lists the live files of the resolved snapshot that may hold rows passing `filter` (whose field indexes
    /// refer to `resolved.schema`): partitions pruned by the filter on partition columns, buckets by equality
    /// on every bucket key of a fixed-bucket table, files by key statistics (primary-key tables: only the
    /// key columns, which no merge changes) or value statistics (append tables). Level-0 files of first-row and
    /// deletion-vector tables are left out unless `allLevels` (Paimon's `batchScanSkipLevel0`); bucket -2
    /// (postpone) files are never read, as in Paimon's batch scan. Splits of a deletion-vector table carry the
    /// deletion vectors of their files from the snapshot's index manifest.
    public func plan(_ resolved: ResolvedSnapshot, filter: Predicate? = nil, allLevels: Bool = false) async throws(TableError) -> ReadPlan {
        guard let snapshot = resolved.snapshot else { return ReadPlan(resolved: resolved, splits: [], skippedFiles: 0) }
        let readSchema = resolved.schema
        let partitionFields = readSchema.partitionKeys.compactMap { key in readSchema.fields.firstIndex { $0.name == key } }
        let partitionTypes = partitionFields.map { readSchema.fields[$0].type }
        let partitionFilter = filter?.restricted(to: Dictionary(uniqueKeysWithValues: partitionFields.enumerated().map { ($1, $0) }))
        let bucketFilter = try wantedBucket(filter, schema: readSchema)

        let entries = try await SnapshotReader(io: io, paths: paths).liveEntries(
            snapshot,
            partitionFilter: partitionFilter.map { predicate in
                PartitionFilter(
                    matches: { partition in
                        guard let values = try? partition.values(types: partitionTypes) else { return true }
                        return predicate.test(types: partitionTypes) { values[$0] }
                    },
                    mayMatchStats: { stats in
                        let nullable = partitionTypes.map { $0.nullable(true) }
                        guard stats.minValues.arity == partitionTypes.count, stats.maxValues.arity == partitionTypes.count,
                              let mins = try? stats.minValues.values(types: nullable),
                              let maxs = try? stats.maxValues.values(types: nullable) else { return true }
                        return predicate.mayMatch(types: partitionTypes, rowCount: Int64.max,
                                                  min: { mins[$0] == .null ? nil : mins[$0] }, max: { maxs[$0] == .null ? nil : maxs[$0] },
                                                  nullCount: { $0 < stats.nullCounts.count ? stats.nullCounts[$0] : nil })
                    })
            },
            bucketFilter: bucketFilter.map { RangeFilter.only([$0]) })

        let options = readSchema.coreOptions
        let skipLevel0: Bool
        let dv: Bool
        do {
            let engine = try options.mergeEngine()
            dv = try options.deletionVectorsEnabled()
            let dvMergeOnRead = options.options["deletion-vectors.merge-on-read"] == "true"
            skipLevel0 = !allLevels && !readSchema.primaryKeys.isEmpty && (engine == .firstRow || (dv && !dvMergeOnRead))
        } catch {
            throw TableError.format(error, kind: .invalidTable)
        }

        var schemasById: [Int64: TableSchema] = [readSchema.id: readSchema]
        var groups: [BucketKey: DataSplit] = [:]
        var skipped = 0
        for entry in entries {
            if entry.bucket == -2 || (skipLevel0 && entry.file.level == 0) {
                skipped += 1
                continue
            }
            if let filter {
                let fileSchema: TableSchema
                if let known = schemasById[entry.file.schemaId] {
                    fileSchema = known
                } else {
                    fileSchema = try await schema(id: entry.file.schemaId)
                    schemasById[fileSchema.id] = fileSchema
                }
                if try !StatsFilter.mayMatch(filter, file: entry.file, fileSchema: fileSchema, readSchema: readSchema) {
                    skipped += 1
                    continue
                }
            }
            let key = BucketKey(partition: entry.partition, bucket: entry.bucket)
            groups[key, default: DataSplit(partition: entry.partition, bucket: entry.bucket, totalBuckets: entry.totalBuckets, files: [])]
                .files.append(entry.file)
        }
        if dv, !groups.isEmpty {
            let deletionFiles = DeletionVectorIndexFile.deletionFiles(try await SnapshotReader(io: io, paths: paths).indexEntries(snapshot))
            for (key, split) in groups {
                guard let vectors = deletionFiles[key] else { continue }
                let names = Set(split.files.map(\.fileName))
                groups[key]!.deletionFiles = vectors.filter { names.contains($0.key) }
            }
        }
        let splits = groups.sorted { a, b in
            a.key.partition.bytes.lexicographicallyPrecedes(b.key.partition.bytes)
                || (a.key.partition.bytes == b.key.partition.bytes && a.key.bucket < b.key.bucket)
        }.map(\.value)
        return ReadPlan(resolved: resolved, splits: splits, skippedFiles: skipped)
    }

    /// The one bucket rows passing `filter` can live in, when the filter fixes every bucket key by equality
    /// (at the top level of an AND) in a fixed-bucket table.
    func wantedBucket(_ filter: Predicate?, schema: TableSchema) throws(TableError) -> Int32? {
        guard let filter, schema.numBuckets > 0, BucketMode.of(schema) == .hashFixed else { return nil }
        var equalities: [Int: Value] = [:]
        let conjuncts: [Predicate]
        if case .and(let children) = filter { conjuncts = children } else { conjuncts = [filter] }
        for conjunct in conjuncts {
            if case .compare(let field, .equal, let literal) = conjunct { equalities[field] = literal }
        }
        var row = [Value](repeating: .null, count: schema.fields.count)
        for key in schema.bucketKeys {
            guard let index = schema.fields.firstIndex(where: { $0.name == key }), let value = equalities[index] else { return nil }
            row[index] = value
        }
        do {
            return try FixedBucketRowKeyExtractor(schema: schema).bucket(row)
        } catch {
            return nil  // a literal the key type cannot hold: no pruning rather than a wrong one
        }
    }
}

struct BucketKey: Hashable {
    var partition: BinaryRow
    var bucket: Int32
}
