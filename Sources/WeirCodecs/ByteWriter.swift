/// A growable byte buffer with the puts that match ``ByteReader``'s reads (little- and big-endian integers, IEEE
/// floats, runs of bytes; varints in `Varint.swift`). Appends amortise to O(1); nothing else allocates.
public struct ByteWriter: Sendable {
    @usableFromInline var storage: [UInt8]

    /// An empty writer with room for `capacity` bytes before it grows.
    @inlinable
    public init(capacity: Int = 0) {
        storage = []
        storage.reserveCapacity(capacity)
    }

    /// The bytes written so far.
    @inlinable public var bytes: [UInt8] { storage }
    @inlinable public var count: Int { storage.count }
    @inlinable public var isEmpty: Bool { storage.isEmpty }

    @inlinable public mutating func reserveCapacity(_ n: Int) { storage.reserveCapacity(n) }
    /// Forgets the bytes written, keeping the capacity.
    @inlinable public mutating func removeAll() { storage.removeAll(keepingCapacity: true) }

    @inlinable public mutating func putU8(_ v: UInt8) { storage.append(v) }
    @inlinable public mutating func putU16LE(_ v: UInt16) { putRaw(v.littleEndian) }
    @inlinable public mutating func putU16BE(_ v: UInt16) { putRaw(v.bigEndian) }
    @inlinable public mutating func putU32LE(_ v: UInt32) { putRaw(v.littleEndian) }
    @inlinable public mutating func putU32BE(_ v: UInt32) { putRaw(v.bigEndian) }
    @inlinable public mutating func putU64LE(_ v: UInt64) { putRaw(v.littleEndian) }
    @inlinable public mutating func putU64BE(_ v: UInt64) { putRaw(v.bigEndian) }
    @inlinable public mutating func putI32LE(_ v: Int32) { putRaw(v.littleEndian) }
    @inlinable public mutating func putI32BE(_ v: Int32) { putRaw(v.bigEndian) }
    @inlinable public mutating func putI64LE(_ v: Int64) { putRaw(v.littleEndian) }
    @inlinable public mutating func putI64BE(_ v: Int64) { putRaw(v.bigEndian) }
    /// IEEE-754 binary32, little-endian.
    @inlinable public mutating func putFloatLE(_ v: Float) { putRaw(v.bitPattern.littleEndian) }
    /// IEEE-754 binary64, little-endian.
    @inlinable public mutating func putDoubleLE(_ v: Double) { putRaw(v.bitPattern.littleEndian) }

    /// Appends `bytes` (one memcpy for contiguous collections).
    @inlinable
    public mutating func putBytes<C: Collection<UInt8>>(_ bytes: C) {
        storage.append(contentsOf: bytes)
    }

    /// Appends `count` copies of `byte` (padding).
    @inlinable
    public mutating func putRepeating(_ byte: UInt8, count: Int) {
        storage.append(contentsOf: repeatElement(byte, count: count))
    }

    @inlinable @inline(__always)
    mutating func putRaw<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v) { storage.append(contentsOf: $0) }
    }
}
