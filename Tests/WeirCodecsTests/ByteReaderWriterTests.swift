import Testing
import WeirCodecs

@Suite struct ByteReaderWriterTests {
    /// Every put has a read that gives the value back, in the byte order the name says.
    @Test func putsAndReadsRoundTripInTheNamedByteOrder() throws {
        var w = ByteWriter()
        w.putU8(0xab)
        w.putU16LE(0x0102)
        w.putU16BE(0x0102)
        w.putU32LE(0x0102_0304)
        w.putU32BE(0x0102_0304)
        w.putU64LE(0x0102_0304_0506_0708)
        w.putU64BE(0x0102_0304_0506_0708)
        w.putI32LE(-2)
        w.putI32BE(-2)
        w.putI64LE(Int64.min)
        w.putI64BE(-3)
        w.putFloatLE(1.5)
        w.putDoubleLE(-0.25)
        w.putBytes([9, 8, 7])
        w.putRepeating(0xee, count: 2)
        let bytes = w.bytes
        #expect(bytes.count == 1 + 2 + 2 + 4 + 4 + 8 + 8 + 4 + 4 + 8 + 8 + 4 + 8 + 3 + 2)
        #expect(Array(bytes[1 ..< 5]) == [0x02, 0x01, 0x01, 0x02])
        #expect(Array(bytes[5 ..< 13]) == [0x04, 0x03, 0x02, 0x01, 0x01, 0x02, 0x03, 0x04])

        try ByteReader.withReader(bytes) { (r) throws(CodecError) in
            #expect(try r.readU8() == 0xab)
            #expect(try r.readU16LE() == 0x0102)
            #expect(try r.readU16BE() == 0x0102)
            #expect(try r.readU32LE() == 0x0102_0304)
            #expect(try r.readU32BE() == 0x0102_0304)
            #expect(try r.readU64LE() == 0x0102_0304_0506_0708)
            #expect(try r.readU64BE() == 0x0102_0304_0506_0708)
            #expect(try r.readI32LE() == -2)
            #expect(try r.readI32BE() == -2)
            #expect(try r.readI64LE() == Int64.min)
            #expect(try r.readI64BE() == -3)
            #expect(try r.readFloatLE() == 1.5)
            #expect(try r.readDoubleLE() == -0.25)
            #expect(try r.peekU8() == 9)
            #expect(try r.readBytes(3) == [9, 8, 7])
            #expect(r.remaining == 2)
            try r.skip(2)
            #expect(r.isAtEnd)
            #expect(r.offset == bytes.count)
        }
    }

    @Test func littleEndianMatchesKnownBytes() throws {
        let bytes: [UInt8] = [0x00, 0x00, 0xc0, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x3f]
        try ByteReader.withReader(bytes) { (r) throws(CodecError) in
            #expect(try r.readFloatLE() == 1.5)
            #expect(try r.readDoubleLE() == 1.5)
        }
    }

    /// Reading past the end throws `truncated` naming the offset (plus the origin), and leaves the cursor alone.
    @Test func readsPastTheEndThrowTruncatedWithTheOffset() throws {
        let bytes: [UInt8] = [1, 2, 3, 4, 5]
        try ByteReader.withReader(bytes, codec: "test", origin: 1000) { (r) throws(CodecError) in
            try r.skip(3)
            let e = expectCodecError(.truncated) { () throws(CodecError) in try r.readU32LE() }
            #expect(e?.offset == 1003)
            #expect(e?.codec == "test")
            #expect(e?.description == "test: truncated: need 4 bytes at offset 1003, only 2 remain (at byte 1003)")
            #expect(r.offset == 3)
            _ = expectCodecError(.truncated) { () throws(CodecError) in try r.readU64BE() }
            _ = expectCodecError(.truncated) { () throws(CodecError) in try r.readBytes(3) }
            _ = expectCodecError(.truncated) { () throws(CodecError) in try r.skip(3) }
            _ = expectCodecError(.corrupt) { () throws(CodecError) in try r.readSlice(-1) }
            #expect(try r.readU16LE() == 0x0504)
            _ = expectCodecError(.truncated) { () throws(CodecError) in try r.readU8() }
            _ = expectCodecError(.truncated) { () throws(CodecError) in try r.peekU8() }
            try r.seek(to: 1)
            #expect(try r.readU8() == 2)
            _ = expectCodecError(.truncated) { () throws(CodecError) in try r.seek(to: 6) }
            _ = expectCodecError(.corrupt) { () throws(CodecError) in try r.seek(to: -1) }
        }
    }

    @Test func emptyInputReadsNothing() throws {
        try ByteReader.withReader([UInt8]()) { (r) throws(CodecError) in
            #expect(r.isAtEnd)
            #expect(try r.readBytes(0) == [])
            _ = expectCodecError(.truncated) { () throws(CodecError) in try r.readU8() }
        }
    }

    /// Slices are views into the same memory, and non-contiguous collections work too (copied once).
    @Test func slicesAndNonContiguousInput() throws {
        let bytes: [UInt8] = Array(0 ..< 16)
        try ByteReader.withReader(bytes[4...]) { (r) throws(CodecError) in
            let s = try r.readSlice(4)
            #expect(Array(s) == [4, 5, 6, 7])
            #expect(r.count == 12)
        }
        let lazy = (0 ..< 4).lazy.map { UInt8($0 * 2) }
        try ByteReader.withReader(lazy) { (r) throws(CodecError) in
            #expect(try r.readU32BE() == 0x0002_0406)
        }
    }

    @Test func writerBasics() {
        var w = ByteWriter(capacity: 4)
        #expect(w.isEmpty)
        w.putU32BE(7)
        #expect(w.count == 4)
        w.removeAll()
        #expect(w.isEmpty)
        w.putU8(1)
        #expect(w.bytes == [1])
    }

    @Test func errorDescriptionsNameCodecKindAndOffset() {
        #expect(CodecError.corrupt("zstd", "bad", offset: 7).description == "zstd: corrupt: bad (at byte 7)")
        #expect(CodecError.tooLarge("lz4-raw", "big").description == "lz4-raw: tooLarge: big")
        #expect(CodecError.invalidArgument("gzip", "level").kind == .invalidArgument)
        #expect(CodecError.library("zstd", "oom").kind == .library)
    }
}
