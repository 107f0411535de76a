/// A bounds-checked cursor over one decoded page (or part of it) for the value and level decoders. Every read checks
/// what is left and throws a ``ParquetError`` naming `what` is being read; nothing allocates except
/// ``readArray(_:)``. The memory must stay valid while the cursor is used.
struct ByteCursor {
    let buffer: UnsafeRawBufferPointer
    private(set) var position = 0

    init(_ buffer: UnsafeRawBufferPointer) {
        self.buffer = buffer
    }

    var remaining: Int { buffer.count - position }
    var isAtEnd: Bool { position >= buffer.count }

    /// The bytes not read yet, as a view.
    var rest: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: buffer[position...]) }

    @inline(__always)
    mutating func readU8(_ what: @autoclosure () -> String) throws(ParquetError) -> UInt8 {
        guard position < buffer.count else { throw ParquetError.corrupt("\(what()): unexpected end of data") }
        let byte = buffer[position]
        position += 1
        return byte
    }

    @inline(__always)
    mutating func readU32LE(_ what: @autoclosure () -> String) throws(ParquetError) -> UInt32 {
        guard remaining >= 4 else { throw ParquetError.corrupt("\(what()): need 4 bytes, \(remaining) remain") }
        let value = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: position, as: UInt32.self))
        position += 4
        return value
    }

    /// An unsigned LEB128 varint of at most 10 bytes.
    @inline(__always)
    mutating func readVarint(_ what: @autoclosure () -> String) throws(ParquetError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < buffer.count else { throw ParquetError.corrupt("\(what()): varint runs past the end") }
            let byte = buffer[position]
            position += 1
            if shift == 63 && byte > 1 { throw ParquetError.corrupt("\(what()): varint overflows 64 bits") }
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift > 63 { throw ParquetError.corrupt("\(what()): varint longer than 10 bytes") }
        }
    }

    /// A zigzag-encoded signed varint.
    @inline(__always)
    mutating func readZigZag(_ what: @autoclosure () -> String) throws(ParquetError) -> Int64 {
        let u = try readVarint(what())
        return Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1)
    }

    /// The next `count` bytes as a view (no copy).
    @inline(__always)
    mutating func take(_ count: Int, _ what: @autoclosure () -> String) throws(ParquetError) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else {
            throw ParquetError.corrupt("\(what()): need \(count) bytes, \(remaining) remain")
        }
        let slice = UnsafeRawBufferPointer(rebasing: buffer[position ..< position + count])
        position += count
        return slice
    }

    mutating func skip(_ count: Int, _ what: @autoclosure () -> String) throws(ParquetError) {
        _ = try take(count, what())
    }
}
