import Foundation
import Testing
import WeirColumnar
import WeirFileIO
import WeirParquet
import WeirTestSupport

/// The cluster as separate processes on loopback, started by the test: `weir coordinator` and `weir worker`s
/// ingest into a 16-bucket primary-key table, and the result equals a single-process `weir table write` of the same
/// input — also when a worker is killed with SIGKILL mid-job, and when the coordinator is killed and restarted.
/// Bad peers: a worker with the wrong secret is refused and says so.
@Suite(.serialized) struct ClusterProcessTests {
    static let schema = #"""
        {"fields": [{"name": "id", "type": "BIGINT"}, {"name": "name", "type": "STRING"}, {"name": "score", "type": "DOUBLE"}],
         "primaryKeys": ["id"], "options": {"bucket": "16"}}
        """#

    /// A coordinator with its HTTP port, workers, and the paths they share.
    final class Cluster: @unchecked Sendable {
        let scratch: Scratch
        let warehouse: String
        let workerPort: Int
        let httpPort: Int
        var coordinator: ServerProcess?
        var workers: [ServerProcess] = []

        init(_ name: String) throws {
            scratch = try Scratch(name)
            warehouse = scratch.path + "/wh"
            workerPort = try FreePort.next()
            httpPort = try FreePort.next()
            try Data("a-cluster-secret-for-tests-0123456789".utf8).write(to: URL(fileURLWithPath: scratch.path + "/secret"))
            try Data("a-wrong-secret-for-tests-9876543210".utf8).write(to: URL(fileURLWithPath: scratch.path + "/wrong"))
            try ClusterProcessTests.schema.write(toFile: scratch.path + "/schema.json", atomically: true, encoding: .utf8)
        }

        var http: [String] { ["--coordinator-http", "http://127.0.0.1:\(httpPort)"] }

        func startCoordinator() async throws {
            coordinator = try await ServerProcess.start(
                name: "coordinator", python: "/usr/bin/python3",
                command: [CLI.path, "coordinator", "--listen", "127.0.0.1:\(workerPort)", "--http", "127.0.0.1:\(httpPort)",
                          "--store", "sqlite:\(scratch.path)/state.db", "--warehouse", warehouse, "--secret-file", scratch.path + "/secret",
                          "--heartbeat-ms", "500", "--heartbeat-timeout-ms", "20000", "--log-level", "notice"],
                directory: scratch.path, port: httpPort, healthPath: "/status")
        }

        func startWorker(_ index: Int, secret: String = "secret") async throws -> ServerProcess {
            try await ServerProcess.start(
                name: "worker-\(index)-\(workers.count)", python: "/usr/bin/python3",
                command: [CLI.path, "worker", "--coordinator", "127.0.0.1:\(workerPort)", "--secret-file", scratch.path + "/" + secret,
                          "--slots", "2", "--scratch", scratch.path + "/scratch-\(index)", "--id", "worker-\(index)", "--log-level", "notice"],
                directory: scratch.path, port: httpPort, healthPath: "/status")
        }

        func waitForWorkers(_ count: Int) async throws {
            for _ in 0..<600 {
                let status = try await CLI.run(["status", "--json"] + http)
                let object = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
                let connected = (object?["workers"] as? [[String: Any]])?.filter { $0["connected"] as? Bool == true }.count ?? 0
                if connected >= count { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw ServerError("\(count) workers did not connect; coordinator log:\n\(coordinator?.logTail() ?? "")")
        }

        func job(_ id: String) async throws -> [String: Any] {
            let shown = try await CLI.run(["jobs", "show", id] + http)
            return (try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]) ?? [:]
        }

        func waitForJob(_ id: String, timeoutSeconds: Int = 600) async throws -> [String: Any] {
            let deadline = ContinuousClock.now + .seconds(timeoutSeconds)
            while ContinuousClock.now < deadline {
                if let job = try? await job(id), let state = job["state"] as? String, ["succeeded", "failed", "cancelled"].contains(state) { return job }
                try await Task.sleep(for: .milliseconds(200))
            }
            throw ServerError("job \(id) did not end within \(timeoutSeconds) s; coordinator log:\n\(coordinator?.logTail() ?? "")")
        }

        func stop() {
            for worker in workers { worker.stop() }
            coordinator?.stop()
        }
    }

    /// Input files: rows with repeated ids (later ones win), some deletes (`_op` = `-D`), in `files` JSON Lines
    /// files, or Parquet files with `parquet` (faster to read in a debug build, for the big run).
    static func writeInput(_ dir: String, rows: Int, files: Int, seed: UInt64, parquet: Bool = false) async throws -> [String] {
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var paths: [String] = []
        let perFile = rows / files
        let keys = UInt64(rows * 3 / 4)
        if parquet {
            let schema = RowType([DataField(id: 0, name: "id", type: DataType(.bigint, nullable: false)), DataField(id: 1, name: "name", type: .string),
                                  DataField(id: 2, name: "score", type: DataType(.double)), DataField(id: 3, name: "_op", type: .string)])
            for f in 0..<files {
                var builders = schema.fields.map { ColumnBuilder(type: $0.type) }
                for i in 0..<perFile {
                    let id = next() % keys
                    let delete = next() % 50 == 0
                    try builders[0].append(.integer(Int64(id)))
                    try builders[1].append(delete ? .null : .string("n\(f)-\(i)"))
                    try builders[2].append(delete ? .null : .double(Double(next() % 10_000) / 4))
                    try builders[3].append(.string(delete ? "-D" : "+I"))
                }
                let path = dir + "/input-\(f).parquet"
                _ = try await ParquetFile.write(io: LocalFileIO(), path: try StoragePath(parsingLocalOrURI: path, currentDirectory: "/"), schema: schema,
                                                batches: [ColumnBatch(schema: schema, columns: builders.map { $0.finish() })], overwrite: true)
                paths.append(path)
            }
            return paths
        }
        for f in 0..<files {
            var text = ""
            text.reserveCapacity(perFile * 48)
            for i in 0..<perFile {
                let id = next() % keys
                if next() % 50 == 0 {
                    text += #"{"id":\#(id),"_op":"-D"}"# + "\n"
                } else {
                    text += #"{"id":\#(id),"name":"n\#(f)-\#(i)","score":\#(Double(next() % 10_000) / 4)}"# + "\n"
                }
            }
            let path = dir + "/input-\(f).jsonl"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        return paths
    }

    /// The rows of a table as sorted JSON lines (`weir table scan`).
    static func scan(_ warehouse: String, _ table: String) async throws -> [Substring] {
        let result = try await ChildProcess.run(CLI.path, ["table", "scan", table, "--warehouse", warehouse], timeoutSeconds: 900)
        guard result.status == 0 else { throw ServerError("scan \(table): \(result.stderr)") }
        return result.stdout.split(separator: "\n").sorted()
    }

    /// `weir table write` of the same inputs into `db.reference`, in one process.
    static func reference(_ cluster: Cluster, _ inputs: [String]) async throws -> [Substring] {
        var create = try await CLI.run(["table", "create", "db.reference", "--schema", cluster.scratch.path + "/schema.json", "--warehouse", cluster.warehouse])
        #expect(create.status == 0, "\(create.stderr)")
        create = try await ChildProcess.run(CLI.path, ["table", "write", "db.reference", "--warehouse", cluster.warehouse] + inputs.flatMap { ["--input", $0] },
                                            timeoutSeconds: 1200)
        #expect(create.status == 0, "\(create.stderr)")
        return try await scan(cluster.warehouse, "db.reference")
    }

    @Test func threeWorkersIngestTwoMillionRowsLikeOneProcess() async throws {
        let cluster = try Cluster("cluster-ingest")
        defer { cluster.stop(); cluster.scratch.remove() }
        let inputs = try await Self.writeInput(cluster.scratch.path, rows: 2_000_000, files: 8, seed: 7, parquet: true)
        try await cluster.startCoordinator()
        for i in 1...3 { cluster.workers.append(try await cluster.startWorker(i)) }
        try await cluster.waitForWorkers(3)
        let create = try await CLI.run(["table", "create", "db.events", "--schema", cluster.scratch.path + "/schema.json", "--warehouse", cluster.warehouse])
        #expect(create.status == 0, "\(create.stderr)")

        let submit = try await ChildProcess.run(CLI.path, ["submit", "ingest", "db.events", "--json"] + inputs.flatMap { ["--input", $0] } + cluster.http,
                                                timeoutSeconds: 1200)
        #expect(submit.status == 0, "\(submit.stdout) \(submit.stderr)")
        #expect(submit.stderr.contains("tasks"), "the progress line: \(submit.stderr)")
        let job = (try JSONSerialization.jsonObject(with: Data(submit.stdout.utf8)) as? [String: Any]) ?? [:]
        #expect(job["state"] as? String == "succeeded" && job["tasksDone"] as? Int == job["tasksTotal"] as? Int)
        #expect((job["tasksTotal"] as? Int ?? 0) == 4, "direct mode: num-sorted-run.compaction-trigger − 1 tasks over the 8 Parquet inputs")

        let clustered = try await Self.scan(cluster.warehouse, "db.events")
        let expected = try await Self.reference(cluster, inputs)
        #expect(clustered.count > 1_000_000)
        #expect(clustered == expected, "the cluster's table differs from a single-process write")

        let status = try await CLI.run(["status"] + cluster.http)
        #expect(status.stdout.contains("workers: 3 connected, 6 slots"), "\(status.stdout)")
        let metrics = try LoopbackHTTP.request("GET", port: cluster.httpPort, path: "/metrics", timeoutMs: 30_000)
        #expect(metrics.status == 200 && String(decoding: metrics.body, as: UTF8.self).contains("weir_workers_connected 3"))
    }

    /// Seed 11 ingests JSON Lines (shuffle mode: split and write tasks), seed 23 Parquet (direct mode).
    @Test(arguments: [11, 23]) func aWorkerKilledMidJobChangesNothing(seed: Int) async throws {
        let cluster = try Cluster("cluster-kill")
        defer { cluster.stop(); cluster.scratch.remove() }
        let inputs = try await Self.writeInput(cluster.scratch.path, rows: seed == 23 ? 600_000 : 300_000, files: 6, seed: UInt64(seed), parquet: seed == 23)
        try await cluster.startCoordinator()
        for i in 1...3 { cluster.workers.append(try await cluster.startWorker(i)) }
        try await cluster.waitForWorkers(3)
        _ = try await CLI.run(["table", "create", "db.events", "--schema", cluster.scratch.path + "/schema.json", "--warehouse", cluster.warehouse])
        let submit = try await CLI.run(["submit", "ingest", "db.events", "--detach"] + inputs.flatMap { ["--input", $0] } + cluster.http)
        let id = submit.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(submit.status == 0 && !id.isEmpty, "\(submit.stderr)")
        // Kill a worker that has a running attempt, after a seed-chosen delay.
        try await Task.sleep(for: .milliseconds(200 + (seed * 37) % 800))
        var victim = cluster.workers[seed % 3]
        let status = try await CLI.run(["status", "--json"] + cluster.http)
        if let object = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any],
           let busy = (object["workers"] as? [[String: Any]])?.first(where: { !($0["running"] as? [Any] ?? []).isEmpty }),
           let name = busy["id"] as? String, let index = Int(name.dropFirst("worker-".count)) {
            victim = cluster.workers[index - 1]
        }
        victim.kill9()
        let job = try await cluster.waitForJob(id)
        #expect(job["state"] as? String == "succeeded", "seed \(seed): \(job)")
        let clustered = try await Self.scan(cluster.warehouse, "db.events")
        #expect(clustered == (try await Self.reference(cluster, inputs)), "seed \(seed): the result differs after a worker was killed")
        // No snapshot references a missing file: every live data file of the table exists.
        let describe = try await CLI.run(["table", "describe", "db.events", "--warehouse", cluster.warehouse])
        #expect(describe.status == 0, "\(describe.stderr)")
    }

    @Test func aRestartedCoordinatorFinishesTheJob() async throws {
        let cluster = try Cluster("cluster-restart")
        defer { cluster.stop(); cluster.scratch.remove() }
        let inputs = try await Self.writeInput(cluster.scratch.path, rows: 300_000, files: 6, seed: 5)
        try await cluster.startCoordinator()
        for i in 1...2 { cluster.workers.append(try await cluster.startWorker(i)) }
        try await cluster.waitForWorkers(2)
        _ = try await CLI.run(["table", "create", "db.events", "--schema", cluster.scratch.path + "/schema.json", "--warehouse", cluster.warehouse])
        let submit = try await CLI.run(["submit", "ingest", "db.events", "--detach"] + inputs.flatMap { ["--input", $0] } + cluster.http)
        let id = submit.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        // Wait until some task has succeeded, then kill the coordinator and start a new one on the same store.
        for _ in 0..<600 {
            if let job = try? await cluster.job(id), (job["tasksDone"] as? Int ?? 0) >= 1 || job["state"] as? String == "succeeded" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        cluster.coordinator?.kill9()
        try await cluster.startCoordinator()
        let job = try await cluster.waitForJob(id)
        #expect(job["state"] as? String == "succeeded", "\(job)")
        let clustered = try await Self.scan(cluster.warehouse, "db.events")
        #expect(clustered == (try await Self.reference(cluster, inputs)), "the result differs after the coordinator restarted")
        let snapshots = try await CLI.run(["table", "snapshots", "db.events", "--json", "--warehouse", cluster.warehouse])
        #expect(snapshots.stdout.split(separator: "\n").filter { $0.contains("\"APPEND\"") }.count == 1, "one APPEND commit: \(snapshots.stdout)")
    }

    @Test func aWorkerWithTheWrongSecretIsRefused() async throws {
        let cluster = try Cluster("cluster-secret")
        defer { cluster.stop(); cluster.scratch.remove() }
        try await cluster.startCoordinator()
        let result = try await ChildProcess.run(CLI.path, ["worker", "--coordinator", "127.0.0.1:\(cluster.workerPort)", "--secret-file",
                                                          cluster.scratch.path + "/wrong", "--scratch", cluster.scratch.path + "/w", "--id", "intruder"],
                                                timeoutSeconds: 60)
        #expect(result.status != 0, "a worker with the wrong secret must stop")
        #expect((result.stdout + result.stderr).lowercased().contains("secret"), "\(result.stdout) \(result.stderr)")
        let status = try await CLI.run(["status", "--json"] + cluster.http)
        #expect(status.stdout.contains("refusedConnections") && !status.stdout.contains("\"intruder\",\"connected\":true"))
    }
}
