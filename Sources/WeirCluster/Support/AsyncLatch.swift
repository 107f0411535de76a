import Synchronization

/// A one-shot signal: ``wait()`` suspends (without blocking a thread) until ``open()`` was called; after that it
/// returns at once. A cancelled waiter throws `CancellationError`.
final class AsyncLatch: Sendable {
    private struct State {
        var isOpen = false
        var nextId = 0
        var waiters: [Int: CheckedContinuation<Void, any Error>] = [:]
    }

    private let state = Mutex(State())

    init() {}

    var isOpen: Bool { state.withLock { $0.isOpen } }

    func open() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, any Error>] in
            guard !s.isOpen else { return [] }
            s.isOpen = true
            defer { s.waiters = [:] }
            return Array(s.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async throws {
        let id = state.withLock { s -> Int in
            s.nextId += 1
            return s.nextId
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow = state.withLock { s -> (any Error)?? in
                    if s.isOpen { return .some(nil) }
                    if Task.isCancelled { return .some(CancellationError()) }
                    s.waiters[id] = continuation
                    return .none
                }
                switch resumeNow {
                case .some(nil): continuation.resume()
                case .some(let error?): continuation.resume(throwing: error)
                case .none: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }
}
