import Foundation
import WeirCluster

/// The coordinator's status page (`GET /`): workers, jobs with progress, refused connections, as plain HTML that
/// refreshes itself every few seconds. Every value from outside (ids, messages, addresses) is HTML-escaped.
enum StatusPage {
    static func render(_ status: ClusterStatus) -> String {
        func esc(_ text: String) -> String {
            var out = ""
            for ch in text {
                switch ch {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&quot;"
                case "'": out += "&#39;"
                default: out.append(ch)
                }
            }
            return out
        }
        func ago(_ ms: Int64) -> String {
            let seconds = max(0, (status.nowMs - ms) / 1000)
            return seconds < 120 ? "\(seconds) s ago" : "\(seconds / 60) min ago"
        }
        var html = """
            <!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="3"><title>Weir cluster</title>
            <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}</style>
            </head><body><h1>Weir cluster</h1>
            """
        let connected = status.workers.filter(\.connected)
        html += "<h2>Workers: \(connected.count) connected, \(connected.reduce(0) { $0 + $1.slots }) slots</h2>"
        html += "<table><tr><th>worker</th><th>address</th><th>connected</th><th>slots</th><th>running</th><th>last heartbeat</th></tr>"
        for w in status.workers {
            html += "<tr><td>\(esc(w.id))</td><td>\(esc(w.address ?? "-"))</td><td>\(w.connected ? "yes" : "no")</td><td>\(w.slots)</td>"
            html += "<td>\(w.running.map { esc("\($0.jobId.prefix(8))/\($0.taskId)#\($0.attempt)") }.joined(separator: "<br>"))</td><td>\(ago(w.lastHeartbeatMs))</td></tr>"
        }
        html += "</table><h2>Jobs</h2><table><tr><th>job</th><th>kind</th><th>state</th><th>stage</th><th>tasks done/total</th><th>running</th><th>failed</th><th>rows</th><th>bytes</th><th>message</th></tr>"
        for j in status.jobs {
            html += "<tr><td>\(esc(j.id))</td><td>\(esc(j.kind))</td><td>\(j.state.rawValue)</td><td>\(j.stage)</td><td>\(j.tasksDone)/\(j.tasksTotal)</td>"
            html += "<td>\(j.tasksRunning)</td><td>\(j.tasksFailed)</td><td>\(j.rows)</td><td>\(j.bytes)</td><td>\(esc(j.message ?? ""))</td></tr>"
        }
        html += "</table>"
        if !status.refusedConnections.isEmpty {
            html += "<h2>Refused connections</h2><table><tr><th>when</th><th>address</th><th>node</th><th>reason</th></tr>"
            for r in status.refusedConnections {
                html += "<tr><td>\(ago(r.atMs))</td><td>\(esc(r.address ?? "-"))</td><td>\(esc(r.nodeName ?? "-"))</td><td>\(esc(r.reason))</td></tr>"
            }
            html += "</table>"
        }
        html += "<p>JSON: <a href=\"/api/cluster/status\">/api/cluster/status</a> · metrics: <a href=\"/metrics\">/metrics</a></p></body></html>\n"
        return html
    }
}
