/// Exponential backoff with full jitter (delay drawn uniformly from 0...min(cap, base * 2^attempt)).
///
/// Limits: at most ``attemptsMax`` calls in all (the first one included); no single wait longer than
/// ``delayMaxMs``. The sleep function is injected so tests run without a clock.
public struct RetryPolicy: Sendable {
    public var attemptsMax: Int
    public var delayBaseMs: Int
    public var delayMaxMs: Int
    /// Waits the given number of milliseconds (cancellation ends the wait with an error).
    public var sleep: @Sendable (Int) async throws -> Void

    public init(
        attemptsMax: Int = 6, delayBaseMs: Int = 50, delayMaxMs: Int = 5_000,
        sleep: @escaping @Sendable (Int) async throws -> Void = { ms in try await Task.sleep(for: .milliseconds(ms)) }
    ) {
        precondition(attemptsMax >= 1 && delayBaseMs >= 0 && delayMaxMs >= delayBaseMs)
        self.attemptsMax = attemptsMax
        self.delayBaseMs = delayBaseMs
        self.delayMaxMs = delayMaxMs
        self.sleep = sleep
    }

    /// One attempt only.
    public static let none = RetryPolicy(attemptsMax: 1, delayBaseMs: 0, delayMaxMs: 0)

    /// The wait before retry number `retry` (1 for the first retry), with jitter from `random`.
    public func delayMs(beforeRetry retry: Int, using random: inout some RandomNumberGenerator) -> Int {
        let exponent = min(max(retry - 1, 0), 20)
        let ceiling = min(delayMaxMs, delayBaseMs << exponent)
        return ceiling <= 0 ? 0 : Int.random(in: 0...ceiling, using: &random)
    }

    /// Runs `operation` until it succeeds, throws an error `isRetryable` rejects, or attempts run out
    /// (then the last error is thrown). `onRetry` sees each error that leads to a retry.
    public func run<T>(
        isRetryable: (any Error) -> Bool = { ($0 as? FileIOError)?.isRetryable ?? false },
        onRetry: (any Error, Int) -> Void = { _, _ in },
        _ operation: () async throws -> T
    ) async throws -> T {
        var generator = SystemRandomNumberGenerator()
        var attempt = 1
        while true {
            do {
                return try await operation()
            } catch {
                guard attempt < attemptsMax, isRetryable(error), !Task.isCancelled else { throw error }
                onRetry(error, attempt)
                try await sleep(delayMs(beforeRetry: attempt, using: &generator))
                attempt += 1
            }
        }
    }
}
