import Foundation
import NIOCore
import Synchronization
import Testing
import WeirCodecs
import WeirFileIO

/// A transport answered by a closure, recording every request: S3FileIO's logic without a server.
final class ScriptedS3Transport: S3Transport {
    typealias Handler = @Sendable (S3Request, Int) async throws -> S3Response
    private let handler: Handler
    private let log = Mutex<[S3Request]>([])

    init(_ handler: @escaping Handler) { self.handler = handler }

    var requests: [S3Request] { log.withLock { $0 } }

    func send(_ request: S3Request, timeoutMs: Int) async throws -> S3Response {
        let index = log.withLock { log in log.append(request); return log.count - 1 }
        return try await handler(request, index)
    }

    static func response(_ status: Int, headers: [S3Field] = [], body: String = "") -> S3Response {
        response(status, headers: headers, bytes: Array(body.utf8))
    }

    static func response(_ status: Int, headers: [S3Field] = [], bytes: [UInt8]) -> S3Response {
        var buffer = ByteBufferAllocator().buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        return S3Response(status: status, headers: headers + [S3Field("Content-Length", String(bytes.count))], body: .bytes(buffer))
    }

    static func error(_ status: Int, _ code: String, _ message: String = "") -> S3Response {
        response(status, body: "<Error><Code>\(code)</Code><Message>\(message)</Message><RequestId>r1</RequestId></Error>")
    }
}

extension S3Request {
    func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name }?.value }
    var bodyBytes: [UInt8] { body.map { Array($0.readableBytesView) } ?? [] }
}

@Suite struct S3FileIOOfflineTests {
    static let noWait = RetryPolicy(attemptsMax: 3, delayBaseMs: 1, delayMaxMs: 1, sleep: { _ in })

    static func fileIO(_ transport: some S3Transport, style: S3Configuration.AddressingStyle = .path,
                       conditional: Bool = true, partBytes: Int = 8 << 20) throws -> S3FileIO {
        let config = S3Configuration(
            endpoint: try S3Endpoint(parsing: "http://s3.test:9000"), credentials: S3Credentials(accessKeyID: "AK", secretAccessKey: "SK"),
            addressingStyle: style, conditionalWrites: conditional, partBytes: partBytes, retryPolicy: noWait)
        return try S3FileIO(configuration: config, transport: transport, clock: { Date(timeIntervalSince1970: 1_369_353_600) })
    }

    @Test func pathAndVirtualHostURLs() async throws {
        let transport = ScriptedS3Transport { _, _ in
            ScriptedS3Transport.response(200, headers: [S3Field("ETag", "\"abc\""), S3Field("Last-Modified", "Wed, 12 Oct 2009 17:50:00 GMT")], body: "hello")
        }
        let path = try StoragePath(parsing: "s3://bkt/dir/a b+c$.txt")
        let status = try await Self.fileIO(transport, style: .virtualHost).status(path)
        #expect(status.size == 5 && status.etag == "abc" && !status.isDirectory)
        #expect(status.modified == Date(timeIntervalSince1970: 1_255_369_800))
        _ = try await Self.fileIO(transport, style: .path).status(path)
        let (virtual, pathStyle) = (transport.requests[0], transport.requests[1])
        #expect(virtual.method == "HEAD" && virtual.operation == .headObject)
        #expect(virtual.url == "http://bkt.s3.test:9000/dir/a%20b%2Bc%24.txt")
        #expect(virtual.header("host") == "bkt.s3.test:9000")
        #expect(pathStyle.url == "http://s3.test:9000/bkt/dir/a%20b%2Bc%24.txt")
        #expect(pathStyle.header("host") == "s3.test:9000")
        let authorization = try #require(pathStyle.header("authorization"))
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AK/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature="))
    }

    @Test func listQueryIsCanonicalOnTheWire() async throws {
        let transport = ScriptedS3Transport { _, _ in
            ScriptedS3Transport.response(200, body: "<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>")
        }
        let io = try Self.fileIO(transport)
        _ = try await io.list(try StoragePath(parsing: "s3://bkt/d i r"), options: ListOptions(namePrefix: "p=", pageToken: "t+/=", limit: 10))
        #expect(transport.requests[0].url == "http://s3.test:9000/bkt?continuation-token=t%2B%2F%3D&delimiter=%2F&list-type=2&max-keys=10&prefix=d%20i%20r%2Fp%3D")
    }

    @Test func statusesMapToErrorKinds() async throws {
        // Each response is made afresh per request: a body can be read once.
        let cases: [(@Sendable () -> S3Response, FileIOError.Kind, String)] = [
            ({ ScriptedS3Transport.error(403, "AccessDenied", "nope") }, .permissionDenied, "AccessDenied"),
            ({ ScriptedS3Transport.error(404, "NoSuchBucket") }, .notFound, "NoSuchBucket"),
            ({ ScriptedS3Transport.error(400, "InvalidArgument", "bad max-keys") }, .io, "InvalidArgument: bad max-keys"),
            ({ ScriptedS3Transport.error(503, "SlowDown") }, .transient, "SlowDown"),
            ({ ScriptedS3Transport.error(409, "ConditionalRequestConflict") }, .transient, "ConditionalRequestConflict"),
            ({ ScriptedS3Transport.response(500, body: "<html>oops</html>") }, .transient, "HTTP 500"),
        ]
        for (makeResponse, kind, fragment) in cases {
            let transport = ScriptedS3Transport { _, _ in makeResponse() }
            do {
                _ = try await Self.fileIO(transport).list(try StoragePath(parsing: "s3://bkt/d"), options: ListOptions())
                Issue.record("no error for \(fragment)")
            } catch let error as FileIOError {
                #expect(error.kind == kind, "\(error)")
                #expect(error.message.contains(fragment), "\(error)")
                #expect(error.path == "s3://bkt/d/")
                // Transient failures are retried up to attemptsMax; the others are not.
                #expect(transport.requests.count == (kind == .transient ? Self.noWait.attemptsMax : 1))
            }
        }
    }

    @Test func listRejectsKeysOutsideThePrefixOrNotAddressable() async throws {
        for key in ["other/x", "d/a//b", "d/./c"] {
            let transport = ScriptedS3Transport { _, _ in
                ScriptedS3Transport.response(200, body: "<ListBucketResult><Contents><Key>\(key)</Key><Size>1</Size></Contents><IsTruncated>false</IsTruncated></ListBucketResult>")
            }
            await #expect(throws: FileIOError.self, "\(key)") {
                _ = try await Self.fileIO(transport).list(try StoragePath(parsing: "s3://bkt/d"), options: ListOptions(recursive: true))
            }
        }
    }

    /// A create-if-absent PUT whose response was lost: the retry meets 412, and HEAD decides.
    @Test(arguments: [true, false])
    func lostConditionalPutIsRecognisedByETag(ownObject: Bool) async throws {
        let content = Array("snapshot-7 contents".utf8)
        let md5Hex = Digests.hex(Digests.md5(content))
        let stored = Mutex(false)
        let transport = ScriptedS3Transport { request, _ in
            switch request.operation {
            case .headObject:
                guard stored.withLock({ $0 }) else { return ScriptedS3Transport.response(404) }
                return ScriptedS3Transport.response(200, headers: [S3Field("ETag", "\"\(ownObject ? md5Hex : "ffff")\"")], bytes: [])
            case .listObjectsV2:
                return ScriptedS3Transport.response(200, body: "<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>")
            case .putObject:
                #expect(request.header("if-none-match") == "*")
                #expect(request.header("content-md5") == Digests.base64(Digests.md5(content)))
                if stored.withLock({ $0 }) { return ScriptedS3Transport.error(412, "PreconditionFailed") }
                stored.withLock { $0 = true }
                throw FileIOError(.transient, path: request.url, "connection reset after the server stored the object")
            default:
                Issue.record("unexpected \(request.operation)")
                return ScriptedS3Transport.error(500, "InternalError")
            }
        }
        let io = try Self.fileIO(transport)
        let path = try StoragePath(parsing: "s3://bkt/t/snapshot/snapshot-7")
        let writer = try await io.create(path, overwrite: false)
        try await writer.write(content)
        if ownObject {
            try await writer.close()
        } else {
            do {
                try await writer.close()
                Issue.record("close succeeded although another writer's object is there")
            } catch let error as FileIOError {
                #expect(error.kind == .alreadyExists)
            }
        }
        #expect(transport.requests.filter { $0.operation == .putObject }.count == 2)
    }

    @Test func readerRetriesShortBodiesFromWhereItStopped() async throws {
        let content = S3TestSupport.bytes(10_000, seed: 1)
        let transport = ScriptedS3Transport { request, _ in
            if request.operation == .headObject {
                return ScriptedS3Transport.response(200, headers: [S3Field("Content-Length", "10000"), S3Field("ETag", "\"e\"")], bytes: [])
            }
            let range = try #require(request.header("range"))
            let start = Int(range.dropFirst("bytes=".count).dropLast())!
            let headers = [S3Field("Content-Range", "bytes \(start)-9999/10000")]
            // The first GET's body stops after 3,000 bytes although it promised everything.
            let end = start == 0 ? 3_000 : 10_000
            var response = ScriptedS3Transport.response(206, headers: headers, bytes: Array(content[start..<end]))
            response.headers.removeAll { $0.name == "Content-Length" }
            response.headers.append(S3Field("Content-Length", String(10_000 - start)))
            return response
        }
        let io = try Self.fileIO(transport)
        let reader = try await io.open(try StoragePath(parsing: "s3://bkt/f"))
        let first = try await reader.read(at: 0, count: 6_000)
        let second = try await reader.read(at: 6_000, count: 6_000)
        #expect(first + second == content)
        let stats = await reader.statistics
        #expect(stats.getRequests == 2 && stats.retries == 1)
        #expect(transport.requests.compactMap { $0.header("range") } == ["bytes=0-", "bytes=3000-"])
        #expect(try await reader.read(at: 10_000, count: 5).isEmpty)
        #expect(try await reader.read(at: 12_345, count: 5).isEmpty)
    }

    @Test func readerNoticesAChangedObject() async throws {
        let transport = ScriptedS3Transport { request, _ in
            if request.operation == .headObject {
                return ScriptedS3Transport.response(200, headers: [S3Field("Content-Length", "100")], bytes: [])
            }
            if request.header("range") == "bytes=0-" {
                return ScriptedS3Transport.response(206, headers: [S3Field("Content-Range", "bytes 0-199/200")], bytes: [UInt8](repeating: 1, count: 200))
            }
            return ScriptedS3Transport.error(416, "InvalidRange")
        }
        let reader = try await Self.fileIO(transport).open(try StoragePath(parsing: "s3://bkt/f"))
        await #expect(throws: FileIOError.self) { _ = try await reader.read(at: 0, count: 10) }
        do {
            _ = try await reader.read(at: 50, count: 10)
            Issue.record("a 416 inside the opened size was accepted")
        } catch let error as FileIOError {
            #expect(error.kind == .io && error.message.contains("416"), "\(error)")
        }
    }

    @Test func readerRefusesContentEncodedObjects() async throws {
        let transport = ScriptedS3Transport { request, _ in
            if request.operation == .headObject {
                return ScriptedS3Transport.response(200, headers: [S3Field("Content-Length", "10")], bytes: [])
            }
            return ScriptedS3Transport.response(206, headers: [S3Field("Content-Range", "bytes 0-9/10"), S3Field("Content-Encoding", "gzip")],
                                                bytes: [UInt8](repeating: 0, count: 10))
        }
        let reader = try await Self.fileIO(transport).open(try StoragePath(parsing: "s3://bkt/f.gz"))
        do {
            _ = try await reader.read(at: 0, count: 10)
            Issue.record("read a gzip-encoded object")
        } catch let error as FileIOError {
            #expect(error.kind == .unsupported && error.message.contains("Content-Encoding"), "\(error)")
        }
    }

    /// CompleteMultipartUpload may answer 200 with an `<Error>` body; that is retried, not taken as success.
    @Test func completeAnswering200WithAnErrorIsRetried() async throws {
        let completes = Mutex(0)
        let transport = ScriptedS3Transport { request, _ in
            switch request.operation {
            case .createMultipartUpload:
                return ScriptedS3Transport.response(200, body: "<InitiateMultipartUploadResult><UploadId>up-1</UploadId></InitiateMultipartUploadResult>")
            case .uploadPart:
                return ScriptedS3Transport.response(200, headers: [S3Field("ETag", "\"\(Digests.hex(Digests.md5(request.bodyBytes)))\"")], bytes: [])
            case .completeMultipartUpload:
                let n = completes.withLock { $0 += 1; return $0 }
                if n == 1 { return ScriptedS3Transport.response(200, body: "<Error><Code>InternalError</Code><Message>try again</Message></Error>") }
                #expect(String(decoding: request.bodyBytes, as: UTF8.self).contains("<PartNumber>2</PartNumber>"))
                return ScriptedS3Transport.response(200, body: "<CompleteMultipartUploadResult><ETag>\"x-2\"</ETag></CompleteMultipartUploadResult>")
            default:
                Issue.record("unexpected \(request.operation)")
                return ScriptedS3Transport.error(500, "InternalError")
            }
        }
        let io = try Self.fileIO(transport, partBytes: S3Configuration.partBytesMin)
        try await S3TestSupport.put(io, try StoragePath(parsing: "s3://bkt/big"), [UInt8](repeating: 7, count: S3Configuration.partBytesMin + 1))
        #expect(completes.withLock { $0 } == 2)
        #expect(transport.requests.filter { $0.operation == .uploadPart }.map { $0.body?.readableBytes ?? 0 }.sorted() == [1, S3Configuration.partBytesMin])
    }

    @Test func renameIsUnsupportedAndCapabilitiesFollowTheConfiguration() async throws {
        let transport = ScriptedS3Transport { _, _ in ScriptedS3Transport.error(500, "InternalError") }
        let conditional = try Self.fileIO(transport, conditional: true)
        #expect(conditional.capabilities == FileIOCapabilities(atomicCreateIfAbsent: true, rename: false, directories: false))
        #expect(try Self.fileIO(transport, conditional: false).capabilities.atomicCreateIfAbsent == false)
        do {
            try await conditional.rename(try StoragePath(parsing: "s3://bkt/a"), to: try StoragePath(parsing: "s3://bkt/b"))
            Issue.record("rename succeeded")
        } catch let error as FileIOError {
            #expect(error.kind == .unsupported)
        }
        #expect(transport.requests.isEmpty)
        await #expect(throws: FileIOError.self) { _ = try await conditional.status(try StoragePath(parsing: "memory://v/k")) }
    }
}
