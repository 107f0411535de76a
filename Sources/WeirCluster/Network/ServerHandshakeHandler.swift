import Logging
import NIOCore
import WeirProtocol

/// The coordinator's side of a connection, after the frame codec: runs `ServerHandshake` (a fresh random nonce
/// per connection), then passes the peer's messages on as ``PeerEvent``s. Any `ProtocolError` — a wrong secret,
/// a frame over the limit, bytes that are not Weir frames, a handshake not finished within `handshakeTimeoutMs` —
/// — or no first message (the worker's `register`) within `handshakeTimeoutMs` of connecting — is logged with the
/// peer's address, reported to `onRefused`, answered with a `goodbye` naming it, and closes the connection. Only
/// `worker` peers are accepted.
final class ServerHandshakeHandler: ChannelInboundHandler {
    typealias InboundIn = Message
    typealias InboundOut = PeerEvent
    typealias OutboundOut = Message

    struct Settings: Sendable {
        var secret: [UInt8]
        var heartbeatIntervalMs: UInt64
        /// How long a peer may take from connecting to finishing the handshake, in milliseconds.
        var handshakeTimeoutMs: Int64
        var logger = Logger(label: "weir.coordinator")
        var onRefused: @Sendable (RefusedConnection) -> Void = { _ in }
        var nowMs: @Sendable () -> Int64 = WallClock.nowMs
    }

    let settings: Settings
    var handshake: ServerHandshake
    var timeout: Scheduled<Void>?
    /// Whether a message after the handshake was passed on (the timer runs until then: a peer that proves the
    /// secret and then says nothing is closed too).
    var passedOn = false
    var closing = false

    init(settings: Settings, nonce: [UInt8], sessionId: String) {
        self.settings = settings
        handshake = ServerHandshake(secret: settings.secret, serverNonce: nonce, sessionId: sessionId,
                                    heartbeatIntervalMs: settings.heartbeatIntervalMs)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startTimer(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        startTimer(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timeout?.cancel()
        timeout = nil
        context.fireChannelInactive()
    }

    func startTimer(_ context: ChannelHandlerContext) {
        guard timeout == nil, !handshake.isEstablished else { return }
        let ms = settings.handshakeTimeoutMs
        timeout = context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(ms)) { [self] in
            if !handshake.isEstablished {
                refuse(context, "no handshake within \(ms) ms")
            } else if !passedOn {
                refuse(context, "no message within \(ms) ms of connecting")
            }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard !closing else { return }
        if handshake.isEstablished {
            if !passedOn {
                passedOn = true
                timeout?.cancel()
                timeout = nil
            }
            context.fireChannelRead(wrapInboundOut(.message(message)))
            return
        }
        if case .goodbye(let reason) = message {
            refuse(context, "left during the handshake: \(reason)", answer: false)
            return
        }
        do {
            let reply = try handshake.receive(message)
            context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
        } catch {
            refuse(context, error.reason)
            return
        }
        guard handshake.isEstablished, let peer = handshake.peer else { return }
        guard peer.role == .worker else {
            refuse(context, "\(peer.nodeName) connected as \(peer.role); the coordinator accepts workers only")
            return
        }
        context.fireChannelRead(wrapInboundOut(.established(peer)))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? ProtocolError {
            refuse(context, explained(error, tlsHint: "a TLS client? this port has no TLS"))
        } else if !closing {
            closing = true
            settings.logger.info("connection closed on an error", metadata: metadata(context, ["error": "\(error)"]))
            context.close(promise: nil)
        }
    }

    /// Logs and reports the reason, says goodbye with it (unless the peer already left), then closes.
    func refuse(_ context: ChannelHandlerContext, _ reason: String, answer: Bool = true) {
        guard !closing else { return }
        closing = true
        timeout?.cancel()
        timeout = nil
        let established = handshake.isEstablished
        settings.logger.warning(established ? "closing a worker connection: protocol error" : "refused a connection",
                                metadata: metadata(context, ["reason": "\(reason)"]))
        settings.onRefused(RefusedConnection(address: context.channel.remoteAddress.map(Self.describe), nodeName: handshake.peer?.nodeName,
                                             reason: reason, atMs: settings.nowMs()))
        guard answer else {
            context.close(promise: nil)
            return
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.goodbye(reason: goodbyeReason(reason))), promise: written)
        written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    func metadata(_ context: ChannelHandlerContext, _ extra: Logger.Metadata) -> Logger.Metadata {
        var out = extra
        out["peer"] = "\(context.channel.remoteAddress.map(Self.describe) ?? "?")"
        if let name = handshake.peer?.nodeName { out["node"] = "\(name)" }
        return out
    }

    static func describe(_ address: SocketAddress) -> String {
        if let ip = address.ipAddress, let port = address.port { return address.protocol == .inet6 ? "[\(ip)]:\(port)" : "\(ip):\(port)" }
        return "\(address)"
    }
}
