import Foundation
import Testing
import WeirCodecs
import WeirFileIO
import WeirTestSupport

/// `weir fs cp` between local disk and a real S3 server (moto), as a user runs it: a 256 MiB file goes up and
/// back with the same SHA-256, and the process stays under 128 MiB of resident memory both ways.
@Suite(.moto) struct S3CopyTests {
    static let fileBytes = 256 << 20
    static let peakResidentBytesMax = 128 << 20

    @Test func largeFileRoundTripsThroughS3InBoundedMemory() async throws {
        let moto = try CurrentServer.requireMoto()
        let scratch = try Scratch("s3cp")
        defer { scratch.remove() }
        let bucket = "weir-cp-\(UUID().uuidString.prefix(8).lowercased())"
        try await S3FileIO(configuration: try moto.configuration()).createBucket(bucket)
        let environment = [
            "AWS_ACCESS_KEY_ID": MotoServer.credentials.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": MotoServer.credentials.secretAccessKey,
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL_S3": moto.endpoint,
            "WEIR_S3_ADDRESSING": "path",
        ]

        let source = scratch.path + "/big.bin"
        let written = try Self.writeDistinctChunks(to: source, bytes: Self.fileBytes)

        let (up, upPeak) = try await CLI.runMeasuringPeakMemory(
            ["fs", "cp", "--no-progress", source, "s3://\(bucket)/warehouse/big.bin"], environment: environment)
        #expect(up.status == 0, "\(up.stderr)")
        let listed = try await CLI.run(["fs", "ls", "--json", "s3://\(bucket)/warehouse"], environment: environment)
        #expect(listed.stdout.contains(#""size":\#(Self.fileBytes)"#), "\(listed.stdout) \(listed.stderr)")

        let back = scratch.path + "/back.bin"
        let (down, downPeak) = try await CLI.runMeasuringPeakMemory(
            ["fs", "cp", "--no-progress", "s3://\(bucket)/warehouse/big.bin", back], environment: environment)
        #expect(down.status == 0, "\(down.stderr)")
        #expect(try Self.sha256(of: back) == written)

        print("weir fs cp 256 MiB local -> s3 (moto): \(up.stdout.trimmingCharacters(in: .newlines)); peak RSS \(upPeak >> 20) MiB")
        print("weir fs cp 256 MiB s3 (moto) -> local: \(down.stdout.trimmingCharacters(in: .newlines)); peak RSS \(downPeak >> 20) MiB")
        #expect(upPeak > 0 && upPeak < Self.peakResidentBytesMax, "upload peak RSS \(upPeak) bytes")
        #expect(downPeak > 0 && downPeak < Self.peakResidentBytesMax, "download peak RSS \(downPeak) bytes")
    }

    /// Writes `bytes` of pseudo-random data in 1 MiB chunks that all differ (each starts with its index), so a
    /// part stored out of order changes the digest. Returns the SHA-256.
    static func writeDistinctChunks(to path: String, bytes: Int) throws -> [UInt8] {
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let digest = StreamingDigest(.sha256)
        var chunk = testChunk(seed: 42)
        for index in 0..<(bytes >> 20) {
            withUnsafeBytes(of: UInt64(index).littleEndian) { chunk.replaceSubrange(0..<8, with: $0) }
            digest.update(chunk)
            try handle.write(contentsOf: chunk)
        }
        return digest.finish()
    }

    static func testChunk(seed: UInt64) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        return [UInt8](unsafeUninitializedCapacity: 1 << 20) { buffer, count in
            for word in 0..<(buffer.count / 8) {
                let value = generator.next()
                for b in 0..<8 { buffer[word * 8 + b] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(b))) }
            }
            count = buffer.count
        }
    }

    static func sha256(of path: String) throws -> [UInt8] {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let digest = StreamingDigest(.sha256)
        while let data = try handle.read(upToCount: 8 << 20), !data.isEmpty {
            digest.update(data)
        }
        return digest.finish()
    }
}
