/// Snappy's framing format (google/snappy `framing_format.txt`), the `.sz` stream format, pure Swift.
///
/// A stream is a sequence of chunks, each a 1-byte type, a 3-byte little-endian data length and the data:
/// - `0xff` stream identifier, data `"sNaPpY"`: first in every stream (and again wherever streams were concatenated);
/// - `0x00` compressed data: a 4-byte little-endian masked CRC-32C of the *uncompressed* bytes, then raw Snappy
///   (see ``Snappy``) of at most 65536 uncompressed bytes;
/// - `0x01` uncompressed data: the masked CRC-32C, then at most 65536 bytes as they are;
/// - `0x02`...`0x7f` reserved unskippable: rejected (`corrupt`);
/// - `0x80`...`0xfd` reserved skippable and `0xfe` padding: skipped.
/// The mask is ``mask(_:)``: `((crc >> 15) | (crc << 17)) &+ 0xa282ead8`.
///
/// An empty input is an empty stream (the Rust `snap` encoder, behind python-snappy and cramjam, writes nothing at
/// all for empty input); a non-empty one must start with the stream identifier.
///
/// The decompressor walks the chunk headers first, so a stream whose chunks declare more than the caller's limit (or
/// more than their bytes could produce) is rejected before any output is allocated; it then decodes each chunk into
/// place and checks its checksum.
public enum SnappyFramed {
    static let name = "snappy-framed"

    /// Uncompressed bytes in one data chunk, at most (the format's limit).
    public static let chunkUncompressedBytesMax = 65_536

    /// The stream identifier chunk: type 0xff, length 6, `"sNaPpY"`.
    public static let streamIdentifier: [UInt8] = [0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59]

    /// The checksum mask of the framing format (also LevelDB's): rotate right by 15, add 0xa282ead8.
    @inlinable
    public static func mask(_ crc: UInt32) -> UInt32 {
        ((crc >> 15) | (crc << 17)) &+ 0xa282_ead8
    }

    /// `input` as a framed stream: the stream identifier, then one chunk per 64 KiB, compressed unless compression
    /// saves less than 1/8 of the chunk (then stored uncompressed). An empty input gives the identifier alone.
    public static func compress<C: Collection<UInt8>>(_ input: C) -> [UInt8] {
        withBytes(input) { src in
            let chunks = (src.count + chunkUncompressedBytesMax - 1) / chunkUncompressedBytesMax
            let capacity = streamIdentifier.count + chunks * (8 + Snappy.maxCompressedLength(chunkUncompressedBytesMax))
            return [UInt8](unsafeUninitializedCapacity: capacity) { dst, count in
                let out = dst.baseAddress!
                for (i, byte) in streamIdentifier.enumerated() { out[i] = byte }
                var op = streamIdentifier.count
                var start = 0
                while start < src.count {
                    let length = min(chunkUncompressedBytesMax, src.count - start)
                    let chunk = UnsafeRawBufferPointer(rebasing: src[start ..< start + length])
                    let checksum = mask(CRC32C.update(0, chunk))
                    let compressedLength = Snappy.compress(chunk, into: out + op + 8)
                    let type: UInt8
                    let dataLength: Int
                    if compressedLength < length - length / 8 {
                        type = 0x00
                        dataLength = 4 + compressedLength
                    } else {
                        type = 0x01
                        dataLength = 4 + length
                        UnsafeMutableRawPointer(out + op + 8).copyMemory(from: chunk.baseAddress!, byteCount: length)
                    }
                    out[op] = type
                    out[op + 1] = UInt8(truncatingIfNeeded: dataLength)
                    out[op + 2] = UInt8(truncatingIfNeeded: dataLength >> 8)
                    out[op + 3] = UInt8(truncatingIfNeeded: dataLength >> 16)
                    UnsafeMutableRawPointer(out + op + 4).storeBytes(of: checksum.littleEndian, as: UInt32.self)
                    op += 4 + dataLength
                    start += length
                }
                count = op
            }
        }
    }

    /// Decodes a framed stream, producing at most `uncompressedBytesMax` bytes. Checksums are verified; a stream
    /// not starting with the identifier, an unskippable reserved chunk or a data chunk over 65536 bytes is
    /// `corrupt`; a stream cut inside a chunk is `truncated`.
    public static func decompress<C: Collection<UInt8>>(
        _ input: C, uncompressedBytesMax: Int
    ) throws(CodecError) -> [UInt8] {
        try checkLimit(name, uncompressedBytesMax)
        return try withContiguousBytes(input) { (src) throws(CodecError) -> [UInt8] in
            // Pass 1: headers only, to learn the total size.
            var total = 0
            try forEachDataChunk(src) { (type, data, chunkOffset) throws(CodecError) in
                let length: Int
                if type == 0x00 {
                    let body = UnsafeRawBufferPointer(rebasing: data[(data.startIndex + 4)...])
                    do throws(CodecError) {
                        let (declared, headerBytes) = try Snappy.readPreamble(body)
                        try Snappy.checkPlausible(length: declared, bodyBytes: body.count - headerBytes)
                        length = declared
                    } catch {
                        throw CodecError(codec: name, kind: error.kind, message: "compressed chunk: \(error.message)",
                                         offset: chunkOffset + 8)
                    }
                } else {
                    length = data.count - 4
                }
                guard length <= chunkUncompressedBytesMax else {
                    throw .corrupt(name, "chunk holds \(length) uncompressed bytes, more than \(chunkUncompressedBytesMax)",
                                   offset: chunkOffset)
                }
                total += length
                if total > uncompressedBytesMax {
                    throw .tooLarge(name, "chunks hold more than the limit of \(uncompressedBytesMax) bytes",
                                    offset: chunkOffset)
                }
            }
            // Pass 2: decode in place and verify checksums.
            return try [UInt8](unsafeUninitializedCapacity: max(total, 1)) { (dst, count) throws(CodecError) in
                let out = dst.baseAddress!
                var op = 0
                try forEachDataChunk(src) { (type, data, chunkOffset) throws(CodecError) in
                    let expected = UInt32(littleEndian: data.loadUnaligned(as: UInt32.self))
                    let body = UnsafeRawBufferPointer(rebasing: data[(data.startIndex + 4)...])
                    let length: Int
                    if type == 0x00 {
                        let (declared, headerBytes) = try Snappy.readPreamble(body)
                        length = declared
                        do throws(CodecError) {
                            try Snappy.decompressBody(body, from: headerBytes, into: out + op, length: length)
                        } catch {
                            throw CodecError(codec: name, kind: error.kind, message: "compressed chunk: \(error.message)",
                                             offset: chunkOffset + 8 + (error.offset ?? 0))
                        }
                    } else {
                        length = body.count
                        UnsafeMutableRawPointer(out + op).copyMemory(from: body.baseAddress!, byteCount: length)
                    }
                    precondition(op + length <= total, "snappy-framed: chunk sizes changed between passes")
                    let actual = mask(CRC32C.update(0, UnsafeRawBufferPointer(start: out + op, count: length)))
                    guard actual == expected else {
                        throw .corrupt(name, "checksum mismatch: stored 0x\(String(expected, radix: 16)), "
                                       + "computed 0x\(String(actual, radix: 16))", offset: chunkOffset)
                    }
                    op += length
                }
                count = op
            }
        }
    }

    /// Walks the chunks of `src`, checking the stream identifier and skipping padding and skippable chunks; calls
    /// `body` with the type (0 or 1), the chunk's data (at least the 4 checksum bytes) and the chunk's offset.
    static func forEachDataChunk(
        _ src: UnsafeRawBufferPointer,
        _ body: (UInt8, UnsafeRawBufferPointer, Int) throws(CodecError) -> Void
    ) throws(CodecError) {
        var reader = ByteReader(src, codec: "snappy-framed")
        var first = true
        while !reader.isAtEnd {
            let chunkOffset = reader.offset
            let type = try reader.readU8()
            if first && type != 0xff {
                throw .corrupt(name, "stream does not start with the stream identifier (chunk type 0x\(String(type, radix: 16)))",
                               offset: 0)
            }
            first = false
            let low = try reader.readU16LE()
            let length = Int(low) | Int(try reader.readU8()) << 16
            guard length <= reader.remaining else {
                throw .truncated(name, "chunk of type 0x\(String(type, radix: 16)) declares \(length) bytes, "
                                 + "only \(reader.remaining) remain", offset: chunkOffset)
            }
            let data = try reader.readSlice(length)
            switch type {
            case 0xff:
                guard data.elementsEqual(streamIdentifier[4...]) else {
                    throw .corrupt(name, "bad stream identifier chunk", offset: chunkOffset)
                }
            case 0x00, 0x01:
                guard length >= 4 else {
                    throw .corrupt(name, "data chunk of \(length) bytes has no room for its checksum", offset: chunkOffset)
                }
                try body(type, data, chunkOffset)
            case 0x02 ... 0x7f:
                throw .corrupt(name, "reserved unskippable chunk type 0x\(String(type, radix: 16))", offset: chunkOffset)
            default:  // 0x80...0xfe: reserved skippable and padding
                continue
            }
        }
    }
}
