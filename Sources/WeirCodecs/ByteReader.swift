/// A bounds-checked cursor over bytes in memory: the base of every decoder (Parquet thrift, Avro, wire frames).
///
/// Every read checks the remaining length first and throws ``CodecError`` (kind `truncated`, naming the offset)
/// instead of trapping. Offsets in errors are `origin + offset`, so a reader over one page of a file can report file
/// offsets. Multi-byte reads are unaligned loads; nothing allocates except ``readBytes(_:)``.
///
/// The reader does not own its memory: `buffer` must stay valid while the reader is used. The usual way to get one is
/// ``withReader(_:codec:origin:_:)``, which keeps the bytes alive for the duration of the closure.
public struct ByteReader {
    /// The bytes read; valid only as long as the memory the caller gave.
    public let buffer: UnsafeRawBufferPointer
    /// Added to offsets in error messages (the position of `buffer` inside a larger input).
    public let origin: Int
    @usableFromInline let codec: StaticString
    @usableFromInline var position: Int

    /// A reader at offset 0 of `buffer`; `codec` names the format in errors ("parquet-thrift", "avro", ...).
    @inlinable
    public init(_ buffer: UnsafeRawBufferPointer, codec: StaticString = "bytes", origin: Int = 0) {
        self.buffer = buffer
        self.codec = codec
        self.origin = origin
        self.position = 0
    }

    /// Runs `body` with a reader over `bytes` (no copy for contiguous collections) and returns what it returns.
    @inlinable
    public static func withReader<C: Collection<UInt8>, R>(
        _ bytes: C, codec: StaticString = "bytes", origin: Int = 0,
        _ body: (inout ByteReader) throws(CodecError) -> R
    ) throws(CodecError) -> R {
        try withContiguousBytes(bytes) { (raw) throws(CodecError) -> R in
            var reader = ByteReader(raw, codec: codec, origin: origin)
            return try body(&reader)
        }
    }

    /// Bytes consumed so far (0...count).
    @inlinable public var offset: Int { position }
    /// Total bytes in the buffer.
    @inlinable public var count: Int { buffer.count }
    /// Bytes left to read.
    @inlinable public var remaining: Int { buffer.count &- position }
    @inlinable public var isAtEnd: Bool { position >= buffer.count }

    // MARK: single bytes and integers

    @inlinable
    public mutating func readU8() throws(CodecError) -> UInt8 {
        guard position < buffer.count else { throw truncatedError(needed: 1) }
        let value = buffer.baseAddress.unsafelyUnwrapped.load(fromByteOffset: position, as: UInt8.self)
        position &+= 1
        return value
    }

    /// The next byte without consuming it.
    @inlinable
    public func peekU8() throws(CodecError) -> UInt8 {
        guard position < buffer.count else { throw truncatedError(needed: 1) }
        return buffer.baseAddress.unsafelyUnwrapped.load(fromByteOffset: position, as: UInt8.self)
    }

    @inlinable public mutating func readU16LE() throws(CodecError) -> UInt16 { UInt16(littleEndian: try load(UInt16.self)) }
    @inlinable public mutating func readU16BE() throws(CodecError) -> UInt16 { UInt16(bigEndian: try load(UInt16.self)) }
    @inlinable public mutating func readU32LE() throws(CodecError) -> UInt32 { UInt32(littleEndian: try load(UInt32.self)) }
    @inlinable public mutating func readU32BE() throws(CodecError) -> UInt32 { UInt32(bigEndian: try load(UInt32.self)) }
    @inlinable public mutating func readU64LE() throws(CodecError) -> UInt64 { UInt64(littleEndian: try load(UInt64.self)) }
    @inlinable public mutating func readU64BE() throws(CodecError) -> UInt64 { UInt64(bigEndian: try load(UInt64.self)) }
    @inlinable public mutating func readI32LE() throws(CodecError) -> Int32 { Int32(littleEndian: try load(Int32.self)) }
    @inlinable public mutating func readI32BE() throws(CodecError) -> Int32 { Int32(bigEndian: try load(Int32.self)) }
    @inlinable public mutating func readI64LE() throws(CodecError) -> Int64 { Int64(littleEndian: try load(Int64.self)) }
    @inlinable public mutating func readI64BE() throws(CodecError) -> Int64 { Int64(bigEndian: try load(Int64.self)) }

    /// IEEE-754 binary32, little-endian.
    @inlinable
    public mutating func readFloatLE() throws(CodecError) -> Float {
        Float(bitPattern: UInt32(littleEndian: try load(UInt32.self)))
    }

    /// IEEE-754 binary64, little-endian.
    @inlinable
    public mutating func readDoubleLE() throws(CodecError) -> Double {
        Double(bitPattern: UInt64(littleEndian: try load(UInt64.self)))
    }

    // MARK: runs of bytes

    /// The next `n` bytes as a view into `buffer` (no copy; valid as long as `buffer`). `n < 0` is `corrupt`.
    @inlinable
    public mutating func readSlice(_ n: Int) throws(CodecError) -> UnsafeRawBufferPointer {
        try checkAvailable(n)
        let slice = UnsafeRawBufferPointer(rebasing: buffer[position ..< position &+ n])
        position &+= n
        return slice
    }

    /// The next `n` bytes, copied. `n < 0` is `corrupt`.
    @inlinable
    public mutating func readBytes(_ n: Int) throws(CodecError) -> [UInt8] {
        Array(try readSlice(n))
    }

    /// Moves past `n` bytes. `n < 0` is `corrupt`.
    @inlinable
    public mutating func skip(_ n: Int) throws(CodecError) {
        try checkAvailable(n)
        position &+= n
    }

    /// Moves to absolute offset `newOffset` (0...count) of the buffer; outside that range is `truncated`/`corrupt`.
    @inlinable
    public mutating func seek(to newOffset: Int) throws(CodecError) {
        guard newOffset >= 0 else { throw negativeLengthError(newOffset) }
        guard newOffset <= buffer.count else {
            throw CodecError.truncated(
                String(describing: codec), "seek to offset \(origin + newOffset) past the end (\(origin + buffer.count))",
                offset: origin + newOffset)
        }
        position = newOffset
    }

    // MARK: helpers

    @inlinable @inline(__always)
    mutating func load<T: FixedWidthInteger>(_: T.Type) throws(CodecError) -> T {
        let size = MemoryLayout<T>.size
        guard size <= buffer.count &- position else { throw truncatedError(needed: size) }
        let value = buffer.baseAddress.unsafelyUnwrapped.loadUnaligned(fromByteOffset: position, as: T.self)
        position &+= size
        return value
    }

    @inlinable @inline(__always)
    func checkAvailable(_ n: Int) throws(CodecError) {
        guard n >= 0 else { throw negativeLengthError(n) }
        guard n <= buffer.count &- position else { throw truncatedError(needed: n) }
    }

    /// The `truncated` error for a read of `needed` bytes at the current offset.
    @usableFromInline @inline(never)
    func truncatedError(needed: Int) -> CodecError {
        CodecError.truncated(
            String(describing: codec),
            "need \(needed) byte\(needed == 1 ? "" : "s") at offset \(origin + position), only \(remaining) remain",
            offset: origin + position)
    }

    @usableFromInline @inline(never)
    func negativeLengthError(_ n: Int) -> CodecError {
        CodecError.corrupt(String(describing: codec), "negative length or offset \(n)", offset: origin + position)
    }

    /// A `corrupt` error at the current offset, for decoders built on this reader.
    @inline(never)
    public func corruptError(_ message: String) -> CodecError {
        CodecError.corrupt(String(describing: codec), message, offset: origin + position)
    }
}
