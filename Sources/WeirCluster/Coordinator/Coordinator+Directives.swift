import Logging
import WeirProtocol

extension Coordinator {
    /// The one consumer of the scheduler's directives: store writes are awaited one after another, in the order
    /// decided (so an assignment is stored before it is sent), sends and closes never wait, driver calls run as
    /// child tasks (off the event loops), one at a time per job and in order, and report back to the scheduler. Returns when the stream ends and the
    /// driver calls have finished.
    func executeDirectives() async {
        await withDiscardingTaskGroup { group in
            for await batch in directives {
                for directive in batch {
                    switch directive {
                    case .send(let connection, let message):
                        if case .assignTask(let assignment) = message {
                            ClusterMetrics.attempts.increment()
                            attemptStarts.withLock { starts in
                                if starts.count >= Self.attemptStartsMax { starts.removeAll() }
                                starts[assignment.task] = (assignment.kind, ContinuousClock.now)
                            }
                        }
                        connections.send(connection, message)
                    case .close(let connection, let reason):
                        logger.warning("closing a worker connection", metadata: ["reason": "\(reason)"])
                        connections.close(connection, reason: reason)
                    case .persist(let write):
                        if case .updateJob(_, let state, _, _, _) = write, state.isFinal { ClusterMetrics.jobsFinished(state.rawValue).increment() }
                        await persist(write)
                    case .plan(let job, let stage, let previous):
                        let ticket = driverCalls.ticket(job.id)
                        group.addTask { await self.inOrder(job.id, ticket) { await self.plan(job, stage: stage, previous: previous) } }
                    case .commit(let job, let tasks):
                        let ticket = driverCalls.ticket(job.id)
                        group.addTask { await self.inOrder(job.id, ticket) { await self.commit(job, tasks: tasks) } }
                    case .abandon(let job, let tasks):
                        logger.info("job ended", metadata: ["job": "\(job.id)", "state": "\(job.state.rawValue)", "message": "\(job.message ?? "")"])
                        let ticket = driverCalls.ticket(job.id)
                        group.addTask { await self.inOrder(job.id, ticket) { await self.drivers[job.kind]?.abandon(job: job, tasks: tasks) } }
                    }
                }
            }
        }
    }

    /// Runs a driver call after the job's earlier ones (see ``DriverCallOrder``).
    func inOrder(_ jobId: String, _ ticket: UInt64, _ call: () async -> Void) async {
        await driverCalls.wait(jobId, ticket: ticket)
        await call()
        driverCalls.finish(jobId, ticket: ticket)
    }

    func plan(_ job: JobRecord, stage: Int, previous: [TaskRecord]) async {
        guard let driver = drivers[job.kind] else {
            await scheduler.handle(.planningFailed(jobId: job.id, stage: stage, error: "this coordinator has no driver for job kind \(job.kind)"))
            return
        }
        do {
            let tasks = try await driver.plan(job: job, stage: stage, previous: previous)
            logger.info("stage planned", metadata: ["job": "\(job.id)", "stage": "\(stage)", "tasks": "\(tasks.map { "\($0.count)" } ?? "none: commit")"])
            await scheduler.handle(.stagePlanned(jobId: job.id, stage: stage, tasks: tasks))
        } catch {
            await scheduler.handle(.planningFailed(jobId: job.id, stage: stage, error: "\(error)"))
        }
    }

    /// Tries the driver's (idempotent) commit up to `commitAttemptsMax` times.
    func commit(_ job: JobRecord, tasks: [TaskRecord]) async {
        guard let driver = drivers[job.kind] else {
            await scheduler.handle(.commitFailed(jobId: job.id, error: "this coordinator has no driver for job kind \(job.kind)"))
            return
        }
        var lastError = ""
        for attempt in 1...max(1, configuration.commitAttemptsMax) {
            do {
                let report = try await driver.commit(job: job, tasks: tasks)
                logger.info("job committed", metadata: ["job": "\(job.id)", "report": "\(report)"])
                await scheduler.handle(.committed(jobId: job.id, report: report))
                return
            } catch {
                lastError = "\(error)"
                logger.warning("commit failed", metadata: ["job": "\(job.id)", "attempt": "\(attempt)", "error": "\(error)"])
                if attempt < configuration.commitAttemptsMax {
                    try? await Task.sleep(for: .milliseconds(configuration.commitRetryDelayMs))
                }
            }
        }
        await scheduler.handle(.commitFailed(jobId: job.id, error: lastError))
    }

    /// One store write, retried with doubling pauses; a write that still fails is logged (the scheduler's memory
    /// stays right; a restart would resume from the older stored state, which the restart rule tolerates).
    func persist(_ write: StoreWrite) async {
        var delayMs = configuration.storeRetryDelayMs
        for attempt in 1...max(1, configuration.storeAttemptsMax) {
            do {
                try await apply(write)
                return
            } catch {
                logger.error("a store write failed", metadata: ["write": "\(Self.describe(write))", "attempt": "\(attempt)", "error": "\(error)"])
                if attempt < configuration.storeAttemptsMax {
                    try? await Task.sleep(for: .milliseconds(delayMs))
                    delayMs *= 2
                }
            }
        }
    }

    func apply(_ write: StoreWrite) async throws {
        switch write {
        case .updateJob(let id, let state, let stage, let message, let now):
            try await store.updateJob(id, state: state, stage: stage, message: message, nowMs: now)
        case .addTasks(let jobId, let stage, let tasks, let now):
            try await store.addTasks(jobId: jobId, stage: stage, tasks, nowMs: now)
        case .assign(let jobId, let taskId, let workerId, let attempt, let now):
            let stored = try await store.assign(jobId: jobId, taskId: taskId, workerId: workerId, nowMs: now)
            if stored != attempt {
                logger.error("the store and the scheduler disagree on an assignment",
                             metadata: ["job": "\(jobId)", "task": "\(taskId)", "attempt": "\(attempt)", "stored": "\(stored.map(String.init) ?? "not pending")"])
            }
        case .finish(let jobId, let taskId, let attempt, let state, let result, let error, let now):
            let applied = try await store.finish(jobId: jobId, taskId: taskId, attempt: attempt, state: state, result: result, error: error, nowMs: now)
            if !applied {
                logger.error("the store refused a task's end", metadata: ["job": "\(jobId)", "task": "\(taskId)", "attempt": "\(attempt)", "state": "\(state.rawValue)"])
            }
        case .progress(let jobId, let taskId, let attempt, let rows, let bytes):
            try await store.updateProgress(jobId: jobId, taskId: taskId, attempt: attempt, rows: rows, bytes: bytes)
        case .cancelTasks(let jobId, let now):
            try await store.cancelTasks(jobId: jobId, nowMs: now)
        }
    }

    static func describe(_ write: StoreWrite) -> String {
        switch write {
        case .updateJob(let id, let state, let stage, _, _): return "job \(id) → \(state.rawValue) at stage \(stage)"
        case .addTasks(let jobId, let stage, let tasks, _): return "\(tasks.count) tasks of job \(jobId) stage \(stage)"
        case .assign(let jobId, let taskId, let workerId, let attempt, _): return "assign \(jobId)/\(taskId) attempt \(attempt) to \(workerId)"
        case .finish(let jobId, let taskId, let attempt, let state, _, _, _): return "\(jobId)/\(taskId) attempt \(attempt) → \(state.rawValue)"
        case .progress(let jobId, let taskId, let attempt, _, _): return "progress of \(jobId)/\(taskId) attempt \(attempt)"
        case .cancelTasks(let jobId, _): return "cancel the tasks of job \(jobId)"
        }
    }
}
