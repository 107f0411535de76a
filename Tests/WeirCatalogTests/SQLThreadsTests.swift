import Foundation
import Synchronization
import Testing
import WeirCatalog
import WeirTestSupport

/// Transactions hold locks (SQLite's write lock, PostgreSQL's row locks) and a deadline across their suspension
/// points, so they must keep running when Swift's cooperative pool is held by CPU-bound work; otherwise another
/// connection waits for a lock whose holder cannot run, or the deadline passes. On PostgreSQL the connection a
/// transaction leases is opened by the pool's run loop, which must keep running too.
@Suite(.postgres) struct SQLThreadsTests {
    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    /// The calling thread's name, as Linux keeps it.
    static func threadName() -> String {
        ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "?").trimmingCharacters(in: .newlines)
    }

    @Test(arguments: StoreKind.allCases) func aTransactionGoesOnWhileEveryCooperativeThreadIsBlocked(kind: StoreKind) async throws {
        let scratch = try Scratch("sql-threads"); defer { scratch.remove() }
        let setup = try await StoreFactory.backend(kind, label: "threads", scratch: scratch)
        try await setup.transaction { tx in try await tx.execute("CREATE TABLE t (id BIGINT PRIMARY KEY)", []) }
        // A backend of its own that has opened no connection yet: on PostgreSQL its first lease needs the pool's run loop.
        let backend: any SQLBackend
        if let sqlite = setup as? SQLiteBackend { backend = try SQLiteBackend(path: sqlite.path) } else {
            let postgres = setup as! PostgresBackend
            backend = PostgresBackend(location: postgres.location, transactionTimeoutMs: 120_000)
        }
        // As many blockers as the cooperative pool has threads; each holds its thread (usleep, not Task.sleep) until all
        // have started, then until the transaction has committed or `capMs` has passed, so all of them hold the pool at
        // once until then. Without the SQL threads the transaction can only end after the cap; the cap is long so that
        // a loaded machine, where opening a PostgreSQL connection can take seconds, does not fail the test.
        let width = ProcessInfo.processInfo.activeProcessorCount
        let started = Counter()
        let committed = Counter()
        let capMs: Int64 = 60_000
        let clock = ContinuousClock()
        // Waits (on the SQL threads, like any code a transaction's caller runs there) until every cooperative thread is
        // blocked, then opens the transaction: its lease, statements and commit each need a thread to resume on.
        let transaction = Task(executorPreference: SQLThreads.shared) { @Sendable () async throws -> (done: ContinuousClock.Instant, threads: Set<String>) in
            while started.value.load(ordering: .acquiring) < width { try await Task.sleep(for: .milliseconds(2)) }
            let result = try await backend.transaction { tx in
                var threads: Set<String> = [Self.threadName()]
                try await tx.execute("INSERT INTO t (id) VALUES (1)", [])
                threads.insert(Self.threadName())
                try await Task.sleep(for: .milliseconds(20))
                try await tx.execute("INSERT INTO t (id) VALUES (2)", [])
                threads.insert(Self.threadName())
                return (clock.now, threads)
            }
            committed.value.store(1, ordering: .releasing)
            return result
        }
        let ends = await withTaskGroup(of: ContinuousClock.Instant.self) { group in
            for _ in 0..<width {
                group.addTask {
                    started.value.add(1, ordering: .releasing)
                    while started.value.load(ordering: .acquiring) < width { usleep(1_000) }
                    let cap = clock.now + .milliseconds(capMs)
                    while committed.value.load(ordering: .acquiring) == 0, clock.now < cap { usleep(1_000) }
                    return clock.now
                }
            }
            return await group.reduce(into: [ContinuousClock.Instant]()) { $0.append($1) }
        }
        let result = try await transaction.value
        let firstEnd = ends.min()!
        #expect(result.done < firstEnd, "the transaction ended \(result.done - firstEnd) after the first blocker let go of its thread")
        #expect(result.threads.allSatisfy { $0.hasPrefix(SQLThreads.shared.namePrefix) }, "\(result.threads)")
        let rows = try await setup.transaction { tx in try await tx.query("SELECT id FROM t ORDER BY id", []) }
        #expect(rows.count == 2)
        await backend.close()
        await setup.close()
    }
}
