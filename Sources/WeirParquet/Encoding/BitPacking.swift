/// Little-endian bit packing as Parquet uses it (RLE/bit-packing hybrid runs, DELTA_BINARY_PACKED miniblocks, PLAIN
/// booleans): value i of width w occupies bits [i·w, (i+1)·w) of the byte string, least significant bit first.
enum BitPacking {
    /// All ones in the low `width` bits (width 0...64).
    @inline(__always)
    static func mask(_ width: Int) -> UInt64 {
        width >= 64 ? ~0 : (1 << UInt64(width)) &- 1
    }

    /// The `width`-bit value (0...64) starting at bit `bitOffset` of `bytes`. Bits past the end of `bytes` read as
    /// zero; callers check that the values they need lie inside.
    @inline(__always)
    static func extract(_ bytes: UnsafeRawBufferPointer, bitOffset: Int, width: Int) -> UInt64 {
        if width == 0 { return 0 }
        let byteIndex = bitOffset >> 3
        let shift = UInt64(bitOffset & 7)
        if byteIndex + 9 <= bytes.count {
            let low = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: byteIndex, as: UInt64.self)) >> shift
            if Int(shift) + width <= 64 { return low & mask(width) }
            let high = UInt64(bytes[byteIndex + 8]) << (64 - shift)
            return (low | high) & mask(width)
        }
        return extractSlow(bytes, bitOffset: bitOffset, width: width)
    }

    @inline(never)
    static func extractSlow(_ bytes: UnsafeRawBufferPointer, bitOffset: Int, width: Int) -> UInt64 {
        var result: UInt64 = 0
        var produced = 0
        var bit = bitOffset
        while produced < width {
            let byteIndex = bit >> 3
            guard byteIndex < bytes.count else { break }
            let inByte = bit & 7
            let take = min(8 - inByte, width - produced)
            let chunk = (UInt64(bytes[byteIndex]) >> UInt64(inByte)) & mask(take)
            result |= chunk << UInt64(produced)
            produced += take
            bit += take
        }
        return result
    }

    /// Appends `values` packed with `width` bits each (0...64), padding the last byte with zeros.
    static func pack<S: Sequence>(_ values: S, width: Int, into out: inout [UInt8]) where S.Element == UInt64 {
        guard width > 0 else { return }
        var buffer: UInt64 = 0
        var bits = 0
        for value in values {
            let v = value & mask(width)
            buffer |= v << UInt64(bits)
            let room = 64 - bits
            if width >= room {
                // Flush the full 64-bit word, keep the rest of v.
                withUnsafeBytes(of: buffer.littleEndian) { out.append(contentsOf: $0) }
                buffer = room == 64 ? 0 : v >> UInt64(room)
                bits = width - room
            } else {
                bits += width
            }
        }
        while bits > 0 {
            out.append(UInt8(truncatingIfNeeded: buffer))
            buffer >>= 8
            bits -= 8
        }
    }

    /// The number of bits needed for `value` (0 for 0).
    @inline(__always)
    static func width(of value: UInt64) -> Int { 64 - value.leadingZeroBitCount }
}
