import Testing
import WeirCodecs

@Suite struct MurmurHash3Tests {
    /// spec/paimon-format.md section 6.2: bucket-key BinaryRow bytes (without the arity prefix), their hash and the
    /// buckets for N = 2 and N = 10.
    static let table: [(key: String, hex: String, hash: Int32, n2: Int32, n10: Int32)] = [
        ("BIGINT 1", "0000000000000000 0100000000000000", 1_465_514_398, 0, 8),
        ("BIGINT 3", "0000000000000000 0300000000000000", -771_300_025, 1, 5),
        ("STRING abc", "0000000000000000 6162630000000083", -101_922_419, 1, 9),
        // Section 5.5 pattern for a 10-byte string: slot (length 10, offset 16), var part padded to 16 bytes.
        ("STRING abcdefghij", "0000000000000000 0a00000010000000 6162636465666768696a000000000000", 1_455_944_208, 0, 8),
        ("INT 1, STRING a", "0000000000000000 0100000000000000 6100000000000081", -948_407_462, 0, 2),
    ]

    @Test(arguments: table.indices)
    func paimonBucketVectors(_ i: Int) {
        let row = Self.table[i]
        let bytes = hexBytes(row.hex)
        let hash = MurmurHash3.hashBytesByWords(bytes)
        #expect(hash == row.hash, "\(row.key)")
        #expect(MurmurHash3.bucket(hash: hash, numBuckets: 2) == row.n2, "\(row.key)")
        #expect(MurmurHash3.bucket(hash: hash, numBuckets: 10) == row.n10, "\(row.key)")
        // On word-aligned input the two flavours agree.
        #expect(MurmurHash3.hashBytes(bytes) == hash)
    }

    /// Spark's documented `SELECT hash('Spark', array(123), 2)` = -1321691492: Murmur3_x86_32 with seed 42 over the
    /// string (hashUnsafeBytes: a whole word, then the tail byte as its own word), each later value hashed as an int
    /// (one LE word) seeded with the hash so far.
    @Test func sparkHashExampleChecksTheByteTail() {
        let h1 = MurmurHash3.hashBytes(Array("Spark".utf8))
        let h2 = MurmurHash3.hashBytesByWords([123, 0, 0, 0], seed: h1)
        let h3 = MurmurHash3.hashBytesByWords([2, 0, 0, 0], seed: h2)
        #expect(h3 == -1_321_691_492)
    }

    /// Tail bytes >= 0x80 are sign-extended like Java bytes. Values computed with an independent Python model of
    /// `MurmurHashUtils.hashUnsafeBytes` ((int) of a Java byte).
    @Test func tailBytesAreSignExtended() {
        #expect(MurmurHash3.hashBytes([UInt8]()) == 142_593_372)
        #expect(MurmurHash3.hashBytes([0x61]) == 1_485_273_170)
        #expect(MurmurHash3.hashBytes([0xff]) == 1_398_487_324)
        #expect(MurmurHash3.hashBytes([0x61, 0x62, 0x80]) == 53_214_383)
        #expect(MurmurHash3.hashBytes(Array("hello".utf8)) == -1_008_564_952)
        #expect(MurmurHash3.hashBytes([0x01, 0x02, 0x03, 0x04, 0xfe, 0xfd, 0xfc]) == 272_200_855)
        #expect(MurmurHash3.hashBytesByWords([UInt8]()) == MurmurHash3.hashBytes([UInt8]()))
    }

    @Test func bucketFollowsJavaRemainderSemantics() {
        #expect(MurmurHash3.bucket(hash: -7, numBuckets: 3) == 1)  // Java: -7 % 3 == -1
        #expect(MurmurHash3.bucket(hash: 7, numBuckets: 3) == 1)
        #expect(MurmurHash3.bucket(hash: Int32.min, numBuckets: 7) == 2)  // -2147483648 % 7 == -2
        #expect(MurmurHash3.bucket(hash: Int32.min, numBuckets: Int32.max) == 1)
        #expect(MurmurHash3.bucket(hash: Int32.max, numBuckets: 1) == 0)
        var rng = SplitMix64(seed: 5)
        for _ in 0 ..< 1000 {
            let hash = Int32(truncatingIfNeeded: rng.next())
            let n = Int32(rng.below(1000) + 1)
            let b = MurmurHash3.bucket(hash: hash, numBuckets: n)
            #expect(b >= 0 && b < n)
            #expect(Int64(b) == abs(Int64(hash) % Int64(n)))
        }
    }

    @Test func seedChangesTheHash() {
        let bytes: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        #expect(MurmurHash3.hashBytesByWords(bytes, seed: 42) == MurmurHash3.hashBytesByWords(bytes))
        #expect(MurmurHash3.hashBytesByWords(bytes, seed: 0) != MurmurHash3.hashBytesByWords(bytes))
    }
}
