import Foundation
import WeirProtocol

extension Coordinator {
    /// Checks the spec with the kind's driver, stores a new `queued` job (fresh id, a fresh commit user and
    /// Paimon's batch commit identifier `Int64.max`, so its one commit is recognised if replayed) and hands it to
    /// the scheduler. Returns the stored record.
    public func submit(kind: String, spec: [UInt8]) async throws -> JobRecord {
        guard let driver = drivers[kind] else {
            throw ClusterError(.unknownJobKind, "no job kind '\(kind)' on this coordinator (it runs: \(drivers.keys.sorted().joined(separator: ", ")))")
        }
        guard spec.count <= MessageLimits.documentBytesMax else {
            throw ClusterError(.invalidSpec, "the spec has \(spec.count) bytes, over the limit of \(MessageLimits.documentBytesMax)")
        }
        do {
            try await driver.validate(spec: spec)
        } catch {
            throw ClusterError(.invalidSpec, "\(kind): \(error)")
        }
        let now = nowMs()
        let job = JobRecord(id: UUID().uuidString.lowercased(), kind: kind, spec: spec, state: .queued, stage: 0,
                            commitUser: UUID().uuidString.lowercased(), commitIdentifier: Int64.max, createdMs: now, updatedMs: now, message: nil)
        try await store.createJob(job)
        logger.info("job submitted", metadata: ["job": "\(job.id)", "kind": "\(kind)"])
        await scheduler.handle(.jobSubmitted(job))
        return job
    }

    /// The job as the scheduler knows it (unfinished or recently finished), else as stored.
    public func job(_ id: String) async throws -> JobRecord? {
        if let record = await scheduler.record(id) { return record }
        return try await store.job(id)
    }

    /// Jobs, newest first, at most `limit` (stored records, with the scheduler's newer state where it has one).
    public func jobs(limit: Int) async throws -> [JobRecord] {
        var out: [JobRecord] = []
        for record in try await store.jobs(limit: limit) {
            out.append(await scheduler.record(record.id) ?? record)
        }
        return out
    }

    /// A job's tasks in planned order: the scheduler's view of an unfinished job, else the stored rows.
    public func tasks(jobId: String) async throws -> [TaskRecord] {
        if let tasks = await scheduler.tasks(jobId) { return tasks }
        return try await store.tasks(jobId: jobId)
    }

    /// Cancels an unfinished job: its running attempts are told to stop, the driver abandons it. A finished job is
    /// returned as it is; a committing job can no longer be cancelled (``ClusterError/Kind/tooLateToCancel``).
    @discardableResult
    public func cancel(_ jobId: String) async throws -> JobRecord {
        switch await scheduler.cancel(jobId) {
        case .ended(let record):
            return record
        case .committing:
            throw ClusterError(.tooLateToCancel, "job \(jobId) is committing; it can no longer be cancelled")
        case .unknown:
            guard let stored = try await store.job(jobId) else { throw ClusterError(.noSuchJob, "no job with id \(jobId)") }
            guard stored.state.isFinal else { throw ClusterError(.notResumed, "job \(jobId) is not resumed yet: the coordinator is starting") }
            return stored
        }
    }

    /// Workers, jobs with task counts, and the latest refused connections.
    public func status() async -> ClusterStatus {
        var status = await scheduler.status()
        status.refusedConnections = refusals.all
        return status
    }
}
