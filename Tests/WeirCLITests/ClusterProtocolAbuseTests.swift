import Foundation
import Testing
import WeirProtocol
import WeirTestSupport

/// Protocol abuse against a real `weir coordinator` process while a real `weir worker` runs an ingest job: raw TCP
/// connections to the worker port send a header announcing a payload over the frame limit, garbage bytes, a
/// wrong magic, a bad checksum, and a truncated frame followed by a hang-up. Each connection is closed by the
/// coordinator, with a `goodbye` naming the reason where the peer still listens, and its log names the reason for
/// that peer's address; the worker stays connected and the job writes the same rows as `weir table write`.
/// The bad frames are built with WeirProtocol's own encoder, then one field is broken.
@Suite struct ClusterProtocolAbuseTests {
    typealias Cluster = ClusterProcessTests.Cluster

    /// A real worker's first frame (hello), as the protocol encodes it.
    static func helloFrame() throws -> (bytes: [UInt8], payloadCount: Int) {
        let frame = MessageCoding.encode(.hello(Hello(role: .worker, nodeName: "abuser",
                                                      clientNonce: [UInt8](repeating: 7, count: MessageLimits.nonceBytes))))
        return (try FrameEncoder().encode(frame), frame.payload.count)
    }

    /// The goodbye reasons in what the coordinator sent before closing.
    static func goodbyes(_ bytes: [UInt8]) -> [String] {
        var decoder = FrameDecoder()
        decoder.append(bytes)
        var reasons: [String] = []
        while let frame = try? decoder.next() {
            if case .goodbye(let reason)? = try? MessageCoding.decode(frame) { reasons.append(reason) }
        }
        return reasons
    }

    /// Waits (bounded) until the coordinator's log has a line about peer `127.0.0.1:port` that contains `reason`.
    static func logLine(_ cluster: Cluster, port: Int, containing reason: String, timeoutSeconds: Int = 30) async throws -> String? {
        let deadline = ContinuousClock.now + .seconds(timeoutSeconds)
        let peer = "127.0.0.1:\(port)"
        while ContinuousClock.now < deadline {
            let log = (try? String(contentsOfFile: cluster.coordinator!.logPath, encoding: .utf8)) ?? ""
            if let line = log.split(separator: "\n").first(where: { $0.contains(peer) && $0.contains(reason) }) { return String(line) }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    @Test func badPeersAreClosedWithALoggedReasonAndTheJobGoesOn() async throws {
        let cluster = try Cluster("cluster-abuse")
        defer { cluster.stop(); cluster.scratch.remove() }
        let inputs = try await ClusterProcessTests.writeInput(cluster.scratch.path, rows: 200_000, files: 4, seed: 31, parquet: true)
        try await cluster.startCoordinator()
        cluster.workers.append(try await cluster.startWorker(1))
        try await cluster.waitForWorkers(1)
        let create = try await CLI.run(["table", "create", "db.events", "--schema", cluster.scratch.path + "/schema.json", "--warehouse", cluster.warehouse])
        #expect(create.status == 0, "\(create.stderr)")
        let submit = try await CLI.run(["submit", "ingest", "db.events", "--detach"] + inputs.flatMap { ["--input", $0] } + cluster.http)
        let id = submit.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(submit.status == 0 && !id.isEmpty, "\(submit.stderr)")

        let (hello, payloadCount) = try Self.helloFrame()
        func bigEndian(_ value: UInt32) -> [UInt8] { [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)] }
        // (1) A header announcing one byte more than the coordinator's frame limit.
        var oversized = Array(hello[0..<FrameHeader.byteCount])
        oversized.replaceSubrange(8..<12, with: bigEndian(UInt32(FrameHeader.frameBytesMaxDefault + 1)))
        // (2) Garbage (seeded bytes that do not start with the magic), a wrong magic, a bad checksum.
        var state: UInt64 = 0x5EED
        let garbage = (0..<512).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        let garbageMagic = garbage[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        #expect(garbageMagic != FrameHeader.magic)
        var wrongMagic = hello
        wrongMagic.replaceSubrange(0..<4, with: Array("WEIS".utf8))
        var badChecksum = hello
        badChecksum[FrameHeader.byteCount + 3] ^= 0x40

        let refused: [(name: String, bytes: [UInt8], reason: String)] = [
            ("oversized header", oversized, "a frame declares \(FrameHeader.frameBytesMaxDefault + 1) payload bytes, over the limit of \(FrameHeader.frameBytesMaxDefault)"),
            ("garbage", garbage, "stream does not start with the Weir magic number (got 0x\(String(garbageMagic, radix: 16)))"),
            ("wrong magic", wrongMagic, "stream does not start with the Weir magic number (got 0x57454953)"),
            ("bad checksum", badChecksum, "frame of type \(MessageType.hello.rawValue) and \(payloadCount) bytes: checksum 0x"),
        ]
        for abuse in refused {
            let outcome = try await LoopbackTCP.converse(port: cluster.workerPort, send: abuse.bytes, hangUp: false)
            #expect(outcome.closedByServer, "\(abuse.name): the coordinator did not close the connection within 20 s")
            #expect(Self.goodbyes(outcome.received).contains { $0.contains(abuse.reason) },
                    "\(abuse.name): the goodbye should name the reason; got \(Self.goodbyes(outcome.received))")
            let line = try await Self.logLine(cluster, port: outcome.localPort, containing: abuse.reason)
            #expect(line?.contains("refused a connection") == true,
                    "\(abuse.name): no log line for 127.0.0.1:\(outcome.localPort) naming \"\(abuse.reason)\"; log:\n\(cluster.coordinator!.logTail())")
        }
        // (2) A truncated frame (the header and part of the payload), then the test hangs up.
        let cut = FrameHeader.byteCount + payloadCount / 2
        let truncated = try await LoopbackTCP.converse(port: cluster.workerPort, send: Array(hello[0..<cut]), hangUp: true)
        let truncatedReason = "the stream ended inside a frame of type \(MessageType.hello.rawValue): \(payloadCount / 2) of \(payloadCount) payload bytes"
        let line = try await Self.logLine(cluster, port: truncated.localPort, containing: truncatedReason)
        #expect(line != nil, "no log line for the truncated frame from 127.0.0.1:\(truncated.localPort); log:\n\(cluster.coordinator!.logTail())")

        // The real worker was not disturbed: the job succeeds with the rows one process writes, the worker is still
        // connected, and the status lists the refused peers.
        let job = try await cluster.waitForJob(id)
        #expect(job["state"] as? String == "succeeded", "\(job)")
        let status = try await CLI.run(["status", "--json"] + cluster.http)
        let object = (try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]) ?? [:]
        let workers = object["workers"] as? [[String: Any]] ?? []
        #expect(workers.count == 1 && workers.first?["id"] as? String == "worker-1" && workers.first?["connected"] as? Bool == true, "\(workers)")
        let refusals = (object["refusedConnections"] as? [[String: Any]] ?? []).compactMap { $0["reason"] as? String }
        for reason in refused.map(\.reason) + [truncatedReason] {
            #expect(refusals.contains { $0.contains(reason) }, "the status should list \"\(reason)\": \(refusals)")
        }
        // The same status over HTTP, where the status page links to it: the worker's last heartbeat, the job's progress.
        let answer = try LoopbackHTTP.request("GET", port: cluster.httpPort, path: "/api/cluster/status", timeoutMs: 30_000)
        let api = (try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any]) ?? [:]
        #expect(answer.status == 200)
        let apiWorkers = api["workers"] as? [[String: Any]] ?? []
        #expect(apiWorkers.count == 1 && apiWorkers.first?["connected"] as? Bool == true && (apiWorkers.first?["lastHeartbeatMs"] as? Int ?? 0) > 0,
                "\(apiWorkers)")
        let apiJob = (api["jobs"] as? [[String: Any]] ?? []).first { $0["id"] as? String == id }
        #expect(apiJob?["state"] as? String == "succeeded" && apiJob?["tasksDone"] as? Int == apiJob?["tasksTotal"] as? Int, "\(String(describing: apiJob))")
        // /metrics: the status gauges and the process's metrics (task-duration histograms, heartbeats).
        let metrics = String(decoding: try LoopbackHTTP.request("GET", port: cluster.httpPort, path: "/metrics", timeoutMs: 30_000).body, as: UTF8.self)
        for series in ["weir_worker_heartbeat_age_seconds{worker=\"worker-1\"}", "weir_cluster_heartbeats_total ",
                       "weir_cluster_task_duration_seconds_bucket{", "weir_cluster_task_duration_seconds_count{", "weir_cluster_task_attempts_total "] {
            #expect(metrics.contains(series), "no \(series) in /metrics:\n\(metrics.prefix(4000))")
        }
        let page = try LoopbackHTTP.request("GET", port: cluster.httpPort, path: "/", timeoutMs: 30_000)
        #expect(String(decoding: page.body, as: UTF8.self).contains("href=\"/api/cluster/status\""))
        let clustered = try await ClusterProcessTests.scan(cluster.warehouse, "db.events")
        let expected = try await ClusterProcessTests.reference(cluster, inputs)
        #expect(clustered.count > 100_000)
        #expect(clustered == expected, "the cluster's table differs from a single-process write")
    }
}
