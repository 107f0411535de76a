/// Raw Snappy (the block format of google/snappy's `format_description.txt`), pure Swift: what Parquet's `SNAPPY`,
/// ORC's `SNAPPY` chunks and Avro's `snappy` codec (plus its own CRC-32 suffix) hold.
///
/// Format: a preamble with the uncompressed length as a varint of at most 5 bytes (< 2^32), then elements, each
/// starting with a tag byte whose low 2 bits give the kind:
/// - `00` literal: length - 1 in the upper 6 bits if < 60, else 60...63 say 1...4 little-endian length bytes follow;
///   then the literal bytes;
/// - `01` copy, 1-byte offset: length 4...11 in bits 2-4, offset bits 8-10 in bits 5-7, then offset bits 0-7;
/// - `10` copy, 2-byte offset: length 1...64 in the upper 6 bits, then a little-endian 16-bit offset;
/// - `11` copy, 4-byte offset: the same with a 32-bit offset.
/// A copy repeats `length` bytes from `offset` bytes back in the output and may overlap its own output.
///
/// The compressor follows the reference's scheme (64 KiB blocks, a hash table of 4-byte sequences, offsets below
/// 65536, so copies never need 4-byte offsets), so any snappy library can read its output. The decompressor checks
/// every length and offset against the input, the output so far and the declared length, and the declared length
/// against the caller's limit and against what the input could possibly produce, before it allocates.
public enum Snappy {
    static let name = "snappy"

    /// Largest input the format can describe (bytes): the preamble is a 32-bit varint.
    public static let formatUncompressedBytesMax = Int(UInt32.max)

    /// Bytes of one compression block: matches never reach across blocks (as in the reference).
    static let blockBytes = 1 << 16

    /// Largest table of the matcher (entries); smaller blocks use the smallest power of two >= 256 covering them.
    static let hashTableEntriesMax = 1 << 14

    /// Worst-case size of the compressed form of `count` bytes (the reference's bound: 32 + n + n / 6).
    public static func maxCompressedLength(_ count: Int) -> Int {
        32 &+ count &+ count / 6
    }

    /// The raw Snappy form of `input`. Inputs longer than ``formatUncompressedBytesMax`` are `tooLarge`.
    public static func compress<C: Collection<UInt8>>(_ input: C) throws(CodecError) -> [UInt8] {
        try withContiguousBytes(input) { (src) throws(CodecError) -> [UInt8] in
            guard src.count <= formatUncompressedBytesMax else {
                throw .tooLarge(name, "input of \(src.count) bytes exceeds the format's limit of \(formatUncompressedBytesMax)")
            }
            let capacity = maxCompressedLength(src.count)
            return [UInt8](unsafeUninitializedCapacity: capacity) { dst, count in
                count = compress(src, into: dst.baseAddress!)
            }
        }
    }

    /// The uncompressed length `input`'s preamble declares (no other validation).
    public static func uncompressedLength<C: Collection<UInt8>>(_ input: C) throws(CodecError) -> Int {
        try withContiguousBytes(input) { (src) throws(CodecError) -> Int in try readPreamble(src).length }
    }

    /// Decodes raw Snappy data, producing at most `uncompressedBytesMax` bytes: a larger declared length is
    /// `tooLarge`, any inconsistency `corrupt` or `truncated`, with the offset of the offending element.
    public static func decompress<C: Collection<UInt8>>(
        _ input: C, uncompressedBytesMax: Int
    ) throws(CodecError) -> [UInt8] {
        try checkLimit(name, uncompressedBytesMax)
        return try withContiguousBytes(input) { (src) throws(CodecError) -> [UInt8] in
            let (length, headerBytes) = try readPreamble(src)
            if length > uncompressedBytesMax {
                throw .tooLarge(name, "preamble declares \(length) bytes, more than the limit of \(uncompressedBytesMax)",
                                offset: 0)
            }
            try checkPlausible(length: length, bodyBytes: src.count - headerBytes)
            return try [UInt8](unsafeUninitializedCapacity: max(length, 1)) { (dst, count) throws(CodecError) in
                try decompressBody(src, from: headerBytes, into: dst.baseAddress!, length: length)
                count = length
            }
        }
    }

    // MARK: decoding

    /// The declared length and the preamble's size in bytes.
    static func readPreamble(_ src: UnsafeRawBufferPointer) throws(CodecError) -> (length: Int, headerBytes: Int) {
        var reader = ByteReader(src, codec: "snappy")
        let length = try reader.readUVarint32()
        return (Int(length), reader.offset)
    }

    /// Rejects a declared length no body of `bodyBytes` bytes could produce: the densest element is a 3-byte copy of
    /// 64 bytes, so the output is at most 64 * ceil(body / 3) bytes.
    static func checkPlausible(length: Int, bodyBytes: Int) throws(CodecError) {
        let producible = (bodyBytes / 3 + 1) * 64
        if length > producible {
            throw .corrupt(name, "preamble declares \(length) bytes, more than \(bodyBytes) bytes of elements can produce",
                           offset: 0)
        }
    }

    /// Decodes the elements of `src[start...]` into `dst`, which has room for exactly `length` bytes, and checks
    /// that they produce exactly `length` bytes. Error offsets are positions in `src`.
    static func decompressBody(
        _ src: UnsafeRawBufferPointer, from start: Int, into dst: UnsafeMutablePointer<UInt8>, length: Int
    ) throws(CodecError) {
        let end = src.count
        guard end > start || length == 0 else {
            throw .truncated(name, "no elements after the preamble, \(length) bytes declared", offset: start)
        }
        let input = src.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var ip = start
        var op = 0
        while ip < end {
            let tagOffset = ip
            let tag = input[ip]
            ip &+= 1
            let elementLength: Int
            let offset: Int
            switch tag & 3 {
            case 0:  // literal
                // Fast path: a short literal with 16 bytes of slack on both sides is copied as two 8-byte words.
                if tag < 60 << 2 && end &- ip >= 16 && length &- op >= 16 {
                    let literalLength = Int(tag >> 2) &+ 1
                    if literalLength <= 16 {
                        let from = UnsafeRawPointer(input + ip)
                        let to = UnsafeMutableRawPointer(dst + op)
                        to.storeBytes(of: from.loadUnaligned(as: UInt64.self), as: UInt64.self)
                        to.storeBytes(of: from.loadUnaligned(fromByteOffset: 8, as: UInt64.self), toByteOffset: 8,
                                      as: UInt64.self)
                        ip &+= literalLength
                        op &+= literalLength
                        continue
                    }
                }
                var literalLength = Int(tag >> 2) &+ 1
                if literalLength > 60 {
                    let extra = literalLength &- 60
                    guard end &- ip >= extra else { throw cutOff("literal length", at: tagOffset) }
                    var value = 0
                    for i in 0 ..< extra { value |= Int(input[ip &+ i]) << (8 &* i) }
                    ip &+= extra
                    literalLength = value &+ 1
                }
                guard literalLength <= end &- ip else {
                    throw .truncated(name, "literal of \(literalLength) bytes runs past the end of the input",
                                     offset: tagOffset)
                }
                guard literalLength <= length &- op else { throw overrun(literalLength, op, length, at: tagOffset) }
                UnsafeMutableRawPointer(dst + op).copyMemory(from: input + ip, byteCount: literalLength)
                ip &+= literalLength
                op &+= literalLength
                continue
            case 1:
                guard ip < end else { throw cutOff("copy offset", at: tagOffset) }
                elementLength = Int((tag >> 2) & 7) &+ 4
                offset = Int(tag >> 5) << 8 | Int(input[ip])
                ip &+= 1
            case 2:
                guard end &- ip >= 2 else { throw cutOff("copy offset", at: tagOffset) }
                elementLength = Int(tag >> 2) &+ 1
                offset = Int(UInt16(littleEndian: UnsafeRawPointer(input + ip).loadUnaligned(as: UInt16.self)))
                ip &+= 2
            default:
                guard end &- ip >= 4 else { throw cutOff("copy offset", at: tagOffset) }
                elementLength = Int(tag >> 2) &+ 1
                offset = Int(UInt32(littleEndian: UnsafeRawPointer(input + ip).loadUnaligned(as: UInt32.self)))
                ip &+= 4
            }
            guard offset != 0 && offset <= op else {
                throw .corrupt(name, "copy offset \(offset) outside the \(op) bytes decoded so far", offset: tagOffset)
            }
            guard elementLength <= length &- op else { throw overrun(elementLength, op, length, at: tagOffset) }
            let to = dst + op
            if offset >= 16 && elementLength <= 16 && length &- op >= 16 {
                // Fast path for the common short copy: both words are loaded before either is stored, so no load
                // waits on a store it overlaps.
                let from = UnsafeRawPointer(to - offset)
                let first = from.loadUnaligned(as: UInt64.self)
                let second = from.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                UnsafeMutableRawPointer(to).storeBytes(of: first, as: UInt64.self)
                UnsafeMutableRawPointer(to).storeBytes(of: second, toByteOffset: 8, as: UInt64.self)
            } else if offset >= 8 && length &- op >= elementLength &+ 8 {
                // Fast path: 8-byte words, overshooting by up to 7 bytes into the room behind (rewritten later).
                // With offset >= 8 every word read lies entirely in output already written.
                let raw = UnsafeMutableRawPointer(to)
                var i = 0
                repeat {
                    raw.storeBytes(of: UnsafeRawPointer(raw + i - offset).loadUnaligned(as: UInt64.self),
                                   toByteOffset: i, as: UInt64.self)
                    i &+= 8
                } while i < elementLength
            } else if offset >= elementLength {
                UnsafeMutableRawPointer(to).copyMemory(from: to - offset, byteCount: elementLength)
            } else if elementLength <= 32 {
                for i in 0 ..< elementLength { to[i] = to[i &- offset] }
            } else {
                // The source overlaps the destination: copy the period, then twice as much each round (the copied
                // region is always a whole number of periods behind the destination, never overlapping it).
                var done = 0
                var distance = offset
                while done < elementLength {
                    let chunk = min(distance, elementLength &- done)
                    UnsafeMutableRawPointer(to + done).copyMemory(from: to + done - distance, byteCount: chunk)
                    done &+= chunk
                    distance &+= distance
                }
            }
            op &+= elementLength
        }
        guard op == length else {
            throw .truncated(name, "input ends after \(op) of the \(length) declared bytes", offset: end)
        }
    }

    @inline(never)
    static func cutOff(_ what: String, at offset: Int) -> CodecError {
        .truncated(name, "\(what) of the element at byte \(offset) runs past the end of the input", offset: offset)
    }

    @inline(never)
    static func overrun(_ elementLength: Int, _ produced: Int, _ length: Int, at offset: Int) -> CodecError {
        .corrupt(name, "element of \(elementLength) bytes after \(produced) bytes exceeds the declared \(length)",
                 offset: offset)
    }

    // MARK: encoding

    /// Writes the preamble and the elements for `src` into `dst` (room for ``maxCompressedLength(_:)`` bytes) and
    /// returns the number of bytes written. `src.count` must be <= ``formatUncompressedBytesMax``.
    static func compress(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutablePointer<UInt8>) -> Int {
        var op = dst
        var length = UInt32(src.count)
        while length >= 0x80 {
            op.pointee = UInt8(truncatingIfNeeded: length) | 0x80
            op += 1
            length >>= 7
        }
        op.pointee = UInt8(length)
        op += 1
        guard src.count > 0 else { return op - dst }
        let input = src.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let table = UnsafeMutablePointer<UInt16>.allocate(capacity: hashTableEntriesMax)
        defer { table.deallocate() }
        var blockStart = 0
        while blockStart < src.count {
            let blockLength = min(blockBytes, src.count - blockStart)
            var tableBits = 8
            while tableBits < 14 && (1 << tableBits) < blockLength { tableBits += 1 }
            table.initialize(repeating: 0, count: 1 << tableBits)
            op = compressBlock(input + blockStart, blockLength, into: op, table: table, tableBits: tableBits)
            blockStart += blockLength
        }
        return op - dst
    }

    @inline(__always)
    static func load32(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt32 {
        UnsafeRawPointer(p + i).loadUnaligned(as: UInt32.self)
    }

    @inline(__always)
    static func hash(_ bytes: UInt32, _ shift: UInt32) -> Int {
        Int((bytes &* 0x1e35_a7bd) >> shift)
    }

    /// Bytes that must follow the last position the matcher hashes (it reads 4 bytes there and compares in words).
    static let inputMarginBytes = 15

    /// Compresses one block of at most 64 KiB: look for a 4-byte match through the hash table, skipping faster the
    /// longer nothing matches (one more byte per lookup every 32 misses); emit the literals before a match, then
    /// copies as long as the bytes after a copy match again.
    static func compressBlock(
        _ input: UnsafePointer<UInt8>, _ n: Int, into out: UnsafeMutablePointer<UInt8>,
        table: UnsafeMutablePointer<UInt16>, tableBits: Int
    ) -> UnsafeMutablePointer<UInt8> {
        var op = out
        var nextEmit = 0
        let shift = UInt32(32 - tableBits)
        if n >= inputMarginBytes {
            let ipLimit = n - inputMarginBytes
            var ip = 1
            var nextHash = hash(load32(input, ip), shift)
            search: while true {
                var skip = 32
                var nextIp = ip
                var candidate = 0
                repeat {
                    ip = nextIp
                    let h = nextHash
                    nextIp = ip + (skip >> 5)
                    skip += 1
                    if nextIp > ipLimit { break search }
                    nextHash = hash(load32(input, nextIp), shift)
                    candidate = Int(table[h])
                    table[h] = UInt16(truncatingIfNeeded: ip)
                } while load32(input, ip) != load32(input, candidate)

                op = emitLiteral(input + nextEmit, ip - nextEmit, into: op)
                repeat {
                    let matchStart = ip
                    let matched = 4 + matchLength(input, candidate + 4, ip + 4, n)
                    ip += matched
                    op = emitCopy(offset: matchStart - candidate, length: matched, into: op)
                    nextEmit = ip
                    if ip >= ipLimit { break search }
                    table[hash(load32(input, ip - 1), shift)] = UInt16(truncatingIfNeeded: ip - 1)
                    let h = hash(load32(input, ip), shift)
                    candidate = Int(table[h])
                    table[h] = UInt16(truncatingIfNeeded: ip)
                } while load32(input, ip) == load32(input, candidate)
                ip += 1
                nextHash = hash(load32(input, ip), shift)
            }
        }
        if nextEmit < n { op = emitLiteral(input + nextEmit, n - nextEmit, into: op) }
        return op
    }

    /// Number of equal bytes at `a` and `b` (a < b), not reading at or past `limit`.
    @inline(__always)
    static func matchLength(_ input: UnsafePointer<UInt8>, _ a: Int, _ b: Int, _ limit: Int) -> Int {
        var matched = 0
        while b + matched + 8 <= limit {
            let x = UInt64(littleEndian: UnsafeRawPointer(input + a + matched).loadUnaligned(as: UInt64.self))
            let y = UInt64(littleEndian: UnsafeRawPointer(input + b + matched).loadUnaligned(as: UInt64.self))
            if x != y { return matched + (x ^ y).trailingZeroBitCount >> 3 }
            matched += 8
        }
        while b + matched < limit && input[a + matched] == input[b + matched] { matched += 1 }
        return matched
    }

    @inline(__always)
    static func emitLiteral(
        _ bytes: UnsafePointer<UInt8>, _ count: Int, into out: UnsafeMutablePointer<UInt8>
    ) -> UnsafeMutablePointer<UInt8> {
        var op = out
        let n = count - 1
        if n < 60 {
            op.pointee = UInt8(n << 2)
            op += 1
        } else {
            var lengthBytes = 1
            while lengthBytes < 4 && n >> (8 * lengthBytes) != 0 { lengthBytes += 1 }
            op.pointee = UInt8((59 + lengthBytes) << 2)
            op += 1
            for i in 0 ..< lengthBytes {
                op.pointee = UInt8(truncatingIfNeeded: n >> (8 * i))
                op += 1
            }
        }
        UnsafeMutableRawPointer(op).copyMemory(from: bytes, byteCount: count)
        return op + count
    }

    /// Emits a copy of any length >= 4 as elements of at most 64 bytes, each at least 4 long (so the 1-byte-offset
    /// form stays usable for the tail).
    @inline(__always)
    static func emitCopy(offset: Int, length: Int, into out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var op = out
        var remaining = length
        while remaining >= 68 {
            op = emitShortCopy(offset: offset, length: 64, into: op)
            remaining -= 64
        }
        if remaining > 64 {
            op = emitShortCopy(offset: offset, length: 60, into: op)
            remaining -= 60
        }
        return emitShortCopy(offset: offset, length: remaining, into: op)
    }

    /// One copy element, 4...64 bytes long, offset below 65536.
    @inline(__always)
    static func emitShortCopy(offset: Int, length: Int, into op: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        if length < 12 && offset < 2048 {
            op[0] = UInt8(1 | ((length - 4) << 2) | ((offset >> 8) << 5))
            op[1] = UInt8(truncatingIfNeeded: offset)
            return op + 2
        }
        op[0] = UInt8(2 | ((length - 1) << 2))
        op[1] = UInt8(truncatingIfNeeded: offset)
        op[2] = UInt8(truncatingIfNeeded: offset >> 8)
        return op + 3
    }
}
