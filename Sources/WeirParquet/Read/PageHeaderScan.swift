/// One page header read from a column chunk, with its body's place checked against the chunk and the options.
struct PageHeaderScan {
    var header: PageHeader
    /// The body's bytes within the chunk: `bodyStart ..< bodyEnd` (`bodyEnd` is where the next page's header starts).
    var bodyStart: Int
    var bodyEnd: Int

    /// Reads the header at `position` of `chunk` (which starts at file offset `fileOffset`, for error locations):
    /// the Thrift header is read within ``ParquetReadOptions/thrift``'s limits; the compressed size must fit the rest
    /// of the chunk and the uncompressed size ``ParquetReadOptions/pageBytesMax``.
    init(_ chunk: UnsafeRawBufferPointer, at position: Int, fileOffset: Int64, options: ParquetReadOptions) throws(ParquetError) {
        let rest = UnsafeRawBufferPointer(rebasing: chunk[position...])
        var reader = try ThriftCompactReader(
            UnsafeRawBufferPointer(rebasing: rest.prefix(min(rest.count, options.thrift.totalBytesMax))),
            origin: Int(fileOffset + Int64(position)), limits: options.thrift)
        header = try PageHeader(thrift: &reader)
        bodyStart = position + reader.position
        let compressed = Int(header.compressedPageSize)
        guard compressed >= 0, compressed <= chunk.count - bodyStart else {
            throw ParquetError.corrupt("page header claims \(header.compressedPageSize) bytes, the chunk has \(chunk.count - bodyStart) left")
        }
        guard header.uncompressedPageSize >= 0, Int(header.uncompressedPageSize) <= options.pageBytesMax else {
            throw ParquetError.corrupt("page header claims \(header.uncompressedPageSize) uncompressed bytes; the limit is \(options.pageBytesMax)")
        }
        bodyEnd = bodyStart + compressed
    }
}
