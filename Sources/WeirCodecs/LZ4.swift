import CLZ4

/// LZ4 through liblz4, in its two shapes:
///
/// - **Raw blocks** (``compressBlock(_:)``, ``decompressBlock(_:uncompressedBytesMax:)``,
///   ``decompressBlock(_:uncompressedBytes:)``): one LZ4 block with no header, as Parquet's `LZ4_RAW` and ORC's
///   `LZ4` store it. A block does not record its decompressed size, so the max-limited variant first walks the
///   block's sequences (cheap: no bytes are copied) to learn the exact size and check every match offset, rejects
///   it if it exceeds the limit, then decodes into a buffer of exactly that size. Blocks are limited to
///   ``blockBytesMax`` (liblz4's `LZ4_MAX_INPUT_SIZE`, about 2 GiB) on both sides.
/// - **Frames** (``compressFrame(_:level:)``, ``decompressFrame(_:uncompressedBytesMax:)``): the `.lz4` file format
///   with magic number, block checksums and content checksum, as the `lz4` tool writes it. Decompression grows its
///   output up to the limit and no further (a declared content size over the limit, or over 256 times the input, is
///   rejected first); concatenated and skippable frames are accepted, as the tool does. Besides the output, liblz4
///   allocates at most about two of the frame's blocks (4 MiB each at most) plus 128 KiB.
public enum LZ4 {
    static let blockName = "lz4-raw"
    static let frameName = "lz4-frame"

    /// Largest raw block, compressed or not (bytes): liblz4's `LZ4_MAX_INPUT_SIZE`.
    public static let blockBytesMax = 0x7E00_0000

    /// Frame compression levels: 0 is the fast default, 1...12 use LZ4HC, negative values trade ratio for speed.
    public static let frameLevelRange: ClosedRange<Int32> = -65_537 ... 12

    // MARK: raw blocks

    /// One raw LZ4 block holding `input` (`LZ4_compress_default`). Inputs over ``blockBytesMax`` are `tooLarge`.
    public static func compressBlock<C: Collection<UInt8>>(_ input: C) throws(CodecError) -> [UInt8] {
        try withContiguousBytes(input) { (src) throws(CodecError) -> [UInt8] in
            guard src.count <= blockBytesMax else {
                throw .tooLarge(blockName, "input of \(src.count) bytes exceeds the block limit of \(blockBytesMax)")
            }
            let bound = Int(LZ4_compressBound(Int32(src.count)))
            return try [UInt8](unsafeUninitializedCapacity: bound) { (dst, count) throws(CodecError) in
                let written = LZ4_compress_default(
                    src.baseAddress!.assumingMemoryBound(to: CChar.self),
                    UnsafeMutableRawPointer(dst.baseAddress!).assumingMemoryBound(to: CChar.self),
                    Int32(src.count), Int32(bound))
                guard written > 0 else { throw .library(blockName, "LZ4_compress_default failed") }
                count = Int(written)
            }
        }
    }

    /// Decodes one raw LZ4 block of unknown decompressed size, producing at most `uncompressedBytesMax` bytes.
    public static func decompressBlock<C: Collection<UInt8>>(
        _ input: C, uncompressedBytesMax: Int
    ) throws(CodecError) -> [UInt8] {
        try checkLimit(blockName, uncompressedBytesMax)
        return try withContiguousBytes(input) { (src) throws(CodecError) -> [UInt8] in
            let size = try blockDecompressedLength(src, limit: min(uncompressedBytesMax, blockBytesMax))
            return try decodeBlock(src, exactly: size)
        }
    }

    /// Decodes one raw LZ4 block that must decompress to exactly `uncompressedBytes` bytes (allocated up front:
    /// callers must bound it). Anything else is `corrupt`.
    public static func decompressBlock<C: Collection<UInt8>>(
        _ input: C, uncompressedBytes: Int
    ) throws(CodecError) -> [UInt8] {
        guard uncompressedBytes >= 0 else {
            throw .invalidArgument(blockName, "uncompressedBytes must be >= 0, got \(uncompressedBytes)")
        }
        guard uncompressedBytes <= blockBytesMax else {
            throw .tooLarge(blockName, "\(uncompressedBytes) bytes exceed the block limit of \(blockBytesMax)")
        }
        return try withContiguousBytes(input) { (src) throws(CodecError) -> [UInt8] in
            try decodeBlock(src, exactly: uncompressedBytes)
        }
    }

    static func decodeBlock(_ src: UnsafeRawBufferPointer, exactly size: Int) throws(CodecError) -> [UInt8] {
        guard src.count > 0 else { throw .truncated(blockName, "empty input: a block has at least one byte", offset: 0) }
        guard src.count <= blockBytesMax else {
            throw .tooLarge(blockName, "input of \(src.count) bytes exceeds the block limit of \(blockBytesMax)")
        }
        return try [UInt8](unsafeUninitializedCapacity: max(size, 1)) { (dst, count) throws(CodecError) in
            let produced = LZ4_decompress_safe(
                src.baseAddress!.assumingMemoryBound(to: CChar.self),
                UnsafeMutableRawPointer(dst.baseAddress!).assumingMemoryBound(to: CChar.self),
                Int32(src.count), Int32(size))
            if produced < 0 {
                throw .corrupt(blockName, "malformed block, or it decompresses to more than \(size) bytes",
                               offset: Int(-produced) - 1)
            }
            guard Int(produced) == size else {
                throw .corrupt(blockName, "block decompresses to \(produced) bytes, expected \(size)")
            }
            count = size
        }
    }

    /// The decompressed size of a raw block, found by walking its sequences without copying: each sequence is a
    /// token (literal length high nibble, match length - 4 low nibble), optional 255-continued length bytes,
    /// literals, a 2-byte little-endian match offset and optional match-length bytes; the last sequence stops
    /// after its literals. Checks that literals stay inside the input and match offsets inside the output so far.
    static func blockDecompressedLength(_ src: UnsafeRawBufferPointer, limit: Int) throws(CodecError) -> Int {
        let n = src.count
        guard n > 0 else { throw .truncated(blockName, "empty input: a block has at least one byte", offset: 0) }
        let p = src.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var ip = 0
        var total = 0
        while true {
            let tokenOffset = ip
            let token = p[ip]
            ip &+= 1
            var literals = Int(token >> 4)
            if literals == 15 {
                while true {
                    guard ip < n else {
                        throw .truncated(blockName, "literal length runs past the end of the input", offset: ip)
                    }
                    let b = p[ip]
                    ip &+= 1
                    literals &+= Int(b)
                    if b != 255 { break }
                }
            }
            guard literals <= n &- ip else {
                throw .truncated(blockName, "\(literals) literals at offset \(ip) run past the end of the input",
                                 offset: ip)
            }
            ip &+= literals
            total &+= literals
            if total > limit { throw tooLargeBlock(limit) }
            if ip == n { return total }  // the last sequence has literals only
            guard n &- ip >= 2 else { throw .truncated(blockName, "match offset cut off", offset: ip) }
            let offset = Int(p[ip]) | Int(p[ip &+ 1]) << 8
            guard offset != 0 && offset <= total else {
                throw .corrupt(blockName, "match offset \(offset) outside the \(total) bytes decoded so far",
                               offset: ip)
            }
            ip &+= 2
            var matchLength = Int(token & 15)
            if matchLength == 15 {
                while true {
                    guard ip < n else {
                        throw .truncated(blockName, "match length of the sequence at \(tokenOffset) cut off", offset: ip)
                    }
                    let b = p[ip]
                    ip &+= 1
                    matchLength &+= Int(b)
                    if b != 255 { break }
                }
            }
            total &+= matchLength &+ 4
            if total > limit { throw tooLargeBlock(limit) }
            if ip == n {
                throw .corrupt(blockName, "block ends with a match; the last sequence must be literals only", offset: ip)
            }
        }
    }

    static func tooLargeBlock(_ limit: Int) -> CodecError {
        .tooLarge(blockName, "block decompresses to more than the limit of \(limit) bytes")
    }

    // MARK: frames

    /// One LZ4 frame holding `input`, with its content size and a content checksum (`LZ4F_compressFrame`, 64 KiB
    /// linked blocks). `level` must lie in ``frameLevelRange``.
    public static func compressFrame<C: Collection<UInt8>>(_ input: C, level: Int32 = 0) throws(CodecError) -> [UInt8] {
        guard frameLevelRange.contains(level) else {
            throw .invalidArgument(frameName, "level \(level) outside \(frameLevelRange)")
        }
        return try withContiguousBytes(input) { (src) throws(CodecError) -> [UInt8] in
            var preferences = LZ4F_preferences_t()
            preferences.frameInfo.contentSize = UInt64(src.count)
            preferences.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled
            preferences.compressionLevel = level
            let bound = LZ4F_compressFrameBound(src.count, &preferences)
            if LZ4F_isError(bound) != 0 { throw .tooLarge(frameName, "input too large: \(frameErrorName(bound))") }
            return try [UInt8](unsafeUninitializedCapacity: bound) { (dst, count) throws(CodecError) in
                let written = LZ4F_compressFrame(dst.baseAddress, bound, src.baseAddress, src.count, &preferences)
                if LZ4F_isError(written) != 0 {
                    throw .library(frameName, "LZ4F_compressFrame failed: \(frameErrorName(written))")
                }
                count = written
            }
        }
    }

    /// Decodes one or more LZ4 frames, producing at most `uncompressedBytesMax` bytes. A frame declaring a larger
    /// content size is rejected before decoding.
    public static func decompressFrame<C: Collection<UInt8>>(
        _ input: C, uncompressedBytesMax: Int
    ) throws(CodecError) -> [UInt8] {
        try checkLimit(frameName, uncompressedBytesMax)
        return try withContiguousBytes(input) { (src) throws(CodecError) -> [UInt8] in
            try decompressFrames(src, limit: uncompressedBytesMax)
        }
    }

    static func decompressFrames(_ src: UnsafeRawBufferPointer, limit: Int) throws(CodecError) -> [UInt8] {
        guard src.count > 0 else { throw .truncated(frameName, "empty input: a frame has at least 7 bytes", offset: 0) }
        var context: OpaquePointer?
        let created = LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(created) == 0, let context else {
            throw .library(frameName, "LZ4F_createDecompressionContext failed")
        }
        defer { LZ4F_freeDecompressionContext(context) }

        var info = LZ4F_frameInfo_t()
        var headerBytes = src.count
        let infoResult = LZ4F_getFrameInfo(context, &info, src.baseAddress, &headerBytes)
        if LZ4F_isError(infoResult) != 0 { throw frameError(infoResult, offset: 0) }
        var capacity: Int
        if info.contentSize > 0 {
            if info.contentSize > UInt64(limit) {
                throw .tooLarge(frameName, "frame declares \(info.contentSize) bytes, more than the limit of \(limit)",
                                offset: 0)
            }
            // An LZ4 block yields at most 255 bytes per input byte (a match-length byte of 255).
            if info.contentSize / 256 > UInt64(src.count) {
                throw .corrupt(frameName, "frame declares \(info.contentSize) bytes, more than \(src.count) input "
                               + "bytes can produce", offset: 0)
            }
            capacity = Int(info.contentSize)
        } else {
            capacity = min(limit, max(src.count &* 4, 65_536))
        }

        var out = [UInt8](repeating: 0, count: max(capacity, 1))
        var produced = 0
        var ip = headerBytes
        while true {
            var dstSize = capacity - produced
            var srcSize = src.count - ip
            let hint = out.withUnsafeMutableBytes { o in
                LZ4F_decompress(context, o.baseAddress! + produced, &dstSize, src.baseAddress! + ip, &srcSize, nil)
            }
            if LZ4F_isError(hint) != 0 { throw frameError(hint, offset: ip) }
            ip += srcSize
            produced += dstSize
            if hint == 0 {  // a frame is complete; the context is ready for the next one
                if ip == src.count { break }
                continue
            }
            let progressed = srcSize != 0 || dstSize != 0
            if produced == capacity {
                if capacity >= limit {
                    // A call with no room lets liblz4 finish a frame whose rest yields no output (end mark,
                    // checksum); without progress the output would exceed the limit.
                    if !progressed {
                        throw .tooLarge(frameName, "data decompresses to more than the limit of \(limit) bytes")
                    }
                    continue
                }
                capacity = grownCapacity(capacity, limit: limit)
                if out.count < capacity { out.append(contentsOf: repeatElement(0, count: capacity - out.count)) }
                continue
            }
            if ip == src.count {
                throw .truncated(frameName, "input ends inside a frame", offset: src.count)
            }
            if !progressed {
                throw .corrupt(frameName, "decoder made no progress", offset: ip)
            }
        }
        out.removeSubrange(produced...)
        return out
    }

    static func frameErrorName(_ code: Int) -> String {
        String(cString: LZ4F_getErrorName(code))
    }

    /// liblz4 exports error codes only to static linkers, so the kind is read from the error's name.
    static func frameError(_ code: Int, offset: Int) -> CodecError {
        let name = frameErrorName(code)
        if name.contains("allocation") { return .library(frameName, name) }
        if name.contains("incomplete") { return .truncated(frameName, name, offset: offset) }
        return .corrupt(frameName, "\(name) (in the data from byte \(offset) on)", offset: offset)
    }
}
