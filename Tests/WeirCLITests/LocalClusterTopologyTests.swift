import Foundation
import Testing
import WeirTestSupport

/// The compose files and `Cluster/local-cluster` start the same topology from one source, `Cluster/cluster.env`:
/// `docker-compose config` (Debian's docker-compose; no engine needed) accepts both compose files, and the worker
/// count, slots and ports it resolves are the ones `Cluster/local-cluster --print-topology` prints.
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
            }
        }
    }
}
