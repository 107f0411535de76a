/// Unsigned LEB128 varints (7 bits per byte, least significant group first, high bit = more bytes follow) and the
/// zigzag mapping of signed integers onto unsigned ones (0, -1, 1, -2, ... -> 0, 1, 2, 3, ...), as used by protobuf,
/// Avro, the Thrift compact protocol, ORC and snappy's length preamble.
///
/// Limits: a 64-bit varint has at most ``uint64BytesMax`` (10) bytes and its 10th byte may only be 0 or 1; a 32-bit
/// varint at most ``uint32BytesMax`` (5) bytes with a 5th byte of at most 0x0f. Longer or overflowing encodings are
/// `corrupt`. Non-minimal encodings within those lengths (e.g. `80 00` for 0) are accepted, as protobuf does.
public enum Varint {
    /// Longest encoding of a UInt64 (bytes).
    public static let uint64BytesMax = 10
    /// Longest encoding of a UInt32 (bytes).
    public static let uint32BytesMax = 5

    /// Number of bytes `value` takes as a varint (1...10).
    @inlinable
    public static func encodedLength(_ value: UInt64) -> Int {
        // 1 + floor((bits needed - 1) / 7), with 0 needing one byte.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    /// The varint encoding of `value` as a new array.
    @inlinable
    public static func encode(_ value: UInt64) -> [UInt8] {
        var writer = ByteWriter(capacity: uint64BytesMax)
        writer.putUVarint(value)
        return writer.bytes
    }

    @inlinable public static func zigzagEncode(_ v: Int32) -> UInt32 { UInt32(bitPattern: (v << 1) ^ (v >> 31)) }
    @inlinable public static func zigzagDecode(_ u: UInt32) -> Int32 { Int32(bitPattern: u >> 1) ^ -Int32(bitPattern: u & 1) }
    @inlinable public static func zigzagEncode(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }
    @inlinable public static func zigzagDecode(_ u: UInt64) -> Int64 { Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1) }
}

extension ByteReader {
    /// Reads an unsigned LEB128 varint of at most 10 bytes. Over-long (an 11th byte) or overflowing (10th byte > 1)
    /// encodings are `corrupt`; running out of bytes is `truncated`.
    @inlinable
    public mutating func readUVarint() throws(CodecError) -> UInt64 {
        let start = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < buffer.count else {
                let needed = position - start + 1
                position = start
                throw truncatedError(needed: needed)
            }
            let byte = buffer.baseAddress.unsafelyUnwrapped.load(fromByteOffset: position, as: UInt8.self)
            position &+= 1
            if shift == 63 && byte > 1 {
                position = start
                throw corruptError("varint overflows 64 bits")
            }
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift > 63 {
                position = start
                throw corruptError("varint longer than \(Varint.uint64BytesMax) bytes")
            }
        }
    }

    /// Reads an unsigned LEB128 varint of at most 5 bytes whose value fits in 32 bits; longer or larger is `corrupt`.
    @inlinable
    public mutating func readUVarint32() throws(CodecError) -> UInt32 {
        let start = position
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            guard position < buffer.count else {
                let needed = position - start + 1
                position = start
                throw truncatedError(needed: needed)
            }
            let byte = buffer.baseAddress.unsafelyUnwrapped.load(fromByteOffset: position, as: UInt8.self)
            position &+= 1
            if shift == 28 && byte > 0x0f {
                position = start
                throw corruptError("varint overflows 32 bits or is longer than \(Varint.uint32BytesMax) bytes")
            }
            result |= UInt32(byte & 0x7f) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    /// A zigzag-encoded signed 64-bit varint.
    @inlinable
    public mutating func readZigZagVarint64() throws(CodecError) -> Int64 {
        Varint.zigzagDecode(try readUVarint())
    }

    /// A zigzag-encoded signed 32-bit varint (at most 5 bytes).
    @inlinable
    public mutating func readZigZagVarint32() throws(CodecError) -> Int32 {
        Varint.zigzagDecode(try readUVarint32())
    }
}

extension ByteWriter {
    /// Appends `value` as an unsigned LEB128 varint (1...10 bytes).
    @inlinable
    public mutating func putUVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            storage.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        storage.append(UInt8(truncatingIfNeeded: v))
    }

    /// Appends `value` zigzag-encoded as a varint.
    @inlinable public mutating func putZigZagVarint(_ value: Int64) { putUVarint(Varint.zigzagEncode(value)) }
    /// Appends `value` zigzag-encoded as a varint (at most 5 bytes).
    @inlinable public mutating func putZigZagVarint(_ value: Int32) { putUVarint(UInt64(Varint.zigzagEncode(value))) }
}
