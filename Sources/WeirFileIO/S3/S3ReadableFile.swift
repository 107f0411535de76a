import NIOCore

/// What an ``S3ReadableFile`` has done, for tests and diagnostics.
public struct S3ReadStatistics: Sendable, Equatable {
    /// Ranged GETs opened (the first, plus one per non-sequential read or retry).
    public var getRequests = 0
    /// Reads retried after a transient failure or a short body.
    public var retries = 0
    /// The most bytes the reader held at once: the result array (reserved at the read's size) plus the network
    /// chunk being copied from. Bounded by the read size plus one chunk.
    public var bufferedBytesPeak = 0
    /// Bytes returned to the caller.
    public var bytesRead: Int64 = 0
}

/// An S3 object open for reading (see ``S3FileIO/openForReading(_:)``).
///
/// Sequential reads (each starting where the previous one ended) are served from ONE streaming GET
/// (`Range: bytes=offset-`) whose body is pulled chunk by chunk as reads need it, so the connection's flow
/// control holds the rest back: the reader never holds more than the current read plus one network chunk.
/// A read elsewhere drops that stream (closing its connection) and opens a new ranged GET.
///
/// Reads return `min(count, size - offset)` bytes, where `size` is the size when the file was opened; a read at
/// or past the end is empty and sends nothing. A body that ends early, a reset connection or a 5xx is retried
/// from the position reached, under the configuration's ``RetryPolicy``; when retries run out the error is
/// ``FileIOError/Kind/truncated`` (short body) or ``FileIOError/Kind/transient``. If the object changed size
/// since it was opened, the read fails with ``FileIOError/Kind/io``. Objects stored with `Content-Encoding: gzip`
/// or `deflate` are refused (``FileIOError/Kind/unsupported``): an HTTP client that decompresses would shift offsets.
///
/// Not for concurrent use by several tasks at once.
public actor S3ReadableFile: ReadableFile {
    public nonisolated let path: StoragePath
    public nonisolated let size: Int64
    /// The ETag when the file was opened (without quotes).
    public nonisolated let etag: String?

    private let client: S3Client
    private let bucket: String
    private let key: String
    private var stream: Stream?
    private var closed = false
    public private(set) var statistics = S3ReadStatistics()

    /// An open GET body positioned at `position`, with the unread rest of the last chunk.
    private struct Stream {
        var body: S3ResponseBody
        var position: Int64
        var leftover: ByteBuffer?
    }

    init(path: StoragePath, size: Int64, etag: String?, client: S3Client) {
        self.path = path
        self.size = size
        self.etag = etag
        self.client = client
        self.bucket = path.authority
        self.key = path.key
    }

    public func read(at offset: Int64, count: Int) async throws -> [UInt8] {
        guard !closed else { throw FileIOError(.invalidArgument, path: path, "read after close") }
        guard offset >= 0, count >= 0 else {
            throw FileIOError(.invalidArgument, path: path, "read at \(offset) of \(count) bytes")
        }
        guard offset < size, count > 0 else { return [] }
        let want = Int(min(Int64(count), size - offset))
        var out: [UInt8] = []
        out.reserveCapacity(want)
        var attempt = 1
        var random = SystemRandomNumberGenerator()
        let policy = client.configuration.retryPolicy
        while out.count < want {
            do {
                let position = offset + Int64(out.count)
                if stream?.position != position {
                    stream = nil
                    stream = try await open(at: position)
                }
                try await fill(&out, upTo: want)
            } catch let error as FileIOError where error.isRetryable && attempt < policy.attemptsMax && !Task.isCancelled {
                stream = nil
                statistics.retries += 1
                FileIOMetrics.retry(scheme: "s3")
                try await policy.sleep(policy.delayMs(beforeRetry: attempt, using: &random))
                attempt += 1
            } catch {
                stream = nil
                throw error
            }
        }
        statistics.bytesRead += Int64(out.count)
        return out
    }

    public func close() async {
        closed = true
        stream = nil
    }

    /// Opens `GET bytes=position-` and checks that the response covers exactly position..<size.
    private func open(at position: Int64) async throws -> Stream {
        statistics.getRequests += 1
        let context = path.description
        guard let response = try await client.getObject(bucket: bucket, key: key, from: position) else {
            throw FileIOError(.io, path: path, "the object changed since it was opened: a read at \(position) is past its end (416), but it had \(size) bytes")
        }
        let remaining = size - position
        if let encoding = response.header("content-encoding")?.lowercased(),
           encoding.contains("gzip") || encoding.contains("deflate") {
            // An HTTP client with decompression on (HTTPClient.shared has it) would inflate such a body, and byte
            // offsets would no longer match the object's: refuse rather than return wrong bytes.
            throw FileIOError(.unsupported, path: context, "the object is stored with Content-Encoding '\(encoding.prefix(40))'; ranged reads of such objects are not supported")
        }
        if response.status == 200 {
            guard position == 0 else {
                throw FileIOError(.protocolError, path: context, "the server ignored the Range header (200 for bytes=\(position)-)")
            }
        } else if let range = response.header("content-range") {
            // "bytes first-last/total"
            guard let parsed = Self.parseContentRange(range) else {
                throw FileIOError(.protocolError, path: context, "malformed Content-Range '\(range.prefix(80))'")
            }
            guard parsed.first == position else {
                throw FileIOError(.protocolError, path: context, "asked for bytes from \(position), got Content-Range '\(range.prefix(80))'")
            }
            if let total = parsed.total, total != size {
                throw FileIOError(.io, path: context, "the object changed since it was opened: now \(total) bytes, was \(size)")
            }
        }
        if let lengthText = response.header("content-length") {
            guard let length = Int64(lengthText), length >= 0 else {
                throw FileIOError(.protocolError, path: context, "malformed Content-Length '\(lengthText.prefix(40))'")
            }
            if length > remaining {
                throw FileIOError(.io, path: context, "the object changed since it was opened: \(length) bytes from \(position), expected \(remaining)")
            }
        }
        return Stream(body: response.body, position: position, leftover: nil)
    }

    /// Moves bytes from the stream into `out` until it holds `want` bytes; a body that ends first is `truncated`.
    private func fill(_ out: inout [UInt8], upTo want: Int) async throws {
        guard var current = stream else { return }
        stream = nil  // put back only when consistent
        while out.count < want {
            var chunk: ByteBuffer
            if let leftover = current.leftover, leftover.readableBytes > 0 {
                chunk = leftover
                current.leftover = nil
            } else {
                guard let next = try await current.body.next() else {
                    throw FileIOError(.truncated, path: path,
                                      "the response body ended at byte \(current.position) of \(size)")
                }
                chunk = next
            }
            statistics.bufferedBytesPeak = max(statistics.bufferedBytesPeak, want + chunk.readableBytes)
            let take = min(chunk.readableBytes, want - out.count)
            out.append(contentsOf: chunk.readableBytesView.prefix(take))
            chunk.moveReaderIndex(forwardBy: take)
            current.position += Int64(take)
            if chunk.readableBytes > 0 { current.leftover = chunk }
        }
        stream = current
    }

    /// Parses `bytes first-last/total` (`total` may be `*`).
    static func parseContentRange(_ text: String) -> (first: Int64, last: Int64, total: Int64?)? {
        guard text.hasPrefix("bytes ") else { return nil }
        let rest = text.dropFirst(6)
        guard let dash = rest.firstIndex(of: "-"), let slash = rest.firstIndex(of: "/"), dash < slash,
              let first = Int64(rest[..<dash]), let last = Int64(rest[rest.index(after: dash)..<slash]), first >= 0, last >= first
        else { return nil }
        let totalText = rest[rest.index(after: slash)...]
        if totalText == "*" { return (first, last, nil) }
        guard let total = Int64(totalText), total > last else { return nil }
        return (first, last, total)
    }
}
