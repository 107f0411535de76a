import Synchronization

/// Keeps the driver calls of one job one at a time and in the order the scheduler asked for them (the
/// ``JobDriver`` contract), while calls of different jobs run side by side: take a ``ticket(_:)`` when the call
/// is decided, ``wait(_:ticket:)`` before making it, ``finish(_:ticket:)`` after.
final class DriverCallOrder: Sendable {
    private struct Line {
        var issued: UInt64 = 0
        var finished: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let lines = Mutex<[String: Line]>([:])

    func ticket(_ jobId: String) -> UInt64 {
        lines.withLock { lines in
            lines[jobId, default: Line()].issued += 1
            return lines[jobId]!.issued
        }
    }

    /// Returns once every earlier ticket of the job has finished.
    func wait(_ jobId: String, ticket: UInt64) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = lines.withLock { lines -> Bool in
                if lines[jobId, default: Line()].finished + 1 == ticket { return true }
                lines[jobId, default: Line()].waiters[ticket] = continuation
                return false
            }
            if now { continuation.resume() }
        }
    }

    func finish(_ jobId: String, ticket: UInt64) {
        let next = lines.withLock { lines -> CheckedContinuation<Void, Never>? in
            guard var line = lines[jobId] else { return nil }
            line.finished = ticket
            let next = line.waiters.removeValue(forKey: ticket + 1)
            lines[jobId] = line.finished == line.issued && line.waiters.isEmpty ? nil : line
            return next
        }
        next?.resume()
    }
}
