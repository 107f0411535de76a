import WeirProtocol

/// The coordinator's decisions, pure: no I/O, no clock (every event comes with `nowMs`), no randomness. The
/// shell (``Scheduler`` and ``Coordinator``) feeds it ``SchedulerEvent``s and executes the ``SchedulerDirective``s it
/// returns, in order.
///
/// What it keeps:
/// - the worker registry: per worker its connection, slots, last heartbeat, the attempts assigned to it, and the
///   attempts it was told to cancel and has not confirmed (they still take a slot);
/// - the unfinished jobs with all their tasks, and a bounded list of recently finished ones.
///
/// Rules:
/// - Assignment: pending tasks of running jobs, oldest job first and in planned order, go to the worker with the
///   most free slots (ties: fewer busy slots, then the smaller id), preferring a worker other than the one whose
///   attempt failed before. Each assignment is a new attempt number.
/// - Only a result of the current attempt, from the worker it is assigned to, counts; anything else is dropped.
/// - A worker is dead when its connection closes or no heartbeat came for `heartbeatTimeoutMs`; its attempts go
///   back to pending. An attempt that ends without success (worker lost, retryable failure, cancelled on the
///   worker) is retried until the task has had `attemptsMax` attempts; then the task and its job fail. A
///   non-retryable failure fails the job at once. A failed or cancelled job's running attempts are cancelled.
/// - Reconnect: a worker that registers again (new connection, or after a coordinator restart) reports its
///   running attempts; those still assigned to it are kept, the others are cancelled (`Registered.cancel`), and
///   attempts assigned to it that it did not report go back to pending. Registering again on the same connection
///   follows the same rule and changes the worker's slots (a draining worker registers with none).
/// - Restart: tasks that were assigned stay with their worker, which is awaited as if it had just sent a
///   heartbeat; if it does not register within `heartbeatTimeoutMs` they go back to pending. Succeeded tasks are
///   never run again; a job that was committing commits again.
/// - Stages: when every task of the current stage succeeded, the driver plans the next one; when it has none,
///   the job commits. A job being committed can no longer be cancelled.
struct SchedulerCore {
    struct Configuration: Sendable {
        /// How long a worker may stay silent before it counts as dead, in milliseconds.
        var heartbeatTimeoutMs: Int64
        /// The most attempts a task gets (the first run included).
        var attemptsMax: UInt64
        /// How many finished jobs the core remembers for status and lookups.
        var finishedJobsKeptMax: Int = 256
    }

    struct WorkerEntry: Equatable {
        let id: String
        /// nil: a worker that held attempts before a coordinator restart and has not registered yet.
        var connection: ConnectionID?
        var address: String?
        var slots: Int
        var lastHeartbeatMs: Int64
        /// Current attempts the coordinator assigned to this worker.
        var assigned: Set<TaskRef> = []
        /// Attempts the worker was told to cancel and has not reported as ended.
        var draining: Set<TaskRef> = []

        var busy: Int { assigned.count + draining.count }
        var free: Int { connection == nil ? 0 : max(0, slots - busy) }
    }

    enum Phase: Equatable {
        /// The driver is planning this stage.
        case planning(stage: Int)
        /// The tasks of `record.stage` run.
        case running
        case committing
    }

    struct JobEntry {
        var record: JobRecord
        var tasks: [String: TaskRecord] = [:]
        /// Task ids in (stage, planned position) order.
        var order: [String] = []
        var pending = TaskQueue()
        var phase: Phase
        /// Tasks of the current stage that have not succeeded yet.
        var remaining = 0
        /// The worker of each task's last unsuccessful attempt (avoided for the retry when possible).
        var lastWorker: [String: String] = [:]

        func succeeded(before stage: Int) -> [TaskRecord] {
            order.compactMap { tasks[$0] }.filter { $0.state == .succeeded && $0.stage < stage }
        }

        var orderedTasks: [TaskRecord] { order.compactMap { tasks[$0] } }
    }

    let configuration: Configuration
    var workers: [String: WorkerEntry] = [:]
    var connections: [ConnectionID: String] = [:]
    var jobs: [String: JobEntry] = [:]
    /// Unfinished job ids, oldest first.
    var jobOrder: [String] = []
    /// Recently finished jobs, oldest first, at most `finishedJobsKeptMax`.
    var finished: [(record: JobRecord, status: JobStatus)] = []
    var heartbeatSequence: UInt64 = 0

    init(configuration: Configuration) {
        precondition(configuration.attemptsMax >= 1, "a task needs at least one attempt")
        self.configuration = configuration
    }

    mutating func handle(_ event: SchedulerEvent, nowMs now: Int64) -> [SchedulerDirective] {
        var out: [SchedulerDirective] = []
        switch event {
        case .workerRegistered(let connection, let register, let address):
            registerWorker(connection, register, address: address, now, &out)
        case .heartbeat(let connection, let heartbeat):
            receiveHeartbeat(connection, heartbeat, now, &out)
        case .taskProgress(let connection, let progress):
            receiveProgress(connection, progress, &out)
        case .taskResult(let connection, let result):
            receiveResult(connection, result, now, &out)
        case .connectionClosed(let connection):
            if let id = connections.removeValue(forKey: connection) { workerDied(id, reason: "its connection closed", now, &out) }
        case .tick:
            tick(now, &out)
        case .jobSubmitted(let record):
            submit(record, &out)
        case .jobResumed(let record, let tasks):
            resume(record, tasks, now, &out)
        case .stagePlanned(let jobId, let stage, let tasks):
            stagePlanned(jobId, stage, tasks, now, &out)
        case .planningFailed(let jobId, let stage, let error):
            if case .planning(stage)? = jobs[jobId]?.phase {
                endJob(jobId, .failed, message: "planning stage \(stage) failed: \(error)", now, &out)
            }
        case .committed(let jobId, let report):
            committed(jobId, report, now, &out)
        case .commitFailed(let jobId, let error):
            if jobs[jobId]?.phase == .committing { endJob(jobId, .failed, message: "commit failed: \(error)", now, &out) }
        case .cancelJob(let jobId):
            if let job = jobs[jobId], job.phase != .committing { endJob(jobId, .cancelled, message: "cancelled", now, &out) }
        }
        schedule(now, &out)
        return out
    }

    // MARK: - Assignment

    mutating func schedule(_ now: Int64, _ out: inout [SchedulerDirective]) {
        guard workers.values.contains(where: { $0.free > 0 }) else { return }
        for jobId in jobOrder where jobs[jobId]?.phase == .running {
            while let taskId = jobs[jobId]!.pending.peek() {
                guard jobs[jobId]!.tasks[taskId]?.state == .pending else {
                    _ = jobs[jobId]!.pending.pop()
                    continue
                }
                guard let workerId = pickWorker(avoiding: jobs[jobId]!.lastWorker[taskId]) else { return }
                _ = jobs[jobId]!.pending.pop()
                assign(jobId, taskId, to: workerId, now, &out)
            }
        }
    }

    /// The worker with the most free slots (ties: fewer busy, then the smaller id), other than `avoided` if any other has room.
    func pickWorker(avoiding avoided: String?) -> String? {
        var best: WorkerEntry?
        var bestAvoided: WorkerEntry?
        for worker in workers.values where worker.free > 0 {
            if worker.id == avoided {
                bestAvoided = worker
            } else if best.map({ Self.better(worker, than: $0) }) ?? true {
                best = worker
            }
        }
        return (best ?? bestAvoided)?.id
    }

    static func better(_ a: WorkerEntry, than b: WorkerEntry) -> Bool {
        if a.free != b.free { return a.free > b.free }
        if a.busy != b.busy { return a.busy < b.busy }
        return a.id < b.id
    }

    mutating func assign(_ jobId: String, _ taskId: String, to workerId: String, _ now: Int64, _ out: inout [SchedulerDirective]) {
        guard let connection = workers[workerId]?.connection, var task = jobs[jobId]?.tasks[taskId] else { return }
        if task.attempt >= configuration.attemptsMax {
            // Only reachable with a store written by a coordinator with a higher limit.
            failTask(jobId, taskId, error: "no attempts left (\(task.attempt) of \(configuration.attemptsMax) made)", now, &out)
            return
        }
        task.attempt += 1
        task.state = .assigned
        task.workerId = workerId
        task.updatedMs = now
        jobs[jobId]!.tasks[taskId] = task
        let ref = TaskRef(jobId: jobId, taskId: taskId, attempt: task.attempt)
        workers[workerId]!.assigned.insert(ref)
        out.append(.persist(.assign(jobId: jobId, taskId: taskId, workerId: workerId, attempt: task.attempt, nowMs: now)))
        out.append(.send(connection, .assignTask(TaskAssignment(task: ref, kind: task.kind, spec: task.spec))))
    }
}

/// Task ids waiting for a slot, first in first out. An id may be stale (its task no longer pending): the reader skips it.
struct TaskQueue: Equatable {
    private var items: [String] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }

    mutating func push(_ id: String) { items.append(id) }

    func peek() -> String? { head < items.count ? items[head] : nil }

    mutating func pop() -> String? {
        guard head < items.count else { return nil }
        defer {
            head += 1
            if head > 64 && head * 2 > items.count {
                items.removeFirst(head)
                head = 0
            }
        }
        return items[head]
    }
}

extension TaskRef {
    /// Job id, task id, attempt: the order lists of attempts are sent and shown in.
    static func ordered(_ a: TaskRef, _ b: TaskRef) -> Bool {
        (a.jobId, a.taskId, a.attempt) < (b.jobId, b.taskId, b.attempt)
    }
}

extension Collection where Element == TaskRef {
    func sortedRefs() -> [TaskRef] { sorted(by: TaskRef.ordered) }
}
