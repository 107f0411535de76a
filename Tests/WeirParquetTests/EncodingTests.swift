import Testing
import WeirCodecs
import WeirColumnar
@testable import WeirParquet

/// Each encoding against hand-built vectors (the examples of the Parquet format's Encodings.md and vectors worked out
/// by hand), plus encoder/decoder round trips on random data and the decoders' refusals.
@Suite struct EncodingTests {
    func rle(_ bytes: [UInt8], width: Int, count: Int) throws -> [UInt32] {
        try bytes.withUnsafeBytes { raw in
            var decoder = try RLEHybridDecoder(raw, bitWidth: width)
            return try decoder.decode(count: count)
        }
    }

    @Test func rleHybridVectors() throws {
        // Bit-packed run: 0...7 with width 3 (Encodings.md).
        #expect(try rle([0x03, 0x88, 0xC6, 0xFA], width: 3, count: 8) == [0, 1, 2, 3, 4, 5, 6, 7])
        // RLE run: 100 × 5 with width 3.
        #expect(try rle([0xC8, 0x01, 0x05], width: 3, count: 100) == [UInt32](repeating: 5, count: 100))
        // A two-byte RLE value (width 9), then a bit-packed group of 8 values of 9 bits.
        #expect(try rle([0x04, 0x2C, 0x01, 0x03, 0xA5, 0, 0, 0, 0, 0, 0, 0, 0], width: 9, count: 3) == [300, 300, 165])
        // Width 0: every value is 0.
        #expect(try rle([0x08], width: 0, count: 4) == [0, 0, 0, 0])
        // A short last group (the writer stopped early): the values present decode.
        #expect(try rle([0x05, 0xFF], width: 4, count: 2) == [15, 15])
        // Asking for more than there is, a value wider than the width, a width over 32.
        #expect(throws: ParquetError.self) { try rle([0x03, 0x88, 0xC6, 0xFA], width: 3, count: 9) }
        #expect(throws: ParquetError.self) { try rle([0x02, 0x09], width: 3, count: 1) }
        #expect(throws: ParquetError.self) { try rle([0x02, 0x01], width: 33, count: 1) }
    }

    @Test func rleHybridRoundTrips() throws {
        var random = SplitMix64(seed: 7)
        for width in [1, 2, 3, 7, 8, 13, 20, 32] {
            let maxValue = width == 32 ? UInt64(UInt32.max) : (1 << UInt64(width)) - 1
            var values: [UInt32] = []
            for _ in 0..<50 {
                let run = Int(random.next() % 30) + 1
                let v = UInt32(random.next() % (maxValue + 1))
                if random.next() % 2 == 0 {
                    values += [UInt32](repeating: v, count: run)
                } else {
                    values += (0..<run).map { _ in UInt32(random.next() % (maxValue + 1)) }
                }
            }
            var encoded: [UInt8] = []
            RLEHybridEncoder.encode(values, bitWidth: width, into: &encoded)
            #expect(try rle(encoded, width: width, count: values.count) == values, "width \(width)")
        }
        // Long runs are RLE runs: 10,000 equal levels take a few bytes.
        var encoded: [UInt8] = []
        RLEHybridEncoder.encode([UInt8](repeating: 1, count: 10_000), bitWidth: 1, into: &encoded)
        #expect(encoded == [0xA0, 0x9C, 0x01, 0x01])
    }

    @Test func legacyBitPackedLevels() throws {
        // BIT_PACKED packs from the most significant bit: 0...7 with width 3 (Encodings.md).
        let (values, used) = try [UInt8]([0x05, 0x39, 0x77]).withUnsafeBytes { try LegacyBitPacked.decode($0, count: 8, bitWidth: 3) }
        #expect(values == [0, 1, 2, 3, 4, 5, 6, 7] && used == 3)
    }

    func plain(_ bytes: [UInt8], _ type: PhysicalType, count: Int, length: Int = 0) throws -> PhysicalValues {
        var out = PhysicalValues.empty(for: type)
        let used = try bytes.withUnsafeBytes { try PlainDecoder.decode($0, count: count, type: type, typeLength: length, into: &out) }
        #expect(used <= bytes.count)
        return out
    }

    @Test func plainVectors() throws {
        guard case .boolean(let bools) = try plain([0b0000_0101, 0b1], .boolean, count: 9) else { Issue.record("bool"); return }
        #expect(bools == [1, 0, 1, 0, 0, 0, 0, 0, 1])
        guard case .int32(let ints) = try plain([1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff], .int32, count: 2) else { Issue.record("int32"); return }
        #expect(ints == [1, -1])
        guard case .int64(let longs) = try plain([0, 0, 0, 0, 0, 0, 0, 0x80], .int64, count: 1) else { Issue.record("int64"); return }
        #expect(longs == [Int64.min])
        guard case .double(let doubles) = try plain([0, 0, 0, 0, 0, 0, 0xf0, 0x3f], .double, count: 1) else { Issue.record("double"); return }
        #expect(doubles == [1.0])
        guard case .float(let floats) = try plain([0, 0, 0xc0, 0x7f], .float, count: 1) else { Issue.record("float"); return }
        #expect(floats[0].isNaN)
        guard case .bytes(let strings) = try plain([2, 0, 0, 0, 0x68, 0x69, 0, 0, 0, 0], .byteArray, count: 2) else { Issue.record("bytes"); return }
        #expect(strings.offsets == [0, 2, 2] && strings.data == [0x68, 0x69])
        guard case .bytes(let fixed) = try plain([1, 2, 3, 4, 5, 6], .fixedLenByteArray, count: 2, length: 3) else { Issue.record("flba"); return }
        #expect(fixed.offsets == [0, 3, 6])
        // INT96: 2000-01-01T00:00:00.000000001 is Julian day 2451545 plus one nanosecond.
        let day: UInt32 = 2_451_545
        let int96: [UInt8] = [1, 0, 0, 0, 0, 0, 0, 0] + withUnsafeBytes(of: day.littleEndian) { Array($0) }
        guard case .int64(let nanos) = try plain(int96, .int96, count: 1) else { Issue.record("int96"); return }
        #expect(nanos == [946_684_800_000_000_001])
        // Too few bytes for the count, a length past the end, an INT96 outside the Int64 range.
        #expect(throws: ParquetError.self) { try plain([1, 0, 0], .int32, count: 1) }
        #expect(throws: ParquetError.self) { try plain([9, 0, 0, 0, 0x68], .byteArray, count: 1) }
        #expect(throws: ParquetError.self) { try plain([0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff], .int96, count: 1) }
        #expect(throws: ParquetError.self) { try plain([1], .fixedLenByteArray, count: 1, length: 0) }
    }

    func delta(_ bytes: [UInt8], count: Int) throws -> ([Int64], Int) {
        try bytes.withUnsafeBytes { try DeltaBinaryPacked.decode($0, count: count) }
    }

    @Test func deltaBinaryPackedVectors() throws {
        // Encodings.md example 1: 1, 2, 3, 4, 5 (all deltas 1: width 0).
        let example1: [UInt8] = [0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00]
        #expect(try delta(example1, count: 5) == ([1, 2, 3, 4, 5], 10))
        // Example 2: 7, 5, 3, 1, 2, 3, 4, 5 (min delta -2, width 2).
        let example2: [UInt8] = [0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 0x02, 0x00, 0x00, 0x00, 0xC0, 0x3F, 0, 0, 0, 0, 0, 0]
        #expect(try delta(example2, count: 8) == ([7, 5, 3, 1, 2, 3, 4, 5], 18))
        var encoded: [UInt8] = []
        DeltaBinaryPacked.encode([7, 5, 3, 1, 2, 3, 4, 5], bits32: false, into: &encoded)
        #expect(encoded == example2)
        // A single value has no blocks.
        #expect(try delta([0x80, 0x01, 0x04, 0x01, 0x01], count: 1) == ([-1], 5))
        // Refusals: a count that is not the page's, a block size not a multiple of 128, a width over 64, truncation.
        #expect(throws: ParquetError.self) { try delta(example2, count: 7) }
        #expect(throws: ParquetError.self) { try delta([0x40, 0x04, 0x01, 0x00], count: 1) }
        #expect(throws: ParquetError.self) { try delta([0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 0x41, 0, 0, 0], count: 2) }
        #expect(throws: ParquetError.self) { try delta(Array(example2.dropLast(3)), count: 8) }
        #expect(throws: ParquetError.self) { try delta([0x80, 0x01, 0x03, 0x02, 0x00], count: 2) }
    }

    @Test func deltaBinaryPackedRoundTrips() throws {
        var random = SplitMix64(seed: 9)
        for bits32 in [false, true] {
            for count in [0, 1, 2, 31, 32, 33, 127, 128, 129, 1000] {
                let values: [Int64] = (0..<count).map { i in
                    switch random.next() % 4 {
                    case 0: return bits32 ? Int64(Int32.min) : Int64.min
                    case 1: return bits32 ? Int64(Int32.max) : Int64.max
                    default: return bits32 ? Int64(Int32(truncatingIfNeeded: random.next())) : Int64(bitPattern: random.next())
                    }
                }
                var encoded: [UInt8] = []
                DeltaBinaryPacked.encode(values, bits32: bits32, into: &encoded)
                let (decoded, used) = try delta(encoded, count: count)
                let expected = bits32 ? values.map { Int64(Int32(truncatingIfNeeded: $0)) } : values
                #expect((bits32 ? decoded.map { Int64(Int32(truncatingIfNeeded: $0)) } : decoded) == expected, "count \(count)")
                #expect(used == encoded.count)
            }
        }
    }

    func strings(_ s: ByteStrings) -> [String] { (0..<s.count).map { String(decoding: s[$0], as: UTF8.self) } }

    @Test func deltaLengthByteArrayVector() throws {
        // "Hello", "World", "Foobar", "ABCDEF" (Encodings.md): lengths 5, 5, 6, 6.
        let bytes: [UInt8] = [0x80, 0x01, 0x04, 0x04, 0x0A, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00] + Array("HelloWorldFoobarABCDEF".utf8)
        var out = ByteStrings()
        let used = try bytes.withUnsafeBytes { try DeltaByteArray.decodeLengths($0, count: 4, into: &out) }
        #expect(strings(out) == ["Hello", "World", "Foobar", "ABCDEF"] && used == bytes.count)
        var encoded: [UInt8] = []
        DeltaByteArray.encodeLengths(out, into: &encoded)
        #expect(encoded == bytes)
        var short = ByteStrings()
        #expect(throws: ParquetError.self) { try Array(bytes.dropLast()).withUnsafeBytes { try DeltaByteArray.decodeLengths($0, count: 4, into: &short) } }
    }

    @Test func deltaByteArrayVector() throws {
        // "axis", "axle", "babble", "babyhood": prefixes 0 2 0 3, suffixes "axis" "le" "babble" "yhood".
        let prefixes: [UInt8] = [0x80, 0x01, 0x04, 0x04, 0x00, 0x03, 0x03, 0, 0, 0, 0x44, 0x01] + [UInt8](repeating: 0, count: 10)
        let suffixLengths: [UInt8] = [0x80, 0x01, 0x04, 0x04, 0x08, 0x03, 0x03, 0, 0, 0, 0x70, 0x00] + [UInt8](repeating: 0, count: 10)
        let bytes = prefixes + suffixLengths + Array("axislebabbleyhood".utf8)
        var out = ByteStrings()
        let used = try bytes.withUnsafeBytes { try DeltaByteArray.decode($0, count: 4, fixedLength: nil, into: &out) }
        #expect(strings(out) == ["axis", "axle", "babble", "babyhood"] && used == bytes.count)
        var encoded: [UInt8] = []
        DeltaByteArray.encode(out, into: &encoded)
        #expect(encoded == bytes)
        // A prefix longer than the previous value; a wrong length for a fixed-length column.
        var bad = ByteStrings()
        let longPrefix: [UInt8] = [0x80, 0x01, 0x04, 0x01, 0x02] + [0x80, 0x01, 0x04, 0x01, 0x00]
        #expect(throws: ParquetError.self) { try longPrefix.withUnsafeBytes { try DeltaByteArray.decode($0, count: 1, fixedLength: nil, into: &bad) } }
        #expect(throws: ParquetError.self) { try bytes.withUnsafeBytes { try DeltaByteArray.decode($0, count: 4, fixedLength: 4, into: &bad) } }
    }

    @Test func byteStreamSplitVector() throws {
        let floats: [Float] = [1.0, 2.0]
        let split: [UInt8] = [0, 0, 0, 0, 0x80, 0, 0x3F, 0x40]
        #expect(floats.withUnsafeBytes { ByteStreamSplit.encode($0, count: 2, width: 4) } == split)
        let interleaved = try split.withUnsafeBytes { try ByteStreamSplit.decode($0, count: 2, width: 4) }
        #expect(interleaved == floats.withUnsafeBytes { Array($0) })
        #expect(throws: ParquetError.self) { try split.withUnsafeBytes { try ByteStreamSplit.decode($0, count: 3, width: 4) } }
    }

    @Test func bitPackingRoundTrips() {
        var random = SplitMix64(seed: 3)
        for width in [1, 5, 8, 17, 31, 32, 33, 57, 63, 64] {
            let values = (0..<100).map { _ in random.next() & BitPacking.mask(width) }
            var packed: [UInt8] = []
            BitPacking.pack(values, width: width, into: &packed)
            #expect(packed.count == (100 * width + 7) / 8)
            let unpacked = packed.withUnsafeBytes { raw in (0..<100).map { BitPacking.extract(raw, bitOffset: $0 * width, width: width) } }
            #expect(unpacked == values, "width \(width)")
        }
    }

    @Test func dictionariesAssignIndicesInFirstSeenOrder() {
        var fixed = FixedWidthDictionary()
        let keys: [UInt64] = (0..<5000).map { UInt64($0 % 1500) &* 0x1_0000_0001 }
        let indices = keys.map { fixed.index(of: $0) }
        #expect(fixed.count == 1500)
        #expect(indices.prefix(3) == [0, 1, 2] && indices[1500] == 0)
        var bytes = ByteDictionary()
        let words = (0..<3000).map { "w\($0 % 1100)" + String(repeating: "x", count: $0 % 13) }
        let wordIndices = words.map { w in Array(w.utf8).withUnsafeBytes { bytes.index(of: $0) } }
        #expect(Set(words).count == bytes.count)
        for (word, index) in zip(words, wordIndices) {
            #expect(String(decoding: bytes.strings[Int(index)], as: UTF8.self) == word)
        }
    }

    @Test func byteSegmentsKeepEveryByteInOrder() {
        var segments = ByteSegments()
        var expected: [UInt8] = []
        // Pieces from empty to larger than the largest segment, so appends land in place, start new segments and
        // get a segment of their own; each piece's bytes differ from its neighbours'.
        for (k, size) in [0, 3, 70_000, 10, 200_000, 9 << 20, 5, 1 << 20].enumerated() {
            let first = [UInt8](repeating: UInt8(2 * k), count: size / 3)
            let second = [UInt8](repeating: UInt8(2 * k + 1), count: size - size / 3)
            segments.append(first, second)
            expected += first + second
        }
        #expect(segments.count == expected.count)
        #expect(segments.segments.allSatisfy { !$0.isEmpty })
        #expect(segments.segments.count < 8)
        let taken = segments.take()
        #expect(taken.flatMap { $0 } == expected)
        #expect(segments.count == 0 && segments.segments.isEmpty)
    }

    @Test func byteStringOrderIsUnsignedLexicographic() {
        let strings: [[UInt8]] = [[], [0], [0, 0], [1], [0x7f], [0x80], [0xff], Array("abcdefgh".utf8), Array("abcdefgh\0".utf8),
                                  Array("abcdefghi".utf8), Array("abcdefgi".utf8), [UInt8](repeating: 0xff, count: 17),
                                  [UInt8](repeating: 0xff, count: 16) + [0xfe]]
        for a in strings {
            for b in strings {
                let reference = a.lexicographicallyPrecedes(b) ? -1 : a == b ? 0 : 1
                let got = a.withUnsafeBytes { x in b.withUnsafeBytes { y in ColumnChunkWriter.compareBytes(x, y) } }
                #expect(got == reference, "\(a) vs \(b)")
            }
        }
    }
}
