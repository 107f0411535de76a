import NIOCore
import Synchronization
import WeirProtocol

/// The coordinator's open worker connections by ``ConnectionID``, for the directives that write to them. Writes
/// never wait: a message to a connection that has gone is dropped (the core learns of the close separately).
final class ConnectionTable: Sendable {
    private struct State {
        var next: UInt64 = 0
        var channels: [ConnectionID: any Channel] = [:]
    }

    private let state = Mutex(State())

    func add(_ channel: any Channel) -> ConnectionID {
        state.withLock { s in
            s.next += 1
            let id = ConnectionID(s.next)
            s.channels[id] = channel
            return id
        }
    }

    func remove(_ id: ConnectionID) {
        _ = state.withLock { $0.channels.removeValue(forKey: id) }
    }

    var count: Int { state.withLock { $0.channels.count } }

    func send(_ id: ConnectionID, _ message: Message) {
        state.withLock { $0.channels[id] }?.writeAndFlush(message, promise: nil)
    }

    /// Says goodbye with `reason`, then closes.
    func close(_ id: ConnectionID, reason: String) {
        guard let channel = state.withLock({ $0.channels[id] }) else { return }
        Self.close(channel, reason: reason)
    }

    func closeAll(reason: String) {
        for channel in state.withLock({ Array($0.channels.values) }) { Self.close(channel, reason: reason) }
    }

    static func close(_ channel: any Channel, reason: String) {
        channel.writeAndFlush(Message.goodbye(reason: goodbyeReason(reason))).whenComplete { _ in channel.close(promise: nil) }
    }
}

/// The latest refused connections, at most `countMax`, oldest first.
final class RefusalLog: Sendable {
    let countMax: Int
    private let entries = Mutex<[RefusedConnection]>([])

    init(countMax: Int) {
        self.countMax = countMax
    }

    func add(_ entry: RefusedConnection) {
        ClusterMetrics.refusedConnections.increment()
        entries.withLock { list in
            list.append(entry)
            if list.count > countMax { list.removeFirst(list.count - countMax) }
        }
    }

    var all: [RefusedConnection] { entries.withLock { $0 } }
}
