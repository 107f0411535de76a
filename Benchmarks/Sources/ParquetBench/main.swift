// Parquet write and full read of the benchmark table with WeirParquet, single-threaded, for
// `Benchmarks/run parquet`, which runs pyarrow on the same data in the same run and prints both with the ratio.
// Input: a Parquet file written by the peer (the data, decoded before timing starts). Output: JSON lines with the
// best of N timed runs and this process's peak resident memory.
import Foundation
import WeirColumnar
import WeirFileIO
import WeirParquet

let arguments = CommandLine.arguments
guard arguments.count == 4, let runs = Int(arguments[3]), runs > 0 else {
    FileHandle.standardError.write(Data("usage: parquet-bench INPUT.parquet SCRATCH_DIR RUNS\n".utf8))
    exit(2)
}
let io = LocalFileIO()
let input = try StoragePath(parsing: arguments[1])
let output = try StoragePath(parsing: arguments[2]).appending("weir-written.parquet")

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

let (schema, batches) = try await ParquetFile.readBatches(io: io, path: input)
let rows = batches.reduce(0) { $0 + $1.rowCount }
var options = ParquetWriteOptions()
options.compression = .zstd(level: 1)

var bestWrite = Double.infinity
var fileBytes: Int64 = 0
for _ in 0..<runs {
    bestWrite = min(bestWrite, try await seconds {
        fileBytes = try await ParquetFile.write(io: io, path: output, schema: schema, batches: batches, options: options, overwrite: true).fileBytes
    })
}
var bestRead = Double.infinity
var checksum = 0
for _ in 0..<runs {
    bestRead = min(bestRead, try await seconds {
        let (_, read) = try await ParquetFile.readBatches(io: io, path: output)
        checksum = read.reduce(0) { $0 + $1.rowCount }
    })
}
guard checksum == rows else {
    FileHandle.standardError.write(Data("read back \(checksum) rows of \(rows)\n".utf8))
    exit(1)
}
var usage = rusage()
getrusage(RUSAGE_SELF, &usage)
print(#"{"op":"write","seconds":\#(bestWrite),"rows":\#(rows),"bytes":\#(fileBytes)}"#)
print(#"{"op":"read","seconds":\#(bestRead),"rows":\#(rows)}"#)
print(#"{"op":"peak_rss_mib","value":\#(usage.ru_maxrss / 1024)}"#)
