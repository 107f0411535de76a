import WeirColumnar
import WeirFileIO

/// Writes column batches as one ORC file (ORC v1, file version 0.12, integer RLE version 2) through a
/// ``WritableFile``.
///
/// Batches are buffered until they hold about ``ORCWriteOptions/stripeSizeBytes`` (a batch that crosses the
/// limit is cut), then encoded as one stripe: per column a PRESENT stream only where the stripe has nulls, the
/// type's data streams, dictionary or direct encoding for strings chosen by cardinality, a row index every
/// ``ORCWriteOptions/rowIndexStride`` rows with positions and statistics, stripe statistics in the metadata and
/// file statistics in the footer. ``finishStripe()`` ends the current stripe early. ``close()`` writes the tail and
/// publishes the file; on any error the file is aborted, so nothing half-written becomes visible.
///
/// Size so far: ``bytesWritten`` (handed to the file) and ``bytesBuffered`` (rows not yet in a stripe, at their
/// in-memory size); ``estimatedFileBytes`` scales the buffered part by the compression seen in the stripes written, so a
/// caller can end the file at a target size.
///
/// Types: every Paimon type but MULTISET (see ``ORCSchema``). Limits: a stripe holds at most 2^31 - 1 values per
/// column (Weir's column batches limit strings to 2 GiB). Not for concurrent use.
public final class ORCFileWriter {
    public let schema: RowType
    public let options: ORCWriteOptions
    private let file: any WritableFile
    private let name: String
    private let root: ORCTypeNode
    private let types: [ORCType]
    private let compressor: ORCCompressor

    private var pending: [[Column]]
    private var pendingRows = 0
    private var pendingBytes = 0
    /// The in-memory bytes of the rows already written as stripes, and the stripes' bytes in the file.
    private var stripedRawBytes = 0
    private var stripedFileBytes: UInt64 = 0
    private var offset: UInt64 = 0
    private var stripes: [ORCStripeInformation] = []
    private var stripeStatistics: [ORCStripeStatistics] = []
    private var fileStatistics: [StatisticsBuilder]
    private var rowCount: UInt64 = 0
    private var finished = false

    static let magic: [UInt8] = Array("ORC".utf8)

    /// Checks the schema (valid, every type writable) and the options.
    public init(file: any WritableFile, schema: RowType, options: ORCWriteOptions = ORCWriteOptions()) throws {
        let name = file.path.description
        self.file = file
        self.name = name
        self.schema = schema
        self.options = options
        try options.validate(file: name)
        do {
            try schema.validate()
        } catch {
            throw ORCError(file: name, location: "schema", error.description)
        }
        do {
            types = try ORCSchema.types(for: schema)
            root = try ORCSchema.tree(types)
        } catch {
            throw error.in(file: name)
        }
        compressor = ORCCompressor(compression: options.compression, blockSize: options.compressionBlockSize)
        pending = Array(repeating: [], count: schema.fields.count)
        fileStatistics = []
        fileStatistics = (0..<types.count).map { StatisticsBuilder(kind: Self.statisticsKind(types[$0])) }
    }

    static func statisticsKind(_ type: ORCType) -> StatisticsBuilder.Kind {
        switch type.kind {
        case .boolean: .boolean
        case .byte, .short, .int, .long: .integer
        case .float, .double: .floating
        case .string, .char, .varchar: .string
        case .binary: .binary
        case .decimal: .decimal(scale: Int(type.scale ?? 0))
        case .date: .date
        case .timestamp, .timestampInstant: .timestamp
        case .list, .map: .collection
        default: .structure
        }
    }

    /// Buffers a batch (its schema must equal the writer's), writing stripes as they fill up.
    public func write(_ batch: ColumnBatch) async throws {
        guard !finished else { throw ORCError(file: name, location: "write", "the writer is closed") }
        do {
            guard batch.schema == schema else {
                throw ORCError(file: name, location: "write", "the batch's schema \(batch.schema.fields.map { "\($0.name) \($0.type)" }) differs from the writer's")
            }
            do {
                try batch.validate()
            } catch {
                throw ORCError(file: name, location: "write", "invalid batch: \(error.description)")
            }
            var start = 0
            let rows = batch.rowCount
            let bytesPerRow = max(1, Self.estimatedBytes(batch.columns) / max(rows, 1))
            while start < rows {
                let room = max(1, (options.stripeSizeBytes - pendingBytes) / bytesPerRow)
                let take = min(rows - start, room)
                for (index, column) in batch.columns.enumerated() {
                    pending[index].append(ColumnAssembly.slice(column, start..<(start + take)))
                }
                pendingRows += take
                pendingBytes += take * bytesPerRow
                start += take
                if pendingBytes >= options.stripeSizeBytes || pendingRows >= Int(Int32.max) / 2 {
                    try await flushStripe()
                }
            }
        } catch {
            await fail()
            throw error
        }
    }

    /// Ends the current stripe now (if it has rows), whatever its size: for callers that align stripes with something
    /// of their own or want the file's compression known early.
    public func finishStripe() async throws {
        guard !finished else { throw ORCError(file: name, location: "finish stripe", "the writer is closed") }
        do {
            try await flushStripe()
        } catch {
            await fail()
            throw error
        }
    }

    /// Bytes handed to the file so far: the header and every stripe written (the tail comes at ``close()``).
    public var bytesWritten: Int64 { Int64(offset) }

    /// The in-memory size of the rows buffered for the next stripe (the measure ``ORCWriteOptions/stripeSizeBytes``
    /// is compared with; encoded, they take less).
    public var bytesBuffered: Int { pendingBytes }

    /// The rows buffered for the next stripe.
    public var rowsBuffered: Int { pendingRows }

    /// What the file would take if closed now, less the tail: ``bytesWritten`` plus ``bytesBuffered`` scaled by the
    /// ratio of stripe bytes to in-memory bytes of the stripes written so far (unscaled before the first stripe).
    public var estimatedFileBytes: Int64 {
        guard stripedRawBytes > 0 else { return bytesWritten + Int64(pendingBytes) }
        let ratio = Double(stripedFileBytes) / Double(stripedRawBytes)
        return bytesWritten + Int64((Double(pendingBytes) * ratio).rounded(.up))
    }

    /// Writes the last stripe and the file tail, then publishes the file.
    public func close() async throws -> ORCWriteSummary {
        guard !finished else { throw ORCError(file: name, location: "close", "the writer is closed") }
        do {
            try await flushStripe()
            if offset == 0 { try await emit(Self.magic) }
            let metadata = try compressed(ORCMetadata(stripeStatistics: stripeStatistics).serialized())
            var footer = ORCFooter()
            footer.headerLength = UInt64(Self.magic.count)
            footer.contentLength = offset
            footer.stripes = stripes
            footer.types = types
            footer.metadata = options.userMetadata
            footer.numberOfRows = rowCount
            footer.statistics = fileStatistics.map { $0.message() }
            footer.rowIndexStride = UInt32(clamping: options.rowIndexStride)
            footer.writer = ORCWriter.writerCode
            footer.calendar = .prolepticGregorian
            footer.softwareVersion = ORCWriter.softwareVersion
            let footerBytes = try compressed(footer.serialized())
            var postScript = ORCPostScript()
            postScript.footerLength = UInt64(footerBytes.count)
            postScript.compression = options.compression.kind
            postScript.compressionBlockSize = UInt64(options.compressionBlockSize)
            postScript.version = [0, 12]
            postScript.metadataLength = UInt64(metadata.count)
            postScript.writerVersion = ORCWriter.writerVersion
            postScript.magic = "ORC"
            let postScriptBytes = postScript.serialized()
            guard postScriptBytes.count < 256 else {
                throw ORCError(file: name, location: "postscript", "postscript of \(postScriptBytes.count) bytes does not fit the 1-byte length")
            }
            try await emit(metadata + footerBytes + postScriptBytes + [UInt8(postScriptBytes.count)])
            finished = true
            try await file.close()
            let fieldIds = root.children.map(\.id)
            return ORCWriteSummary(rowCount: Int64(rowCount), stripeCount: stripes.count, fileBytes: Int64(offset),
                                   statistics: footer.statistics, fieldColumnIds: fieldIds)
        } catch {
            await fail()
            throw error
        }
    }

    /// Discards everything written; nothing becomes visible.
    public func abort() async {
        await fail()
    }

    private func fail() async {
        finished = true
        await file.abort()
    }

    private func emit(_ bytes: [UInt8]) async throws {
        try await file.write(bytes)
        offset += UInt64(bytes.count)
    }

    private func compressed(_ bytes: [UInt8]) throws(ORCError) -> [UInt8] {
        do {
            return try compressor.frame(bytes).bytes
        } catch {
            throw error.in(file: name)
        }
    }

    /// Bytes the columns hold in memory: the measure of a stripe's size.
    static func estimatedBytes(_ columns: [Column]) -> Int {
        columns.reduce(0) { $0 + estimatedBytes($1) }
    }

    static func estimatedBytes(_ column: Column) -> Int {
        let validity = column.validity == nil ? 0 : column.count / 8
        switch column.values {
        case .boolean(let b): return validity + b.count / 8 + 1
        case .int8(let v): return validity + v.count
        case .int16(let v): return validity + v.count * 2
        case .int32(let v): return validity + v.count * 4
        case .int64(let v): return validity + v.count * 8
        case .int128(let v): return validity + v.count * 16
        case .float32(let v): return validity + v.count * 4
        case .float64(let v): return validity + v.count * 8
        case .bytes(let s): return validity + s.data.count + s.offsets.count * 4
        case .list(let o, let e): return validity + o.count * 4 + estimatedBytes(e)
        case .map(let o, let k, let v): return validity + o.count * 4 + estimatedBytes(k) + estimatedBytes(v)
        case .row(let c): return validity + estimatedBytes(c)
        }
    }

    private func flushStripe() async throws {
        guard pendingRows > 0 else { return }
        if offset == 0 { try await emit(Self.magic) }
        let fields = pending.map { ColumnAssembly.concat($0) }
        let rows = pendingRows
        let raw = pendingBytes
        pending = Array(repeating: [], count: schema.fields.count)
        pendingRows = 0
        pendingBytes = 0

        var encoder = StripeEncoder(options: options, file: name, columnCount: types.count)
        do {
            try encoder.encodeRoot(fields, node: root, rows: rows)
        } catch {
            throw error.in(file: name)
        }
        let (bytes, info, stats) = try assemble(encoder, rows: rows)
        stripes.append(ORCStripeInformation(offset: offset, indexLength: info.indexLength, dataLength: info.dataLength,
                                            footerLength: info.footerLength, numberOfRows: UInt64(rows)))
        stripeStatistics.append(ORCStripeStatistics(columns: stats.map { $0.message() }))
        for (index, s) in stats.enumerated() { fileStatistics[index].merge(s) }
        rowCount += UInt64(rows)
        try await emit(bytes)
        stripedRawBytes += raw
        stripedFileBytes += UInt64(bytes.count)
    }

    /// Lays out a stripe: row indexes, then data streams, then the stripe footer.
    private func assemble(_ encoder: StripeEncoder, rows: Int) throws(ORCError) -> ([UInt8], ORCStripeInformation, [StatisticsBuilder]) {
        var index: [UInt8] = []
        var data: [UInt8] = []
        var indexStreams: [ORCStream] = []
        var dataStreams: [ORCStream] = []
        var encodings: [ORCColumnEncoding] = []
        var stripeStats: [StatisticsBuilder] = []
        do throws(ORCError) {
            for (id, column) in encoder.columns.enumerated() {
                guard let column else {
                    throw ORCError(file: name, location: "column \(id)", "the encoder produced no output for this column")
                }
                var framed: [ORCCompressor.Framed] = []
                var onDisk: UInt64 = 0
                for stream in column.streams {
                    let f = try compressor.frame(stream.bytes)
                    framed.append(f)
                    dataStreams.append(ORCStream(kind: stream.kind, column: UInt32(id), length: UInt64(f.bytes.count)))
                    data.append(contentsOf: f.bytes)
                    onDisk += UInt64(f.bytes.count)
                }
                var merged = StatisticsBuilder(kind: Self.statisticsKind(types[id]))
                for s in column.groupStatistics { merged.merge(s) }
                merged.bytesOnDisk = onDisk
                stripeStats.append(merged)
                encodings.append(column.encoding)

                if options.rowIndexStride > 0 {
                    var rowIndex = ORCRowIndex()
                    for (g, stats) in column.groupStatistics.enumerated() {
                        var positions: [UInt64] = []
                        for (stream, f) in zip(column.streams, framed) where stream.positioned {
                            f.position(of: stream.offsets[g], into: &positions)
                            positions.append(contentsOf: stream.counts[(g * stream.countsPerMark)..<((g + 1) * stream.countsPerMark)])
                        }
                        rowIndex.entries.append(ORCRowIndexEntry(positions: positions, statistics: stats.message()))
                    }
                    let f = try compressor.frame(rowIndex.serialized())
                    indexStreams.append(ORCStream(kind: .rowIndex, column: UInt32(id), length: UInt64(f.bytes.count)))
                    index.append(contentsOf: f.bytes)
                }
            }
            let footer = ORCStripeFooter(streams: indexStreams + dataStreams, columns: encodings, writerTimezone: ORCWriter.timezone)
            let footerBytes = try compressor.frame(footer.serialized()).bytes
            let info = ORCStripeInformation(indexLength: UInt64(index.count), dataLength: UInt64(data.count),
                                            footerLength: UInt64(footerBytes.count), numberOfRows: UInt64(rows))
            return (index + data + footerBytes, info, stripeStats)
        } catch {
            throw error.in(file: name)
        }
    }
}

extension ORCError {
    /// This error with `file` filled in where it is empty (decoders below the file level leave it empty).
    func `in`(file: String) -> ORCError {
        var copy = self
        if copy.file.isEmpty { copy.file = file }
        return copy
    }
}
