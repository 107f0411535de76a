import Foundation
import NIOCore
import NIOPosix
import WeirProtocol
@testable import WeirCluster

/// A hand-driven TCP peer of the coordinator: sends whatever bytes a test wants and reads what comes back.
struct RawPeer {
    /// Connects to 127.0.0.1:`port` and runs `body`; the connection is closed afterwards.
    static func session<T: Sendable>(port: Int, _ body: (inout Conversation) async throws -> T) async throws -> T {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var conversation = Conversation(iterator: inbound.makeAsyncIterator(), outbound: outbound)
            return try await body(&conversation)
        }
    }

    struct Conversation {
        var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        var frames = FrameDecoder(frameBytesMax: 1 << 20)
        var closed = false

        func send(_ bytes: [UInt8]) async throws {
            try await outbound.write(ByteBuffer(bytes: bytes))
        }

        func send(_ message: Message) async throws {
            try await send(try FrameEncoder().encode(MessageCoding.encode(message)))
        }

        /// The next message, nil when the coordinator closed the connection.
        mutating func next() async throws -> Message? {
            while true {
                if let frame = try frames.next() { return try MessageCoding.decode(frame) }
                guard !closed, let buffer = try await iterator.next() else {
                    closed = true
                    return nil
                }
                frames.append(buffer.readableBytesView)
            }
        }

        /// Every message until the coordinator closes the connection.
        mutating func rest() async throws -> [Message] {
            var out: [Message] = []
            while let message = try await next() { out.append(message) }
            return out
        }

        /// Runs the worker side of the handshake with `secret` (the client proof is computed with it even when the
        /// coordinator's proof does not match, to see how the coordinator answers a wrong secret).
        mutating func handshake(nodeName: String, secret: [UInt8]) async throws -> Message? {
            let nonce = Nonce.random()
            try await send(.hello(Hello(role: .worker, nodeName: nodeName, clientNonce: nonce)))
            guard case .challenge(let challenge)? = try await next() else { return nil }
            try await send(.response(Response(clientProof: HandshakeProof.client(secret: secret, clientNonce: nonce,
                                                                                 serverNonce: challenge.serverNonce, nodeName: nodeName))))
            return try await next()
        }
    }
}

/// The reason of the first goodbye in `messages`.
func goodbyeReason(in messages: [Message]) -> String? {
    for message in messages { if case .goodbye(let reason) = message { return reason } }
    return nil
}
