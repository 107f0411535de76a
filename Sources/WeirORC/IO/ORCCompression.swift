import WeirCodecs

/// The compression a writer applies to every stream, the footer and the metadata of a file (ORC v1 spec,
/// "Compression"). Maps onto ``CompressionCodec``: ZLIB is raw deflate, SNAPPY raw snappy, LZ4 one raw LZ4
/// block per chunk, ZSTD a zstd frame per chunk.
public enum ORCCompression: Sendable, Hashable, CustomStringConvertible {
    case none
    case zlib
    case snappy
    /// Level 1 is what Paimon and the ORC writers use by default.
    case zstd(level: Int32 = 1)
    case lz4

    /// The kind recorded in the postscript.
    public var kind: ORCCompressionKind {
        switch self {
        case .none: .none
        case .zlib: .zlib
        case .snappy: .snappy
        case .zstd: .zstd
        case .lz4: .lz4
        }
    }

    /// The codec behind the chunks; nil for `none`.
    var codec: CompressionCodec? {
        switch self {
        case .none: nil
        case .zlib: .deflate
        case .snappy: .snappy
        case .zstd(let level): .zstd(level: level)
        case .lz4: .lz4Raw
        }
    }

    public var description: String { kind.description }

    /// Parses a Paimon `file.compression` value: `none`/`uncompressed`, `zlib`, `snappy`, `zstd`, `lz4`.
    public init?(name: String) {
        switch name.lowercased() {
        case "none", "uncompressed": self = .none
        case "zlib": self = .zlib
        case "snappy": self = .snappy
        case "zstd": self = .zstd()
        case "lz4": self = .lz4
        default: return nil
        }
    }
}

/// Reads the chunked compression framing: each chunk is a 3-byte little-endian header holding
/// `length * 2 + isOriginal`, then `length` bytes, stored as they are when `isOriginal` is set and compressed
/// otherwise. No chunk may expand past the block size from the postscript.
struct ORCDecompressor: Sendable {
    let kind: ORCCompressionKind
    let codec: CompressionCodec?
    let blockSize: Int

    /// The largest compression block size accepted from a postscript.
    static let blockSizeMax = 64 << 20

    init(kind: ORCCompressionKind, blockSize: UInt64?) throws(ORCError) {
        self.kind = kind
        switch kind {
        case .none: codec = nil
        case .zlib: codec = .deflate
        case .snappy: codec = .snappy
        case .zstd: codec = .zstd()
        case .lz4: codec = .lz4Raw
        default: throw ORCError(file: "", location: "postscript", "compression \(kind) is not supported")
        }
        let size = blockSize ?? ORCPostScript.defaultCompressionBlockSize
        guard size > 0, size <= UInt64(Self.blockSizeMax) else {
            throw ORCError(file: "", location: "postscript", "compression block size \(size) is outside 1...\(Self.blockSizeMax)")
        }
        self.blockSize = Int(size)
    }

    /// The uncompressed bytes of a stream (or of the footer or metadata), at most `bytesMax` of them.
    func decompress(_ input: ArraySlice<UInt8>, bytesMax: Int, context: String) throws(ORCError) -> [UInt8] {
        guard let codec else {
            guard input.count <= bytesMax else {
                throw ORCError(file: "", location: context, "\(input.count) bytes, more than the limit of \(bytesMax)")
            }
            return Array(input)
        }
        var output: [UInt8] = []
        output.reserveCapacity(min(bytesMax, input.count * 2))
        var position = input.startIndex
        while position < input.endIndex {
            let chunkOffset = position - input.startIndex
            guard input.endIndex - position >= 3 else {
                throw ORCError(file: "", location: "\(context) at byte \(chunkOffset)", "chunk header cut short")
            }
            let header = Int(input[position]) | Int(input[position + 1]) << 8 | Int(input[position + 2]) << 16
            position += 3
            let length = header >> 1
            guard length <= input.endIndex - position else {
                throw ORCError(file: "", location: "\(context) at byte \(chunkOffset)",
                               "chunk of \(length) bytes runs past the end (\(input.endIndex - position) left)")
            }
            let body = input[position..<(position + length)]
            position += length
            let room = bytesMax - output.count
            if header & 1 == 1 {
                guard length <= blockSize else {
                    throw ORCError(file: "", location: "\(context) at byte \(chunkOffset)",
                                   "uncompressed chunk of \(length) bytes is larger than the block size \(blockSize)")
                }
                guard length <= room else {
                    throw ORCError(file: "", location: context, "more than the limit of \(bytesMax) bytes")
                }
                output.append(contentsOf: body)
            } else {
                let chunk: [UInt8]
                do {
                    chunk = try codec.decompress(body, uncompressedBytesMax: blockSize)
                } catch {
                    throw ORCError(file: "", location: "\(context) chunk at byte \(chunkOffset)", "\(error)")
                }
                guard chunk.count <= room else {
                    throw ORCError(file: "", location: context, "more than the limit of \(bytesMax) bytes")
                }
                output.append(contentsOf: chunk)
            }
        }
        return output
    }
}

/// Writes the chunked compression framing over a whole stream's bytes, splitting them into chunks of
/// `blockSize` uncompressed bytes and storing a chunk as it is when compressing does not make it smaller.
struct ORCCompressor: Sendable {
    let compression: ORCCompression
    let blockSize: Int

    /// A framed stream and the offset of each chunk's header in it (plus the total length at the end), so that
    /// uncompressed offsets can be turned into row-index positions.
    struct Framed {
        var bytes: [UInt8]
        var chunkStarts: [Int]
        let blockSize: Int
        let compressed: Bool

        /// The position entries of uncompressed offset `offset`: (chunk start, offset in chunk) when
        /// compressed, (offset) otherwise.
        func position(of offset: Int, into positions: inout [UInt64]) {
            guard compressed else {
                positions.append(UInt64(offset))
                return
            }
            let chunk = min(offset / blockSize, chunkStarts.count - 1)
            positions.append(UInt64(chunkStarts[chunk]))
            positions.append(UInt64(offset - chunk * blockSize))
        }
    }

    func frame(_ input: [UInt8]) throws(ORCError) -> Framed {
        guard let codec = compression.codec else {
            return Framed(bytes: input, chunkStarts: [0], blockSize: blockSize, compressed: false)
        }
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 2 + 16)
        var starts: [Int] = []
        var start = 0
        while start < input.count {
            let end = min(start + blockSize, input.count)
            let chunk = input[start..<end]
            starts.append(output.count)
            let packed: [UInt8]
            do {
                packed = try codec.compress(chunk)
            } catch {
                throw ORCError(file: "", location: "compressing a stream", "\(error)")
            }
            if packed.count < chunk.count {
                let header = packed.count << 1
                output.append(contentsOf: [UInt8(truncatingIfNeeded: header), UInt8(truncatingIfNeeded: header >> 8), UInt8(truncatingIfNeeded: header >> 16)])
                output.append(contentsOf: packed)
            } else {
                let header = chunk.count << 1 | 1
                output.append(contentsOf: [UInt8(truncatingIfNeeded: header), UInt8(truncatingIfNeeded: header >> 8), UInt8(truncatingIfNeeded: header >> 16)])
                output.append(contentsOf: chunk)
            }
            start = end
        }
        starts.append(output.count)
        return Framed(bytes: output, chunkStarts: starts, blockSize: blockSize, compressed: true)
    }
}
