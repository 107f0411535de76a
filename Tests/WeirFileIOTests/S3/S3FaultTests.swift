import Foundation
import Testing
import WeirCodecs
import WeirFileIO
import WeirTestSupport

/// S3FileIO through ``FaultInjectingS3Transport`` in front of a real moto server.
@Suite(.moto) struct S3FaultTests {
    static func fileIO(rules: [FaultInjectingS3Transport.Rule], seed: UInt64, attemptsMax: Int) throws -> (S3FileIO, FaultInjectingS3Transport) {
        let server = try CurrentServer.requireMoto()
        let transport = FaultInjectingS3Transport(wrapping: HTTPClientS3Transport(), seed: seed, rules: rules)
        let config = try server.configuration(
            partBytes: S3Configuration.partBytesMin, retryPolicy: RetryPolicy(attemptsMax: attemptsMax, delayBaseMs: 5, delayMaxMs: 50))
        return (try S3FileIO(configuration: config, transport: transport), transport)
    }

    static func cleanFileIO() throws -> S3FileIO {
        try S3FileIO(configuration: try CurrentServer.requireMoto().configuration())
    }

    @Test func retriesRecoverWithIdenticalBytes() async throws {
        let writes: Set<S3Operation> = [.putObject, .uploadPart, .createMultipartUpload, .completeMultipartUpload]
        let rules: [FaultInjectingS3Transport.Rule] = [
            .init(writes, .status(503), limit: 3),
            .init([.uploadPart], .status(500), limit: 1),
            .init([.uploadPart, .putObject], .resetBeforeSend, limit: 2),
            // The first create-if-absent PUT is stored but its answer is lost: the retry meets 412 and HEAD shows our ETag.
            .init([.putObject], .resetAfterSend, limit: 1),
            .init([.getObject], .truncateBody(afterBytes: 200_000), limit: 3),
            .init([.getObject], .status(503), limit: 1),
            .init([.headObject, .listObjectsV2], .resetBeforeSend, limit: 2),
            .init([.getObject, .listObjectsV2, .headObject], .latencyMs(15), probability: 0.3, limit: 5),
        ]
        let (io, transport) = try Self.fileIO(rules: rules, seed: 0x5EED, attemptsMax: 8)
        let bucket = S3TestSupport.bucketName("faults")
        try await Self.cleanFileIO().createBucket(bucket)
        let root = try StoragePath(parsing: "s3://\(bucket)")

        let small = S3TestSupport.bytes(50_000, seed: 11)
        let smallPath = try root.appending("commit/snapshot-1")
        try await S3TestSupport.put(io, smallPath, small, overwrite: false)
        let large = S3TestSupport.bytes((12 << 20) + 7, seed: 12)
        let largePath = try root.appending("data/part-0.parquet")
        try await S3TestSupport.put(io, largePath, large, overwrite: true)

        let reader = try await io.open(largePath)
        var readBack: [UInt8] = []
        while Int64(readBack.count) < reader.size {
            readBack += try await reader.read(at: Int64(readBack.count), count: 256 << 10)
        }
        #expect(readBack == large, "identical bytes after retried reads")
        #expect(await reader.statistics.retries >= 3)
        #expect(try await S3TestSupport.get(io, smallPath, chunkBytes: 16_384) == small)
        let listing = try await S3TestSupport.listAll(io, root, options: ListOptions(recursive: true))
        #expect(listing.files == [smallPath, largePath])

        let injected = transport.injections.map(\.fault)
        #expect(injected.contains(.status(503)) && injected.contains(.status(500)))
        #expect(injected.contains(.resetBeforeSend) && injected.contains(.resetAfterSend))
        #expect(injected.filter { $0 == .truncateBody(afterBytes: 200_000) }.count == 3)
        // The create-if-absent PUT was sent again after the lost answer and recognised as ours.
        #expect((transport.requestCounts[.putObject] ?? 0) >= 2)
        #expect(try await Self.cleanFileIO().listMultipartUploads(bucket: bucket).isEmpty)
    }

    @Test func sameSeedSameFaults() async throws {
        func run() async throws -> [FaultInjectingS3Transport.Fault] {
            let (io, transport) = try Self.fileIO(
                rules: [.init([.headObject, .listObjectsV2], .status(503), probability: 0.5),
                        .init([.headObject, .listObjectsV2], .latencyMs(1), probability: 0.5)],
                seed: 99, attemptsMax: 20)
            for _ in 0..<10 {
                _ = try? await io.status(try StoragePath(parsing: "s3://weir-no-such-bucket/x"))
            }
            return transport.injections.map(\.fault)
        }
        let first = try await run()
        #expect(first.count >= 10)
        #expect(try await run() == first)
    }

    @Test func permanentlyFailingCreateIfAbsentLeavesNothing() async throws {
        let bucket = S3TestSupport.bucketName("doomed")
        let clean = try Self.cleanFileIO()
        try await clean.createBucket(bucket)
        let root = try StoragePath(parsing: "s3://\(bucket)")

        // 1. Every CompleteMultipartUpload fails: close gives up after the retries and aborts the upload.
        do {
            let (io, transport) = try Self.fileIO(rules: [.init([.completeMultipartUpload], .status(503))], seed: 1, attemptsMax: 3)
            let path = try root.appending("snapshot-a")
            let writer = try await io.create(path, overwrite: false)
            try await writer.write(S3TestSupport.bytes((10 << 20) + 1, seed: 5))
            await Self.expectTransient { try await writer.close() }
            #expect(transport.requestCounts[.completeMultipartUpload] == 3)
            #expect(transport.requestCounts[.abortMultipartUpload] == 1)
            await writer.abort()
        }
        // 2. Every part upload is reset: the write fails, and the upload is aborted at once.
        do {
            let (io, _) = try Self.fileIO(rules: [.init([.uploadPart], .resetBeforeSend)], seed: 2, attemptsMax: 3)
            let writer = try await io.create(try root.appending("snapshot-b"), overwrite: false)
            await Self.expectTransient {
                for _ in 0..<4 { try await writer.write(S3TestSupport.bytes(3 << 20, seed: 6)) }
                try await writer.close()
            }
            await Self.expectTransient { try await writer.close() }  // the writer stays failed
        }
        // 3. Every single PUT fails with 500.
        do {
            let (io, _) = try Self.fileIO(rules: [.init([.putObject], .status(500))], seed: 3, attemptsMax: 3)
            let writer = try await io.create(try root.appending("snapshot-c"), overwrite: false)
            try await writer.write(Array("{\"id\":3}".utf8))
            await Self.expectTransient { try await writer.close() }
        }
        #expect(try await clean.list(root, options: ListOptions(recursive: true)).files.isEmpty, "no object is visible")
        #expect(try await clean.listMultipartUploads(bucket: bucket).isEmpty, "no multipart upload is left behind")
    }

    static func expectTransient(sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected a transient failure", sourceLocation: sourceLocation)
        } catch let error as FileIOError {
            #expect(error.kind == .transient, "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }
}
