import Testing
import WeirCodecs

@Suite struct SnappyTests {
    static let fox = ZstdTests.fox

    /// libsnappy 1.1.9 (`snappy_compress` through a small C program) on the fox input: a 60+ byte literal with one
    /// extra length byte, then 2-byte-offset copies of 64 bytes and a final one of 23. Our compressor produces the
    /// same bytes; cramjam's `compress_raw` too.
    static let libsnappyFox = hexBytes("""
        8407b054686520717569636b2062726f776e20666f78206a756d7073206f76657220746865206c617a7920646f672e20fe2d00fe2d00
        fe2d00fe2d00fe2d00fe2d00fe2d00fe2d00fe2d00fe2d00fe2d00fe2d00fe2d005a2d00
        """)

    @Test(arguments: Samples.roundTrip.indices)
    func roundTrips(_ i: Int) throws {
        let sample = Samples.roundTrip[i]
        let compressed = try Snappy.compress(sample.bytes)
        #expect(compressed.count <= Snappy.maxCompressedLength(sample.bytes.count))
        #expect(try Snappy.uncompressedLength(compressed) == sample.bytes.count)
        #expect(try Snappy.decompress(compressed, uncompressedBytesMax: sample.bytes.count) == sample.bytes, "\(sample.name)")
        if !sample.bytes.isEmpty {
            _ = expectCodecError(.tooLarge) { () throws(CodecError) in
                try Snappy.decompress(compressed, uncompressedBytesMax: sample.bytes.count - 1)
            }
        }
    }

    @Test func compressesLikeLibsnappy() throws {
        #expect(try Snappy.compress(Self.fox) == Self.libsnappyFox)
        #expect(try Snappy.decompress(Self.libsnappyFox, uncompressedBytesMax: 900) == Self.fox)
        // The compressible samples shrink, the random one grows by at most the format's bound.
        #expect(try Snappy.compress([UInt8](repeating: 0, count: 100_000)).count < 5000)
        #expect(try Snappy.compress(Samples.text(100_000, seed: 1)).count < 50_000)
    }

    /// Hand-made vectors, one per element kind, each also checked with libsnappy's `snappy_uncompress`.
    @Test func handMadeElementVectors() throws {
        // preamble 11; literal "abc" (tag 0x08); copy with 1-byte offset, length 8, offset 3 (tag 0x11, 0x03).
        #expect(try Snappy.decompress(hexBytes("0b 08 616263 11 03"), uncompressedBytesMax: 11) == Array("abcabcabcab".utf8))
        // preamble 9; literal "xyz"; copy with 4-byte offset, length 6, offset 3 (tag 0x17, 03000000).
        #expect(try Snappy.decompress(hexBytes("09 08 78797a 17 03000000"), uncompressedBytesMax: 9) == Array("xyzxyzxyz".utf8))
        // preamble 100; literal of 100 bytes with one length byte (tag 0xf0 = 60 << 2, then 99).
        let literal = Array(0 ..< 100) as [UInt8]
        #expect(try Snappy.decompress([100, 0xf0, 99] + literal, uncompressedBytesMax: 100) == literal)
        // preamble 70; literal "a"; copy with 2-byte offset, length 64, offset 1 (tag 0xfe, 0100); copy-1 of 5.
        let run = try Snappy.decompress(hexBytes("46 00 61 fe 0100 05 01"), uncompressedBytesMax: 70)
        #expect(run == [UInt8](repeating: 0x61, count: 70))
        // Empty input compresses to the preamble alone.
        #expect(try Snappy.compress([UInt8]()) == [0x00])
        #expect(try Snappy.decompress([0x00], uncompressedBytesMax: 0) == [])
    }

    /// Overlapping copies of every small period and length decode like a byte-by-byte reference.
    @Test func overlappingCopiesOfEveryPeriod() throws {
        for period in 1 ... 20 {
            for length in [4, 7, 8, 9, 16, 31, 33, 64] {
                let pattern = (0 ..< period).map { UInt8(0x41 + $0) }
                var expected = pattern
                for i in 0 ..< length { expected.append(expected[i]) }
                // Literal pattern, a copy with a 2-byte offset of `period`, then a 16-byte literal so the fast paths
                // (which need slack behind the output) are taken too.
                for tail in [[], [UInt8](repeating: 0x7a, count: 16)] {
                    var body: [UInt8] = [UInt8((period - 1) << 2)] + pattern
                    body += [UInt8(2 | ((length - 1) << 2)), UInt8(period), 0]
                    if !tail.isEmpty { body += [UInt8(15 << 2)] + tail }
                    let stream = Varint.encode(UInt64(expected.count + tail.count)) + body
                    let out = try Snappy.decompress(stream, uncompressedBytesMax: 1 << 16)
                    #expect(out == expected + tail, "period \(period) length \(length) tail \(tail.count)")
                }
            }
        }
    }

    @Test func lyingPreamblesAreRejectedBeforeAllocating() {
        // 4 GiB - 1 declared, 3 bytes of body: over the limit, and implausible under an unlimited one.
        let huge: [UInt8] = [0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x61, 0x00]
        _ = expectCodecError(.tooLarge) { () throws(CodecError) in try Snappy.decompress(huge, uncompressedBytesMax: 1 << 20) }
        let e = expectCodecError(.corrupt) { () throws(CodecError) in try Snappy.decompress(huge, uncompressedBytesMax: Int.max) }
        #expect(e?.message.contains("can produce") == true)
        // A preamble over 32 bits, or longer than 5 bytes.
        _ = expectCodecError(.corrupt) { () throws(CodecError) in try Snappy.decompress([0xff, 0xff, 0xff, 0xff, 0x1f], uncompressedBytesMax: Int.max) }
        _ = expectCodecError(.corrupt) { () throws(CodecError) in try Snappy.decompress([0x80, 0x80, 0x80, 0x80, 0x80, 0x00], uncompressedBytesMax: Int.max) }
        // Declared length shorter or longer than the elements produce.
        _ = expectCodecError(.corrupt) { () throws(CodecError) in try Snappy.decompress(hexBytes("0a 08 616263 11 03"), uncompressedBytesMax: 100) }
        _ = expectCodecError(.truncated) { () throws(CodecError) in try Snappy.decompress(hexBytes("0c 08 616263 11 03"), uncompressedBytesMax: 100) }
    }

    @Test func badOffsetsAndCutElementsNameTheirOffset() {
        // Copy offset 4 with only 3 bytes decoded.
        var e = expectCodecError(.corrupt) { () throws(CodecError) in try Snappy.decompress(hexBytes("0b 08 616263 11 04"), uncompressedBytesMax: 100) }
        #expect(e?.offset == 5)
        // Offset 0.
        e = expectCodecError(.corrupt) { () throws(CodecError) in try Snappy.decompress(hexBytes("0b 08 616263 11 00"), uncompressedBytesMax: 100) }
        #expect(e?.offset == 5)
        // Literal runs past the input.
        e = expectCodecError(.truncated) { () throws(CodecError) in try Snappy.decompress(hexBytes("05 10 6162"), uncompressedBytesMax: 100) }
        #expect(e?.offset == 1)
        // A 4-byte offset cut short.
        e = expectCodecError(.truncated) { () throws(CodecError) in try Snappy.decompress(hexBytes("09 08 78797a 17 0300"), uncompressedBytesMax: 100) }
        #expect(e?.offset == 5)
        _ = expectCodecError(.truncated) { () throws(CodecError) in try Snappy.decompress([UInt8](), uncompressedBytesMax: 100) }
        _ = expectCodecError(.invalidArgument) { () throws(CodecError) in try Snappy.decompress([0x00], uncompressedBytesMax: -1) }
    }

    @Test func mutatedInputsThrowOrStayWithinTheLimit() throws {
        let original = Samples.text(2000, seed: 12)
        for valid in [try Snappy.compress(original), Self.libsnappyFox] {
            for limit in [900, 1 << 20] {
                let truncations = fuzzTruncations(valid: valid, limit: limit) { (input) throws(CodecError) in
                    try Snappy.decompress(input, uncompressedBytesMax: limit)
                }
                #expect(truncations.violationCount == 0, "\(truncations)")
                #expect(truncations.decoded == 0, "\(truncations)")  // the preamble fixes the length
                let mutations = fuzzMutations(valid: valid, limit: limit, seeds: 1200) { (input) throws(CodecError) in
                    try Snappy.decompress(input, uncompressedBytesMax: limit)
                }
                #expect(mutations.violationCount == 0, "\(mutations)")
                #expect(mutations.rejected > 1200, "\(mutations)")
            }
        }
    }
}
