import WeirCodecs

/// The block codecs of Avro object container files (`avro.codec` in the header):
///
/// | codec | block data |
/// | --- | --- |
/// | `null` | the serialized records as they are |
/// | `deflate` | raw DEFLATE (RFC 1951, no zlib header); up to 4 stray bytes after the end of the stream are ignored (fastavro leaves 3 bytes of zlib's Adler-32 there, and Java ignores them) |
/// | `snappy` | raw Snappy, then the 4-byte big-endian CRC-32 of the uncompressed data (checked on reading) |
/// | `zstandard` | one or more zstd frames |
///
/// `bzip2` and `xz` (which Java and fastavro also know) are refused with a clear error when reading and cannot be
/// chosen for writing. Levels only matter for writing: Paimon writes manifests with `zstandard` level 1.
public enum AvroCodec: Hashable, Sendable, CustomStringConvertible {
    case null
    case deflate(level: Int32 = Deflate.defaultLevel)
    case snappy
    case zstandard(level: Int32 = Zstd.defaultLevel)

    /// The name in the `avro.codec` header entry.
    public var name: String {
        switch self {
        case .null: return "null"
        case .deflate: return "deflate"
        case .snappy: return "snappy"
        case .zstandard: return "zstandard"
        }
    }

    public var description: String { name }

    /// The codec a header names (default levels); an unknown or unsupported name is an error naming `file`.
    public init(name: String, file: String = "") throws(AvroError) {
        switch name {
        case "null": self = .null
        case "deflate": self = .deflate()
        case "snappy": self = .snappy
        case "zstandard": self = .zstandard()
        case "bzip2", "xz":
            throw AvroError(file: file, location: "header", "codec '\(name)' is not supported (null, deflate, snappy and zstandard are)")
        default:
            throw AvroError(file: file, location: "header", "unknown codec '\(name.prefix(64))'")
        }
    }

    /// One block's data compressed.
    func compress(_ data: [UInt8]) throws(AvroError) -> [UInt8] {
        do {
            switch self {
            case .null:
                return data
            case .deflate(let level):
                return try Deflate.compress(data, format: .raw, level: level)
            case .snappy:
                var out = try Snappy.compress(data)
                let crc = CRC32.checksum(data)
                out.append(contentsOf: [UInt8(truncatingIfNeeded: crc >> 24), UInt8(truncatingIfNeeded: crc >> 16),
                                        UInt8(truncatingIfNeeded: crc >> 8), UInt8(truncatingIfNeeded: crc)])
                return out
            case .zstandard(let level):
                return try Zstd.compress(data, level: level)
            }
        } catch {
            throw AvroError(file: "", "\(name) compression failed: \(error)")
        }
    }

    /// One block's stored data decompressed, at most `uncompressedBytesMax` bytes.
    func decompress(_ data: [UInt8], uncompressedBytesMax: Int) throws(AvroError) -> [UInt8] {
        do {
            switch self {
            case .null:
                return data
            case .deflate:
                return try Self.inflate(data, uncompressedBytesMax: uncompressedBytesMax)
            case .snappy:
                guard data.count >= 4 else { throw AvroError(file: "", "snappy block of \(data.count) bytes has no CRC-32") }
                let body = data[..<(data.count - 4)]
                let out = try Snappy.decompress(body, uncompressedBytesMax: uncompressedBytesMax)
                let stored = data[(data.count - 4)...].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                let actual = CRC32.checksum(out)
                guard stored == actual else {
                    throw AvroError(file: "", "snappy block CRC-32 mismatch: stored \(hex32(stored)), data has \(hex32(actual))")
                }
                return out
            case .zstandard:
                return try Zstd.decompress(data, uncompressedBytesMax: uncompressedBytesMax)
            }
        } catch let error as AvroError {
            throw error
        } catch let error as CodecError {
            throw AvroError(file: "", "\(name) block: \(error)")
        } catch {
            throw AvroError(file: "", "\(name) block: \(error)")
        }
    }
}

extension AvroCodec {
    /// Raw inflate that ignores up to 4 stray bytes after a complete stream: fastavro cuts zlib's wrapper off with
    /// `[2:-1]`, leaving 3 bytes of the Adler-32 trailer behind the deflate data, and Java's Inflater ignores them.
    static func inflate(_ data: [UInt8], uncompressedBytesMax: Int) throws(CodecError) -> [UInt8] {
        let whole = Result { () throws(CodecError) -> [UInt8] in
            try Deflate.decompress(data, format: .raw, uncompressedBytesMax: uncompressedBytesMax)
        }
        guard case .failure(let error) = whole else { return try whole.get() }
        guard error.kind == .corrupt, let end = error.offset, end < data.count, data.count - end <= 4 else { throw error }
        let prefix = Result { () throws(CodecError) -> [UInt8] in
            try Deflate.decompress(data[..<end], format: .raw, uncompressedBytesMax: uncompressedBytesMax)
        }
        guard case .success(let output) = prefix else { throw error }
        return output
    }
}

func hex32(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
}
