import Foundation
import Synchronization
import WeirColumnar
import WeirFileIO
import WeirPaimon

/// Names the data files of one writer: `<prefix><uuid>-<n>.<ext>` with one UUID per writer and a counter from 0
/// (Java's `DataFilePathFactory`; pass the same instance to every flush of one (partition, bucket) writer).
public final class DataFileNames: Sendable {
    public let uuid: String
    private let counter: Mutex<Int>

    public init(uuid: String = UUID().uuidString.lowercased(), startCount: Int = 0) {
        self.uuid = uuid
        counter = Mutex(startCount)
    }

    /// The next name with `prefix` for files of `format` compressed with `compression`.
    public func next(prefix: String, format: DataFileFormat, compression: String?, suffixIncludesCompression: Bool) throws(TableError) -> String {
        let count = counter.withLock { value -> Int in
            defer { value += 1 }
            return value
        }
        do {
            return try DataFilePathFactory.newFileName(prefix: prefix, uuid: uuid, count: count, formatIdentifier: format.rawValue,
                                                       fileCompression: compression, fileSuffixIncludeCompression: suffixIncludesCompression)
        } catch {
            throw TableError(.invalidTable, "file name", error.message)
        }
    }
}

/// Java's `LocalDateTime.now()` stored as if it were UTC, in epoch milliseconds (`_CREATION_TIME`).
func localWallClockMillis() -> Int64 {
    let now = Date()
    let offset = TimeZone.current.secondsFromGMT(for: now)
    return Int64(((now.timeIntervalSince1970 + Double(offset)) * 1000).rounded(.down))
}

/// The writer behind ``KeyValueFileWriter`` and ``AppendFileWriter``: rolls files at the target size, gathers the
/// metadata of each file and returns ``DataFileMeta`` per file.
///
/// Rolling: rows go to the open file in slices sized to the room left under `target-file-size` at the bytes per row
/// the file shows so far (``FormatFileWriter/estimatedBytes()`` over its rows; the rows' in-memory size before it has
/// any), at least 1/64 of the target's worth; the file is closed once its estimate reaches the target. So a file ends
/// at most about one sixty-fourth of the target past it, and earlier where its estimate runs ahead of the bytes it will
/// finally take (Parquet pages still open count uncompressed).
final class RollingDataFileWriter {
    let io: any FileIO
    let directory: StoragePath
    let schema: TableSchema
    let settings: DataFileWriteFormat
    let targetFileSize: Int64
    let names: DataFileNames
    let prefix: String
    let suffixIncludesCompression: Bool
    let level: Int32
    let fileSource: FileSource
    /// Primary-key layout (`_KEY_*`, `_SEQUENCE_NUMBER`, `_VALUE_KIND`, values) or the table columns alone.
    let keyed: Bool
    let thinMode: Bool
    let valueType: RowType
    let keyIndexes: [Int]
    let keyType: RowType
    let physicalType: RowType
    let valueModes: [SimpleColStatsCollector.Mode]
    let keyModes: [SimpleColStatsCollector.Mode]
    let denseStore: Bool

    private var current: OpenFile?
    private(set) var finished: [DataFileMeta] = []
    private var finishedPaths: [StoragePath] = []
    private var closed = false

    static let keyFieldIdStart = Int(Int32.max) / 2
    static let sequenceNumberFieldId = Int(Int32.max) - 1
    static let valueKindFieldId = Int(Int32.max) - 2
    static let keyFieldPrefix = "_KEY_"

    struct OpenFile {
        var writer: FormatFileWriter
        var fileName: String
        var rowCount: Int64 = 0
        var minSequence: Int64 = .max
        var maxSequence: Int64 = .min
        var deletes: Int64 = 0
        var keyStats: FileStatsCollector
        var valueStats: FileStatsCollector
        var minKey: BinaryRow?
        var maxKey: BinaryRow?
    }

    init(io: any FileIO, directory: StoragePath, schema: TableSchema, options: CoreOptions, keyed: Bool, level: Int32,
         fileSource: FileSource, changelog: Bool, names: DataFileNames?) throws(TableError) {
        self.io = io
        self.directory = directory
        self.schema = schema
        self.keyed = keyed
        self.level = level
        self.fileSource = fileSource
        self.names = names ?? DataFileNames()
        settings = try DataFileWriteFormat(options: options, level: level)
        do {
            targetFileSize = max(1, try options.targetFileSize(hasPrimaryKey: keyed))
            suffixIncludesCompression = try options.fileSuffixIncludeCompression()
            thinMode = keyed ? try options.dataFileThinMode() : false
            denseStore = try options.statsDenseStore()
            valueType = schema.logicalRowType
            valueModes = try SimpleStatsCollector.modes(for: valueType, options: options)
        } catch {
            throw TableError(.invalidTable, error.subject, error.message)
        }
        prefix = changelog ? options.changelogFilePrefix() : options.dataFilePrefix()
        if keyed {
            guard !schema.trimmedPrimaryKeys.isEmpty else {
                throw TableError(.invalidTable, "schema-\(schema.id)", "a primary-key data file needs primary keys")
            }
            var indexes: [Int] = []
            for key in schema.trimmedPrimaryKeys {
                guard let i = valueType.index(of: key) else {
                    throw TableError(.invalidTable, "schema-\(schema.id)", "primary key \(key) is not a field")
                }
                indexes.append(i)
            }
            keyIndexes = indexes
            let valueFields = schema.logicalRowType.fields
            keyType = RowType(indexes.map { valueFields[$0] })
            var fields: [DataField] = []
            if !thinMode {
                let idStart = RollingDataFileWriter.keyFieldIdStart, namePrefix = RollingDataFileWriter.keyFieldPrefix
                for field in keyType.fields {
                    fields.append(DataField(id: idStart + field.id, name: namePrefix + field.name, type: field.type))
                }
            }
            fields.append(DataField(id: Self.sequenceNumberFieldId, name: DataFileReader.sequenceNumberField, type: DataType(.bigint, nullable: false)))
            fields.append(DataField(id: Self.valueKindFieldId, name: DataFileReader.valueKindField, type: DataType(.tinyint, nullable: false)))
            physicalType = RowType(fields + valueFields)
        } else {
            keyIndexes = []
            keyType = RowType([])
            physicalType = valueType
        }
        keyModes = Array(repeating: .truncate(128), count: keyIndexes.count)
    }

    /// Writes rows (sequence numbers and kinds alongside the value columns), rolling files at the target size.
    func write(values: ColumnBatch, sequences: [Int64], kinds: [RowKind]) async throws(TableError) {
        guard !closed else { throw TableError(.invalidInput, directory.description, "the writer is closed") }
        guard values.schema.fields.map(\.type) == valueType.fields.map(\.type),
              values.schema.fieldNames == valueType.fieldNames else {
            throw TableError(.invalidInput, directory.description,
                             "the batch's columns \(values.schema.fields.map { "\($0.name) \($0.type)" }) are not the table's")
        }
        let n = values.rowCount
        guard n > 0 else { return }
        let rawPerRow = max(1.0, Double(values.estimatedBytes) / Double(n))
        var start = 0
        while start < n {
            if current == nil { try await openFile() }
            let writer = current!.writer
            let estimate = await writer.estimatedBytes()
            let perRow = writer.rowCount > 0 ? max(1.0, Double(estimate) / Double(writer.rowCount)) : rawPerRow
            let target = Double(targetFileSize)
            let rows = max((target - Double(estimate)) / perRow, target / 64 / perRow, 1)
            let end = start + Int(min(Double(n - start), rows.rounded(.up)))
            try await writeSlice(values: values, sequences: sequences, kinds: kinds, rows: start..<end)
            start = end
            if await writer.estimatedBytes() >= targetFileSize {
                try await closeFile()
            }
        }
    }

    private func writeSlice(values: ColumnBatch, sequences: [Int64], kinds: [RowKind], rows: Range<Int>) async throws(TableError) {
        var file = current!
        let full = rows == 0..<values.rowCount
        let valueColumns = full ? values.columns : values.columns.map { BatchGather.slice($0, rows) }
        var columns: [Column] = []
        if keyed {
            if !thinMode { columns += keyIndexes.map { valueColumns[$0] } }
            columns.append(Column(type: DataType(.bigint, nullable: false), validity: nil, values: .int64(Array(sequences[rows]))))
            columns.append(Column(type: DataType(.tinyint, nullable: false), validity: nil, values: .int8(kinds[rows].map(\.rawValue))))
        }
        columns += valueColumns
        let batch = ColumnBatch(schema: physicalType, columns: columns)
        try await file.writer.write(batch)
        file.rowCount += Int64(rows.count)
        for i in rows {
            let s = sequences[i]
            if s < file.minSequence { file.minSequence = s }
            if s > file.maxSequence { file.maxSequence = s }
            if kinds[i].isRetract { file.deletes += 1 }
        }
        file.valueStats.add(values.columns, rows: rows)
        if keyed {
            let keyColumns = keyIndexes.map { values.columns[$0] }
            file.keyStats.add(keyColumns, rows: rows)
            if file.minKey == nil { file.minKey = try keyRow(keyColumns, row: rows.lowerBound) }
            file.maxKey = try keyRow(keyColumns, row: rows.upperBound - 1)
        }
        current = file
    }

    private func keyRow(_ columns: [Column], row: Int) throws(TableError) -> BinaryRow {
        do {
            return try BinaryRowWriter.write(columns.map { $0.value(at: row) }, types: keyType.fields.map(\.type), subject: "key")
        } catch {
            throw TableError(.invalidInput, directory.description, "key of row \(row): \(error.message)")
        }
    }

    private func openFile() async throws(TableError) {
        let compression = settings.normalizedCompression == "none" || settings.normalizedCompression == "uncompressed" ? nil : settings.compression
        let name = try names.next(prefix: prefix, format: settings.format, compression: compression,
                                  suffixIncludesCompression: suffixIncludesCompression)
        let path: StoragePath
        do {
            path = try directory.appending(name)
        } catch {
            throw TableError(.invalidInput, directory.description, error.description)
        }
        let writer = try await FormatFileWriter.create(io: io, path: path, schema: physicalType, settings: settings,
                                                       targetBytes: targetFileSize)
        current = OpenFile(writer: writer, fileName: name, keyStats: FileStatsCollector(types: keyType.fields.map(\.type)),
                           valueStats: FileStatsCollector(types: valueType.fields.map(\.type)))
    }

    private func closeFile() async throws(TableError) {
        guard let file = current else { return }
        current = nil
        let size: Int64
        do {
            size = try await file.writer.close()
        } catch {
            await file.writer.abort()
            throw error
        }
        finishedPaths.append(file.writer.path)
        let name = file.fileName
        do {
            let (valueCols, valueStats) = try SimpleStatsConverter(rowType: valueType, denseStore: denseStore)
                .toBinary(file.valueStats.results(modes: valueModes))
            if keyed {
                let keyStats = try SimpleStatsConverter(rowType: keyType).toBinaryAllMode(file.keyStats.results(modes: keyModes))
                finished.append(DataFileMeta(
                    fileName: name, fileSize: size, rowCount: file.rowCount, minKey: file.minKey!, maxKey: file.maxKey!,
                    keyStats: keyStats, valueStats: valueStats, minSequenceNumber: file.minSequence,
                    maxSequenceNumber: file.maxSequence, schemaId: schema.id, level: level, extraFiles: [],
                    creationTime: localWallClockMillis(), deleteRowCount: file.deletes, fileSource: fileSource,
                    valueStatsCols: valueCols))
            } else {
                finished.append(DataFileMeta.forAppend(
                    fileName: name, fileSize: size, rowCount: file.rowCount, valueStats: valueStats,
                    minSequenceNumber: file.minSequence, maxSequenceNumber: file.maxSequence, schemaId: schema.id,
                    creationTime: localWallClockMillis(), fileSource: fileSource, valueStatsCols: valueCols))
            }
        } catch {
            throw TableError(.invalidInput, name, "stats: \(error.message)")
        }
    }

    /// Closes the last file; the metadata of every file written, in order.
    func close() async throws(TableError) -> [DataFileMeta] {
        guard !closed else { return finished }
        do {
            try await closeFile()
        } catch {
            await abort()
            throw error
        }
        closed = true
        return finished
    }

    /// Discards the open file and deletes the files already finished.
    func abort() async {
        closed = true
        if let file = current {
            current = nil
            await file.writer.abort()
        }
        for path in finishedPaths { _ = try? await io.delete(path, recursive: false) }
        finishedPaths = []
        finished = []
    }
}
