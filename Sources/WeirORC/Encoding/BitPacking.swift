/// Bit widths and big-endian bit packing as integer RLE version 2 uses them (ORC v1 spec, "Direct": values are
/// packed most significant bit first, each run padded to a whole byte).
enum BitWidth {
    /// The width in bits of 5-bit width code `code` (0...31). Delta runs read code 0 as width 0 instead.
    static func decode(_ code: Int) -> Int {
        switch code {
        case 0...23: code + 1
        case 24: 26
        case 25: 28
        case 26: 30
        case 27: 32
        case 28: 40
        case 29: 48
        case 30: 56
        default: 64
        }
    }

    /// The 5-bit code of an encodable width (see ``closest(_:)``).
    static func encode(_ width: Int) -> Int {
        switch width {
        case 0, 1: 0
        case 2...24: width - 1
        case 26: 24
        case 28: 25
        case 30: 26
        case 32: 27
        case 40: 28
        case 48: 29
        case 56: 30
        default: 31
        }
    }

    /// The smallest encodable width of at least `bits` bits (at least 1).
    static func closest(_ bits: Int) -> Int {
        switch bits {
        case ...1: 1
        case 2...24: bits
        case 25, 26: 26
        case 27, 28: 28
        case 29, 30: 30
        case 31, 32: 32
        case 33...40: 40
        case 41...48: 48
        case 49...56: 56
        default: 64
        }
    }

    /// The smallest width of at least `bits` bits among 1, 2, 4, 8, 16, 24, 32, 40, 48, 56, 64, which unpack fast.
    static func closestAligned(_ bits: Int) -> Int {
        switch bits {
        case ...1: 1
        case 2: 2
        case 3, 4: 4
        case 5...8: 8
        case 9...16: 16
        case 17...24: 24
        case 25...32: 32
        case 33...40: 40
        case 41...48: 48
        case 49...56: 56
        default: 64
        }
    }

    /// Bits needed to hold `value` (0 for 0).
    @inline(__always)
    static func needed(_ value: UInt64) -> Int { 64 - value.leadingZeroBitCount }
}

enum BitPacking {
    /// Unpacks `count` values of `width` bits (1...64) from the cursor into `output`, consuming whole bytes.
    static func unpack(_ cursor: inout StreamCursor, width: Int, count: Int, into output: UnsafeMutablePointer<Int64>) throws(ORCError) {
        guard count > 0 else { return }
        let bytes = (count &* width &+ 7) >> 3
        try cursor.require(bytes)
        let base = cursor.base + cursor.position
        if width & 7 == 0 {
            let step = width >> 3
            var p = base
            for i in 0..<count {
                var v: UInt64 = 0
                for j in 0..<step { v = v << 8 | UInt64(p.load(fromByteOffset: j, as: UInt8.self)) }
                output[i] = Int64(bitPattern: v)
                p += step
            }
        } else {
            // Widths that are not whole bytes are at most 56 bits, so the accumulator never overflows.
            precondition(width <= 56)
            let mask: UInt64 = (1 << UInt64(width)) &- 1
            var acc: UInt64 = 0
            var accBits = 0
            var offset = 0
            for i in 0..<count {
                while accBits < width {
                    acc = acc << 8 | UInt64(base.load(fromByteOffset: offset, as: UInt8.self))
                    offset &+= 1
                    accBits &+= 8
                }
                accBits &-= width
                output[i] = Int64(bitPattern: (acc >> UInt64(accBits)) & mask)
            }
        }
        cursor.position &+= bytes
    }

    /// Appends `values` packed at `width` bits each (each value must fit), padded to a whole byte.
    static func pack(_ values: UnsafeBufferPointer<UInt64>, width: Int, into out: inout [UInt8]) {
        if width & 7 == 0 {
            let step = width >> 3
            for v in values {
                var shift = (step - 1) * 8
                while shift >= 0 {
                    out.append(UInt8(truncatingIfNeeded: v >> UInt64(shift)))
                    shift -= 8
                }
            }
            return
        }
        assert(width <= 56, "widths above 56 bits are whole bytes")
        var acc: UInt64 = 0
        var accBits = 0
        for v in values {
            // width ≤ 56 here and accBits < 8 after draining, so acc never holds more than 63 bits.
            acc = acc << UInt64(width) | v
            accBits += width
            while accBits >= 8 {
                accBits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt64(accBits)))
            }
        }
        if accBits > 0 { out.append(UInt8(truncatingIfNeeded: acc << UInt64(8 - accBits))) }
    }
}
