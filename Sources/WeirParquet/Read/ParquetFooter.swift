import WeirColumnar

/// The magic bytes at both ends of a Parquet file.
let parquetMagic: [UInt8] = Array("PAR1".utf8)
/// The magic of files with an encrypted footer (refused).
let parquetEncryptedMagic: [UInt8] = Array("PARE".utf8)

/// A parsed and checked footer: the file's metadata, its schema, and where everything is.
///
/// Checks made when parsing (so every later read can trust them): not encrypted; every row group has one chunk per
/// leaf column with metadata, of the leaf's physical type and path, a known codec, a value count and row count within
/// ``ParquetReadOptions/valuesPerColumnChunkMax``, and a byte range inside the file between the leading magic and the
/// footer of at most ``ParquetReadOptions/columnChunkBytesMax`` bytes.
struct ParquetFooter: Sendable {
    let fileSize: Int64
    /// File offset of the serialized FileMetaData.
    let metadataOffset: Int64
    let metadataLength: Int
    let metadata: FileMetaData
    let schema: FileSchema

    /// The byte range of one column chunk in the file, and what decoding it needs.
    struct ChunkLocation: Sendable {
        var leaf: Int
        var offset: Int64
        var length: Int
        var numValues: Int
        /// The chunk's `total_uncompressed_size` as the file claims it (a hint for sizing buffers, never trusted).
        var uncompressedBytes: Int64
        var codec: CompressionKind
    }

    static let tailBytes = 64 << 10

    /// The length of the footer's metadata from the file's last 8 bytes (`tail` ends at the end of the file).
    static func metadataLength(tail: [UInt8], fileSize: Int64, options: ParquetReadOptions) throws(ParquetError) -> Int {
        guard fileSize >= 12, tail.count >= 8 else {
            throw ParquetError(file: "", location: "footer", "\(fileSize) bytes is too short for a Parquet file (at least 12)")
        }
        let magic = Array(tail[(tail.count - 4)...])
        if magic == parquetEncryptedMagic {
            throw ParquetError(file: "", location: "footer", "the footer is encrypted (PARE), which is not supported")
        }
        guard magic == parquetMagic else {
            throw ParquetError(file: "", location: "footer", "the file does not end with the Parquet magic PAR1 (found \(magic.map { String($0, radix: 16) }))")
        }
        let n = tail.count
        let length = Int(UInt32(tail[n - 8]) | UInt32(tail[n - 7]) << 8 | UInt32(tail[n - 6]) << 16 | UInt32(tail[n - 5]) << 24)
        guard Int64(length) <= fileSize - 12 else {
            throw ParquetError(file: "", location: "footer", "footer length \(length) reaches past the start of the \(fileSize)-byte file")
        }
        guard length <= options.footerBytesMax else {
            throw ParquetError(file: "", location: "footer", "footer length \(length) is over the limit of \(options.footerBytesMax) bytes")
        }
        return length
    }

    /// Parses the metadata bytes and checks them against the file.
    init(metadataBytes: [UInt8], fileSize: Int64, options: ParquetReadOptions) throws(ParquetError) {
        let offset = fileSize - 8 - Int64(metadataBytes.count)
        let metadata = try metadataBytes.withRawBytes { (raw) throws(ParquetError) -> FileMetaData in
            var reader = try ThriftCompactReader(raw, origin: Int(offset), limits: options.thrift)
            return try FileMetaData(thrift: &reader)
        }
        do throws(ParquetError) {
            guard !metadata.isEncrypted else { throw ParquetError.corrupt("the file is encrypted, which is not supported") }
            let schema = try FileSchema(elements: metadata.schema, depthMax: options.schemaDepthMax)
            for (index, group) in metadata.rowGroups.enumerated() {
                try Self.check(group, index: index, schema: schema, dataEnd: offset, options: options)
            }
            self.schema = schema
        } catch {
            throw error.in(file: "", location: "footer")
        }
        self.fileSize = fileSize
        self.metadataOffset = offset
        self.metadataLength = metadataBytes.count
        self.metadata = metadata
    }

    private static func check(_ group: RowGroup, index: Int, schema: FileSchema, dataEnd: Int64,
                              options: ParquetReadOptions) throws(ParquetError) {
        let location = "row group \(index)"
        guard group.numRows >= 0, group.numRows <= Int64(options.valuesPerColumnChunkMax) else {
            throw ParquetError.corrupt("\(location) claims \(group.numRows) rows; the limit is \(options.valuesPerColumnChunkMax)")
        }
        guard group.columns.count == schema.leaves.count else {
            throw ParquetError.corrupt("\(location) has \(group.columns.count) column chunks for \(schema.leaves.count) leaf columns")
        }
        for (leafIndex, chunk) in group.columns.enumerated() {
            let leaf = schema.leaves[leafIndex]
            let at = "\(location), column \(leaf.pathString)"
            guard !chunk.isEncrypted else { throw ParquetError.corrupt("\(at) is encrypted, which is not supported") }
            guard chunk.filePath == nil else { throw ParquetError.corrupt("\(at) lives in another file, which is not supported") }
            guard let meta = chunk.metaData else { throw ParquetError.corrupt("\(at) has no metadata") }
            guard meta.type == leaf.physical.rawValue else {
                throw ParquetError.corrupt("\(at) is stored as type \(meta.type) but the schema says \(leaf.physical)")
            }
            guard meta.pathInSchema == leaf.path else {
                throw ParquetError.corrupt("\(at): the chunk's path is \(meta.pathInSchema.joined(separator: "."))")
            }
            guard CompressionKind(rawValue: meta.codec) != nil else { throw ParquetError.corrupt("\(at) uses unknown codec \(meta.codec)") }
            guard meta.numValues >= 0, meta.numValues <= Int64(options.valuesPerColumnChunkMax) else {
                throw ParquetError.corrupt("\(at) claims \(meta.numValues) values; the limit is \(options.valuesPerColumnChunkMax)")
            }
            let (start, length) = range(meta)
            guard length >= 0, length <= Int64(options.columnChunkBytesMax) else {
                throw ParquetError.corrupt("\(at) claims \(length) bytes; the limit is \(options.columnChunkBytesMax)")
            }
            guard start >= 4, start <= dataEnd, length <= dataEnd - start else {
                throw ParquetError.corrupt("\(at) spans bytes \(start)..<\(start &+ length), outside the data (4..<\(dataEnd))")
            }
        }
    }

    /// Start and length of a chunk: from its dictionary page when it has one, else its first data page.
    private static func range(_ meta: ColumnMetaData) -> (Int64, Int64) {
        var start = meta.dataPageOffset
        if let dictionary = meta.dictionaryPageOffset, dictionary > 0, dictionary < start { start = dictionary }
        return (start, meta.totalCompressedSize)
    }

    /// The top-level fields selected by `projection` (all when nil), as indices into the schema.
    func fieldIndices(_ projection: [String]?) throws(ParquetError) -> [Int] {
        guard let projection else { return Array(schema.rowType.fields.indices) }
        var seen = Set<String>()
        var indices: [Int] = []
        for name in projection {
            guard seen.insert(name).inserted else { throw ParquetError(file: "", location: "projection", "column \(name) is named twice") }
            guard let index = schema.rowType.index(of: name) else {
                throw ParquetError(file: "", location: "projection", "no column named \(name) (the file has \(schema.rowType.fieldNames.joined(separator: ", ")))")
            }
            indices.append(index)
        }
        return indices
    }

    /// The chunks to fetch for `fields` of row group `rowGroup`.
    func chunkLocations(rowGroup: Int, fields: [Int]) -> [ChunkLocation] {
        let group = metadata.rowGroups[rowGroup]
        var locations: [ChunkLocation] = []
        for field in fields {
            for leaf in schema.shapes[field].leaves {
                let meta = group.columns[leaf].metaData!
                let (start, length) = Self.range(meta)
                locations.append(ChunkLocation(leaf: leaf, offset: start, length: Int(length), numValues: Int(meta.numValues),
                                               uncompressedBytes: meta.totalUncompressedSize,
                                               codec: CompressionKind(rawValue: meta.codec)!))
            }
        }
        return locations
    }

    /// Byte ranges covering `locations`, with ranges that touch or overlap merged (one read each).
    static func coalesce(_ locations: [ChunkLocation]) -> [(offset: Int64, length: Int)] {
        var ranges: [(offset: Int64, length: Int)] = []
        for location in locations.sorted(by: { $0.offset < $1.offset }) where location.length > 0 {
            if let last = ranges.last, location.offset <= last.offset + Int64(last.length) {
                let end = max(last.offset + Int64(last.length), location.offset + Int64(location.length))
                ranges[ranges.count - 1].length = Int(end - last.offset)
            } else {
                ranges.append((location.offset, location.length))
            }
        }
        return ranges
    }

    /// Decodes `fields` of row group `rowGroup` from fetched byte ranges (which must cover the chunk locations).
    func decode(rowGroup: Int, fields: [Int], fetched: [(offset: Int64, bytes: [UInt8])],
                options: ParquetReadOptions) throws(ParquetError) -> ColumnBatch {
        let group = metadata.rowGroups[rowGroup]
        let rowCount = Int(group.numRows)
        var chunks: [Int: LeafChunk] = [:]
        let locations = chunkLocations(rowGroup: rowGroup, fields: fields)
        let claimed = locations.reduce(0) { $0 + $1.numValues }
        guard claimed <= options.valuesPerRowGroupMax else {
            throw ParquetError(file: "", location: "row group \(rowGroup)",
                               "the columns read claim \(claimed) values together; the limit is \(options.valuesPerRowGroupMax)")
        }
        for location in locations {
            let leaf = schema.leaves[location.leaf]
            if location.length == 0 {
                do throws(ParquetError) {
                    chunks[location.leaf] = try ColumnChunkDecoder.decode(
                        UnsafeRawBufferPointer(start: nil, count: 0), fileOffset: location.offset, leaf: leaf,
                        codec: location.codec, numValues: location.numValues, uncompressedBytes: 0, options: options)
                } catch {
                    throw error.in(file: "", location: "row group \(rowGroup), column \(leaf.pathString)")
                }
                continue
            }
            guard let range = fetched.first(where: { $0.offset <= location.offset
                && location.offset + Int64(location.length) <= $0.offset + Int64($0.bytes.count) }) else {
                throw ParquetError(file: "", location: "row group \(rowGroup), column \(leaf.pathString)",
                                   "internal: the chunk's bytes were not fetched")
            }
            let start = Int(location.offset - range.offset)
            do throws(ParquetError) {
                chunks[location.leaf] = try range.bytes.withRawBytes { (raw) throws(ParquetError) -> LeafChunk in
                    try ColumnChunkDecoder.decode(UnsafeRawBufferPointer(rebasing: raw[start ..< start + location.length]),
                                                  fileOffset: location.offset, leaf: leaf, codec: location.codec,
                                                  numValues: location.numValues,
                                                  uncompressedBytes: location.uncompressedBytes, options: options)
                }
            } catch {
                throw error.in(file: "", location: "row group \(rowGroup), column \(leaf.pathString)")
            }
        }
        let assembler = ColumnAssembler(leaves: schema.leaves, chunks: chunks)
        var columns: [Column] = []
        var selected: [DataField] = []
        for field in fields {
            let shape = schema.shapes[field]
            let name = schema.rowType.fields[field].name
            do throws(ParquetError) {
                columns.append(try assembler.column(shape, rowCount: rowCount))
            } catch {
                throw error.in(file: "", location: "row group \(rowGroup), column \(name)")
            }
            selected.append(schema.rowType.fields[field])
        }
        let batch = ColumnBatch(schema: RowType(selected), columns: columns)
        do throws(ColumnarError) {
            try batch.validate()
        } catch {
            throw ParquetError(file: "", location: "row group \(rowGroup)", "decoded values are inconsistent: \(error.description)")
        }
        return batch
    }
}
