import NIOCore
import WeirProtocol

/// The worker's side of a connection, after the frame codec: sends the hello when the connection is up, runs
/// `ClientHandshake`, reports ``PeerEvent/welcomed(_:)``, then passes the coordinator's messages on. On a
/// `ProtocolError` (or a handshake not finished within `handshakeTimeoutMs`) it reports
/// ``PeerEvent/failed(reason:wrongSecret:)``, says goodbye and closes.
final class ClientHandshakeHandler: ChannelInboundHandler {
    typealias InboundIn = Message
    typealias InboundOut = PeerEvent
    typealias OutboundOut = Message

    var handshake: ClientHandshake
    /// How long the coordinator may take to welcome us, in milliseconds.
    let handshakeTimeoutMs: Int64
    var timeout: Scheduled<Void>?
    var closing = false

    init(secret: [UInt8], nodeName: String, nonce: [UInt8], handshakeTimeoutMs: Int64) {
        handshake = ClientHandshake(secret: secret, role: .worker, nodeName: nodeName, clientNonce: nonce)
        self.handshakeTimeoutMs = handshakeTimeoutMs
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timeout?.cancel()
        timeout = nil
        context.fireChannelInactive()
    }

    func start(_ context: ChannelHandlerContext) {
        guard handshake.state == .initial else { return }
        context.writeAndFlush(wrapOutboundOut(handshake.start()), promise: nil)
        let ms = handshakeTimeoutMs
        timeout = context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(ms)) { [self] in
            if !handshake.isEstablished { fail(context, "the coordinator did not finish the handshake within \(ms) ms") }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard !closing else { return }
        if handshake.isEstablished {
            context.fireChannelRead(wrapInboundOut(.message(message)))
            return
        }
        do {
            if let reply = try handshake.receive(message) {
                context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
            }
        } catch {
            var isChallenge = false
            if case .challenge = message { isChallenge = true }
            fail(context, error.reason, wrongSecret: isChallenge && error.kind == .authenticationFailed, answer: !isGoodbye(message))
            return
        }
        if handshake.isEstablished, let welcome = handshake.welcome {
            timeout?.cancel()
            timeout = nil
            context.fireChannelRead(wrapInboundOut(.welcomed(welcome)))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? ProtocolError {
            fail(context, explained(error, tlsHint: "the coordinator uses TLS: give the worker TLS settings"))
        } else {
            fail(context, "\(error)", answer: false)
        }
    }

    func isGoodbye(_ message: Message) -> Bool {
        if case .goodbye = message { return true }
        return false
    }

    func fail(_ context: ChannelHandlerContext, _ reason: String, wrongSecret: Bool = false, answer: Bool = true) {
        guard !closing else { return }
        closing = true
        timeout?.cancel()
        timeout = nil
        context.fireChannelRead(wrapInboundOut(.failed(reason: reason, wrongSecret: wrongSecret)))
        guard answer, context.channel.isActive else {
            context.close(promise: nil)
            return
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.goodbye(reason: goodbyeReason(reason))), promise: written)
        written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}
