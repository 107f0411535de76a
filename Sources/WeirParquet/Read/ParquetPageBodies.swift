/// The compressed part of one page of a column chunk as stored: for a dictionary page or a data page v1 the whole
/// body (levels and values), for a data page v2 the values after the uncompressed levels.
public struct ParquetPageBody: Sendable {
    /// The codec's name as Parquet spells it (`ZSTD`, `SNAPPY`, …); `UNCOMPRESSED` for a v2 page stored uncompressed.
    public var codec: String
    /// The size of ``bytes`` once decompressed, as the page header states it.
    public var uncompressedBytes: Int
    /// The stored (compressed) bytes.
    public var bytes: [UInt8]
}

extension ParquetFileReader {
    /// The page bodies of every column chunk of row group `rowGroup`, in column then file order, without decoding or
    /// decompressing them: what a reader of the row group decompresses (for measuring codecs on a file's own data).
    /// Index pages are left out. Page sizes are checked against the chunk and ``ParquetReadOptions/pageBytesMax``.
    public func pageBodies(rowGroup: Int) async throws(ParquetError) -> [ParquetPageBody] {
        guard footer.metadata.rowGroups.indices.contains(rowGroup) else {
            throw ParquetError(file: name, location: "row group \(rowGroup)",
                               "no such row group (the file has \(footer.metadata.rowGroups.count))")
        }
        let locations = footer.chunkLocations(rowGroup: rowGroup, fields: Array(footer.schema.shapes.indices))
        var pages: [ParquetPageBody] = []
        for location in locations where location.length > 0 {
            let place = "row group \(rowGroup), bytes \(location.offset)..<\(location.offset + Int64(location.length))"
            let chunk = try await withParquetContext(file: name, location: place) {
                try await file.read(at: location.offset, count: location.length)
            }
            guard chunk.count == location.length else {
                throw ParquetError(file: name, location: place, "read \(chunk.count) of \(location.length) bytes")
            }
            let codec = location.codec, offset = location.offset, options = options
            pages += try withParquetContextSync(file: name) {
                try Self.splitPages(chunk, fileOffset: offset, codec: codec, options: options)
            }
        }
        return pages
    }

    /// The pages of one column chunk held in `chunk` (which starts at file offset `fileOffset`).
    static func splitPages(_ chunk: [UInt8], fileOffset: Int64, codec: CompressionKind,
                           options: ParquetReadOptions) throws(ParquetError) -> [ParquetPageBody] {
        try chunk.withRawBytes { (bytes) throws(ParquetError) -> [ParquetPageBody] in
            var pages: [ParquetPageBody] = []
            var position = 0
            while position < bytes.count {
                let pageOffset = fileOffset + Int64(position)
                do throws(ParquetError) {
                    let page = try PageHeaderScan(bytes, at: position, fileOffset: fileOffset, options: options)
                    let header = page.header, compressed = page.bodyEnd - page.bodyStart
                    var start = page.bodyStart, uncompressed = Int(header.uncompressedPageSize), pageCodec = codec
                    position = page.bodyEnd
                    switch PageType(rawValue: header.type) {
                    case .dictionaryPage?, .dataPage?:
                        break
                    case .dataPageV2?:
                        guard let v2 = header.dataPageHeaderV2 else { throw ParquetError.corrupt("data page v2 without its header") }
                        let levels = Int(v2.repetitionLevelsByteLength) + Int(v2.definitionLevelsByteLength)
                        guard v2.repetitionLevelsByteLength >= 0, v2.definitionLevelsByteLength >= 0,
                              levels <= compressed, levels <= uncompressed else {
                            throw ParquetError.corrupt("levels of \(levels) bytes do not fit the page")
                        }
                        start += levels
                        uncompressed -= levels
                        if !v2.isCompressed { pageCodec = .uncompressed }
                    case .indexPage?:
                        continue
                    case nil:
                        throw ParquetError.corrupt("unknown page type \(header.type)")
                    }
                    pages.append(ParquetPageBody(codec: pageCodec.description, uncompressedBytes: uncompressed,
                                                 bytes: Array(bytes[start ..< position])))
                } catch {
                    throw error.in(file: "", location: "page at \(pageOffset)")
                }
            }
            return pages
        }
    }
}
