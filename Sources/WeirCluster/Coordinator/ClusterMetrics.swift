import Metrics

/// The coordinator's metrics (swift-metrics; a no-op until the process bootstraps a backend such as Prometheus).
public enum ClusterMetrics {
    /// Task attempts given to workers.
    static let attempts = Metrics.Counter(label: "weir_cluster_task_attempts_total")
    /// Connections closed for a protocol error (wrong secret, not a Weir peer, a broken frame).
    static let refusedConnections = Metrics.Counter(label: "weir_cluster_refused_connections_total")
    /// Registered, connected workers.
    static let workers = Metrics.Gauge(label: "weir_cluster_workers")
    /// Unfinished jobs.
    static let jobs = Metrics.Gauge(label: "weir_cluster_jobs")

    /// Heartbeats received from workers.
    static let heartbeats = Metrics.Counter(label: "weir_cluster_heartbeats_total")

    /// The name of the task-duration histogram (a process that bootstraps Prometheus sets its buckets by it).
    public static let taskDurationLabel = "weir_cluster_task_duration_seconds"

    /// Records how long an attempt took, from its assignment to its result, by task kind and result status.
    static func recordTaskDuration(kind: String, status: String, _ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = seconds >= Int64.max / 1_000_000_000 ? Int64.max : seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        Metrics.Timer(label: taskDurationLabel, dimensions: [("kind", kind), ("status", status)], preferredDisplayUnit: .seconds)
            .recordNanoseconds(nanoseconds)
    }

    static func results(_ status: String) -> Metrics.Counter {
        Metrics.Counter(label: "weir_cluster_task_results_total", dimensions: [("status", status)])
    }

    static func jobsFinished(_ state: String) -> Metrics.Counter {
        Metrics.Counter(label: "weir_cluster_jobs_finished_total", dimensions: [("state", state)])
    }
}
