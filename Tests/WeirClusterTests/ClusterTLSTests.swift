import Foundation
import Testing
import WeirTestSupport
@testable import WeirCluster

/// The coordinator's port with TLS: workers that trust its certificate run jobs as over plain TCP.
@Suite struct ClusterTLSTests {
    /// A self-signed certificate for 127.0.0.1 and localhost, made with the openssl command.
    static func certificate(in directory: String) async throws -> (certificate: String, key: String) {
        let certificate = directory + "/coordinator.pem", key = directory + "/coordinator.key"
        let made = try await ChildProcess.run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=weir-coordinator", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", key, "-out", certificate,
        ], timeoutSeconds: 60)
        try #require(made.status == 0, "openssl: \(made.stderr)")
        return (certificate, key)
    }

    @Test func aJobRunsOverTLS() async throws {
        let keys = try Scratch("tls-keys"); defer { keys.remove() }
        let (certificate, key) = try await Self.certificate(in: keys.path)
        try await TestCluster.with("tls", workers: 0, configure: { $0.tls = ServerTLS(certificateChainPath: certificate, privateKeyPath: key) }) { cluster in
            cluster.startWorker("by-ip") { $0.tls = ClientTLS(trustRootsPath: certificate) }
            cluster.startWorker("by-name") { $0.tls = ClientTLS(trustRootsPath: certificate, serverHostname: "localhost") }
            try await cluster.waitForWorkers(2)
            let job = try await cluster.waitForJob(try await cluster.submit(parts: 4).id)
            try await cluster.expectExactlyOnce(job, parts: 4)
            // A worker that does not trust the certificate never registers; a plain-TCP worker neither.
            cluster.startWorker("untrusting") { $0.tls = ClientTLS() }
            cluster.startWorker("plain")
            try await Task.sleep(for: .milliseconds(500))
            #expect(await cluster.coordinator?.status().workers.map(\.id) == ["by-ip", "by-name"])
        }
    }

    @Test func unusableSettingsStopTheServicesAtOnce() async throws {
        var configuration = Coordinator.Configuration(host: "127.0.0.1", port: 0, secret: TestCluster.secret,
                                                      tls: ServerTLS(certificateChainPath: "/nonexistent/c.pem", privateKeyPath: "/nonexistent/c.key"))
        configuration.logger.logLevel = .critical
        let coordinator = Coordinator(configuration: configuration, store: MemoryClusterStore(), drivers: [])
        await #expect(throws: ClusterError.self) { try await coordinator.run() }
        await #expect(throws: ClusterError.self) { try await coordinator.waitUntilListening() }
        let noSecret = Coordinator(configuration: Coordinator.Configuration(host: "127.0.0.1", port: 0, secret: []), store: MemoryClusterStore(), drivers: [])
        await #expect(throws: ClusterError(.configuration, "the cluster secret is empty")) { try await noSecret.run() }
        let scratch = try Scratch("bad-worker"); defer { scratch.remove() }
        let worker = Worker(configuration: Worker.Configuration(host: "127.0.0.1", port: 1, secret: [1], workerId: "w", slots: 0,
                                                                scratchDirectory: scratch.path), executors: [])
        await #expect(throws: ClusterError(.configuration, "slots = 0 is not within 1...4096")) { try await worker.run() }
    }
}
