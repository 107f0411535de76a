/// Waiting for what another process or a background task does: bounded by a deadline, not by a count of polls, and
/// generous, because the full suite keeps a 2-core machine busy and a process can take seconds to start or to end
/// there. The deadline only bounds how long a failing test takes; a passing one returns as soon as the condition holds.
public enum Eventually {
    /// The default deadline, in milliseconds.
    public static let timeoutMs = 60_000

    /// Polls `condition` every `pollMs` until it holds or `timeoutMs` have passed, and once more at the deadline (a
    /// poller that was itself held up past the deadline still looks); returns whether it held.
    public static func holds(timeoutMs: Int = Eventually.timeoutMs, pollMs: Int = 50,
                             _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(timeoutMs)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(pollMs))
        }
        return try await condition()
    }
}
