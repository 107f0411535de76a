import Foundation
import WeirPaimon
import WeirCluster
import WeirTable

/// Manifest entries as a JSON document, the form in which a task's files travel from a worker to the coordinator
/// (task results in the cluster store). Every field of `DataFileMeta` is kept, BinaryRows and byte fields as
/// base64 with their arity, so the coordinator commits exactly the metadata the writer produced.
struct FileEntriesDocument: Codable, Sendable, Equatable {
    struct Row: Codable, Sendable, Equatable {
        var arity: Int
        var bytes: String

        init(_ row: BinaryRow) {
            arity = row.arity
            bytes = Data(row.bytes).base64EncodedString()
        }

        func binaryRow(_ what: String) throws -> BinaryRow {
            guard let data = Data(base64Encoded: bytes) else { throw TaskFailure("\(what): bad base64", retryable: false) }
            do { return try BinaryRow(arity: arity, bytes: Array(data), subject: what) } catch {
                throw TaskFailure(error.description, retryable: false)
            }
        }
    }

    struct Stats: Codable, Sendable, Equatable {
        var min: Row
        var max: Row
        var nullCounts: [Int64?]

        init(_ s: SimpleStats) {
            min = Row(s.minValues)
            max = Row(s.maxValues)
            nullCounts = s.nullCounts
        }

        func simpleStats(_ what: String) throws -> SimpleStats {
            SimpleStats(minValues: try min.binaryRow(what + " min"), maxValues: try max.binaryRow(what + " max"), nullCounts: nullCounts)
        }
    }

    struct Entry: Codable, Sendable, Equatable {
        var kind: Int8
        var partition: Row
        var bucket: Int32
        var totalBuckets: Int32
        var fileName: String
        var fileSize: Int64
        var rowCount: Int64
        var minKey: Row
        var maxKey: Row
        var keyStats: Stats
        var valueStats: Stats
        var minSequenceNumber: Int64
        var maxSequenceNumber: Int64
        var schemaId: Int64
        var level: Int32
        var extraFiles: [String]
        var creationTime: Int64?
        var deleteRowCount: Int64?
        var embeddedIndex: String?
        var fileSource: Int8?
        var valueStatsCols: [String]?
        var externalPath: String?
        var firstRowId: Int64?
        var writeCols: [String]?
    }

    var entries: [Entry]

    init(_ entries: [ManifestEntry]) {
        self.entries = entries.map { e in
            let f = e.file
            return Entry(kind: e.kind.rawValue, partition: Row(e.partition), bucket: e.bucket, totalBuckets: e.totalBuckets,
                         fileName: f.fileName, fileSize: f.fileSize, rowCount: f.rowCount, minKey: Row(f.minKey), maxKey: Row(f.maxKey),
                         keyStats: Stats(f.keyStats), valueStats: Stats(f.valueStats), minSequenceNumber: f.minSequenceNumber,
                         maxSequenceNumber: f.maxSequenceNumber, schemaId: f.schemaId, level: f.level, extraFiles: f.extraFiles,
                         creationTime: f.creationTime, deleteRowCount: f.deleteRowCount,
                         embeddedIndex: f.embeddedIndex.map { Data($0).base64EncodedString() }, fileSource: f.fileSource?.rawValue,
                         valueStatsCols: f.valueStatsCols, externalPath: f.externalPath, firstRowId: f.firstRowId, writeCols: f.writeCols)
        }
    }

    func manifestEntries() throws -> [ManifestEntry] {
        try entries.map { e in
            guard let kind = FileKind(rawValue: e.kind) else { throw TaskFailure("file entry \(e.fileName): kind \(e.kind)", retryable: false) }
            var source: FileSource? = nil
            if let raw = e.fileSource {
                guard let s = FileSource(rawValue: raw) else { throw TaskFailure("file entry \(e.fileName): source \(raw)", retryable: false) }
                source = s
            }
            let file = DataFileMeta(
                fileName: e.fileName, fileSize: e.fileSize, rowCount: e.rowCount, minKey: try e.minKey.binaryRow("\(e.fileName) min key"),
                maxKey: try e.maxKey.binaryRow("\(e.fileName) max key"), keyStats: try e.keyStats.simpleStats("\(e.fileName) key stats"),
                valueStats: try e.valueStats.simpleStats("\(e.fileName) value stats"), minSequenceNumber: e.minSequenceNumber,
                maxSequenceNumber: e.maxSequenceNumber, schemaId: e.schemaId, level: e.level, extraFiles: e.extraFiles,
                creationTime: e.creationTime, deleteRowCount: e.deleteRowCount,
                embeddedIndex: try e.embeddedIndex.map { text in
                    guard let data = Data(base64Encoded: text) else { throw TaskFailure("\(e.fileName): embedded index", retryable: false) }
                    return Array(data)
                },
                fileSource: source, valueStatsCols: e.valueStatsCols, externalPath: e.externalPath, firstRowId: e.firstRowId, writeCols: e.writeCols)
            return ManifestEntry(kind: kind, partition: try e.partition.binaryRow("\(e.fileName) partition"), bucket: e.bucket,
                                 totalBuckets: e.totalBuckets, file: file)
        }
    }
}
