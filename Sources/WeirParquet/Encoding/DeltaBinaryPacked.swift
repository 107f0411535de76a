import WeirColumnar

/// DELTA_BINARY_PACKED (`Encoding = 5`): a header `<block size> <miniblocks per block> <total count> <first value>`
/// (varints, the first value zigzag), then blocks of `<min delta (zigzag)> <one bit-width byte per miniblock>
/// <miniblocks>`; each value is the previous one plus min delta plus its packed number, in wrapping arithmetic.
/// Miniblocks after the last value of the last block are absent (their width bytes are present and ignored).
///
/// Decoder limits: block size a positive multiple of 128 up to ``blockValuesMax``; values per miniblock a multiple of
/// 32; bit widths at most 64; the total must equal the number of values the page needs. INT32 columns decode in 64-bit
/// wrapping arithmetic and truncate, which gives the same low 32 bits as 32-bit arithmetic.
enum DeltaBinaryPacked {
    static let blockValuesMax = 1 << 16

    /// Decodes exactly `count` values from the start of `data`, appending them to `out`; returns the bytes used.
    static func decode(_ data: UnsafeRawBufferPointer, count: Int, into out: inout [Int64]) throws(ParquetError) -> Int {
        var cursor = ByteCursor(data)
        let blockSize = try cursor.readVarint("DELTA_BINARY_PACKED block size")
        let miniblocks = try cursor.readVarint("DELTA_BINARY_PACKED miniblock count")
        let total = try cursor.readVarint("DELTA_BINARY_PACKED value count")
        var previous = try cursor.readZigZag("DELTA_BINARY_PACKED first value")
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= UInt64(blockValuesMax) else {
            throw ParquetError.corrupt("DELTA_BINARY_PACKED block size \(blockSize) is not a multiple of 128 up to \(blockValuesMax)")
        }
        guard miniblocks > 0, miniblocks <= blockSize, blockSize % miniblocks == 0, (blockSize / miniblocks) % 32 == 0 else {
            throw ParquetError.corrupt("DELTA_BINARY_PACKED: \(miniblocks) miniblocks do not divide a block of \(blockSize) into multiples of 32")
        }
        guard total == UInt64(count) else {
            throw ParquetError.corrupt("DELTA_BINARY_PACKED holds \(total) values, the page needs \(count)")
        }
        guard count > 0 else { return cursor.position }
        let perMiniblock = Int(blockSize / miniblocks)
        out.reserveGrowing(count)
        out.append(previous)
        var produced = 1
        while produced < count {
            let minDelta = try cursor.readZigZag("DELTA_BINARY_PACKED min delta")
            let widths = try cursor.take(Int(miniblocks), "DELTA_BINARY_PACKED bit widths")
            for m in 0..<Int(miniblocks) {
                if produced == count { break }
                let width = Int(widths[m])
                guard width <= 64 else { throw ParquetError.corrupt("DELTA_BINARY_PACKED bit width \(width) is over 64") }
                let bytes = try cursor.take(perMiniblock * width / 8, "DELTA_BINARY_PACKED miniblock")
                let n = min(perMiniblock, count - produced)
                var bit = 0
                for _ in 0..<n {
                    let packed = Int64(bitPattern: BitPacking.extract(bytes, bitOffset: bit, width: width))
                    previous = previous &+ minDelta &+ packed
                    out.append(previous)
                    bit += width
                }
                produced += n
            }
        }
        return cursor.position
    }

    /// Decodes `count` values as a new array; returns it and the bytes used.
    static func decode(_ data: UnsafeRawBufferPointer, count: Int) throws(ParquetError) -> ([Int64], Int) {
        var values: [Int64] = []
        let used = try decode(data, count: count, into: &values)
        return (values, used)
    }

    /// Appends the encoding of `values` (blocks of 128, 4 miniblocks of 32). With `bits32`, deltas are computed in
    /// wrapping 32-bit arithmetic (as INT32 columns need, so widths stay within 32 bits).
    static func encode(_ values: [Int64], bits32: Bool, into out: inout [UInt8]) {
        let blockSize = 128, miniblocks = 4, perMiniblock = 32
        func varint(_ v: UInt64) {
            var v = v
            while v >= 0x80 {
                out.append(UInt8(truncatingIfNeeded: v) | 0x80)
                v >>= 7
            }
            out.append(UInt8(v))
        }
        func zigzag(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }
        varint(UInt64(blockSize))
        varint(UInt64(miniblocks))
        varint(UInt64(values.count))
        zigzag(values.first ?? 0)
        guard values.count > 1 else { return }
        var deltas = [Int64](repeating: 0, count: blockSize)
        var index = 1
        while index < values.count {
            let n = min(blockSize, values.count - index)
            var minDelta = Int64.max
            for k in 0..<n {
                let d = values[index + k] &- values[index + k - 1]
                deltas[k] = bits32 ? Int64(Int32(truncatingIfNeeded: d)) : d
                minDelta = min(minDelta, deltas[k])
            }
            zigzag(minDelta)
            var adjusted = [UInt64](repeating: 0, count: blockSize)
            for k in 0..<n {
                let a = deltas[k] &- minDelta
                adjusted[k] = bits32 ? UInt64(UInt32(truncatingIfNeeded: a)) : UInt64(bitPattern: a)
            }
            let used = (n + perMiniblock - 1) / perMiniblock
            var widths = [Int](repeating: 0, count: miniblocks)
            for m in 0..<used {
                var widest: UInt64 = 0
                for k in m * perMiniblock ..< (m + 1) * perMiniblock { widest |= adjusted[k] }
                widths[m] = BitPacking.width(of: widest)
            }
            for m in 0..<miniblocks { out.append(UInt8(widths[m])) }
            for m in 0..<used {
                BitPacking.pack(adjusted[m * perMiniblock ..< (m + 1) * perMiniblock], width: widths[m], into: &out)
            }
            index += n
        }
    }
}

/// DELTA_LENGTH_BYTE_ARRAY (`6`): the lengths DELTA_BINARY_PACKED, then all the bytes concatenated.
/// DELTA_BYTE_ARRAY (`7`): prefix lengths DELTA_BINARY_PACKED, then the suffixes as DELTA_LENGTH_BYTE_ARRAY; each value
/// is the first `prefix` bytes of the previous value followed by its suffix.
enum DeltaByteArray {
    /// Decodes `count` DELTA_LENGTH_BYTE_ARRAY values from `data` into `out`; returns the bytes used.
    static func decodeLengths(_ data: UnsafeRawBufferPointer, count: Int, into out: inout ByteStrings,
                              bytesMax: Int = byteStringsBytesMax) throws(ParquetError) -> Int {
        let bytesMax = min(bytesMax, byteStringsBytesMax)
        let (lengths, used) = try DeltaBinaryPacked.decode(data, count: count)
        var position = used
        var total = 0
        for length in lengths {
            guard length >= 0, length <= Int64(data.count - position - total) else {
                throw ParquetError.corrupt("DELTA_LENGTH_BYTE_ARRAY: value length \(length) runs past the end of the page")
            }
            total += Int(length)
        }
        guard out.data.count + total <= bytesMax else {
            throw ParquetError.corrupt("byte-array values exceed \(bytesMax) bytes in one column chunk")
        }
        out.data.append(contentsOf: UnsafeRawBufferPointer(rebasing: data[position ..< position + total]))
        out.offsets.reserveGrowing(count)
        var end = Int(out.offsets.last!)
        for length in lengths {
            end += Int(length)
            out.offsets.append(Int32(end))
        }
        position += total
        return position
    }

    /// Decodes `count` DELTA_BYTE_ARRAY values from `data` into `out` (each `fixedLength` long when given); returns
    /// the bytes used.
    static func decode(_ data: UnsafeRawBufferPointer, count: Int, fixedLength: Int?, into out: inout ByteStrings,
                       bytesMax: Int = byteStringsBytesMax) throws(ParquetError) -> Int {
        let bytesMax = min(bytesMax, byteStringsBytesMax)
        let (prefixes, prefixBytes) = try DeltaBinaryPacked.decode(data, count: count)
        let rest = UnsafeRawBufferPointer(rebasing: data[prefixBytes...])
        let (suffixLengths, suffixHeader) = try DeltaBinaryPacked.decode(rest, count: count)
        var position = prefixBytes + suffixHeader
        var previousStart = -1, previousLength = 0
        out.offsets.reserveGrowing(count)
        for i in 0..<count {
            let prefix = prefixes[i], suffix = suffixLengths[i]
            guard prefix >= 0, prefix <= Int64(previousLength) else {
                throw ParquetError.corrupt("DELTA_BYTE_ARRAY: prefix of \(prefix) bytes but the previous value has \(previousLength)")
            }
            guard suffix >= 0, suffix <= Int64(data.count - position) else {
                throw ParquetError.corrupt("DELTA_BYTE_ARRAY: suffix of \(suffix) bytes runs past the end of the page")
            }
            let length = Int(prefix) + Int(suffix)
            if let fixedLength, length != fixedLength {
                throw ParquetError.corrupt("DELTA_BYTE_ARRAY: value of \(length) bytes in a FIXED_LEN_BYTE_ARRAY(\(fixedLength)) column")
            }
            guard out.data.count + length <= bytesMax else {
                throw ParquetError.corrupt("byte-array values exceed \(bytesMax) bytes in one column chunk")
            }
            let start = out.data.count
            if prefix > 0 {
                // The prefix comes from the previous value in the same buffer: grow first, then copy in place.
                out.data.append(contentsOf: repeatElement(0, count: Int(prefix)))
                out.data.withUnsafeMutableBufferPointer { bytes in
                    (bytes.baseAddress! + start).update(from: bytes.baseAddress! + previousStart, count: Int(prefix))
                }
            }
            out.data.append(contentsOf: UnsafeRawBufferPointer(rebasing: data[position ..< position + Int(suffix)]))
            out.offsets.append(Int32(out.data.count))
            position += Int(suffix)
            previousStart = start
            previousLength = length
        }
        return position
    }

    /// Appends the DELTA_LENGTH_BYTE_ARRAY encoding of `values`.
    static func encodeLengths(_ values: ByteStrings, into out: inout [UInt8]) {
        var lengths: [Int64] = []
        lengths.reserveCapacity(values.count)
        for i in 0..<values.count { lengths.append(Int64(values.offsets[i + 1] - values.offsets[i])) }
        DeltaBinaryPacked.encode(lengths, bits32: true, into: &out)
        out.append(contentsOf: values.data[Int(values.offsets.first!) ..< Int(values.offsets.last!)])
    }

    /// Appends the DELTA_BYTE_ARRAY encoding of `values`.
    static func encode(_ values: ByteStrings, into out: inout [UInt8]) {
        var prefixes: [Int64] = [], suffixLengths: [Int64] = []
        var suffixes: [UInt8] = []
        var previous: ArraySlice<UInt8> = []
        for i in 0..<values.count {
            let value = values[i]
            var prefix = 0
            while prefix < min(previous.count, value.count)
                    && previous[previous.startIndex + prefix] == value[value.startIndex + prefix] { prefix += 1 }
            prefixes.append(Int64(prefix))
            suffixLengths.append(Int64(value.count - prefix))
            suffixes.append(contentsOf: value.dropFirst(prefix))
            previous = value
        }
        DeltaBinaryPacked.encode(prefixes, bits32: true, into: &out)
        DeltaBinaryPacked.encode(suffixLengths, bits32: true, into: &out)
        out.append(contentsOf: suffixes)
    }
}
