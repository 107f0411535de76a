import WeirProtocol

extension SchedulerCore {
    /// Registration, also again after a reconnect or a coordinator restart (the reconnect rule of ``SchedulerCore``),
    /// or again on the same connection to change the worker's slots (a draining worker registers with none); the
    /// reconnect rule applies then too.
    mutating func registerWorker(_ connection: ConnectionID, _ register: Register, address: String?, _ now: Int64,
                                 _ out: inout [SchedulerDirective]) {
        let id = register.workerId
        if let registered = connections[connection], registered != id { return }  // the shell allows one worker id per connection
        let reported = Set(register.running)
        var keep: Set<TaskRef> = []
        var draining: Set<TaskRef> = []
        var lost: [TaskRef] = []
        if let old = workers.removeValue(forKey: id) {
            if let oldConnection = old.connection, oldConnection != connection {
                connections[oldConnection] = nil
                out.append(.close(oldConnection, reason: "worker \(id) connected again"))
            }
            keep = old.assigned.intersection(reported)
            draining = old.draining.intersection(reported)
            lost = old.assigned.subtracting(keep).sortedRefs()
        }
        let cancel = reported.subtracting(keep)
        draining.formUnion(cancel)
        workers[id] = WorkerEntry(id: id, connection: connection, address: address, slots: Int(clamping: register.slots),
                                  lastHeartbeatMs: now, assigned: keep, draining: draining)
        connections[connection] = id
        out.append(.send(connection, .registered(Registered(workerId: id, cancel: cancel.sortedRefs()))))
        for ref in lost {
            attemptEnded(ref, workerId: id, error: "worker \(id) registered again without attempt \(ref.attempt)", now, &out)
        }
    }

    mutating func receiveHeartbeat(_ connection: ConnectionID, _ heartbeat: Heartbeat, _ now: Int64, _ out: inout [SchedulerDirective]) {
        guard let id = connections[connection], var worker = workers[id] else { return }
        worker.lastHeartbeatMs = now
        let reported = Set(heartbeat.running)
        // Cancelled attempts the worker no longer runs free their slots; attempts nobody assigned it are cancelled.
        worker.draining.formIntersection(reported)
        for ref in reported.subtracting(worker.assigned).subtracting(worker.draining).sortedRefs() {
            worker.draining.insert(ref)
            out.append(.send(connection, .cancelTask(ref)))
        }
        workers[id] = worker
    }

    mutating func receiveProgress(_ connection: ConnectionID, _ progress: TaskProgress, _ out: inout [SchedulerDirective]) {
        let ref = progress.task
        guard let id = connections[connection], workers[id]?.assigned.contains(ref) == true,
              let task = jobs[ref.jobId]?.tasks[ref.taskId], task.state == .assigned, task.attempt == ref.attempt else { return }
        jobs[ref.jobId]!.tasks[ref.taskId]!.rows = progress.rows
        jobs[ref.jobId]!.tasks[ref.taskId]!.bytes = progress.bytes
        out.append(.persist(.progress(jobId: ref.jobId, taskId: ref.taskId, attempt: ref.attempt, rows: progress.rows, bytes: progress.bytes)))
    }

    mutating func receiveResult(_ connection: ConnectionID, _ result: TaskResult, _ now: Int64, _ out: inout [SchedulerDirective]) {
        let ref = result.task
        guard let id = connections[connection] else { return }
        if workers[id]!.draining.remove(ref) != nil { return }  // a cancelled attempt ended: its slot is free
        guard workers[id]!.assigned.remove(ref) != nil else { return }  // not (or no longer) this worker's attempt
        guard let task = jobs[ref.jobId]?.tasks[ref.taskId], task.state == .assigned, task.attempt == ref.attempt else { return }
        switch result.status {
        case .succeeded:
            taskSucceeded(ref, result: result.result, now, &out)
        case .failed where result.retryable:
            attemptEnded(ref, workerId: id, error: result.error ?? "failed on worker \(id)", now, &out)
        case .failed:
            failTask(ref.jobId, ref.taskId, error: result.error ?? "failed on worker \(id)", now, &out)
        case .cancelled:
            attemptEnded(ref, workerId: id, error: "cancelled on worker \(id)", now, &out)
        }
    }

    mutating func tick(_ now: Int64, _ out: inout [SchedulerDirective]) {
        for id in workers.keys.sorted() {
            guard let worker = workers[id], now - worker.lastHeartbeatMs > configuration.heartbeatTimeoutMs else { continue }
            let silence = now - worker.lastHeartbeatMs
            if let connection = worker.connection {
                connections[connection] = nil
                out.append(.close(connection, reason: "no heartbeat for \(silence) ms"))
                workerDied(id, reason: "no heartbeat for \(silence) ms", now, &out)
            } else {
                workerDied(id, reason: "it did not register again within \(silence) ms of the coordinator's start", now, &out)
            }
        }
        heartbeatSequence += 1
        for id in workers.keys.sorted() {
            guard let worker = workers[id], let connection = worker.connection else { continue }
            out.append(.send(connection, .heartbeat(Heartbeat(sequence: heartbeatSequence, running: worker.assigned.sortedRefs()))))
        }
    }

    /// Forgets the worker; its attempts end without a result.
    mutating func workerDied(_ id: String, reason: String, _ now: Int64, _ out: inout [SchedulerDirective]) {
        guard let worker = workers.removeValue(forKey: id) else { return }
        for ref in worker.assigned.sortedRefs() {
            attemptEnded(ref, workerId: id, error: "worker \(id) lost: \(reason)", now, &out)
        }
    }
}
