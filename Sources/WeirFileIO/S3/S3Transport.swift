import NIOCore
import Synchronization

/// Which S3 call a request is; lets a transport (the fault injector, a logger) tell requests apart
/// without parsing URLs.
public enum S3Operation: String, Sendable, CaseIterable {
    case headObject, getObject, putObject, deleteObject
    case createMultipartUpload, uploadPart, completeMultipartUpload, abortMultipartUpload, listMultipartUploads
    case listObjectsV2, createBucket, headBucket
}

/// One signed HTTP request, ready to send.
public struct S3Request: Sendable {
    public var operation: S3Operation
    public var method: String
    /// The full URL with the encoded path and query exactly as signed.
    public var url: String
    /// Every header to send, `Host` and `Authorization` included.
    public var headers: [S3Field]
    public var body: ByteBuffer?

    public init(operation: S3Operation, method: String, url: String, headers: [S3Field], body: ByteBuffer? = nil) {
        self.operation = operation
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// A response whose head has arrived; the body streams through ``body``.
public struct S3Response: Sendable {
    public var status: Int
    public var headers: [S3Field]
    public var body: S3ResponseBody

    public init(status: Int, headers: [S3Field], body: S3ResponseBody) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of the header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}

/// A response body pulled one chunk at a time, so the sender's flow control (TCP backpressure) applies:
/// nothing is read from the connection until ``next()`` asks for it.
///
/// Contract: one consumer at a time; ``next()`` returns nil at the end and throws ``FileIOError`` (usually
/// ``FileIOError/Kind/transient``) when the connection fails mid-body. Dropping the last copy of an unfinished
/// body closes its connection.
public struct S3ResponseBody: Sendable {
    private let pull: @Sendable () async throws -> ByteBuffer?

    /// A body served by `pull`, which returns the next chunk or nil at the end.
    public init(pull: @escaping @Sendable () async throws -> ByteBuffer?) {
        self.pull = pull
    }

    /// The next chunk, or nil at the end.
    public func next() async throws -> ByteBuffer? { try await pull() }

    /// A body of no bytes.
    public static var empty: S3ResponseBody { S3ResponseBody { nil } }

    /// A body of the given bytes, delivered in one chunk.
    public static func bytes(_ buffer: ByteBuffer) -> S3ResponseBody {
        let box = OneShot(buffer)
        return S3ResponseBody { box.take() }
    }

    /// Reads the whole body, failing with ``FileIOError/Kind/tooLarge`` (naming `context`) past `bytesMax`.
    public func collect(upTo bytesMax: Int, context: String) async throws -> [UInt8] {
        var out: [UInt8] = []
        while let chunk = try await next() {
            guard out.count + chunk.readableBytes <= bytesMax else {
                throw FileIOError(.tooLarge, path: context, "the response body exceeds the \(bytesMax)-byte limit")
            }
            out.append(contentsOf: chunk.readableBytesView)
        }
        return out
    }

    private final class OneShot: Sendable {
        private let state: Mutex<ByteBuffer?>
        init(_ buffer: ByteBuffer) { state = Mutex(buffer) }
        func take() -> ByteBuffer? { state.withLock { value in defer { value = nil }; return value } }
    }
}

/// Sends one S3 request and returns when the response head has arrived (the body streams afterwards).
///
/// The seam between ``S3FileIO`` and the network: ``HTTPClientS3Transport`` is the real one,
/// ``FaultInjectingS3Transport`` wraps any transport to inject failures in tests.
///
/// Contract: throws only ``FileIOError``: ``FileIOError/Kind/transient`` for failures a retry may cure
/// (connection refused or reset, timeouts, a connection closed before or during the head), other kinds for
/// requests that cannot be sent at all. HTTP error statuses are returned, not thrown.
public protocol S3Transport: Sendable {
    func send(_ request: S3Request, timeoutMs: Int) async throws -> S3Response
}
