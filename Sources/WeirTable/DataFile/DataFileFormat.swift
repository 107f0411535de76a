import Synchronization
import WeirAvro
import WeirColumnar
import WeirFileIO
import WeirORC
import WeirPaimon
import WeirParquet

/// The file formats of data files (spec/paimon-format.md sections 1.2, 9, 10).
public enum DataFileFormat: String, Sendable, CaseIterable {
    case parquet, orc, avro

    /// A `file.format` value (any case).
    public init(identifier: String) throws(TableError) {
        guard let format = DataFileFormat(rawValue: identifier.lowercased()) else {
            throw TableError(.unsupported, "file.format", "data file format '\(identifier)' is not one of parquet, orc, avro")
        }
        self = format
    }

    /// The format of a data file from its name, as Java readers pick it (`DataFilePathFactory.formatIdentifier`:
    /// the last extension, or the one before it when the last is a compression extension).
    public init(fileName: String) throws(TableError) {
        do {
            self = try DataFileFormat(identifier: try DataFilePathFactory.formatIdentifier(fileName: fileName))
        } catch let error as PaimonFormatError {
            throw TableError(.corrupt, fileName, error.message)
        } catch let error as TableError {
            throw TableError(error.kind, fileName, error.message)
        } catch {
            throw TableError(.corrupt, fileName, "\(error)")
        }
    }
}

/// How new data files of one level are written: format, codec and zstd level, from `file.format`,
/// `file.format.per.level`, `file.compression`, `file.compression.per.level` and `file.compression.zstd-level`.
public struct DataFileWriteFormat: Sendable, Equatable {
    public var format: DataFileFormat
    /// The `file.compression` value (`zstd`, `snappy`, `lz4`, `gzip`/`zlib`/`deflate`, `none`/`uncompressed`).
    public var compression: String
    public var zstdLevel: Int32

    public init(format: DataFileFormat = .parquet, compression: String = "zstd", zstdLevel: Int32 = 1) {
        self.format = format
        self.compression = compression
        self.zstdLevel = zstdLevel
    }

    /// The settings for files of LSM level `level` (per-level options override the table-wide ones).
    public init(options: CoreOptions, level: Int32 = 0) throws(TableError) {
        do {
            let format = try options.fileFormatPerLevel()[level] ?? options.fileFormat()
            let compression = try options.fileCompressionPerLevel()[level] ?? options.fileCompression()
            self.format = try DataFileFormat(identifier: format)
            self.compression = compression
            self.zstdLevel = try options.fileCompressionZstdLevel()
        } catch let error as PaimonFormatError {
            throw TableError(.invalidTable, error.subject, error.message)
        } catch let error as TableError {
            throw error
        } catch {
            throw TableError(.invalidTable, "options", "\(error)")
        }
        switch format {
        case .parquet: _ = try parquetCompression()
        case .orc: _ = try orcCompression()
        case .avro: _ = try avroCodec()
        }
    }

    var normalizedCompression: String { compression.lowercased() }

    func parquetCompression() throws(TableError) -> ParquetWriteOptions.Compression {
        switch normalizedCompression {
        case "zstd": return .zstd(level: zstdLevel)
        case "snappy": return .snappy
        case "gzip", "zlib", "deflate": return .gzip
        case "lz4", "lz4_raw", "lz4-raw": return .lz4Raw
        case "none", "uncompressed", "": return .uncompressed
        default: throw TableError(.unsupported, "file.compression", "compression '\(compression)' is not available for data files")
        }
    }

    func orcCompression() throws(TableError) -> ORCCompression {
        switch normalizedCompression {
        case "zstd": return .zstd(level: zstdLevel)
        case "snappy": return .snappy
        case "gzip", "zlib", "deflate": return .zlib
        case "lz4", "lz4_raw", "lz4-raw": return .lz4
        case "none", "uncompressed", "": return .none
        default: throw TableError(.unsupported, "file.compression", "compression '\(compression)' is not available for data files")
        }
    }

    func avroCodec() throws(TableError) -> AvroCodec {
        switch normalizedCompression {
        case "zstd": return .zstandard(level: zstdLevel)
        case "snappy": return .snappy
        case "gzip", "zlib", "deflate": return .deflate()
        case "none", "uncompressed", "null", "": return .null
        default: throw TableError(.unsupported, "file.compression", "compression '\(compression)' is not available for data files")
        }
    }
}

// MARK: errors

/// Maps any error of a format or the storage to a ``TableError`` naming `file`: storage errors keep their kind
/// (not found, I/O), everything a decoder says is `.corrupt`.
func tableError(_ error: any Error, file: String, writing: Bool = false) -> TableError {
    switch error {
    case let e as TableError: return e
    case let e as FileIOError: return TableError(e.kind == .notFound ? .notFound : .io, file, e.description)
    case let e as ParquetError: return TableError(writing ? .invalidInput : .corrupt, file, e.description)
    case let e as ORCError: return TableError(writing ? .invalidInput : .corrupt, file, e.description)
    case let e as AvroError: return TableError(writing ? .invalidInput : .corrupt, file, e.description)
    case let e as PaimonFormatError: return TableError(.corrupt, file, e.description)
    case let e as ColumnarError: return TableError(writing ? .invalidInput : .corrupt, file, e.description)
    default: return TableError(writing ? .io : .corrupt, file, "\(error)")
    }
}

// MARK: writing

/// Counts the bytes written through a file.
final class CountingWritableFile: WritableFile {
    let inner: any WritableFile
    private let counter = Mutex<Int64>(0)

    init(_ inner: any WritableFile) { self.inner = inner }

    var path: StoragePath { inner.path }
    var written: Int64 { counter.withLock { $0 } }

    func write(_ bytes: [UInt8]) async throws {
        try await inner.write(bytes)
        counter.withLock { $0 += Int64(bytes.count) }
    }

    func close() async throws { try await inner.close() }
    func abort() async { await inner.abort() }
}

/// One data file being written in some format, batch by batch, with an estimate of its size so far.
///
/// Parquet and ORC stream to the store through a byte counter; the size estimate is the bytes written plus the
/// bytes still buffered times the compression ratio seen so far (a row group is ended early once, to learn it).
/// Avro keeps the file's batches until ``close()`` (the Avro module has no streaming batch writer).
final class FormatFileWriter {
    let path: StoragePath
    let schema: RowType
    let format: DataFileFormat
    private let backend: Backend
    private let counting: CountingWritableFile?
    /// Raw (in-memory) bytes handed to the writer that have not reached the file yet, and that have.
    private var pendingRaw = 0
    private var flushedRaw = 0
    private var lastWritten: Int64 = 0
    /// Compressed / raw bytes, learned from what was flushed (or given by the caller from earlier files).
    private(set) var ratio: Double
    private let calibrationBytes: Int
    private let rowGroupRawBytes: Int
    private var avroBatches: [ColumnBatch] = []
    private(set) var rowCount = 0

    private enum Backend {
        case parquet(ParquetFileWriter)
        case orc(ORCFileWriter)
        case avro(io: any FileIO, codec: AvroCodec)
    }

    /// Starts the file (nothing is visible until ``close()``). `ratioHint` is the compressed/raw ratio of earlier
    /// files, nil when unknown; `targetBytes` sizes the calibration row group.
    static func create(io: any FileIO, path: StoragePath, schema: RowType, settings: DataFileWriteFormat,
                       targetBytes: Int64, ratioHint: Double?, dictionary: Bool = true,
                       statistics: Bool = true) async throws(TableError) -> FormatFileWriter {
        let name = path.description
        let calibration = Int(max(4096, min(Int64(4 << 20), targetBytes / 8)))
        switch settings.format {
        case .parquet:
            let compression = try settings.parquetCompression()
            let file: any WritableFile
            do { file = try await io.create(path, overwrite: false) } catch { throw tableError(error, file: name, writing: true) }
            let counting = CountingWritableFile(file)
            // Row groups are ended by this writer (rowGroupRawBytes), never by the Parquet writer.
            let options = ParquetWriteOptions(compression: compression, rowGroupBytes: Int.max / 4, dictionary: dictionary,
                                              statistics: statistics)
            do {
                let writer = try ParquetFileWriter(file: counting, schema: schema, options: options)
                return FormatFileWriter(path: path, schema: schema, format: .parquet, backend: .parquet(writer), counting: counting,
                                        ratio: ratioHint, calibrationBytes: calibration, rowGroupRawBytes: 128 << 20)
            } catch {
                await counting.abort()
                throw tableError(error, file: name, writing: true)
            }
        case .orc:
            let compression = try settings.orcCompression()
            let file: any WritableFile
            do { file = try await io.create(path, overwrite: false) } catch { throw tableError(error, file: name, writing: true) }
            let counting = CountingWritableFile(file)
            let stripe = Int(max(1024, min(Int64(64 << 20), targetBytes / 2)))
            do {
                let writer = try ORCFileWriter(file: counting, schema: schema,
                                               options: ORCWriteOptions(compression: compression, stripeSizeBytes: stripe))
                return FormatFileWriter(path: path, schema: schema, format: .orc, backend: .orc(writer), counting: counting,
                                        ratio: ratioHint, calibrationBytes: calibration, rowGroupRawBytes: stripe)
            } catch {
                await counting.abort()
                throw tableError(error, file: name, writing: true)
            }
        case .avro:
            return FormatFileWriter(path: path, schema: schema, format: .avro, backend: .avro(io: io, codec: try settings.avroCodec()),
                                    counting: nil, ratio: ratioHint, calibrationBytes: calibration, rowGroupRawBytes: Int.max)
        }
    }

    private init(path: StoragePath, schema: RowType, format: DataFileFormat, backend: Backend, counting: CountingWritableFile?,
                 ratio: Double?, calibrationBytes: Int, rowGroupRawBytes: Int) {
        self.path = path
        self.schema = schema
        self.format = format
        self.backend = backend
        self.counting = counting
        self.ratio = ratio ?? 1
        self.ratioKnown = ratio != nil
        self.calibrationBytes = calibrationBytes
        self.rowGroupRawBytes = rowGroupRawBytes
    }

    private var ratioKnown: Bool

    /// Bytes the file would have if closed now (estimate; exact only after ``close()``).
    var estimatedBytes: Int64 {
        let written = counting?.written ?? 0
        return written + Int64(Double(pendingRaw) * ratio)
    }

    /// Compressed bytes per raw byte seen so far.
    var learnedRatio: Double? { ratioKnown ? ratio : nil }

    func write(_ batch: ColumnBatch) async throws(TableError) {
        let raw = max(1, batch.estimatedBytes)
        rowCount += batch.rowCount
        switch backend {
        case .parquet(let writer):
            do {
                try await writer.write(batch)
                pendingRaw += raw
                if (!ratioKnown && pendingRaw >= calibrationBytes) || pendingRaw >= rowGroupRawBytes {
                    try await writer.finishRowGroup()
                    noteFlushed()
                }
            } catch {
                throw tableError(error, file: path.description, writing: true)
            }
        case .orc(let writer):
            do {
                try await writer.write(batch)
            } catch {
                throw tableError(error, file: path.description, writing: true)
            }
            pendingRaw += raw
            if let counting, counting.written > lastWritten { noteFlushed() }
        case .avro:
            avroBatches.append(batch)
            pendingRaw += raw
        }
    }

    private func noteFlushed() {
        guard let counting else { return }
        let written = counting.written
        flushedRaw += pendingRaw
        pendingRaw = 0
        lastWritten = written
        if flushedRaw > 0 && written > 0 {
            ratio = Double(written) / Double(flushedRaw)
            ratioKnown = true
        }
    }

    /// Finishes the file and returns its exact size.
    func close() async throws(TableError) -> Int64 {
        let name = path.description
        switch backend {
        case .parquet(let writer):
            do {
                let summary = try await writer.close()
                noteFlushed()
                return summary.fileBytes
            } catch {
                throw tableError(error, file: name, writing: true)
            }
        case .orc(let writer):
            do {
                let summary = try await writer.close()
                noteFlushed()
                return summary.fileBytes
            } catch {
                throw tableError(error, file: name, writing: true)
            }
        case .avro(let io, let codec):
            do {
                let summary = try await AvroFile.write(io: io, path: path, schema: schema, batches: avroBatches, codec: codec, overwrite: false)
                avroBatches = []
                if pendingRaw > 0 {
                    ratio = Double(summary.bytes) / Double(pendingRaw)
                    ratioKnown = true
                }
                return summary.bytes
            } catch {
                throw tableError(error, file: name, writing: true)
            }
        }
    }

    func abort() async {
        switch backend {
        case .parquet(let writer): await writer.abort()
        case .orc(let writer): await writer.abort()
        case .avro: avroBatches = []
        }
    }
}

// MARK: reading

/// One data file being read batch by batch (row group, stripe or block), only the top-level columns chosen with
/// ``project(_:)`` (all until then).
final class FormatFileReader {
    let io: any FileIO
    let path: StoragePath
    let format: DataFileFormat
    /// The file's own columns (names and the types the format decodes to).
    let fileType: RowType
    private var backend: Backend
    private var projection: [String]?
    private var next = 0

    private enum Backend {
        case parquet(ParquetFileReader, groups: Int)
        case orc(ORCFileReader, stripes: Int)
        case avro(AvroBatchReader)
    }

    private init(io: any FileIO, path: StoragePath, format: DataFileFormat, fileType: RowType, backend: Backend) {
        self.io = io
        self.path = path
        self.format = format
        self.fileType = fileType
        self.backend = backend
    }

    /// Opens the file and reads its footer or header.
    static func open(io: any FileIO, path: StoragePath, format: DataFileFormat) async throws(TableError) -> FormatFileReader {
        let name = path.description
        do {
            switch format {
            case .parquet:
                // Opened here so that a missing file is the store's not-found error.
                let file = try await io.openForReading(path)
                let reader: ParquetFileReader
                do {
                    reader = try await ParquetFileReader(file: file)
                } catch {
                    await file.close()
                    throw error
                }
                return FormatFileReader(io: io, path: path, format: format, fileType: reader.schema,
                                        backend: .parquet(reader, groups: reader.rowGroups.count))
            case .orc:
                let reader = try await ORCFileReader.open(io: io, path: path)
                return FormatFileReader(io: io, path: path, format: format, fileType: reader.schema,
                                        backend: .orc(reader, stripes: reader.stripes.count))
            case .avro:
                let reader = try await AvroBatchReader.open(io: io, path: path)
                return FormatFileReader(io: io, path: path, format: format, fileType: reader.rowType, backend: .avro(reader))
            }
        } catch {
            throw tableError(error, file: name)
        }
    }

    /// The rows the footer states (nil for Avro, which has no footer).
    var footerRowCount: Int64? {
        switch backend {
        case .parquet(let reader, _): return reader.rowCount
        case .orc(let reader, _): return Int64(reader.rowCount)
        case .avro: return nil
        }
    }

    /// Reads only the columns `names` (of ``fileType``), in that order, from now on.
    func project(_ names: [String]) async throws(TableError) {
        projection = names
        if case .avro(let reader) = backend, next == 0 {
            await reader.close()
            do {
                backend = .avro(try await AvroBatchReader.open(io: io, path: path, projection: names))
            } catch {
                throw tableError(error, file: path.description)
            }
        }
    }

    /// The next batch, nil at the end.
    func nextBatch() async throws(TableError) -> ColumnBatch? {
        do {
            switch backend {
            case .parquet(let reader, let groups):
                guard next < groups else { return nil }
                defer { next += 1 }
                return try await reader.read(rowGroup: next, projection: projection)
            case .orc(let reader, let stripes):
                guard next < stripes else { return nil }
                defer { next += 1 }
                return try await reader.read(stripe: next, projection: projection)
            case .avro(let reader):
                next += 1
                return try await reader.next()
            }
        } catch {
            throw tableError(error, file: path.description)
        }
    }

    func close() async {
        switch backend {
        case .parquet(let reader, _): await reader.close()
        case .orc(let reader, _): await reader.close()
        case .avro(let reader): await reader.close()
        }
    }
}
