import AsyncHTTPClient
import struct Foundation.Date

/// A ``FileIO`` over an S3-compatible service (`s3://bucket/key`); one instance serves every bucket of one
/// endpoint with one set of credentials. ``StoragePath/authority`` is the bucket, ``StoragePath/key`` the key.
///
/// How each operation maps to S3:
/// - ``status(_:)``: HEAD; a key that is no object but has objects below `key/` is a directory (a 1-key list);
///   the root is a directory when the bucket exists.
/// - ``openForReading(_:)``: HEAD, then ranged GETs (``S3ReadableFile``).
/// - ``create(_:overwrite:)``: ``S3WritableFile`` (one PUT or a multipart upload, atomic visibility on close);
///   create-if-absent is checked with ``status(_:)`` at once and again atomically (or with HEAD when the store
///   lacks conditional writes) when the writer closes.
/// - ``list(_:options:)``: ListObjectsV2; entries come in ascending key byte order; keys the server returns
///   outside the requested prefix, or that are not valid ``StoragePath`` keys, are a ``FileIOError/Kind/protocolError``.
///   Directory markers (keys ending in `/`) are not listed as files.
/// - ``delete(_:recursive:)``: HEAD then DELETE; recursively: list and delete every key below, markers included.
/// - ``rename(_:to:)``: ``FileIOError/Kind/unsupported`` (S3 has no atomic rename).
/// - ``mkdirs(_:)``: nothing is created; fails with ``FileIOError/Kind/notDirectory`` if an object is at the path.
///
/// Failures: 404 → notFound, 403 → permissionDenied, 412 on create-if-absent → alreadyExists, 5xx, 429,
/// timeouts, resets and short bodies → transient, retried with the configuration's ``RetryPolicy`` (backoff with
/// full jitter) before being reported; other 4xx → io with the S3 error code and message.
public final class S3FileIO: FileIO {
    public let configuration: S3Configuration
    let client: S3Client

    /// The most deletes a recursive delete keeps in flight.
    static let deletesInFlightMax = 8

    /// - Parameters:
    ///   - transport: how requests are sent; by default AsyncHTTPClient's shared client.
    ///   - clock: the time requests are signed at (injectable for tests).
    public init(
        configuration: S3Configuration, transport: any S3Transport = HTTPClientS3Transport(),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws(FileIOError) {
        try configuration.validate()
        self.configuration = configuration
        self.client = S3Client(configuration: configuration, transport: transport, clock: clock)
    }

    /// An S3FileIO sending through `httpClient` (which the caller owns and shuts down).
    public convenience init(configuration: S3Configuration, httpClient: HTTPClient) throws(FileIOError) {
        try self.init(configuration: configuration, transport: HTTPClientS3Transport(client: httpClient))
    }

    public var capabilities: FileIOCapabilities {
        FileIOCapabilities(atomicCreateIfAbsent: configuration.conditionalWrites, rename: false, directories: false)
    }

    public func status(_ path: StoragePath) async throws -> FileStatus {
        try Self.checkScheme(path)
        if path.isRoot {
            guard try await client.bucketExists(path.authority) else {
                throw FileIOError(.notFound, path: path, "no such bucket")
            }
            return FileStatus(path: path, size: 0, isDirectory: true)
        }
        if let head = try await client.headObject(bucket: path.authority, key: path.key) {
            return FileStatus(path: path, size: head.size, isDirectory: false, modified: head.modified, etag: head.etag)
        }
        if try await hasObjectsBelow(path) {
            return FileStatus(path: path, size: 0, isDirectory: true)
        }
        throw FileIOError(.notFound, path: path, "no such object")
    }

    public func openForReading(_ path: StoragePath) async throws -> any ReadableFile {
        try await open(path)
    }

    /// ``openForReading(_:)`` with the concrete type (for its ``S3ReadableFile/statistics``).
    public func open(_ path: StoragePath) async throws -> S3ReadableFile {
        let status = try await status(path)
        guard !status.isDirectory else { throw FileIOError(.isDirectory, path: path, "is a directory") }
        return S3ReadableFile(path: path, size: status.size, etag: status.etag, client: client)
    }

    public func create(_ path: StoragePath, overwrite: Bool) async throws -> any WritableFile {
        try await createWriter(path, overwrite: overwrite)
    }

    /// ``create(_:overwrite:)`` with the concrete type (for its ``S3WritableFile/statistics``).
    public func createWriter(_ path: StoragePath, overwrite: Bool) async throws -> S3WritableFile {
        try Self.checkScheme(path)
        guard !path.isRoot else { throw FileIOError(.isDirectory, path: path, "cannot write to the root of a bucket") }
        if !overwrite {
            do {
                _ = try await status(path)
                throw FileIOError(.alreadyExists, path: path, "already exists")
            } catch let error as FileIOError where error.kind == .notFound {
                // Absent now; the writer checks again when it closes.
            }
        }
        return S3WritableFile(path: path, overwrite: overwrite, client: client)
    }

    public func list(_ directory: StoragePath, options: ListOptions) async throws -> ListPage {
        try Self.checkScheme(directory)
        try options.validate(for: directory)
        if let token = options.pageToken, token.isEmpty || token.utf8.count > S3Documents.tokenBytesMax {
            throw FileIOError(.invalidArgument, path: directory, "the page token is empty or longer than \(S3Documents.tokenBytesMax) bytes")
        }
        let bucket = directory.authority
        let directoryPrefix = directory.key.isEmpty ? "" : directory.key + "/"
        let prefix = directoryPrefix + options.namePrefix
        let result = try await client.listObjectsV2(
            bucket: bucket, prefix: prefix, delimiter: options.recursive ? nil : "/",
            maxKeys: options.limit, continuationToken: options.pageToken)
        let context = S3Client.describe(bucket, prefix)
        guard result.objects.count + result.commonPrefixes.count <= options.limit else {
            throw FileIOError(.protocolError, path: context, "the server returned \(result.objects.count + result.commonPrefixes.count) entries for max-keys \(options.limit)")
        }
        var files: [FileStatus] = []
        for object in result.objects {
            guard object.key.hasPrefix(prefix) else {
                throw FileIOError(.protocolError, path: context, "the server listed key '\(object.key.prefix(200))' outside the prefix")
            }
            if object.key.hasSuffix("/") { continue }  // a directory marker
            let relative = object.key.dropFirst(directoryPrefix.count)
            if !options.recursive && relative.contains("/") {
                throw FileIOError(.protocolError, path: context, "the server listed key '\(object.key.prefix(200))' below a delimiter")
            }
            let path = try Self.path(bucket: bucket, key: object.key, context: context)
            files.append(FileStatus(path: path, size: object.size, isDirectory: false, modified: object.lastModified, etag: object.etag))
        }
        var directories: [StoragePath] = []
        for common in result.commonPrefixes {
            let relative = common.dropFirst(directoryPrefix.count)
            guard !options.recursive, common.hasPrefix(prefix), common.hasSuffix("/"), relative.count > 1,
                  !relative.dropLast().contains("/") else {
                throw FileIOError(.protocolError, path: context, "the server returned an unexpected common prefix '\(common.prefix(200))'")
            }
            directories.append(try Self.path(bucket: bucket, key: String(common.dropLast()), context: context))
        }
        files.sort { $0.path.key.utf8.lexicographicallyPrecedes($1.path.key.utf8) }
        directories.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        return ListPage(files: files, directories: directories, nextPageToken: result.nextContinuationToken)
    }

    public func delete(_ path: StoragePath, recursive: Bool) async throws -> Bool {
        try Self.checkScheme(path)
        if !path.isRoot, try await client.headObject(bucket: path.authority, key: path.key) != nil {
            try await client.deleteObject(bucket: path.authority, key: path.key)
            return true
        }
        guard try await hasObjectsBelow(path) else { return false }
        guard recursive else { throw FileIOError(.io, path: path, "directory not empty (delete it recursively)") }
        let prefix = path.key.isEmpty ? "" : path.key + "/"
        var token: String?
        repeat {
            let page = try await client.listObjectsV2(bucket: path.authority, prefix: prefix, delimiter: nil, maxKeys: ListOptions.limitMax, continuationToken: token)
            for object in page.objects where !object.key.hasPrefix(prefix) {
                throw FileIOError(.protocolError, path: path, "the server listed key '\(object.key.prefix(200))' outside the prefix")
            }
            try await deleteAll(bucket: path.authority, keys: page.objects.map(\.key))
            token = page.nextContinuationToken
        } while token != nil
        return true
    }

    public func rename(_ source: StoragePath, to target: StoragePath) async throws {
        throw FileIOError(.unsupported, path: source, "S3 has no rename (copy and delete are not atomic)")
    }

    public func mkdirs(_ path: StoragePath) async throws {
        try Self.checkScheme(path)
        guard !path.isRoot else { return }
        if try await client.headObject(bucket: path.authority, key: path.key) != nil {
            throw FileIOError(.notDirectory, path: path, "is a file")
        }
    }

    // MARK: - S3 extras

    /// Creates a bucket (PUT bucket); a bucket this account already owns is fine. For tests and tools.
    public func createBucket(_ bucket: String) async throws {
        guard StoragePath.isValidBucketName(bucket) else {
            throw FileIOError(.invalidPath, path: "s3://\(bucket)", "not a valid bucket name (3 to 63 characters: a-z, 0-9, '.', '-')")
        }
        try await client.createBucket(bucket)
    }

    /// The in-progress multipart uploads in `bucket` whose keys start with `prefix`.
    public func listMultipartUploads(bucket: String, prefix: String = "") async throws -> [S3Documents.Upload] {
        try await client.listMultipartUploads(bucket: bucket, prefix: prefix)
    }

    /// Aborts one multipart upload (cleanup of uploads left by crashed writers).
    public func abortMultipartUpload(bucket: String, key: String, uploadID: String) async throws {
        try await client.abortMultipartUpload(bucket: bucket, key: key, uploadID: uploadID)
    }

    /// A presigned GET URL for `path`, valid for `expiresSeconds` (1 to 604,800) from the clock's time.
    public func presignedGetURL(_ path: StoragePath, expiresSeconds: Int) throws(FileIOError) -> String {
        try Self.checkScheme(path)
        guard (1...SigV4Signer.presignExpiresSecondsMax).contains(expiresSeconds) else {
            throw FileIOError(.invalidArgument, path: path, "expiry \(expiresSeconds) s is outside 1...\(SigV4Signer.presignExpiresSecondsMax)")
        }
        let (objectPath, host) = client.location(bucket: path.authority, key: path.key)
        let presigned = client.signer.presign(
            SigV4Signer.Request(method: "GET", path: objectPath, headers: [S3Field("host", host)], payloadSHA256: SigV4Signer.unsignedPayload),
            expiresSeconds: expiresSeconds, date: client.clock())
        return "\(configuration.endpoint.scheme)://\(host)\(SigV4Signer.canonicalURI(objectPath))?\(presigned.queryString)"
    }

    // MARK: - Internals

    static func checkScheme(_ path: StoragePath) throws(FileIOError) {
        guard path.scheme == "s3" else {
            throw FileIOError(.unsupported, path: path, "the S3 store serves s3:// paths only")
        }
    }

    /// A listed key as a path; keys a ``StoragePath`` cannot hold unchanged (`a//b`, `.` segments) are errors.
    static func path(bucket: String, key: String, context: String) throws(FileIOError) -> StoragePath {
        let path: StoragePath
        do {
            path = try StoragePath(scheme: "s3", authority: bucket, key: key)
        } catch {
            throw FileIOError(.protocolError, path: context, "the store holds key '\(key.prefix(200))', which is not a valid path: \(error.message)")
        }
        guard path.key == key else {
            throw FileIOError(.protocolError, path: context, "the store holds key '\(key.prefix(200))', which a path cannot name unchanged")
        }
        return path
    }

    private func hasObjectsBelow(_ path: StoragePath) async throws -> Bool {
        let page = try await client.listObjectsV2(
            bucket: path.authority, prefix: path.key.isEmpty ? "" : path.key + "/", delimiter: nil, maxKeys: 1, continuationToken: nil)
        return !page.objects.isEmpty || !page.commonPrefixes.isEmpty
    }

    /// Deletes `keys` with at most ``deletesInFlightMax`` DELETEs in flight.
    private func deleteAll(bucket: String, keys: [String]) async throws {
        let client = client
        try await withThrowingTaskGroup(of: Void.self) { group in
            var pending = keys.makeIterator()
            for _ in 0..<Self.deletesInFlightMax {
                guard let key = pending.next() else { break }
                group.addTask { try await client.deleteObject(bucket: bucket, key: key) }
            }
            while try await group.next() != nil {
                if let key = pending.next() {
                    group.addTask { try await client.deleteObject(bucket: bucket, key: key) }
                }
            }
        }
    }
}
