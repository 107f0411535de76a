import Synchronization

/// A counting semaphore for async code: ``acquire()`` suspends (without blocking a thread) until one of `count`
/// permits is free, first come first served; a cancelled waiter throws `CancellationError` and takes no permit.
final class AsyncSemaphore: Sendable {
    private struct State {
        var free: Int
        var nextId = 0
        var waiters: [(id: Int, continuation: CheckedContinuation<Void, any Error>)] = []
    }

    private let state: Mutex<State>

    init(count: Int) {
        precondition(count >= 1, "a semaphore needs a permit")
        state = Mutex(State(free: count))
    }

    func acquire() async throws {
        let id = state.withLock { s -> Int in
            s.nextId += 1
            return s.nextId
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow = state.withLock { s -> (any Error)?? in
                    if Task.isCancelled { return .some(CancellationError()) }
                    if s.free > 0 && s.waiters.isEmpty {
                        s.free -= 1
                        return .some(nil)
                    }
                    s.waiters.append((id, continuation))
                    return .none
                }
                switch resumeNow {
                case .some(nil): continuation.resume()
                case .some(let error?): continuation.resume(throwing: error)
                case .none: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<Void, any Error>? in
                guard let index = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return s.waiters.remove(at: index).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    func release() {
        let next = state.withLock { s -> CheckedContinuation<Void, any Error>? in
            if s.waiters.isEmpty {
                s.free += 1
                return nil
            }
            return s.waiters.removeFirst().continuation
        }
        next?.resume()
    }
}
