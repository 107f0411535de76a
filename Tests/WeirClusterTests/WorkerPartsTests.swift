import Foundation
import Synchronization
import Testing
import WeirFileIO
import WeirProtocol
import WeirTestSupport
@testable import WeirCluster

/// The worker's and the coordinator's smaller parts: scratch directories, the attempt table, driver call order.
@Suite struct WorkerPartsTests {
    @Test func scratchDirectoryNamesCannotEscapeTheRoot() throws {
        let scratch = try Scratch("scratch-names"); defer { scratch.remove() }
        #expect(ScratchDirectories.safe("../../etc/passwd") == "______etc_passwd")
        #expect(ScratchDirectories.safe("") == "_")
        #expect(ScratchDirectories.safe(String(repeating: "a", count: 200)).count == 64)
        let directories = ScratchDirectories(root: scratch.path + "/worker")
        try FileManager.default.createDirectory(atPath: scratch.path + "/worker/attempt-left-over", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: scratch.path + "/worker/keep", withIntermediateDirectories: true)
        try directories.prepare()
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/worker") == ["keep"])
        let made = try directories.make(for: TaskRef(jobId: "../j", taskId: "t/1", attempt: 3))
        #expect((made as NSString).deletingLastPathComponent == scratch.path + "/worker")
        #expect((made as NSString).lastPathComponent.hasPrefix("attempt-___j-t_1-3-"))
        directories.remove(made)
        #expect(!FileManager.default.fileExists(atPath: made))
    }

    @Test func theAttemptTableHoldsResultsWhileDisconnectedAndCancelsQueuedAttemptsAtOnce() {
        let table = AttemptTable(progressIntervalMs: 1_000)
        let a = TaskAssignment(task: TaskRef(jobId: "j", taskId: "a", attempt: 1), kind: "k", spec: [])
        let b = TaskAssignment(task: TaskRef(jobId: "j", taskId: "b", attempt: 1), kind: "k", spec: [])
        #expect(table.accept(a) && table.accept(b))
        #expect(!table.accept(a))  // a duplicate
        #expect(table.start(a.task) == a)
        table.cancel(b.task)  // queued: ends at once, its result waits for a connection
        #expect(table.start(b.task) == nil)
        #expect(table.outboxCount == 1)
        table.finish(TaskResult(task: a.task, status: .succeeded, result: [1], error: nil, retryable: false))
        #expect(table.attemptCount == 0)
        #expect(table.heldAttempts == [a.task, b.task])
        guard case .register(let register) = table.registerMessage(workerId: "w", slots: 2) else { Issue.record("no register"); return }
        #expect(register.running == [a.task, b.task] && register.slots == 2)
        table.startDraining(workerId: "w")
        #expect(!table.accept(TaskAssignment(task: TaskRef(jobId: "j", taskId: "c", attempt: 1), kind: "k", spec: [])))
        #expect(table.outboxCount == 3)
    }

    @Test func driverCallsOfAJobRunInTicketOrder() async {
        let order = DriverCallOrder()
        final class Log: Sendable {
            let entries = Mutex<[String]>([])
        }
        let log = Log()
        let tickets = (0..<3).map { _ in order.ticket("j") }
        let other = order.ticket("k")
        await withDiscardingTaskGroup { group in
            for (i, ticket) in tickets.enumerated().reversed() {
                group.addTask {
                    await order.wait("j", ticket: ticket)
                    try? await Task.sleep(for: .milliseconds(5))
                    log.entries.withLock { $0.append("j\(i)") }
                    order.finish("j", ticket: ticket)
                }
            }
            group.addTask {
                await order.wait("k", ticket: other)
                order.finish("k", ticket: other)
            }
        }
        #expect(log.entries.withLock { $0 } == ["j0", "j1", "j2"])
        #expect(order.ticket("j") == 1)  // an idle job's line is forgotten
    }
}

/// Task executors run on the worker's own threads, not on Swift's cooperative pool: two CPU-bound slots on a
/// 2-core machine must not hold the threads the worker's session (heartbeats, messages) needs.
@Suite struct DedicatedThreadsTests {
    /// The calling thread's name, as Linux keeps it.
    static func currentThreadName() -> String {
        ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "?").trimmingCharacters(in: .newlines)
    }

    @Test func aTaskAndTheTasksItStartsRunOnTheDedicatedThreads() async throws {
        let threads = DedicatedThreads(namePrefix: "weir-test-", threads: 2)
        threads.start()
        let names = await Task(executorPreference: threads) { () async -> [String] in
            var names = [Self.currentThreadName()]
            await withTaskGroup(of: String.self) { group in
                for _ in 0..<8 { group.addTask { Self.currentThreadName() } }
                for await name in group { names.append(name) }
            }
            try? await Task.sleep(for: .milliseconds(5))
            names.append(Self.currentThreadName())
            return names
        }.value
        let outside = Self.currentThreadName()
        await threads.shutdown()
        #expect(names.count == 10)
        #expect(names.allSatisfy { $0.hasPrefix(threads.namePrefix) }, "\(names)")
        #expect(!outside.hasPrefix(threads.namePrefix))
    }

    @Test func jobsEnqueuedWhenThePoolIsNotRunningStillRun() async {
        let threads = DedicatedThreads(namePrefix: "weir-test-", threads: 1)
        let value = await Task(executorPreference: threads) { 6 * 7 }.value
        #expect(value == 42)
    }
}
