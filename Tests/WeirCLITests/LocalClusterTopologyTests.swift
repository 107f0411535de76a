import Foundation
import Testing
import WeirTestSupport

/// The compose files, `Cluster/local-cluster` and `Cluster/netns-cluster` start the same topology from one source,
/// `Cluster/cluster.env`: `docker-compose config` (Debian's docker-compose; no engine needed) accepts both compose
/// files, and the worker count, slots and ports it resolves are the ones both scripts' `--print-topology` print.
/// The compose coordinator gets PostgreSQL's password as the same secret file the postgres service reads, through
/// the store URL's `password-file`, which `weir coordinator` reads.
@Suite struct LocalClusterTopologyTests {
    static func env() throws -> [String: String] {
        let text = try String(contentsOfFile: PackageRoot.path + "/Cluster/cluster.env", encoding: .utf8)
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        return values
    }

    @Test func composeAndLocalClusterReadOneTopology() async throws {
        let env = try Self.env()
        let topology = try await ChildProcess.run(PackageRoot.path + "/Cluster/local-cluster", ["--print-topology"])
        #expect(topology.status == 0, "\(topology.stderr)")
        let lines = topology.stdout.split(separator: "\n").map(String.init)
        let workers = lines.filter { $0.hasPrefix("worker ") }
        #expect(workers.count == Int(env["WEIR_WORKERS"] ?? "") && workers.allSatisfy { $0.hasSuffix("slots=\(env["WEIR_WORKER_SLOTS"]!)") })
        #expect(lines.first == "coordinator port=\(env["WEIR_COORDINATOR_PORT"]!) http=\(env["WEIR_HTTP_PORT"]!) heartbeat_ms=\(env["WEIR_HEARTBEAT_MS"]!)")

        let netns = try await ChildProcess.run(PackageRoot.path + "/Cluster/netns-cluster", ["--print-topology"])
        #expect(netns.status == 0, "\(netns.stderr)")
        let netnsLines = netns.stdout.split(separator: "\n").map(String.init)
        let netnsWorkers = netnsLines.filter { $0.hasPrefix("worker-") }
        #expect(netnsWorkers.count == Int(env["WEIR_WORKERS"] ?? "") && netnsWorkers.allSatisfy { $0.hasSuffix("slots=\(env["WEIR_WORKER_SLOTS"]!)") })
        #expect(netnsLines.contains { $0.hasPrefix("coordinator ") && $0.contains("workers :\(env["WEIR_COORDINATOR_PORT"]!)") && $0.contains("http :\(env["WEIR_HTTP_PORT"]!)") },
                "\(netns.stdout)")

        for file in ["docker-compose.yml", "docker-compose.single.yml"] {
            let config = try await ChildProcess.run("/usr/bin/env", ["docker-compose", "--env-file", PackageRoot.path + "/Cluster/cluster.env",
                                                                     "-f", PackageRoot.path + "/Docker/" + file, "config"])
            #expect(config.status == 0, "\(file): \(config.stderr)")
            let resolved = config.stdout
            #expect(resolved.contains("- 0.0.0.0:\(env["WEIR_COORDINATOR_PORT"]!)") && resolved.contains("- 0.0.0.0:\(env["WEIR_HTTP_PORT"]!)"), "\(file) ports")
            #expect(resolved.contains("- --slots\n    - '\(env["WEIR_WORKER_SLOTS"]!)'") || resolved.contains("- '\(env["WEIR_WORKER_SLOTS"]!)'"), "\(file) slots")
            if file == "docker-compose.yml" {
                #expect(resolved.contains("replicas: \(env["WEIR_WORKERS"]!)"), "the cluster file runs WEIR_WORKERS workers")
                for service in ["postgres:", "minio:", "create-bucket:", "coordinator:", "worker:"] {
                    #expect(resolved.contains("  " + service), "\(file) has \(service)")
                }
                #expect(resolved.contains("healthcheck:") && resolved.contains("cluster-secret"))
                let store = "postgresql://\(env["WEIR_POSTGRES_USER"]!)@postgres:5432/\(env["WEIR_POSTGRES_DB"]!)?password-file=/run/secrets/postgres-password"
                #expect(resolved.contains("- --store\n    - \(store)\n"), "the coordinator reads PostgreSQL's password from its secret")
                #expect(resolved.contains("POSTGRES_PASSWORD_FILE: /run/secrets/postgres-password"), "postgres reads the same secret")
                let coordinator = resolved.components(separatedBy: "\n  coordinator:\n").last?.components(separatedBy: "\n  create-bucket:").first ?? ""
                #expect(coordinator.contains("- source: postgres-password"), "the coordinator service mounts the postgres-password secret")
                try await Self.coordinatorReadsThePasswordFile(of: store)
            }
        }
    }

    /// `weir coordinator --store STORE` gets as far as reading the password file STORE names: on this machine
    /// there is no /run/secrets/postgres-password, and the coordinator stops saying it cannot read that file.
    static func coordinatorReadsThePasswordFile(of store: String) async throws {
        #expect(!FileManager.default.fileExists(atPath: "/run/secrets/postgres-password"), "this check needs a machine without the compose secret")
        let scratch = try Scratch("compose-store")
        defer { scratch.remove() }
        try Data("a-cluster-secret-for-tests-0123456789".utf8).write(to: URL(fileURLWithPath: scratch.path + "/secret"))
        let result = try await CLI.run(["coordinator", "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0", "--store", store,
                                        "--warehouse", scratch.path + "/wh", "--secret-file", scratch.path + "/secret"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot read the PostgreSQL password file /run/secrets/postgres-password"), "\(result.stderr)")
    }
}
