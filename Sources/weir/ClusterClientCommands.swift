import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Where `weir submit`, `weir jobs` and `weir status` find the coordinator's HTTP port.
struct CoordinatorConnection: ParsableArguments {
    @Option(name: .long, help: "The coordinator's HTTP URL (default: $WEIR_COORDINATOR or http://127.0.0.1:8090).")
    var coordinatorHttp: String?

    var baseURL: String {
        (coordinatorHttp ?? ProcessInfo.processInfo.environment["WEIR_COORDINATOR"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://127.0.0.1:8090")
            .trimmingSuffix("/")
    }

    /// Sends a request; returns the JSON answer, or throws the coordinator's `error` text.
    func send(_ method: String, _ path: String, body: [String: Any]? = nil) async throws -> [String: Any] {
        guard let url = URL(string: baseURL + path), url.scheme == "http" || url.scheme == "https" else {
            throw ValidationError("--coordinator-http must be an http:// URL, not '\(baseURL)'")
        }
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.httpMethod = method
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "content-type")
        }
        let data: Data
        let status: Int
        do {
            let (d, response) = try await URLSession.shared.data(for: request)
            data = d
            status = (response as? HTTPURLResponse)?.statusCode ?? 0
        } catch {
            throw ClusterCLIError("cannot reach the coordinator at \(baseURL): \(error.localizedDescription)")
        }
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        guard (200..<300).contains(status) else {
            throw ClusterCLIError((object?["error"] as? String) ?? "the coordinator answered HTTP \(status)")
        }
        return object ?? [:]
    }
}

struct ClusterCLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `weir submit ingest|compact`: submits a job, then shows its progress until it ends.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit a job to the coordinator and follow it with a progress bar.",
        subcommands: [SubmitIngest.self, SubmitCompact.self])

    struct Follow: ParsableArguments {
        @Flag(name: .long, help: "Print the job id and return at once.") var detach = false
        @Flag(name: .long, help: "Print the job as JSON (at the end, or at once with --detach).") var json = false
    }

    struct SubmitIngest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ingest",
            abstract: "Write input files (JSONL, CSV or Parquet on any FileIO URI) into a table as one commit, on the cluster.")
        @OptionGroup var connection: CoordinatorConnection
        @OptionGroup var follow: Follow
        @Option(name: .long, parsing: .upToNextOption, help: "Input files (URIs every worker can read).") var input: [String]
        @Option(name: .long, help: "jsonl, csv or parquet (default: each file's magic or extension).") var format: String?
        @Option(name: .long, help: "The input column with row kinds (+I, -U, +U, -D).") var opColumn: String?
        @Option(name: .long, help: "How many write tasks share the buckets in shuffle mode (default: one per bucket).") var writeTasks: Int?
        @Option(name: .long, help: ArgumentHelp(
            "auto, direct or shuffle (default auto: direct when every input is Parquet and the table shows level-0 rows).",
            discussion: "direct: tasks write consecutive row groups straight to level-0 files, numbered by position (up to compaction-trigger − 1 sorted runs per bucket, no compaction). shuffle: inputs are cut by bucket into staging files first, then one task per bucket group writes and compacts them.")) var mode: String?
        @Argument(help: "DATABASE.TABLE") var table: String

        func run() async throws {
            guard !input.isEmpty else { throw ValidationError("give at least one --input") }
            let config = try await connection.send("GET", "/api/weir/config")
            guard let warehouse = config["warehouse"] as? String else { throw ClusterCLIError("the coordinator did not say its warehouse") }
            var spec: [String: Any] = ["warehouse": warehouse, "table": table, "inputs": try input.map(Self.absolute)]
            if let format { spec["format"] = format }
            if let opColumn { spec["opColumn"] = opColumn }
            if let writeTasks { spec["writeTasks"] = writeTasks }
            if let mode {
                guard ["auto", "direct", "shuffle"].contains(mode) else { throw ValidationError("--mode \(mode): use auto, direct or shuffle") }
                spec["mode"] = mode
            }
            try await JobFollower.submitAndFollow(connection, kind: "ingest", spec: spec, follow: follow)
        }

        /// Local paths become file:// URIs (workers resolve them on their own machine: use shared storage for real clusters).
        static func absolute(_ text: String) throws -> String {
            try Storage().path(text).description
        }
    }
}

extension SubmitCommand {
    struct SubmitCompact: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compact",
            abstract: "Compact a primary-key table on the cluster: one task per bucket the universal pick selects (all with --full), one COMPACT commit.")
        @OptionGroup var connection: CoordinatorConnection
        @OptionGroup var follow: Follow
        @Flag(name: .long, help: "Full compaction: every bucket to the highest level.") var full = false
        @Option(name: .long, help: "Only partitions with KEY=VALUE (repeatable).") var partition: [String] = []
        @Option(name: .long, help: "Only this bucket.") var bucket: Int32?
        @Argument(help: "DATABASE.TABLE") var table: String

        func run() async throws {
            let config = try await connection.send("GET", "/api/weir/config")
            guard let warehouse = config["warehouse"] as? String else { throw ClusterCLIError("the coordinator did not say its warehouse") }
            var spec: [String: Any] = ["warehouse": warehouse, "table": table, "full": full]
            if !partition.isEmpty {
                var values: [String: String] = [:]
                for pair in partition {
                    guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else { throw ValidationError("--partition \(pair): expected KEY=VALUE") }
                    values[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
                }
                spec["partition"] = values
            }
            if let bucket { spec["bucket"] = bucket }
            try await JobFollower.submitAndFollow(connection, kind: "compact", spec: spec, follow: follow)
        }
    }
}

/// Submits a job and follows it: a live progress bar (tasks done/total, rows, bytes, rate, ETA) on standard error.
enum JobFollower {
    /// How often the job is read while it runs: a job's end shows within this time (half of it on average), and a
    /// read is one small request to the coordinator.
    static let pollMs: UInt64 = 100

    static func submitAndFollow(_ connection: CoordinatorConnection, kind: String, spec: [String: Any], follow: SubmitCommand.Follow) async throws {
        let job = try await connection.send("POST", "/api/weir/jobs", body: ["kind": kind, "spec": spec])
        guard let id = job["id"] as? String else { throw ClusterCLIError("the coordinator did not return a job id") }
        if follow.detach {
            if follow.json { try CatalogOutput.printJSON(job) } else { print(id) }
            return
        }
        FileHandle.standardError.write(Data("job \(id) (\(kind)) submitted\n".utf8))
        let started = ContinuousClock.now
        let interactive = isatty(STDERR_FILENO) == 1
        var last: [String: Any] = job
        while true {
            last = try await connection.send("GET", "/api/weir/jobs/\(id)")
            let state = last["state"] as? String ?? "?"
            let line = render(last, seconds: (ContinuousClock.now - started).seconds)
            if interactive { FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8)) }
            if ["succeeded", "failed", "cancelled"].contains(state) { break }
            try await Task.sleep(for: .milliseconds(pollMs))
        }
        FileHandle.standardError.write(Data(((interactive ? "\n" : "") + render(last, seconds: (ContinuousClock.now - started).seconds) + "\n").utf8))
        if follow.json { try CatalogOutput.printJSON(last) } else { print("job \(id) \(last["state"] as? String ?? "?"): \(last["message"] as? String ?? "")") }
        if last["state"] as? String != "succeeded" { throw ExitCode(1) }
    }

    /// `[######......] 12/16 tasks · 1.2M rows · 87.1 MiB · 310k rows/s · ETA 4s · running`
    static func render(_ job: [String: Any], seconds: Double) -> String {
        let total = job["tasksTotal"] as? Int ?? 0
        let done = job["tasksDone"] as? Int ?? 0
        let rows = (job["rows"] as? NSNumber)?.int64Value ?? 0
        let bytes = (job["bytes"] as? NSNumber)?.int64Value ?? 0
        let width = 24
        let filled = total > 0 ? min(width, width * done / total) : 0
        let rate = seconds > 0 ? Double(rows) / seconds : 0
        var eta = ""
        if done > 0 && done < total && seconds > 0 { eta = " · ETA \(Int((seconds / Double(done)) * Double(total - done)))s" }
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            + "\(done)/\(total) tasks · \(count(rows)) rows · \(ProgressBar.bytes(bytes)) · \(count(Int64(rate))) rows/s\(eta) · \(job["state"] as? String ?? "?")"
    }

    static func count(_ n: Int64) -> String {
        n >= 1_000_000 ? String(format: "%.1fM", Double(n) / 1e6) : n >= 1_000 ? String(format: "%.1fk", Double(n) / 1e3) : "\(n)"
    }
}

/// `weir jobs list|show|cancel`.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "List, show and cancel the coordinator's jobs.", subcommands: [List.self, Show.self, Cancel.self])

    struct List: AsyncParsableCommand {
        @OptionGroup var connection: CoordinatorConnection
        @Option(name: .long, help: "At most this many, newest first.") var limit = 50
        @Flag(name: .long) var json = false
        func run() async throws {
            let answer = try await connection.send("GET", "/api/weir/jobs?limit=\(limit)")
            if json { try CatalogOutput.printJSON(answer); return }
            for job in answer["jobs"] as? [[String: Any]] ?? [] {
                print("\(job["id"] as? String ?? "?")  \(job["kind"] as? String ?? "?")  \(job["state"] as? String ?? "?")  \(job["tasksDone"] ?? 0)/\(job["tasksTotal"] ?? 0) tasks  \(job["message"] as? String ?? "")")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        @OptionGroup var connection: CoordinatorConnection
        @Argument(help: "The job id.") var id: String
        func run() async throws { try CatalogOutput.printJSON(try await connection.send("GET", "/api/weir/jobs/\(id)")) }
    }

    struct Cancel: AsyncParsableCommand {
        @OptionGroup var connection: CoordinatorConnection
        @Argument(help: "The job id.") var id: String
        func run() async throws {
            let job = try await connection.send("POST", "/api/weir/jobs/\(id)/cancel")
            print("job \(id) \(job["state"] as? String ?? "?")")
        }
    }
}

/// `weir status`: workers, slots, running tasks and jobs.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the cluster's workers, slots, running tasks and jobs.")
    @OptionGroup var connection: CoordinatorConnection
    @Flag(name: .long) var json = false
    @Flag(name: .long, help: "Print nothing; exit 0 when the coordinator answers (a health check).") var quiet = false

    func run() async throws {
        let status = try await connection.send("GET", "/api/cluster/status")
        if quiet { return }
        if json { try CatalogOutput.printJSON(status); return }
        let workers = status["workers"] as? [[String: Any]] ?? []
        let connected = workers.filter { $0["connected"] as? Bool == true }
        print("workers: \(connected.count) connected, \(connected.reduce(0) { $0 + ($1["slots"] as? Int ?? 0) }) slots")
        for w in workers {
            let running = (w["running"] as? [[String: Any]] ?? []).map { "\(($0["jobId"] as? String ?? "").prefix(8))/\($0["taskId"] as? String ?? "")" }
            print("  \(w["id"] as? String ?? "?")  \(w["connected"] as? Bool == true ? "connected" : "away")  \(w["slots"] ?? 0) slots  running: \(running.isEmpty ? "-" : running.joined(separator: ", "))")
        }
        let jobs = status["jobs"] as? [[String: Any]] ?? []
        print("jobs: \(jobs.count)")
        for j in jobs {
            print("  \(j["id"] as? String ?? "?")  \(j["kind"] as? String ?? "?")  \(j["state"] as? String ?? "?")  \(j["tasksDone"] ?? 0)/\(j["tasksTotal"] ?? 0) tasks  \(j["rows"] ?? 0) rows")
        }
    }
}
