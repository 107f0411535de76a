import CZstd

/// Zstandard through libzstd (frames as the `zstd` tool and Parquet/ORC/Avro writers produce them).
///
/// - ``compress(_:level:)``: one frame with the content size in its header; `level` must lie in ``levelRange``
///   (0 means libzstd's default, 3).
/// - ``decompress(_:uncompressedBytesMax:)``: for callers that do not know the size. The output never exceeds
///   `uncompressedBytesMax`: a frame header declaring more is rejected before anything is allocated, and frames
///   without a declared size are stream-decoded into a buffer that grows up to the limit and no further. Several
///   concatenated frames (and skippable frames) are decoded as one stream, as the `zstd` tool does. The decoder's
///   window is capped at max(8 MiB, the limit rounded up to a power of 2), so a frame cannot make it allocate more.
/// - ``decompress(_:uncompressedBytes:)``: for callers that know the exact size (Parquet pages, ORC chunks).
///
/// Errors carry libzstd's `ZSTD_getErrorName` text; libzstd does not say where in the input it failed.
public enum Zstd {
    static let name = "zstd"

    /// Log2 of the window (bytes) the decoder accepts whatever the limit: 2^23 = 8 MiB covers every level up to 19
    /// on inputs of any size. Larger windows are accepted only up to the limit rounded up to a power of 2 (and 2^31).
    public static let windowLogMin: Int32 = 23

    /// Levels libzstd accepts: `ZSTD_minCLevel() ... ZSTD_maxCLevel()` (negative levels are the fast modes; 0 means
    /// the default).
    public static var levelRange: ClosedRange<Int32> { ZSTD_minCLevel() ... ZSTD_maxCLevel() }

    /// libzstd's default level (3).
    public static let defaultLevel: Int32 = 3

    /// One zstd frame holding `input`, with its content size in the header. Throws `invalidArgument` for a level
    /// outside ``levelRange``.
    public static func compress<C: Collection<UInt8>>(_ input: C, level: Int32 = defaultLevel) throws(CodecError) -> [UInt8] {
        let range = levelRange
        guard range.contains(level) else {
            throw .invalidArgument(name, "level \(level) outside \(range.lowerBound)...\(range.upperBound)")
        }
        return try withContiguousBytes(input) { (src) throws(CodecError) -> [UInt8] in
            let bound = ZSTD_compressBound(src.count)
            if ZSTD_isError(bound) != 0 {
                throw .tooLarge(name, "input of \(src.count) bytes is larger than zstd can compress in one frame")
            }
            guard let cctx = ZSTD_createCCtx() else { throw .library(name, "ZSTD_createCCtx failed (out of memory)") }
            defer { ZSTD_freeCCtx(cctx) }
            return try [UInt8](unsafeUninitializedCapacity: bound) { (dst, count) throws(CodecError) in
                let written = ZSTD_compressCCtx(cctx, dst.baseAddress, bound, src.baseAddress, src.count, level)
                if ZSTD_isError(written) != 0 { throw .library(name, "compression failed: \(errorName(written))") }
                count = written
            }
        }
    }

    /// Decompresses one or more zstd frames, producing at most `uncompressedBytesMax` bytes (see the type's
    /// documentation). `tooLarge` when the data decompresses (or declares it would) to more than the limit.
    public static func decompress<C: Collection<UInt8>>(
        _ input: C, uncompressedBytesMax: Int
    ) throws(CodecError) -> [UInt8] {
        try checkLimit(name, uncompressedBytesMax)
        return try withContiguousBytes(input) { (src) throws(CodecError) -> [UInt8] in
            try decompressStreaming(src, limit: uncompressedBytesMax)
        }
    }

    /// Decompresses zstd data that must decode to exactly `uncompressedBytes` bytes; anything else is `corrupt`.
    /// `uncompressedBytes` is allocated up front: callers must bound it (it usually comes from a file's own header).
    public static func decompress<C: Collection<UInt8>>(
        _ input: C, uncompressedBytes: Int
    ) throws(CodecError) -> [UInt8] {
        guard uncompressedBytes >= 0 else {
            throw .invalidArgument(name, "uncompressedBytes must be >= 0, got \(uncompressedBytes)")
        }
        return try withContiguousBytes(input) { (src) throws(CodecError) -> [UInt8] in
            let declared = try frameContentSize(src)
            if let declared, declared > UInt64(uncompressedBytes) {
                throw .corrupt(name, "frame declares \(declared) bytes, expected \(uncompressedBytes)", offset: 0)
            }
            return try decompressOneShot(src, exactly: uncompressedBytes)
        }
    }

    /// Decodes all of `src` in one call into a buffer of exactly `size` bytes; the output must fill it.
    static func decompressOneShot(_ src: UnsafeRawBufferPointer, exactly size: Int) throws(CodecError) -> [UInt8] {
        guard let dctx = ZSTD_createDCtx() else { throw .library(name, "ZSTD_createDCtx failed (out of memory)") }
        defer { ZSTD_freeDCtx(dctx) }
        return try [UInt8](unsafeUninitializedCapacity: max(size, 1)) { (dst, count) throws(CodecError) in
            let produced = ZSTD_decompressDCtx(dctx, dst.baseAddress, size, src.baseAddress, src.count)
            if ZSTD_isError(produced) != 0 {
                if ZSTD_getErrorCode(produced) == ZSTD_error_dstSize_tooSmall {
                    throw .corrupt(name, "data decompresses to more than the expected \(size) bytes")
                }
                throw error(produced, consumed: nil, total: src.count)
            }
            guard produced == size else {
                throw .corrupt(name, "data decompresses to \(produced) bytes, expected \(size)")
            }
            count = produced
        }
    }

    /// The content size the first frame's header declares: nil when it does not say. A missing or invalid frame
    /// header is `truncated` (fewer bytes than a header) or `corrupt`.
    static func frameContentSize(_ src: UnsafeRawBufferPointer) throws(CodecError) -> UInt64? {
        let size = ZSTD_getFrameContentSize(src.baseAddress, src.count)
        switch size {
        case UInt64.max:  // ZSTD_CONTENTSIZE_UNKNOWN
            return nil
        case UInt64.max - 1:  // ZSTD_CONTENTSIZE_ERROR
            if src.count < 4 { throw .truncated(name, "input of \(src.count) bytes is shorter than a frame header", offset: 0) }
            let magic = src.loadUnaligned(as: UInt32.self).littleEndian
            if magic != 0xFD2F_B528 && magic & 0xFFFF_FFF0 != 0x184D_2A50 {
                throw .corrupt(name, "not a zstd frame: magic number 0x\(String(magic, radix: 16))", offset: 0)
            }
            throw .corrupt(name, "invalid or truncated frame header", offset: 0)
        default:
            return size
        }
    }

    static func decompressStreaming(_ src: UnsafeRawBufferPointer, limit: Int) throws(CodecError) -> [UInt8] {
        if src.count == 0 { throw .truncated(name, "empty input: a zstd frame has at least 9 bytes", offset: 0) }
        let declared = try frameContentSize(src)
        var capacity: Int
        if let declared {
            if declared > UInt64(limit) {
                throw .tooLarge(name, "frame declares \(declared) bytes, more than the limit of \(limit)", offset: 0)
            }
            // Every block (3-byte header, at least 1 more byte) regenerates at most 128 KiB.
            let producible = UInt64(src.count / 3 + 1) * 131_072
            if declared > producible {
                throw .corrupt(name, "frame declares \(declared) bytes, more than \(src.count) input bytes can produce",
                               offset: 0)
            }
            capacity = Int(declared)
            // One frame of known size (the common case): decode in one call, straight into the final buffer.
            if ZSTD_findFrameCompressedSize(src.baseAddress, src.count) == src.count {
                return try decompressOneShot(src, exactly: capacity)
            }
        } else {
            capacity = min(limit, max(src.count &* 4, 65_536))
        }

        guard let dctx = ZSTD_createDCtx() else { throw .library(name, "ZSTD_createDCtx failed (out of memory)") }
        defer { ZSTD_freeDCtx(dctx) }
        let windowLog = max(windowLogMin, min(Int32(31), ceilLog2(limit)))
        let setResult = ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, windowLog)
        if ZSTD_isError(setResult) != 0 { throw .library(name, "setting windowLogMax: \(errorName(setResult))") }

        var out = [UInt8](repeating: 0, count: max(capacity, 1))
        var produced = 0
        var inBuffer = ZSTD_inBuffer(src: src.baseAddress, size: src.count, pos: 0)
        while true {
            let consumedBefore = inBuffer.pos
            let producedBefore = produced
            let hint = out.withUnsafeMutableBytes { o in
                var outBuffer = ZSTD_outBuffer(dst: o.baseAddress, size: capacity, pos: produced)
                let hint = ZSTD_decompressStream(dctx, &outBuffer, &inBuffer)
                produced = outBuffer.pos
                return hint
            }
            if ZSTD_isError(hint) != 0 {
                if ZSTD_getErrorCode(hint) == ZSTD_error_noForwardProgress_destFull {
                    throw .tooLarge(name, "data decompresses to more than the limit of \(limit) bytes")
                }
                throw error(hint, consumed: inBuffer.pos, total: src.count)
            }
            if hint == 0 {  // a frame is complete and flushed
                if inBuffer.pos == inBuffer.size { break }
                continue  // another frame follows
            }
            let progressed = inBuffer.pos != consumedBefore || produced != producedBefore
            if produced == capacity {
                if capacity >= limit {
                    // One more call with no room lets libzstd finish a frame whose remaining input yields no output
                    // (last block header, checksum); without progress the output would exceed the limit.
                    if !progressed {
                        throw .tooLarge(name, "data decompresses to more than the limit of \(limit) bytes")
                    }
                    continue
                }
                capacity = grownCapacity(capacity, limit: limit)
                if out.count < capacity { out.append(contentsOf: repeatElement(0, count: capacity - out.count)) }
                continue
            }
            if inBuffer.pos == inBuffer.size {
                throw .truncated(name, "input ends inside a frame (\(src.count) bytes read, frame incomplete)",
                                 offset: src.count)
            }
            if !progressed {
                throw .corrupt(name, "decoder made no progress after \(inBuffer.pos) of \(src.count) input bytes")
            }
        }
        out.removeSubrange(produced...)
        return out
    }

    /// The smallest k with 2^k >= n (0 for n <= 1).
    static func ceilLog2(_ n: Int) -> Int32 {
        n <= 1 ? 0 : Int32(Int.bitWidth - (n - 1).leadingZeroBitCount)
    }

    static func errorName(_ code: Int) -> String {
        String(cString: ZSTD_getErrorName(code))
    }

    /// A CodecError of the right kind for a libzstd error code.
    static func error(_ code: Int, consumed: Int?, total: Int) -> CodecError {
        let where_ = consumed.map { " (after reading \($0) of \(total) input bytes)" } ?? ""
        let message = "\(errorName(code))\(where_)"
        switch ZSTD_getErrorCode(code) {
        case ZSTD_error_memory_allocation, ZSTD_error_workSpace_tooSmall, ZSTD_error_init_missing, ZSTD_error_stage_wrong:
            return .library(name, message)
        case ZSTD_error_frameParameter_windowTooLarge, ZSTD_error_dstSize_tooSmall:
            return .tooLarge(name, message)
        case ZSTD_error_noForwardProgress_inputEmpty:
            return .truncated(name, message)
        default:
            return .corrupt(name, message)
        }
    }
}
