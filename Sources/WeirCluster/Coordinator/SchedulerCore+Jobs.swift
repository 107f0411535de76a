import WeirProtocol

extension SchedulerCore {
    mutating func submit(_ record: JobRecord, _ out: inout [SchedulerDirective]) {
        guard jobs[record.id] == nil, !record.state.isFinal else { return }
        jobs[record.id] = JobEntry(record: record, phase: .planning(stage: 1))
        jobOrder.append(record.id)
        out.append(.plan(record, stage: 1, previous: []))
    }

    /// Takes an unfinished job back from the store (see the restart rule of ``SchedulerCore``).
    mutating func resume(_ record: JobRecord, _ tasks: [TaskRecord], _ now: Int64, _ out: inout [SchedulerDirective]) {
        guard jobs[record.id] == nil, !record.state.isFinal else { return }
        var entry = JobEntry(record: record, phase: .running)
        for task in tasks where entry.tasks[task.taskId] == nil {
            entry.tasks[task.taskId] = task
            entry.order.append(task.taskId)
            if task.state == .pending { entry.pending.push(task.taskId) }
        }
        jobs[record.id] = entry
        jobOrder.append(record.id)
        for task in tasks where task.state == .assigned {
            let ref = TaskRef(jobId: record.id, taskId: task.taskId, attempt: task.attempt)
            guard let workerId = task.workerId else {
                attemptEnded(ref, workerId: nil, error: "assigned to no worker", now, &out)
                continue
            }
            if workers[workerId] == nil {
                workers[workerId] = WorkerEntry(id: workerId, connection: nil, address: nil, slots: 0, lastHeartbeatMs: now)
            }
            workers[workerId]!.assigned.insert(ref)
        }
        switch record.state {
        case .queued:
            jobs[record.id]!.phase = .planning(stage: 1)
            out.append(.plan(record, stage: 1, previous: entry.succeeded(before: 1)))
        case .running:
            if let broken = tasks.first(where: { $0.state == .failed || $0.state == .cancelled }) {
                endJob(record.id, .failed, message: "task \(broken.taskId) \(broken.state.rawValue): \(broken.error ?? "no reason recorded")", now, &out)
                return
            }
            jobs[record.id]!.remaining = tasks.filter { $0.stage == record.stage && $0.state != .succeeded }.count
            if jobs[record.id]!.remaining == 0 { stageDone(record.id, now, &out) }
        case .committing:
            jobs[record.id]!.phase = .committing
            out.append(.commit(record, tasks: entry.succeeded(before: Int.max)))
        case .succeeded, .failed, .cancelled:
            break
        }
    }

    mutating func stagePlanned(_ jobId: String, _ stage: Int, _ planned: [PlannedTask]?, _ now: Int64, _ out: inout [SchedulerDirective]) {
        guard var job = jobs[jobId], job.phase == .planning(stage: stage) else { return }
        guard let planned else {
            job.phase = .committing
            job.record.state = .committing
            job.record.updatedMs = now
            jobs[jobId] = job
            out.append(.persist(.updateJob(id: jobId, state: .committing, stage: job.record.stage, message: nil, nowMs: now)))
            out.append(.commit(job.record, tasks: job.succeeded(before: Int.max)))
            return
        }
        var seen = Set<String>()
        for task in planned {
            if !seen.insert(task.taskId).inserted {
                endJob(jobId, .failed, message: "stage \(stage) plans task \(task.taskId) twice", now, &out)
                return
            }
            if let existing = job.tasks[task.taskId], existing.stage != stage {
                endJob(jobId, .failed, message: "stage \(stage) plans task \(task.taskId), a task of stage \(existing.stage)", now, &out)
                return
            }
        }
        for task in planned where job.tasks[task.taskId] == nil {
            job.tasks[task.taskId] = TaskRecord(jobId: jobId, taskId: task.taskId, stage: stage, kind: task.kind, spec: task.spec, state: .pending,
                                                attempt: 0, workerId: nil, result: nil, error: nil, rows: 0, bytes: 0, updatedMs: now)
            job.order.append(task.taskId)
            job.pending.push(task.taskId)
        }
        job.record.stage = stage
        job.record.state = .running
        job.record.updatedMs = now
        job.phase = .running
        job.remaining = planned.filter { job.tasks[$0.taskId]!.state != .succeeded }.count
        jobs[jobId] = job
        out.append(.persist(.addTasks(jobId: jobId, stage: stage, tasks: planned, nowMs: now)))
        out.append(.persist(.updateJob(id: jobId, state: .running, stage: stage, message: nil, nowMs: now)))
        if let broken = planned.compactMap({ job.tasks[$0.taskId] }).first(where: { $0.state == .failed || $0.state == .cancelled }) {
            endJob(jobId, .failed, message: "task \(broken.taskId) \(broken.state.rawValue): \(broken.error ?? "no reason recorded")", now, &out)
            return
        }
        if job.remaining == 0 { stageDone(jobId, now, &out) }
    }

    /// Every task of the current stage succeeded: plan the next stage.
    mutating func stageDone(_ jobId: String, _ now: Int64, _ out: inout [SchedulerDirective]) {
        guard let job = jobs[jobId] else { return }
        let next = job.record.stage + 1
        jobs[jobId]!.phase = .planning(stage: next)
        out.append(.plan(job.record, stage: next, previous: job.succeeded(before: next)))
    }

    mutating func committed(_ jobId: String, _ report: CommitReport, _ now: Int64, _ out: inout [SchedulerDirective]) {
        guard jobs[jobId]?.phase == .committing else { return }
        let message: String
        switch report {
        case .committed(let snapshotId, let summary): message = summary.isEmpty ? "snapshot \(snapshotId)" : "snapshot \(snapshotId): \(summary)"
        case .alreadyCommitted(let snapshotId): message = "snapshot \(snapshotId) (committed before)"
        case .nothingToCommit(let summary): message = summary.isEmpty ? "nothing to commit" : summary
        }
        var job = jobs.removeValue(forKey: jobId)!
        jobOrder.removeAll { $0 == jobId }
        job.record.state = .succeeded
        job.record.message = message
        job.record.updatedMs = now
        out.append(.persist(.updateJob(id: jobId, state: .succeeded, stage: job.record.stage, message: message, nowMs: now)))
        remember(job)
    }

    mutating func taskSucceeded(_ ref: TaskRef, result: [UInt8], _ now: Int64, _ out: inout [SchedulerDirective]) {
        guard var task = jobs[ref.jobId]?.tasks[ref.taskId] else { return }
        task.state = .succeeded
        task.result = result
        task.error = nil
        task.updatedMs = now
        jobs[ref.jobId]!.tasks[ref.taskId] = task
        out.append(.persist(.finish(jobId: ref.jobId, taskId: ref.taskId, attempt: ref.attempt, state: .succeeded, result: result, error: nil, nowMs: now)))
        guard jobs[ref.jobId]!.phase == .running, task.stage == jobs[ref.jobId]!.record.stage else { return }
        jobs[ref.jobId]!.remaining -= 1
        if jobs[ref.jobId]!.remaining == 0 { stageDone(ref.jobId, now, &out) }
    }

    /// The attempt `ref` ended without success (its worker, if any, no longer holds it): retry or, out of
    /// attempts, fail the task and its job.
    mutating func attemptEnded(_ ref: TaskRef, workerId: String?, error: String, _ now: Int64, _ out: inout [SchedulerDirective]) {
        guard var task = jobs[ref.jobId]?.tasks[ref.taskId], task.state == .assigned, task.attempt == ref.attempt else { return }
        guard task.attempt < configuration.attemptsMax else {
            failTask(ref.jobId, ref.taskId, error: "\(error) (attempt \(task.attempt) of \(configuration.attemptsMax))", now, &out)
            return
        }
        task.state = .pending
        task.workerId = nil
        task.result = nil
        task.error = error
        task.updatedMs = now
        jobs[ref.jobId]!.tasks[ref.taskId] = task
        if let workerId { jobs[ref.jobId]!.lastWorker[ref.taskId] = workerId }
        jobs[ref.jobId]!.pending.push(ref.taskId)
        out.append(.persist(.finish(jobId: ref.jobId, taskId: ref.taskId, attempt: ref.attempt, state: .pending, result: nil, error: error, nowMs: now)))
    }

    /// The task failed for good, and so does its job.
    mutating func failTask(_ jobId: String, _ taskId: String, error: String, _ now: Int64, _ out: inout [SchedulerDirective]) {
        guard var task = jobs[jobId]?.tasks[taskId] else { return }
        if task.state == .assigned {
            out.append(.persist(.finish(jobId: jobId, taskId: taskId, attempt: task.attempt, state: .failed, result: nil, error: error, nowMs: now)))
        }
        task.state = .failed
        task.error = error
        task.updatedMs = now
        jobs[jobId]!.tasks[taskId] = task
        endJob(jobId, .failed, message: "task \(taskId) failed: \(error)", now, &out)
    }

    /// Ends an unfinished job as failed or cancelled: its unfinished tasks are cancelled (running attempts are
    /// told to stop and keep their slots until they do), the driver abandons it.
    mutating func endJob(_ jobId: String, _ state: JobState, message: String, _ now: Int64, _ out: inout [SchedulerDirective]) {
        precondition(state == .failed || state == .cancelled, "endJob ends a job as failed or cancelled")
        guard var job = jobs.removeValue(forKey: jobId) else { return }
        jobOrder.removeAll { $0 == jobId }
        for taskId in job.order {
            guard var task = job.tasks[taskId], !task.state.isFinal else { continue }
            if task.state == .assigned, let workerId = task.workerId {
                let ref = TaskRef(jobId: jobId, taskId: taskId, attempt: task.attempt)
                if workers[workerId]?.assigned.remove(ref) != nil {
                    workers[workerId]!.draining.insert(ref)
                    if let connection = workers[workerId]!.connection { out.append(.send(connection, .cancelTask(ref))) }
                }
            }
            task.state = .cancelled
            task.updatedMs = now
            job.tasks[taskId] = task
        }
        job.record.state = state
        job.record.message = message
        job.record.updatedMs = now
        out.append(.persist(.updateJob(id: jobId, state: state, stage: job.record.stage, message: message, nowMs: now)))
        out.append(.persist(.cancelTasks(jobId: jobId, nowMs: now)))
        out.append(.abandon(job.record, tasks: job.orderedTasks))
        remember(job)
    }

    mutating func remember(_ job: JobEntry) {
        finished.append((job.record, Self.status(of: job)))
        if finished.count > configuration.finishedJobsKeptMax { finished.removeFirst(finished.count - configuration.finishedJobsKeptMax) }
    }
}
