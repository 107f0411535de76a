import Testing
import WeirCodecs

@Suite struct DeflateTests {
    static let fox = ZstdTests.fox
    static let formats: [Deflate.Format] = [.raw, .zlib, .gzip]

    /// `gzip -9 -n -c < fox.txt` followed by `printf 'second member\n' | gzip -n -c` (GNU gzip 1.12): two members.
    static let twoGzipMembers = hexBytes("""
        1f8b08000000000002030bc94855282ccd4cce56482aca2fcf5348cbaf50c82acd2d2856c82f4b2d5228014ae72456552aa4e4a7eb29
        848c2a1e553caa98da8a01e64a66b08403000 01f8b08000000000000032b4e4dcecf4b51c84dcd4d4a2de2020036184b0e0e000000
        """)
    /// Python 3 `zlib.compress(fox, 9)`.
    static let pythonZlib = hexBytes("""
        78da0bc94855282ccd4cce56482aca2fcf5348cbaf50c82acd2d2856c82f4b2d5228014ae72456552aa4e4a7eb29848c2a1e553caa98
        da8a0147a5431c
        """)
    /// Python 3 `zlib.compressobj(9, zlib.DEFLATED, -15)` on fox: raw deflate, as Avro and ORC store it.
    static let pythonRaw = hexBytes("""
        0bc94855282ccd4cce56482aca2fcf5348cbaf50c82acd2d2856c82f4b2d5228014ae72456552aa4e4a7eb29848c2a1e553caa98da8a01
        """)

    @Test(arguments: Samples.roundTrip.indices)
    func roundTrips(_ i: Int) throws {
        let sample = Samples.roundTrip[i]
        for format in Self.formats {
            let compressed = try Deflate.compress(sample.bytes, format: format, level: sample.bytes.count > 1 << 20 ? 1 : 6)
            let out = try Deflate.decompress(compressed, format: format, uncompressedBytesMax: sample.bytes.count)
            #expect(out == sample.bytes, "\(sample.name) \(format)")
        }
    }

    @Test func headersMatchTheFormat() throws {
        let gz = try Deflate.compress(Self.fox, format: .gzip)
        #expect(Array(gz.prefix(3)) == [0x1f, 0x8b, 0x08])
        let z = try Deflate.compress(Self.fox, format: .zlib, level: 9)
        #expect(z == Self.pythonZlib)  // same library, same level, same bytes
        #expect(try Deflate.compress(Self.fox, format: .raw, level: 9) == Self.pythonRaw)
        for level in Deflate.levelRange {
            let c = try Deflate.compress(Self.fox, format: .raw, level: level)
            #expect(try Deflate.decompress(c, format: .raw, uncompressedBytesMax: 900) == Self.fox)
        }
        _ = expectCodecError(.invalidArgument) { () throws(CodecError) in try Deflate.compress(Self.fox, format: .gzip, level: 10) }
    }

    @Test func decodesReferenceVectors() throws {
        let second = Array("second member\n".utf8)
        #expect(try Deflate.decompress(Self.twoGzipMembers, format: .gzip, uncompressedBytesMax: 1000) == Self.fox + second)
        #expect(try Deflate.decompress(Self.pythonZlib, format: .zlib, uncompressedBytesMax: 900) == Self.fox)
        #expect(try Deflate.decompress(Self.pythonRaw, format: .raw, uncompressedBytesMax: 900) == Self.fox)
        // The limit counts all members.
        _ = expectCodecError(.tooLarge) { () throws(CodecError) in
            try Deflate.decompress(Self.twoGzipMembers, format: .gzip, uncompressedBytesMax: 900 + second.count - 1)
        }
        // Wrong wrapper: zlib data read as gzip and raw data read as zlib are rejected.
        _ = expectCodecError(.corrupt) { () throws(CodecError) in try Deflate.decompress(Self.pythonZlib, format: .gzip, uncompressedBytesMax: 900) }
        _ = expectCodecError(.corrupt) { () throws(CodecError) in try Deflate.decompress(Self.pythonRaw, format: .zlib, uncompressedBytesMax: 900) }
    }

    @Test func trailingBytesAreRejected() {
        let e = expectCodecError(.corrupt) { () throws(CodecError) in
            try Deflate.decompress(Self.pythonRaw + [0x00], format: .raw, uncompressedBytesMax: 1000)
        }
        #expect(e?.offset == Self.pythonRaw.count)
        _ = expectCodecError(.corrupt) { () throws(CodecError) in
            try Deflate.decompress(Self.pythonZlib + [0x78], format: .zlib, uncompressedBytesMax: 1000)
        }
        _ = expectCodecError(.corrupt) { () throws(CodecError) in
            try Deflate.decompress(Self.twoGzipMembers + Array("garbage!".utf8), format: .gzip, uncompressedBytesMax: 1000)
        }
    }

    /// 16 MiB of zeros deflates to about 16 KiB; every wrapping stops at the limit.
    @Test func bombsStopAtTheLimit() throws {
        let zeros = [UInt8](repeating: 0, count: 16 << 20)
        for format in Self.formats {
            let bomb = try Deflate.compress(zeros, format: format, level: 9)
            #expect(bomb.count < 20_000)
            let e = expectCodecError(.tooLarge) { () throws(CodecError) in
                try Deflate.decompress(bomb, format: format, uncompressedBytesMax: 1 << 20)
            }
            #expect(e?.codec == format.name)
        }
    }

    /// A limit exactly the output size succeeds even when the trailer arrives after the output buffer is full.
    @Test func limitEqualToTheOutputSucceeds() throws {
        for size in [0, 1, 65_536, 65_537, 300_000] {
            let data = Samples.text(size, seed: UInt64(size))
            for format in Self.formats {
                let c = try Deflate.compress(data, format: format)
                #expect(try Deflate.decompress(c, format: format, uncompressedBytesMax: size) == data)
                if size > 0 {
                    _ = expectCodecError(.tooLarge) { () throws(CodecError) in try Deflate.decompress(c, format: format, uncompressedBytesMax: size - 1) }
                }
            }
        }
    }

    @Test func emptyInputIsTruncated() {
        for format in Self.formats {
            _ = expectCodecError(.truncated) { () throws(CodecError) in try Deflate.decompress([UInt8](), format: format, uncompressedBytesMax: 10) }
        }
    }

    @Test func mutatedInputsThrowOrStayWithinTheLimit() throws {
        let original = Samples.text(3000, seed: 14)
        for format in Self.formats {
            let valid = try Deflate.compress(original, format: format)
            // gzip (CRC-32 + length) and zlib (Adler-32) are checksummed; raw deflate is not.
            let expect: Expectation = format == .raw ? .boundedOnly : .checksummed(original: original)
            let truncations = fuzzTruncations(valid: valid, limit: 3000, expect: expect) { (input) throws(CodecError) in
                try Deflate.decompress(input, format: format, uncompressedBytesMax: 3000)
            }
            #expect(truncations.violationCount == 0, "\(format) \(truncations)")
            #expect(truncations.decoded == 0, "\(format) \(truncations)")
            let mutations = fuzzMutations(valid: valid, limit: 3000, seeds: 1000, expect: expect) { (input) throws(CodecError) in
                try Deflate.decompress(input, format: format, uncompressedBytesMax: 3000)
            }
            #expect(mutations.violationCount == 0, "\(format) \(mutations)")
            #expect(mutations.rejected > 1000, "\(format) \(mutations)")
        }
        let members = fuzzMutations(valid: Self.twoGzipMembers, limit: 1000, seeds: 1000,
                                    expect: .checksummed(original: Self.fox + Array("second member\n".utf8))) {
            (input) throws(CodecError) in try Deflate.decompress(input, format: .gzip, uncompressedBytesMax: 1000)
        }
        #expect(members.violationCount == 0, "\(members)")
    }
}
