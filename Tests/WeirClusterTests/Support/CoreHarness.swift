import Foundation
import WeirProtocol
@testable import WeirCluster

/// Drives a ``SchedulerCore`` with a hand-moved clock and picks the directives apart.
struct CoreHarness {
    var core: SchedulerCore
    var now: Int64 = 1_000_000

    init(heartbeatTimeoutMs: Int64 = 1_000, attemptsMax: UInt64 = 3, finishedJobsKeptMax: Int = 256) {
        core = SchedulerCore(configuration: .init(heartbeatTimeoutMs: heartbeatTimeoutMs, attemptsMax: attemptsMax,
                                                  finishedJobsKeptMax: finishedJobsKeptMax))
    }

    @discardableResult
    mutating func on(_ event: SchedulerEvent) -> [SchedulerDirective] {
        core.handle(event, nowMs: now)
    }

    mutating func advance(_ ms: Int64) { now += ms }

    @discardableResult
    mutating func register(_ workerId: String, _ connection: UInt64, slots: UInt64 = 2, running: [TaskRef] = []) -> [SchedulerDirective] {
        on(.workerRegistered(ConnectionID(connection), Register(workerId: workerId, slots: slots, shuffleAddress: nil, running: running),
                             address: "127.0.0.1:\(40000 + connection)"))
    }

    static func job(_ id: String, state: JobState = .queued, stage: Int = 0) -> JobRecord {
        JobRecord(id: id, kind: "test", spec: Array("{}".utf8), state: state, stage: stage, commitUser: "user-\(id)", commitIdentifier: .max,
                  createdMs: 1, updatedMs: 1, message: nil)
    }

    static func tasks(_ ids: [String]) -> [PlannedTask] {
        ids.map { PlannedTask(taskId: $0, kind: "work", spec: Array($0.utf8)) }
    }

    /// Submits a job and plans its first stage with `taskIds`.
    @discardableResult
    mutating func start(_ jobId: String, _ taskIds: [String]) -> [SchedulerDirective] {
        on(.jobSubmitted(Self.job(jobId)))
        return on(.stagePlanned(jobId: jobId, stage: 1, tasks: Self.tasks(taskIds)))
    }

    @discardableResult
    mutating func succeed(_ connection: UInt64, _ ref: TaskRef, _ result: String = "ok") -> [SchedulerDirective] {
        on(.taskResult(ConnectionID(connection), TaskResult(task: ref, status: .succeeded, result: Array(result.utf8), error: nil, retryable: false)))
    }

    @discardableResult
    mutating func fail(_ connection: UInt64, _ ref: TaskRef, retryable: Bool, _ error: String = "boom") -> [SchedulerDirective] {
        on(.taskResult(ConnectionID(connection), TaskResult(task: ref, status: .failed, result: [], error: error, retryable: retryable)))
    }

    func task(_ jobId: String, _ taskId: String) -> TaskRecord? { core.jobs[jobId]?.tasks[taskId] }

    func state(_ jobId: String) -> JobState? { core.record(jobId)?.state }
}

/// (connection, attempt) of every `assignTask` in `directives`, in order.
func assignments(_ directives: [SchedulerDirective]) -> [(connection: UInt64, ref: TaskRef)] {
    directives.compactMap {
        if case .send(let c, .assignTask(let a)) = $0 { return (c.raw, a.task) }
        return nil
    }
}

func cancels(_ directives: [SchedulerDirective]) -> [(connection: UInt64, ref: TaskRef)] {
    directives.compactMap {
        if case .send(let c, .cancelTask(let ref)) = $0 { return (c.raw, ref) }
        return nil
    }
}

func writes(_ directives: [SchedulerDirective]) -> [StoreWrite] {
    directives.compactMap {
        if case .persist(let w) = $0 { return w }
        return nil
    }
}

func plans(_ directives: [SchedulerDirective]) -> [(jobId: String, stage: Int, previous: [String])] {
    directives.compactMap {
        if case .plan(let job, let stage, let previous) = $0 { return (job.id, stage, previous.map(\.taskId)) }
        return nil
    }
}

func commits(_ directives: [SchedulerDirective]) -> [(jobId: String, tasks: [String])] {
    directives.compactMap {
        if case .commit(let job, let tasks) = $0 { return (job.id, tasks.map(\.taskId)) }
        return nil
    }
}

func abandons(_ directives: [SchedulerDirective]) -> [String] {
    directives.compactMap {
        if case .abandon(let job, _) = $0 { return job.id }
        return nil
    }
}

func closes(_ directives: [SchedulerDirective]) -> [UInt64] {
    directives.compactMap {
        if case .close(let c, _) = $0 { return c.raw }
        return nil
    }
}

func registeredAnswer(_ directives: [SchedulerDirective]) -> Registered? {
    for d in directives { if case .send(_, .registered(let r)) = d { return r } }
    return nil
}

func ref(_ jobId: String, _ taskId: String, _ attempt: UInt64) -> TaskRef {
    TaskRef(jobId: jobId, taskId: taskId, attempt: attempt)
}
