/// BYTE_STREAM_SPLIT (`Encoding = 9`): for N values of K bytes, K streams of N bytes; byte j of value i is byte i of
/// stream j. Used for FLOAT and DOUBLE, and (Parquet 2.11+) INT32, INT64 and FIXED_LEN_BYTE_ARRAY.
enum ByteStreamSplit {
    /// The values in their usual interleaved little-endian layout (`count × width` bytes). The data must hold at least
    /// `count × width` bytes.
    static func decode(_ data: UnsafeRawBufferPointer, count: Int, width: Int) throws(ParquetError) -> [UInt8] {
        let (total, overflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow, width > 0, total <= data.count else {
            throw ParquetError.corrupt("BYTE_STREAM_SPLIT: \(count) values of \(width) bytes, the page has \(data.count) bytes")
        }
        guard total > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
            let source = data.baseAddress!.assumingMemoryBound(to: UInt8.self)
            for j in 0..<width {
                let stream = source + j * count
                var k = j
                for i in 0..<count {
                    out[k] = stream[i]
                    k += width
                }
            }
            initialized = total
        }
    }

    /// The BYTE_STREAM_SPLIT form of `count` interleaved values of `width` bytes.
    static func encode(_ interleaved: UnsafeRawBufferPointer, count: Int, width: Int) -> [UInt8] {
        let total = count * width
        precondition(interleaved.count >= total)
        guard total > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
            for j in 0..<width {
                var k = j
                for i in 0..<count {
                    out[j * count + i] = interleaved[k]
                    k += width
                }
            }
            initialized = total
        }
    }
}
