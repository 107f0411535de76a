import WeirProtocol

/// The shell's owner of ``SchedulerCore``: one event at a time, with the wall clock. The directives of each event
/// go, in order and as one batch, into `directives`, which one consumer executes (``Coordinator``), so
/// persistence happens in the order the core decided.
actor Scheduler {
    var core: SchedulerCore
    let nowMs: @Sendable () -> Int64
    let output: AsyncStream<[SchedulerDirective]>.Continuation
    /// After ``stop()`` events are dropped: a coordinator shutting down changes nothing more.
    var stopped = false

    init(configuration: SchedulerCore.Configuration, nowMs: @escaping @Sendable () -> Int64,
         output: AsyncStream<[SchedulerDirective]>.Continuation) {
        core = SchedulerCore(configuration: configuration)
        self.nowMs = nowMs
        self.output = output
    }

    func handle(_ event: SchedulerEvent) {
        guard !stopped else { return }
        let directives = core.handle(event, nowMs: nowMs())
        if !directives.isEmpty { output.yield(directives) }
        ClusterMetrics.workers.record(core.connections.count)
        ClusterMetrics.jobs.record(core.jobs.count)
    }

    /// Stops taking events and ends the directive stream (what was yielded before is still executed).
    func stop() {
        guard !stopped else { return }
        stopped = true
        output.finish()
    }

    enum CancelOutcome: Sendable {
        case ended(JobRecord)
        case committing(JobRecord)
        case unknown
    }

    func cancel(_ jobId: String) -> CancelOutcome {
        handle(.cancelJob(jobId: jobId))
        guard let record = core.record(jobId) else { return .unknown }
        return record.state == .committing ? .committing(record) : .ended(record)
    }

    func status() -> ClusterStatus { core.status(nowMs: nowMs()) }
    func record(_ jobId: String) -> JobRecord? { core.record(jobId) }
    func tasks(_ jobId: String) -> [TaskRecord]? { core.tasks(of: jobId) }
}
