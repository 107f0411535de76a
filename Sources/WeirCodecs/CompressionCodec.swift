/// The compression codecs the file formats name, with one entry point each for compressing and decompressing, so
/// Parquet, ORC and Avro code dispatches here instead of knowing every library.
///
/// | case | format | used by |
/// | --- | --- | --- |
/// | `uncompressed` | the bytes as they are | all |
/// | `snappy` | raw Snappy (``Snappy``) | Parquet `SNAPPY`, ORC `SNAPPY`, Avro `snappy` (Avro adds a CRC-32 the Avro layer checks) |
/// | `gzip` | gzip members (``Deflate``) | Parquet `GZIP` |
/// | `zstd(level:)` | zstd frames (``Zstd``) | Parquet `ZSTD`, ORC `ZSTD`, Avro `zstandard` |
/// | `lz4Raw` | one raw LZ4 block (``LZ4``) | Parquet `LZ4_RAW`, ORC `LZ4` |
/// | `lz4Frame` | LZ4 frames (``LZ4``) | `.lz4` files |
/// | `deflate` | raw deflate (``Deflate``) | Avro `deflate`, ORC `ZLIB` |
/// | `zlib` | zlib-wrapped deflate (``Deflate``) | zlib streams |
///
/// Decompression is always bounded by the caller: ``decompress(_:uncompressedBytesMax:)`` when only a limit is known,
/// ``decompress(_:uncompressedBytes:)`` when the format records the exact size (Parquet page headers, ORC chunks).
public enum CompressionCodec: Sendable, Hashable, CustomStringConvertible {
    case uncompressed
    case snappy
    case gzip
    /// `level` is used when compressing (see ``Zstd/levelRange``); any level decompresses any frame.
    case zstd(level: Int32 = Zstd.defaultLevel)
    case lz4Raw
    case lz4Frame
    case deflate
    case zlib

    /// Short lower-case name, the same as in ``CodecError/codec``.
    public var description: String {
        switch self {
        case .uncompressed: "uncompressed"
        case .snappy: Snappy.name
        case .gzip: Deflate.Format.gzip.name
        case .zstd: Zstd.name
        case .lz4Raw: LZ4.blockName
        case .lz4Frame: LZ4.frameName
        case .deflate: Deflate.Format.raw.name
        case .zlib: Deflate.Format.zlib.name
        }
    }

    /// `input` compressed with this codec (zlib-family and LZ4 frames at their default levels).
    public func compress<C: Collection<UInt8>>(_ input: C) throws(CodecError) -> [UInt8] {
        switch self {
        case .uncompressed: Array(input)
        case .snappy: try Snappy.compress(input)
        case .gzip: try Deflate.compress(input, format: .gzip)
        case .zstd(let level): try Zstd.compress(input, level: level)
        case .lz4Raw: try LZ4.compressBlock(input)
        case .lz4Frame: try LZ4.compressFrame(input)
        case .deflate: try Deflate.compress(input, format: .raw)
        case .zlib: try Deflate.compress(input, format: .zlib)
        }
    }

    /// `input` decompressed, at most `uncompressedBytesMax` bytes (`tooLarge` beyond; `uncompressed` input longer
    /// than the limit is `tooLarge` too).
    public func decompress<C: Collection<UInt8>>(_ input: C, uncompressedBytesMax: Int) throws(CodecError) -> [UInt8] {
        switch self {
        case .uncompressed:
            try checkLimit(description, uncompressedBytesMax)
            guard input.count <= uncompressedBytesMax else {
                throw .tooLarge(description, "\(input.count) bytes, more than the limit of \(uncompressedBytesMax)")
            }
            return Array(input)
        case .snappy: return try Snappy.decompress(input, uncompressedBytesMax: uncompressedBytesMax)
        case .gzip: return try Deflate.decompress(input, format: .gzip, uncompressedBytesMax: uncompressedBytesMax)
        case .zstd: return try Zstd.decompress(input, uncompressedBytesMax: uncompressedBytesMax)
        case .lz4Raw: return try LZ4.decompressBlock(input, uncompressedBytesMax: uncompressedBytesMax)
        case .lz4Frame: return try LZ4.decompressFrame(input, uncompressedBytesMax: uncompressedBytesMax)
        case .deflate: return try Deflate.decompress(input, format: .raw, uncompressedBytesMax: uncompressedBytesMax)
        case .zlib: return try Deflate.decompress(input, format: .zlib, uncompressedBytesMax: uncompressedBytesMax)
        }
    }

    /// `input` decompressed, which must give exactly `uncompressedBytes` bytes (`corrupt` otherwise, more or fewer).
    /// The size is trusted as an allocation size by some codecs: callers bound it first.
    public func decompress<C: Collection<UInt8>>(_ input: C, uncompressedBytes: Int) throws(CodecError) -> [UInt8] {
        guard uncompressedBytes >= 0 else {
            throw .invalidArgument(description, "uncompressedBytes must be >= 0, got \(uncompressedBytes)")
        }
        let output: [UInt8]
        switch self {
        case .zstd: return try Zstd.decompress(input, uncompressedBytes: uncompressedBytes)
        case .lz4Raw: return try LZ4.decompressBlock(input, uncompressedBytes: uncompressedBytes)
        case .uncompressed: output = Array(input)
        default:
            do throws(CodecError) {
                output = try decompress(input, uncompressedBytesMax: uncompressedBytes)
            } catch where error.kind == .tooLarge {
                // More than the recorded size is a mismatch with the file's own metadata, as for zstd and LZ4.
                throw .corrupt(description, "data decompresses to more than the expected \(uncompressedBytes) bytes "
                               + "(\(error.message))", offset: error.offset)
            }
        }
        guard output.count == uncompressedBytes else {
            throw .corrupt(description, "data decompresses to \(output.count) bytes, expected \(uncompressedBytes)")
        }
        return output
    }
}
