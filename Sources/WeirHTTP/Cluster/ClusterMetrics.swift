import Prometheus
import WeirCluster

/// The coordinator's `/metrics` in the Prometheus text format, built from one ``ClusterStatus`` snapshot per
/// scrape (so a worker or job that went away leaves no stale series): workers connected and known, slots, running
/// attempts and heartbeat age per worker, jobs per state, tasks done/running/failed/total, rows and bytes of unfinished
/// jobs, refused connections. `/metrics` follows it with the process's swift-metrics registry (task-duration
/// histograms, heartbeats, task attempts and results, FileIO requests, retries and errors).
enum ClusterMetrics {
    static func render(_ status: ClusterStatus) -> String {
        let registry = PrometheusCollectorRegistry()
        registry.makeGauge(name: "weir_workers_connected", help: "Workers connected to the coordinator.")
            .set(Int64(status.workers.filter(\.connected).count))
        registry.makeGauge(name: "weir_workers_known", help: "Workers connected or expected back after a restart.")
            .set(Int64(status.workers.count))
        registry.makeGauge(name: "weir_slots_total", help: "Task slots of connected workers.")
            .set(Int64(status.workers.filter(\.connected).reduce(0) { $0 + $1.slots }))
        for worker in status.workers {
            registry.makeGauge(name: "weir_worker_running_attempts", labels: [("worker", worker.id)], help: "Attempts assigned to a worker.")
                .set(Int64(worker.running.count))
            registry.makeGauge(name: "weir_worker_heartbeat_age_seconds", labels: [("worker", worker.id)],
                               help: "Seconds since the worker's last heartbeat (or registration).")
                .set(Double(max(0, status.nowMs - worker.lastHeartbeatMs)) / 1000)
        }
        for state in JobState.allCases {
            registry.makeGauge(name: "weir_jobs", labels: [("state", state.rawValue)], help: "Jobs the coordinator tracks, by state.")
                .set(Int64(status.jobs.filter { $0.state == state }.count))
        }
        let open = status.jobs.filter { !$0.state.isFinal }
        registry.makeGauge(name: "weir_tasks_total", help: "Tasks planned for unfinished jobs.").set(Int64(open.reduce(0) { $0 + $1.tasksTotal }))
        registry.makeGauge(name: "weir_tasks_done", help: "Tasks of unfinished jobs that succeeded.").set(Int64(open.reduce(0) { $0 + $1.tasksDone }))
        registry.makeGauge(name: "weir_tasks_running", help: "Tasks of unfinished jobs running now.").set(Int64(open.reduce(0) { $0 + $1.tasksRunning }))
        registry.makeGauge(name: "weir_tasks_failed", help: "Tasks of unfinished jobs that failed for good.").set(Int64(open.reduce(0) { $0 + $1.tasksFailed }))
        registry.makeGauge(name: "weir_job_rows", help: "Rows reported by the tasks of unfinished jobs.").set(Int64(clamping: open.reduce(0) { $0 + $1.rows }))
        registry.makeGauge(name: "weir_job_bytes", help: "Bytes reported by the tasks of unfinished jobs.").set(Int64(clamping: open.reduce(0) { $0 + $1.bytes }))
        registry.makeGauge(name: "weir_refused_connections_recent", help: "Connections refused recently (wrong secret, not a Weir peer, a broken frame).")
            .set(Int64(status.refusedConnections.count))
        return registry.emitToString()
    }
}
