// Parquet write and full read of the benchmark table with WeirParquet, single-threaded, for
// `Benchmarks/run parquet`, which runs pyarrow on the same data in the same run and prints both with the ratio.
// Input: a Parquet file written by the peer (the data, decoded before timing starts). Output: JSON lines with the
// best of N timed runs (wall-clock seconds, and this process's CPU seconds, user + system, which a machine shared
// with other work disturbs less) and this process's peak resident memory.
import BenchClock
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

let (schema, batches) = try await ParquetFile.readBatches(io: io, path: input)
let rows = batches.reduce(0) { $0 + $1.rowCount }
var options = ParquetWriteOptions()
options.compression = .zstd(level: 1)

var bestWrite = (wall: Double.infinity, cpu: Double.infinity)
var fileBytes: Int64 = 0
for _ in 0..<runs {
    let t = try await timed {
        fileBytes = try await ParquetFile.write(io: io, path: output, schema: schema, batches: batches, options: options, overwrite: true).fileBytes
    }
    bestWrite = (min(bestWrite.wall, t.wall), min(bestWrite.cpu, t.cpu))
}
var bestRead = (wall: Double.infinity, cpu: Double.infinity)
var checksum = 0
for _ in 0..<runs {
    let t = try await timed {
        let (_, read) = try await ParquetFile.readBatches(io: io, path: output)
        checksum = read.reduce(0) { $0 + $1.rowCount }
    }
    bestRead = (min(bestRead.wall, t.wall), min(bestRead.cpu, t.cpu))
}
guard checksum == rows else {
    FileHandle.standardError.write(Data("read back \(checksum) rows of \(rows)\n".utf8))
    exit(1)
}
print(#"{"op":"write","seconds":\#(bestWrite.wall),"cpu_seconds":\#(bestWrite.cpu),"rows":\#(rows),"bytes":\#(fileBytes)}"#)
print(#"{"op":"read","seconds":\#(bestRead.wall),"cpu_seconds":\#(bestRead.cpu),"rows":\#(rows)}"#)
print(#"{"op":"peak_rss_mib","value":\#(usage().ru_maxrss / 1024)}"#)
