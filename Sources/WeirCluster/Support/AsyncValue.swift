import Synchronization

/// A value set once (or failed once) and awaited by any number of tasks: ``value()`` suspends (without blocking
/// a thread) until ``set(_:)`` or ``fail(_:)``; later calls to either are ignored.
final class AsyncValue<T: Sendable>: Sendable {
    private struct State {
        var result: Result<T, any Error>?
        var waiters: [CheckedContinuation<T, any Error>] = []
    }

    private let state = Mutex(State())

    init() {}

    var current: T? { state.withLock { try? $0.result?.get() } }

    func set(_ value: T) { complete(.success(value)) }
    func fail(_ error: any Error) { complete(.failure(error)) }

    private func complete(_ result: Result<T, any Error>) {
        let waiters = state.withLock { s -> [CheckedContinuation<T, any Error>] in
            guard s.result == nil else { return [] }
            s.result = result
            defer { s.waiters = [] }
            return s.waiters
        }
        for waiter in waiters { waiter.resume(with: result) }
    }

    func value() async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let ready = state.withLock { s -> Result<T, any Error>? in
                if let result = s.result { return result }
                s.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
