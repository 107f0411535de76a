import Testing
import WeirCodecs

@Suite struct CRC32Tests {
    let check = Array("123456789".utf8)

    @Test func crc32MatchesTheCheckValue() {
        #expect(CRC32.checksum(check) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
    }

    /// The check value and the RFC 3720 (iSCSI) appendix B.4 vectors.
    @Test func crc32cMatchesTheCheckValueAndRFC3720() {
        #expect(CRC32C.checksum(check) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xff, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum(Array(0 ..< 32) as [UInt8]) == 0x46DD_794E)
        #expect(CRC32C.checksum(Array((0 ..< 32).reversed()) as [UInt8]) == 0x113F_DB5C)
        #expect(CRC32C.checksum([UInt8]()) == 0)
    }

    /// The slicing-by-8 path (8-byte words after an unaligned head) agrees with a bit-at-a-time reference at every
    /// length and starting alignment, and incremental updates at any split agree with the one-shot checksum.
    @Test func crc32cAgreesWithBitwiseReferenceAndIncrementalForm() {
        let data = Samples.random(300, seed: 3)
        for start in 0 ..< 8 {
            for length in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 200, 292 - start] {
                let slice = data[start ..< start + length]
                #expect(CRC32C.checksum(slice) == bitwiseCRC32C(slice), "start \(start) length \(length)")
            }
        }
        let whole = CRC32C.checksum(data)
        let wholeIEEE = CRC32.checksum(data)
        for split in [0, 1, 5, 8, 100, 299, 300] {
            #expect(CRC32C.update(CRC32C.checksum(data[..<split]), data[split...]) == whole)
            #expect(CRC32.update(CRC32.checksum(data[..<split]), data[split...]) == wholeIEEE)
        }
    }

    @Test func largeInputsAreConsistent() {
        let large = Samples.random(1 << 20, seed: 9)
        var incremental: UInt32 = 0
        var start = 0
        while start < large.count {
            let end = min(large.count, start + 65_537)
            incremental = CRC32C.update(incremental, large[start ..< end])
            start = end
        }
        #expect(incremental == CRC32C.checksum(large))
        #expect(CRC32C.checksum(large) != CRC32C.checksum(large.dropLast()))
    }

    private func bitwiseCRC32C(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0 ..< 8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }
}
