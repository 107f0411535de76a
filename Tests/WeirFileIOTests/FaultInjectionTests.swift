import Foundation
import Synchronization
import Testing
import WeirCodecs
import WeirFileIO
import WeirTestSupport

/// Retries recover from injected transient faults; failures that are not recovered leave nothing visible.
@Suite struct FaultInjectionTests {
    /// A retry policy with no real waiting, recording the waits it would make.
    static func instantPolicy(attempts: Int = 8) -> RetryPolicy {
        RetryPolicy(attemptsMax: attempts, delayBaseMs: 10, delayMaxMs: 200, sleep: { _ in })
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func retriesRecoverFromTransientErrorsAndCutShortReads(seed: UInt64) async throws {
        let memory = MemoryFileIO()
        let root = try StoragePath(parsing: "memory://faults/seed-\(seed)")
        let faulty = FaultInjectingFileIO(memory, seed: seed, rules: [
            .init(.status, .fail(.transient), probability: 0.5),
            .init(.open, .fail(.transient), probability: 0.5),
            .init(.read, .truncateRead, probability: 0.3),
            .init(.read, .fail(.transient), probability: 0.2),
            .init(.list, .fail(.transient), budget: 2),
            .init(.create, .fail(.transient), probability: 0.5),
            .init(.read, .delayMs(1), probability: 0.2),
        ])
        let retries = Mutex(0)
        let io = RetryingFileIO(faulty, policy: Self.instantPolicy(attempts: 30), onRetry: { _, _ in retries.withLock { $0 += 1 } })
        var expected: [String: [UInt8]] = [:]
        for index in 0..<20 {
            let path = try root.appending("file-\(index)")
            let bytes = testBytes(count: 1_000 + index * 997, seed: seed &* 31 &+ UInt64(index))
            try await io.write(path, bytes, overwrite: false)
            expected[path.key] = bytes
        }
        for (key, bytes) in expected {
            let path = try StoragePath(scheme: "memory", authority: "faults", key: key)
            #expect(try await io.status(path).size == Int64(bytes.count))
            #expect(try await io.readAll(path) == bytes)
        }
        #expect(try await io.listAll(root, recursive: true).files.count == 20)
        let injected = faulty.injectedCounts
        #expect((injected[.read] ?? 0) > 0 && (injected[.status] ?? 0) > 0 && (injected[.list] ?? 0) > 0)
        #expect(retries.withLock { $0 } > 10)
    }

    @Test func retriesStopAtTheLimitAndSurfaceTheError() async throws {
        let faulty = FaultInjectingFileIO(MemoryFileIO(), seed: 7, rules: [.init(.status, .fail(.transient))])
        let attempts = Mutex(0)
        let io = RetryingFileIO(faulty, policy: Self.instantPolicy(attempts: 4), onRetry: { _, _ in attempts.withLock { $0 += 1 } })
        await #expect { _ = try await io.status(try StoragePath(parsing: "memory://v/k")) } throws: {
            ($0 as? FileIOError)?.kind == .transient
        }
        #expect(attempts.withLock { $0 } == 3)
        #expect(faulty.injectedCounts[.status] == 4)
    }

    @Test func permanentErrorsAreNotRetried() async throws {
        let faulty = FaultInjectingFileIO(MemoryFileIO(), seed: 7, rules: [.init(.status, .fail(.permissionDenied))])
        let io = RetryingFileIO(faulty, policy: Self.instantPolicy())
        await #expect { _ = try await io.status(try StoragePath(parsing: "memory://v/k")) } throws: {
            ($0 as? FileIOError)?.kind == .permissionDenied
        }
        #expect(faulty.injectedCounts[.status] == 1)
    }

    @Test func backoffGrowsAndIsCapped() {
        let policy = RetryPolicy(attemptsMax: 10, delayBaseMs: 100, delayMaxMs: 1_000, sleep: { _ in })
        var generator = SplitMix64(seed: 5)
        for retry in 1...10 {
            let ceiling = min(1_000, 100 << (retry - 1))
            for _ in 0..<50 {
                let delay = policy.delayMs(beforeRetry: retry, using: &generator)
                #expect((0...ceiling).contains(delay))
            }
        }
        // Jitter: the draws for one retry are not all equal.
        let draws = Set((0..<20).map { _ in policy.delayMs(beforeRetry: 4, using: &generator) })
        #expect(draws.count > 5)
    }

    /// A create-if-absent whose close fails (as a commit losing its connection) leaves neither the file nor a
    /// temp file behind, on local disk and in memory; a retry of the whole write then succeeds.
    @Test(arguments: [ContractBackend.local, .memory])
    func failedCreateIfAbsentLeavesNothingVisible(_ backend: ContractBackend) async throws {
        let context = try await backend.makeContext()
        defer { Task { await context.cleanUp() } }
        let faulty = FaultInjectingFileIO(context.io, seed: 11, rules: [.init(.close, .fail(.transient), budget: 1)])
        let path = try context.root.appending("snapshot/snapshot-1")
        await #expect { try await faulty.write(path, testBytes(count: 70_000, seed: 9), overwrite: false) } throws: {
            ($0 as? FileIOError)?.kind == .transient
        }
        #expect(try await !context.io.exists(path))
        #expect(try await context.io.listAll(context.root, recursive: true).files.isEmpty)
        if backend == .local {
            // No hidden temp file either.
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: path.parent.localPath)
            #expect(leftovers.isEmpty, "left behind: \(leftovers)")
        }
        // A failed write in the middle, aborted by the caller, leaves nothing either.
        faulty.setRules([.init(.write, .fail(.io), budget: 1)])
        await #expect(throws: FileIOError.self) {
            try await faulty.write(path, [1, 2, 3], overwrite: false)
        }
        #expect(try await !context.io.exists(path))
        faulty.setRules([])
        try await faulty.write(path, [4, 5, 6], overwrite: false)
        #expect(try await context.io.readAll(path) == [4, 5, 6])
    }

    @Test func latencyOnlySlowsDown() async throws {
        let faulty = FaultInjectingFileIO(MemoryFileIO(), seed: 3, rules: [.init(.status, .delayMs(20))])
        let path = try StoragePath(parsing: "memory://v/slow")
        try await faulty.write(path, [1], overwrite: false)
        let started = ContinuousClock.now
        #expect(try await faulty.status(path).size == 1)
        #expect(ContinuousClock.now - started >= .milliseconds(20))
    }
}
