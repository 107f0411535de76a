import Logging
import NIOCore
import WeirProtocol

extension Coordinator {
    /// One worker connection after the handshake handler: the first message must be `register` with the node
    /// name the handshake proved (a later `register` with that name updates the worker's slots); then
    /// heartbeats, progress and results go to the scheduler in arrival order
    /// (one at a time: the connection's reads wait for the scheduler). Anything else closes the connection with
    /// a goodbye naming it. When the connection ends the scheduler hears of it.
    func serve(_ connection: NIOAsyncChannel<PeerEvent, Message>) async {
        let channel = connection.channel
        let address = channel.remoteAddress.map(ServerHandshakeHandler.describe)
        let id = connections.add(channel)
        var registeredAs: String?
        var peer: Hello?
        do {
            try await connection.executeThenClose { inbound, _ in
                loop: for try await event in inbound {
                    guard case .message(let message) = event else {
                        if case .established(let hello) = event { peer = hello }
                        continue
                    }
                    guard let peer else { break loop }
                    switch message {
                    case .register(let register):
                        // Registering again on the connection changes the worker's slots (0 while it drains).
                        guard register.workerId == peer.nodeName, !register.workerId.isEmpty else {
                            await refuse(channel, peer: peer, "\(peer.nodeName) registered as '\(register.workerId)', not as the node name it proved")
                            break loop
                        }
                        if registeredAs == nil {
                            logger.info("worker registered", metadata: ["worker": "\(register.workerId)", "slots": "\(register.slots)",
                                                                        "running": "\(register.running.count)", "peer": "\(address ?? "?")"])
                        } else {
                            logger.info("worker registered again", metadata: ["worker": "\(register.workerId)", "slots": "\(register.slots)"])
                        }
                        registeredAs = register.workerId
                        await scheduler.handle(.workerRegistered(id, register, address: address))
                    case .heartbeat(let heartbeat) where registeredAs != nil:
                        ClusterMetrics.heartbeats.increment()
                        await scheduler.handle(.heartbeat(id, heartbeat))
                    case .taskProgress(let progress) where registeredAs != nil:
                        await scheduler.handle(.taskProgress(id, progress))
                    case .taskResult(let result) where registeredAs != nil:
                        ClusterMetrics.results("\(result.status)").increment()
                        if let start = attemptStarts.withLock({ $0.removeValue(forKey: result.task) }) {
                            ClusterMetrics.recordTaskDuration(kind: start.kind, status: "\(result.status)", ContinuousClock.now - start.assigned)
                        }
                        logger.debug("task result", metadata: ["worker": "\(peer.nodeName)", "job": "\(result.task.jobId)",
                                                               "task": "\(result.task.taskId)", "attempt": "\(result.task.attempt)",
                                                               "status": "\(result.status)"])
                        await scheduler.handle(.taskResult(id, result))
                    case .goodbye(let reason):
                        logger.info("worker left", metadata: ["worker": "\(peer.nodeName)", "reason": "\(reason)"])
                        break loop
                    default:
                        await refuse(channel, peer: peer, "unexpected \(message.type) from \(peer.nodeName)" +
                                     (registeredAs == nil ? " before it registered" : ""))
                        break loop
                    }
                }
            }
        } catch {
            logger.debug("worker connection ended", metadata: ["peer": "\(address ?? "?")", "error": "\(error)"])
        }
        connections.remove(id)
        // A coordinator stopping (gracefully or cancelled) leaves the attempts with their workers: they claim them
        // from the next coordinator.
        if registeredAs != nil && !Task.isCancelled && !isShuttingDown {
            logger.info("worker connection closed", metadata: ["worker": "\(registeredAs ?? "?")", "peer": "\(address ?? "?")"])
            await scheduler.handle(.connectionClosed(id))
        }
    }

    /// A protocol violation after the handshake: log, record, say goodbye (the caller then closes).
    func refuse(_ channel: any Channel, peer: Hello, _ reason: String) async {
        logger.warning("closing a worker connection: protocol error", metadata: ["node": "\(peer.nodeName)", "reason": "\(reason)"])
        refusals.add(RefusedConnection(address: channel.remoteAddress.map(ServerHandshakeHandler.describe), nodeName: peer.nodeName,
                                       reason: reason, atMs: nowMs()))
        try? await channel.writeAndFlush(Message.goodbye(reason: goodbyeReason(reason)))
    }
}
