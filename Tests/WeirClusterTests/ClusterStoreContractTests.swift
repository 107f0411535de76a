import Foundation
import Testing
import WeirCatalog
import WeirTestSupport
@testable import WeirCluster

/// The ``ClusterStore`` contract on memory, SQLite and a real PostgreSQL 15.
@Suite(.postgres) struct ClusterStoreContractTests {
    static func job(_ id: String, created: Int64, state: JobState = .queued) -> JobRecord {
        JobRecord(id: id, kind: "ingest", spec: Array("{\"table\":\"t\"}".utf8), state: state, stage: 0, commitUser: "user-\(id)",
                  commitIdentifier: .max, createdMs: created, updatedMs: created, message: nil)
    }

    @Test(arguments: ClusterStoreKind.allCases) func jobsAreStoredListedAndUpdated(kind: ClusterStoreKind) async throws {
        let scratch = try Scratch("cluster-store"); defer { scratch.remove() }
        let stores = try await ClusterStores.make(kind, label: "jobs", scratch: scratch)
        let store = stores.0
        for (i, id) in ["a", "b", "c"].enumerated() { try await store.createJob(Self.job(id, created: 100 + Int64(i))) }
        #expect(try await store.job("b") == Self.job("b", created: 101))
        #expect(try await store.job("nope") == nil)
        #expect(try await store.jobs(limit: 2).map(\.id) == ["c", "b"])
        #expect(try await store.jobs(limit: 10).map(\.id) == ["c", "b", "a"])
        await #expect(throws: ClusterStoreError(.jobExists, "a job with id a exists already")) { try await store.createJob(Self.job("a", created: 1)) }
        try await store.updateJob("a", state: .running, stage: 2, message: nil, nowMs: 500)
        try await store.updateJob("b", state: .succeeded, stage: 1, message: "snapshot 4", nowMs: 600)
        let a = try #require(try await store.job("a"))
        #expect(a.state == .running && a.stage == 2 && a.updatedMs == 500 && a.createdMs == 100 && a.commitUser == "user-a")
        #expect(try await store.job("b")?.message == "snapshot 4")
        #expect(try await store.unfinishedJobs().map(\.id) == ["a", "c"])
        await #expect(throws: ClusterStoreError.self) { try await store.updateJob("zz", state: .failed, stage: 0, message: nil, nowMs: 1) }
        // Another handle on the same database sees the same rows.
        #expect(try await stores.1.job("a") == a)
        await ClusterStores.close(stores)
    }

    @Test(arguments: ClusterStoreKind.allCases) func tasksFollowTheAttemptProtocol(kind: ClusterStoreKind) async throws {
        let scratch = try Scratch("cluster-store"); defer { scratch.remove() }
        let stores = try await ClusterStores.make(kind, label: "tasks", scratch: scratch)
        let store = stores.0
        try await store.createJob(Self.job("j", created: 1))
        // Any bytes survive, also ones that are not UTF-8.
        let odd: [UInt8] = [0, 0xFF, 0xC3, 0x28, 0x3F, 0x27]
        try await store.addTasks(jobId: "j", stage: 1, [PlannedTask(taskId: "t2", kind: "w", spec: odd), PlannedTask(taskId: "t1", kind: "w", spec: [1])], nowMs: 10)
        // Planning again adds only what is new and leaves the rest alone.
        try await store.addTasks(jobId: "j", stage: 1, [PlannedTask(taskId: "t2", kind: "changed", spec: []), PlannedTask(taskId: "t3", kind: "w", spec: [])], nowMs: 11)
        var tasks = try await store.tasks(jobId: "j")
        #expect(tasks.map(\.taskId) == ["t2", "t1", "t3"])
        let t2 = try #require(tasks.first { $0.taskId == "t2" })
        #expect(t2.kind == "w" && t2.spec == odd && t2.state == .pending && t2.attempt == 0 && t2.workerId == nil && t2.updatedMs == 10)

        #expect(try await store.assign(jobId: "j", taskId: "t2", workerId: "w1", nowMs: 20) == 1)
        #expect(try await store.assign(jobId: "j", taskId: "t2", workerId: "w2", nowMs: 21) == nil)  // not pending
        #expect(try await store.assign(jobId: "j", taskId: "nope", workerId: "w2", nowMs: 21) == nil)
        try await store.updateProgress(jobId: "j", taskId: "t2", attempt: 1, rows: 5, bytes: 50)
        try await store.updateProgress(jobId: "j", taskId: "t2", attempt: 9, rows: 99, bytes: 99)  // stale: ignored
        #expect(try await store.finish(jobId: "j", taskId: "t2", attempt: 2, state: .succeeded, result: [1], error: nil, nowMs: 30) == false)
        // A retry: back to pending, the worker forgotten, the error kept.
        #expect(try await store.finish(jobId: "j", taskId: "t2", attempt: 1, state: .pending, result: nil, error: "lost", nowMs: 31))
        #expect(try await store.finish(jobId: "j", taskId: "t2", attempt: 1, state: .succeeded, result: [1], error: nil, nowMs: 32) == false)
        tasks = try await store.tasks(jobId: "j")
        var retried = try #require(tasks.first { $0.taskId == "t2" })
        #expect(retried.state == .pending && retried.workerId == nil && retried.error == "lost" && retried.rows == 5 && retried.bytes == 50)
        #expect(try await store.assign(jobId: "j", taskId: "t2", workerId: "w2", nowMs: 40) == 2)
        let result: [UInt8] = Array("{\"files\":[\"a.parquet\"]}".utf8) + [0]
        #expect(try await store.finish(jobId: "j", taskId: "t2", attempt: 2, state: .succeeded, result: result, error: nil, nowMs: 41))
        #expect(try await store.finish(jobId: "j", taskId: "t2", attempt: 2, state: .succeeded, result: result, error: nil, nowMs: 42) == false)
        retried = try #require(try await store.tasks(jobId: "j").first { $0.taskId == "t2" })
        #expect(retried.state == .succeeded && retried.attempt == 2 && retried.workerId == "w2" && retried.result == result && retried.updatedMs == 41)

        // A dead worker's assigned tasks go back to pending; cancelling leaves finished tasks alone.
        #expect(try await store.assign(jobId: "j", taskId: "t1", workerId: "w3", nowMs: 50) == 1)
        #expect(try await store.assign(jobId: "j", taskId: "t3", workerId: "w3", nowMs: 50) == 1)
        #expect(try await store.releaseTasks(ofWorker: "w3", nowMs: 60) == 2)
        #expect(try await store.releaseTasks(ofWorker: "w3", nowMs: 61) == 0)
        #expect(try await store.assign(jobId: "j", taskId: "t1", workerId: "w4", nowMs: 70) == 2)
        try await store.cancelTasks(jobId: "j", nowMs: 80)
        let states = Dictionary(uniqueKeysWithValues: try await store.tasks(jobId: "j").map { ($0.taskId, $0.state) })
        #expect(states == ["t1": .cancelled, "t2": .succeeded, "t3": .cancelled])
        #expect(try await store.finish(jobId: "j", taskId: "t1", attempt: 2, state: .succeeded, result: [], error: nil, nowMs: 90) == false)
        await ClusterStores.close(stores)
    }

    @Test(arguments: ClusterStoreKind.allCases) func concurrentWritersApplyAnAttemptOnce(kind: ClusterStoreKind) async throws {
        let scratch = try Scratch("cluster-store"); defer { scratch.remove() }
        let stores = try await ClusterStores.make(kind, label: "race", scratch: scratch)
        try await stores.0.createJob(Self.job("j", created: 1))
        try await stores.0.addTasks(jobId: "j", stage: 1, [PlannedTask(taskId: "t", kind: "w", spec: [])], nowMs: 1)
        let assigned = try await withThrowingTaskGroup(of: UInt64?.self) { group in
            for i in 0..<12 {
                let store = i % 2 == 0 ? stores.0 : stores.1
                group.addTask { try await store.assign(jobId: "j", taskId: "t", workerId: "w\(i)", nowMs: 2) }
            }
            return try await group.reduce(into: [UInt64]()) { if let a = $1 { $0.append(a) } }
        }
        #expect(assigned == [1])
        let finished = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<12 {
                let store = i % 2 == 0 ? stores.0 : stores.1
                group.addTask {
                    try await store.finish(jobId: "j", taskId: "t", attempt: 1, state: i % 3 == 0 ? .pending : .succeeded, result: [UInt8(i)],
                                           error: nil, nowMs: 3)
                }
            }
            return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(finished == 1)
        await ClusterStores.close(stores)
    }

    @Test func theClusterMigrationIsRecorded() async throws {
        let scratch = try Scratch("cluster-store"); defer { scratch.remove() }
        let path = scratch.path + "/m.db"
        let store = try await SQLClusterStore.open(.sqlite(path: path))
        #expect(try await store.migrate().isEmpty)
        #expect(try await Migrator(backend: store.backend).appliedVersions()[ClusterMigrations.module] == 1)
        await store.close()
        // The catalog store and the cluster store share one database.
        let catalog = try await StoreURL.sqlite(path: path).open(extraMigrations: ClusterMigrations.all)
        #expect(try await Migrator(backend: catalog.backend).appliedVersions() == ["catalog": 1, "cluster": 1])
        await catalog.close()
    }
}
