/// Byte run-length encoding (ORC v1 spec, "Byte Run Length Encoding"): a control byte 0...127 is a run of
/// `control + 3` copies of the next byte; -128...-1 is `-control` literal bytes. TINYINT data and, under
/// ``BooleanRLEDecoder``, every boolean stream use it.
struct ByteRLEDecoder {
    var cursor: StreamCursor
    private var runRemaining = 0
    private var runValue: UInt8 = 0
    private var literalsRemaining = 0

    init(_ bytes: StreamBytes) {
        cursor = bytes.cursor()
    }

    var isExhausted: Bool { runRemaining == 0 && literalsRemaining == 0 && cursor.isAtEnd }

    mutating func decode(count: Int, into output: UnsafeMutablePointer<UInt8>) throws(ORCError) {
        var filled = 0
        while filled < count {
            if runRemaining > 0 {
                let n = min(runRemaining, count - filled)
                (output + filled).update(repeating: runValue, count: n)
                runRemaining -= n
                filled += n
            } else if literalsRemaining > 0 {
                let n = min(literalsRemaining, count - filled)
                try cursor.require(n)
                (output + filled).update(from: (cursor.base + cursor.position).assumingMemoryBound(to: UInt8.self), count: n)
                cursor.position += n
                literalsRemaining -= n
                filled += n
            } else {
                let control = Int8(bitPattern: try cursor.readByte())
                if control >= 0 {
                    runRemaining = Int(control) + 3
                    runValue = try cursor.readByte()
                } else {
                    literalsRemaining = -Int(control)
                }
            }
        }
    }

    mutating func next() throws(ORCError) -> UInt8 {
        var byte: UInt8 = 0
        try decode(count: 1, into: &byte)
        return byte
    }

    mutating func skip(_ count: Int) throws(ORCError) {
        for _ in 0..<count { _ = try next() }
    }
}

/// The byte RLE encoder: buffers up to 128 bytes, writes runs of three or more equal bytes (up to 130) as runs
/// and the rest as literal groups. ``pendingCount`` is what a row-index position records after the offset.
struct ByteRLEEncoder {
    private(set) var bytes: [UInt8] = []
    private var pending: [UInt8] = []

    static let literalMax = 128
    static let runMax = 130

    init() { pending.reserveCapacity(Self.runMax) }

    var pendingCount: Int { pending.count }

    mutating func write(_ byte: UInt8) {
        pending.append(byte)
        if pending.count == Self.runMax { encodeFront() }
    }

    mutating func flush() {
        while !pending.isEmpty { encodeFront() }
    }

    private mutating func encodeFront() {
        let count = pending.count
        var run = 1
        while run < count && pending[run] == pending[0] { run += 1 }
        if run >= 3 {
            bytes.append(UInt8(run - 3))
            bytes.append(pending[0])
            pending.removeFirst(run)
            return
        }
        var end = 1
        while end < count && end < Self.literalMax {
            if end + 2 < count && pending[end] == pending[end + 1] && pending[end] == pending[end + 2] { break }
            end += 1
        }
        bytes.append(UInt8(bitPattern: Int8(-end)))
        bytes.append(contentsOf: pending[0..<end])
        pending.removeFirst(end)
    }
}

/// Boolean streams (ORC v1 spec, "Boolean Run Length Encoding"): bits packed most significant first into bytes,
/// the bytes byte-RLE encoded. The last byte's unused low bits are padding.
struct BooleanRLEDecoder {
    private var bytes: ByteRLEDecoder
    private var current: UInt8 = 0
    private var bitsLeft = 0

    init(_ stream: StreamBytes) {
        bytes = ByteRLEDecoder(stream)
    }

    /// True when nothing but the padding bits of the last byte is left.
    var isExhausted: Bool { bytes.isExhausted }

    /// Decodes `count` bits into `bitmap` starting at bit `start` (bits beyond are left as they were: the
    /// caller passes a zeroed bitmap and only sets bits). Returns how many bits were set.
    mutating func decode(count: Int, into words: UnsafeMutablePointer<UInt64>, start: Int) throws(ORCError) -> Int {
        var set = 0
        var index = start
        let end = start + count
        while index < end {
            if bitsLeft == 0 {
                current = try bytes.next()
                bitsLeft = 8
                // Fast path: a whole byte lands on 8 bits of the bitmap.
                if end - index >= 8 {
                    var byte = current
                    // Reverse MSB-first into LSB-first bit order.
                    byte = (byte & 0xF0) >> 4 | (byte & 0x0F) << 4
                    byte = (byte & 0xCC) >> 2 | (byte & 0x33) << 2
                    byte = (byte & 0xAA) >> 1 | (byte & 0x55) << 1
                    words[index >> 6] |= UInt64(byte) << UInt64(index & 63)
                    if index & 63 > 56 { words[(index >> 6) + 1] |= UInt64(byte) >> UInt64(64 - (index & 63)) }
                    set += byte.nonzeroBitCount
                    index += 8
                    bitsLeft = 0
                    continue
                }
            }
            bitsLeft -= 1
            if (current >> UInt8(bitsLeft)) & 1 == 1 {
                words[index >> 6] |= 1 << UInt64(index & 63)
                set += 1
            }
            index += 1
        }
        return set
    }

    mutating func next() throws(ORCError) -> Bool {
        if bitsLeft == 0 {
            current = try bytes.next()
            bitsLeft = 8
        }
        bitsLeft -= 1
        return (current >> UInt8(bitsLeft)) & 1 == 1
    }

    mutating func skip(_ count: Int) throws(ORCError) {
        for _ in 0..<count { _ = try next() }
    }
}

/// The boolean stream encoder: packs bits most significant first and byte-RLE encodes the bytes. A row-index
/// position records the byte encoder's position and then the bits already in the current byte.
struct BooleanRLEEncoder {
    private(set) var byteEncoder = ByteRLEEncoder()
    private var current: UInt8 = 0
    private(set) var bitCount = 0

    init() {}

    mutating func write(_ bit: Bool) {
        if bit { current |= 0x80 >> UInt8(bitCount) }
        bitCount += 1
        if bitCount == 8 {
            byteEncoder.write(current)
            current = 0
            bitCount = 0
        }
    }

    mutating func flush() {
        if bitCount > 0 {
            byteEncoder.write(current)
            current = 0
            bitCount = 0
        }
        byteEncoder.flush()
    }

    var bytes: [UInt8] { byteEncoder.bytes }
    var pendingBytes: Int { byteEncoder.pendingCount }
}
