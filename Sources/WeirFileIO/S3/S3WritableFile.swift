import NIOCore
import WeirCodecs

/// What an ``S3WritableFile`` has done, for tests and diagnostics.
public struct S3WriteStatistics: Sendable, Equatable {
    /// True once the writer switched to a multipart upload.
    public var multipart = false
    /// Parts whose upload finished.
    public var partsUploaded = 0
    /// The most part uploads in flight at once.
    public var inFlightPeak = 0
    /// The most bytes the writer held at once: its buffer plus the parts in flight. (ByteBuffer reserves a power of
    /// two, so a 5 MiB part sits in 8 MiB of address space, of which only the written 5 MiB is touched.)
    public var heldBytesPeak = 0
}

/// A file being written to S3 (see ``S3FileIO/create(_:overwrite:)``).
///
/// Writes are buffered up to ``S3Configuration/partBytes``. A writer closed with at most
/// ``S3Configuration/multipartThresholdBytes`` bytes stores them with one PUT. A larger one becomes a multipart
/// upload: each full buffer is uploaded as a part while writing continues, with at most
/// ``S3Configuration/maxConcurrentParts`` uploads in flight (a write waits for the oldest when that many are),
/// so the writer holds about (maxConcurrentParts + 1) × partBytes bytes. ``close()`` uploads the rest and
/// completes the upload; the object appears at that moment, all at once.
///
/// Create-if-absent (`overwrite == false`): with ``S3Configuration/conditionalWrites`` the PUT or the
/// CompleteMultipartUpload carries `If-None-Match: *`, so exactly one of several concurrent creators wins and
/// the others get ``FileIOError/Kind/alreadyExists``; without it a HEAD just before the PUT or Complete checks
/// for an existing object (not atomic).
///
/// On ``abort()``, on any failed write or close, and (best effort) when dropped unclosed, the multipart upload is
/// aborted after its in-flight parts end, so nothing becomes visible and no upload is left behind (unless the
/// abort itself keeps failing). Objects are limited to ``S3Configuration/partsMax`` parts.
///
/// Not for concurrent use by several tasks at once.
public actor S3WritableFile: WritableFile {
    public nonisolated let path: StoragePath
    public private(set) var statistics = S3WriteStatistics()

    private struct Part: Sendable {
        var etag: String
        var md5: [UInt8]
    }

    private enum State {
        case open, closed, aborted
        case failed(any Error)
    }

    private let client: S3Client
    private let bucket: String
    private let key: String
    private let createIfAbsent: Bool
    private let conditional: Bool
    private let partBytes: Int
    private let thresholdBytes: Int
    private let concurrentPartsMax: Int

    private var state = State.open
    private var busy = false
    private var buffer: ByteBuffer
    private var totalBytes: Int64 = 0
    private var uploadID: String?
    private var nextPartNumber = 1
    private var parts: [Int: Part] = [:]
    private var inFlight: [(number: Int, bytes: Int, task: Task<Part, any Error>)] = []

    /// The first buffer starts small so that small files cost little; later ones are allocated at the part size.
    private static let initialBufferBytes = 64 << 10

    init(path: StoragePath, overwrite: Bool, client: S3Client) {
        self.path = path
        self.client = client
        self.bucket = path.authority
        self.key = path.key
        self.createIfAbsent = !overwrite
        self.conditional = !overwrite && client.configuration.conditionalWrites
        self.partBytes = client.configuration.partBytes
        self.thresholdBytes = client.configuration.multipartThresholdBytes
        self.concurrentPartsMax = client.configuration.maxConcurrentParts
        self.buffer = ByteBufferAllocator().buffer(capacity: min(client.configuration.partBytes, Self.initialBufferBytes))
    }

    deinit {
        for part in inFlight { part.task.cancel() }
        if let uploadID {
            let client = client, bucket = bucket, key = key
            Task.detached { try? await client.abortMultipartUpload(bucket: bucket, key: key, uploadID: uploadID) }
        }
    }

    public func write(_ bytes: [UInt8]) async throws {
        try enter("write")
        defer { busy = false }
        do {
            var index = 0
            while index < bytes.count {
                if buffer.readableBytes == partBytes { try await flushPart() }
                let n = min(partBytes - buffer.readableBytes, bytes.count - index)
                buffer.writeBytes(bytes[index..<(index + n)])
                index += n
                totalBytes += Int64(n)
                noteHeldBytes()
            }
        } catch {
            await fail(error)
            throw error
        }
    }

    public func close() async throws {
        try enter("close")
        defer { busy = false }
        do {
            if uploadID == nil && totalBytes <= Int64(thresholdBytes) {
                if createIfAbsent && !conditional { try await checkAbsent() }
                try await client.putObject(bucket: bucket, key: key, body: buffer, createIfAbsent: conditional)
            } else {
                if buffer.readableBytes > 0 || nextPartNumber == 1 { try await flushPart() }
                while !inFlight.isEmpty { try await finishOldest() }
                if createIfAbsent && !conditional { try await checkAbsent() }
                let ordered = parts.sorted { $0.key < $1.key }
                let md5s = ordered.flatMap { $0.value.md5 }
                let expectedETag = Digests.hex(Digests.md5(md5s)) + "-\(ordered.count)"
                try await client.completeMultipartUpload(
                    bucket: bucket, key: key, uploadID: uploadID!, parts: ordered.map { ($0.key, $0.value.etag) },
                    createIfAbsent: conditional, expectedETag: expectedETag)
                uploadID = nil
            }
            state = .closed
            buffer = ByteBuffer()
        } catch {
            await fail(error)
            throw error
        }
    }

    public func abort() async {
        switch state {
        case .closed, .aborted: return
        case .open, .failed: break
        }
        state = .aborted
        await discardUpload()
    }

    // MARK: - Internals

    /// Checks that the writer is open and not in use, and marks it in use.
    private func enter(_ operation: String) throws {
        switch state {
        case .open: break
        case .failed(let error): throw error
        case .closed, .aborted: throw FileIOError(.invalidArgument, path: path, "\(operation) after close or abort")
        }
        guard !busy else { throw FileIOError(.invalidArgument, path: path, "\(operation) while another call on this writer is running") }
        busy = true
    }

    /// Uploads the buffer as the next part (starting the multipart upload first if needed), waiting for room.
    private func flushPart() async throws {
        if uploadID == nil {
            uploadID = try await client.createMultipartUpload(bucket: bucket, key: key)
            statistics.multipart = true
        }
        guard nextPartNumber <= S3Configuration.partsMax else {
            throw FileIOError(.tooLarge, path: path, "larger than \(S3Configuration.partsMax) parts of \(partBytes) bytes (\(client.configuration.objectBytesMax) bytes)")
        }
        while inFlight.count >= concurrentPartsMax { try await finishOldest() }
        let body = buffer
        buffer = ByteBufferAllocator().buffer(capacity: partBytes)
        let number = nextPartNumber
        nextPartNumber += 1
        let client = client, bucket = bucket, key = key, uploadID = uploadID!
        let task = Task.detached { () async throws -> Part in
            let md5 = body.withUnsafeReadableBytes { Digests.md5($0) }
            let etag = try await client.uploadPart(bucket: bucket, key: key, uploadID: uploadID, number: number, body: body, md5: md5)
            return Part(etag: etag, md5: md5)
        }
        inFlight.append((number, body.readableBytes, task))
        statistics.inFlightPeak = max(statistics.inFlightPeak, inFlight.count)
        noteHeldBytes()
    }

    private func finishOldest() async throws {
        let oldest = inFlight.removeFirst()
        parts[oldest.number] = try await oldest.task.value
        statistics.partsUploaded += 1
    }

    private func checkAbsent() async throws {
        if try await client.headObject(bucket: bucket, key: key) != nil {
            throw FileIOError(.alreadyExists, path: path, "an object already exists (checked with HEAD; this store does not honour If-None-Match)")
        }
    }

    private func noteHeldBytes() {
        let held = buffer.readableBytes + inFlight.reduce(0) { $0 + $1.bytes }
        statistics.heldBytesPeak = max(statistics.heldBytesPeak, held)
    }

    /// Records the failure and discards everything.
    private func fail(_ error: any Error) async {
        if case .open = state { state = .failed(error) }
        await discardUpload()
    }

    /// Cancels and waits for in-flight parts, then aborts the multipart upload (parts that finish after an
    /// abort could otherwise keep it alive).
    private func discardUpload() async {
        let pending = inFlight
        inFlight = []
        for part in pending { part.task.cancel() }
        for part in pending { _ = try? await part.task.value }
        buffer = ByteBuffer()
        if let id = uploadID {
            uploadID = nil
            try? await client.abortMultipartUpload(bucket: bucket, key: key, uploadID: id)
        }
    }
}
