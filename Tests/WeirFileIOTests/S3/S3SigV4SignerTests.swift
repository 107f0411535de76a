import Foundation
import Testing
import WeirCodecs
import WeirFileIO

/// Every vector of spec/object-stores.md section 6.2, plus two botocore-made vectors with a session token.
@Suite struct S3SigV4SignerTests {
    // The generic aws-sig-v4-test-suite settings.
    static let suiteSigner = SigV4Signer(
        credentials: S3Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1", service: "service")
    static let suiteDate = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z
    static let suiteHost = S3Field("Host", "example.amazonaws.com")

    // The S3 documentation examples.
    static let s3Signer = SigV4Signer(
        credentials: S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1", service: "s3")
    static let s3Date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z
    static let s3Host = S3Field("Host", "examplebucket.s3.amazonaws.com")

    static func sha256Hex(_ text: String) -> String { Digests.hex(Digests.sha256(Array(text.utf8))) }

    @Test func datesFormatAsSigV4Wants() {
        let signed = Self.suiteSigner.sign(.init(method: "GET", path: "/", headers: [Self.suiteHost]), date: Self.suiteDate)
        #expect(signed.headers.contains(S3Field("x-amz-date", "20150830T123600Z")))
        #expect(Self.suiteSigner.credentialScope(Self.suiteDate) == "20150830/us-east-1/service/aws4_request")
    }

    @Test func getVanilla() {
        let signed = Self.suiteSigner.sign(.init(method: "GET", path: "/", headers: [Self.suiteHost]), date: Self.suiteDate)
        #expect(signed.canonicalRequest == """
            GET
            /

            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(Self.sha256Hex(signed.canonicalRequest) == "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63")
        #expect(signed.stringToSign == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63")
        #expect(Digests.hex(Self.suiteSigner.signingKey(dateStamp: "20150830")) == "938127b5336810ddb6a5d6af445fcac9e371f9ed418ed386b022aed82901be75")
        #expect(signed.authorization == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        #expect(signed.headers.last == S3Field("Authorization", signed.authorization))
        #expect(!signed.headers.contains { $0.name == "x-amz-content-sha256" }, "the generic suite signs no payload header")
    }

    @Test func postVanilla() {
        let signed = Self.suiteSigner.sign(.init(method: "POST", path: "/", headers: [Self.suiteHost]), date: Self.suiteDate)
        #expect(signed.signature == "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")
    }

    @Test func queryOrderKeyCase() {
        let request = SigV4Signer.Request(method: "GET", path: "/", query: [.init("Param2", "value2"), .init("Param1", "value1")], headers: [Self.suiteHost])
        let signed = Self.suiteSigner.sign(request, date: Self.suiteDate)
        #expect(signed.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[2] == "Param1=value1&Param2=value2")
        #expect(Self.sha256Hex(signed.canonicalRequest) == "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0")
        #expect(signed.signature == "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")
    }

    @Test func duplicateHeaderKeysJoinInOrder() {
        let headers = [Self.suiteHost, S3Field("My-Header1", "value2"), S3Field("My-Header1", "value2"), S3Field("My-Header1", "value1")]
        let signed = Self.suiteSigner.sign(.init(method: "GET", path: "/", headers: headers), date: Self.suiteDate)
        #expect(signed.canonicalRequest.contains("\nmy-header1:value2,value2,value1\n"))
        #expect(signed.signedHeaders == "host;my-header1;x-amz-date")
        #expect(signed.signature == "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea")
    }

    @Test func multilineHeaderValuesAreTrimmedAndJoined() {
        // The suite's folded header "value1\n  value2\n     value3" arrives as three values.
        let headers = [Self.suiteHost, S3Field("My-Header1", "value1"), S3Field("My-Header1", "  value2"), S3Field("My-Header1", "     value3")]
        let signed = Self.suiteSigner.sign(.init(method: "GET", path: "/", headers: headers), date: Self.suiteDate)
        #expect(signed.canonicalRequest.contains("\nmy-header1:value1,value2,value3\n"))
        #expect(signed.signature == "ba17b383a53190154eb5fa66a1b836cc297cc0a3d70a5d00705980573d8ff790")
        #expect(SigV4Signer.canonicalHeaderValue("  a   b \t c  ") == "a b c")
    }

    @Test func pathsWithSpaceAndUnicodeAreEncodedOnce() {
        let space = Self.suiteSigner.sign(.init(method: "GET", path: "/example space/", headers: [Self.suiteHost]), date: Self.suiteDate)
        #expect(space.canonicalRequest.hasPrefix("GET\n/example%20space/\n"))
        #expect(space.signature == "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741")
        let unicode = Self.suiteSigner.sign(.init(method: "GET", path: "/\u{1234}", headers: [Self.suiteHost]), date: Self.suiteDate)
        #expect(unicode.canonicalRequest.hasPrefix("GET\n/%E1%88%B4\n"))
        #expect(unicode.signature == "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85")
    }

    @Test func derivedSigningKeyOfTheIAMExample() {
        let signer = SigV4Signer(
            credentials: S3Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            region: "us-east-1", service: "iam")
        #expect(Digests.hex(signer.signingKey(dateStamp: "20120215")) == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
    }

    @Test func s3GetObjectWithRange() {
        let request = SigV4Signer.Request(method: "GET", path: "/test.txt", headers: [Self.s3Host, S3Field("Range", "bytes=0-9")])
        let signed = Self.s3Signer.sign(request, date: Self.s3Date)
        #expect(signed.signedHeaders == "host;range;x-amz-content-sha256;x-amz-date")
        #expect(Self.sha256Hex(signed.canonicalRequest) == "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972")
        #expect(signed.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(signed.headers.contains(S3Field("x-amz-content-sha256", SigV4Signer.emptyPayloadSHA256)))
    }

    @Test func s3PutObjectWithDollarInThePath() {
        let payload = Self.sha256Hex("Welcome to Amazon S3.")
        #expect(payload == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let request = SigV4Signer.Request(
            method: "PUT", path: "/test$file.text",
            headers: [Self.s3Host, S3Field("Date", "Fri, 24 May 2013 00:00:00 GMT"), S3Field("x-amz-storage-class", "REDUCED_REDUNDANCY")],
            payloadSHA256: payload)
        let signed = Self.s3Signer.sign(request, date: Self.s3Date)
        #expect(SigV4Signer.canonicalURI("/test$file.text") == "/test%24file.text")
        #expect(signed.canonicalRequest.hasPrefix("PUT\n/test%24file.text\n\n"))
        #expect(signed.signedHeaders == "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class")
        #expect(signed.signature == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    @Test func s3GetBucketLifecycle() {
        let request = SigV4Signer.Request(method: "GET", path: "/", query: [.init("lifecycle", nil)], headers: [Self.s3Host])
        let signed = Self.s3Signer.sign(request, date: Self.s3Date)
        #expect(signed.canonicalRequest.hasPrefix("GET\n/\nlifecycle=\n"))
        #expect(signed.signature == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    @Test func s3ListObjects() {
        let request = SigV4Signer.Request(method: "GET", path: "/", query: [.init("prefix", "J"), .init("max-keys", "2")], headers: [Self.s3Host])
        let signed = Self.s3Signer.sign(request, date: Self.s3Date)
        #expect(signed.canonicalRequest.hasPrefix("GET\n/\nmax-keys=2&prefix=J\n"))
        #expect(signed.signature == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    @Test func s3PresignedGet() {
        let request = SigV4Signer.Request(method: "GET", path: "/test.txt", headers: [Self.s3Host], payloadSHA256: SigV4Signer.unsignedPayload)
        let presigned = Self.s3Signer.presign(request, expiresSeconds: 86_400, date: Self.s3Date)
        let canonicalQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
        #expect(presigned.canonicalRequest == "GET\n/test.txt\n\(canonicalQuery)\nhost:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD")
        #expect(presigned.signature == "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
        #expect(presigned.queryString == canonicalQuery + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
    }

    static let tokenSigner = SigV4Signer(
        credentials: S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                                   sessionToken: "FQoGZXIvYXdzEXAMPLETOKEN+/="),
        region: "us-east-1", service: "s3")

    @Test func sessionTokenIsSentAndSigned() {
        // Vector made with botocore 1.43 S3SigV4Auth (the path and query hold characters that need encoding).
        let request = SigV4Signer.Request(method: "GET", path: "/my dir/a+b.txt",
                                          query: [.init("list-type", "2"), .init("prefix", "a/b c")], headers: [Self.s3Host])
        let signed = Self.tokenSigner.sign(request, date: Self.s3Date)
        #expect(signed.canonicalRequest.hasPrefix("GET\n/my%20dir/a%2Bb.txt\nlist-type=2&prefix=a%2Fb%20c\n"))
        #expect(signed.headers.contains(S3Field("x-amz-security-token", "FQoGZXIvYXdzEXAMPLETOKEN+/=")))
        #expect(signed.signedHeaders == "host;x-amz-content-sha256;x-amz-date;x-amz-security-token")
        #expect(signed.signature == "36037097198fcda5cef4c84b1c23c8ea873b30e8495c5938fa5f61aa6e15acb3")
    }

    @Test func sessionTokenInPresignedURL() {
        // Vector made with botocore 1.43 S3SigV4QueryAuth.
        let request = SigV4Signer.Request(method: "GET", path: "/test.txt", headers: [Self.s3Host], payloadSHA256: SigV4Signer.unsignedPayload)
        let presigned = Self.tokenSigner.presign(request, expiresSeconds: 3600, date: Self.s3Date)
        #expect(presigned.queryString.contains("X-Amz-Security-Token=FQoGZXIvYXdzEXAMPLETOKEN%2B%2F%3D"))
        #expect(presigned.signature == "cdc76c805a04aa1dbe29b831697cae1e0403a23a506241edbfff5590ae767083")
    }

    @Test func uriEncodingRules() {
        #expect(SigV4Signer.uriEncode("a-z.A_Z~0/9 +%=$&", keepSlash: true) == "a-z.A_Z~0/9%20%2B%25%3D%24%26")
        #expect(SigV4Signer.uriEncode("a/b", keepSlash: false) == "a%2Fb")
        #expect(SigV4Signer.uriEncode("é", keepSlash: false) == "%C3%A9")
        #expect(SigV4Signer.canonicalURI("") == "/")
        #expect(SigV4Signer.canonicalURI("/a//b/./c") == "/a//b/./c", "S3 paths are not normalised")
    }

    @Test func signingDependsOnEveryInput() {
        let base = SigV4Signer.Request(method: "GET", path: "/k", headers: [Self.s3Host])
        let reference = Self.s3Signer.sign(base, date: Self.s3Date).signature
        var otherPath = base
        otherPath.path = "/k2"
        var otherHeader = base
        otherHeader.headers.append(S3Field("range", "bytes=1-"))
        var otherSigner = Self.s3Signer
        otherSigner.region = "eu-west-1"
        let variants = [
            Self.s3Signer.sign(otherPath, date: Self.s3Date).signature,
            Self.s3Signer.sign(otherHeader, date: Self.s3Date).signature,
            Self.s3Signer.sign(base, date: Self.s3Date.addingTimeInterval(1)).signature,
            otherSigner.sign(base, date: Self.s3Date).signature,
        ]
        for variant in variants { #expect(variant != reference) }
    }
}
