import Synchronization

/// A ``ClusterStore`` in memory, with the same rules as ``SQLClusterStore`` (for tests and for a coordinator that
/// need not survive a restart). Every method is atomic under one lock.
public final class MemoryClusterStore: ClusterStore {
    struct State {
        var jobs: [String: JobRecord] = [:]
        /// Job ids in creation order.
        var order: [String] = []
        /// Tasks per job, in (stage, planned position) order.
        var tasks: [String: [TaskRecord]] = [:]
    }

    let state = Mutex(State())

    public init() {}

    public func createJob(_ job: JobRecord) async throws {
        try state.withLock { s in
            guard s.jobs[job.id] == nil else { throw ClusterStoreError(.jobExists, "a job with id \(job.id) exists already") }
            s.jobs[job.id] = job
            s.order.append(job.id)
        }
    }

    public func job(_ id: String) async throws -> JobRecord? {
        state.withLock { $0.jobs[id] }
    }

    public func jobs(limit: Int) async throws -> [JobRecord] {
        state.withLock { s in s.order.reversed().prefix(max(0, limit)).compactMap { s.jobs[$0] } }
    }

    public func unfinishedJobs() async throws -> [JobRecord] {
        state.withLock { s in s.order.compactMap { s.jobs[$0] }.filter { !$0.state.isFinal } }
    }

    public func updateJob(_ id: String, state newState: JobState, stage: Int, message: String?, nowMs: Int64) async throws {
        try state.withLock { s in
            guard var job = s.jobs[id] else { throw ClusterStoreError(.noSuchJob, "no job with id \(id)") }
            job.state = newState
            job.stage = stage
            job.message = message
            job.updatedMs = nowMs
            s.jobs[id] = job
        }
    }

    public func addTasks(jobId: String, stage: Int, _ planned: [PlannedTask], nowMs: Int64) async throws {
        state.withLock { s in
            var list = s.tasks[jobId] ?? []
            var known = Set(list.map(\.taskId))
            for task in planned where !known.contains(task.taskId) {
                known.insert(task.taskId)
                list.append(TaskRecord(jobId: jobId, taskId: task.taskId, stage: stage, kind: task.kind, spec: task.spec, state: .pending,
                                       attempt: 0, workerId: nil, result: nil, error: nil, rows: 0, bytes: 0, updatedMs: nowMs))
            }
            s.tasks[jobId] = list
        }
    }

    public func tasks(jobId: String) async throws -> [TaskRecord] {
        state.withLock { $0.tasks[jobId] ?? [] }
    }

    public func assign(jobId: String, taskId: String, workerId: String, nowMs: Int64) async throws -> UInt64? {
        state.withLock { s in
            s.update(jobId, taskId) { task -> UInt64? in
                guard task.state == .pending else { return nil }
                task.state = .assigned
                task.attempt += 1
                task.workerId = workerId
                task.updatedMs = nowMs
                return task.attempt
            } ?? nil
        }
    }

    public func finish(jobId: String, taskId: String, attempt: UInt64, state newState: TaskState, result: [UInt8]?, error: String?,
                       nowMs: Int64) async throws -> Bool {
        precondition(newState == .succeeded || newState == .failed || newState == .pending,
                     "finish moves an attempt to succeeded, failed or pending, not \(newState)")
        return state.withLock { s in
            s.update(jobId, taskId) { task -> Bool in
                guard task.state == .assigned, task.attempt == attempt else { return false }
                task.state = newState
                task.result = result
                task.error = error
                task.updatedMs = nowMs
                if newState == .pending { task.workerId = nil }
                return true
            } ?? false
        }
    }

    public func updateProgress(jobId: String, taskId: String, attempt: UInt64, rows: UInt64, bytes: UInt64) async throws {
        state.withLock { s in
            _ = s.update(jobId, taskId) { task in
                guard task.state == .assigned, task.attempt == attempt else { return }
                task.rows = rows
                task.bytes = bytes
            }
        }
    }

    public func releaseTasks(ofWorker workerId: String, nowMs: Int64) async throws -> Int {
        state.withLock { s in
            var released = 0
            for (jobId, list) in s.tasks {
                var list = list
                for i in list.indices where list[i].state == .assigned && list[i].workerId == workerId {
                    list[i].state = .pending
                    list[i].workerId = nil
                    list[i].updatedMs = nowMs
                    released += 1
                }
                s.tasks[jobId] = list
            }
            return released
        }
    }

    public func cancelTasks(jobId: String, nowMs: Int64) async throws {
        state.withLock { s in
            guard var list = s.tasks[jobId] else { return }
            for i in list.indices where list[i].state == .pending || list[i].state == .assigned {
                list[i].state = .cancelled
                list[i].updatedMs = nowMs
            }
            s.tasks[jobId] = list
        }
    }
}

extension MemoryClusterStore.State {
    /// Applies `body` to one task; nil when there is no such task.
    mutating func update<T>(_ jobId: String, _ taskId: String, _ body: (inout TaskRecord) -> T) -> T? {
        guard var list = tasks[jobId], let index = list.firstIndex(where: { $0.taskId == taskId }) else { return nil }
        let value = body(&list[index])
        tasks[jobId] = list
        return value
    }
}
