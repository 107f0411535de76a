import Foundation
import NIOCore
import Testing
import WeirCodecs
import WeirFileIO
import WeirTestSupport

/// S3FileIO against a real moto server (conditional writes honoured, signatures not checked).
@Suite(.moto) struct S3MotoTests {
    static func fileIO(partBytes: Int = 8 << 20) async throws -> (S3FileIO, MotoServer) {
        let server = try CurrentServer.requireMoto()
        return (try S3FileIO(configuration: try server.configuration(partBytes: partBytes)), server)
    }

    static func newBucket(_ io: S3FileIO, _ label: String) async throws -> StoragePath {
        let bucket = S3TestSupport.bucketName(label)
        try await io.createBucket(bucket)
        try await io.createBucket(bucket)  // already owned by us: fine
        return try StoragePath(parsing: "s3://\(bucket)")
    }

    static func expectKind(_ kind: FileIOError.Kind, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected \(kind), got success", sourceLocation: sourceLocation)
        } catch let error as FileIOError {
            #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected FileIOError(\(kind)), got \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func putGetRangedReadsAndStatus() async throws {
        let (io, _) = try await Self.fileIO()
        let root = try await Self.newBucket(io, "basic")
        let content = S3TestSupport.bytes(300_000, seed: 7)
        let file = try root.appending("dir/sub/data.bin")
        try await S3TestSupport.put(io, file, content, chunkBytes: 70_000)
        try await S3TestSupport.put(io, try root.appending("empty"), [])

        let status = try await io.status(file)
        #expect(status.size == 300_000 && !status.isDirectory && status.etag == Digests.hex(Digests.md5(content)))
        #expect(status.modified != nil)
        #expect(try await io.status(try root.appending("dir")).isDirectory)
        #expect(try await io.status(try root.appending("dir/sub")).isDirectory)
        #expect(try await io.status(root).isDirectory)
        #expect(try await io.status(try root.appending("empty")).size == 0)
        await Self.expectKind(.notFound) { _ = try await io.status(try root.appending("dir/su")) }
        await Self.expectKind(.notFound) { _ = try await io.status(try StoragePath(parsing: "s3://no-such-bucket-weir/x")) }
        await Self.expectKind(.isDirectory) { _ = try await io.openForReading(try root.appending("dir")) }

        let reader = try await io.open(file)
        #expect(reader.size == 300_000)
        // Sequential reads share one GET.
        #expect(try await reader.read(at: 0, count: 1000) == Array(content[0..<1000]))
        #expect(try await reader.read(at: 1000, count: 99_000) == Array(content[1000..<100_000]))
        #expect(await reader.statistics.getRequests == 1)
        // A jump opens a new ranged GET, and so does going back.
        #expect(try await reader.read(at: 250_000, count: 10) == Array(content[250_000..<250_010]))
        #expect(try await reader.read(at: 5, count: 5) == Array(content[5..<10]))
        #expect(await reader.statistics.getRequests == 3)
        // Reads are clipped at the end; at or past it they are empty and send nothing.
        #expect(try await reader.read(at: 299_990, count: 100) == Array(content[299_990...]))
        #expect(try await reader.read(at: 300_000, count: 1).isEmpty)
        #expect(try await reader.read(at: 400_000, count: 1).isEmpty)
        #expect(await reader.statistics.getRequests == 4)
        await Self.expectKind(.invalidArgument) { _ = try await reader.read(at: -1, count: 1) }
        await reader.close()
        await Self.expectKind(.invalidArgument) { _ = try await reader.read(at: 0, count: 1) }
        #expect(try await S3TestSupport.get(io, try root.appending("empty")).isEmpty)

        // Create-if-absent finds the existing file (and directory) at once.
        await Self.expectKind(.alreadyExists) { _ = try await io.create(file, overwrite: false) }
        await Self.expectKind(.alreadyExists) { _ = try await io.create(try root.appending("dir"), overwrite: false) }
        // Overwrite replaces.
        try await S3TestSupport.put(io, file, Array("new".utf8))
        #expect(try await S3TestSupport.get(io, file) == Array("new".utf8))

        try await io.mkdirs(try root.appending("dir/newdir"))
        await Self.expectKind(.notDirectory) { try await io.mkdirs(file) }
        await Self.expectKind(.io) { _ = try await io.delete(try root.appending("dir"), recursive: false) }
        #expect(try await io.delete(file, recursive: false))
        #expect(try await io.delete(file, recursive: false) == false)
        try await S3TestSupport.put(io, try root.appending("dir/a/1"), [1])
        try await S3TestSupport.put(io, try root.appending("dir/a/b/2"), [2])
        #expect(try await io.delete(try root.appending("dir"), recursive: true))
        await Self.expectKind(.notFound) { _ = try await io.status(try root.appending("dir")) }
        #expect(try await io.delete(try root.appending("dir"), recursive: true) == false)
    }

    @Test func listingPagesAndDelimiter() async throws {
        let (io, _) = try await Self.fileIO()
        let root = try await Self.newBucket(io, "list")
        for key in ["a/1", "a/2", "a/b/x", "a0", "b/y"] {
            try await S3TestSupport.put(io, try root.appending(key), Array(key.utf8))
        }
        let a = try root.appending("a")
        let direct = try await io.list(a, options: ListOptions())
        #expect(direct.files.map(\.path.key) == ["a/1", "a/2"])
        #expect(direct.files.map(\.size) == [3, 3])
        #expect(direct.directories.map(\.key) == ["a/b"])
        #expect(direct.nextPageToken == nil)
        let recursive = try await io.list(a, options: ListOptions(recursive: true))
        #expect(recursive.files.map(\.path.key) == ["a/1", "a/2", "a/b/x"] && recursive.directories.isEmpty)
        let prefixed = try await io.list(a, options: ListOptions(namePrefix: "b"))
        #expect(prefixed.files.isEmpty && prefixed.directories.map(\.key) == ["a/b"])
        let top = try await io.list(root, options: ListOptions())
        #expect(top.files.map(\.path.key) == ["a0"] && top.directories.map(\.key) == ["a", "b"])
        // Pages of one entry, directories included in the count.
        let paged = try await S3TestSupport.listAll(io, a, options: ListOptions(limit: 1))
        #expect(paged.files.map(\.key) == ["a/1", "a/2"] && paged.directories.map(\.key) == ["a/b"] && paged.pages == 3)
        #expect(try await io.list(try root.appending("missing"), options: ListOptions()) == ListPage(files: [], directories: [], nextPageToken: nil))
        await Self.expectKind(.invalidArgument) { _ = try await io.list(a, options: ListOptions(limit: 1001)) }
    }

    @Test func listing2500KeysInPagesOf1000() async throws {
        let (io, _) = try await Self.fileIO()
        let root = try await Self.newBucket(io, "many")
        let directory = try root.appending("many")
        let keys = (0..<2500).map { String(format: "k%05d", $0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var pending = keys.makeIterator()
            for _ in 0..<6 {
                guard let key = pending.next() else { break }
                group.addTask { try await S3TestSupport.put(io, try directory.appending(key), Array(key.utf8)) }
            }
            while try await group.next() != nil {
                if let key = pending.next() {
                    group.addTask { try await S3TestSupport.put(io, try directory.appending(key), Array(key.utf8)) }
                }
            }
        }
        let listStarted = ContinuousClock.now
        var options = ListOptions(limit: 1000)
        var pageSizes: [Int] = []
        var listed: [String] = []
        repeat {
            let page = try await io.list(directory, options: options)
            pageSizes.append(page.files.count)
            listed += page.files.map { String($0.path.name) }
            options.pageToken = page.nextPageToken
        } while options.pageToken != nil
        print("listed 2,500 keys in \(pageSizes.count) pages in \(ContinuousClock.now - listStarted)")
        #expect(pageSizes == [1000, 1000, 500])
        #expect(listed == keys, "every key once, in key order")
    }

    @Test func multipartUploadOf20MiB() async throws {
        let (io, _) = try await Self.fileIO(partBytes: S3Configuration.partBytesMin)
        let root = try await Self.newBucket(io, "mpu")
        let path = try root.appending("big/object.bin")
        let content = S3TestSupport.bytes((20 << 20) + 12_345, seed: 20)
        let writer = try await io.createWriter(path, overwrite: false)
        var offset = 0
        while offset < content.count {
            let end = min(content.count, offset + 1 << 20)
            try await writer.write(Array(content[offset..<end]))
            offset = end
        }
        try await writer.close()
        let stats = await writer.statistics
        #expect(stats.multipart && stats.partsUploaded == 5)
        #expect(stats.inFlightPeak <= 2)
        #expect(stats.heldBytesPeak <= 3 * S3Configuration.partBytesMin, "buffer plus two parts in flight")
        let status = try await io.status(path)
        #expect(status.size == Int64(content.count))
        #expect(status.etag?.hasSuffix("-5") == true)
        #expect(try await S3TestSupport.get(io, path, chunkBytes: 3 << 20) == content)
        #expect(try await io.listMultipartUploads(bucket: root.authority).isEmpty)
        // Multipart create-if-absent on an existing key: the conditional Complete refuses (412).
        let second = try await io.createWriter(try root.appending("big/second.bin"), overwrite: false)
        try await S3TestSupport.put(io, try root.appending("big/second.bin"), [1, 2, 3])
        try await second.write(Array(content[0..<(6 << 20)]))
        await Self.expectKind(.alreadyExists) { try await second.close() }
        #expect(try await S3TestSupport.get(io, try root.appending("big/second.bin")) == [1, 2, 3])
        #expect(try await io.listMultipartUploads(bucket: root.authority).isEmpty, "the refused upload was aborted")
    }

    @Test func createIfAbsentRaceHasExactlyOneWinner() async throws {
        let (io, _) = try await Self.fileIO()
        let root = try await Self.newBucket(io, "race")
        let path = try root.appending("t/snapshot/snapshot-1")
        let contenders = 16
        // Open every writer first so all of them pass the early existence check, then close them together.
        var writers: [any WritableFile] = []
        for index in 0..<contenders {
            let writer = try await io.create(path, overwrite: false)
            try await writer.write(Array("writer \(index) ".utf8) + S3TestSupport.bytes(1000, seed: UInt64(index)))
            writers.append(writer)
        }
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for (index, writer) in writers.enumerated() {
                group.addTask {
                    do {
                        try await writer.close()
                        return (index, true)
                    } catch let error as FileIOError {
                        #expect(error.kind == .alreadyExists, "\(error)")
                        return (index, false)
                    } catch {
                        Issue.record("unexpected \(error)")
                        return (index, false)
                    }
                }
            }
            return await group.reduce(into: [(Int, Bool)]()) { $0.append($1) }
        }
        let winners = outcomes.filter(\.1).map(\.0)
        try #require(winners.count == 1, "winners: \(winners)")
        let stored = try await S3TestSupport.get(io, path)
        #expect(stored == Array("writer \(winners[0]) ".utf8) + S3TestSupport.bytes(1000, seed: UInt64(winners[0])))
    }

    @Test func abortLeavesNothing() async throws {
        let (io, _) = try await Self.fileIO(partBytes: S3Configuration.partBytesMin)
        let root = try await Self.newBucket(io, "abort")
        let big = try root.appending("big")
        let writer = try await io.createWriter(big, overwrite: true)
        try await writer.write(S3TestSupport.bytes(12 << 20, seed: 3))
        #expect(await writer.statistics.multipart)
        #expect(try await io.listMultipartUploads(bucket: root.authority).count == 1)
        await writer.abort()
        await writer.abort()  // twice is fine
        await Self.expectKind(.invalidArgument) { try await writer.write([1]) }
        await Self.expectKind(.invalidArgument) { try await writer.close() }
        await Self.expectKind(.notFound) { _ = try await io.status(big) }
        #expect(try await io.listMultipartUploads(bucket: root.authority).isEmpty)

        // A writer dropped without close or abort aborts its upload when it goes away.
        do {
            let dropped = try await io.createWriter(try root.appending("dropped"), overwrite: true)
            try await dropped.write(S3TestSupport.bytes(6 << 20, seed: 4))
            #expect(await dropped.statistics.multipart)
        }
        #expect(try await Eventually.holds { try await io.listMultipartUploads(bucket: root.authority).isEmpty },
                "the dropped writer's upload was aborted")

        let small = try root.appending("small")
        let smallWriter = try await io.create(small, overwrite: false)
        try await smallWriter.write([1, 2, 3])
        await smallWriter.abort()
        await Self.expectKind(.notFound) { _ = try await io.status(small) }
        #expect(try await io.list(root, options: ListOptions(recursive: true)).files.isEmpty)
    }

    @Test func streamingReadOf64MiBHoldsAboutOneReadSize() async throws {
        let (io, _) = try await Self.fileIO()
        let root = try await Self.newBucket(io, "stream")
        let path = try root.appending("large.bin")
        let blockBytes = 1 << 20
        let blocks = 64
        let written = StreamingDigest(.md5)
        let writer = try await io.createWriter(path, overwrite: true)
        for index in 0..<blocks {
            var block = S3TestSupport.bytes(4096, seed: UInt64(index))
            block = Array(repeating: block, count: blockBytes / 4096).flatMap { $0 }
            written.update(block)
            try await writer.write(block)
        }
        try await writer.close()
        #expect(await writer.statistics.heldBytesPeak <= 3 * (8 << 20))

        let readSize = 1 << 20
        let reader = try await io.open(path)
        #expect(reader.size == Int64(blocks * blockBytes))
        let read = StreamingDigest(.md5)
        var offset: Int64 = 0
        while offset < reader.size {
            let chunk = try await reader.read(at: offset, count: readSize)
            try #require(chunk.count == readSize)
            read.update(chunk)
            offset += Int64(chunk.count)
        }
        await reader.close()
        let stats = await reader.statistics
        #expect(read.finish() == written.finish())
        #expect(stats.getRequests == 1, "one streaming GET served every sequential read")
        #expect(stats.bufferedBytesPeak <= 2 * readSize, "peak \(stats.bufferedBytesPeak) bytes")
        #expect(stats.bytesRead == Int64(blocks * blockBytes))
        print("streaming read of 64 MiB in 1 MiB reads: \(stats.getRequests) GET, peak buffered \(stats.bufferedBytesPeak) bytes (read size \(readSize))")
    }

    @Test func virtualHostAddressing() async throws {
        let server = try CurrentServer.requireMoto()
        var config = try server.configuration()
        config.endpoint = try S3Endpoint(parsing: "http://localhost:\(server.port)")
        config.addressingStyle = .virtualHost
        // Resolve `<bucket>.localhost` to 127.0.0.1 as DNS would; the signed Host header stays virtual.
        let io = try S3FileIO(configuration: config, transport: LoopbackResolvingTransport(port: server.port))
        let bucket = S3TestSupport.bucketName("vhost")
        try await io.createBucket(bucket)
        let path = try StoragePath(parsing: "s3://\(bucket)/v/h key.txt")
        try await S3TestSupport.put(io, path, Array("virtual".utf8))
        #expect(try await S3TestSupport.get(io, path) == Array("virtual".utf8))
        #expect(try await io.list(try StoragePath(parsing: "s3://\(bucket)/v"), options: ListOptions()).files.map(\.path) == [path])
        // The same object seen path-style.
        let pathStyle = try S3FileIO(configuration: try server.configuration())
        #expect(try await S3TestSupport.get(pathStyle, path) == Array("virtual".utf8))
    }
}

/// Sends every request to 127.0.0.1:`port` while keeping its (signed) Host header: DNS for `*.localhost`.
struct LoopbackResolvingTransport: S3Transport {
    let port: Int
    let base = HTTPClientS3Transport()

    func send(_ request: S3Request, timeoutMs: Int) async throws -> S3Response {
        var request = request
        let afterScheme = request.url.dropFirst("http://".count)
        let pathStart = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
        #expect(request.headers.contains { $0.name == "host" && $0.value.hasSuffix(".localhost:\(port)") })
        request.url = "http://127.0.0.1:\(port)" + afterScheme[pathStart...]
        return try await base.send(request, timeoutMs: timeoutMs)
    }
}
