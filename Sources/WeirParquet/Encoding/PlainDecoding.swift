import WeirColumnar

/// Days between the Julian day number epoch and 1970-01-01 (INT96 timestamps count Julian days).
let julianDayOfUnixEpoch: Int64 = 2_440_588
let nanosPerDay: Int64 = 86_400_000_000_000

/// PLAIN decoding of every physical type (`Encoding.PLAIN`): little-endian fixed-width values, booleans bit-packed
/// LSB first, BYTE_ARRAY as 4-byte length + bytes, FIXED_LEN_BYTE_ARRAY as `typeLength` bytes each, INT96 as 8 bytes
/// nanoseconds of the day + 4 bytes Julian day (converted to nanoseconds since the epoch; outside the Int64 range is
/// an error). Every length is checked against the bytes left before anything is copied.
enum PlainDecoder {
    /// Decodes `count` values from the start of `data`, appending them to `out` (which must be the buffer case for
    /// `type`); returns the number of bytes used.
    static func decode(_ data: UnsafeRawBufferPointer, count: Int, type: PhysicalType, typeLength: Int,
                       into out: inout PhysicalValues, bytesMax: Int = byteStringsBytesMax) throws(ParquetError) -> Int {
        let bytesMax = min(bytesMax, byteStringsBytesMax)
        guard count >= 0 else { throw ParquetError.corrupt("negative value count \(count)") }
        func mismatch() -> ParquetError { ParquetError.corrupt("internal: buffer does not match physical type \(type)") }
        func need(_ bytes: Int) throws(ParquetError) {
            guard bytes <= data.count else {
                throw ParquetError.corrupt("PLAIN \(type): \(count) values need \(bytes) bytes, the page has \(data.count)")
            }
        }
        switch type {
        case .boolean:
            guard var values = out.takeBoolean() else { throw mismatch() }
            let bytes = (count + 7) / 8
            try need(bytes)
            values.reserveGrowing(count)
            for i in 0..<count { values.append((data[i >> 3] >> UInt8(i & 7)) & 1) }
            out = .boolean(values)
            return bytes
        case .int32:
            guard var values = out.takeInt32() else { throw mismatch() }
            try need(count * 4)
            appendRaw(&values, zero: 0, from: data, count: count)
            out = .int32(values)
            return count * 4
        case .int64:
            guard var values = out.takeInt64() else { throw mismatch() }
            try need(count * 8)
            appendRaw(&values, zero: 0, from: data, count: count)
            out = .int64(values)
            return count * 8
        case .int96:
            guard var values = out.takeInt64() else { throw mismatch() }
            try need(count * 12)
            values.reserveGrowing(count)
            for i in 0..<count {
                let nanosOfDay = Int64(bitPattern: UInt64(littleEndian: data.loadUnaligned(fromByteOffset: 12 * i, as: UInt64.self)))
                let julian = Int64(UInt32(littleEndian: data.loadUnaligned(fromByteOffset: 12 * i + 8, as: UInt32.self)))
                values.append(try int96Nanos(julianDay: julian, nanosOfDay: nanosOfDay))
            }
            out = .int64(values)
            return count * 12
        case .float:
            guard var values = out.takeFloat() else { throw mismatch() }
            try need(count * 4)
            appendRaw(&values, zero: 0, from: data, count: count)
            out = .float(values)
            return count * 4
        case .double:
            guard var values = out.takeDouble() else { throw mismatch() }
            try need(count * 8)
            appendRaw(&values, zero: 0, from: data, count: count)
            out = .double(values)
            return count * 8
        case .byteArray:
            guard var strings = out.takeBytes() else { throw mismatch() }
            // First pass: check every length and find the total, so the copy reserves once.
            var position = 0
            var total = 0
            for _ in 0..<count {
                guard data.count - position >= 4 else {
                    throw ParquetError.corrupt("PLAIN BYTE_ARRAY: length prefix runs past the end of the page")
                }
                let length = Int(UInt32(littleEndian: data.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                position += 4
                guard length <= data.count - position else {
                    throw ParquetError.corrupt("PLAIN BYTE_ARRAY: value of \(length) bytes but \(data.count - position) remain")
                }
                position += length
                total += length
            }
            guard strings.data.count + total <= bytesMax else {
                throw ParquetError.corrupt("byte-array values exceed \(bytesMax) bytes in one column chunk")
            }
            strings.data.reserveGrowing(total)
            strings.offsets.reserveGrowing(count)
            position = 0
            for _ in 0..<count {
                let length = Int(UInt32(littleEndian: data.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                position += 4
                strings.data.append(contentsOf: UnsafeRawBufferPointer(rebasing: data[position ..< position + length]))
                strings.offsets.append(Int32(strings.data.count))
                position += length
            }
            out = .bytes(strings)
            return position
        case .fixedLenByteArray:
            guard var strings = out.takeBytes() else { throw mismatch() }
            guard typeLength > 0 else { throw ParquetError.corrupt("FIXED_LEN_BYTE_ARRAY with length \(typeLength)") }
            let (bytes, overflow) = count.multipliedReportingOverflow(by: typeLength)
            guard !overflow else { throw ParquetError.corrupt("PLAIN FIXED_LEN_BYTE_ARRAY: size overflows") }
            try need(bytes)
            guard strings.data.count + bytes <= bytesMax else {
                throw ParquetError.corrupt("byte-array values exceed \(bytesMax) bytes in one column chunk")
            }
            strings.data.append(contentsOf: UnsafeRawBufferPointer(rebasing: data[0..<bytes]))
            strings.offsets.reserveGrowing(count)
            var end = Int(strings.offsets.last!)
            for _ in 0..<count {
                end += typeLength
                strings.offsets.append(Int32(end))
            }
            out = .bytes(strings)
            return bytes
        }
    }

    /// Nanoseconds since 1970-01-01 of an INT96 timestamp; an error outside the Int64 range (years 1677 to 2262).
    @inline(__always)
    static func int96Nanos(julianDay: Int64, nanosOfDay: Int64) throws(ParquetError) -> Int64 {
        // In 128 bits: the day's start may lie just outside the Int64 range while the instant itself is inside.
        let nanos = Int128(julianDay - julianDayOfUnixEpoch) * Int128(nanosPerDay) + Int128(nanosOfDay)
        guard let value = Int64(exactly: nanos) else {
            throw ParquetError.corrupt("INT96 timestamp (Julian day \(julianDay)) is outside the nanosecond range")
        }
        return value
    }
}
