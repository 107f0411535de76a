import Foundation
import Testing
import WeirProtocol
@testable import WeirCluster

/// ``SchedulerCore``: registry, assignment, stages and commit — no sockets, no clock.
@Suite struct SchedulerCoreAssignmentTests {
    @Test func pendingTasksSpreadAcrossWorkersWithinTheirSlots() {
        var h = CoreHarness()
        h.register("a", 1)
        h.register("b", 2)
        h.register("c", 3)
        let out = h.start("j", (0..<7).map { "t\($0)" })
        let given = assignments(out)
        #expect(given.map(\.connection) == [1, 2, 3, 1, 2, 3])
        #expect(given.map(\.ref.taskId) == ["t0", "t1", "t2", "t3", "t4", "t5"])
        #expect(given.allSatisfy { $0.ref.attempt == 1 })
        // Each assignment is stored before it is sent.
        for (i, directive) in out.enumerated() {
            guard case .send(_, .assignTask(let a)) = directive else { continue }
            guard i > 0, case .persist(.assign(let jobId, let taskId, _, let attempt, _)) = out[i - 1] else {
                Issue.record("assignTask \(a.task) is not right after its store write")
                continue
            }
            #expect(jobId == "j" && taskId == a.task.taskId && attempt == a.task.attempt)
        }
        #expect(h.task("j", "t6")?.state == .pending)
        #expect(h.core.workers.values.allSatisfy { $0.free == 0 })
        // A freed slot takes the next task.
        let next = h.succeed(2, ref("j", "t1", 1))
        #expect(assignments(next).map(\.connection) == [2])
        #expect(assignments(next).map(\.ref.taskId) == ["t6"])
    }

    @Test func tasksWaitForAWorker() {
        var h = CoreHarness()
        let out = h.start("j", ["t0", "t1"])
        #expect(assignments(out).isEmpty)
        #expect(writes(out).contains(.addTasks(jobId: "j", stage: 1, tasks: CoreHarness.tasks(["t0", "t1"]), nowMs: h.now)))
        #expect(writes(out).contains(.updateJob(id: "j", state: .running, stage: 1, message: nil, nowMs: h.now)))
        #expect(h.state("j") == .running)
        let registered = h.register("a", 1, slots: 4)
        #expect(registeredAnswer(registered) == Registered(workerId: "a", cancel: []))
        #expect(assignments(registered).map(\.ref.taskId) == ["t0", "t1"])
    }

    @Test func olderJobsGoFirst() {
        var h = CoreHarness()
        h.start("j1", ["a", "b"])
        h.start("j2", ["c"])
        let out = h.register("w", 1, slots: 2)
        #expect(assignments(out).map(\.ref.jobId) == ["j1", "j1"])
        let next = h.succeed(1, ref("j1", "a", 1))
        #expect(assignments(next).map(\.ref.jobId) == ["j2"])
    }

    @Test func stagesRunInOrderAndTheJobCommitsOnce() {
        var h = CoreHarness()
        h.register("w", 1, slots: 4)
        let submitted = h.on(.jobSubmitted(CoreHarness.job("j")))
        #expect(plans(submitted).map(\.stage) == [1])
        #expect(h.state("j") == .queued)
        h.on(.stagePlanned(jobId: "j", stage: 1, tasks: CoreHarness.tasks(["p0", "p1"])))
        #expect(plans(h.succeed(1, ref("j", "p0", 1))).isEmpty)
        let stage1Done = h.succeed(1, ref("j", "p1", 1), "second")
        #expect(plans(stage1Done).map(\.stage) == [2])
        #expect(plans(stage1Done).first?.previous == ["p0", "p1"])
        // A plan answer for a stage not being planned is dropped.
        #expect(h.on(.stagePlanned(jobId: "j", stage: 1, tasks: CoreHarness.tasks(["x"]))).isEmpty)
        let stage2 = h.on(.stagePlanned(jobId: "j", stage: 2, tasks: CoreHarness.tasks(["concat"])))
        #expect(assignments(stage2).map(\.ref.taskId) == ["concat"])
        #expect(h.core.record("j")?.stage == 2)
        let stage2Done = h.succeed(1, ref("j", "concat", 1))
        #expect(plans(stage2Done).first?.previous == ["p0", "p1", "concat"])
        let noMore = h.on(.stagePlanned(jobId: "j", stage: 3, tasks: nil))
        #expect(commits(noMore).map(\.tasks) == [["p0", "p1", "concat"]])
        #expect(writes(noMore) == [.updateJob(id: "j", state: .committing, stage: 2, message: nil, nowMs: h.now)])
        #expect(h.state("j") == .committing)
        let done = h.on(.committed(jobId: "j", report: .committed(snapshotId: 7, summary: "3 files")))
        #expect(writes(done) == [.updateJob(id: "j", state: .succeeded, stage: 2, message: "snapshot 7: 3 files", nowMs: h.now)])
        #expect(h.state("j") == .succeeded)
        #expect(h.core.jobs["j"] == nil)
        // A second commit answer changes nothing.
        #expect(h.on(.committed(jobId: "j", report: .alreadyCommitted(snapshotId: 7))).isEmpty)
    }

    @Test func emptyStagesAndJobsWithoutStages() {
        var h = CoreHarness()
        h.on(.jobSubmitted(CoreHarness.job("empty")))
        let out = h.on(.stagePlanned(jobId: "empty", stage: 1, tasks: []))
        #expect(plans(out).map(\.stage) == [2])
        let none = h.on(.stagePlanned(jobId: "empty", stage: 2, tasks: nil))
        #expect(commits(none).map(\.jobId) == ["empty"])
        h.on(.jobSubmitted(CoreHarness.job("nothing")))
        #expect(commits(h.on(.stagePlanned(jobId: "nothing", stage: 1, tasks: nil))).map(\.tasks) == [[]])
        h.on(.committed(jobId: "nothing", report: .nothingToCommit(summary: "")))
        #expect(h.core.record("nothing")?.message == "nothing to commit")
    }

    @Test func staleForeignAndDuplicateResultsChangeNothing() {
        var h = CoreHarness()
        h.register("a", 1, slots: 1)
        h.register("b", 2, slots: 1)
        h.start("j", ["t0", "t1"])
        // t0 runs on a (connection 1) as attempt 1.
        #expect(h.succeed(1, ref("j", "t0", 2)).isEmpty)  // not the current attempt
        #expect(h.succeed(2, ref("j", "t0", 1)).isEmpty)  // not this worker's attempt
        #expect(h.succeed(9, ref("j", "t0", 1)).isEmpty)  // not a registered connection
        #expect(h.succeed(1, ref("nope", "t0", 1)).isEmpty)
        #expect(h.task("j", "t0")?.state == .assigned)
        let accepted = h.succeed(1, ref("j", "t0", 1), "r0")
        #expect(writes(accepted) == [.finish(jobId: "j", taskId: "t0", attempt: 1, state: .succeeded, result: Array("r0".utf8), error: nil, nowMs: h.now)])
        #expect(h.succeed(1, ref("j", "t0", 1), "again").isEmpty)
        #expect(h.task("j", "t0")?.result == Array("r0".utf8))
    }

    @Test func progressCountsForTheCurrentAttemptOnly() {
        var h = CoreHarness()
        h.register("a", 1, slots: 1)
        h.start("j", ["t0"])
        let progress = h.on(.taskProgress(ConnectionID(1), TaskProgress(task: ref("j", "t0", 1), rows: 10, bytes: 100, unitsDone: 1, unitsTotal: 2)))
        #expect(writes(progress) == [.progress(jobId: "j", taskId: "t0", attempt: 1, rows: 10, bytes: 100)])
        #expect(h.on(.taskProgress(ConnectionID(1), TaskProgress(task: ref("j", "t0", 5), rows: 99, bytes: 99, unitsDone: 0, unitsTotal: 0))).isEmpty)
        let status = h.core.status(nowMs: h.now)
        #expect(status.jobs.first?.rows == 10)
        #expect(status.jobs.first?.bytes == 100)
        #expect(status.jobs.first?.tasksRunning == 1)
        #expect(status.workers.map(\.running) == [[AttemptStatus(jobId: "j", taskId: "t0", attempt: 1)]])
    }

    @Test func badPlansFailTheJob() {
        var h = CoreHarness()
        h.on(.jobSubmitted(CoreHarness.job("twice")))
        let out = h.on(.stagePlanned(jobId: "twice", stage: 1, tasks: CoreHarness.tasks(["a", "a"])))
        #expect(h.state("twice") == .failed)
        #expect(abandons(out) == ["twice"])
        #expect(h.core.record("twice")?.message?.contains("plans task a twice") == true)

        h.register("w", 1, slots: 1)
        h.start("reuse", ["a"])
        let next = h.succeed(1, ref("reuse", "a", 1))
        #expect(plans(next).map(\.stage) == [2])
        h.on(.stagePlanned(jobId: "reuse", stage: 2, tasks: CoreHarness.tasks(["a"])))
        #expect(h.state("reuse") == .failed)

        h.on(.jobSubmitted(CoreHarness.job("planfail")))
        h.on(.planningFailed(jobId: "planfail", stage: 1, error: "no such table"))
        #expect(h.core.record("planfail")?.message == "planning stage 1 failed: no such table")

        h.on(.jobSubmitted(CoreHarness.job("commitfail")))
        h.on(.stagePlanned(jobId: "commitfail", stage: 1, tasks: nil))
        let failed = h.on(.commitFailed(jobId: "commitfail", error: "conflict"))
        #expect(h.core.record("commitfail")?.message == "commit failed: conflict")
        #expect(abandons(failed) == ["commitfail"])
    }

    @Test func finishedJobsAreRememberedUpToTheLimit() {
        var h = CoreHarness(finishedJobsKeptMax: 2)
        for id in ["j1", "j2", "j3"] {
            h.on(.jobSubmitted(CoreHarness.job(id)))
            h.on(.stagePlanned(jobId: id, stage: 1, tasks: nil))
            h.on(.committed(jobId: id, report: .committed(snapshotId: 1, summary: "")))
        }
        #expect(h.core.record("j1") == nil)
        #expect(h.core.status(nowMs: h.now).jobs.map(\.id) == ["j3", "j2"])
        #expect(h.core.record("j3")?.message == "snapshot 1")
    }
}
