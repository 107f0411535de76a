import WeirFileIO
import WeirPaimon

/// Where the deletion vector of one data file lies (Java's `DeletionFile`): an index file, the offset of the
/// vector's size int in it (`f1`), its length (`f2`, by the variant's rule) and the number of deleted rows.
public struct DeletionFile: Sendable, Hashable {
    /// The index file's name in `index/`.
    public var indexFileName: String
    /// The index file's absolute location when it is stored outside the table.
    public var externalPath: String?
    public var offset: Int64
    public var length: Int64
    public var cardinality: Int64?

    public init(indexFileName: String, externalPath: String? = nil, offset: Int64, length: Int64, cardinality: Int64?) {
        self.indexFileName = indexFileName
        self.externalPath = externalPath
        self.offset = offset
        self.length = length
        self.cardinality = cardinality
    }
}

/// Deletion-vector index files (`index/index-<uuid>-<n>`, `_INDEX_TYPE = DELETION_VECTORS`, spec/paimon-format.md
/// sections 4.5 and 7.6), Java's `DeletionVectorsIndexFile` / `DeletionFileWriter`: a version byte (1), then one
/// framed vector (``DeletionVector/serialized()``) per data file. The index manifest entry records, per data file,
/// the offset of its frame, the `f2` length and the cardinality (`_DELETIONS_VECTORS_RANGES`) and, as `_ROW_COUNT`,
/// the number of vectors. Weir writes one file per (partition, bucket) with the vectors in data-file-name order
/// (Java rolls at `deletion-vector.index-file.target-size`, 2 MB; one file is as valid).
public enum DeletionVectorIndexFile {
    /// `DeletionVectorsIndexFile.VERSION_ID_V1`.
    public static let versionV1: UInt8 = 1
    /// The largest index file read.
    public static let bytesMax = 1 << 30

    /// The bytes of an index file holding `vectors` and their ranges; empty vectors are left out.
    public static func encode(_ vectors: [String: DeletionVector]) throws(TableError) -> (bytes: [UInt8], ranges: [DeletionVectorMeta]) {
        var bytes: [UInt8] = [versionV1]
        var ranges: [DeletionVectorMeta] = []
        for name in vectors.keys.sorted() {
            let vector = vectors[name]!
            if vector.isEmpty { continue }
            guard let offset = Int32(exactly: bytes.count) else {
                throw TableError(.unsupported, "deletion vectors", "an index file above 2 GiB cannot be addressed (f1 is a 32-bit offset)")
            }
            let (frame, length) = vector.serialized()
            bytes += frame
            ranges.append(DeletionVectorMeta(dataFileName: name, offset: offset, length: length, cardinality: vector.cardinality))
        }
        return (bytes, ranges)
    }

    /// Writes `vectors` (data file name → vector) as a new index file; returns its metadata, or nil (and writes
    /// nothing) when every vector is empty.
    public static func write(io: any FileIO, paths: TablePaths, vectors: [String: DeletionVector]) async throws(TableError) -> IndexFileMeta? {
        let (bytes, ranges) = try encode(vectors)
        if ranges.isEmpty { return nil }
        let fileName = paths.newIndexFileName()
        let path = try paths.index(fileName)
        guard try await MetaIO.write(io, path, bytes, overwrite: false) else {
            throw TableError(.conflict, paths.relative(path), "an index file of that name exists already")
        }
        return IndexFileMeta(indexType: IndexFileMeta.deletionVectorsIndex, fileName: fileName, fileSize: Int64(bytes.count),
                             rowCount: Int64(ranges.count), deletionVectorRanges: ranges)
    }

    /// Writes the vectors of one (partition, bucket) as a new index file and returns its index manifest entry
    /// (ADD, with `_DELETIONS_VECTORS_RANGES`); nil when every vector is empty.
    public static func write(io: any FileIO, paths: TablePaths, partition: BinaryRow, bucket: Int32,
                             vectors: [String: DeletionVector]) async throws(TableError) -> IndexManifestEntry? {
        try await write(io: io, paths: paths, vectors: vectors).map { entry(partition: partition, bucket: bucket, file: $0) }
    }

    /// The index manifest entry (ADD) of `file` for a bucket.
    public static func entry(partition: BinaryRow, bucket: Int32, file: IndexFileMeta) -> IndexManifestEntry {
        IndexManifestEntry(kind: .add, partition: partition, bucket: bucket, indexFile: file)
    }

    static func path(paths: TablePaths, fileName: String, externalPath: String?) throws(TableError) -> StoragePath {
        if let externalPath {
            do { return try StoragePath(parsing: externalPath) } catch {
                throw TableError(.corrupt, fileName, "_EXTERNAL_PATH '\(externalPath)': \(error.description)")
            }
        }
        return try paths.index(fileName)
    }

    /// An index file's bytes, its version byte checked.
    static func readBytes(io: any FileIO, paths: TablePaths, fileName: String, externalPath: String?) async throws(TableError) -> [UInt8] {
        let path = try path(paths: paths, fileName: fileName, externalPath: externalPath)
        let bytes = try await MetaIO.read(io, path, bytesMax: bytesMax)
        guard let version = bytes.first else { throw TableError(.corrupt, paths.relative(path), "empty deletion-vector index file") }
        guard version == versionV1 else {
            throw TableError(.unsupported, paths.relative(path), "deletion-vector index file version \(version) (only \(versionV1) is known)")
        }
        return bytes
    }

    /// Every vector of an index file, by data file name (CRCs and lengths checked).
    public static func read(io: any FileIO, paths: TablePaths, file: IndexFileMeta) async throws(TableError) -> [String: DeletionVector] {
        let bytes = try await readBytes(io: io, paths: paths, fileName: file.fileName, externalPath: file.externalPath)
        let subject = "index/\(file.fileName)"
        var out: [String: DeletionVector] = [:]
        for range in file.deletionVectorRanges ?? [] {
            out[range.dataFileName] = try DeletionVector.deserialize(bytes, offset: Int(range.offset), length: Int(range.length), subject: subject)
        }
        return out
    }

    /// The vectors of `deletionFiles` (data file name → where its vector is), each index file read once.
    public static func read(io: any FileIO, paths: TablePaths, deletionFiles: [String: DeletionFile]) async throws(TableError) -> [String: DeletionVector] {
        var byIndexFile: [String: [(String, DeletionFile)]] = [:]
        for (dataFile, deletion) in deletionFiles { byIndexFile[deletion.indexFileName, default: []].append((dataFile, deletion)) }
        var out: [String: DeletionVector] = [:]
        for indexFile in byIndexFile.keys.sorted() {
            let group = byIndexFile[indexFile]!
            let bytes = try await readBytes(io: io, paths: paths, fileName: indexFile, externalPath: group[0].1.externalPath)
            for (dataFile, deletion) in group {
                guard let offset = Int(exactly: deletion.offset), let length = Int(exactly: deletion.length) else {
                    throw TableError(.corrupt, "index/\(indexFile)", "deletion vector range of \(dataFile) out of range")
                }
                out[dataFile] = try DeletionVector.deserialize(bytes, offset: offset, length: length, subject: "index/\(indexFile)")
            }
        }
        return out
    }

    /// Where each data file's vector is, by (partition, bucket) and data file name, from index manifest entries
    /// (entries of other index types are ignored).
    static func deletionFiles(_ entries: [IndexManifestEntry]) -> [BucketKey: [String: DeletionFile]] {
        var out: [BucketKey: [String: DeletionFile]] = [:]
        for entry in entries where entry.kind == .add && entry.indexFile.indexType == IndexFileMeta.deletionVectorsIndex {
            let key = BucketKey(partition: entry.partition, bucket: entry.bucket)
            for range in entry.indexFile.deletionVectorRanges ?? [] {
                out[key, default: [:]][range.dataFileName] = DeletionFile(
                    indexFileName: entry.indexFile.fileName, externalPath: entry.indexFile.externalPath,
                    offset: Int64(range.offset), length: Int64(range.length), cardinality: range.cardinality)
            }
        }
        return out
    }

    /// Deletes an index file written for a commit that did not happen.
    public static func delete(io: any FileIO, paths: TablePaths, file: IndexFileMeta) async {
        if let path = try? path(paths: paths, fileName: file.fileName, externalPath: file.externalPath) {
            _ = try? await MetaIO.delete(io, path)
        }
    }
}

/// Drops the rows of one data file whose positions a deletion vector marks, batch by batch as the file is read.
struct DeletionFilter {
    /// Deleted positions, ascending.
    let deleted: [Int64]
    private var cursor = 0
    /// The position of the next row read.
    private(set) var position: Int64 = 0

    init(_ vector: DeletionVector) { deleted = vector.positions }

    /// The rows of `batch` (the next rows of the file) that are not deleted.
    mutating func apply(_ batch: KeyValueBatch) -> KeyValueBatch {
        let start = position
        let end = start + Int64(batch.rowCount)
        position = end
        while cursor < deleted.count && deleted[cursor] < start { cursor += 1 }
        guard cursor < deleted.count, deleted[cursor] < end else { return batch }
        var kept: [Int32] = []
        kept.reserveCapacity(batch.rowCount)
        var row = start
        while row < end {
            if cursor < deleted.count && deleted[cursor] == row {
                cursor += 1
            } else {
                kept.append(Int32(row - start))
            }
            row += 1
        }
        return BatchGather.take(batch, rows: kept)
    }
}
