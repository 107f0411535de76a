import WeirColumnar
import WeirPaimon

/// Point lookups of primary keys in the levels above a compaction's output level (Java's `LookupLevels`,
/// spec/paimon-semantics.md sections 3 and 4.4): levels are searched upward and the first hit wins (after lookup
/// compaction the lowest level holding a key holds its merged value). In each level the one file whose
/// `_MIN_KEY`..`_MAX_KEY` range holds the key is decoded whole (rows its deletion vector marks left out) and kept
/// for the rest of the compaction task, so memory grows with the files a task looks into (Java builds local
/// lookup files instead).
///
/// Keys are the trimmed primary key values, in the table's latest schema.
final class LookupLevels {
    /// The record a lookup found, with its data file and 0-based row position in it.
    struct Hit: Sendable, Equatable {
        var record: KeyValue
        var fileName: String
        var position: Int64
    }

    private let target: CompactionTarget
    /// Runs ascending by level, each ascending by min key.
    private let runs: [[DataFileMeta]]
    private let vectors: [String: DeletionVector]
    private let comparator: KeyComparator
    private let keyColumns: [Int]
    private var bounds: [String: (min: [Value], max: [Value])] = [:]
    private var decoded: [String: [[Value]: Hit]] = [:]
    private var reads = ReadContext()

    /// - Parameters:
    ///   - runs: the files of each level to search, lowest level first, each level ascending by `_MIN_KEY`.
    ///   - vectors: deletion vectors by data file name; marked rows are not found.
    init(target: CompactionTarget, runs: [[DataFileMeta]], vectors: [String: DeletionVector]) {
        self.target = target
        self.runs = runs
        self.vectors = vectors
        comparator = KeyComparator(keyType: target.table.schema.logicalTrimmedPrimaryKeysType)
        keyColumns = target.table.schema.projection(target.table.schema.trimmedPrimaryKeys)
    }

    /// Files decoded so far.
    var decodedFileCount: Int { decoded.count }

    /// The newest record of `key` in the levels, nil when none holds it.
    func lookup(_ key: [Value]) async throws(TableError) -> Hit? {
        for run in runs {
            guard let file = try file(in: run, containing: key) else { continue }
            if let hit = try await rows(of: file)[key] { return hit }
        }
        return nil
    }

    /// The file of `run` whose key range holds `key`: the last file whose min key is ≤ `key`, if its max key is ≥ it.
    func file(in run: [DataFileMeta], containing key: [Value]) throws(TableError) -> DataFileMeta? {
        var low = 0, high = run.count
        while low < high {
            let middle = (low + high) / 2
            if comparator.compare(values: try range(of: run[middle]).min, key) <= 0 { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        let candidate = run[low - 1]
        return comparator.compare(values: key, try range(of: candidate).max) <= 0 ? candidate : nil
    }

    private func range(of file: DataFileMeta) throws(TableError) -> (min: [Value], max: [Value]) {
        if let known = bounds[file.fileName] { return known }
        let made = (try comparator.values(file.minKey, subject: "\(file.fileName) _MIN_KEY"),
                    try comparator.values(file.maxKey, subject: "\(file.fileName) _MAX_KEY"))
        bounds[file.fileName] = made
        return made
    }

    private func rows(of file: DataFileMeta) async throws(TableError) -> [[Value]: Hit] {
        if let known = decoded[file.fileName] { return known }
        let schema = target.table.schema
        let path = try target.table.paths.dataFile(fileName: file.fileName, partition: target.partition, bucket: target.bucket,
                                                   externalPath: file.externalPath, partitionComputer: try reads.partitionComputer(schema))
        let reader = try await DataFileReader.open(io: target.table.io, path: path, file: file,
                                                   fileSchema: try await reads.schema(file.schemaId, table: target.table),
                                                   tableSchema: schema, projection: nil, primaryKey: true)
        let vector = vectors[file.fileName]
        var out: [[Value]: Hit] = [:]
        var position: Int64 = 0
        do {
            while let batch = try await reader.next() {
                for row in 0..<batch.rowCount {
                    defer { position += 1 }
                    if let vector, vector.isDeleted(position) { continue }
                    let value = batch.values.columns.map { $0.value(at: row) }
                    let record = KeyValue(sequenceNumber: batch.sequenceNumbers[row], kind: batch.rowKinds[row], value: value, level: file.level)
                    out[keyColumns.map { value[$0] }] = Hit(record: record, fileName: file.fileName, position: position)
                }
            }
        } catch {
            await reader.close()
            throw error
        }
        await reader.close()
        decoded[file.fileName] = out
        return out
    }
}
