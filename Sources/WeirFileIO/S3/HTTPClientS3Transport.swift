import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// The real ``S3Transport``: AsyncHTTPClient, by default the process-wide `HTTPClient.shared`.
///
/// The timeout covers connecting, sending and the response head; the body then streams with the client's
/// backpressure (one chunk buffered ahead) and is bounded by the client's read timeout (90 s for the shared
/// client). Every failure is mapped to ``FileIOError``: connection, timeout and mid-body failures are
/// ``FileIOError/Kind/transient``.
public struct HTTPClientS3Transport: S3Transport {
    public let client: HTTPClient

    public init(client: HTTPClient = .shared) {
        self.client = client
    }

    public func send(_ request: S3Request, timeoutMs: Int) async throws -> S3Response {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for field in request.headers {
            outgoing.headers.add(name: field.name, value: field.value)
        }
        if let body = request.body {
            outgoing.body = .bytes(body)
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(outgoing, timeout: .milliseconds(Int64(timeoutMs)))
        } catch {
            throw Self.map(error, url: request.url, during: "\(request.method) request")
        }
        let pull = BodyPull(iterator: response.body.makeAsyncIterator(), url: request.url)
        return S3Response(
            status: Int(response.status.code),
            headers: response.headers.map { S3Field($0.name, $0.value) },
            body: S3ResponseBody { try await pull.next() })
    }

    /// Maps AsyncHTTPClient and NIO errors: bad URLs are `invalidArgument`, everything else (refused, reset,
    /// closed, timed out, cancelled) is `transient`.
    static func map(_ error: any Error, url: String, during what: String) -> FileIOError {
        if let error = error as? FileIOError { return error }
        if let error = error as? HTTPClientError,
           [HTTPClientError.invalidURL, .emptyHost, .emptyScheme, .missingSocketPath].contains(error) {
            return FileIOError(.invalidArgument, path: url, "cannot send the \(what): \(error)")
        }
        return FileIOError(.transient, path: url, "\(what) failed: \(error)")
    }

    /// Pulls the response body chunk by chunk. Contract: one consumer at a time (``S3ResponseBody``'s rule),
    /// which is why the mutable iterator may live in an unchecked-Sendable box.
    private final class BodyPull: @unchecked Sendable {
        private var iterator: HTTPClientResponse.Body.AsyncIterator
        private let url: String

        init(iterator: HTTPClientResponse.Body.AsyncIterator, url: String) {
            self.iterator = iterator
            self.url = url
        }

        func next() async throws -> ByteBuffer? {
            do {
                return try await iterator.next()
            } catch {
                throw HTTPClientS3Transport.map(error, url: url, during: "reading the response body")
            }
        }
    }
}
