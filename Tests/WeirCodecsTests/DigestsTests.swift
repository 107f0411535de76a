import Testing
import WeirCodecs

@Suite struct DigestsTests {
    @Test func sha256OfEmptyAndABC() {
        #expect(Digests.hex(Digests.sha256([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Digests.hex(Digests.sha256(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func md5MatchesRFC1321() {
        #expect(Digests.hex(Digests.md5(Array("abc".utf8))) == "900150983cd24fb0d6963f7d28e17f72")
        let streaming = StreamingDigest(.md5)
        streaming.update(Array("a".utf8))
        streaming.update(Array("bc".utf8))
        #expect(Digests.hex(streaming.finish()) == "900150983cd24fb0d6963f7d28e17f72")
    }

    /// RFC 4231 test case 2.
    @Test func hmacSHA256MatchesRFC4231() {
        let mac = Digests.hmacSHA256(key: Array("Jefe".utf8), Array("what do ya want for nothing?".utf8))
        #expect(Digests.hex(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func base64MatchesRFC4648() {
        let cases = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in cases {
            #expect(Digests.base64(Array(plain.utf8)) == encoded)
        }
    }
}
