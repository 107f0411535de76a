import Testing
import WeirCodecs
import WeirFileIO

/// The contract of ``FileIO`` (see its doc comment), checked on every backend in ``ContractBackend``: local disk,
/// memory, a real moto server and a real JuiceFS S3 gateway (which verifies every signature).
@Suite(.moto, .juiceFS) struct FileIOContractTests {
    static let backends = ContractBackend.allCases

    private func with(_ backend: ContractBackend, _ body: (ContractContext) async throws -> Void) async throws {
        let context = try await backend.makeContext()
        do {
            try await body(context)
        } catch {
            await context.cleanUp()
            throw error
        }
        await context.cleanUp()
    }

    @Test(arguments: backends)
    func writeThenReadWholeAndRanges(_ backend: ContractBackend) async throws {
        try await with(backend) { c in
            let path = try c.path("a/b/data.bin")
            let bytes = testBytes(count: 100_000, seed: 1)
            try await c.io.write(path, bytes, overwrite: false)
            let status = try await c.io.status(path)
            #expect(status.size == 100_000 && !status.isDirectory)
            #expect(try await c.io.readAll(path) == bytes)
            let file = try await c.io.openForReading(path)
            #expect(file.size == 100_000)
            #expect(try await file.read(at: 4_000, count: 10) == Array(bytes[4_000..<4_010]))
            #expect(try await file.read(at: 99_990, count: 100) == Array(bytes[99_990...]))
            #expect(try await file.read(at: 100_000, count: 10) == [])
            #expect(try await file.read(at: 0, count: 3) == Array(bytes[0..<3]))
            await file.close()
        }
    }

    @Test(arguments: backends)
    func emptyFileRoundTrips(_ backend: ContractBackend) async throws {
        try await with(backend) { c in
            let path = try c.path("empty")
            try await c.io.write(path, [], overwrite: false)
            #expect(try await c.io.status(path).size == 0)
            #expect(try await c.io.readAll(path) == [])
        }
    }

    @Test(arguments: backends)
    func createIfAbsentRefusesAnExistingFileAndKeepsIt(_ backend: ContractBackend) async throws {
        try await with(backend) { c in
            let path = try c.path("snapshot/snapshot-1")
            try await c.io.write(path, Array("first".utf8), overwrite: false)
            await #expect {
                try await c.io.write(path, Array("second".utf8), overwrite: false)
            } throws: { ($0 as? FileIOError)?.kind == .alreadyExists }
            #expect(try await c.io.readAll(path) == Array("first".utf8))
        }
    }

    @Test(arguments: backends)
    func overwriteReplacesTheWholeContent(_ backend: ContractBackend) async throws {
        try await with(backend) { c in
            let path = try c.path("LATEST")
            try await c.io.write(path, Array("1234567890".utf8), overwrite: true)
            try await c.io.write(path, Array("7".utf8), overwrite: true)
            #expect(try await c.io.readAll(path) == Array("7".utf8))
        }
    }

    @Test(arguments: backends)
    func nothingIsVisibleBeforeCloseAndAbortLeavesNothing(_ backend: ContractBackend) async throws {
        try await with(backend) { c in
            let dir = try c.path("staging")
            let path = try dir.appending("part-0")
            let writer = try await c.io.create(path, overwrite: false)
            try await writer.write(testBytes(count: 50_000, seed: 2))
            #expect(try await !c.io.exists(path))
            #expect(try await c.io.listAll(dir, recursive: true).files.isEmpty)
            try await writer.close()
            #expect(try await c.io.status(path).size == 50_000)

            let aborted = try dir.appending("part-1")
            let second = try await c.io.create(aborted, overwrite: false)
            try await second.write(testBytes(count: 10_000, seed: 3))
            await second.abort()
            await second.abort()
            #expect(try await !c.io.exists(aborted))
            #expect(try await c.io.listAll(dir, recursive: true).files.map(\.path) == [path])
        }
    }

    @Test(arguments: backends)
    func concurrentCreateIfAbsentHasExactlyOneWinner(_ backend: ContractBackend) async throws {
        try await with(backend) { c in
            guard c.io.capabilities.atomicCreateIfAbsent else { return }
            for round in 0..<5 {
                let path = try c.path("race/snapshot-\(round)")
                let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
                    for writer in 0..<16 {
                        group.addTask {
                            do {
                                try await c.io.write(path, Array("writer \(writer)".utf8), overwrite: false)
                                return (writer, true)
                            } catch {
                                return (writer, false)
                            }
                        }
                    }
                    return await group.reduce(into: [(Int, Bool)]()) { $0.append($1) }
                }
                let winners = outcomes.filter(\.1).map(\.0)
                #expect(winners.count == 1, "round \(round): winners \(winners)")
                if let winner = winners.first {
                    #expect(try await c.io.readAll(path) == Array("writer \(winner)".utf8))
                }
            }
        }
    }

    @Test(arguments: backends)
    func listingOrdersPagesAndFilters(_ backend: ContractBackend) async throws {
        try await with(backend) { c in
            let dir = try c.path("t")
            for key in ["a/1", "a/2", "a/b/x", "a/b/y/z", "a.txt", "c", "data-2", "data-10"] {
                try await c.io.write(try dir.appending(key), Array(key.utf8), overwrite: false)
            }
            let top = try await c.io.listAll(dir, recursive: false)
            #expect(top.files.map { $0.path.relative(to: dir)! } == ["a.txt", "c", "data-10", "data-2"])
            #expect(top.directories.map { $0.relative(to: dir)! } == ["a"])
            #expect(top.files.first { $0.path.name == "c" }?.size == 1)

            let all = try await c.io.listAll(dir, recursive: true)
            #expect(all.files.map { $0.path.relative(to: dir)! } == ["a.txt", "a/1", "a/2", "a/b/x", "a/b/y/z", "c", "data-10", "data-2"])
            #expect(all.directories.isEmpty)

            let filtered = try await c.io.listAll(dir, recursive: false, namePrefix: "data-")
            #expect(filtered.files.map { $0.path.name } == ["data-10", "data-2"])

            // Pages of 3 cover everything once, in order.
            var seen: [String] = []
            var token: String? = nil
            var pages = 0
            repeat {
                let page = try await c.io.list(dir, options: ListOptions(recursive: true, pageToken: token, limit: 3))
                #expect(page.files.count <= 3)
                seen += page.files.map { $0.path.relative(to: dir)! }
                token = page.nextPageToken
                pages += 1
            } while token != nil && pages < 10
            #expect(seen == all.files.map { $0.path.relative(to: dir)! })
            #expect(pages == 3)

            #expect(try await c.io.listAll(try c.path("missing"), recursive: true).files.isEmpty)
            await #expect(throws: FileIOError.self) {
                _ = try await c.io.list(dir, options: ListOptions(limit: 0))
            }
        }
    }

    @Test(arguments: backends)
    func statusOfMissingAndOfDirectories(_ backend: ContractBackend) async throws {
        try await with(backend) { c in
            let missing = try c.path("nope")
            await #expect { _ = try await c.io.status(missing) } throws: { ($0 as? FileIOError)?.kind == .notFound }
            await #expect { _ = try await c.io.openForReading(missing) } throws: { ($0 as? FileIOError)?.kind == .notFound }
            try await c.io.write(try c.path("d/e/f"), [1, 2, 3], overwrite: false)
            #expect(try await c.io.status(try c.path("d")).isDirectory)
            #expect(try await c.io.exists(try c.path("d/e")))
            await #expect { _ = try await c.io.openForReading(try c.path("d")) } throws: {
                [.isDirectory, .notFound].contains(($0 as? FileIOError)?.kind)
            }
        }
    }

    @Test(arguments: backends)
    func deleteFilesAndTrees(_ backend: ContractBackend) async throws {
        try await with(backend) { c in
            let file = try c.path("x/file")
            try await c.io.write(file, [9], overwrite: false)
            try await c.io.write(try c.path("x/sub/deep"), [8], overwrite: false)
            #expect(try await c.io.delete(file, recursive: false))
            #expect(try await !c.io.delete(file, recursive: false))
            #expect(try await !c.io.exists(file))
            let dir = try c.path("x")
            if c.io.capabilities.directories {
                await #expect(throws: FileIOError.self) { _ = try await c.io.delete(dir, recursive: false) }
            }
            #expect(try await c.io.delete(dir, recursive: true))
            #expect(try await c.io.listAll(dir, recursive: true).files.isEmpty)
            #expect(try await !c.io.exists(try c.path("x/sub/deep")))
        }
    }

    @Test(arguments: backends)
    func renameWhereSupported(_ backend: ContractBackend) async throws {
        try await with(backend) { c in
            let source = try c.path("tmp/a")
            let target = try c.path("final/a")
            try await c.io.write(source, [1, 2], overwrite: false)
            guard c.io.capabilities.rename else {
                await #expect { try await c.io.rename(source, to: target) } throws: { ($0 as? FileIOError)?.kind == .unsupported }
                return
            }
            try await c.io.rename(source, to: target)
            #expect(try await !c.io.exists(source))
            #expect(try await c.io.readAll(target) == [1, 2])
            try await c.io.write(source, [3], overwrite: false)
            await #expect { try await c.io.rename(source, to: target) } throws: { ($0 as? FileIOError)?.kind == .alreadyExists }
            #expect(try await c.io.readAll(target) == [1, 2])
            await #expect { try await c.io.rename(try c.path("tmp/none"), to: try c.path("final/b")) } throws: {
                ($0 as? FileIOError)?.kind == .notFound
            }
        }
    }

    @Test(arguments: backends)
    func largeStreamedWriteAndSequentialRead(_ backend: ContractBackend) async throws {
        try await with(backend) { c in
            let path = try c.path("big/object")
            let chunk = 1 << 20
            let writer = try await c.io.create(path, overwrite: false)
            let expected = StreamingDigest(.sha256)
            for index in 0..<12 {
                let bytes = testBytes(count: chunk, seed: UInt64(100 + index))
                expected.update(bytes)
                try await writer.write(bytes)
            }
            try await writer.close()
            let file = try await c.io.openForReading(path)
            #expect(file.size == Int64(12 * chunk))
            let actual = StreamingDigest(.sha256)
            var offset: Int64 = 0
            while offset < file.size {
                let bytes = try await file.read(at: offset, count: 3 * chunk / 2)
                actual.update(bytes)
                offset += Int64(bytes.count)
            }
            await file.close()
            #expect(actual.finish() == expected.finish())
        }
    }

    @Test(arguments: backends)
    func keysWithSpacesUnicodeAndPunctuation(_ backend: ContractBackend) async throws {
        try await with(backend) { c in
            let names = ["dir with space/naïve+plus%25=eq$dollar.txt", "dt=2024-01-01/bucket-0/data-ü.parquet", "k&amp;<x>"]
            for name in names {
                try await c.io.write(try c.path(name), Array(name.utf8), overwrite: false)
            }
            for name in names {
                #expect(try await c.io.readAll(try c.path(name)) == Array(name.utf8))
            }
            let listed = try await c.io.listAll(c.root, recursive: true).files.map { $0.path.relative(to: c.root)! }
            #expect(Set(listed) == Set(names))
        }
    }

    @Test(arguments: backends)
    func mkdirsThenCreateInside(_ backend: ContractBackend) async throws {
        try await with(backend) { c in
            let dir = try c.path("m/n/o")
            try await c.io.mkdirs(dir)
            try await c.io.mkdirs(dir)
            try await c.io.write(try dir.appending("f"), [7], overwrite: false)
            #expect(try await c.io.readAll(try dir.appending("f")) == [7])
        }
    }
}
