import Logging
import NIOCore
import NIOPosix
import NIOSSL
import WeirProtocol

extension Worker {
    enum SessionEnd {
        case closed(reason: String, registered: Bool)
        case wrongSecret(reason: String)
    }

    /// Connects, and after each lost connection connects again, pausing `reconnectDelayMinMs` doubling up to
    /// `reconnectDelayMaxMs` (back to the minimum after a session that registered). Returns when cancelled; throws
    /// ``ClusterError/Kind/wrongSecret`` at once when the coordinator's proof does not match.
    func connectUntilStopped() async throws {
        let address = "\(configuration.host):\(configuration.port)"
        let sslContext = try configuration.tls?.makeContext()
        var delayMs = configuration.reconnectDelayMinMs
        while !Task.isCancelled && !shutdownRequested.isOpen {
            do {
                switch try await session(sslContext: sslContext) {
                case .wrongSecret(let reason):
                    logger.error("the coordinator does not hold this cluster's secret: check --secret on both sides",
                                 metadata: ["coordinator": "\(address)", "reason": "\(reason)"])
                    throw ClusterError(.wrongSecret, "the coordinator at \(address) has a different cluster secret: \(reason)")
                case .closed(let reason, let registered):
                    if registered { delayMs = configuration.reconnectDelayMinMs }
                    if !shutdownRequested.isOpen {
                        logger.warning("connection to the coordinator ended", metadata: ["coordinator": "\(address)", "reason": "\(reason)"])
                    }
                }
            } catch let error as ClusterError where error.kind == .wrongSecret {
                throw error
            } catch {
                if Task.isCancelled { return }
                logger.warning("cannot reach the coordinator", metadata: ["coordinator": "\(address)", "error": "\(error)",
                                                                           "retryInMs": "\(delayMs)"])
            }
            do {
                try await Task.sleep(for: .milliseconds(delayMs))
            } catch {
                return
            }
            delayMs = min(configuration.reconnectDelayMaxMs, delayMs * 2)
        }
    }

    /// One connection: handshake, register, then the coordinator's messages until it ends.
    func session(sslContext: NIOSSLContext?) async throws -> SessionEnd {
        let configuration = configuration
        let hostname = configuration.tls?.hostname(connectingTo: configuration.host)
        let connection = try await ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(.milliseconds(configuration.connectTimeoutMs))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let sslContext { try sync.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: hostname)) }
                    try sync.addHandler(ByteToMessageHandler(MessageDecoder(frameBytesMax: configuration.frameBytesMax)))
                    try sync.addHandler(MessageToByteHandler(MessageEncoder(frameBytesMax: FrameHeader.frameBytesMaxDefault)))
                    try sync.addHandler(ClientHandshakeHandler(secret: configuration.secret, nodeName: configuration.workerId,
                                                               nonce: Nonce.random(), handshakeTimeoutMs: configuration.handshakeTimeoutMs))
                    return try NIOAsyncChannel<PeerEvent, Message>(wrappingChannelSynchronously: channel)
                }
            }
        let channel = connection.channel
        return try await connection.executeThenClose { inbound, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                var end = SessionEnd.closed(reason: "the coordinator closed the connection", registered: false)
                var registered = false
                var heartbeatIntervalMs: Int64 = 1_000
                defer { table.disconnected() }
                loop: for try await event in inbound {
                    switch event {
                    case .welcomed(let welcome):
                        heartbeatIntervalMs = Int64(clamping: max(1, welcome.heartbeatIntervalMs))
                        channel.writeAndFlush(table.registerMessage(workerId: configuration.workerId, slots: configuration.slots), promise: nil)
                    case .failed(let reason, let wrongSecret):
                        end = wrongSecret ? .wrongSecret(reason: reason) : .closed(reason: reason, registered: registered)
                        break loop
                    case .established:
                        break
                    case .message(let message):
                        table.heard(nowMs: WallClock.nowMs())
                        switch message {
                        case .registered(let answer) where registered:
                            // The answer to registering again (draining): cancel what the coordinator no longer wants.
                            table.registered(on: channel, cancel: answer.cancel, nowMs: WallClock.nowMs())
                        case .registered(let answer):
                            registered = true
                            end = .closed(reason: "the coordinator closed the connection", registered: true)
                            logger.info("registered with the coordinator", metadata: ["worker": "\(configuration.workerId)",
                                                                                       "cancelled": "\(answer.cancel.count)"])
                            table.registered(on: channel, cancel: answer.cancel, nowMs: WallClock.nowMs())
                            let intervalMs = heartbeatIntervalMs
                            group.addTask { try await self.heartbeat(channel, intervalMs: intervalMs) }
                        case .assignTask(let assignment) where registered:
                            if table.accept(assignment) { queueInput.yield(assignment.task) }
                        case .cancelTask(let ref) where registered:
                            table.cancel(ref)
                        case .heartbeat:
                            break
                        case .goodbye(let reason):
                            end = .closed(reason: "the coordinator said goodbye: \(reason)", registered: registered)
                            break loop
                        default:
                            let reason = "unexpected \(message.type) from the coordinator"
                            try? await channel.writeAndFlush(Message.goodbye(reason: reason))
                            end = .closed(reason: reason, registered: registered)
                            break loop
                        }
                    }
                }
                group.cancelAll()
                return end
            }
        }
    }

    /// Heartbeats every `intervalMs` while registered; closes the connection when the coordinator has been silent
    /// for `coordinatorTimeoutMs` (the session then ends and the worker reconnects).
    func heartbeat(_ channel: any Channel, intervalMs: Int64) async throws {
        while true {
            try await Task.sleep(for: .milliseconds(intervalMs))
            let silenceMs = table.silenceMs(nowMs: WallClock.nowMs())
            if silenceMs > configuration.coordinatorTimeoutMs {
                logger.warning("the coordinator is silent: reconnecting", metadata: ["silenceMs": "\(silenceMs)"])
                try? await channel.close()
                return
            }
            guard table.sendHeartbeat() else { return }
        }
    }
}
