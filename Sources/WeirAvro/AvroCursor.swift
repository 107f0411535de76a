import WeirCodecs

/// The primitive reads of Avro's binary encoding over bytes in memory (a ``ByteReader`` underneath), throwing
/// ``AvroError`` whose location is the byte offset (plus the reader's origin). Every length is checked against the
/// bytes that remain before anything is allocated.
///
/// - `int`: zigzag varint of at most 5 bytes that fits 32 bits; `long`: zigzag varint of at most 10 bytes.
/// - `boolean`: one byte, 0 or 1 (anything else is corrupt).
/// - `float`/`double`: 4/8 bytes little-endian IEEE 754.
/// - `bytes`/`string`: a long length, then that many bytes; strings must be valid UTF-8.
struct AvroCursor {
    var reader: ByteReader
    /// How many more array/map items that may take zero bytes (of a `null` or empty-record item type) may still be
    /// decoded from this buffer; the decoders set it to ``AvroLimits/zeroByteRecordsPerBlockMax`` per block, so
    /// counts that cost no input cannot add up without bound.
    var zeroByteItemsBudget = Int.max

    init(_ buffer: UnsafeRawBufferPointer, origin: Int = 0) {
        reader = ByteReader(buffer, codec: "avro", origin: origin)
    }

    /// Takes `count` zero-byte items from the budget.
    @inline(__always)
    mutating func spendZeroByteItems(_ count: Int) throws(AvroError) {
        guard count <= zeroByteItemsBudget else {
            throw corrupt("more items that take no bytes than the limit allows in one block")
        }
        zeroByteItemsBudget -= count
    }

    var offset: Int { reader.offset }
    var remaining: Int { reader.remaining }
    var isAtEnd: Bool { reader.isAtEnd }

    @inline(never)
    static func convert(_ error: CodecError) -> AvroError {
        AvroError(file: "", location: error.offset.map { "byte \($0)" } ?? "", error.message)
    }

    @inline(never)
    func corrupt(_ message: String) -> AvroError {
        AvroError(file: "", location: "byte \(reader.origin + reader.offset)", message)
    }

    @inline(__always)
    mutating func long() throws(AvroError) -> Int64 {
        do { return try reader.readZigZagVarint64() } catch { throw Self.convert(error) }
    }

    @inline(__always)
    mutating func int() throws(AvroError) -> Int32 {
        do { return try reader.readZigZagVarint32() } catch { throw Self.convert(error) }
    }

    @inline(__always)
    mutating func boolean() throws(AvroError) -> Bool {
        let byte: UInt8
        do { byte = try reader.readU8() } catch { throw Self.convert(error) }
        guard byte <= 1 else { throw corrupt("boolean byte \(byte) is neither 0 nor 1") }
        return byte == 1
    }

    @inline(__always)
    mutating func float() throws(AvroError) -> Float {
        do { return try reader.readFloatLE() } catch { throw Self.convert(error) }
    }

    @inline(__always)
    mutating func double() throws(AvroError) -> Double {
        do { return try reader.readDoubleLE() } catch { throw Self.convert(error) }
    }

    /// A length prefix, checked to be ≥ 0 and ≤ the bytes remaining.
    @inline(__always)
    mutating func length() throws(AvroError) -> Int {
        let n = try long()
        guard n >= 0 else { throw corrupt("negative length \(n)") }
        guard n <= Int64(reader.remaining) else {
            throw corrupt("length \(n) is more than the \(reader.remaining) bytes that remain")
        }
        return Int(n)
    }

    /// The next `count` bytes as a view (valid as long as the buffer).
    @inline(__always)
    mutating func slice(_ count: Int) throws(AvroError) -> UnsafeRawBufferPointer {
        do { return try reader.readSlice(count) } catch { throw Self.convert(error) }
    }

    /// A `bytes` value: length then bytes, as a view.
    @inline(__always)
    mutating func bytesSlice() throws(AvroError) -> UnsafeRawBufferPointer {
        try slice(length())
    }

    mutating func bytes() throws(AvroError) -> [UInt8] {
        Array(try bytesSlice())
    }

    /// A `string` value: length then UTF-8 bytes, validated.
    mutating func string() throws(AvroError) -> String {
        let start = reader.origin + reader.offset
        let slice = try bytesSlice()
        guard let s = String(validating: slice.bindMemory(to: UInt8.self), as: UTF8.self) else {
            throw AvroError(file: "", location: "byte \(start)", "string of \(slice.count) bytes is not valid UTF-8")
        }
        return s
    }

    mutating func skip(_ count: Int) throws(AvroError) {
        do { try reader.skip(count) } catch { throw Self.convert(error) }
    }

    /// The item count of the next array or map block: 0 ends the value; a negative count is followed by the
    /// block's byte size (read and checked against what remains, then ignored unless `skipping`).
    /// Returns (count, byte size or nil).
    @inline(__always)
    mutating func blockCount() throws(AvroError) -> (count: Int, bytes: Int?) {
        let n = try long()
        if n >= 0 {
            guard n <= Int64(Int.max / 2) else { throw corrupt("block count \(n) is too large") }
            return (Int(n), nil)
        }
        guard n != Int64.min else { throw corrupt("block count \(n) is too large") }
        let size = try length()
        return (Int(-n), size)
    }
}

extension ByteWriter {
    /// Avro `bytes`/`string`: the length as a zigzag long, then the bytes.
    @inlinable
    mutating func putAvroBytes<C: Collection<UInt8>>(_ bytes: C) {
        putZigZagVarint(Int64(bytes.count))
        putBytes(bytes)
    }
}

/// Runs `body` over the bytes of `bytes` with typed throws (the standard library's `withUnsafeBytes` rethrows
/// untyped errors).
@inline(__always)
func withAvroBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(AvroError) -> R) throws(AvroError) -> R {
    var result: Result<R, AvroError>? = nil
    bytes.withUnsafeBytes { raw in
        result = Result { () throws(AvroError) -> R in try body(raw) }
    }
    return try result!.get()
}
