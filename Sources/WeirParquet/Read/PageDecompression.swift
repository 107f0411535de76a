import WeirCodecs

/// Decompression of page bodies for every codec Parquet names that this module reads: UNCOMPRESSED, SNAPPY, GZIP,
/// ZSTD, LZ4_RAW, and the deprecated LZ4 (Hadoop framing: blocks of `<4-byte BE uncompressed size> <4-byte BE
/// compressed size> <raw LZ4 block>`, with a fallback to one raw block as some old writers produced). LZO and BROTLI
/// are refused. The output size is the one the page header states and must be matched exactly.
enum PageDecompression {
    /// Runs `body` over the uncompressed bytes of `input` (no copy for UNCOMPRESSED).
    static func withDecompressed<R>(
        _ input: UnsafeRawBufferPointer, codec: CompressionKind, uncompressedBytes: Int,
        _ body: (UnsafeRawBufferPointer) throws(ParquetError) -> R
    ) throws(ParquetError) -> R {
        if codec == .uncompressed {
            guard input.count == uncompressedBytes else {
                throw ParquetError.corrupt("uncompressed page of \(input.count) bytes claims \(uncompressedBytes) uncompressed bytes")
            }
            return try body(input)
        }
        let output = try decompress(input, codec: codec, uncompressedBytes: uncompressedBytes)
        return try output.withRawBytes { (raw) throws(ParquetError) -> R in try body(raw) }
    }

    static func decompress(_ input: UnsafeRawBufferPointer, codec: CompressionKind, uncompressedBytes: Int) throws(ParquetError) -> [UInt8] {
        let library: CompressionCodec
        switch codec {
        case .uncompressed: library = .uncompressed
        case .snappy: library = .snappy
        case .gzip: library = .gzip
        case .zstd: library = .zstd()
        case .lz4Raw: library = .lz4Raw
        case .lz4: return try hadoopLZ4(input, uncompressedBytes: uncompressedBytes)
        case .lzo, .brotli: throw ParquetError.corrupt("pages compressed with \(codec) are not supported")
        }
        do {
            return try library.decompress(input, uncompressedBytes: uncompressedBytes)
        } catch {
            throw ParquetError.codec(error, what: "\(codec) page")
        }
    }

    static func hadoopLZ4(_ input: UnsafeRawBufferPointer, uncompressedBytes: Int) throws(ParquetError) -> [UInt8] {
        if let framed = try? hadoopFrames(input, uncompressedBytes: uncompressedBytes) { return framed }
        do {
            return try LZ4.decompressBlock(input, uncompressedBytes: uncompressedBytes)
        } catch {
            throw ParquetError.codec(error, what: "LZ4 (neither Hadoop-framed nor a raw block) page")
        }
    }

    private static func hadoopFrames(_ input: UnsafeRawBufferPointer, uncompressedBytes: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        var cursor = ByteCursor(input)
        while !cursor.isAtEnd {
            let decompressedSize = Int(try readBE32(&cursor))
            let compressedSize = Int(try readBE32(&cursor))
            guard decompressedSize <= uncompressedBytes - out.count else { throw ParquetError.corrupt("frame too large") }
            let block = try cursor.take(compressedSize, "frame")
            out += try LZ4.decompressBlock(block, uncompressedBytes: decompressedSize)
        }
        guard out.count == uncompressedBytes else { throw ParquetError.corrupt("frames hold \(out.count) bytes") }
        return out
    }

    private static func readBE32(_ cursor: inout ByteCursor) throws(ParquetError) -> UInt32 {
        let bytes = try cursor.take(4, "frame size")
        return UInt32(bigEndian: bytes.loadUnaligned(as: UInt32.self))
    }
}
