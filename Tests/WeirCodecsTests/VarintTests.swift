import Testing
import WeirCodecs

@Suite struct VarintTests {
    /// Encodings from the protobuf documentation and the edges of each byte count.
    @Test func knownEncodings() throws {
        let cases: [(UInt64, [UInt8])] = [
            (0, [0x00]), (1, [0x01]), (127, [0x7f]), (128, [0x80, 0x01]), (150, [0x96, 0x01]), (300, [0xac, 0x02]),
            (16_383, [0xff, 0x7f]), (16_384, [0x80, 0x80, 0x01]),
            (UInt64(UInt32.max), [0xff, 0xff, 0xff, 0xff, 0x0f]),
            (UInt64.max, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
        ]
        for (value, bytes) in cases {
            #expect(Varint.encode(value) == bytes, "\(value)")
            #expect(Varint.encodedLength(value) == bytes.count, "\(value)")
            let decoded = try ByteReader.withReader(bytes) { (r) throws(CodecError) in try r.readUVarint() }
            #expect(decoded == value)
        }
    }

    @Test func zigzagMapsSmallMagnitudesToSmallCodes() {
        let cases32: [(Int32, UInt32)] = [(0, 0), (-1, 1), (1, 2), (-2, 3), (2_147_483_647, 4_294_967_294),
                                          (-2_147_483_648, 4_294_967_295)]
        for (v, u) in cases32 {
            #expect(Varint.zigzagEncode(v) == u)
            #expect(Varint.zigzagDecode(u) == v)
        }
        let cases64: [(Int64, UInt64)] = [(0, 0), (-1, 1), (1, 2), (-2, 3), (Int64.max, UInt64.max - 1), (Int64.min, UInt64.max)]
        for (v, u) in cases64 {
            #expect(Varint.zigzagEncode(v) == u)
            #expect(Varint.zigzagDecode(u) == v)
        }
    }

    @Test func randomValuesRoundTripThroughWriterAndReader() throws {
        var rng = SplitMix64(seed: 42)
        var values: [UInt64] = []
        for _ in 0 ..< 5000 { values.append(rng.next() >> UInt64(rng.below(64))) }
        var signed: [Int64] = []
        for _ in 0 ..< 1000 { signed.append(Int64(bitPattern: rng.next()) >> Int64(rng.below(64))) }
        let small: [Int32] = (0 ..< 1000).map { _ in Int32(truncatingIfNeeded: Int64(bitPattern: rng.next())) }
        var w = ByteWriter()
        for v in values { w.putUVarint(v) }
        for v in signed { w.putZigZagVarint(v) }
        for v in small { w.putZigZagVarint(v) }
        try ByteReader.withReader(w.bytes) { (r) throws(CodecError) in
            for v in values { #expect(try r.readUVarint() == v) }
            for v in signed { #expect(try r.readZigZagVarint64() == v) }
            for v in small { #expect(try r.readZigZagVarint32() == v) }
            #expect(r.isAtEnd)
        }
    }

    @Test func overlongAndOverflowingVarintsAreCorrupt() {
        // 11 bytes: over-long.
        let overlong = [UInt8](repeating: 0x80, count: 10) + [0x00]
        let e = expectCodecError(.corrupt) { () throws(CodecError) in
            try ByteReader.withReader(overlong) { (r) throws(CodecError) in try r.readUVarint() }
        }
        #expect(e?.offset == 0)
        // 10th byte 2: bit 64 would be set.
        let overflow = [UInt8](repeating: 0xff, count: 9) + [0x02]
        _ = expectCodecError(.corrupt) { () throws(CodecError) in
            try ByteReader.withReader(overflow) { (r) throws(CodecError) in try r.readUVarint() }
        }
        // 32-bit: a 5th byte above 0x0f, or a 6th byte.
        _ = expectCodecError(.corrupt) { () throws(CodecError) in
            try ByteReader.withReader([0xff, 0xff, 0xff, 0xff, 0x10]) { (r) throws(CodecError) in try r.readUVarint32() }
        }
        _ = expectCodecError(.corrupt) { () throws(CodecError) in
            try ByteReader.withReader([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]) { (r) throws(CodecError) in try r.readUVarint32() }
        }
        // Non-minimal but short enough: accepted.
        let zero = try? ByteReader.withReader([0x80, 0x00]) { (r) throws(CodecError) in try r.readUVarint() }
        #expect(zero == 0)
    }

    @Test func truncatedVarintThrowsTruncatedAtItsStart() {
        let e = expectCodecError(.truncated) { () throws(CodecError) in
            try ByteReader.withReader([0x01, 0x80, 0x80]) { (r) throws(CodecError) -> UInt64 in
                _ = try r.readU8()
                return try r.readUVarint()
            }
        }
        #expect(e?.offset == 1)
        #expect(e?.message.contains("need 3 bytes") == true)
    }

    /// Any byte string either decodes or throws, and the reader never advances beyond the input.
    @Test func randomBytesNeverTrap() throws {
        var rng = SplitMix64(seed: 7)
        var decoded = 0
        var rejected = 0
        for _ in 0 ..< 3000 {
            let bytes = Samples.random(rng.below(12), seed: rng.next()).map { $0 | (rng.below(3) == 0 ? 0 : 0x80) }
            do throws(CodecError) {
                try ByteReader.withReader(bytes) { (r) throws(CodecError) in
                    _ = try r.readUVarint()
                    #expect(r.offset <= bytes.count)
                }
                decoded += 1
            } catch {
                rejected += 1
            }
        }
        #expect(decoded > 0 && rejected > 0)
    }
}
