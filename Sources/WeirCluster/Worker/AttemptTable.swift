import NIOCore
import Synchronization
import WeirProtocol

/// The worker's attempts (queued and running), the results not yet sent, and the registered connection, under one
/// lock. Every message whose order matters — `register`'s and heartbeats' lists of held attempts, progress, results
/// — is written while the lock is held, so the coordinator sees them in the order the table changed: an attempt
/// listed in a heartbeat has not had its result sent before it.
///
/// "Held" attempts are the queued, the running, and the finished whose results wait in the outbox for a
/// connection: a reconnecting worker reports all of them, so the coordinator keeps them and accepts the results
/// sent right after it registers.
final class AttemptTable: Sendable {
    struct Attempt {
        let assignment: TaskAssignment
        var started = false
        var cancelled = false
        var canceller: (@Sendable () -> Void)?
        var progress: TaskProgress?
        var progressUnsent = false
        var progressSentMs: Int64?
    }

    struct State {
        var attempts: [TaskRef: Attempt] = [:]
        var outbox: [TaskResult] = []
        /// The connection the coordinator registered us on; nil while disconnected or before `registered`.
        var channel: (any Channel)?
        var lastHeardMs: Int64 = 0
        /// Shutting down: new assignments are answered as cancelled.
        var draining = false
        var heartbeatSequence: UInt64 = 0
    }

    let state = Mutex(State())
    /// The least time between two progress messages of one attempt, in milliseconds.
    let progressIntervalMs: Int64

    init(progressIntervalMs: Int64) {
        self.progressIntervalMs = progressIntervalMs
    }

    // MARK: - Connection

    /// The `register` message for a new session: the held attempts.
    func registerMessage(workerId: String, slots: Int) -> Message {
        state.withLock { s in
            .register(Register(workerId: workerId, slots: UInt64(slots), shuffleAddress: nil, running: Self.held(s)))
        }
    }

    /// The coordinator registered us on `channel`: cancel what it does not want (and drop such results), send the
    /// outbox, and from now on send on `channel`.
    func registered(on channel: any Channel, cancel: [TaskRef], nowMs: Int64) {
        let cancelled = Set(cancel)
        let cancellers = state.withLock { s -> [@Sendable () -> Void] in
            s.channel = channel
            s.lastHeardMs = nowMs
            s.outbox.removeAll { cancelled.contains($0.task) }
            var cancellers: [@Sendable () -> Void] = []
            for ref in cancel {
                guard var attempt = s.attempts[ref] else { continue }
                if !attempt.started {
                    // Never started: it ends here; the coordinator frees its slot on this result.
                    s.attempts[ref] = nil
                    s.outbox.append(TaskResult(task: ref, status: .cancelled, result: [], error: "cancelled before it started", retryable: true))
                    continue
                }
                attempt.cancelled = true
                if let canceller = attempt.canceller { cancellers.append(canceller) }
                s.attempts[ref] = attempt
            }
            for result in s.outbox { channel.writeAndFlush(Message.taskResult(result), promise: nil) }
            s.outbox.removeAll()
            return cancellers
        }
        for cancel in cancellers { cancel() }
    }

    func disconnected() {
        state.withLock { $0.channel = nil }
    }

    var channel: (any Channel)? { state.withLock { $0.channel } }

    func heard(nowMs: Int64) {
        state.withLock { $0.lastHeardMs = nowMs }
    }

    /// Milliseconds since the coordinator last said anything.
    func silenceMs(nowMs: Int64) -> Int64 {
        state.withLock { nowMs - $0.lastHeardMs }
    }

    /// Sends a heartbeat listing the held attempts; false when not registered.
    func sendHeartbeat() -> Bool {
        state.withLock { s in
            guard let channel = s.channel else { return false }
            s.heartbeatSequence += 1
            channel.writeAndFlush(Message.heartbeat(Heartbeat(sequence: s.heartbeatSequence, running: Self.held(s))), promise: nil)
            return true
        }
    }

    static func held(_ s: State) -> [TaskRef] {
        (Array(s.attempts.keys) + s.outbox.map(\.task)).sortedRefs()
    }

    // MARK: - Attempts

    /// Takes an assignment; false when it is already held, or when draining (then it is answered as cancelled).
    func accept(_ assignment: TaskAssignment) -> Bool {
        state.withLock { s in
            let ref = assignment.task
            guard s.attempts[ref] == nil, !s.outbox.contains(where: { $0.task == ref }) else { return false }
            if s.draining {
                Self.deliver(&s, TaskResult(task: ref, status: .cancelled, result: [], error: "the worker is shutting down", retryable: true))
                return false
            }
            s.attempts[ref] = Attempt(assignment: assignment)
            return true
        }
    }

    /// Marks a queued attempt as started; nil when it was cancelled (and answered) meanwhile.
    func start(_ ref: TaskRef) -> TaskAssignment? {
        state.withLock { s in
            guard var attempt = s.attempts[ref], !attempt.cancelled else { return nil }
            attempt.started = true
            s.attempts[ref] = attempt
            return attempt.assignment
        }
    }

    /// Installs how to stop a running attempt; calls it at once when the attempt was cancelled already.
    func setCanceller(_ ref: TaskRef, _ canceller: @escaping @Sendable () -> Void) {
        let cancelNow = state.withLock { s -> Bool in
            s.attempts[ref]?.canceller = canceller
            return s.attempts[ref]?.cancelled ?? false
        }
        if cancelNow { canceller() }
    }

    func isCancelled(_ ref: TaskRef) -> Bool {
        state.withLock { $0.attempts[ref]?.cancelled ?? false }
    }

    /// The coordinator (or a shutdown) cancels `ref`: a queued attempt ends at once with a cancelled result, a
    /// running one is told to stop and reports when it has.
    func cancel(_ ref: TaskRef) {
        let canceller = state.withLock { s -> (@Sendable () -> Void)? in
            guard var attempt = s.attempts[ref] else { return nil }
            if !attempt.started {
                s.attempts[ref] = nil
                Self.deliver(&s, TaskResult(task: ref, status: .cancelled, result: [], error: "cancelled before it started", retryable: true))
                return nil
            }
            attempt.cancelled = true
            s.attempts[ref] = attempt
            return attempt.canceller
        }
        canceller?()
    }

    func cancelAll() {
        for ref in state.withLock({ Array($0.attempts.keys) }) { cancel(ref) }
    }

    /// Records progress; sends it unless one was sent less than `progressIntervalMs` ago (the latest unsent one
    /// goes out before the result).
    func progress(_ progress: TaskProgress, nowMs: Int64) {
        state.withLock { s in
            guard var attempt = s.attempts[progress.task] else { return }
            attempt.progress = progress
            if let channel = s.channel, attempt.progressSentMs.map({ nowMs - $0 >= progressIntervalMs }) ?? true {
                channel.writeAndFlush(Message.taskProgress(progress), promise: nil)
                attempt.progressSentMs = nowMs
                attempt.progressUnsent = false
            } else {
                attempt.progressUnsent = true
            }
            s.attempts[progress.task] = attempt
        }
    }

    /// The attempt ended: its last progress and its result go out now, or the result waits in the outbox.
    func finish(_ result: TaskResult) {
        state.withLock { s in
            let attempt = s.attempts.removeValue(forKey: result.task)
            if let channel = s.channel, let attempt, attempt.progressUnsent, let progress = attempt.progress {
                channel.writeAndFlush(Message.taskProgress(progress), promise: nil)
            }
            Self.deliver(&s, result)
        }
    }

    static func deliver(_ s: inout State, _ result: TaskResult) {
        if let channel = s.channel {
            channel.writeAndFlush(Message.taskResult(result), promise: nil)
        } else {
            s.outbox.append(result)
        }
    }

    /// Stops taking work: new assignments are answered as cancelled, and the coordinator is told (by registering
    /// again with no slots) to send no more.
    func startDraining(workerId: String) {
        state.withLock { s in
            s.draining = true
            s.channel?.writeAndFlush(Message.register(Register(workerId: workerId, slots: 0, shuffleAddress: nil, running: Self.held(s))), promise: nil)
        }
    }

    var attemptCount: Int { state.withLock { $0.attempts.count } }
    var outboxCount: Int { state.withLock { $0.outbox.count } }
    var heldAttempts: [TaskRef] { state.withLock { Self.held($0) } }
}
