import WeirColumnar

#if _endian(big)
#error("WeirParquet copies little-endian page bytes straight into integer and float buffers")
#endif

/// The decoded non-null values of one leaf column chunk (or of a dictionary page), in file order and physical form.
/// INT96 timestamps are held as nanoseconds since 1970-01-01 in ``int64`` (converted while decoding); fixed-length
/// byte arrays are byte strings of equal length.
enum PhysicalValues: Sendable {
    case boolean([UInt8])
    case int32([Int32])
    case int64([Int64])
    case float([Float])
    case double([Double])
    case bytes(ByteStrings)

    /// An empty buffer for `type`.
    static func empty(for type: PhysicalType) -> PhysicalValues {
        switch type {
        case .boolean: .boolean([])
        case .int32: .int32([])
        case .int64, .int96: .int64([])
        case .float: .float([])
        case .double: .double([])
        case .byteArray, .fixedLenByteArray: .bytes(ByteStrings())
        }
    }

    var count: Int {
        switch self {
        case .boolean(let v): v.count
        case .int32(let v): v.count
        case .int64(let v): v.count
        case .float(let v): v.count
        case .double(let v): v.count
        case .bytes(let s): s.count
        }
    }
}

/// Appends the raw little-endian bytes of `count` fixed-width values to `array` (one copy, no per-value work).
@inline(__always)
func appendRaw<T: BitwiseCopyable>(_ array: inout [T], zero: T, from raw: UnsafeRawBufferPointer, count: Int) {
    guard count > 0 else { return }
    let old = array.count
    array.append(contentsOf: repeatElement(zero, count: count))
    array.withUnsafeMutableBytes { destination in
        destination.baseAddress!.advanced(by: old * MemoryLayout<T>.stride)
            .copyMemory(from: raw.baseAddress!, byteCount: count * MemoryLayout<T>.stride)
    }
}

/// The largest byte-string column this module builds (the offsets are `Int32`).
let byteStringsBytesMax = Int(Int32.max)

extension ByteStrings {
    /// Appends `bytes` with a checked size (a Parquet error instead of a trap past 2 GiB).
    @inline(__always)
    mutating func appendChecked(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) {
        guard data.count + bytes.count <= byteStringsBytesMax else {
            throw ParquetError.corrupt("byte-array values exceed \(byteStringsBytesMax) bytes in one column")
        }
        data.append(contentsOf: bytes)
        offsets.append(Int32(data.count))
    }
}

extension PhysicalValues {
    /// Reserves room for `values` values (and, for byte strings, `bytes` bytes of data) in the empty buffer.
    mutating func reserve(values: Int, bytes: Int) {
        switch self {
        case .boolean(var v): self = .int32([]); v.reserveCapacity(values); self = .boolean(v)
        case .int32(var v): self = .boolean([]); v.reserveCapacity(values); self = .int32(v)
        case .int64(var v): self = .boolean([]); v.reserveCapacity(values); self = .int64(v)
        case .float(var v): self = .boolean([]); v.reserveCapacity(values); self = .float(v)
        case .double(var v): self = .boolean([]); v.reserveCapacity(values); self = .double(v)
        case .bytes(var s):
            self = .boolean([])
            s.offsets.reserveCapacity(values + 1)
            s.data.reserveCapacity(bytes)
            self = .bytes(s)
        }
    }

    // Each `take…` moves the buffer out (leaving an empty placeholder) so the caller can append to it without a
    // copy-on-write copy, then puts it back with the case constructor. Nil when the case differs.

    mutating func takeBoolean() -> [UInt8]? {
        guard case .boolean(let v) = self else { return nil }
        self = .int32([])
        return v
    }

    mutating func takeInt32() -> [Int32]? {
        guard case .int32(let v) = self else { return nil }
        self = .boolean([])
        return v
    }

    mutating func takeInt64() -> [Int64]? {
        guard case .int64(let v) = self else { return nil }
        self = .boolean([])
        return v
    }

    mutating func takeFloat() -> [Float]? {
        guard case .float(let v) = self else { return nil }
        self = .boolean([])
        return v
    }

    mutating func takeDouble() -> [Double]? {
        guard case .double(let v) = self else { return nil }
        self = .boolean([])
        return v
    }

    mutating func takeBytes() -> ByteStrings? {
        guard case .bytes(let v) = self else { return nil }
        self = .boolean([])
        return v
    }
}

extension Array {
    /// Makes room for `additional` more elements, growing geometrically (a plain `reserveCapacity(count + k)` per page
    /// would reallocate to the exact size every time, quadratic over many pages).
    @inline(__always)
    mutating func reserveGrowing(_ additional: Int) {
        let needed = count + additional
        if needed > capacity { reserveCapacity(Swift.max(needed, capacity * 2)) }
    }
}

extension Array {
    /// `withUnsafeBufferPointer` for a body that throws ``ParquetError`` (the standard one rethrows `any Error`).
    @inline(__always)
    func withBuffer<R>(_ body: (UnsafeBufferPointer<Element>) throws(ParquetError) -> R) throws(ParquetError) -> R {
        let result: Result<R, ParquetError> = withUnsafeBufferPointer { buffer in
            Result { () throws(ParquetError) -> R in try body(buffer) }
        }
        return try result.get()
    }

    /// `withUnsafeBytes` for a body that throws ``ParquetError``.
    @inline(__always)
    func withRawBytes<R>(_ body: (UnsafeRawBufferPointer) throws(ParquetError) -> R) throws(ParquetError) -> R {
        let result: Result<R, ParquetError> = withUnsafeBytes { raw in
            Result { () throws(ParquetError) -> R in try body(raw) }
        }
        return try result.get()
    }
}
