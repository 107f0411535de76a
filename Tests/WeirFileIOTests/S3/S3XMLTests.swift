import Foundation
import Testing
import WeirFileIO

@Suite struct S3XMLTests {
    static func parse(_ text: String) throws -> S3XMLElement {
        try S3XML.parse(Array(text.utf8), context: "test.xml")
    }

    static func expectProtocolError(_ text: String, mentioning fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try S3XML.parse(Array(text.utf8), context: "test.xml")
            Issue.record("parsed malformed XML: \(text.prefix(80))", sourceLocation: sourceLocation)
        } catch {
            #expect(error.kind == .protocolError, sourceLocation: sourceLocation)
            #expect(error.path == "test.xml", sourceLocation: sourceLocation)
            #expect(error.message.contains(fragment), "\(error.message)", sourceLocation: sourceLocation)
        }
    }

    @Test func listObjectsV2Result() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Name>bucket</Name><Prefix>a/</Prefix><KeyCount>3</KeyCount><MaxKeys>3</MaxKeys><Delimiter>/</Delimiter>
              <IsTruncated>true</IsTruncated>
              <Contents><Key>a/1 &amp; &lt;2&gt;</Key><LastModified>2013-09-17T18:07:53.000Z</LastModified>
                <ETag>&quot;599bab3ed2c697f1d26842727561fd94&quot;</ETag><Size>142863</Size><StorageClass>STANDARD</StorageClass></Contents>
              <Contents><Key><![CDATA[a/<raw>]]></Key><LastModified>2013-09-17T18:07:53Z</LastModified><ETag>"x-2"</ETag><Size>0</Size></Contents>
              <CommonPrefixes><Prefix>a/b/</Prefix></CommonPrefixes>
              <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
            </ListBucketResult>
            """
        let result = try S3Documents.listObjectsV2(try Self.parse(xml), context: "test.xml")
        #expect(result.objects.map(\.key) == ["a/1 & <2>", "a/<raw>"])
        #expect(result.objects[0].size == 142_863)
        #expect(result.objects[0].etag == "599bab3ed2c697f1d26842727561fd94")
        #expect(result.objects[0].lastModified == Date(timeIntervalSince1970: 1_379_441_273))
        #expect(result.objects[1].etag == "x-2")
        #expect(result.commonPrefixes == ["a/b/"])
        #expect(result.isTruncated)
        #expect(result.nextContinuationToken == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=")
    }

    @Test func listResultFieldsAreValidated() throws {
        let truncatedWithoutToken = "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>"
        #expect(throws: FileIOError.self) { try S3Documents.listObjectsV2(try Self.parse(truncatedWithoutToken), context: "t") }
        let negativeSize = "<ListBucketResult><Contents><Key>k</Key><Size>-1</Size></Contents></ListBucketResult>"
        #expect(throws: FileIOError.self) { try S3Documents.listObjectsV2(try Self.parse(negativeSize), context: "t") }
        let badDate = "<ListBucketResult><Contents><Key>k</Key><Size>1</Size><LastModified>yesterday</LastModified></Contents></ListBucketResult>"
        #expect(throws: FileIOError.self) { try S3Documents.listObjectsV2(try Self.parse(badDate), context: "t") }
        let wrongRoot = "<ListAllMyBucketsResult/>"
        #expect(throws: FileIOError.self) { try S3Documents.listObjectsV2(try Self.parse(wrongRoot), context: "t") }
        let empty = try S3Documents.listObjectsV2(try Self.parse("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>"), context: "t")
        #expect(empty.objects.isEmpty && empty.commonPrefixes.isEmpty && !empty.isTruncated && empty.nextContinuationToken == nil)
    }

    @Test func multipartAndErrorDocuments() throws {
        let initiate = "<InitiateMultipartUploadResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Bucket>b</Bucket><Key>k</Key><UploadId>VXBsb2FkIElE&#x2B;&#61;</UploadId></InitiateMultipartUploadResult>"
        #expect(try S3Documents.initiateMultipartUpload(try Self.parse(initiate), context: "t") == "VXBsb2FkIElE+=")
        let complete = "<CompleteMultipartUploadResult><Location>l</Location><ETag>\"3858f62230ac3c915f300c664312c11f-9\"</ETag></CompleteMultipartUploadResult>"
        #expect(try S3Documents.completeMultipartUpload(try Self.parse(complete), context: "t") == "3858f62230ac3c915f300c664312c11f-9")
        let motoComplete = "<CompleteMultipartUploadResponse><ETag>&quot;e-2&quot;</ETag></CompleteMultipartUploadResponse>"
        #expect(try S3Documents.completeMultipartUpload(try Self.parse(motoComplete), context: "t") == "e-2")
        #expect(throws: FileIOError.self) { try S3Documents.completeMultipartUpload(try Self.parse("<Other/>"), context: "t") }
        let error = "<Error><Code>NoSuchKey</Code><Message>The resource you requested does not exist</Message><Resource>/b/k</Resource><RequestId>4442587FB7D0A2F9</RequestId></Error>"
        let document = try S3Documents.error(try Self.parse(error), context: "t")
        #expect(document == S3Documents.ErrorDocument(code: "NoSuchKey", message: "The resource you requested does not exist", requestID: "4442587FB7D0A2F9"))
        #expect(throws: FileIOError.self) { try S3Documents.initiateMultipartUpload(try Self.parse("<InitiateMultipartUploadResult/>"), context: "t") }
        let uploads = """
            <ListMultipartUploadsResult><Bucket>b</Bucket><IsTruncated>false</IsTruncated>
            <Upload><Key>a b</Key><UploadId>u1</UploadId></Upload><Upload><Key>c</Key><UploadId>u2</UploadId></Upload></ListMultipartUploadsResult>
            """
        #expect(try S3Documents.listMultipartUploads(try Self.parse(uploads), context: "t").uploads == [.init(key: "a b", uploadID: "u1"), .init(key: "c", uploadID: "u2")])
    }

    @Test func entitiesAndCharacterReferences() throws {
        let root = try Self.parse("<r a='&lt;&apos;&gt;'>&amp;&lt;&gt;&quot;&apos; &#65;&#x42;&#x1F600;&#233;</r>")
        #expect(root.text == "&<>\"' AB\u{1F600}é")
        #expect(root.attributes == [S3Field("a", "<'>")])
        Self.expectProtocolError("<r>&nbsp;</r>", mentioning: "unknown entity")
        Self.expectProtocolError("<r>&#0;</r>", mentioning: "does not allow")
        Self.expectProtocolError("<r>&#xD800;</r>", mentioning: "does not allow")
        Self.expectProtocolError("<r>&#x110000;</r>", mentioning: "does not allow")
        Self.expectProtocolError("<r>&#xZZ;</r>", mentioning: "malformed character reference")
        Self.expectProtocolError("<r>a & b</r>", mentioning: "'&'")
    }

    @Test func malformedDocumentsAreRejected() {
        Self.expectProtocolError("", mentioning: "root element")
        Self.expectProtocolError("<a><b></a></b>", mentioning: "closes")
        Self.expectProtocolError("<a>", mentioning: "not closed")
        Self.expectProtocolError("<a></a><b/>", mentioning: "after the root")
        Self.expectProtocolError("<a></a>trailing", mentioning: "after the root")
        Self.expectProtocolError("<a b=c/>", mentioning: "quoted value")
        Self.expectProtocolError("<a b=\"<\"/>", mentioning: "'<' in an attribute")
        Self.expectProtocolError("<a><!-- unterminated </a>", mentioning: "unterminated comment")
        Self.expectProtocolError("<a><![CDATA[x</a>", mentioning: "CDATA")
        Self.expectProtocolError("<a>\u{1}</a>", mentioning: "control character")
        Self.expectProtocolError("<1a/>", mentioning: "name starts")
        Self.expectProtocolError("<!DOCTYPE a [<!ENTITY x \"boom\">]><a>&x;</a>", mentioning: "DOCTYPE")
        #expect(throws: FileIOError.self) { try S3XML.parse([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e], context: "t") }  // invalid UTF-8
    }

    @Test func sizeAndDepthLimits() throws {
        let deepOK = String(repeating: "<a>", count: S3XML.depthMax) + String(repeating: "</a>", count: S3XML.depthMax)
        _ = try Self.parse(deepOK)
        let tooDeep = String(repeating: "<a>", count: S3XML.depthMax + 1) + String(repeating: "</a>", count: S3XML.depthMax + 1)
        Self.expectProtocolError(tooDeep, mentioning: "deeper than \(S3XML.depthMax)")
        let big = [UInt8]("<a>".utf8) + [UInt8](repeating: 0x78, count: S3XML.documentBytesMax) + [UInt8]("</a>".utf8)
        do {
            _ = try S3XML.parse(big, context: "big.xml")
            Issue.record("parsed an oversized document")
        } catch {
            #expect(error.kind == .protocolError && error.message.contains("exceeds"))
        }
    }

    @Test func prologCommentsNamespacesAndSelfClosing() throws {
        let root = try Self.parse("\u{FEFF}<?xml version=\"1.0\"?>\n<!-- c --><s3:Root xmlns:s3=\"urn:x\"><s3:Item/><Item>t<!-- x -->u</Item></s3:Root>\n<!-- after -->\n")
        #expect(root.name == "Root")
        #expect(root.children("Item").count == 2)
        #expect(root.children[1].text == "tu")
    }

    @Test func completeMultipartUploadBodyEscapes() throws {
        let body = S3Documents.completeMultipartUploadBody(parts: [(2, "\"b&<\""), (1, "a1")])
        let text = String(decoding: body, as: UTF8.self)
        #expect(text.contains("<Part><PartNumber>1</PartNumber><ETag>&quot;a1&quot;</ETag></Part><Part><PartNumber>2</PartNumber><ETag>&quot;b&amp;&lt;&quot;</ETag></Part>"))
        // Our own reader reads it back.
        let root = try S3XML.parse(body, context: "t")
        #expect(root.children("Part").map { $0.text(of: "ETag") } == ["\"a1\"", "\"b&<\""])
        #expect(S3XML.escape("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&apos;f")
    }
}
