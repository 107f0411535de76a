import WeirColumnar
import WeirFileIO

/// The entry points the `weir file` command uses for ORC files.
public enum ORCFile {
    /// A human-readable description of a file: format version, writer, compression, schema, user metadata, file
    /// statistics, and per stripe its rows, offset and lengths, column encodings, streams and statistics.
    public static func inspect(io: any FileIO, path: StoragePath) async throws -> String {
        let reader = try await ORCFileReader.open(io: io, path: path)
        do {
            let text = try await ORCInspection.describe(reader)
            await reader.close()
            return text
        } catch {
            await reader.close()
            throw error
        }
    }

    /// Every stripe of the file as one batch each, with the schema of the batches (all columns, or those named in
    /// `projection`, in that order). `options` can give a target schema and limits.
    public static func readBatches(io: any FileIO, path: StoragePath, projection: [String]? = nil,
                                   filter: ORCFilter? = nil, options: ORCReadOptions = ORCReadOptions()) async throws -> (RowType, [ColumnBatch]) {
        let reader = try await ORCFileReader.open(io: io, path: path, options: options)
        do {
            let schema = try reader.schema(projection: projection)
            let batches = try await reader.readAll(projection: projection, filter: filter)
            await reader.close()
            return (schema, batches)
        } catch {
            await reader.close()
            throw error
        }
    }

    /// Writes `batches` (all of schema `schema`) as one ORC file at `path`; with `overwrite` false an existing
    /// file is an error. Nothing is visible at `path` unless the whole file was written.
    public static func write(io: any FileIO, path: StoragePath, schema: RowType, batches: [ColumnBatch],
                             options: ORCWriteOptions = ORCWriteOptions(), overwrite: Bool = false) async throws -> ORCWriteSummary {
        let file = try await io.create(path, overwrite: overwrite)
        let writer: ORCFileWriter
        do {
            writer = try ORCFileWriter(file: file, schema: schema, options: options)
        } catch {
            await file.abort()
            throw error
        }
        for batch in batches { try await writer.write(batch) }
        return try await writer.close()
    }
}
