import WeirColumnar

/// Turns a leaf's decoded physical values into the ``ColumnValues`` storage of its Paimon type (see ``Column``),
/// placing them in their slots: `present` marks the slots that take the next value, the others get a zero value
/// (nil: every slot takes one). Conversions check ranges (TINYINT, SMALLINT, unsigned widths, decimals that do not fit
/// their storage) and throw instead of truncating. No per-value allocation; a value buffer that needs neither
/// conversion nor placement is moved, not copied.
enum LeafMaterializer {
    static func values(_ physical: PhysicalValues, leaf: LeafColumn, present: Bitmap?, slotCount: Int) throws(ParquetError) -> ColumnValues {
        let expected = present?.setCount ?? slotCount
        guard physical.count == expected else {
            throw ParquetError.corrupt("column \(leaf.pathString): \(physical.count) values for \(expected) non-null slots")
        }
        func mismatch() -> ParquetError {
            ParquetError.corrupt("internal: column \(leaf.pathString) decoded to the wrong physical buffer")
        }
        switch (leaf.conversion, physical) {
        case (.boolean, .boolean(let bytes)):
            var bits = Bitmap(count: slotCount, value: false)
            var k = 0
            try forEachSlot(present, slotCount) { (slot) throws(ParquetError) in
                if bytes[k] != 0 { bits[slot] = true }
                k += 1
            }
            return .boolean(bits)
        case (.int32, .int32(let v)):
            return .int32(try place(v, present, slotCount, zero: 0))
        case (.int32ToInt8, .int32(let v)):
            return .int8(try convert(v, present, slotCount, zero: 0) { (x: Int32) throws(ParquetError) -> Int8 in
                guard let n = Int8(exactly: x) else { throw ParquetError.corrupt("column \(leaf.pathString): \(x) is out of range for TINYINT") }
                return n
            })
        case (.int32ToInt16, .int32(let v)):
            return .int16(try convert(v, present, slotCount, zero: 0) { (x: Int32) throws(ParquetError) -> Int16 in
                guard let n = Int16(exactly: x) else { throw ParquetError.corrupt("column \(leaf.pathString): \(x) is out of range for SMALLINT") }
                return n
            })
        case (.uint8ToInt16, .int32(let v)):
            return .int16(try convert(v, present, slotCount, zero: 0) { (x: Int32) throws(ParquetError) -> Int16 in
                let u = UInt32(bitPattern: x)
                guard u <= 0xff else { throw ParquetError.corrupt("column \(leaf.pathString): \(u) is out of range for UINT_8") }
                return Int16(u)
            })
        case (.uint16ToInt32, .int32(let v)):
            return .int32(try convert(v, present, slotCount, zero: 0) { (x: Int32) throws(ParquetError) -> Int32 in
                let u = UInt32(bitPattern: x)
                guard u <= 0xffff else { throw ParquetError.corrupt("column \(leaf.pathString): \(u) is out of range for UINT_16") }
                return Int32(u)
            })
        case (.uint32ToInt64, .int32(let v)):
            return .int64(try convert(v, present, slotCount, zero: 0) { (x: Int32) throws(ParquetError) -> Int64 in Int64(UInt32(bitPattern: x)) })
        case (.int32ToInt64, .int32(let v)):
            return .int64(try convert(v, present, slotCount, zero: 0) { (x: Int32) throws(ParquetError) -> Int64 in Int64(x) })
        case (.int32ToInt128, .int32(let v)):
            return .int128(try convert(v, present, slotCount, zero: 0) { (x: Int32) throws(ParquetError) -> Int128 in Int128(x) })
        case (.int64, .int64(let v)):
            return .int64(try place(v, present, slotCount, zero: 0))
        case (.int64ToInt128, .int64(let v)):
            return .int128(try convert(v, present, slotCount, zero: 0) { (x: Int64) throws(ParquetError) -> Int128 in Int128(x) })
        case (.uint64ToInt128, .int64(let v)):
            return .int128(try convert(v, present, slotCount, zero: 0) { (x: Int64) throws(ParquetError) -> Int128 in Int128(UInt64(bitPattern: x)) })
        case (.int64TimeToMillis(let divisor), .int64(let v)):
            return .int32(try convert(v, present, slotCount, zero: 0) { (x: Int64) throws(ParquetError) -> Int32 in
                let millis = x >= 0 ? x / divisor : (x - divisor + 1) / divisor
                guard let n = Int32(exactly: millis) else { throw ParquetError.corrupt("column \(leaf.pathString): time \(x) is out of range") }
                return n
            })
        case (.float, .float(let v)):
            return .float32(try place(v, present, slotCount, zero: 0))
        case (.double, .double(let v)):
            return .float64(try place(v, present, slotCount, zero: 0))
        case (.bytes, .bytes(let strings)):
            guard let present else { return .bytes(strings) }
            var offsets = [Int32](repeating: 0, count: slotCount + 1)
            var k = 0
            var end: Int32 = 0
            var previousSlot = -1
            try forEachSlot(present, slotCount) { (slot) throws(ParquetError) in
                for s in (previousSlot + 1) ..< slot { offsets[s + 1] = end }
                end = strings.offsets[k + 1]
                offsets[slot + 1] = end
                previousSlot = slot
                k += 1
            }
            for s in (previousSlot + 1) ..< slotCount { offsets[s + 1] = end }
            return .bytes(ByteStrings(offsets: offsets, data: strings.data))
        case (.bigEndianToInt64, .bytes(let strings)):
            var out = [Int64](repeating: 0, count: slotCount)
            var k = 0
            try strings.data.withRawBytes { (data) throws(ParquetError) in
                try forEachSlot(present, slotCount) { (slot) throws(ParquetError) in
                    let value = try bigEndianDecimal(data, Int(strings.offsets[k]), Int(strings.offsets[k + 1]), leaf: leaf)
                    guard let n = Int64(exactly: value) else {
                        throw ParquetError.corrupt("column \(leaf.pathString): decimal \(value) does not fit 64 bits")
                    }
                    out[slot] = n
                    k += 1
                }
            }
            return .int64(out)
        case (.bigEndianToInt128, .bytes(let strings)):
            var out = [Int128](repeating: 0, count: slotCount)
            var k = 0
            try strings.data.withRawBytes { (data) throws(ParquetError) in
                try forEachSlot(present, slotCount) { (slot) throws(ParquetError) in
                    out[slot] = try bigEndianDecimal(data, Int(strings.offsets[k]), Int(strings.offsets[k + 1]), leaf: leaf)
                    k += 1
                }
            }
            return .int128(out)
        default:
            throw mismatch()
        }
    }

    /// Calls `body` with each slot that takes a value, in order.
    @inline(__always)
    static func forEachSlot(_ present: Bitmap?, _ slotCount: Int, _ body: (Int) throws(ParquetError) -> Void) throws(ParquetError) {
        guard let present else {
            for slot in 0..<slotCount { try body(slot) }
            return
        }
        for (w, word) in present.words.enumerated() {
            var bits = word
            while bits != 0 {
                try body(w << 6 | bits.trailingZeroBitCount)
                bits &= bits &- 1
            }
        }
    }

    /// `dense` placed into slots (moved as is when every slot takes a value).
    static func place<T>(_ dense: [T], _ present: Bitmap?, _ slotCount: Int, zero: T) throws(ParquetError) -> [T] {
        guard let present else { return dense }
        var out = [T](repeating: zero, count: slotCount)
        var k = 0
        try dense.withBuffer { (d) throws(ParquetError) in
            try forEachSlot(present, slotCount) { (slot) throws(ParquetError) in
                out[slot] = d[k]
                k += 1
            }
        }
        return out
    }

    static func convert<T, U>(_ dense: [T], _ present: Bitmap?, _ slotCount: Int, zero: U,
                              _ f: (T) throws(ParquetError) -> U) throws(ParquetError) -> [U] {
        var out = [U](repeating: zero, count: slotCount)
        var k = 0
        try dense.withBuffer { (d) throws(ParquetError) in
            try out.withUnsafeMutableBufferPointer { (o) throws(ParquetError) in
                try forEachSlot(present, slotCount) { (slot) throws(ParquetError) in
                    o[slot] = try f(d[k])
                    k += 1
                }
            }
        }
        return out
    }

    /// A big-endian two's complement integer of `data[start..<end]` (sign-extended; more than 16 bytes only when the
    /// extra leading bytes are sign extension).
    static func bigEndianDecimal(_ data: UnsafeRawBufferPointer, _ start: Int, _ end: Int, leaf: LeafColumn) throws(ParquetError) -> Int128 {
        guard end > start else { throw ParquetError.corrupt("column \(leaf.pathString): an empty decimal value") }
        var first = start
        let negative = data[start] & 0x80 != 0
        while end - first > 16 {
            guard data[first] == (negative ? 0xff : 0x00) else {
                throw ParquetError.corrupt("column \(leaf.pathString): a decimal of \(end - start) bytes does not fit 128 bits")
            }
            first += 1
        }
        if end - first == 16, (data[first] & 0x80 != 0) != negative {
            throw ParquetError.corrupt("column \(leaf.pathString): a decimal of \(end - start) bytes does not fit 128 bits")
        }
        var value: Int128 = negative ? -1 : 0
        for i in first..<end { value = (value << 8) | Int128(data[i]) }
        return value
    }
}
