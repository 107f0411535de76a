import Testing
@testable import WeirORC

/// The chunked compression framing of ORC streams.
@Suite struct ORCCompressionTests {
    static let codecs: [ORCCompression] = [.none, .zlib, .snappy, .zstd(), .lz4]

    /// The specification's header examples: 100,000 compressed bytes is [0x40, 0x0d, 0x03]; 5 bytes stored as
    /// they are is [0x0b, 0x00, 0x00].
    @Test func chunkHeadersFromTheSpecification() throws {
        let original: [UInt8] = [1, 2, 3, 4, 5]
        let framed = try ORCCompressor(compression: .zlib, blockSize: 1024).frame(original)
        #expect(framed.bytes == [0x0b, 0x00, 0x00] + original)
        let header = 100_000 << 1
        #expect([UInt8(header & 0xff), UInt8(header >> 8 & 0xff), UInt8(header >> 16)] == [0x40, 0x0d, 0x03])
        let decompressor = try ORCDecompressor(kind: .zlib, blockSize: 1024)
        #expect(try decompressor.decompress(framed.bytes[...], bytesMax: 100, context: "t") == original)
    }

    @Test(arguments: codecs)
    func framesRoundTripAcrossChunks(_ compression: ORCCompression) throws {
        var input: [UInt8] = []
        for i in 0..<50_000 { input.append(UInt8(truncatingIfNeeded: i % 251 < 200 ? i / 1000 : i &* 2654435761 >> 13)) }
        let framed = try ORCCompressor(compression: compression, blockSize: 4096).frame(input)
        let decompressor = try ORCDecompressor(kind: compression.kind, blockSize: 4096)
        #expect(try decompressor.decompress(framed.bytes[...], bytesMax: input.count, context: "t") == input)
        if compression != .none {
            #expect(framed.chunkStarts.count == (input.count + 4095) / 4096 + 1)
            #expect(framed.bytes.count < input.count)
            // Row-index positions: chunk start plus offset in the chunk.
            var positions: [UInt64] = []
            framed.position(of: 4096 * 3 + 17, into: &positions)
            #expect(positions == [UInt64(framed.chunkStarts[3]), 17])
        }
        // Limits: more output than allowed is an error.
        #expect(throws: ORCError.self) { _ = try decompressor.decompress(framed.bytes[...], bytesMax: input.count - 1, context: "t") }
    }

    @Test func corruptFramingIsAnError() throws {
        let decompressor = try ORCDecompressor(kind: .zstd, blockSize: 1024)
        let cases: [([UInt8], String)] = [
            ([0x0b, 0x00], "chunk header cut short"),
            ([0x0b, 0x00, 0x00, 1, 2], "runs past the end"),
            ([0x01, 0x10, 0x00] + [UInt8](repeating: 0, count: 2048), "larger than the block size"),
            ([0x0a, 0x00, 0x00, 1, 2, 3, 4, 5], "chunk at byte 0"),
        ]
        for (bytes, message) in cases {
            do {
                _ = try decompressor.decompress(bytes[...], bytesMax: 1 << 20, context: "stream")
                Issue.record("\(bytes.prefix(8)) decompressed")
            } catch {
                #expect(error.description.contains(message), "\(error)")
            }
        }
        // A compressed chunk that expands past the block size.
        let big = try ORCCompressor(compression: .zstd(), blockSize: 4096).frame([UInt8](repeating: 7, count: 4096))
        let small = try ORCDecompressor(kind: .zstd, blockSize: 1024)
        #expect(throws: ORCError.self) { _ = try small.decompress(big.bytes[...], bytesMax: 1 << 20, context: "stream") }
        #expect(throws: ORCError.self) { _ = try ORCDecompressor(kind: .lzo, blockSize: 1024) }
        #expect(throws: ORCError.self) { _ = try ORCDecompressor(kind: .zstd, blockSize: 0) }
    }

    @Test func codecNames() {
        #expect(ORCCompression(name: "ZSTD") == .zstd())
        #expect(ORCCompression(name: "uncompressed") == ORCCompression.none)
        #expect(ORCCompression(name: "lzo") == nil)
        #expect(Self.codecs.map(\.description) == ["NONE", "ZLIB", "SNAPPY", "ZSTD", "LZ4"])
    }
}
