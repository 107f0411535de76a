import CZlib

/// DEFLATE (RFC 1951) through zlib, in its three wrappings (``Format``):
/// - ``Format/raw``: bare deflate (zlib windowBits -15): Avro's `deflate` codec, ORC's `ZLIB` chunks;
/// - ``Format/zlib``: RFC 1950, 2-byte header and Adler-32 trailer (windowBits 15);
/// - ``Format/gzip``: RFC 1952 members (windowBits 31): Parquet's `GZIP`. Decompression accepts several concatenated
///   members, as gzip and zlib's `gzread` do (inflateReset between members); anything after a member that is not
///   another member is `corrupt`.
///
/// Decompression grows its output up to `uncompressedBytesMax` and no further (`tooLarge` beyond); bytes after the
/// end of a raw or zlib stream are `corrupt`. zlib's own message (`strm.msg`) goes into errors, with the input
/// offset zlib had reached.
public enum Deflate {
    public enum Format: Sendable, Hashable {
        case raw, zlib, gzip

        /// zlib's `windowBits` for the format (32 KiB window).
        public var windowBits: Int32 {
            switch self {
            case .raw: -15
            case .zlib: 15
            case .gzip: 31
            }
        }

        /// Codec name in errors.
        public var name: String {
            switch self {
            case .raw: "deflate"
            case .zlib: "zlib"
            case .gzip: "gzip"
            }
        }
    }

    /// Levels zlib accepts: -1 (its default, 6), 0 (stored) ... 9 (best).
    public static let levelRange: ClosedRange<Int32> = -1 ... 9
    /// zlib's `Z_DEFAULT_COMPRESSION`.
    public static let defaultLevel: Int32 = -1

    /// Compresses `input` into one stream (one member for gzip) of `format`. Throws `invalidArgument` for a level
    /// outside ``levelRange``.
    public static func compress<C: Collection<UInt8>>(
        _ input: C, format: Format, level: Int32 = defaultLevel
    ) throws(CodecError) -> [UInt8] {
        let name = format.name
        guard levelRange.contains(level) else { throw .invalidArgument(name, "level \(level) outside \(levelRange)") }
        return try withContiguousBytes(input) { (src) throws(CodecError) -> [UInt8] in
            let stream = try Stream(format: format, compressing: true, level: level)
            defer { stream.end() }
            let strm = stream.strm
            let bound = Int(deflateBound(strm, UInt(src.count)))
            return try [UInt8](unsafeUninitializedCapacity: bound) { (dst, count) throws(CodecError) in
                var consumed = 0
                var produced = 0
                while true {
                    let inChunk = min(src.count - consumed, Int(UInt32.max))
                    let outChunk = min(bound - produced, Int(UInt32.max))
                    strm.pointee.next_in = UnsafeMutablePointer(mutating: src.baseAddress!.assumingMemoryBound(to: Bytef.self) + consumed)
                    strm.pointee.avail_in = UInt32(inChunk)
                    strm.pointee.next_out = dst.baseAddress! + produced
                    strm.pointee.avail_out = UInt32(outChunk)
                    let finish = consumed + inChunk == src.count
                    let ret = CZlib.deflate(strm, finish ? Z_FINISH : Z_NO_FLUSH)
                    consumed += inChunk - Int(strm.pointee.avail_in)
                    produced += outChunk - Int(strm.pointee.avail_out)
                    if ret == Z_STREAM_END { break }
                    guard ret == Z_OK else {
                        throw .library(name, "deflate failed: \(stream.message(ret))")
                    }
                }
                count = produced
            }
        }
    }

    /// Decompresses a `format` stream (several members for gzip), producing at most `uncompressedBytesMax` bytes.
    public static func decompress<C: Collection<UInt8>>(
        _ input: C, format: Format, uncompressedBytesMax: Int
    ) throws(CodecError) -> [UInt8] {
        let name = format.name
        try checkLimit(name, uncompressedBytesMax)
        let limit = uncompressedBytesMax
        return try withContiguousBytes(input) { (src) throws(CodecError) -> [UInt8] in
            guard src.count > 0 else { throw .truncated(name, "empty input", offset: 0) }
            let stream = try Stream(format: format, compressing: false, level: 0)
            defer { stream.end() }
            let strm = stream.strm
            var capacity = min(limit, max(src.count &* 4, 65_536))
            var out = [UInt8](repeating: 0, count: max(capacity, 1))
            var consumed = 0
            var produced = 0
            while true {
                let inChunk = min(src.count - consumed, Int(UInt32.max))
                let outChunk = min(capacity - produced, Int(UInt32.max))
                let ret = out.withUnsafeMutableBufferPointer { o in
                    strm.pointee.next_in = UnsafeMutablePointer(mutating: src.baseAddress!.assumingMemoryBound(to: Bytef.self) + consumed)
                    strm.pointee.avail_in = UInt32(inChunk)
                    strm.pointee.next_out = o.baseAddress! + produced
                    strm.pointee.avail_out = UInt32(outChunk)
                    return inflate(strm, Z_NO_FLUSH)
                }
                let consumedNow = inChunk - Int(strm.pointee.avail_in)
                let producedNow = outChunk - Int(strm.pointee.avail_out)
                consumed += consumedNow
                produced += producedNow
                switch ret {
                case Z_STREAM_END:
                    if consumed == src.count {
                        out.removeSubrange(produced...)
                        return out
                    }
                    guard format == .gzip else {
                        throw .corrupt(name, "\(src.count - consumed) bytes after the end of the stream", offset: consumed)
                    }
                    guard inflateReset(strm) == Z_OK else { throw .library(name, "inflateReset failed") }
                    continue  // the next gzip member
                case Z_OK, Z_BUF_ERROR:
                    break
                case Z_NEED_DICT:
                    throw .corrupt(name, "stream needs a preset dictionary", offset: consumed)
                case Z_MEM_ERROR:
                    throw .library(name, "inflate: out of memory")
                default:
                    throw .corrupt(name, stream.message(ret), offset: consumed)
                }
                let progressed = consumedNow != 0 || producedNow != 0
                if produced == capacity {
                    if capacity >= limit {
                        // One call with no room lets zlib finish a stream whose rest yields no output (final empty
                        // block, trailer); without progress the output would exceed the limit.
                        if !progressed {
                            throw .tooLarge(name, "data decompresses to more than the limit of \(limit) bytes")
                        }
                        continue
                    }
                    capacity = grownCapacity(capacity, limit: limit)
                    if out.count < capacity { out.append(contentsOf: repeatElement(0, count: capacity - out.count)) }
                    continue
                }
                if consumed == src.count {
                    throw .truncated(name, "input ends inside the stream", offset: consumed)
                }
                if !progressed {
                    throw .corrupt(name, "inflate made no progress", offset: consumed)
                }
            }
        }
    }

    /// A z_stream on the heap (zlib keeps a pointer back to it, so it must not move), initialised for one format.
    struct Stream {
        let strm: UnsafeMutablePointer<z_stream>
        let compressing: Bool
        let name: String

        init(format: Format, compressing: Bool, level: Int32) throws(CodecError) {
            name = format.name
            self.compressing = compressing
            strm = .allocate(capacity: 1)
            strm.initialize(to: z_stream())
            let size = Int32(MemoryLayout<z_stream>.size)
            let ret = compressing
                ? deflateInit2_(strm, level, Z_DEFLATED, format.windowBits, 8, Z_DEFAULT_STRATEGY, zlibVersion(), size)
                : inflateInit2_(strm, format.windowBits, zlibVersion(), size)
            guard ret == Z_OK else {
                strm.deallocate()
                throw .library(format.name, "\(compressing ? "deflateInit2" : "inflateInit2") failed (\(ret))")
            }
        }

        func end() {
            if compressing { deflateEnd(strm) } else { inflateEnd(strm) }
            strm.deallocate()
        }

        /// zlib's message for the last error, or the return code when it gave none.
        func message(_ ret: Int32) -> String {
            if let msg = strm.pointee.msg { return String(cString: msg) }
            return "zlib error \(ret)"
        }
    }
}
