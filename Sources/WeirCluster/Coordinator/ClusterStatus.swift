/// A snapshot of the cluster as the coordinator sees it: what `weir status` and the status endpoint show.
public struct ClusterStatus: Sendable, Equatable, Codable {
    /// When the snapshot was taken (milliseconds since 1970).
    public var nowMs: Int64
    /// Connected workers, and workers the coordinator still waits for after a restart (`connected == false`).
    public var workers: [WorkerStatus]
    /// Unfinished jobs, oldest first, then recently finished ones, newest first.
    public var jobs: [JobStatus]
    /// The latest refused connections (wrong secret, not a Weir peer, a broken frame), oldest first.
    public var refusedConnections: [RefusedConnection]

    public init(nowMs: Int64, workers: [WorkerStatus], jobs: [JobStatus], refusedConnections: [RefusedConnection]) {
        self.nowMs = nowMs
        self.workers = workers
        self.jobs = jobs
        self.refusedConnections = refusedConnections
    }
}

public struct WorkerStatus: Sendable, Equatable, Codable {
    public var id: String
    /// `host:port` of the worker's connection.
    public var address: String?
    public var connected: Bool
    public var slots: Int
    /// The attempts the coordinator has assigned to it.
    public var running: [AttemptStatus]
    public var lastHeartbeatMs: Int64
}

public struct AttemptStatus: Sendable, Equatable, Codable, Hashable {
    public var jobId: String
    public var taskId: String
    public var attempt: UInt64
}

public struct JobStatus: Sendable, Equatable, Codable {
    public var id: String
    public var kind: String
    public var state: JobState
    public var stage: Int
    /// Tasks of all stages planned so far, and how many of them succeeded, run now, failed.
    public var tasksTotal: Int
    public var tasksDone: Int
    public var tasksRunning: Int
    public var tasksFailed: Int
    /// Rows and bytes the tasks reported (their latest progress).
    public var rows: UInt64
    public var bytes: UInt64
    public var createdMs: Int64
    public var updatedMs: Int64
    public var message: String?
}

/// A connection the coordinator closed during or right after the handshake, and why.
public struct RefusedConnection: Sendable, Equatable, Codable {
    public var address: String?
    /// The node name the peer gave in its hello, if it got that far.
    public var nodeName: String?
    public var reason: String
    public var atMs: Int64

    public init(address: String?, nodeName: String?, reason: String, atMs: Int64) {
        self.address = address
        self.nodeName = nodeName
        self.reason = reason
        self.atMs = atMs
    }
}
