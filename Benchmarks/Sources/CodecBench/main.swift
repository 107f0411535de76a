// Codec throughput of WeirCodecs on one input file, for `Benchmarks/run codecs`, which runs the Python peers
// (cramjam, zstandard, lz4, google-crc32c, zlib) on the same file and prints both with their ratio.
// Output: one JSON object per line, {"op": ..., "mb_per_s": ...}, the best of several timed runs (MB = 10^6 bytes
// of uncompressed input). Single-threaded.
import Foundation
import WeirCodecs

guard CommandLine.arguments.count == 2, let data = FileManager.default.contents(atPath: CommandLine.arguments[1]) else {
    FileHandle.standardError.write(Data("usage: codec-bench INPUT_FILE\n".utf8))
    exit(2)
}
let input = [UInt8](data)
let limit = input.count + 1024

/// Best throughput over at least 5 runs and about 0.5 s.
func measure(_ op: String, _ body: () throws -> Int) rethrows {
    var best = Double.infinity
    var runs = 0
    var spent = 0.0
    var sink = 0
    while runs < 5 || (spent < 0.5 && runs < 200) {
        let start = ContinuousClock.now
        sink &+= try body()
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        best = min(best, seconds)
        spent += seconds
        runs += 1
    }
    print(#"{"op":"\#(op)","mb_per_s":\#(String(format: "%.1f", Double(input.count) / best / 1e6)),"check":\#(sink & 1)}"#)
}

let snappy = try Snappy.compress(input)
try measure("snappy.compress") { try Snappy.compress(input).count }
try measure("snappy.decompress") { try Snappy.decompress(snappy, uncompressedBytesMax: limit).count }
let zstd = try Zstd.compress(input, level: 3)
try measure("zstd3.compress") { try Zstd.compress(input, level: 3).count }
try measure("zstd3.decompress") { try Zstd.decompress(zstd, uncompressedBytesMax: limit).count }
let lz4 = try LZ4.compressBlock(input)
try measure("lz4block.compress") { try LZ4.compressBlock(input).count }
try measure("lz4block.decompress") { try LZ4.decompressBlock(lz4, uncompressedBytes: input.count).count }
let deflate = try Deflate.compress(input, format: .raw, level: 6)
try measure("deflate6.compress") { try Deflate.compress(input, format: .raw, level: 6).count }
try measure("deflate6.decompress") { try Deflate.decompress(deflate, format: .raw, uncompressedBytesMax: limit).count }
measure("crc32c") { Int(CRC32C.checksum(input)) }
measure("crc32") { Int(CRC32.checksum(input)) }
