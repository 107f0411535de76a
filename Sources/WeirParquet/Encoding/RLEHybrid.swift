/// The RLE / bit-packing hybrid encoding (Parquet `RLE`): repetition and definition levels, dictionary indices and
/// RLE booleans. A sequence of runs, each starting with a varint header: `(count << 1)` then the value in
/// ⌈width/8⌉ little-endian bytes (an RLE run), or `(groups << 1) | 1` then `groups × width` bytes holding
/// `groups × 8` bit-packed values.
///
/// Decoder contract: values are at most 32 bits wide; a run that promises more values than its bytes hold is cut to
/// what the bytes hold (the last group of a page is often short) and asking for more than the data has is an error;
/// RLE values wider than `width` are errors; no allocation.
struct RLEHybridDecoder {
    private var cursor: ByteCursor
    let bitWidth: Int
    private var rleRemaining = 0
    private var rleValue: UInt32 = 0
    private var packed = UnsafeRawBufferPointer(start: nil, count: 0)
    private var packedIndex = 0
    private var packedCount = 0

    init(_ data: UnsafeRawBufferPointer, bitWidth: Int) throws(ParquetError) {
        guard (0...32).contains(bitWidth) else { throw ParquetError.corrupt("RLE bit width \(bitWidth) is outside 0...32") }
        cursor = ByteCursor(data)
        self.bitWidth = bitWidth
    }

    /// Bytes consumed so far.
    var bytesConsumed: Int { cursor.position }

    private mutating func nextRun() throws(ParquetError) {
        let header = try cursor.readVarint("RLE run header")
        if header & 1 == 0 {
            let count = header >> 1
            guard count <= UInt64(Int32.max) else { throw ParquetError.corrupt("RLE run of \(count) values") }
            let valueBytes = (bitWidth + 7) / 8
            let raw = try cursor.take(valueBytes, "RLE run value")
            var value: UInt32 = 0
            for i in 0..<valueBytes { value |= UInt32(raw[i]) << UInt32(8 * i) }
            if bitWidth < 32, value >> UInt32(bitWidth) != 0 {
                throw ParquetError.corrupt("RLE run value \(value) is wider than \(bitWidth) bits")
            }
            rleRemaining = Int(count)
            rleValue = value
        } else {
            let groups = header >> 1
            guard groups <= UInt64(Int32.max / 8) else { throw ParquetError.corrupt("bit-packed run of \(groups) groups") }
            let wanted = Int(groups) * bitWidth
            let available = min(wanted, cursor.remaining)
            packed = try cursor.take(available, "bit-packed run")
            packedIndex = 0
            packedCount = bitWidth == 0 ? Int(groups) * 8 : min(Int(groups) * 8, available * 8 / bitWidth)
        }
    }

    /// Fills `out` with the next `out.count` values.
    mutating func decode<T: FixedWidthInteger>(into out: UnsafeMutableBufferPointer<T>) throws(ParquetError) {
        var filled = 0
        let n = out.count
        while filled < n {
            if rleRemaining > 0 {
                let take = min(rleRemaining, n - filled)
                let value = T(truncatingIfNeeded: rleValue)
                for i in filled ..< filled + take { out[i] = value }
                filled += take
                rleRemaining -= take
            } else if packedIndex < packedCount {
                let take = min(packedCount - packedIndex, n - filled)
                let width = bitWidth
                var bit = packedIndex * width
                for i in filled ..< filled + take {
                    out[i] = T(truncatingIfNeeded: BitPacking.extract(packed, bitOffset: bit, width: width))
                    bit += width
                }
                filled += take
                packedIndex += take
            } else {
                guard !cursor.isAtEnd else {
                    throw ParquetError.corrupt("RLE data ends after \(filled) of \(n) values")
                }
                try nextRun()
            }
        }
    }

    /// Decodes `count` values into a new array.
    mutating func decode<T: FixedWidthInteger>(count: Int, as _: T.Type = T.self) throws(ParquetError) -> [T] {
        guard count > 0 else { return [] }
        var failure: ParquetError?
        let result = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            buffer.initialize(repeating: 0)
            do throws(ParquetError) {
                try decode(into: buffer)
            } catch {
                failure = error
            }
            initialized = count
        }
        if let failure { throw failure }
        return result
    }
}

/// Encoder for the RLE / bit-packing hybrid: runs of at least 8 equal values (starting at a group boundary) become
/// RLE runs, everything else bit-packed groups of 8 (the last group padded with zeros).
enum RLEHybridEncoder {
    /// Appends the encoding of `values` (each < 2^`bitWidth`, width 0...32) to `out`.
    static func encode<C: RandomAccessCollection>(_ values: C, bitWidth: Int, into out: inout [UInt8])
    where C.Element: FixedWidthInteger, C.Index == Int {
        let n = values.count
        let base = values.startIndex
        var i = 0
        let valueBytes = (bitWidth + 7) / 8
        func putVarint(_ v: UInt64, _ out: inout [UInt8]) {
            var v = v
            while v >= 0x80 {
                out.append(UInt8(truncatingIfNeeded: v) | 0x80)
                v >>= 7
            }
            out.append(UInt8(v))
        }
        func runLength(at start: Int) -> Int {
            let first = values[base + start]
            var j = start + 1
            while j < n && values[base + j] == first { j += 1 }
            return j - start
        }
        while i < n {
            let run = runLength(at: i)
            if run >= 8 {
                putVarint(UInt64(run) << 1, &out)
                let value = UInt64(truncatingIfNeeded: values[base + i])
                for b in 0..<valueBytes { out.append(UInt8(truncatingIfNeeded: value >> UInt64(8 * b))) }
                i += run
                continue
            }
            // Bit-packed groups until a run of 8 or more starts at a group boundary.
            var end = i
            repeat {
                end = min(end + 8, n)
            } while end < n && runLength(at: end) < 8 && (end - i) < 8 * 1000
            let groups = (end - i + 7) / 8
            putVarint(UInt64(groups) << 1 | 1, &out)
            let count = end - i
            BitPacking.pack((0 ..< groups * 8).lazy.map { k in
                k < count ? UInt64(truncatingIfNeeded: values[base + i + k]) : 0
            }, width: bitWidth, into: &out)
            i = end
        }
    }

    /// The number of bits needed for values up to `maxValue`.
    static func bitWidth(forMax maxValue: Int) -> Int { BitPacking.width(of: UInt64(maxValue)) }
}

/// The deprecated `BIT_PACKED` level encoding: values packed most significant bit first, no run headers.
enum LegacyBitPacked {
    /// Decodes `count` values of `bitWidth` bits from `data`; returns them and the bytes used.
    static func decode(_ data: UnsafeRawBufferPointer, count: Int, bitWidth: Int) throws(ParquetError) -> (values: [UInt8], bytes: Int) {
        let bytes = (count * bitWidth + 7) / 8
        guard bytes <= data.count else {
            throw ParquetError.corrupt("BIT_PACKED levels need \(bytes) bytes, \(data.count) remain")
        }
        var out = [UInt8](repeating: 0, count: count)
        var bit = 0
        for i in 0..<count {
            var v = 0
            for _ in 0..<bitWidth {
                let byte = data[bit >> 3]
                v = (v << 1) | Int((byte >> UInt8(7 - (bit & 7))) & 1)
                bit += 1
            }
            out[i] = UInt8(truncatingIfNeeded: v)
        }
        return (out, bytes)
    }
}
