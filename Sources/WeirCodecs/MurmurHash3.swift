/// MurmurHash3 (x86, 32-bit) exactly as Apache Paimon's `org.apache.paimon.utils.MurmurHashUtils` computes it, which
/// is what decides a row's bucket (spec/paimon-format.md section 6.2). Results are Java `int`s (`Int32`).
///
/// Two flavours, both with Paimon's default seed 42:
/// - ``hashBytesByWords(_:seed:)``: the input is read as 4-byte little-endian words; its length must be a multiple
///   of 4 (BinaryRow bytes always are: multiples of 8). This is `BinaryRow.hashCode()`, hence the bucket hash.
/// - ``hashBytes(_:seed:)``: any length; whole words first, then each remaining byte mixed in as its own word,
///   **sign-extended** like a Java `byte` (`MurmurHashUtils.hashUnsafeBytes`, the same as Spark's
///   `Murmur3_x86_32.hashUnsafeBytes`; not the canonical MurmurHash3 tail, which packs the tail into one word).
/// Both finish with `h ^= length` and the fmix32 avalanche.
public enum MurmurHash3 {
    /// Paimon's `MurmurHashUtils.DEFAULT_SEED`.
    public static let paimonSeed: Int32 = 42

    /// `MurmurHashUtils.hashBytesByWords`: the hash of `bytes` read as little-endian 4-byte words.
    /// Precondition: `bytes.count % 4 == 0`.
    public static func hashBytesByWords<C: Collection<UInt8>>(_ bytes: C, seed: Int32 = paimonSeed) -> Int32 {
        withBytes(bytes) { raw in
            precondition(raw.count % 4 == 0, "hashBytesByWords needs a multiple of 4 bytes, got \(raw.count)")
            let h = mixWords(UInt32(bitPattern: seed), raw, words: raw.count / 4)
            return Int32(bitPattern: finalize(h, length: raw.count))
        }
    }

    /// `MurmurHashUtils.hashBytes` / `hashUnsafeBytes`: whole words, then each trailing byte as a sign-extended word.
    public static func hashBytes<C: Collection<UInt8>>(_ bytes: C, seed: Int32 = paimonSeed) -> Int32 {
        withBytes(bytes) { raw in
            let words = raw.count / 4
            var h = mixWords(UInt32(bitPattern: seed), raw, words: words)
            for i in words * 4 ..< raw.count {
                let signExtended = UInt32(bitPattern: Int32(Int8(bitPattern: raw[i])))
                h = mixH(h, mixK(signExtended))
            }
            return Int32(bitPattern: finalize(h, length: raw.count))
        }
    }

    /// Paimon's fixed-bucket formula: `abs(hash % numBuckets)` with Java's truncating `%`.
    /// Precondition: `numBuckets > 0`. The result is in `0 ..< numBuckets`.
    @inlinable
    public static func bucket(hash: Int32, numBuckets: Int32) -> Int32 {
        precondition(numBuckets > 0, "numBuckets must be positive, got \(numBuckets)")
        return abs(hash % numBuckets)  // |hash % N| < N, so abs cannot overflow
    }

    @inline(__always)
    static func mixWords(_ seed: UInt32, _ raw: UnsafeRawBufferPointer, words: Int) -> UInt32 {
        var h = seed
        guard let base = raw.baseAddress else { return h }
        for i in 0 ..< words {
            let k = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self))
            h = mixH(h, mixK(k))
        }
        return h
    }

    @inline(__always)
    static func mixK(_ k: UInt32) -> UInt32 {
        var k = k &* 0xcc9e_2d51
        k = (k << 15) | (k >> 17)
        return k &* 0x1b87_3593
    }

    @inline(__always)
    static func mixH(_ h: UInt32, _ k: UInt32) -> UInt32 {
        var h = h ^ k
        h = (h << 13) | (h >> 19)
        return h &* 5 &+ 0xe654_6b64
    }

    @inline(__always)
    static func finalize(_ h: UInt32, length: Int) -> UInt32 {
        var h = h ^ UInt32(truncatingIfNeeded: length)
        h ^= h >> 16
        h = h &* 0x85eb_ca6b
        h ^= h >> 13
        h = h &* 0xc2b2_ae35
        h ^= h >> 16
        return h
    }
}
