import Testing
import WeirCodecs

@Suite struct LZ4Tests {
    static let fox = ZstdTests.fox

    /// `lz4 -c < fox.txt` (lz4 1.9.4 CLI from stdin: no content size, content checksum).
    static let cliFrame = hexBytes("""
        04224d186440a73b000000ff1e54686520717569636b2062726f776e20666f78206a756d7073206f76657220746865206c617a792064
        6f672e202d00ffffff4250646f672e20000000009f827c81
        """)
    /// `lz4 --content-size -c fox.txt` (content size 900 in the header).
    static let cliFrameWithSize = hexBytes("""
        04224d186c408403000000000000c63b000000ff1e54686520717569636b2062726f776e20666f78206a756d7073206f766572207468
        65206c617a7920646f672e202d00ffffff4250646f672e20000000009f827c81
        """)
    /// `cramjam.lz4.compress_block(fox, store_size=False)` (cramjam 2.x, a raw block as Parquet LZ4_RAW stores it).
    static let rawBlock = hexBytes("""
        ff1e54686520717569636b2062726f776e20666f78206a756d7073206f76657220746865206c617a7920646f672e202d00ffffff4250
        646f672e20
        """)

    @Test(arguments: Samples.roundTrip.indices)
    func blockRoundTrips(_ i: Int) throws {
        let sample = Samples.roundTrip[i]
        let compressed = try LZ4.compressBlock(sample.bytes)
        #expect(try LZ4.decompressBlock(compressed, uncompressedBytesMax: sample.bytes.count) == sample.bytes, "\(sample.name)")
        #expect(try LZ4.decompressBlock(compressed, uncompressedBytes: sample.bytes.count) == sample.bytes, "\(sample.name)")
        if !sample.bytes.isEmpty {
            _ = expectCodecError(.tooLarge) { () throws(CodecError) in
                try LZ4.decompressBlock(compressed, uncompressedBytesMax: sample.bytes.count - 1)
            }
        }
    }

    @Test(arguments: Samples.roundTrip.indices)
    func frameRoundTrips(_ i: Int) throws {
        let sample = Samples.roundTrip[i]
        for level: Int32 in [0, 9] where level == 0 || sample.bytes.count < 1 << 20 {
            let compressed = try LZ4.compressFrame(sample.bytes, level: level)
            #expect(try LZ4.decompressFrame(compressed, uncompressedBytesMax: sample.bytes.count) == sample.bytes, "\(sample.name)")
        }
    }

    @Test func decodesReferenceVectors() throws {
        #expect(try LZ4.decompressFrame(Self.cliFrame, uncompressedBytesMax: 1 << 20) == Self.fox)
        #expect(try LZ4.decompressFrame(Self.cliFrameWithSize, uncompressedBytesMax: 900) == Self.fox)
        #expect(try LZ4.decompressBlock(Self.rawBlock, uncompressedBytesMax: 1 << 20) == Self.fox)
        #expect(try LZ4.decompressBlock(Self.rawBlock, uncompressedBytes: 900) == Self.fox)
        // Our block compressor produces the same bytes as liblz4 through cramjam (same library, same defaults).
        #expect(try LZ4.compressBlock(Self.fox) == Self.rawBlock)
        _ = expectCodecError(.tooLarge) { () throws(CodecError) in try LZ4.decompressFrame(Self.cliFrame, uncompressedBytesMax: 899) }
        _ = expectCodecError(.tooLarge) { () throws(CodecError) in try LZ4.decompressFrame(Self.cliFrameWithSize, uncompressedBytesMax: 899) }
        _ = expectCodecError(.tooLarge) { () throws(CodecError) in try LZ4.decompressBlock(Self.rawBlock, uncompressedBytesMax: 899) }
        _ = expectCodecError(.corrupt) { () throws(CodecError) in try LZ4.decompressBlock(Self.rawBlock, uncompressedBytes: 899) }
        _ = expectCodecError(.corrupt) { () throws(CodecError) in try LZ4.decompressBlock(Self.rawBlock, uncompressedBytes: 901) }
    }

    @Test func concatenatedAndSkippableFrames() throws {
        // A skippable frame (magic 0x184D2A50, length 3) between two frames is ignored, as the lz4 tool does.
        let skippable: [UInt8] = [0x50, 0x2a, 0x4d, 0x18, 0x03, 0x00, 0x00, 0x00, 0xaa, 0xbb, 0xcc]
        let second = Samples.text(5000, seed: 4)
        let stream = Self.cliFrame + skippable + (try LZ4.compressFrame(second))
        #expect(try LZ4.decompressFrame(stream, uncompressedBytesMax: 5900) == Self.fox + second)
        _ = expectCodecError(.tooLarge) { () throws(CodecError) in try LZ4.decompressFrame(stream, uncompressedBytesMax: 5899) }
    }

    /// The content size in the header, rewritten to 2^40 with a recomputed header checksum (0xcd, from a Python
    /// XXH32 checked against the CLI's own header): rejected against the limit, and as implausible for the input
    /// size when the limit is huge, before anything is allocated.
    @Test func lyingFrameContentSize() {
        let lying = hexBytes("04224d18 6c40 0000000000010000 cd") + Self.cliFrameWithSize[15...]
        _ = expectCodecError(.tooLarge) { () throws(CodecError) in try LZ4.decompressFrame(lying, uncompressedBytesMax: 1 << 20) }
        _ = expectCodecError(.corrupt) { () throws(CodecError) in try LZ4.decompressFrame(lying, uncompressedBytesMax: Int.max) }
        // A wrong header checksum is caught by liblz4.
        var badChecksum = Self.cliFrameWithSize
        badChecksum[14] ^= 1
        _ = expectCodecError(.corrupt) { () throws(CodecError) in try LZ4.decompressFrame(badChecksum, uncompressedBytesMax: 1 << 20) }
    }

    /// A raw block whose match-length bytes claim ~25 KB: the length walk rejects it against a small limit without
    /// allocating, and decodes it under a large one.
    @Test func lyingRawBlockLength() throws {
        var block: [UInt8] = [0x1f, 0x61, 0x01, 0x00]  // 1 literal 'a', match offset 1, length 15 + 4 + ...
        block += [UInt8](repeating: 0xff, count: 100) + [0x00]  // ... 100 x 255 + 0
        block += [0x50] + Array("bcdef".utf8)  // last sequence: 5 literals
        let expectedCount = 1 + (15 + 4 + 255 * 100) + 5
        _ = expectCodecError(.tooLarge) { () throws(CodecError) in try LZ4.decompressBlock(block, uncompressedBytesMax: 1000) }
        let out = try LZ4.decompressBlock(block, uncompressedBytesMax: 1 << 20)
        #expect(out.count == expectedCount)
        #expect(out.prefix(expectedCount - 5).allSatisfy { $0 == 0x61 })
        // A match reaching before the start of the output is corrupt.
        let e = expectCodecError(.corrupt) { () throws(CodecError) in
            try LZ4.decompressBlock([0x10, 0x61, 0x02, 0x00, 0x50] + Array("bcdef".utf8), uncompressedBytesMax: 100)
        }
        #expect(e?.offset == 2)
    }

    @Test func emptyAndInvalidArguments() throws {
        #expect(try LZ4.compressBlock([UInt8]()) == [0x00])
        #expect(try LZ4.decompressBlock([0x00], uncompressedBytesMax: 0) == [])
        _ = expectCodecError(.truncated) { () throws(CodecError) in try LZ4.decompressBlock([UInt8](), uncompressedBytesMax: 10) }
        _ = expectCodecError(.truncated) { () throws(CodecError) in try LZ4.decompressFrame([UInt8](), uncompressedBytesMax: 10) }
        _ = expectCodecError(.invalidArgument) { () throws(CodecError) in try LZ4.compressFrame(Self.fox, level: 13) }
        _ = expectCodecError(.invalidArgument) { () throws(CodecError) in try LZ4.decompressBlock(Self.rawBlock, uncompressedBytes: -1) }
        _ = expectCodecError(.corrupt) { () throws(CodecError) in try LZ4.decompressFrame(Array("not an lz4 frame".utf8), uncompressedBytesMax: 10) }
    }

    @Test func mutatedBlocksThrowOrStayWithinTheLimit() throws {
        let valid = try LZ4.compressBlock(Samples.text(3000, seed: 8))
        for limit in [3000, 1 << 20] {
            let truncations = fuzzTruncations(valid: valid, limit: limit) { (input) throws(CodecError) in
                try LZ4.decompressBlock(input, uncompressedBytesMax: limit)
            }
            #expect(truncations.violationCount == 0, "\(truncations)")
            let mutations = fuzzMutations(valid: valid, limit: limit, seeds: 1200) { (input) throws(CodecError) in
                try LZ4.decompressBlock(input, uncompressedBytesMax: limit)
            }
            #expect(mutations.violationCount == 0, "\(mutations)")
            #expect(mutations.rejected > 1200, "\(mutations)")
        }
        let exact = fuzzMutations(valid: valid, limit: 3000, seeds: 600) { (input) throws(CodecError) in
            try LZ4.decompressBlock(input, uncompressedBytes: 3000)
        }
        #expect(exact.violationCount == 0, "\(exact)")
    }

    /// Frames carry a content checksum: damage either is rejected or (in fields the decoder ignores) changes nothing.
    @Test func mutatedFramesThrowOrStayWithinTheLimit() throws {
        let original = Samples.text(3000, seed: 9)
        for (valid, expected) in [(try LZ4.compressFrame(original), original), (Self.cliFrame, Self.fox)] {
            let truncations = fuzzTruncations(valid: valid, limit: 3000) { (input) throws(CodecError) in
                try LZ4.decompressFrame(input, uncompressedBytesMax: 3000)
            }
            #expect(truncations.violationCount == 0, "\(truncations)")
            #expect(truncations.decoded == 0, "\(truncations)")
            let mutations = fuzzMutations(valid: valid, limit: 3000, seeds: 1000, expect: .checksummed(original: expected)) {
                (input) throws(CodecError) in try LZ4.decompressFrame(input, uncompressedBytesMax: 3000)
            }
            #expect(mutations.violationCount == 0, "\(mutations)")
            #expect(mutations.rejected > 1000, "\(mutations)")
        }
    }
}
