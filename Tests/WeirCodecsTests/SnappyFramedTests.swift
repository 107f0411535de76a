import Testing
import WeirCodecs

@Suite struct SnappyFramedTests {
    static let fox = ZstdTests.fox

    /// `cramjam.snappy.compress(fox)` (cramjam 2.14, the Rust `snap` frame encoder behind python-snappy): the stream
    /// identifier, then one compressed chunk (type 0x00, length 0x5e, masked CRC-32C 0x9fba0700... little-endian).
    static let cramjamFox = hexBytes("""
        ff060000734e61507059005e000007ba9f238407b054686520717569636b2062726f776e20666f78206a756d7073206f76657220746865
        206c617a7920646f672e20fe2d00fe2d00fe2d00fe2d00fe2d00fe2d00fe2d00fe2d00fe2d00fe2d00fe2d00fe2d00fe2d005a2d00
        """)

    /// Built by hand and accepted by cramjam's frame decoder, which returns "helloabcabcabcab world":
    /// stream identifier; padding chunk 0xfe of 3 bytes; uncompressed chunk 0x01 "hello" with masked CRC
    /// 0x191c1fbb (CRC-32C 0x9a71bb4c); skippable chunk 0x80 of 2 bytes; compressed chunk 0x00 of raw snappy
    /// `0b 08 616263 11 03` ("abcabcabcab", masked CRC 0x86051e67); a second stream identifier (concatenation);
    /// uncompressed chunk " world" (masked CRC 0xdd7c36e5). CRCs from a bit-at-a-time Python CRC-32C.
    static let handMade = hexBytes("""
        ff060000734e61507059 fe030000000000 01090000bb1f1c1968656c6c6f 80020000abcd
        000b0000671e05860b086162631103 ff060000734e61507059 010a0000e5367cdd20776f726c64
        """)

    @Test(arguments: Samples.roundTrip.indices)
    func roundTrips(_ i: Int) throws {
        let sample = Samples.roundTrip[i]
        let framed = SnappyFramed.compress(sample.bytes)
        #expect(Array(framed.prefix(10)) == SnappyFramed.streamIdentifier)
        #expect(try SnappyFramed.decompress(framed, uncompressedBytesMax: sample.bytes.count) == sample.bytes, "\(sample.name)")
        if !sample.bytes.isEmpty {
            _ = expectCodecError(.tooLarge) { () throws(CodecError) in
                try SnappyFramed.decompress(framed, uncompressedBytesMax: sample.bytes.count - 1)
            }
        }
    }

    @Test func decodesReferenceAndHandMadeStreams() throws {
        #expect(try SnappyFramed.decompress(Self.cramjamFox, uncompressedBytesMax: 900) == Self.fox)
        #expect(SnappyFramed.compress(Self.fox) == Self.cramjamFox)
        #expect(try SnappyFramed.decompress(Self.handMade, uncompressedBytesMax: 100) == Array("helloabcabcabcab world".utf8))
        #expect(SnappyFramed.mask(0x9a71_bb4c) == 0x191c_1fbb)
        #expect(SnappyFramed.mask(CRC32C.checksum(Array("hello".utf8))) == 0x191c_1fbb)
        // An empty input is an empty stream (what the Rust encoder writes for empty data); the identifier alone too.
        #expect(try SnappyFramed.decompress([UInt8](), uncompressedBytesMax: 0) == [])
        #expect(try SnappyFramed.decompress(SnappyFramed.streamIdentifier, uncompressedBytesMax: 0) == [])
    }

    /// Random data is stored in uncompressed chunks, text in compressed ones; chunks hold at most 64 KiB.
    @Test func chunkKindsAndSizes() throws {
        let random = SnappyFramed.compress(Samples.random(70_000, seed: 3))
        #expect(random[10] == 0x01)
        let text = SnappyFramed.compress(Samples.text(200_000, seed: 3))
        #expect(text[10] == 0x00)
        var offset = 10
        var chunks = 0
        while offset < text.count {
            let length = Int(text[offset + 1]) | Int(text[offset + 2]) << 8 | Int(text[offset + 3]) << 16
            let declared = try Snappy.uncompressedLength(text[(offset + 8) ..< (offset + 4 + length)])
            #expect(declared <= 65_536)
            offset += 4 + length
            chunks += 1
        }
        #expect(chunks == 4)
    }

    @Test func structuralErrors() {
        let hello = Array(Self.handMade[17 ..< 30])  // the uncompressed "hello" chunk
        // Missing stream identifier.
        var e = expectCodecError(.corrupt) { () throws(CodecError) in try SnappyFramed.decompress(hello, uncompressedBytesMax: 100) }
        #expect(e?.offset == 0)
        // Bad identifier contents.
        _ = expectCodecError(.corrupt) { () throws(CodecError) in
            try SnappyFramed.decompress(hexBytes("ff060000734e61507058"), uncompressedBytesMax: 100)
        }
        // Reserved unskippable chunk 0x02 (and 0x7f).
        for type: UInt8 in [0x02, 0x7f] {
            e = expectCodecError(.corrupt) { () throws(CodecError) in
                try SnappyFramed.decompress(SnappyFramed.streamIdentifier + [type, 0x01, 0x00, 0x00, 0x00], uncompressedBytesMax: 100)
            }
            #expect(e?.offset == 10)
        }
        // Checksum mismatch.
        var badCRC = Self.handMade
        badCRC[21] ^= 0x01
        e = expectCodecError(.corrupt) { () throws(CodecError) in try SnappyFramed.decompress(badCRC, uncompressedBytesMax: 100) }
        #expect(e?.message.contains("checksum") == true)
        // A data chunk too short for its checksum.
        _ = expectCodecError(.corrupt) { () throws(CodecError) in
            try SnappyFramed.decompress(SnappyFramed.streamIdentifier + [0x01, 0x03, 0x00, 0x00, 1, 2, 3], uncompressedBytesMax: 100)
        }
        // A chunk length past the end.
        _ = expectCodecError(.truncated) { () throws(CodecError) in
            try SnappyFramed.decompress(SnappyFramed.streamIdentifier + [0x01, 0x09, 0x00, 0x00, 1, 2], uncompressedBytesMax: 100)
        }
    }

    /// Chunk sizes are checked before decoding: an uncompressed chunk of 65537 bytes or a compressed one whose
    /// preamble says 65537 is corrupt, and chunks adding up past the limit are tooLarge before any output exists.
    @Test func lyingChunkSizes() throws {
        let bigData = [UInt8](repeating: 0x61, count: 65_537)
        let crc = SnappyFramed.mask(CRC32C.checksum(bigData))
        let length = 4 + bigData.count
        var oversized = SnappyFramed.streamIdentifier + [0x01, UInt8(length & 0xff), UInt8((length >> 8) & 0xff), UInt8(length >> 16)]
        oversized += [UInt8(crc & 0xff), UInt8((crc >> 8) & 0xff), UInt8((crc >> 16) & 0xff), UInt8(crc >> 24)] + bigData
        _ = expectCodecError(.corrupt) { () throws(CodecError) in try SnappyFramed.decompress(oversized, uncompressedBytesMax: 1 << 20) }

        // Compressed chunk: preamble 65537 (0x81 0x80 0x04), then a run that would produce it.
        let lyingPreamble = SnappyFramed.streamIdentifier + [0x00, 0x0b, 0x00, 0x00, 0, 0, 0, 0, 0x81, 0x80, 0x04, 0x00, 0x61, 0xfe, 0x01, 0x00]
        _ = expectCodecError(.corrupt) { () throws(CodecError) in try SnappyFramed.decompress(lyingPreamble, uncompressedBytesMax: 1 << 20) }

        // Compressed chunks declaring 65536 bytes (0x80 0x80 0x04) with a 2-byte body: implausible, rejected while
        // walking the headers, before the 64 MiB the 1000 chunks declare would be allocated.
        var implausible = SnappyFramed.streamIdentifier
        for _ in 0 ..< 1000 { implausible += [0x00, 0x09, 0x00, 0x00, 0, 0, 0, 0, 0x80, 0x80, 0x04, 0x00, 0x61] }
        let p = expectCodecError(.corrupt) { () throws(CodecError) in try SnappyFramed.decompress(implausible, uncompressedBytesMax: Int.max) }
        #expect(p?.message.contains("can produce") == true)
        #expect(p?.offset == 18)

        // 1000 copies of the "hello" chunk = 5000 bytes: over a limit of 4999.
        let hello = Array(Self.handMade[17 ..< 30])
        var many = SnappyFramed.streamIdentifier
        for _ in 0 ..< 1000 { many += hello }
        let e = expectCodecError(.tooLarge) { () throws(CodecError) in try SnappyFramed.decompress(many, uncompressedBytesMax: 4999) }
        #expect(e?.offset == 10 + 999 * 13)
        #expect(try SnappyFramed.decompress(many, uncompressedBytesMax: 5000).count == 5000)
    }

    @Test func mutatedStreamsThrowOrStayWithinTheLimit() throws {
        let original = Samples.text(3000, seed: 13)
        let valids: [([UInt8], [UInt8])] = [
            (SnappyFramed.compress(original), original),
            (Self.cramjamFox, Self.fox),
            (Self.handMade, Array("helloabcabcabcab world".utf8)),
            (SnappyFramed.compress(Samples.random(1500, seed: 4)), Samples.random(1500, seed: 4)),
        ]
        for (valid, expected) in valids {
            let truncations = fuzzTruncations(valid: valid, limit: 3000, expect: .checksummed(original: expected)) {
                (input) throws(CodecError) in try SnappyFramed.decompress(input, uncompressedBytesMax: 3000)
            }
            #expect(truncations.violationCount == 0, "\(truncations)")
            // A flipped type bit can turn a data chunk into a skippable one, so damage may also drop whole chunks.
            let mutations = fuzzMutations(valid: valid, limit: 3000, seeds: 1000, expect: .checksummedChunks(original: expected)) {
                (input) throws(CodecError) in try SnappyFramed.decompress(input, uncompressedBytesMax: 3000)
            }
            #expect(mutations.violationCount == 0, "\(mutations)")
            #expect(mutations.rejected > 1000, "\(mutations)")
        }
    }
}
