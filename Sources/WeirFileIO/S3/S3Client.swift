import struct Foundation.Date
import NIOCore
import WeirCodecs

/// The S3 calls ``S3FileIO`` makes: builds URLs (path or virtual-host style), signs every attempt afresh,
/// sends through an ``S3Transport``, maps statuses to ``FileIOError`` and retries transient failures with the
/// configuration's ``RetryPolicy``. Response bodies other than object data are read up to a limit.
///
/// Retries: every call here is idempotent and retried, except that a create-if-absent PUT or
/// CompleteMultipartUpload that meets 412 (or, for Complete, `NoSuchUpload`) after a retry is not taken at
/// face value: the object is read back with HEAD and counts as ours only if its ETag is the one our bytes give.
struct S3Client: Sendable {
    /// The most bytes read from an error response.
    static let errorBodyBytesMax = 64 << 10
    /// The most bytes read from a listing response (1,000 keys of up to 1,024 bytes each fit).
    static let listBodyBytesMax = 8 << 20
    /// The most bytes read from the other small XML responses (initiate, complete).
    static let resultBodyBytesMax = 256 << 10
    /// The most pages ``listMultipartUploads(bucket:prefix:)`` follows.
    static let uploadListPagesMax = 100

    let configuration: S3Configuration
    let transport: any S3Transport
    let signer: SigV4Signer
    let clock: @Sendable () -> Date

    init(configuration: S3Configuration, transport: any S3Transport, clock: @escaping @Sendable () -> Date) {
        self.configuration = configuration
        self.transport = transport
        self.signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region, service: "s3")
        self.clock = clock
    }

    // MARK: - Requests

    /// `s3://bucket/key`, for errors.
    static func describe(_ bucket: String, _ key: String) -> String { "s3://\(bucket)/\(key)" }

    /// The decoded path and `Host` header of an object (or, with an empty key, a bucket).
    func location(bucket: String, key: String) -> (path: String, host: String) {
        switch configuration.addressingStyle {
        case .path:
            return (key.isEmpty ? "/\(bucket)" : "/\(bucket)/\(key)", configuration.endpoint.hostHeader())
        case .virtualHost:
            return ("/" + key, configuration.endpoint.hostHeader(prefixingBucket: bucket))
        }
    }

    /// Builds and signs one attempt of a request (signed at ``clock``'s time, so each retry is signed anew).
    func makeRequest(
        _ operation: S3Operation, method: String, bucket: String, key: String,
        query: [SigV4Signer.QueryItem] = [], headers: [S3Field] = [], body: ByteBuffer? = nil, payloadSHA256: String? = nil
    ) -> S3Request {
        let (path, host) = location(bucket: bucket, key: key)
        let payload = payloadSHA256 ?? (body.map { b in b.withUnsafeReadableBytes { Digests.hex(Digests.sha256($0)) } } ?? SigV4Signer.emptyPayloadSHA256)
        let signed = signer.sign(
            SigV4Signer.Request(method: method, path: path, query: query, headers: [S3Field("host", host)] + headers, payloadSHA256: payload),
            date: clock())
        return S3Request(operation: operation, method: method, url: url(host: host, path: path, query: query), headers: signed.headers, body: body)
    }

    /// The URL with the path encoded as signed and the query in canonical order (bare names stay bare).
    func url(host: String, path: String, query: [SigV4Signer.QueryItem]) -> String {
        var url = "\(configuration.endpoint.scheme)://\(host)\(SigV4Signer.canonicalURI(path))"
        if !query.isEmpty {
            var encoded: [(name: String, value: String?)] = query.map { item in
                (SigV4Signer.uriEncode(item.name, keepSlash: false), item.value.map { SigV4Signer.uriEncode($0, keepSlash: false) })
            }
            encoded.sort { a, b in
                a.name == b.name ? (a.value ?? "").utf8.lexicographicallyPrecedes((b.value ?? "").utf8) : a.name.utf8.lexicographicallyPrecedes(b.name.utf8)
            }
            url += "?" + encoded.map { item in item.value.map { "\(item.name)=\($0)" } ?? item.name }.joined(separator: "&")
        }
        return url
    }

    /// One attempt: sign, send, return the response whatever its status.
    func send(
        _ operation: S3Operation, method: String, bucket: String, key: String,
        query: [SigV4Signer.QueryItem] = [], headers: [S3Field] = [], body: ByteBuffer? = nil
    ) async throws -> S3Response {
        let request = makeRequest(operation, method: method, bucket: bucket, key: key, query: query, headers: headers, body: body)
        FileIOMetrics.request(scheme: "s3", operation: operation.rawValue)
        let response: S3Response
        do {
            response = try await transport.send(request, timeoutMs: configuration.requestTimeoutMs)
        } catch {
            FileIOMetrics.error(scheme: "s3", operation: operation.rawValue)
            throw error
        }
        if response.status >= 500 || response.status == 429 { FileIOMetrics.error(scheme: "s3", operation: operation.rawValue) }
        return response
    }

    /// Runs `operation` under the retry policy.
    func retrying<T>(_ operation: () async throws -> T) async throws -> T {
        try await configuration.retryPolicy.run(onRetry: { _, _ in FileIOMetrics.retry(scheme: "s3") }, operation)
    }

    // MARK: - Status mapping

    /// The error for a non-success response: its S3 error document (read up to ``errorBodyBytesMax``) and status
    /// mapped as 404 → notFound, 403 → permissionDenied, 412 → alreadyExists, 5xx/429 and retryable S3 codes →
    /// transient, 416 → invalidArgument, anything else → io with the S3 code and message.
    func failure(_ response: S3Response, context: String, operation: S3Operation) async -> FileIOError {
        var document: S3Documents.ErrorDocument?
        if let bytes = try? await response.body.collect(upTo: Self.errorBodyBytesMax, context: context), !bytes.isEmpty,
           let root = try? S3XML.parse(bytes, context: context) {
            document = try? S3Documents.error(root, context: context)
        }
        return Self.mapStatus(response.status, document: document, context: context, operation: operation)
    }

    static let retryableCodes: Set<String> = [
        "InternalError", "ServiceUnavailable", "SlowDown", "RequestTimeout", "ConditionalRequestConflict",
        "OperationAborted", "Throttling", "ThrottlingException", "RequestLimitExceeded",
    ]

    static func mapStatus(_ status: Int, document: S3Documents.ErrorDocument?, context: String, operation: S3Operation) -> FileIOError {
        var detail = "\(operation.rawValue): HTTP \(status)"
        if let document {
            detail += " \(document.code)"
            if !document.message.isEmpty { detail += ": \(document.message.prefix(300))" }
            if let id = document.requestID, !id.isEmpty { detail += " (request id \(id.prefix(100)))" }
        }
        if let code = document?.code, retryableCodes.contains(code) { return FileIOError(.transient, path: context, detail) }
        switch status {
        case 404: return FileIOError(.notFound, path: context, detail)
        case 403: return FileIOError(.permissionDenied, path: context, detail)
        case 412: return FileIOError(.alreadyExists, path: context, detail)
        case 416: return FileIOError(.invalidArgument, path: context, detail)
        case 429, 500...599: return FileIOError(.transient, path: context, detail)
        default: return FileIOError(.io, path: context, detail)
        }
    }

    /// Reads and discards a small body so the connection can be reused (a large one is dropped, closing it).
    static func drain(_ response: S3Response) async {
        _ = try? await response.body.collect(upTo: errorBodyBytesMax, context: "")
    }

    /// Reads a success body up to `bytesMax` and parses it as XML.
    static func xml(_ response: S3Response, bytesMax: Int, context: String) async throws -> S3XMLElement {
        let bytes = try await response.body.collect(upTo: bytesMax, context: context)
        return try S3XML.parse(bytes, context: context)
    }

    // MARK: - Objects

    /// What HEAD tells about an object.
    struct ObjectHead: Sendable {
        var size: Int64
        /// Without quotes; nil when the server sent none.
        var etag: String?
        var modified: Date?
    }

    /// HEAD of an object; nil when there is none (404).
    func headObject(bucket: String, key: String) async throws -> ObjectHead? {
        let context = Self.describe(bucket, key)
        return try await retrying { () async throws -> ObjectHead? in
            let response = try await send(.headObject, method: "HEAD", bucket: bucket, key: key)
            await Self.drain(response)
            if response.status == 404 { return nil }
            guard (200..<300).contains(response.status) else {
                throw Self.mapStatus(response.status, document: nil, context: context, operation: .headObject)
            }
            guard let lengthText = response.header("content-length"), let size = Int64(lengthText), size >= 0 else {
                throw FileIOError(.protocolError, path: context, "HEAD response without a valid Content-Length")
            }
            return ObjectHead(size: size, etag: response.header("etag").map(S3Documents.unquoteETag),
                              modified: response.header("last-modified").flatMap(S3Time.parseHTTPDate))
        }
    }

    /// True when the bucket exists (HEAD bucket: 404 → false).
    func bucketExists(_ bucket: String) async throws -> Bool {
        let context = Self.describe(bucket, "")
        return try await retrying {
            let response = try await send(.headBucket, method: "HEAD", bucket: bucket, key: "")
            await Self.drain(response)
            if response.status == 404 { return false }
            guard (200..<300).contains(response.status) else {
                throw Self.mapStatus(response.status, document: nil, context: context, operation: .headBucket)
            }
            return true
        }
    }

    /// One GET attempt of the object from `offset` to its end (`Range: bytes=offset-`). Returns the response
    /// (206, or 200 when `offset` is 0 and the server ignored the range) with its body unread, or nil for
    /// 416 (the offset is at or past the end). Other statuses throw the mapped error. Not retried: the reader
    /// retries at the position it has reached.
    func getObject(bucket: String, key: String, from offset: Int64) async throws -> S3Response? {
        let context = Self.describe(bucket, key)
        let response = try await send(.getObject, method: "GET", bucket: bucket, key: key, headers: [S3Field("range", "bytes=\(offset)-")])
        switch response.status {
        case 206, 200: return response
        case 416:
            await Self.drain(response)
            return nil
        default:
            throw await failure(response, context: context, operation: .getObject)
        }
    }

    /// PUT of a whole object. With `createIfAbsent` it sends `If-None-Match: *` (the caller decides whether the
    /// store honours it) and a 412 means `alreadyExists`, except after a retry when the stored object's ETag
    /// is the MD5 of `body`: then an earlier attempt of ours won and this is success.
    func putObject(bucket: String, key: String, body: ByteBuffer, createIfAbsent: Bool) async throws {
        let context = Self.describe(bucket, key)
        let md5 = body.withUnsafeReadableBytes { Digests.md5($0) }
        var headers = [S3Field("content-md5", Digests.base64(md5))]
        if createIfAbsent { headers.append(S3Field("if-none-match", "*")) }
        var attempt = 0
        try await retrying {
            attempt += 1
            let response = try await send(.putObject, method: "PUT", bucket: bucket, key: key, headers: headers, body: body)
            if response.status == 412 && createIfAbsent {
                await Self.drain(response)
                if attempt > 1, let head = try await headObject(bucket: bucket, key: key), head.etag == Digests.hex(md5) {
                    return
                }
                throw FileIOError(.alreadyExists, path: context, "an object already exists (PUT If-None-Match: * got 412)")
            }
            guard (200..<300).contains(response.status) else {
                throw await failure(response, context: context, operation: .putObject)
            }
            await Self.drain(response)
        }
    }

    func deleteObject(bucket: String, key: String) async throws {
        let context = Self.describe(bucket, key)
        try await retrying {
            let response = try await send(.deleteObject, method: "DELETE", bucket: bucket, key: key)
            guard (200..<300).contains(response.status) || response.status == 404 else {
                throw await failure(response, context: context, operation: .deleteObject)
            }
            await Self.drain(response)
        }
    }

    // MARK: - Multipart uploads

    /// Starts a multipart upload and returns its id. A retried initiate whose first response was lost leaves an
    /// orphan upload (invisible, but it holds storage until a lifecycle rule or ``abortMultipartUpload`` ends it).
    func createMultipartUpload(bucket: String, key: String) async throws -> String {
        let context = Self.describe(bucket, key)
        return try await retrying {
            let response = try await send(.createMultipartUpload, method: "POST", bucket: bucket, key: key, query: [.init("uploads", nil)])
            guard (200..<300).contains(response.status) else {
                throw await failure(response, context: context, operation: .createMultipartUpload)
            }
            let root = try await Self.xml(response, bytesMax: Self.resultBodyBytesMax, context: context)
            return try S3Documents.initiateMultipartUpload(root, context: context)
        }
    }

    /// Uploads one part (1 to 10,000) and returns its ETag (without quotes). Sends Content-MD5 so the store checks
    /// the bytes; retried as a whole (re-uploading a part number replaces it).
    func uploadPart(bucket: String, key: String, uploadID: String, number: Int, body: ByteBuffer, md5: [UInt8]) async throws -> String {
        let context = Self.describe(bucket, key) + " part \(number)"
        return try await retrying {
            let response = try await send(
                .uploadPart, method: "PUT", bucket: bucket, key: key,
                query: [.init("partNumber", String(number)), .init("uploadId", uploadID)],
                headers: [S3Field("content-md5", Digests.base64(md5))], body: body)
            guard (200..<300).contains(response.status) else {
                throw await failure(response, context: context, operation: .uploadPart)
            }
            await Self.drain(response)
            guard let etag = response.header("etag").map(S3Documents.unquoteETag), !etag.isEmpty, etag.utf8.count <= 256 else {
                throw FileIOError(.protocolError, path: context, "UploadPart response without an ETag")
            }
            return etag
        }
    }

    /// Completes a multipart upload. With `createIfAbsent` it sends `If-None-Match: *`; a 412 is `alreadyExists`.
    /// After a retry, a 412 or `NoSuchUpload` is checked against `expectedETag` (`md5(part md5s)-N`) with HEAD:
    /// equal means our earlier attempt completed. A 200 response carrying an `<Error>` document (S3 sends those
    /// when it fails after starting to answer) is an error, transient for InternalError and the like.
    func completeMultipartUpload(
        bucket: String, key: String, uploadID: String, parts: [(number: Int, etag: String)],
        createIfAbsent: Bool, expectedETag: String
    ) async throws {
        let context = Self.describe(bucket, key)
        var buffer = ByteBufferAllocator().buffer(capacity: 0)
        buffer.writeBytes(S3Documents.completeMultipartUploadBody(parts: parts))
        let body = buffer
        var headers = [S3Field("content-type", "application/xml")]
        if createIfAbsent { headers.append(S3Field("if-none-match", "*")) }
        var attempt = 0
        try await retrying {
            attempt += 1
            let response = try await send(.completeMultipartUpload, method: "POST", bucket: bucket, key: key,
                                          query: [.init("uploadId", uploadID)], headers: headers, body: body)
            if (200..<300).contains(response.status) {
                let root = try await Self.xml(response, bytesMax: Self.resultBodyBytesMax, context: context)
                if root.name == "Error" {
                    let document = try S3Documents.error(root, context: context)
                    throw Self.mapStatus(500, document: document, context: context, operation: .completeMultipartUpload)
                }
                _ = try S3Documents.completeMultipartUpload(root, context: context)
                return
            }
            let error = await failure(response, context: context, operation: .completeMultipartUpload)
            let lostRace = response.status == 412 && createIfAbsent
            let goneAfterRetry = response.status == 404 && error.message.contains("NoSuchUpload")
            if attempt > 1 && (lostRace || goneAfterRetry),
               let head = try await headObject(bucket: bucket, key: key), head.etag == expectedETag {
                return
            }
            if lostRace {
                throw FileIOError(.alreadyExists, path: context, "an object already exists (CompleteMultipartUpload If-None-Match: * got 412)")
            }
            throw error
        }
    }

    /// Aborts a multipart upload; an upload that is already gone (404) counts as aborted.
    func abortMultipartUpload(bucket: String, key: String, uploadID: String) async throws {
        let context = Self.describe(bucket, key)
        try await retrying {
            let response = try await send(.abortMultipartUpload, method: "DELETE", bucket: bucket, key: key, query: [.init("uploadId", uploadID)])
            guard (200..<300).contains(response.status) || response.status == 404 else {
                throw await failure(response, context: context, operation: .abortMultipartUpload)
            }
            await Self.drain(response)
        }
    }

    /// Every in-progress multipart upload under `prefix` (at most ``uploadListPagesMax`` pages).
    func listMultipartUploads(bucket: String, prefix: String) async throws -> [S3Documents.Upload] {
        let context = Self.describe(bucket, prefix)
        var uploads: [S3Documents.Upload] = []
        var keyMarker: String?
        var uploadMarker: String?
        for _ in 0..<Self.uploadListPagesMax {
            var query: [SigV4Signer.QueryItem] = [.init("uploads", nil), .init("prefix", prefix)]
            if let keyMarker { query.append(.init("key-marker", keyMarker)) }
            if let uploadMarker { query.append(.init("upload-id-marker", uploadMarker)) }
            let page = try await retrying {
                let response = try await send(.listMultipartUploads, method: "GET", bucket: bucket, key: "", query: query)
                guard (200..<300).contains(response.status) else {
                    throw await failure(response, context: context, operation: .listMultipartUploads)
                }
                let root = try await Self.xml(response, bytesMax: Self.listBodyBytesMax, context: context)
                return try S3Documents.listMultipartUploads(root, context: context)
            }
            uploads += page.uploads
            guard page.isTruncated else { return uploads }
            keyMarker = page.nextKeyMarker
            uploadMarker = page.nextUploadIDMarker
        }
        throw FileIOError(.tooLarge, path: context, "more than \(Self.uploadListPagesMax) pages of multipart uploads")
    }

    // MARK: - Listing and buckets

    /// One ListObjectsV2 page.
    func listObjectsV2(bucket: String, prefix: String, delimiter: String?, maxKeys: Int, continuationToken: String?) async throws -> S3Documents.ListObjectsV2 {
        let context = Self.describe(bucket, prefix)
        var query: [SigV4Signer.QueryItem] = [.init("list-type", "2"), .init("prefix", prefix), .init("max-keys", String(maxKeys))]
        if let delimiter { query.append(.init("delimiter", delimiter)) }
        if let continuationToken { query.append(.init("continuation-token", continuationToken)) }
        return try await retrying {
            let response = try await send(.listObjectsV2, method: "GET", bucket: bucket, key: "", query: query)
            guard (200..<300).contains(response.status) else {
                throw await failure(response, context: context, operation: .listObjectsV2)
            }
            let root = try await Self.xml(response, bytesMax: Self.listBodyBytesMax, context: context)
            return try S3Documents.listObjectsV2(root, context: context)
        }
    }

    /// PUT bucket (with a LocationConstraint outside us-east-1). A bucket we already own is fine;
    /// one owned by someone else is `alreadyExists`.
    func createBucket(_ bucket: String) async throws {
        let context = Self.describe(bucket, "")
        var body: ByteBuffer?
        if configuration.region != "us-east-1" {
            let xml = "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>\(S3XML.escape(configuration.region))</LocationConstraint></CreateBucketConfiguration>"
            var buffer = ByteBufferAllocator().buffer(capacity: xml.utf8.count)
            buffer.writeString(xml)
            body = buffer
        }
        try await retrying {
            let response = try await send(.createBucket, method: "PUT", bucket: bucket, key: "", body: body)
            if (200..<300).contains(response.status) {
                await Self.drain(response)
                return
            }
            let error = await failure(response, context: context, operation: .createBucket)
            if response.status == 409 {
                if error.message.contains("BucketAlreadyOwnedByYou") { return }
                throw FileIOError(.alreadyExists, path: context, error.message)
            }
            throw error
        }
    }
}
