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
