import Testing
import WeirCodecs
@testable import WeirTable

/// Bytes from a hex string (spaces ignored).
func hexBytes(_ text: String) -> [UInt8] {
    let digits = Array(text.filter { !$0.isWhitespace })
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
}

/// The portable roaring format against bytes computed by hand from the format spec (and identical to what
/// CRoaring/pyroaring write): cookies 12346 and 12347, descriptive and offset headers, array, bitmap and run
/// containers; seeded random round trips; and malformed input, which must be an error and never a crash.
@Suite struct RoaringBitmap32Tests {
    @Test func emptyBitmapIsCookieAndZeroCount() throws {
        let bytes = RoaringBitmap32().serialized()
        #expect(bytes == hexBytes("3a300000 00000000"))
        let back = try RoaringBitmap32(portable: bytes)
        #expect(back.isEmpty && back.cardinality == 0)
    }

    @Test func arrayContainersWithOffsets() throws {
        // {1, 2, 3, 1000} under key 0 and {5} under key 1: cookie 12346, count 2, (key, card-1) pairs, offsets
        // 24 and 32 from the start, then the 16-bit values. Run encoding would not be smaller, so both ways agree.
        let expected = hexBytes("3a300000 02000000 0000 0300 0100 0000 18000000 20000000 0100 0200 0300 e803 0500")
        let bitmap = RoaringBitmap32([65541, 3, 1, 1000, 2, 3])
        #expect(bitmap.serialized(runOptimize: false) == expected)
        #expect(bitmap.serialized(runOptimize: true) == expected)
        #expect(bitmap.serializedSize() == expected.count)
        let back = try RoaringBitmap32(portable: expected)
        #expect(back == bitmap)
        #expect(back.values == [1, 2, 3, 1000, 65541])
        #expect(back.contains(1000) && !back.contains(4) && back.contains(65541) && !back.contains(65540))
    }

    @Test func oneRunContainerHasNoOffsetHeader() throws {
        // 0..<100: 200 bytes as an array, 6 as a run → cookie 12347 | 0 << 16, run flags 0x01, (0, 99), no offsets
        // (fewer than 4 containers), then 1 run: start 0, length-1 99.
        let expected = hexBytes("3b300000 01 0000 6300 0100 0000 6300")
        let bitmap = RoaringBitmap32((0..<100).map { UInt32($0) })
        #expect(bitmap.serialized() == expected)
        let back = try RoaringBitmap32(portable: expected)
        #expect(back == bitmap && back.cardinality == 100)
        // Without run optimization: cookie 12346, one array container.
        let plain = bitmap.serialized(runOptimize: false)
        #expect(Array(plain.prefix(8)) == hexBytes("3a300000 01000000") && plain.count == 8 + 8 + 200)
        #expect(try RoaringBitmap32(portable: plain) == bitmap)
    }

    @Test func fourRunContainersHaveOffsets() throws {
        // Keys 0...3, each with k·65536 + 0..<10: cookie 12347 | 3 << 16, flags 0x0f, headers, offsets from
        // 4 + 1 + 4·4 + 4·4 = 37 in steps of 6, then four 1-run containers.
        let expected = hexBytes("""
            3b300300 0f 0000 0900 0100 0900 0200 0900 0300 0900 25000000 2b000000 31000000 37000000
            0100 0000 0900 0100 0000 0900 0100 0000 0900 0100 0000 0900
            """)
        let values = (0..<4).flatMap { k in (0..<10).map { UInt32(k * 65536 + $0) } }
        let bitmap = RoaringBitmap32(values)
        #expect(bitmap.serialized() == expected)
        #expect(try RoaringBitmap32(portable: expected).values == values)
    }

    @Test func bitmapContainerWords() throws {
        // The even numbers below 10000: 5000 values > 4096 → a bitmap container (runs would take 20002 bytes).
        let bitmap = RoaringBitmap32(stride(from: 0, to: 10000, by: 2).map { UInt32($0) })
        let bytes = bitmap.serialized()
        #expect(bytes.count == 16 + 8192)
        #expect(Array(bytes.prefix(16)) == hexBytes("3a300000 01000000 0000 8713 10000000"))
        var words = [UInt8]()
        for _ in 0..<156 { words += hexBytes("5555555555555555") }
        words += hexBytes("5555000000000000")
        words += [UInt8](repeating: 0, count: 8192 - words.count)
        #expect(Array(bytes.dropFirst(16)) == words)
        let back = try RoaringBitmap32(portable: bytes)
        #expect(back == bitmap && back.cardinality == 5000 && back.contains(9998) && !back.contains(9999))
        #expect(back.minimum == 0 && back.maximum == 9998)
    }

    @Test func runContainersAreReadIntoTheCanonicalKind() throws {
        // One run container of 5000 values (0..<5000) becomes a bitmap container in memory; equal to the same set
        // built value by value; written back as a run again.
        let runBytes = hexBytes("3b300000 01 0000 8713 0100 0000 8713")
        let back = try RoaringBitmap32(portable: runBytes)
        let built = RoaringBitmap32((0..<5000).map { UInt32($0) })
        #expect(back == built && back.cardinality == 5000)
        #expect(back.serialized() == runBytes)
        // Three runs in one container: 1...3, 10, 20...21.
        let three = try RoaringBitmap32(portable: hexBytes("3b300000 01 0000 0500 0300 0100 0200 0a00 0000 1400 0100"))
        #expect(three.values == [1, 2, 3, 10, 20, 21])
    }

    @Test func seededRandomSetsRoundTrip() throws {
        let seed = testSeed()
        var g = SplitMix64(seed: seed)
        for round in 0..<60 {
            var reference = Set<UInt32>()
            var bitmap = RoaringBitmap32()
            let shape = round % 4
            let count = Int.random(in: 0...(shape == 3 ? 20000 : 3000), using: &g)
            for _ in 0..<count {
                let value: UInt32
                switch shape {
                case 0: value = UInt32.random(in: 0...UInt32.max, using: &g)               // sparse
                case 1: value = UInt32.random(in: 0..<200_000, using: &g)                  // a few dense keys
                case 2: value = UInt32.random(in: 0..<50, using: &g) * 1000 + UInt32.random(in: 0..<30, using: &g)  // runs
                default: value = UInt32.random(in: 0..<70_000, using: &g)                  // bitmap containers
                }
                #expect(bitmap.insert(value) == reference.insert(value).inserted, "seed \(seed)")
            }
            #expect(bitmap.cardinality == reference.count, "seed \(seed)")
            #expect(bitmap.values == reference.sorted(), "seed \(seed) round \(round)")
            for optimize in [false, true] {
                let bytes = bitmap.serialized(runOptimize: optimize)
                #expect(bytes.count == bitmap.serializedSize(runOptimize: optimize))
                let back = try RoaringBitmap32(portable: bytes)
                #expect(back == bitmap, "seed \(seed) round \(round) runOptimize \(optimize)")
            }
            for _ in 0..<200 {
                let probe = UInt32.random(in: 0..<200_000, using: &g)
                #expect(bitmap.contains(probe) == reference.contains(probe), "seed \(seed)")
            }
            // Union against a second random set.
            let others = (0..<Int.random(in: 0...5000, using: &g)).map { _ in UInt32.random(in: 0..<150_000, using: &g) }
            let union = bitmap.union(RoaringBitmap32(others))
            #expect(union.values == reference.union(others).sorted(), "seed \(seed) round \(round) union")
        }
    }

    @Test func malformedInputIsAnError() throws {
        func fails(_ bytes: [UInt8], _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
            do {
                _ = try RoaringBitmap32(portable: bytes)
                Issue.record("decoded \(bytes.count) malformed bytes", sourceLocation: sourceLocation)
            } catch {
                #expect(error.description.contains(fragment), "\(error)", sourceLocation: sourceLocation)
            }
        }
        fails([], "truncated")
        fails(hexBytes("39300000 00000000"), "unknown cookie")
        fails(hexBytes("3a300100 00000000"), "unknown cookie")  // 12346 with high bits set
        fails(hexBytes("3a300000 71110100"), "containers (at most 65536)")
        fails(hexBytes("3a300000 ffffffff"), "containers (at most 65536)")
        fails(hexBytes("3a300000 00010000"), "truncated")  // 256 containers announced, no headers
        // Keys out of order.
        fails(hexBytes("3a300000 02000000 0100 0000 0000 0000 18000000 1a000000 0100 0200"), "keys must ascend")
        // Array not ascending.
        fails(hexBytes("3a300000 01000000 0000 0100 10000000 0200 0100"), "not strictly ascending")
        // Array shorter than its cardinality.
        fails(hexBytes("3a300000 01000000 0000 0300 10000000 0100 0200"), "truncated")
        // Bitmap container whose bits disagree with the header (says 4097, holds 0).
        fails(hexBytes("3a300000 01000000 0000 0010 10000000") + [UInt8](repeating: 0, count: 8192), "header says 4097")
        // Run container: no runs; overlapping runs; total disagrees; run past 65535.
        fails(hexBytes("3b300000 01 0000 0000 0000"), "no runs")
        fails(hexBytes("3b300000 01 0000 0900 0200 0000 0400 0300 0400"), "overlapping")
        fails(hexBytes("3b300000 01 0000 0900 0100 0000 0400"), "header says 10")
        fails(hexBytes("3b300000 01 0000 0900 0100 fcff 0900"), "oversized")
        // Trailing bytes.
        fails(hexBytes("3a300000 00000000 00"), "after the bitmap")

        // Every strict prefix of valid encodings fails cleanly.
        let samples = [
            RoaringBitmap32([1, 2, 3, 1000, 65541]).serialized(),
            RoaringBitmap32((0..<4).flatMap { k in (0..<10).map { UInt32(k * 65536 + $0) } }).serialized(),
            RoaringBitmap32(stride(from: 0, to: 10000, by: 2).map { UInt32($0) }).serialized(),
        ]
        for sample in samples {
            for length in 0..<sample.count where length % 7 == 0 || length < 64 || length > sample.count - 16 {
                #expect(throws: RoaringFormatError.self) { try RoaringBitmap32(portable: Array(sample.prefix(length))) }
            }
        }
        // Random corruption never crashes: it either decodes or throws.
        var g = SplitMix64(seed: 7)
        for sample in samples {
            for _ in 0..<300 {
                var bytes = sample
                for _ in 0..<Int.random(in: 1...4, using: &g) {
                    bytes[Int.random(in: 0..<min(bytes.count, 64), using: &g)] = UInt8.random(in: 0...255, using: &g)
                }
                _ = try? RoaringBitmap32(portable: bytes)
            }
        }
    }
}
