import WeirProtocol

extension SchedulerCore {
    /// Unfinished jobs oldest first, then finished ones newest first.
    func status(nowMs: Int64) -> ClusterStatus {
        let workerList = workers.keys.sorted().compactMap { workers[$0] }.map { worker in
            WorkerStatus(id: worker.id, address: worker.address, connected: worker.connection != nil, slots: worker.slots,
                         running: worker.assigned.sortedRefs().map { AttemptStatus(jobId: $0.jobId, taskId: $0.taskId, attempt: $0.attempt) },
                         lastHeartbeatMs: worker.lastHeartbeatMs)
        }
        let jobList = jobOrder.compactMap { jobs[$0] }.map(Self.status(of:)) + finished.reversed().map(\.status)
        return ClusterStatus(nowMs: nowMs, workers: workerList, jobs: jobList, refusedConnections: [])
    }

    static func status(of job: JobEntry) -> JobStatus {
        var done = 0, running = 0, failed = 0
        var rows: UInt64 = 0, bytes: UInt64 = 0
        for task in job.tasks.values {
            switch task.state {
            case .succeeded: done += 1
            case .assigned: running += 1
            case .failed: failed += 1
            case .pending, .cancelled: break
            }
            rows &+= task.rows
            bytes &+= task.bytes
        }
        let r = job.record
        return JobStatus(id: r.id, kind: r.kind, state: r.state, stage: r.stage, tasksTotal: job.tasks.count, tasksDone: done,
                         tasksRunning: running, tasksFailed: failed, rows: rows, bytes: bytes, createdMs: r.createdMs,
                         updatedMs: r.updatedMs, message: r.message)
    }

    /// The job as the core knows it: unfinished or recently finished.
    func record(_ jobId: String) -> JobRecord? {
        jobs[jobId]?.record ?? finished.last(where: { $0.record.id == jobId })?.record
    }

    /// The tasks of an unfinished job, in planned order.
    func tasks(of jobId: String) -> [TaskRecord]? {
        jobs[jobId]?.orderedTasks
    }
}
