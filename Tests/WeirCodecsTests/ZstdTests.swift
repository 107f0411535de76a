import Testing
import WeirCodecs

@Suite struct ZstdTests {
    /// 20 x "The quick brown fox jumps over the lazy dog. " (900 bytes): the input of the reference vectors.
    static let fox = Array(String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 20).utf8)

    /// `zstd -19 -c < fox.txt` (zstd 1.5.4 CLI, reading stdin, so the header has no content size; XXH64 checksum).
    static let cliFromStdin = hexBytes("""
        28b52ffd0468b50100d40254686520717569636b2062726f776e20666f78206a756d7073206f76657220746865206c617a7920646f67
        2e200100a50a2b55065913fa85
        """)
    /// `zstd -3 -c fox.txt` (zstd 1.5.4 CLI, from a file: content size 900 in the header).
    static let cliFromFile = hexBytes("""
        28b52ffd648402b50100d40254686520717569636b2062726f776e20666f78206a756d7073206f76657220746865206c617a7920646f
        672e200100a50a2b55065913fa85
        """)

    @Test(arguments: Samples.roundTrip.indices)
    func roundTrips(_ i: Int) throws {
        let sample = Samples.roundTrip[i]
        let compressed = try Zstd.compress(sample.bytes)
        #expect(try Zstd.decompress(compressed, uncompressedBytesMax: sample.bytes.count) == sample.bytes, "\(sample.name)")
        #expect(try Zstd.decompress(compressed, uncompressedBytes: sample.bytes.count) == sample.bytes, "\(sample.name)")
    }

    @Test func levelsAcrossTheRangeRoundTripAndOutsideAreRejected() throws {
        let text = Samples.text(20_000, seed: 11)
        for level in [Zstd.levelRange.lowerBound, -5, 0, 1, 9, 19] {
            let compressed = try Zstd.compress(text, level: level)
            #expect(try Zstd.decompress(compressed, uncompressedBytesMax: 20_000) == text, "level \(level)")
        }
        #expect(Zstd.levelRange.upperBound >= 19)
        _ = expectCodecError(.invalidArgument) { () throws(CodecError) in try Zstd.compress(text, level: Zstd.levelRange.upperBound + 1) }
        _ = expectCodecError(.invalidArgument) { () throws(CodecError) in try Zstd.compress(text, level: Zstd.levelRange.lowerBound - 1) }
    }

    @Test func decodesTheCLIVectors() throws {
        #expect(try Zstd.decompress(Self.cliFromStdin, uncompressedBytesMax: 1 << 20) == Self.fox)
        #expect(try Zstd.decompress(Self.cliFromFile, uncompressedBytesMax: 900) == Self.fox)
        #expect(try Zstd.decompress(Self.cliFromStdin, uncompressedBytes: 900) == Self.fox)
        // Streaming path (no content size) stops at the limit.
        let e = expectCodecError(.tooLarge) { () throws(CodecError) in try Zstd.decompress(Self.cliFromStdin, uncompressedBytesMax: 899) }
        #expect(e?.message.contains("899") == true)
        _ = expectCodecError(.tooLarge) { () throws(CodecError) in try Zstd.decompress(Self.cliFromFile, uncompressedBytesMax: 899) }
        _ = expectCodecError(.corrupt) { () throws(CodecError) in try Zstd.decompress(Self.cliFromFile, uncompressedBytes: 901) }
        _ = expectCodecError(.corrupt) { () throws(CodecError) in try Zstd.decompress(Self.cliFromStdin, uncompressedBytes: 899) }
    }

    /// Concatenated frames decode as one stream; a limit between the two totals is enforced.
    @Test func concatenatedFrames() throws {
        let a = Samples.text(10_000, seed: 1)
        let b = Samples.random(5_000, seed: 2)
        let both = try Zstd.compress(a) + Self.cliFromStdin + Zstd.compress(b)
        #expect(try Zstd.decompress(both, uncompressedBytesMax: 15_900) == a + Self.fox + b)
        _ = expectCodecError(.tooLarge) { () throws(CodecError) in try Zstd.decompress(both, uncompressedBytesMax: 12_000) }
        #expect(try Zstd.decompress(both, uncompressedBytes: 15_900) == a + Self.fox + b)
    }

    /// A frame header claiming 2^40 bytes: rejected against the limit before anything is allocated, and as
    /// implausible for its input size when the limit is huge.
    @Test func lyingContentSizeIsRejectedBeforeAllocating() {
        // Magic, FHD 0xe0 (8-byte content size, single segment), content size 2^40, then a last raw block of 1 byte.
        var frame: [UInt8] = [0x28, 0xb5, 0x2f, 0xfd, 0xe0]
        frame += [0, 0, 0, 0, 0, 1, 0, 0]
        frame += [0x09, 0x00, 0x00, 0x41]
        _ = expectCodecError(.tooLarge) { () throws(CodecError) in try Zstd.decompress(frame, uncompressedBytesMax: 1 << 20) }
        _ = expectCodecError(.corrupt) { () throws(CodecError) in try Zstd.decompress(frame, uncompressedBytesMax: Int.max) }
        _ = expectCodecError(.corrupt) { () throws(CodecError) in try Zstd.decompress(frame, uncompressedBytes: 1) }
    }

    /// A hand-made frame without a content size: magic, frame header descriptor 0x00, window descriptor 0x38
    /// (128 KiB window), then `blocks` RLE blocks of 128 KiB zeros (block header 0x100002 little-endian, byte 0x00),
    /// the last one flagged last (0x100003).
    static func zeroBomb(blocks: Int) -> [UInt8] {
        var frame: [UInt8] = [0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38]
        for _ in 0 ..< blocks - 1 { frame += [0x02, 0x00, 0x10, 0x00] }
        frame += [0x03, 0x00, 0x10, 0x00]
        return frame
    }

    /// 128 MiB of zeros in 518 bytes with no declared size: the streaming path stops at the limit.
    @Test func bombWithoutContentSizeStopsAtTheLimit() throws {
        let bomb = Self.zeroBomb(blocks: 1024)
        let e = expectCodecError(.tooLarge) { () throws(CodecError) in try Zstd.decompress(bomb, uncompressedBytesMax: 1 << 20) }
        #expect(e?.message.contains("limit") == true)
        let small = Self.zeroBomb(blocks: 8)
        #expect(try Zstd.decompress(small, uncompressedBytesMax: 1 << 20) == [UInt8](repeating: 0, count: 1 << 20))
        _ = expectCodecError(.tooLarge) { () throws(CodecError) in try Zstd.decompress(small, uncompressedBytesMax: (1 << 20) - 1) }
    }

    /// A frame asking for a 2 GiB window (window descriptor 0xa8) to produce one byte: the decoder's window cap
    /// (8 MiB floor) refuses it instead of allocating.
    @Test func hugeWindowIsRefused() throws {
        let frame: [UInt8] = [0x28, 0xb5, 0x2f, 0xfd, 0x00, 0xa8, 0x09, 0x00, 0x00, 0x41]
        let e = expectCodecError(.tooLarge) { () throws(CodecError) in try Zstd.decompress(frame, uncompressedBytesMax: 1 << 20) }
        #expect(e?.message.contains("memory") == true, "\(String(describing: e))")
        // The same block with a 1 KiB window (descriptor 0x00) decodes.
        let small: [UInt8] = [0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x00, 0x09, 0x00, 0x00, 0x41]
        #expect(try Zstd.decompress(small, uncompressedBytesMax: 1) == [0x41])
    }

    @Test func emptyAndGarbageInputs() {
        _ = expectCodecError(.truncated) { () throws(CodecError) in try Zstd.decompress([UInt8](), uncompressedBytesMax: 10) }
        _ = expectCodecError(.truncated) { () throws(CodecError) in try Zstd.decompress([0x28, 0xb5], uncompressedBytesMax: 10) }
        let e = expectCodecError(.corrupt) { () throws(CodecError) in try Zstd.decompress(Array("not zstd".utf8), uncompressedBytesMax: 10) }
        #expect(e?.message.contains("magic") == true)
        _ = expectCodecError(.invalidArgument) { () throws(CodecError) in try Zstd.decompress(Self.cliFromFile, uncompressedBytesMax: -1) }
    }

    @Test func mutatedInputsThrowOrStayWithinTheLimit() throws {
        let original = Samples.text(3000, seed: 5)
        for valid in [try Zstd.compress(original), Self.cliFromStdin] {
            let limit = 3000
            let truncations = fuzzTruncations(valid: valid, limit: limit) { (input) throws(CodecError) in
                try Zstd.decompress(input, uncompressedBytesMax: limit)
            }
            #expect(truncations.violationCount == 0, "\(truncations)")
            #expect(truncations.decoded == 0, "\(truncations)")  // a cut frame never decodes
            let mutations = fuzzMutations(valid: valid, limit: limit, seeds: 1000) { (input) throws(CodecError) in
                try Zstd.decompress(input, uncompressedBytesMax: limit)
            }
            #expect(mutations.violationCount == 0, "\(mutations)")
            #expect(mutations.rejected > 1000, "\(mutations)")
            let exact = fuzzMutations(valid: valid, limit: 900, seeds: 300) { (input) throws(CodecError) in
                try Zstd.decompress(input, uncompressedBytes: 900)
            }
            #expect(exact.violationCount == 0, "\(exact)")
        }
    }
}
