/// Runs `body` over the bytes of `bytes` as one contiguous buffer, copying only when the collection has no contiguous
/// storage ([UInt8], ArraySlice, UnsafeRawBufferPointer and Foundation's Data all have). The buffer is valid only
/// inside `body`. An empty input is passed with a non-nil base address, so C functions never see NULL.
@inlinable
func withContiguousBytes<C: Collection<UInt8>, R>(
    _ bytes: C, _ body: (UnsafeRawBufferPointer) throws(CodecError) -> R
) throws(CodecError) -> R {
    if bytes.isEmpty {
        return try body(UnsafeRawBufferPointer(start: UnsafeRawPointer(emptyBytesBase), count: 0))
    }
    var result: Result<R, CodecError>?
    _ = bytes.withContiguousStorageIfAvailable { buffer in
        result = Result { () throws(CodecError) -> R in try body(UnsafeRawBufferPointer(buffer)) }
    }
    if let result { return try result.get() }
    let copy = Array(bytes)
    return try copy.withUnsafeBufferPointer { (buffer) throws(CodecError) -> R in
        try body(UnsafeRawBufferPointer(buffer))
    }
}

/// The next size of a growing output buffer: doubles (at least 64 KiB more), never beyond `limit`.
@inline(__always)
func grownCapacity(_ current: Int, limit: Int) -> Int {
    let doubled = current > limit / 2 ? limit : max(current * 2, current + 65_536)
    return min(doubled, limit)
}

/// A valid address for zero-length buffers handed to C (8 bytes, never written or freed).
@usableFromInline
nonisolated(unsafe) let emptyBytesBase: UnsafeMutableRawPointer = {
    let base = UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 8)
    base.initializeMemory(as: UInt64.self, repeating: 0, count: 1)
    return base
}()
