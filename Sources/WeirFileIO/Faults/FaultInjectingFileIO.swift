import Synchronization
import WeirCodecs

/// Wraps a ``FileIO`` and injects failures, latency and cut-short reads by a seeded plan, for tests of
/// retries and of "nothing half-written becomes visible".
///
/// Each ``FaultRule`` names an operation, a fault, a probability and a budget of how many times it may fire;
/// the same seed gives the same sequence of faults for the same sequence of calls. Faults fire *before* the
/// wrapped call, so a failed operation had no effect, except a fault on ``WritableFile/close()``, which aborts
/// the wrapped writer (as a store that loses the connection before publishing).
public final class FaultInjectingFileIO: FileIO {
    public enum Operation: String, Sendable, CaseIterable {
        case status, open, read, create, write, close, list, delete, rename, mkdirs
    }

    public enum Fault: Sendable, Equatable {
        /// Throw this kind of error (`.transient` is retryable, others are not).
        case fail(FileIOError.Kind)
        /// Wait this long, then carry on.
        case delayMs(Int)
        /// A read whose body ends early (`.truncated`, retryable).
        case truncateRead
    }

    public struct FaultRule: Sendable {
        public var operation: Operation
        public var fault: Fault
        /// Chance per call, 0...1.
        public var probability: Double
        /// The most times this rule may fire.
        public var budget: Int

        public init(_ operation: Operation, _ fault: Fault, probability: Double = 1, budget: Int = .max) {
            self.operation = operation
            self.fault = fault
            self.probability = probability
            self.budget = budget
        }
    }

    public let base: any FileIO
    private struct State {
        var rules: [FaultRule]
        var random: SplitMix64
        var injected: [Operation: Int] = [:]
    }
    private let state: Mutex<State>

    public init(_ base: any FileIO, seed: UInt64, rules: [FaultRule]) {
        self.base = base
        self.state = Mutex(State(rules: rules, random: SplitMix64(seed: seed)))
    }

    /// How many faults were injected into each operation so far.
    public var injectedCounts: [Operation: Int] { state.withLock { $0.injected } }

    /// Replaces the rules (the random sequence carries on).
    public func setRules(_ rules: [FaultRule]) { state.withLock { $0.rules = rules } }

    public var capabilities: FileIOCapabilities { base.capabilities }

    /// Applies the rules for one call of `operation` on `path`.
    func inject(_ operation: Operation, _ path: StoragePath) async throws {
        let faults: [Fault] = state.withLock { s in
            var fired: [Fault] = []
            for index in s.rules.indices where s.rules[index].operation == operation && s.rules[index].budget > 0 {
                let draw = Double(s.random.next() >> 11) / Double(1 << 53)
                if draw < s.rules[index].probability {
                    s.rules[index].budget -= 1
                    s.injected[operation, default: 0] += 1
                    fired.append(s.rules[index].fault)
                }
            }
            return fired
        }
        for fault in faults {
            switch fault {
            case .delayMs(let ms):
                try await Task.sleep(for: .milliseconds(ms))
            case .fail(let kind):
                throw FileIOError(kind, path: path, "injected \(kind.rawValue) fault in \(operation.rawValue)")
            case .truncateRead:
                throw FileIOError(.truncated, path: path, "injected: the body ended early in \(operation.rawValue)")
            }
        }
    }

    public func status(_ path: StoragePath) async throws -> FileStatus {
        try await inject(.status, path)
        return try await base.status(path)
    }

    public func openForReading(_ path: StoragePath) async throws -> any ReadableFile {
        try await inject(.open, path)
        return FaultInjectingReadableFile(base: try await base.openForReading(path), owner: self)
    }

    public func create(_ path: StoragePath, overwrite: Bool) async throws -> any WritableFile {
        try await inject(.create, path)
        return FaultInjectingWritableFile(base: try await base.create(path, overwrite: overwrite), owner: self)
    }

    public func list(_ directory: StoragePath, options: ListOptions) async throws -> ListPage {
        try await inject(.list, directory)
        return try await base.list(directory, options: options)
    }

    public func delete(_ path: StoragePath, recursive: Bool) async throws -> Bool {
        try await inject(.delete, path)
        return try await base.delete(path, recursive: recursive)
    }

    public func rename(_ source: StoragePath, to target: StoragePath) async throws {
        try await inject(.rename, source)
        try await base.rename(source, to: target)
    }

    public func mkdirs(_ path: StoragePath) async throws {
        try await inject(.mkdirs, path)
        try await base.mkdirs(path)
    }
}

final class FaultInjectingReadableFile: ReadableFile {
    let base: any ReadableFile
    let owner: FaultInjectingFileIO

    init(base: any ReadableFile, owner: FaultInjectingFileIO) {
        self.base = base
        self.owner = owner
    }

    var path: StoragePath { base.path }
    var size: Int64 { base.size }

    func read(at offset: Int64, count: Int) async throws -> [UInt8] {
        try await owner.inject(.read, path)
        return try await base.read(at: offset, count: count)
    }

    func close() async { await base.close() }
}

final class FaultInjectingWritableFile: WritableFile {
    let base: any WritableFile
    let owner: FaultInjectingFileIO

    init(base: any WritableFile, owner: FaultInjectingFileIO) {
        self.base = base
        self.owner = owner
    }

    var path: StoragePath { base.path }

    func write(_ bytes: [UInt8]) async throws {
        try await owner.inject(.write, path)
        try await base.write(bytes)
    }

    func close() async throws {
        do {
            try await owner.inject(.close, path)
        } catch {
            await base.abort()
            throw error
        }
        try await base.close()
    }

    func abort() async { await base.abort() }
}
