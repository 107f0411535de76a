import Testing
@testable import WeirORC

/// Every run-length encoding against the worked examples of the ORC v1 specification, then encoder/decoder
/// round trips over value shapes that exercise each RLE v2 sub-encoding, and malformed runs.
@Suite struct RLETests {
    static func stream(_ bytes: [UInt8]) -> StreamBytes { StreamBytes(bytes, context: "test stream") }

    static func decodeV2(_ bytes: [UInt8], count: Int, signed: Bool = false) throws -> [Int64] {
        var decoder = IntegerStreamDecoder(stream(bytes), signed: signed, encoding: .directV2)
        let values = try decoder.decode(count: count)
        #expect(decoder.isExhausted)
        return values
    }

    static func decodeV1(_ bytes: [UInt8], count: Int, signed: Bool = false) throws -> [Int64] {
        var decoder = IntegerStreamDecoder(stream(bytes), signed: signed, encoding: .direct)
        let values = try decoder.decode(count: count)
        #expect(decoder.isExhausted)
        return values
    }

    static func encodeV2(_ values: [Int64], signed: Bool) -> [UInt8] {
        var encoder = IntegerRLEv2Encoder(signed: signed)
        for v in values { encoder.write(v) }
        encoder.flush()
        return encoder.bytes
    }

    // MARK: the specification's examples

    @Test func byteRLEExamples() throws {
        var decoder = ByteRLEDecoder(Self.stream([0x61, 0x00]))
        var out = [UInt8](repeating: 9, count: 100)
        try out.withUnsafeMutableBufferPointer { (p) throws(ORCError) in try decoder.decode(count: 100, into: p.baseAddress!) }
        #expect(out == [UInt8](repeating: 0, count: 100))
        #expect(decoder.isExhausted)
        var literal = ByteRLEDecoder(Self.stream([0xfe, 0x44, 0x45]))
        #expect(try literal.next() == 0x44)
        #expect(try literal.next() == 0x45)

        var encoder = ByteRLEEncoder()
        for _ in 0..<100 { encoder.write(0) }
        encoder.flush()
        #expect(encoder.bytes == [0x61, 0x00])
        var pair = ByteRLEEncoder()
        pair.write(0x44)
        pair.write(0x45)
        pair.flush()
        #expect(pair.bytes == [0xfe, 0x44, 0x45])
    }

    @Test func booleanExample() throws {
        // [0xff, 0x80]: a literal run of one byte, 0x80: one true, seven false.
        var decoder = BooleanRLEDecoder(Self.stream([0xff, 0x80]))
        var bits: [Bool] = []
        for _ in 0..<8 { bits.append(try decoder.next()) }
        #expect(bits == [true, false, false, false, false, false, false, false])
        var encoder = BooleanRLEEncoder()
        for bit in bits { encoder.write(bit) }
        encoder.flush()
        #expect(encoder.bytes == [0xff, 0x80])
    }

    @Test func integerRLEv1Examples() throws {
        #expect(try Self.decodeV1([0x61, 0x00, 0x07], count: 100) == [Int64](repeating: 7, count: 100))
        #expect(try Self.decodeV1([0x61, 0xff, 0x64], count: 100) == (1...100).reversed().map(Int64.init))
        #expect(try Self.decodeV1([0xfb, 0x02, 0x03, 0x06, 0x07, 0x0b], count: 5) == [2, 3, 6, 7, 11])
        for (values, bytes) in [([Int64](repeating: 7, count: 100), [0x61, 0x00, 0x07] as [UInt8]),
                                ((1...100).reversed().map(Int64.init), [0x61, 0xff, 0x64]),
                                ([2, 3, 6, 7, 11], [0xfb, 0x02, 0x03, 0x06, 0x07, 0x0b])] {
            var encoder = IntegerRLEv1Encoder(signed: false)
            encoder.write(values)
            #expect(encoder.bytes == bytes)
        }
    }

    static let patchedBaseValues: [Int64] = [2030, 2000, 2020, 1_000_000, 2040, 2050, 2060, 2070, 2080, 2090, 2100, 2110, 2120, 2130,
                                             2140, 2150, 2160, 2170, 2180, 2190]
    static let patchedBaseBytes: [UInt8] = [0x8e, 0x13, 0x2b, 0x21, 0x07, 0xd0, 0x1e, 0x00, 0x14, 0x70, 0x28, 0x32, 0x3c, 0x46, 0x50,
                                            0x5a, 0x64, 0x6e, 0x78, 0x82, 0x8c, 0x96, 0xa0, 0xaa, 0xb4, 0xbe, 0xfc, 0xe8]

    @Test func integerRLEv2Examples() throws {
        // SHORT_REPEAT, DIRECT and PATCHED_BASE: decoding the spec's bytes gives its values and encoding the values
        // gives exactly its bytes.
        let examples: [([Int64], [UInt8])] = [
            ([10000, 10000, 10000, 10000, 10000], [0x0a, 0x27, 0x10]),
            ([23713, 43806, 57005, 48879], [0x5e, 0x03, 0x5c, 0xa1, 0xab, 0x1e, 0xde, 0xad, 0xbe, 0xef]),
            (Self.patchedBaseValues, Self.patchedBaseBytes),
        ]
        for (values, bytes) in examples {
            #expect(try Self.decodeV2(bytes, count: values.count) == values)
            #expect(Self.encodeV2(values, signed: false) == bytes)
        }
        // DELTA: the spec's bytes (deltas at 4 bits) decode; Weir packs the same deltas at 3 bits.
        let primes: [Int64] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]
        #expect(try Self.decodeV2([0xc6, 0x09, 0x02, 0x02, 0x22, 0x42, 0x42, 0x46], count: 10) == primes)
        let encoded = Self.encodeV2(primes, signed: false)
        #expect(encoded[0] >> 6 == 3)
        #expect(encoded.count == 7)
        #expect(try Self.decodeV2(encoded, count: 10) == primes)
    }

    @Test func timestampNanosAndDecimalVarints() throws {
        #expect(TimestampEncoding.encodeNanos(1000) == 0x0a)
        #expect(TimestampEncoding.encodeNanos(100_000) == 0x0c)
        #expect(TimestampEncoding.decodeNanos(0x0a) == 1000)
        #expect(TimestampEncoding.decodeNanos(0x0c) == 100_000)
        for nanos: Int64 in [0, 1, 10, 100, 123_456_789, 999_999_999, 100_000_000, 120_000_000, 5_000] {
            #expect(TimestampEncoding.decodeNanos(TimestampEncoding.encodeNanos(nanos)) == nanos)
        }
        #expect(TimestampEncoding.decodeNanos(Int64(1_000_000_000) << 3) == nil)

        let values: [Int128] = [0, 1, -1, 63, -64, 64, Int128(Int64.max), Int128(Int64.min), Int128.max, Int128.min, 12345678901234567890123]
        var bytes: [UInt8] = []
        for v in values { DecimalVarint.write(v, into: &bytes) }
        var cursor = Self.stream(bytes).cursor()
        for v in values { #expect(try DecimalVarint.read(&cursor) == v) }
        #expect(cursor.isAtEnd)
        // 20 continuation bytes: longer than any 128-bit value.
        var long = Self.stream([UInt8](repeating: 0x80, count: 20) + [0x01]).cursor()
        #expect(throws: ORCError.self) { _ = try DecimalVarint.read(&long) }
    }

    // MARK: round trips

    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state ^ (state >> 29)
        }
    }

    /// Value shapes that call for each sub-encoding, signed and unsigned.
    static func shapes(seed: UInt64) -> [(String, [Int64])] {
        var r = Random(state: seed)
        var shapes: [(String, [Int64])] = []
        shapes.append(("short runs", (0..<600).map { Int64($0 / 7) * 3 - 500 }))
        shapes.append(("long run", [Int64](repeating: -42, count: 1300)))
        shapes.append(("ascending", (0..<2000).map { Int64($0) * 5 + 7 }))
        shapes.append(("descending irregular", (0..<1500).map { -Int64($0) * 3 - Int64($0 % 7) }))
        shapes.append(("random 20 bits", (0..<1100).map { _ in Int64(r.next() % (1 << 20)) - (1 << 19) }))
        shapes.append(("outliers", (0..<1000).map { i in i % 97 == 5 ? Int64(r.next() >> 4) : Int64(r.next() % 200) }))
        shapes.append(("outliers far apart", (0..<1024).map { i in i == 3 || i == 700 ? 1 << 40 : Int64(i % 50) }))
        shapes.append(("extremes", [Int64.min, Int64.max, 0, -1, 1, Int64.min, Int64.min, Int64.min, Int64.max, Int64.max - 1]))
        shapes.append(("full 64-bit", (0..<700).map { _ in Int64(bitPattern: r.next()) }))
        shapes.append(("single", [12345]))
        shapes.append(("pairs", [5, 5, 9, 9, 5, 5]))
        shapes.append(("timestamps", (0..<900).map { 1_700_000_000 + Int64($0) * 60 + Int64(r.next() % 3) }))
        return shapes
    }

    @Test func integerRLEv2RoundTripsUseEverySubEncoding() throws {
        var headers = Set<UInt8>()
        for signed in [true, false] {
            for (name, values) in Self.shapes(seed: signed ? 1 : 2) {
                let bytes = Self.encodeV2(values, signed: signed)
                let decoded = try Self.decodeV2(bytes, count: values.count, signed: signed)
                #expect(decoded == values, "\(name), signed \(signed)")
                // Walk the runs to see which sub-encodings were used.
                var offset = 0, seen = 0
                while offset < bytes.count {
                    headers.insert(bytes[offset] >> 6)
                    var decoder = IntegerRLEv2Decoder(Self.stream(Array(bytes[offset...])), signed: signed)
                    var scratch = [Int64](repeating: 0, count: 512)
                    let length = bytes[offset] >> 6 == 0 ? Int(bytes[offset] & 7) + 3 : (Int(bytes[offset] & 1) << 8 | Int(bytes[offset + 1])) + 1
                    try scratch.withUnsafeMutableBufferPointer { (p) throws(ORCError) in try decoder.decode(count: length, into: p.baseAddress!) }
                    offset += decoder.cursor.position
                    seen += length
                }
                #expect(seen == values.count)
            }
        }
        #expect(headers == [0, 1, 2, 3], "sub-encodings used: \(headers.sorted())")
    }

    @Test func partialReadsAndSkipsContinueInsideRuns() throws {
        let values = (0..<3000).map { Int64(($0 * 7919) % 1000) - 300 }
        let bytes = Self.encodeV2(values, signed: true)
        var decoder = IntegerRLEv2Decoder(Self.stream(bytes), signed: true)
        var out: [Int64] = []
        var buffer = [Int64](repeating: 0, count: 37)
        var position = 0
        while position < values.count {
            let n = min(37, values.count - position)
            if position % 3 == 0 {
                try decoder.skip(n)
                out += values[position..<(position + n)]
            } else {
                try buffer.withUnsafeMutableBufferPointer { (p) throws(ORCError) in try decoder.decode(count: n, into: p.baseAddress!) }
                out += buffer[0..<n]
            }
            position += n
        }
        #expect(out == values)
        #expect(decoder.isExhausted)
    }

    @Test func integerRLEv1RoundTrips() throws {
        for signed in [true, false] {
            for (name, values) in Self.shapes(seed: 3) {
                var encoder = IntegerRLEv1Encoder(signed: signed)
                encoder.write(values)
                #expect(try Self.decodeV1(encoder.bytes, count: values.count, signed: signed) == values, "\(name)")
            }
        }
    }

    @Test func byteAndBooleanRoundTrips() throws {
        var r = Random(state: 9)
        let bytes: [UInt8] = (0..<5000).map { i in i % 300 < 150 ? UInt8(i / 40 % 256) : UInt8(truncatingIfNeeded: r.next()) }
        var encoder = ByteRLEEncoder()
        for b in bytes { encoder.write(b) }
        encoder.flush()
        var decoder = ByteRLEDecoder(Self.stream(encoder.bytes))
        var out = [UInt8](repeating: 0, count: bytes.count)
        try out.withUnsafeMutableBufferPointer { (p) throws(ORCError) in try decoder.decode(count: bytes.count, into: p.baseAddress!) }
        #expect(out == bytes)
        #expect(decoder.isExhausted)

        let bits: [Bool] = (0..<10_001).map { i in i % 1000 < 400 ? true : r.next() % 3 == 0 }
        var bitEncoder = BooleanRLEEncoder()
        for b in bits { bitEncoder.write(b) }
        bitEncoder.flush()
        for start in [0, 5, 63] {
            var bitDecoder = BooleanRLEDecoder(Self.stream(bitEncoder.bytes))
            var words = [UInt64](repeating: 0, count: (bits.count + start + 63) / 64)
            let set = try words.withUnsafeMutableBufferPointer { (p) throws(ORCError) -> Int in
                try bitDecoder.decode(count: bits.count, into: p.baseAddress!, start: start)
            }
            #expect(set == bits.filter { $0 }.count)
            for (i, bit) in bits.enumerated() { #expect((words[(i + start) >> 6] >> UInt64((i + start) & 63)) & 1 == (bit ? 1 : 0)) }
        }
    }

    // MARK: malformed runs

    @Test func malformedRunsAreErrors() throws {
        let cases: [([UInt8], Int, String)] = [
            ([0x0a, 0x27], 5, "ends early"),                              // short repeat missing a byte
            ([0x5e, 0x03, 0x5c, 0xa1], 4, "ends early"),                  // direct run cut short
            ([0xc6, 0x09, 0x02], 10, "runs past the end"),                // delta without its delta base
            (Array(Self.patchedBaseBytes.dropLast()), 20, "ends early"),  // patch list cut short
            ([], 1, "ends early"),
        ]
        for (bytes, count, message) in cases {
            do {
                _ = try Self.decodeV2(bytes, count: count)
                Issue.record("\(bytes) decoded")
            } catch let error as ORCError {
                #expect(error.description.contains(message), "\(error)")
                #expect(error.location.hasPrefix("test stream"))
            }
        }
        // The spec's patched-base run with patch gap width 8: the 20-bit patch entry needs more bytes than remain.
        var corrupt = Self.patchedBaseBytes
        corrupt[3] = 0x21 | 0xe0
        #expect(throws: ORCError.self) { _ = try Self.decodeV2(corrupt, count: 20) }
        // A patched-base run of 2 values (width 8, 1-byte base, patch width 8, gap width 8) whose one patch has gap 5.
        do {
            _ = try Self.decodeV2([0x8e, 0x01, 0x07, 0xe1, 0x00, 0x01, 0x02, 0x05, 0x01], count: 2)
            Issue.record("a patch past the run decoded")
        } catch let error as ORCError {
            #expect(error.message.contains("lands on value 5 of a run of 2"), "\(error)")
        }
        // Patch width plus gap width above 64 bits.
        var wide = Self.patchedBaseBytes
        wide[2] = (wide[2] & 0xe0) | 31  // patch width 64
        #expect(throws: ORCError.self) { _ = try Self.decodeV2(wide, count: 20) }
        // More values than the stream holds and values left over are both visible to the caller.
        var decoder = IntegerStreamDecoder(Self.stream([0x0a, 0x27, 0x10]), signed: false, encoding: .directV2)
        _ = try decoder.decode(count: 3)
        #expect(!decoder.isExhausted)
    }
}
