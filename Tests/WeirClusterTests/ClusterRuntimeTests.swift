import Foundation
import Testing
import WeirCatalog
import WeirProtocol
import WeirTestSupport
@testable import WeirCluster

/// A coordinator and workers in one process over loopback TCP, running the two-stage `concat` job kind.
@Suite(.serialized) struct ClusterRuntimeTests {
    @Test func aTwoStageJobCompletesOnThreeWorkers() async throws {
        try await TestCluster.with("two-stage", workers: 3) { cluster in
            let submitted = try await cluster.submit(parts: 9)
            #expect(submitted.state == .queued && submitted.commitIdentifier == .max && !submitted.commitUser.isEmpty)
            let job = try await cluster.waitForJob(submitted.id)
            try await cluster.expectExactlyOnce(job, parts: 9)
            let snapshot = cluster.recorder.snapshot
            // Every task ran once, and stage 1 was spread over all three workers.
            #expect(snapshot.started.values.allSatisfy { $0 == [1] })
            #expect(Set(snapshot.workers.values).count == 3)
            #expect(snapshot.commitCalls == 1)
            // The attempts' scratch directories are gone.
            for id in ["worker-1", "worker-2", "worker-3"] {
                let entries = try FileManager.default.contentsOfDirectory(atPath: cluster.scratch.path + "/scratch-\(id)")
                #expect(entries.isEmpty, "\(entries)")
            }
            let status = try #require(await cluster.coordinator?.status())
            let jobStatus = try #require(status.jobs.first { $0.id == job.id })
            #expect(jobStatus.tasksDone == 10 && jobStatus.tasksTotal == 10 && jobStatus.state == .succeeded)
            #expect(jobStatus.rows == 9 && jobStatus.bytes == UInt64(TestCluster.expectedText(parts: 9).utf8.count))
            #expect(status.workers.map(\.id) == ["worker-1", "worker-2", "worker-3"])
            #expect(status.workers.allSatisfy { $0.connected && $0.slots == 2 && $0.running.isEmpty })
            #expect(try await cluster.coordinator?.jobs(limit: 5).map(\.id) == [job.id])
        }
    }

    @Test func aCutConnectionsTasksAreRunElsewhereAndUsedOnce() async throws {
        try await TestCluster.with("cut", workers: 0) { cluster in
            cluster.startWorker("worker-1", slots: 2) {
                $0.reconnectDelayMinMs = 1_000
                $0.reconnectDelayMaxMs = 2_000
            }
            cluster.startWorker("worker-2", slots: 2)
            cluster.startWorker("worker-3", slots: 2)
            try await cluster.waitForWorkers(3)
            let parts = 6
            cluster.recorder.hold((0..<parts).map { "part-\($0)" })
            let job = try await cluster.submit(parts: parts)
            try await cluster.waitFor("all parts to start") { cluster.recorder.startedTotal == parts }
            let onWorker1 = await cluster.coordinator!.status().workers.first { $0.id == "worker-1" }!.running.map(\.taskId)
            #expect(onWorker1.count == 2)
            cluster.workers["worker-1"]!.closeConnection()
            // The coordinator gives worker-1's parts out again (attempt 2); worker-1 comes back and is told to cancel its old ones.
            try await cluster.waitFor("the cut parts to be reassigned") {
                let tasks = try await cluster.coordinator!.tasks(jobId: job.id)
                return onWorker1.allSatisfy { id in tasks.first { $0.taskId == id }?.attempt == 2 }
            }
            try await cluster.waitFor("worker-1 to cancel its old attempts") {
                onWorker1.allSatisfy { cluster.recorder.snapshot.cancelled[$0] == [1] }
            }
            cluster.recorder.releaseAll()
            let done = try await cluster.waitForJob(job.id)
            try await cluster.expectExactlyOnce(done, parts: parts)
            let tasks = try await cluster.store.tasks(jobId: job.id)
            for id in onWorker1 { #expect(tasks.first { $0.taskId == id }?.attempt == 2) }
        }
    }

    @Test func aWorkerWithTheWrongSecretIsRefusedAndSaysWhy() async throws {
        try await TestCluster.with("wrong-secret", workers: 1) { cluster in
            cluster.startWorker("intruder", secret: Array("not the secret".utf8))
            let result = await cluster.workerResult("intruder")
            guard case .failure(let error as ClusterError)? = result else {
                Issue.record("the worker with the wrong secret did not fail: \(String(describing: result))")
                return
            }
            #expect(error.kind == .wrongSecret)
            // A peer that ignores the coordinator's proof and answers with a wrong one gets a goodbye naming the secret.
            let answer = try await RawPeer.session(port: cluster.port) { peer -> [Message] in
                let reply = try await peer.handshake(nodeName: "liar", secret: Array("guess".utf8))
                return (reply.map { [$0] } ?? []) + (try await peer.rest())
            }
            #expect(goodbyeReason(in: answer) == "liar: wrong cluster secret")
            let refused = try #require(await cluster.coordinator?.status().refusedConnections)
            #expect(refused.contains { $0.nodeName == "intruder" && $0.reason.hasPrefix("left during the handshake") })
            #expect(refused.contains { $0.nodeName == "liar" && $0.reason == "liar: wrong cluster secret" && $0.address?.hasPrefix("127.0.0.1:") == true })
            #expect(await cluster.coordinator?.status().workers.map(\.id) == ["worker-1"])
            let job = try await cluster.waitForJob(try await cluster.submit(parts: 2).id)
            try await cluster.expectExactlyOnce(job, parts: 2)
        }
    }

    @Test func aFrameOverTheLimitClosesOnlyThatConnection() async throws {
        try await TestCluster.with("frame-limit", workers: 2, configure: { $0.frameBytesMax = 64 << 10 }) { cluster in
            cluster.recorder.hold(["part-0"])
            let job = try await cluster.submit(parts: 4)
            let answer = try await RawPeer.session(port: cluster.port) { peer -> [Message] in
                guard case .welcome? = try await peer.handshake(nodeName: "big", secret: TestCluster.secret) else { return [] }
                try await peer.send(.register(Register(workerId: "big", slots: 1, shuffleAddress: nil, running: [])))
                guard case .registered? = try await peer.next() else { return [] }
                // A header that declares 1 MiB: refused before the payload arrives.
                var header: [UInt8] = []
                for value in [UInt32(FrameHeader.magic)] { header += withUnsafeBytes(of: value.bigEndian, Array.init) }
                header += withUnsafeBytes(of: FrameHeader.currentVersion.bigEndian, Array.init)
                header += withUnsafeBytes(of: MessageType.taskResult.rawValue.bigEndian, Array.init)
                header += withUnsafeBytes(of: UInt32(1 << 20).bigEndian, Array.init)
                header += [0, 0, 0, 0]
                try await peer.send(header)
                return try await peer.rest()
            }
            let reason = try #require(goodbyeReason(in: answer))
            #expect(reason.contains("1048576 payload bytes, over the limit of 65536"))
            #expect(await cluster.coordinator?.status().refusedConnections.contains { $0.nodeName == "big" } == true)
            cluster.recorder.releaseAll()
            let done = try await cluster.waitForJob(job.id)
            try await cluster.expectExactlyOnce(done, parts: 4)
            #expect(await cluster.coordinator?.status().workers.map(\.id) == ["worker-1", "worker-2"])
        }
    }

    @Test func garbageFromAPeerDisturbsNoOne() async throws {
        try await TestCluster.with("garbage", workers: 2) { cluster in
            cluster.recorder.hold(["part-1"])
            let job = try await cluster.submit(parts: 3)
            let http = try await RawPeer.session(port: cluster.port) { peer -> [Message] in
                try await peer.send(Array("GET / HTTP/1.1\r\nHost: weir\r\n\r\n".utf8))
                return try await peer.rest()
            }
            #expect(goodbyeReason(in: http)?.contains("does not start with the Weir magic number") == true)
            // A frame with a broken checksum after a good start, and a peer that says nothing and leaves.
            let broken = try await RawPeer.session(port: cluster.port) { peer -> [Message] in
                var frame = try FrameEncoder().encode(MessageCoding.encode(.hello(Hello(role: .worker, nodeName: "x", clientNonce: Nonce.random()))))
                frame[frame.count - 1] ^= 0xFF
                try await peer.send(frame)
                return try await peer.rest()
            }
            #expect(goodbyeReason(in: broken)?.contains("checksum") == true)
            try await RawPeer.session(port: cluster.port) { _ in }
            cluster.recorder.releaseAll()
            let done = try await cluster.waitForJob(job.id)
            try await cluster.expectExactlyOnce(done, parts: 3)
            #expect(cluster.recorder.snapshot.started.values.allSatisfy { $0 == [1] })
        }
    }

    @Test func aRestartedCoordinatorResumesWithoutRedoingSucceededTasks() async throws {
        let scratch = try Scratch("restart-store"); defer { scratch.remove() }
        let path = scratch.path + "/cluster.db"
        let first = try await SQLClusterStore.open(.sqlite(path: path))
        try await TestCluster.with("restart", workers: 2, store: first) { cluster in
            let parts = 6
            cluster.recorder.hold(["part-3", "part-4", "part-5"])
            let job = try await cluster.submit(parts: parts)
            try await cluster.waitFor("parts 0-2 to succeed in the store and 3-5 to start") {
                let tasks = try await first.tasks(jobId: job.id)
                return tasks.filter { $0.state == .succeeded }.count == 3 && cluster.recorder.startedTotal == parts
            }
            await cluster.stopCoordinator(graceful: false)
            await first.close()
            // While no coordinator runs, two held parts finish: their results wait on the workers.
            cluster.recorder.release(["part-3", "part-4"])
            try await cluster.waitFor("parts 3 and 4 to finish offline") {
                cluster.recorder.snapshot.succeeded.keys.filter { ["part-3", "part-4"].contains($0) }.count == 2
            }
            let second = try await SQLClusterStore.open(.sqlite(path: path))
            try await cluster.startCoordinator(store: second)
            try await cluster.waitForWorkers(2)
            cluster.recorder.releaseAll()
            let done = try await cluster.waitForJob(job.id)
            try await cluster.expectExactlyOnce(done, parts: parts)
            // Nothing ran twice: the succeeded parts were not redone, the running ones were kept across the restart.
            #expect(cluster.recorder.snapshot.started.values.allSatisfy { $0 == [1] })
            #expect(try await second.tasks(jobId: job.id).allSatisfy { $0.attempt == 1 })
            await cluster.shutdown()
            await second.close()
        }
    }

    @Test func aCommittingJobIsCommittedAgainAfterARestart() async throws {
        let scratch = try Scratch("recommit-store"); defer { scratch.remove() }
        let store = try await SQLClusterStore.open(.sqlite(path: scratch.path + "/cluster.db"))
        let recorder = JobRecorder()
        // A job left in `committing` by a coordinator that died after its commit but before storing the outcome.
        let job = JobRecord(id: "j1", kind: "concat", spec: ConcatDriver.spec(parts: 1, directory: scratch.path), state: .committing, stage: 2,
                            commitUser: "u1", commitIdentifier: .max, createdMs: 1, updatedMs: 1, message: nil)
        try await store.createJob(job)
        try await store.addTasks(jobId: "j1", stage: 2, [PlannedTask(taskId: "concat", kind: "concat-join", spec: [])], nowMs: 1)
        _ = try await store.assign(jobId: "j1", taskId: "concat", workerId: "w", nowMs: 1)
        _ = try await store.finish(jobId: "j1", taskId: "concat", attempt: 1, state: .succeeded,
                                   result: Array(try JSONEncoder().encode(ConcatDriver.Output(file: "f", text: "part 0\n"))), error: nil, nowMs: 1)
        recorder.state.withLock { $0.commits["u1"] = "part 0\n" }
        var configuration = Coordinator.Configuration(host: "127.0.0.1", port: 0, secret: TestCluster.secret)
        configuration.logger.logLevel = .warning
        let coordinator = Coordinator(configuration: configuration, store: store, drivers: [ConcatDriver(recorder: recorder)])
        let task = TestCluster.run { try await coordinator.run() }
        var record: JobRecord?
        _ = try await Eventually.holds(timeoutMs: 300_000, pollMs: 20) {
            record = try await coordinator.job("j1")
            return record?.state.isFinal == true
        }
        #expect(record?.state == .succeeded)
        #expect(record?.message == "snapshot 1 (committed before)")
        #expect(recorder.snapshot.commitCalls == 1)
        coordinator.beginShutdown()
        _ = await TestCluster.finish(task)
        #expect(try await store.job("j1")?.state == .succeeded)
        await store.close()
    }

    @Test func cancellingAJobStopsItsAttemptsAndFreesTheSlots() async throws {
        try await TestCluster.with("cancel", workers: 2, slots: 1) { cluster in
            cluster.recorder.hold(["part-0", "part-1", "part-2"])
            let job = try await cluster.submit(parts: 3)
            try await cluster.waitFor("two parts to start") { cluster.recorder.startedTotal == 2 }
            let cancelled = try await cluster.coordinator!.cancel(job.id)
            #expect(cancelled.state == .cancelled)
            #expect(cancelled.message == "cancelled")
            try await cluster.waitFor("both attempts to stop") { cluster.recorder.snapshot.cancelled.count == 2 }
            try await cluster.waitFor("the store to show the cancellation") {
                try await cluster.store.tasks(jobId: job.id).allSatisfy { $0.state == .cancelled } && cluster.recorder.snapshot.abandoned == [job.id]
            }
            #expect(try await cluster.store.job(job.id)?.state == .cancelled)
            #expect(try await cluster.coordinator!.cancel(job.id).state == .cancelled)  // again: no change
            await #expect(throws: ClusterError.self) { try await cluster.coordinator!.cancel("no-such-job") }
            // The freed slots run the next job.
            cluster.recorder.releaseAll()
            let next = try await cluster.waitForJob(try await cluster.submit(parts: 2).id)
            try await cluster.expectExactlyOnce(next, parts: 2)
        }
    }

    @Test func failuresAreRetriedUpToTheLimitOrFailTheJob() async throws {
        try await TestCluster.with("failures", workers: 2, configure: { $0.attemptsMax = 3 }) { cluster in
            let retried = try await cluster.waitForJob(try await cluster.submit(parts: 3, failParts: [1], failAttempts: 2).id)
            try await cluster.expectExactlyOnce(retried, parts: 3)
            #expect(try await cluster.store.tasks(jobId: retried.id).first { $0.taskId == "part-1" }?.attempt == 3)
            let exhausted = try await cluster.waitForJob(try await cluster.submit(parts: 2, failParts: [0], failAttempts: 3).id)
            #expect(exhausted.state == .failed)
            #expect(exhausted.message == "task part-0 failed: planned failure of part 0 (attempt 3 of 3)")
            let permanent = try await cluster.waitForJob(try await cluster.submit(parts: 2, failParts: [1], failAttempts: 1, failRetryable: false).id)
            #expect(permanent.state == .failed)
            #expect(permanent.message == "task part-1 failed: planned failure of part 1")
            #expect(try await cluster.store.job(permanent.id)?.state == .failed)
            await #expect(throws: ClusterError.self) { try await cluster.coordinator!.submit(kind: "concat", spec: Array("{\"parts\":0,\"directory\":\"/\"}".utf8)) }
            await #expect(throws: ClusterError.self) { try await cluster.coordinator!.submit(kind: "nope", spec: []) }
        }
    }

    @Test func aWorkerShuttingDownHandsItsAttemptsBack() async throws {
        try await TestCluster.with("worker-shutdown", workers: 0) { cluster in
            cluster.startWorker("leaving", slots: 2) { $0.drainTimeoutMs = 200 }
            try await cluster.waitForWorkers(1)
            cluster.recorder.hold(["part-0", "part-1"])
            let job = try await cluster.submit(parts: 2)
            try await cluster.waitFor("both parts to start") { cluster.recorder.startedTotal == 2 }
            let result = await cluster.stopWorker("leaving")
            #expect(throws: Never.self) { try result?.get() }
            #expect(cluster.recorder.snapshot.cancelled.count == 2)
            cluster.recorder.releaseAll()
            cluster.startWorker("staying")
            let done = try await cluster.waitForJob(job.id)
            try await cluster.expectExactlyOnce(done, parts: 2)
            #expect(cluster.recorder.snapshot.started["part-0"] == [1, 2])
        }
    }
}
