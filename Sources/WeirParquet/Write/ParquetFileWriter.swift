import WeirColumnar
import WeirFileIO

/// Writes a Parquet file the way Java Paimon does (``WriteSchema`` for the mapping and field ids, data page v1,
/// dictionary encoding with fallback to PLAIN, zstd level 1 by default), streaming row groups to a ``WritableFile``.
///
/// Batches are cut into slices of rows and shredded into per-leaf page buffers; once the buffered column chunks reach
/// ``ParquetWriteOptions/rowGroupBytes`` the row group is written out, so memory stays about one row group. ``close()``
/// writes the last row group and the footer and publishes the file; on any failure while writing, the file is aborted
/// (nothing becomes visible) and the writer refuses further calls. A batch that does not fit the schema is refused
/// before anything is written, and the writer stays usable.
///
/// Size so far: ``bytesWritten`` (handed to the file) plus ``bytesBuffered`` (the current row group) is what the file
/// would take if closed now, less the footer, counted as parquet-mr's `getDataSize` does, so a caller can end the file
/// at a target size.
public actor ParquetFileWriter {
    private let file: any WritableFile
    private let name: String
    private let schema: RowType
    private let writeSchema: WriteSchema
    private let options: ParquetWriteOptions
    private let hasMultiset: Bool

    /// Rows shredded at a time; adapts so row groups end near ``ParquetWriteOptions/rowGroupBytes``.
    private var sliceRows = 256
    private static let sliceRowsMax = 65_536

    private var chunks: [ColumnChunkWriter]
    private var rowGroupRows = 0
    private var rowGroups: [RowGroup] = []
    private var offset: Int64 = 0
    private var rowCount: Int64 = 0
    private var failed: ParquetError?
    private var closed = false
    private var summaryNulls: [Int64]
    private var summaryMin: [StatBound?]
    private var summaryMax: [StatBound?]

    /// Starts a file with `schema`; nothing is written until the first row group is full or ``close()``.
    public init(file: any WritableFile, schema: RowType, options: ParquetWriteOptions = ParquetWriteOptions()) throws(ParquetError) {
        let name = file.path.description
        try withParquetContextSync(file: name) { try options.validate() }
        self.writeSchema = try withParquetContextSync(file: name) { try WriteSchema(schema) }
        self.file = file
        self.name = name
        self.schema = schema
        self.options = options
        hasMultiset = schema.fields.contains { Self.containsMultiset($0.type) }
        chunks = writeSchema.leaves.map { ColumnChunkWriter(leaf: $0, options: options) }
        summaryNulls = Array(repeating: 0, count: schema.fields.count)
        summaryMin = Array(repeating: nil, count: schema.fields.count)
        summaryMax = Array(repeating: nil, count: schema.fields.count)
    }

    /// Appends the rows of `batch`, whose schema must equal the writer's (names and types).
    public func write(_ batch: ColumnBatch) async throws(ParquetError) {
        try checkUsable()
        guard batch.schema == schema else {
            throw ParquetError(file: name, location: "batch", "the batch's schema \(batch.schema.fields.map { "\($0.name) \($0.type)" }) differs from the file's")
        }
        do throws(ColumnarError) {
            try batch.validate()
        } catch {
            throw ParquetError(file: name, location: "batch", "invalid batch: \(error.description)")
        }
        var columns = batch.columns
        if hasMultiset {
            for i in columns.indices {
                columns[i] = try withParquetContextSync(file: name, location: "column \(schema.fields[i].name)") {
                    try MultisetConversion.toMaps(columns[i])
                }
            }
        }
        do throws(ParquetError) {
            var start = 0
            let rows = batch.rowCount
            while start < rows {
                let end = min(rows, start + sliceRows)
                let before = chunks.reduce(0) { $0 + $1.bufferedBytes }
                for (field, column) in columns.enumerated() {
                    let shape = writeSchema.shapes[field]
                    let pieces: [Int: LeafBatch]
                    do throws(ParquetError) {
                        pieces = try LevelShredder.shred(column, shape: shape, rows: start..<end)
                        for (leaf, piece) in pieces { try chunks[leaf].append(piece) }
                    } catch {
                        throw error.in(file: name, location: "column \(schema.fields[field].name)")
                    }
                }
                for (field, column) in batch.columns.enumerated() where column.validity != nil {
                    var nulls = 0
                    for row in start..<end where column.isNull(row) { nulls += 1 }
                    summaryNulls[field] += Int64(nulls)
                }
                rowGroupRows += end - start
                rowCount += Int64(end - start)
                var buffered = chunks.reduce(0) { $0 + $1.bufferedBytes }
                let perRow = max(1, (buffered - before) / max(1, end - start))
                start = end
                if buffered >= options.rowGroupBytes {
                    try await flushRowGroup()
                    buffered = 0
                }
                // The next slice: about a quarter of the room left in the row group, at the bytes per row seen.
                sliceRows = max(64, min(Self.sliceRowsMax, (options.rowGroupBytes - buffered) / 4 / perRow))
            }
        } catch {
            await fail(error)
            throw error
        }
    }

    /// Bytes handed to the file so far: the magic and every row group written (the footer comes at ``close()``).
    public var bytesWritten: Int64 { offset }

    /// The bytes held for the current row group: its closed pages as they will be written (compressed, with headers),
    /// plus the pages still open and the dictionaries at their uncompressed PLAIN size (each open page is at most
    /// about ``ParquetWriteOptions/pageBytes`` per column, each dictionary ``ParquetWriteOptions/dictionaryPageBytes``).
    public var bytesBuffered: Int { chunks.reduce(0) { $0 + $1.bufferedBytes } }

    /// The rows of the current row group.
    public var rowsBuffered: Int { rowGroupRows }

    /// ``bytesWritten`` plus ``bytesBuffered``.
    public var estimatedFileBytes: Int64 { bytesWritten + Int64(bytesBuffered) }

    /// Ends the current row group now (if it has rows), whatever its size: for callers that align row groups with
    /// something of their own (a sort key range, a bucket).
    public func finishRowGroup() async throws(ParquetError) {
        try checkUsable()
        guard rowGroupRows > 0 else { return }
        do throws(ParquetError) {
            try await flushRowGroup()
        } catch {
            await fail(error)
            throw error
        }
    }

    /// Writes the last row group and the footer and publishes the file.
    public func close() async throws(ParquetError) -> ParquetWriteSummary {
        try checkUsable()
        do throws(ParquetError) {
            if rowGroupRows > 0 { try await flushRowGroup() }
            if offset == 0 { try await put(parquetMagic) }
            let metadata = FileMetaData(
                version: 1, schema: writeSchema.elements, numRows: rowCount, rowGroups: rowGroups,
                keyValueMetadata: options.keyValueMetadata.isEmpty ? nil
                    : options.keyValueMetadata.sorted { $0.key < $1.key }.map { KeyValue(key: $0.key, value: $0.value) },
                createdBy: options.createdBy,
                columnOrders: Array(repeating: 1, count: writeSchema.leaves.count))
            let footer = metadata.thriftBytes()
            var tail = footer
            withUnsafeBytes(of: UInt32(footer.count).littleEndian) { tail.append(contentsOf: $0) }
            tail += parquetMagic
            try await put(tail)
            try await withParquetContext(file: name, location: "close") { try await file.close() }
        } catch {
            await fail(error)
            throw error
        }
        closed = true
        let columns = schema.fields.indices.map { i -> ParquetColumnStatistics in
            let type = schema.fields[i].type
            return ParquetColumnStatistics(nullCount: summaryNulls[i],
                                           min: summaryMin[i].flatMap { StatisticsDecoding.value($0, type: type) },
                                           max: summaryMax[i].flatMap { StatisticsDecoding.value($0, type: type) })
        }
        return ParquetWriteSummary(rowCount: rowCount, fileBytes: offset, rowGroupCount: rowGroups.count, columns: columns)
    }

    /// Discards everything; nothing becomes visible. Safe to call more than once.
    public func abort() async {
        if !closed {
            closed = true
            await file.abort()
        }
    }

    private func checkUsable() throws(ParquetError) {
        if let failed { throw ParquetError(file: name, location: "", "the writer failed earlier: \(failed.message)") }
        guard !closed else { throw ParquetError(file: name, location: "", "the writer is closed") }
    }

    private func fail(_ error: ParquetError) async {
        failed = error
        if !closed {
            closed = true
            await file.abort()
        }
    }

    private func put(_ bytes: [UInt8]) async throws(ParquetError) {
        try await withParquetContext(file: name, location: "at byte \(offset)") { try await file.write(bytes) }
        offset += Int64(bytes.count)
    }

    private func flushRowGroup() async throws(ParquetError) {
        if offset == 0 { try await put(parquetMagic) }
        let groupStart = offset
        var columns: [ColumnChunk] = []
        var uncompressed: Int64 = 0
        for leafIndex in chunks.indices {
            let leaf = writeSchema.leaves[leafIndex]
            var encoded = try withParquetContextSync(file: name, location: "column \(leaf.pathString)") { try chunks[leafIndex].finish() }
            chunks[leafIndex] = ColumnChunkWriter(leaf: leaf, options: options)
            let start = offset
            let pieces = encoded.pieces
            encoded.pieces = []
            for piece in pieces { try await put(piece) }
            let meta = ColumnMetaData(
                type: leaf.physical.rawValue, encodings: encoded.encodings, pathInSchema: leaf.path,
                codec: options.compression.kind.rawValue, numValues: encoded.numValues,
                totalUncompressedSize: encoded.totalUncompressedSize, totalCompressedSize: Int64(encoded.byteCount),
                keyValueMetadata: nil, dataPageOffset: start + Int64(encoded.dictionaryPageBytes ?? 0),
                indexPageOffset: nil, dictionaryPageOffset: encoded.dictionaryPageBytes == nil ? nil : start,
                statistics: encoded.statistics)
            columns.append(ColumnChunk(filePath: nil, fileOffset: start, metaData: meta))
            uncompressed += encoded.totalUncompressedSize
            noteSummary(leafIndex: leafIndex, encoded)
        }
        rowGroups.append(RowGroup(columns: columns, totalByteSize: uncompressed, numRows: Int64(rowGroupRows),
                                  fileOffset: groupStart, totalCompressedSize: offset - groupStart,
                                  ordinal: Int16(truncatingIfNeeded: rowGroups.count)))
        rowGroupRows = 0
    }

    /// Folds a chunk's bounds into the summary of its top-level field when the field is atomic.
    private func noteSummary(leafIndex: Int, _ chunk: EncodedChunk) {
        for (field, shape) in writeSchema.shapes.enumerated() {
            guard case .leaf(let leaf, _, _, _) = shape, leaf == leafIndex else { continue }
            if let lo = chunk.min, summaryMin[field] == nil || lo.compare(summaryMin[field]!) == -1 { summaryMin[field] = lo }
            if let hi = chunk.max, summaryMax[field] == nil || hi.compare(summaryMax[field]!) == 1 { summaryMax[field] = hi }
        }
    }

    private static func containsMultiset(_ type: DataType) -> Bool {
        switch type.kind {
        case .multiset: return true
        case .array(let e): return containsMultiset(e)
        case .map(let k, let v): return containsMultiset(k) || containsMultiset(v)
        case .row(let fields): return fields.contains { containsMultiset($0.type) }
        default: return false
        }
    }
}
