import WeirColumnar
import WeirFileIO

/// One row group as the footer describes it.
public struct ParquetRowGroupInfo: Sendable, Equatable {
    public var rowCount: Int64
    /// Uncompressed bytes of all its column chunks (`total_byte_size`).
    public var totalByteSize: Int64
    /// Bytes of all its column chunks as stored.
    public var compressedBytes: Int64
    /// Statistics of each top-level field, in schema order; nil for nested fields.
    public var columns: [ParquetColumnStatistics?]
}

/// Reads a Parquet file through ranged reads: the footer first (the last 64 KiB, then exactly the rest of the footer if
/// it is longer), then only the column chunks of the row groups and columns asked for (adjacent chunks in one read).
///
/// Contract: every failure is a ``ParquetError`` naming the file, where in it and what is wrong; allocations are
/// bounded by the file's size or by ``ParquetReadOptions``; every returned batch has passed
/// `ColumnBatch.validate()`. The reader reads through one ``ReadableFile`` and is not for concurrent use by several
/// tasks at once.
public final class ParquetFileReader: Sendable {
    /// The file's name in errors (a URI or path).
    public let name: String
    let file: any ReadableFile
    let footer: ParquetFooter
    let options: ParquetReadOptions

    /// Opens `path` on `io` and reads its footer.
    public static func open(io: any FileIO, path: StoragePath, options: ParquetReadOptions = ParquetReadOptions()) async throws(ParquetError) -> ParquetFileReader {
        let file = try await withParquetContext(file: path.description) { try await io.openForReading(path) }
        do {
            return try await ParquetFileReader(file: file, name: path.description, options: options)
        } catch {
            await file.close()
            throw error
        }
    }

    /// Reads the footer of an open file (which the reader then owns: ``close()`` closes it).
    public init(file: any ReadableFile, name: String? = nil, options: ParquetReadOptions = ParquetReadOptions()) async throws(ParquetError) {
        let name = name ?? file.path.description
        self.name = name
        self.file = file
        self.options = options
        let size = file.size
        let tailLength = Int(min(size, Int64(ParquetFooter.tailBytes)))
        let tail = try await withParquetContext(file: name, location: "footer") {
            try await file.read(at: size - Int64(tailLength), count: tailLength)
        }
        guard tail.count == tailLength else {
            throw ParquetError(file: name, location: "footer", "read \(tail.count) of the last \(tailLength) bytes")
        }
        let length = try withParquetContextSync(file: name) { try ParquetFooter.metadataLength(tail: tail, fileSize: size, options: options) }
        var metadata: [UInt8]
        if length + 8 <= tailLength {
            metadata = Array(tail[(tailLength - 8 - length) ..< (tailLength - 8)])
        } else {
            let missing = length + 8 - tailLength
            metadata = try await withParquetContext(file: name, location: "footer") {
                try await file.read(at: size - 8 - Int64(length), count: missing)
            }
            guard metadata.count == missing else {
                throw ParquetError(file: name, location: "footer", "read \(metadata.count) of \(missing) footer bytes")
            }
            metadata += tail[..<(tailLength - 8)]
        }
        if Int64(tailLength) == size, Array(tail[0..<4]) != parquetMagic {
            throw ParquetError(file: name, location: "header", "the file does not start with the Parquet magic PAR1")
        }
        let parsedMetadata = metadata
        footer = try withParquetContextSync(file: name) {
            try ParquetFooter(metadataBytes: parsedMetadata, fileSize: size, options: options)
        }
    }

    /// The file's columns as Paimon types (see ``FileSchema`` in the sources for the mapping).
    public var schema: RowType { footer.schema.rowType }

    /// The number of rows the footer states.
    public var rowCount: Int64 { footer.metadata.numRows }

    /// The footer's `created_by`.
    public var createdBy: String? { footer.metadata.createdBy }

    /// The footer's key-value metadata.
    public var keyValueMetadata: [(key: String, value: String?)] {
        (footer.metadata.keyValueMetadata ?? []).map { ($0.key, $0.value) }
    }

    /// The row groups with their sizes and column statistics.
    public var rowGroups: [ParquetRowGroupInfo] {
        footer.metadata.rowGroups.map { group in
            let columns: [ParquetColumnStatistics?] = footer.schema.shapes.map { shape in
                guard case .leaf(let leafIndex, let type, _, _) = shape else { return nil }
                let leaf = footer.schema.leaves[leafIndex]
                let stats = StatisticsDecoding.decode(group.columns[leafIndex].metaData?.statistics, leaf: leaf)
                return ParquetColumnStatistics(nullCount: stats.nullCount, distinctCount: stats.distinctCount,
                                               min: stats.min.flatMap { StatisticsDecoding.value($0, type: type) },
                                               max: stats.max.flatMap { StatisticsDecoding.value($0, type: type) })
            }
            let compressed = group.columns.reduce(Int64(0)) { $0 &+ ($1.metaData?.totalCompressedSize ?? 0) }
            return ParquetRowGroupInfo(rowCount: group.numRows, totalByteSize: group.totalByteSize,
                                       compressedBytes: compressed, columns: columns)
        }
    }

    /// The indices of the row groups that may hold rows matching `filter` (from statistics; see
    /// ``ParquetRowGroupFilter``).
    public func rowGroups(matching filter: ParquetRowGroupFilter) throws(ParquetError) -> [Int] {
        try withParquetContextSync(file: name) {
            try footer.metadata.rowGroups.indices.filter { try filter.mayMatch(rowGroup: $0, footer: footer) }
        }
    }

    /// Reads row group `rowGroup`: only the chunks of the top-level columns named in `projection` (all when nil), in
    /// that order.
    public func read(rowGroup: Int, projection: [String]? = nil) async throws(ParquetError) -> ColumnBatch {
        guard footer.metadata.rowGroups.indices.contains(rowGroup) else {
            throw ParquetError(file: name, location: "row group \(rowGroup)",
                               "no such row group (the file has \(footer.metadata.rowGroups.count))")
        }
        let fields = try withParquetContextSync(file: name) { try footer.fieldIndices(projection) }
        let locations = footer.chunkLocations(rowGroup: rowGroup, fields: fields)
        var fetched: [(offset: Int64, bytes: [UInt8])] = []
        for range in ParquetFooter.coalesce(locations) {
            let bytes = try await withParquetContext(file: name, location: "row group \(rowGroup), bytes \(range.offset)..<\(range.offset + Int64(range.length))") {
                try await file.read(at: range.offset, count: range.length)
            }
            guard bytes.count == range.length else {
                throw ParquetError(file: name, location: "row group \(rowGroup)", "read \(bytes.count) of \(range.length) bytes at \(range.offset)")
            }
            fetched.append((range.offset, bytes))
        }
        let chunks = fetched
        return try withParquetContextSync(file: name) {
            try footer.decode(rowGroup: rowGroup, fields: fields, fetched: chunks, options: options)
        }
    }

    /// Every row group, one batch each.
    public func readAll(projection: [String]? = nil) async throws(ParquetError) -> [ColumnBatch] {
        var batches: [ColumnBatch] = []
        for index in footer.metadata.rowGroups.indices {
            batches.append(try await read(rowGroup: index, projection: projection))
        }
        return batches
    }

    /// Closes the file.
    public func close() async {
        await file.close()
    }
}
