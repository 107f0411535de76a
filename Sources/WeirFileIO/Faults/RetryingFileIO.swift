/// Retries the idempotent operations of another ``FileIO`` (status, open, read, list, delete, mkdirs, and the
/// opening of a writer) with a ``RetryPolicy`` when they fail with a retryable ``FileIOError``
/// (`transient`, `truncated`).
///
/// Not retried: writes and ``WritableFile/close()``, whose effect is unknown after a failure; a caller redoes
/// the whole file instead (the contract keeps a failed close invisible). Rename is not retried either: after a
/// lost reply the source may already be gone.
public struct RetryingFileIO: FileIO {
    public let base: any FileIO
    public let policy: RetryPolicy
    /// Sees every error that leads to a retry (for metrics and logs).
    public let onRetry: @Sendable (any Error, Int) -> Void

    public init(_ base: any FileIO, policy: RetryPolicy = RetryPolicy(), onRetry: @escaping @Sendable (any Error, Int) -> Void = { _, _ in }) {
        self.base = base
        self.policy = policy
        self.onRetry = onRetry
    }

    public var capabilities: FileIOCapabilities { base.capabilities }

    public func status(_ path: StoragePath) async throws -> FileStatus {
        try await policy.run(onRetry: onRetry) { try await base.status(path) }
    }

    public func openForReading(_ path: StoragePath) async throws -> any ReadableFile {
        let file = try await policy.run(onRetry: onRetry) { try await base.openForReading(path) }
        return RetryingReadableFile(base: file, policy: policy, onRetry: onRetry)
    }

    public func create(_ path: StoragePath, overwrite: Bool) async throws -> any WritableFile {
        try await policy.run(onRetry: onRetry) { try await base.create(path, overwrite: overwrite) }
    }

    public func list(_ directory: StoragePath, options: ListOptions) async throws -> ListPage {
        try await policy.run(onRetry: onRetry) { try await base.list(directory, options: options) }
    }

    public func delete(_ path: StoragePath, recursive: Bool) async throws -> Bool {
        try await policy.run(onRetry: onRetry) { try await base.delete(path, recursive: recursive) }
    }

    public func rename(_ source: StoragePath, to target: StoragePath) async throws {
        try await base.rename(source, to: target)
    }

    public func mkdirs(_ path: StoragePath) async throws {
        try await policy.run(onRetry: onRetry) { try await base.mkdirs(path) }
    }
}

/// Reads are idempotent: each ranged read is retried on its own.
final class RetryingReadableFile: ReadableFile {
    let base: any ReadableFile
    let policy: RetryPolicy
    let onRetry: @Sendable (any Error, Int) -> Void

    init(base: any ReadableFile, policy: RetryPolicy, onRetry: @escaping @Sendable (any Error, Int) -> Void) {
        self.base = base
        self.policy = policy
        self.onRetry = onRetry
    }

    var path: StoragePath { base.path }
    var size: Int64 { base.size }

    func read(at offset: Int64, count: Int) async throws -> [UInt8] {
        try await policy.run(onRetry: onRetry) { try await base.read(at: offset, count: count) }
    }

    func close() async { await base.close() }
}
