import WeirAvro
import WeirColumnar
import WeirFileIO
import WeirORC
import WeirParquet

/// One data file being written in some format, batch by batch, streaming to the store: memory holds about one Parquet
/// row group, one ORC stripe or one Avro block, whatever the size of the file.
///
/// ``estimatedBytes()`` is the file's size so far as its format's writer reports it: the bytes handed to the store plus
/// those still buffered (Parquet: closed pages compressed, open pages and dictionaries uncompressed; ORC: buffered rows
/// scaled by the compression of the stripes written; Avro: the pending block uncompressed). The footer is not counted;
/// ``close()`` returns the exact size.
final class FormatFileWriter {
    let path: StoragePath
    let schema: RowType
    let format: DataFileFormat
    private let backend: Backend
    /// The rows written so far.
    private(set) var rowCount = 0

    private enum Backend {
        case parquet(ParquetFileWriter)
        case orc(ORCFileWriter)
        case avro(AvroBatchWriter)
    }

    private init(path: StoragePath, schema: RowType, format: DataFileFormat, backend: Backend) {
        self.path = path
        self.schema = schema
        self.format = format
        self.backend = backend
    }

    /// Starts the file (nothing is visible until ``close()``). `targetBytes` (the file size the caller rolls at) sizes
    /// ORC stripes: half of it, between 1 KiB and 64 MiB, so a file has a few. Parquet row groups end at the Parquet
    /// writer's default size.
    // Not inlined: swiftc 6.3.1 crashes (signal 11, "While splitting coroutine ... openFile") in release builds
    // when this is inlined into RollingDataFileWriter.openFile().
    @inline(never)
    static func create(io: any FileIO, path: StoragePath, schema: RowType, settings: DataFileWriteFormat,
                       targetBytes: Int64, dictionary: Bool = true, statistics: Bool = true) async throws(TableError) -> FormatFileWriter {
        let name = path.description
        // Checked before the file exists, so a bad setting leaves nothing behind.
        switch settings.format {
        case .parquet: _ = try settings.parquetCompression()
        case .orc: _ = try settings.orcCompression()
        case .avro: _ = try settings.avroCodec()
        }
        let file: any WritableFile
        do { file = try await io.create(path, overwrite: false) } catch { throw tableError(error, file: name, writing: true) }
        do {
            let backend: Backend
            switch settings.format {
            case .parquet:
                let options = ParquetWriteOptions(compression: try settings.parquetCompression(), dictionary: dictionary,
                                                  statistics: statistics)
                backend = .parquet(try ParquetFileWriter(file: file, schema: schema, options: options))
            case .orc:
                let stripe = Int(max(1024, min(Int64(64 << 20), targetBytes / 2)))
                let options = ORCWriteOptions(compression: try settings.orcCompression(), stripeSizeBytes: stripe)
                backend = .orc(try ORCFileWriter(file: file, schema: schema, options: options))
            case .avro:
                backend = .avro(try AvroBatchWriter(file: file, rowType: schema, codec: try settings.avroCodec()))
            }
            return FormatFileWriter(path: path, schema: schema, format: settings.format, backend: backend)
        } catch {
            await file.abort()
            throw tableError(error, file: name, writing: true)
        }
    }

    /// The file's size so far (see the type's documentation).
    func estimatedBytes() async -> Int64 {
        switch backend {
        case .parquet(let writer): await writer.estimatedFileBytes
        case .orc(let writer): writer.estimatedFileBytes
        case .avro(let writer): writer.estimatedFileBytes
        }
    }

    func write(_ batch: ColumnBatch) async throws(TableError) {
        do {
            switch backend {
            case .parquet(let writer): try await writer.write(batch)
            case .orc(let writer): try await writer.write(batch)
            case .avro(let writer): try await writer.write(batch)
            }
        } catch {
            throw tableError(error, file: path.description, writing: true)
        }
        rowCount += batch.rowCount
    }

    /// Finishes the file and returns its exact size.
    func close() async throws(TableError) -> Int64 {
        do {
            switch backend {
            case .parquet(let writer): return try await writer.close().fileBytes
            case .orc(let writer): return try await writer.close().fileBytes
            case .avro(let writer): return try await writer.close().bytes
            }
        } catch {
            throw tableError(error, file: path.description, writing: true)
        }
    }

    /// Discards the file; nothing becomes visible.
    func abort() async {
        switch backend {
        case .parquet(let writer): await writer.abort()
        case .orc(let writer): await writer.abort()
        case .avro(let writer): await writer.abort()
        }
    }
}
