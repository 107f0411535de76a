/// The value encodings of DECIMAL and TIMESTAMP columns that are not run-length encodings.
enum DecimalVarint {
    /// The longest varint of a zigzag-encoded 128-bit value (19 bytes × 7 bits ≥ 128 bits).
    static let bytesMax = 19

    /// Reads one unbounded zigzag varint as a 128-bit unscaled value (ORC v1 spec, "Decimal Columns"); longer
    /// than 19 bytes or wider than 128 bits is an error.
    @inline(__always)
    static func read(_ cursor: inout StreamCursor) throws(ORCError) -> Int128 {
        var result: UInt128 = 0
        var shift = 0
        while true {
            let byte = try cursor.readByte()
            if shift == 126 && byte > 3 { throw cursor.error("decimal varint overflows 128 bits") }
            result |= UInt128(byte & 0x7f) << UInt128(shift)
            if byte < 0x80 { break }
            shift += 7
            if shift > 126 { throw cursor.error("decimal varint longer than \(bytesMax) bytes") }
        }
        return Int128(bitPattern: result >> 1) ^ -Int128(bitPattern: result & 1)
    }

    static func write(_ value: Int128, into out: inout [UInt8]) {
        var u = UInt128(bitPattern: (value << 1) ^ (value >> 127))
        while u >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: u) | 0x80)
            u >>= 7
        }
        out.append(UInt8(truncatingIfNeeded: u))
    }
}

/// TIMESTAMP columns: the DATA stream counts seconds from the ORC epoch, 2015-01-01 00:00:00 (in the writer's
/// zone for TIMESTAMP, in UTC for TIMESTAMP_INSTANT); the SECONDARY stream holds the nanoseconds with trailing
/// decimal zeros removed and their count minus one in the low 3 bits when there were two or more.
///
/// Before 1970 the ORC Java and C++ writers store `floor(seconds) + 1` when the nanoseconds are 1,000,000 or more
/// (a legacy of Java's millisecond arithmetic) and readers undo that when the seconds are negative. Weir writes
/// the same way, so a value in (-1 s, 0) with a fraction of at least a millisecond reads back one second late in
/// every reader (an ORC format quirk). pyarrow instead truncates toward zero and stores negative nanoseconds
/// (the C++ reader accepts them, the Java reader does not); Weir's reader accepts them as the C++ reader does.
enum TimestampEncoding {
    /// 2015-01-01T00:00:00Z in seconds since 1970-01-01.
    static let epochSeconds: Int64 = 1_420_070_400

    /// The SECONDARY stream value of `nanos` (0...999,999,999).
    static func encodeNanos(_ nanos: Int64) -> Int64 {
        guard nanos != 0 else { return 0 }
        guard nanos % 100 == 0 else { return nanos << 3 }
        var value = nanos / 100
        var zeros: Int64 = 1
        while value % 10 == 0 && zeros < 7 {
            value /= 10
            zeros += 1
        }
        return value << 3 | zeros
    }

    /// Undoes ``encodeNanos(_:)`` with an arithmetic shift, as the C++ reader does, so the negative counts pyarrow
    /// writes before 1970 come back negative; nil when the result is not within ±999,999,999.
    static func decodeNanos(_ encoded: Int64) -> Int64? {
        let zeros = encoded & 7
        var value = encoded >> 3
        if zeros != 0 {
            for _ in 0...zeros {
                let (product, overflow) = value.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                value = product
            }
        }
        return (-999_999_999...999_999_999).contains(value) ? value : nil
    }

    /// The DATA stream value for a timestamp of `seconds` (floor) and `nanos` since 1970.
    static func encodeSeconds(_ seconds: Int64, nanos: Int64) -> Int64 {
        var s = seconds
        if s < 0 && nanos > 999_999 { s += 1 }
        return s - epochSeconds
    }

    /// Seconds since 1970 from a DATA stream value and the decoded nanoseconds; nil on overflow.
    static func decodeSeconds(_ stored: Int64, nanos: Int64) -> Int64? {
        let (s, overflow) = stored.addingReportingOverflow(epochSeconds)
        if overflow { return nil }
        return s < 0 && nanos > 999_999 ? s - 1 : s
    }
}
