/// The uncompressed bytes of one stream, owned in one allocation so decoders can walk them through a raw
/// pointer without copying or per-value bounds-checked array access. Immutable once made.
final class StreamBytes: @unchecked Sendable {
    let buffer: UnsafeRawBufferPointer
    /// Names the stream in errors: "stripe 0, column 3 (price), DATA".
    let context: String

    init(_ bytes: [UInt8], context: String) {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { storage.baseAddress!.copyMemory(from: base, byteCount: source.count) }
        }
        buffer = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(storage)[0..<bytes.count])
        self.context = context
    }

    deinit {
        UnsafeMutableRawPointer(mutating: buffer.baseAddress)?.deallocate()
    }

    var count: Int { buffer.count }

    /// A cursor at the start of the bytes.
    func cursor() -> StreamCursor { StreamCursor(self) }
}

/// A read position in a ``StreamBytes``. Every read checks the bytes left and throws an ``ORCError`` naming the
/// stream and offset instead of trapping. Holds its owner alive.
struct StreamCursor {
    let owner: StreamBytes
    let base: UnsafeRawPointer
    let end: Int
    var position: Int = 0

    init(_ owner: StreamBytes) {
        self.owner = owner
        // An empty buffer may have a nil base address; point at a harmless address then (never read: end is 0).
        base = owner.buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 16)!
        end = owner.buffer.count
    }

    var remaining: Int { end &- position }
    var isAtEnd: Bool { position >= end }

    func error(_ message: String) -> ORCError {
        ORCError(file: "", location: "\(owner.context) at byte \(position)", message)
    }

    @inline(__always)
    mutating func readByte() throws(ORCError) -> UInt8 {
        guard position < end else { throw error("stream ends early") }
        let byte = base.load(fromByteOffset: position, as: UInt8.self)
        position &+= 1
        return byte
    }

    /// Checks that `n` more bytes are there.
    @inline(__always)
    func require(_ n: Int) throws(ORCError) {
        guard n >= 0, n <= end &- position else { throw error("stream ends early: need \(n) bytes, \(end &- position) left") }
    }

    /// An unsigned LEB128 varint of at most 10 bytes.
    @inline(__always)
    mutating func readVarint() throws(ORCError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw error("varint runs past the end of the stream") }
            let byte = base.load(fromByteOffset: position, as: UInt8.self)
            position &+= 1
            // The 10th byte holds bit 63 only: anything else overflows (and a continuation there would make 11 bytes).
            if shift == 63 && byte > 1 { throw error("varint overflows 64 bits") }
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return result }
            shift &+= 7
        }
    }

    /// A zigzag varint.
    @inline(__always)
    mutating func readSignedVarint() throws(ORCError) -> Int64 {
        let u = try readVarint()
        return Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1)
    }

    /// `n` bytes as a big-endian unsigned number (n ≤ 8).
    @inline(__always)
    mutating func readBigEndian(_ n: Int) throws(ORCError) -> UInt64 {
        try require(n)
        var value: UInt64 = 0
        for i in 0..<n { value = value << 8 | UInt64(base.load(fromByteOffset: position &+ i, as: UInt8.self)) }
        position &+= n
        return value
    }
}
