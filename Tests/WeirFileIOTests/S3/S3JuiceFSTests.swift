import Foundation
import Testing
import WeirCodecs
import WeirFileIO
import WeirTestSupport

/// S3FileIO against the JuiceFS S3 gateway, which checks SigV4 strictly and ignores conditional writes.
@Suite(.juiceFS) struct S3JuiceFSTests {
    static let awkwardKeys = [
        "dir with space/file name.txt",
        "unicode/ünïcødé-中文-🙂.bin",
        "plus/a+b+c.txt",
        "percent/100%25 and %.txt",
        "equals/k=v&x=y.txt",
        "dollar/$weird$ name$.txt",
        "mixed/a b+c%d=e$f'g(h)!*~.txt",
    ]

    static func fileIO(credentials: S3Credentials = JuiceFSGateway.credentials) throws -> S3FileIO {
        try S3FileIO(configuration: try CurrentServer.requireJuiceFS().configuration(credentials: credentials))
    }

    @Test func signaturesAreAcceptedForAwkwardKeys() async throws {
        let io = try Self.fileIO()
        let bucket = S3TestSupport.bucketName("keys")
        try await io.createBucket(bucket)
        try await io.createBucket(bucket)  // already ours: fine
        let root = try StoragePath(parsing: "s3://\(bucket)")
        var paths: [StoragePath] = []
        for (index, key) in Self.awkwardKeys.enumerated() {
            let path = try root.appending(key)
            paths.append(path)
            try await S3TestSupport.put(io, path, Array("content of \(key)".utf8) + [UInt8(index)])
        }
        for (index, path) in paths.enumerated() {
            #expect(try await S3TestSupport.get(io, path) == Array("content of \(Self.awkwardKeys[index])".utf8) + [UInt8(index)], "\(path)")
            #expect(try await io.status(path).size == Int64(Self.awkwardKeys[index].utf8.count + 12))
        }
        // Recursive listing in pages of two: continuation tokens and prefixes with odd characters are signed right.
        let listed = try await S3TestSupport.listAll(io, root, options: ListOptions(recursive: true, limit: 2))
        #expect(listed.files == paths.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) })
        #expect(listed.pages >= 4)
        let spaced = try await io.list(try root.appending("dir with space"), options: ListOptions(namePrefix: "file n"))
        #expect(spaced.files.map(\.path) == [paths[0]])
        let unicode = try await io.list(try root.appending("unicode"), options: ListOptions(namePrefix: "ünï"))
        #expect(unicode.files.map(\.path) == [paths[1]])
        let top = try await io.list(root, options: ListOptions())
        #expect(top.directories.count == Self.awkwardKeys.count && top.files.isEmpty)

        // Multipart upload (two parts) under an awkward key.
        let big = try root.appending("mixed/big $+= é.bin")
        let content = S3TestSupport.bytes(S3Configuration.partBytesMin + 4321, seed: 9)
        try await S3TestSupport.put(io, big, content)
        #expect(try await S3TestSupport.get(io, big, chunkBytes: 2 << 20) == content)
        #expect(try await io.status(big).etag?.hasSuffix("-2") == true)

        // A presigned GET URL works without any other credentials.
        let url = try io.presignedGetURL(paths[6], expiresSeconds: 300)
        let pathAndQuery = String(url.dropFirst("http://127.0.0.1:\(try CurrentServer.requireJuiceFS().port)".count))
        let answer = try LoopbackHTTP.request("GET", port: try CurrentServer.requireJuiceFS().port, path: pathAndQuery)
        #expect(answer.status == 200, "\(String(decoding: answer.body.prefix(300), as: UTF8.self))")
        #expect(answer.body == Array("content of \(Self.awkwardKeys[6])".utf8) + [6])
        // A tampered one is refused.
        let tampered = pathAndQuery.replacingOccurrences(of: "X-Amz-Expires=300", with: "X-Amz-Expires=301")
        #expect(try LoopbackHTTP.request("GET", port: try CurrentServer.requireJuiceFS().port, path: tampered).status == 403)

        #expect(try await io.delete(root, recursive: true))
        #expect(try await io.list(root, options: ListOptions(recursive: true)).files.isEmpty)
    }

    @Test func wrongSecretIsPermissionDenied() async throws {
        let good = try Self.fileIO()
        let bucket = S3TestSupport.bucketName("auth")
        try await good.createBucket(bucket)
        let path = try StoragePath(parsing: "s3://\(bucket)/secret.txt")
        try await S3TestSupport.put(good, path, Array("x".utf8))
        let bad = try Self.fileIO(credentials: S3Credentials(accessKeyID: JuiceFSGateway.credentials.accessKeyID, secretAccessKey: "not-the-secret"))
        for operation in ["status", "list", "put"] {
            do {
                switch operation {
                case "status": _ = try await bad.status(path)
                case "list": _ = try await bad.list(path.parent, options: ListOptions())
                default: try await S3TestSupport.put(bad, path, Array("y".utf8))
                }
                Issue.record("\(operation) with a wrong secret succeeded")
            } catch let error as FileIOError {
                #expect(error.kind == .permissionDenied, "\(operation): \(error)")
            }
        }
        #expect(try await S3TestSupport.get(good, path) == Array("x".utf8))
    }

    @Test func createIfAbsentIsNotAtomicHere() async throws {
        let io = try Self.fileIO()
        #expect(io.capabilities == FileIOCapabilities(atomicCreateIfAbsent: false, rename: false, directories: false))
        let bucket = S3TestSupport.bucketName("noatomic")
        try await io.createBucket(bucket)
        let path = try StoragePath(parsing: "s3://\(bucket)/snapshot-1")
        // The HEAD check still catches an object that is already there, at create and at close.
        let early = try await io.create(path, overwrite: false)
        try await S3TestSupport.put(io, path, [1])
        try await early.write([2])
        do {
            try await early.close()
            Issue.record("closed over an existing object")
        } catch let error as FileIOError {
            #expect(error.kind == .alreadyExists)
        }
        do {
            _ = try await io.create(path, overwrite: false)
            Issue.record("created over an existing object")
        } catch let error as FileIOError {
            #expect(error.kind == .alreadyExists)
        }
        #expect(try await S3TestSupport.get(io, path) == [1])
        // Why the capability is false: the gateway ignores If-None-Match, so with conditional writes
        // (wrongly) switched on, a second create-if-absent overwrites instead of failing.
        var config = try CurrentServer.requireJuiceFS().configuration()
        config.conditionalWrites = true
        let misconfigured = try S3FileIO(configuration: config)
        let other = try StoragePath(parsing: "s3://\(bucket)/snapshot-2")
        let first = try await misconfigured.create(other, overwrite: false)
        let second = try await misconfigured.create(other, overwrite: false)
        try await first.write([1])
        try await second.write([2])
        try await first.close()
        try await second.close()
        #expect(try await S3TestSupport.get(io, other) == [2], "the gateway let the second writer overwrite")
    }
}
