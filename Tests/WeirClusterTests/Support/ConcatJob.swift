import Foundation
import Synchronization
@testable import WeirCluster

/// What the test job kinds did, for the tests to check: attempts started, ended and cancelled per task, the
/// commits made, the jobs abandoned; and a gate tests close to hold chosen tasks mid-attempt.
final class JobRecorder: Sendable {
    struct State {
        var started: [String: [UInt64]] = [:]
        var succeeded: [String: [UInt64]] = [:]
        var cancelled: [String: [UInt64]] = [:]
        /// The scratch root (= worker) each attempt ran under.
        var workers: [String: String] = [:]
        var held: Set<String> = []
        var commits: [String: String] = [:]
        var commitCalls = 0
        var abandoned: [String] = []
    }

    let state = Mutex(State())

    func hold(_ taskIds: some Sequence<String>) { state.withLock { $0.held.formUnion(taskIds) } }
    func release(_ taskIds: some Sequence<String>) { state.withLock { $0.held.subtract(taskIds) } }
    func releaseAll() { state.withLock { $0.held.removeAll() } }
    func isHeld(_ taskId: String) -> Bool { state.withLock { $0.held.contains(taskId) } }

    var snapshot: State { state.withLock { $0 } }

    func startedCount(_ taskId: String) -> Int { state.withLock { $0.started[taskId]?.count ?? 0 } }
    var startedTotal: Int { state.withLock { $0.started.values.reduce(0) { $0 + $1.count } } }
}

/// The test job kind `concat`: stage 1 has `parts` tasks that each write a small file (`part <i>`) into
/// `directory` and return its name; stage 2 has one task that concatenates the files stage 1 returned, in order;
/// the commit records the concatenated text as the job's message (and, idempotently, in the recorder).
struct ConcatDriver: JobDriver {
    struct Spec: Codable {
        var parts: Int
        var directory: String
        /// Parts whose attempts up to this number fail (retryable per `failRetryable`).
        var failParts: [Int] = []
        var failAttempts: UInt64 = 0
        var failRetryable = true
    }

    struct PartSpec: Codable {
        var index: Int
        var directory: String
        var failAttempts: UInt64
        var failRetryable: Bool
    }

    struct ConcatSpec: Codable {
        var directory: String
        var files: [String]
    }

    struct Output: Codable {
        var file: String
        var text: String?
    }

    let kind = "concat"
    let recorder: JobRecorder

    static func spec(parts: Int, directory: String, failParts: [Int] = [], failAttempts: UInt64 = 0, failRetryable: Bool = true) -> [UInt8] {
        Array(try! JSONEncoder().encode(Spec(parts: parts, directory: directory, failParts: failParts, failAttempts: failAttempts,
                                             failRetryable: failRetryable)))
    }

    func validate(spec: [UInt8]) async throws {
        let decoded = try JSONDecoder().decode(Spec.self, from: Data(spec))
        guard (1...64).contains(decoded.parts) else { throw TaskFailure("parts must be within 1...64", retryable: false) }
    }

    func plan(job: JobRecord, stage: Int, previous: [TaskRecord]) async throws -> [PlannedTask]? {
        let spec = try JSONDecoder().decode(Spec.self, from: Data(job.spec))
        switch stage {
        case 1:
            return try (0..<spec.parts).map { i in
                let part = PartSpec(index: i, directory: spec.directory, failAttempts: spec.failParts.contains(i) ? spec.failAttempts : 0,
                                    failRetryable: spec.failRetryable)
                return PlannedTask(taskId: "part-\(i)", kind: "concat-part", spec: Array(try JSONEncoder().encode(part)))
            }
        case 2:
            let files = try previous.map { try JSONDecoder().decode(Output.self, from: Data($0.result ?? [])).file }
            return [PlannedTask(taskId: "concat", kind: "concat-join", spec: Array(try JSONEncoder().encode(ConcatSpec(directory: spec.directory, files: files))))]
        default:
            return nil
        }
    }

    func commit(job: JobRecord, tasks: [TaskRecord]) async throws -> CommitReport {
        guard let joined = tasks.first(where: { $0.taskId == "concat" }), let result = joined.result else {
            throw TaskFailure("no concat result", retryable: false)
        }
        let text = try JSONDecoder().decode(Output.self, from: Data(result)).text ?? ""
        let already = recorder.state.withLock { s -> Bool in
            s.commitCalls += 1
            if s.commits[job.commitUser] != nil { return true }
            s.commits[job.commitUser] = text
            return false
        }
        return already ? .alreadyCommitted(snapshotId: 1) : .committed(snapshotId: 1, summary: text)
    }

    func abandon(job: JobRecord, tasks: [TaskRecord]) async {
        recorder.state.withLock { $0.abandoned.append(job.id) }
    }
}

/// `concat-part`: writes `part <i>\n` into the attempt's scratch directory, then moves it to the job's directory
/// under a name with the attempt number; waits while the recorder holds its task.
struct PartExecutor: TaskExecutor {
    let kind = "concat-part"
    let recorder: JobRecorder

    func run(spec: [UInt8], context: TaskContext) async throws -> [UInt8] {
        let part = try JSONDecoder().decode(ConcatDriver.PartSpec.self, from: Data(spec))
        let files = FileManager.default
        let present = try files.contentsOfDirectory(atPath: context.scratchDirectory)
        guard present.isEmpty else { throw TaskFailure("the scratch directory starts with \(present)", retryable: false) }
        recorder.state.withLock {
            $0.started[context.taskId, default: []].append(context.attempt)
            $0.workers["\(context.taskId)#\(context.attempt)"] = (context.scratchDirectory as NSString).deletingLastPathComponent
        }
        context.progress(0, 0, 0, 1)
        while recorder.isHeld(context.taskId) {
            if context.isCancelled() {
                recorder.state.withLock { $0.cancelled[context.taskId, default: []].append(context.attempt) }
                throw CancellationError()
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        if context.attempt <= part.failAttempts { throw TaskFailure("planned failure of part \(part.index)", retryable: part.failRetryable) }
        let text = "part \(part.index)\n"
        let name = "part-\(part.index)-attempt-\(context.attempt)-\(UUID().uuidString.prefix(8)).txt"
        let staged = context.scratchDirectory + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: staged))
        try files.moveItem(atPath: staged, toPath: part.directory + "/" + name)
        context.progress(1, UInt64(text.utf8.count), 1, 1)
        recorder.state.withLock { $0.succeeded[context.taskId, default: []].append(context.attempt) }
        return Array(try JSONEncoder().encode(ConcatDriver.Output(file: name, text: nil)))
    }
}

/// `concat-join`: concatenates the listed files of the job's directory, in order.
struct JoinExecutor: TaskExecutor {
    let kind = "concat-join"
    let recorder: JobRecorder

    func run(spec: [UInt8], context: TaskContext) async throws -> [UInt8] {
        let join = try JSONDecoder().decode(ConcatDriver.ConcatSpec.self, from: Data(spec))
        recorder.state.withLock { $0.started[context.taskId, default: []].append(context.attempt) }
        var text = ""
        for file in join.files {
            text += try String(contentsOfFile: join.directory + "/" + file, encoding: .utf8)
        }
        let name = "joined-attempt-\(context.attempt).txt"
        try Data(text.utf8).write(to: URL(fileURLWithPath: join.directory + "/" + name))
        recorder.state.withLock { $0.succeeded[context.taskId, default: []].append(context.attempt) }
        return Array(try JSONEncoder().encode(ConcatDriver.Output(file: name, text: text)))
    }
}
