import WeirColumnar
import WeirFileIO

/// The entry points the `weir file` command calls: inspect a file, read it whole, write one.
public enum ParquetFile {
    /// A readable report of the file at `path`: its schema with physical and logical types, field ids and the Paimon
    /// types; each row group with rows and bytes; each column chunk with encodings, codec, sizes and statistics.
    public static func inspect(io: any FileIO, path: StoragePath, options: ParquetReadOptions = ParquetReadOptions()) async throws(ParquetError) -> String {
        let reader = try await ParquetFileReader.open(io: io, path: path, options: options)
        let report = ParquetInspection.report(name: reader.name, footer: reader.footer)
        await reader.close()
        return report
    }

    /// Every row group of the file at `path` (only the top-level columns in `projection`, all when nil), one batch each.
    public static func readBatches(io: any FileIO, path: StoragePath, projection: [String]? = nil,
                                   options: ParquetReadOptions = ParquetReadOptions()) async throws(ParquetError) -> (RowType, [ColumnBatch]) {
        let reader = try await ParquetFileReader.open(io: io, path: path, options: options)
        do {
            let batches = try await reader.readAll(projection: projection)
            await reader.close()
            let schema = try withParquetContextSync(file: reader.name) { try reader.footer.fieldIndices(projection) }
            return (RowType(schema.map { reader.schema.fields[$0] }), batches)
        } catch {
            await reader.close()
            throw error
        }
    }

    /// Writes `batches` (all with `schema`) as one file at `path`; with `overwrite` false an existing file is an error.
    /// Nothing is visible at `path` unless the whole file was written.
    public static func write(io: any FileIO, path: StoragePath, schema: RowType, batches: [ColumnBatch],
                             options: ParquetWriteOptions = ParquetWriteOptions(), overwrite: Bool) async throws(ParquetError) -> ParquetWriteSummary {
        let file = try await withParquetContext(file: path.description) { try await io.create(path, overwrite: overwrite) }
        let writer: ParquetFileWriter
        do {
            writer = try ParquetFileWriter(file: file, schema: schema, options: options)
        } catch {
            await file.abort()
            throw error
        }
        do {
            for batch in batches { try await writer.write(batch) }
            return try await writer.close()
        } catch {
            await writer.abort()
            throw error
        }
    }

    /// Decodes a whole file held in memory (every row group, every column of `projection`), synchronously: for
    /// fuzzing and for callers that already have the bytes. Same checks and limits as ``ParquetFileReader``.
    public static func readBatches(bytes: [UInt8], name: String = "in-memory", projection: [String]? = nil,
                                   options: ParquetReadOptions = ParquetReadOptions()) throws(ParquetError) -> (RowType, [ColumnBatch]) {
        let footer = try footer(bytes: bytes, name: name, options: options)
        return try withParquetContextSync(file: name) {
            let fields = try footer.fieldIndices(projection)
            var batches: [ColumnBatch] = []
            for index in footer.metadata.rowGroups.indices {
                batches.append(try footer.decode(rowGroup: index, fields: fields, fetched: [(0, bytes)], options: options))
            }
            return (RowType(fields.map { footer.schema.rowType.fields[$0] }), batches)
        }
    }

    /// The report of ``inspect(io:path:options:)`` for a file held in memory.
    public static func inspect(bytes: [UInt8], name: String = "in-memory",
                               options: ParquetReadOptions = ParquetReadOptions()) throws(ParquetError) -> String {
        ParquetInspection.report(name: name, footer: try footer(bytes: bytes, name: name, options: options))
    }

    static func footer(bytes: [UInt8], name: String, options: ParquetReadOptions) throws(ParquetError) -> ParquetFooter {
        try withParquetContextSync(file: name) {
            let size = Int64(bytes.count)
            let tail = Array(bytes.suffix(ParquetFooter.tailBytes))
            let length = try ParquetFooter.metadataLength(tail: tail, fileSize: size, options: options)
            guard Array(bytes.prefix(4)) == parquetMagic else {
                throw ParquetError(file: "", location: "header", "the file does not start with the Parquet magic PAR1")
            }
            let metadata = Array(bytes[(bytes.count - 8 - length) ..< (bytes.count - 8)])
            return try ParquetFooter(metadataBytes: metadata, fileSize: size, options: options)
        }
    }
}
