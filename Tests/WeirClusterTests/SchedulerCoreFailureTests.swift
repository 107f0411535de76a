import Foundation
import Testing
import WeirProtocol
@testable import WeirCluster

/// ``SchedulerCore``: dead workers, retries, cancellation, the reconnect rule and the restart rule.
@Suite struct SchedulerCoreFailureTests {
    @Test func aClosedConnectionSendsItsAttemptsElsewhere() {
        var h = CoreHarness()
        h.register("a", 1, slots: 1)
        h.register("b", 2, slots: 1)
        h.start("j", ["t0", "t1"])
        #expect(h.task("j", "t0")?.workerId == "a")
        let out = h.on(.connectionClosed(ConnectionID(1)))
        #expect(writes(out).first == .finish(jobId: "j", taskId: "t0", attempt: 1, state: .pending, result: nil,
                                             error: "worker a lost: its connection closed", nowMs: h.now))
        #expect(h.core.workers["a"] == nil)
        #expect(h.task("j", "t0")?.state == .pending)
        // b is busy; a newcomer gets the retry, as attempt 2.
        let c = h.register("c", 3, slots: 1)
        #expect(assignments(c).map { "\($0.connection):\($0.ref.taskId)#\($0.ref.attempt)" } == ["3:t0#2"])
        // The late answer of attempt 1 (from a's new connection, or anyone) is not used.
        h.register("a", 4, slots: 1, running: [ref("j", "t0", 1)])
        #expect(h.succeed(4, ref("j", "t0", 1), "late").isEmpty)
        #expect(writes(h.succeed(3, ref("j", "t0", 2), "on time")).count == 1)
        #expect(h.task("j", "t0")?.result == Array("on time".utf8))
    }

    @Test func silentWorkersDie() {
        var h = CoreHarness(heartbeatTimeoutMs: 1_000)
        h.register("a", 1, slots: 1)
        h.register("b", 2, slots: 1)
        h.start("j", ["t0", "t1"])
        h.advance(800)
        h.on(.heartbeat(ConnectionID(2), Heartbeat(sequence: 1, running: [ref("j", "t1", 1)])))
        h.advance(300)
        let out = h.on(.tick)
        #expect(closes(out) == [1])
        #expect(h.core.workers.keys.sorted() == ["b"])
        #expect(h.task("j", "t0")?.state == .pending)
        #expect(h.task("j", "t0")?.error == "worker a lost: no heartbeat for 1100 ms")
        // The tick heartbeats the living.
        #expect(out.contains(.send(ConnectionID(2), .heartbeat(Heartbeat(sequence: 1, running: [ref("j", "t1", 1)])))))
        // A close of the dead connection arriving later changes nothing.
        #expect(h.on(.connectionClosed(ConnectionID(1))).isEmpty)
    }

    @Test func retriesAvoidTheWorkerThatFailedAndStopAtTheLimit() {
        var h = CoreHarness(attemptsMax: 3)
        h.register("a", 1, slots: 1)
        h.register("b", 2, slots: 2)
        h.start("j", ["t0", "t1"])
        #expect(h.task("j", "t0")?.workerId == "b")
        let first = h.fail(2, ref("j", "t0", 1), retryable: true, "disk hiccup")
        #expect(writes(first).first == .finish(jobId: "j", taskId: "t0", attempt: 1, state: .pending, result: nil, error: "disk hiccup", nowMs: h.now))
        // b has a free slot again, but a retry prefers another worker; a is busy with t1, so b it is.
        #expect(assignments(first).map(\.connection) == [2])
        h.succeed(1, ref("j", "t1", 1))
        let second = h.fail(2, ref("j", "t0", 2), retryable: true)
        #expect(assignments(second).map { "\($0.connection)#\($0.ref.attempt)" } == ["1#3"])  // now a is free
        let third = h.fail(1, ref("j", "t0", 3), retryable: true, "again")
        #expect(h.state("j") == .failed)
        #expect(h.core.record("j")?.message == "task t0 failed: again (attempt 3 of 3)")
        #expect(writes(third).contains(.finish(jobId: "j", taskId: "t0", attempt: 3, state: .failed, result: nil, error: "again (attempt 3 of 3)", nowMs: h.now)))
        #expect(writes(third).contains(.cancelTasks(jobId: "j", nowMs: h.now)))
        #expect(abandons(third) == ["j"])
    }

    @Test func aPermanentFailureFailsTheJobAndCancelsItsOtherAttempts() {
        var h = CoreHarness()
        h.register("a", 1, slots: 2)
        h.start("j", ["t0", "t1"])
        h.start("k", ["u0"])
        let out = h.fail(1, ref("j", "t0", 1), retryable: false, "bad input")
        #expect(h.state("j") == .failed)
        #expect(h.core.record("j")?.message == "task t0 failed: bad input")
        #expect(cancels(out).map(\.ref) == [ref("j", "t1", 1)])
        // t1's slot stays taken until the worker confirms; the freed t0 slot goes to k.
        #expect(assignments(out).map(\.ref.jobId) == ["k"])
        #expect(h.core.workers["a"]?.draining == [ref("j", "t1", 1)])
        let confirmed = h.on(.taskResult(ConnectionID(1), TaskResult(task: ref("j", "t1", 1), status: .cancelled, result: [], error: nil, retryable: true)))
        #expect(writes(confirmed).isEmpty)
        #expect(h.core.workers["a"]?.draining.isEmpty == true)
    }

    @Test func cancellingAJob() {
        var h = CoreHarness()
        h.register("a", 1, slots: 1)
        h.register("b", 2, slots: 1)
        h.start("j", ["t0", "t1", "t2"])
        h.start("k", ["u0"])
        let out = h.on(.cancelJob(jobId: "j"))
        #expect(h.state("j") == .cancelled)
        #expect(cancels(out).map { "\($0.connection):\($0.ref.taskId)" } == ["1:t0", "2:t1"])
        #expect(writes(out) == [.updateJob(id: "j", state: .cancelled, stage: 1, message: "cancelled", nowMs: h.now), .cancelTasks(jobId: "j", nowMs: h.now)])
        #expect(abandons(out) == ["j"])
        #expect(assignments(out).isEmpty)  // the slots are still taken by the stopping attempts
        // a confirms by result, b by a heartbeat that no longer lists it.
        let byResult = h.on(.taskResult(ConnectionID(1), TaskResult(task: ref("j", "t0", 1), status: .cancelled, result: [], error: nil, retryable: true)))
        #expect(assignments(byResult).map { "\($0.connection):\($0.ref.taskId)" } == ["1:u0"])
        h.on(.heartbeat(ConnectionID(2), Heartbeat(sequence: 3, running: [])))
        #expect(h.core.workers["b"]?.free == 1)
        // Cancelling again, or cancelling a finished or unknown job, changes nothing.
        #expect(h.on(.cancelJob(jobId: "j")).isEmpty)
        #expect(h.on(.cancelJob(jobId: "zzz")).isEmpty)
        #expect(h.core.status(nowMs: h.now).jobs.first { $0.id == "j" }?.state == .cancelled)
    }

    @Test func aCommittingJobCannotBeCancelled() {
        var h = CoreHarness()
        h.on(.jobSubmitted(CoreHarness.job("j")))
        h.on(.stagePlanned(jobId: "j", stage: 1, tasks: nil))
        #expect(h.on(.cancelJob(jobId: "j")).isEmpty)
        #expect(h.state("j") == .committing)
    }

    @Test func aCancelledAnswerFromTheWorkerIsRetried() {
        var h = CoreHarness()
        h.register("a", 1, slots: 1)
        h.start("j", ["t0"])
        let out = h.on(.taskResult(ConnectionID(1), TaskResult(task: ref("j", "t0", 1), status: .cancelled, result: [], error: "shutting down", retryable: true)))
        #expect(assignments(out).map(\.ref) == [ref("j", "t0", 2)])
    }

    @Test func unknownRunningAttemptsInAHeartbeatAreCancelled() {
        var h = CoreHarness()
        h.register("a", 1, slots: 2)
        h.start("j", ["t0"])
        let out = h.on(.heartbeat(ConnectionID(1), Heartbeat(sequence: 1, running: [ref("j", "t0", 1), ref("old", "x", 4)])))
        #expect(cancels(out).map(\.ref) == [ref("old", "x", 4)])
        #expect(h.core.workers["a"]?.busy == 2)
    }

    @Test func aReconnectKeepsWhatIsStillAssignedAndCancelsTheRest() {
        var h = CoreHarness()
        h.register("a", 1, slots: 3)
        h.start("j", ["x", "y", "z"])
        // z finished on the worker but its result was lost with the connection; the worker reports x and a stranger.
        let out = h.register("a", 2, slots: 3, running: [ref("j", "x", 1), ref("j", "y", 7), ref("other", "q", 1)])
        #expect(closes(out) == [1])  // the old connection is replaced
        #expect(registeredAnswer(out)?.cancel == [ref("j", "y", 7), ref("other", "q", 1)])
        #expect(h.task("j", "x")?.state == .assigned)
        #expect(h.task("j", "x")?.attempt == 1)
        // y (attempt 1, not reported) and z go back to pending and are given out again, as attempt 2.
        #expect(writes(out).filter { if case .finish(_, _, _, .pending, _, _, _) = $0 { return true } else { return false } }.count == 2)
        #expect(assignments(out).isEmpty)  // 1 kept + 2 cancelled fill the 3 slots
        let freed = h.on(.heartbeat(ConnectionID(2), Heartbeat(sequence: 1, running: [ref("j", "x", 1)])))
        #expect(Set(assignments(freed).map(\.ref)) == [ref("j", "y", 2), ref("j", "z", 2)])
        // The old connection's close, arriving late, does not kill the worker.
        #expect(h.on(.connectionClosed(ConnectionID(1))).isEmpty)
        #expect(h.core.workers["a"]?.connection == ConnectionID(2))
        #expect(writes(h.succeed(2, ref("j", "x", 1))).count == 1)
    }

    @Test func aDrainingWorkerRegistersAgainWithNoSlots() {
        var h = CoreHarness()
        h.register("a", 1, slots: 2)
        h.start("j", ["t0", "t1", "t2"])
        // The worker had not received t1's assignment yet when it registered again: t1 goes back to pending.
        let out = h.register("a", 1, slots: 0, running: [ref("j", "t0", 1)])
        #expect(closes(out).isEmpty)
        #expect(registeredAnswer(out)?.cancel == [])
        #expect(assignments(out).isEmpty)
        #expect(h.task("j", "t1")?.state == .pending)
        #expect(h.core.workers["a"]?.slots == 0)
        #expect(h.core.workers["a"]?.assigned == [ref("j", "t0", 1)])
        let b = h.register("b", 2, slots: 2)
        #expect(Set(assignments(b).map(\.ref)) == [ref("j", "t1", 2), ref("j", "t2", 1)])
        // What it still runs counts.
        #expect(writes(h.succeed(1, ref("j", "t0", 1))).count == 1)
        // Another worker id on the same connection is ignored.
        #expect(h.register("intruder", 1, slots: 5).isEmpty)
    }

    @Test func aRestartedCoordinatorWaitsForWorkersToClaimTheirAttempts() {
        var h = CoreHarness(heartbeatTimeoutMs: 1_000)
        func task(_ id: String, _ state: TaskState, attempt: UInt64, worker: String?, result: String? = nil) -> TaskRecord {
            TaskRecord(jobId: "j", taskId: id, stage: 1, kind: "work", spec: [], state: state, attempt: attempt, workerId: worker,
                       result: result.map { Array($0.utf8) }, error: nil, rows: 0, bytes: 0, updatedMs: 1)
        }
        let stored = [task("done", .succeeded, attempt: 1, worker: "w1", result: "r"), task("waiting", .pending, attempt: 1, worker: nil),
                      task("a", .assigned, attempt: 2, worker: "w1"), task("b", .assigned, attempt: 1, worker: "w2")]
        let resumed = h.on(.jobResumed(CoreHarness.job("j", state: .running, stage: 1), tasks: stored))
        #expect(resumed.isEmpty)
        #expect(h.core.status(nowMs: h.now).workers.map { "\($0.id):\($0.connected)" } == ["w1:false", "w2:false"])
        h.advance(500)
        let claimed = h.register("w1", 1, slots: 2, running: [ref("j", "a", 2)])
        #expect(registeredAnswer(claimed)?.cancel == [])
        #expect(assignments(claimed).map(\.ref) == [ref("j", "waiting", 2)])
        #expect(h.task("j", "a")?.attempt == 2)
        h.advance(600)
        let expired = h.on(.tick)
        #expect(h.core.workers["w2"] == nil)
        #expect(writes(expired).contains { if case .finish(_, "b", 1, .pending, _, _, _) = $0 { return true } else { return false } })
        #expect(assignments(expired).isEmpty)  // w1 is full
        let afterA = h.succeed(1, ref("j", "a", 2))
        #expect(assignments(afterA).map(\.ref) == [ref("j", "b", 2)])
        h.succeed(1, ref("j", "waiting", 2))
        let last = h.succeed(1, ref("j", "b", 2))
        #expect(plans(last).first?.previous == ["done", "waiting", "a", "b"])
        #expect(h.task("j", "done")?.attempt == 1)  // never run again
    }

    @Test func resumingJobsInEachState() {
        var h = CoreHarness()
        let queued = h.on(.jobResumed(CoreHarness.job("q"), tasks: []))
        #expect(plans(queued).map(\.stage) == [1])
        let done = TaskRecord(jobId: "r", taskId: "t", stage: 1, kind: "work", spec: [], state: .succeeded, attempt: 1, workerId: "w",
                              result: [1], error: nil, rows: 0, bytes: 0, updatedMs: 1)
        let stageDone = h.on(.jobResumed(CoreHarness.job("r", state: .running, stage: 1), tasks: [done]))
        #expect(plans(stageDone).map { "\($0.stage):\($0.previous)" } == ["2:[\"t\"]"])
        // Planning stage 2 again after a restart between storing its tasks and the job's stage: the stored ones stay.
        var h2 = CoreHarness()
        var next = done
        next.taskId = "s2"
        next.stage = 2
        h2.on(.jobResumed(CoreHarness.job("r", state: .running, stage: 1), tasks: [done, next]))
        let replanned = h2.on(.stagePlanned(jobId: "r", stage: 2, tasks: CoreHarness.tasks(["s2"])))
        #expect(plans(replanned).map(\.stage) == [3])
        let committing = h.on(.jobResumed(CoreHarness.job("c", state: .committing, stage: 1), tasks: [done]))
        #expect(commits(committing).map(\.jobId) == ["c"])
        var broken = done
        broken.state = .failed
        broken.error = "bad"
        h.on(.jobResumed(CoreHarness.job("f", state: .running, stage: 1), tasks: [broken]))
        #expect(h.state("f") == .failed)
        #expect(h.core.record("f")?.message == "task t failed: bad")
    }
}
