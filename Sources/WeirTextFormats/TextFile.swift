import WeirColumnar
import WeirFileIO

/// JSON Lines and CSV files through a ``FileIO`` (the text formats of `weir file convert` and
/// `weir table write`). Text files carry no schema: the caller gives one.
///
/// Reading JSON Lines streams the file in ``chunkBytes`` chunks (memory: one chunk plus the batches);
/// CSV is read whole, up to ``csvBytesMax`` (a quoted field may span chunk boundaries).
/// Writing streams one batch at a time; nothing is visible until the whole file is written.
public enum TextFile {
    public enum Format: String, Sendable, CaseIterable {
        case jsonl, csv
    }

    public static let chunkBytes = 8 << 20
    public static let csvBytesMax = 1 << 30

    public static func readBatches(io: any FileIO, path: StoragePath, format: Format, schema: RowType,
                                   batchRows: Int = 65_536) async throws -> [ColumnBatch] {
        switch format {
        case .csv:
            let bytes = try await io.readAll(path, bytesMax: csvBytesMax)
            do { return try CSVFormat.read(bytes, schema: schema, batchRows: batchRows) } catch {
                throw FileIOError(.invalidArgument, path: path, error.description)
            }
        case .jsonl:
            let file = try await io.openForReading(path)
            defer { Task { await file.close() } }
            var batches: [ColumnBatch] = []
            var pending: [UInt8] = []
            var offset: Int64 = 0
            var line = 1
            while offset < file.size {
                let chunk = try await file.read(at: offset, count: chunkBytes)
                if chunk.isEmpty { break }
                offset += Int64(chunk.count)
                pending += chunk
                let complete = offset >= file.size ? pending.count : (pending.lastIndex(of: 0x0a).map { $0 + 1 } ?? 0)
                if complete == 0 {
                    guard pending.count <= JSONLinesFormat.lineBytesMax else {
                        throw FileIOError(.invalidArgument, path: path, "line \(line): longer than \(JSONLinesFormat.lineBytesMax) bytes")
                    }
                    continue
                }
                let lines = Array(pending[..<complete])
                pending.removeFirst(complete)
                do {
                    let parsed = try JSONLinesFormat.read(lines, schema: schema, batchRows: batchRows, firstLine: line)
                    batches += parsed.filter { $0.rowCount > 0 }
                } catch {
                    throw FileIOError(.invalidArgument, path: path, error.description)
                }
                line += lines.reduce(0) { $1 == 0x0a ? $0 + 1 : $0 }
            }
            return batches.isEmpty ? [ColumnBatch(schema: schema, columns: schema.fields.map { ColumnBuilder(type: $0.type).finish() })] : batches
        }
    }

    /// Writes `batches` as one file; returns its size in bytes.
    @discardableResult
    public static func write(io: any FileIO, path: StoragePath, format: Format, schema: RowType,
                             batches: [ColumnBatch], overwrite: Bool) async throws -> Int64 {
        let file = try await io.create(path, overwrite: overwrite)
        var written: Int64 = 0
        do {
            var buffer: [UInt8] = []
            if format == .csv { CSVFormat.writeHeader(schema, into: &buffer) }
            for batch in batches {
                switch format {
                case .jsonl: JSONLinesFormat.write(batch, into: &buffer)
                case .csv: CSVFormat.write(batch, into: &buffer)
                }
                if buffer.count >= chunkBytes {
                    try await file.write(buffer)
                    written += Int64(buffer.count)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try await file.write(buffer)
            written += Int64(buffer.count)
            try await file.close()
        } catch {
            await file.abort()
            throw error
        }
        return written
    }
}
