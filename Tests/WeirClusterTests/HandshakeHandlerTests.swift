import Foundation
import NIOCore
import NIOEmbedded
import Synchronization
import Testing
import WeirProtocol
@testable import WeirCluster

/// The frame codec and the handshake handlers on an `EmbeddedChannel`: no sockets, a hand-moved clock.
@Suite struct HandshakeHandlerTests {
    static let secret = Array("s3cret".utf8)

    final class Refusals: Sendable {
        let list = Mutex<[RefusedConnection]>([])
        var all: [RefusedConnection] { list.withLock { $0 } }
    }

    static func server(frameBytesMax: Int = 4096, timeoutMs: Int64 = 1_000) throws -> (EmbeddedChannel, Refusals) {
        let refusals = Refusals()
        var settings = ServerHandshakeHandler.Settings(secret: secret, heartbeatIntervalMs: 250, handshakeTimeoutMs: timeoutMs)
        settings.logger.logLevel = .critical
        settings.onRefused = { entry in refusals.list.withLock { $0.append(entry) } }
        settings.nowMs = { 42 }
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(MessageDecoder(frameBytesMax: frameBytesMax)))
        try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(MessageEncoder(frameBytesMax: frameBytesMax)))
        try channel.pipeline.syncOperations.addHandler(ServerHandshakeHandler(settings: settings, nonce: Array(repeating: 7, count: 32), sessionId: "s1"))
        try channel.connect(to: SocketAddress(ipAddress: "10.1.2.3", port: 5555)).wait()
        return (channel, refusals)
    }

    static func frame(_ message: Message) throws -> ByteBuffer {
        ByteBuffer(bytes: try FrameEncoder().encode(MessageCoding.encode(message)))
    }

    /// Every message the handler wrote.
    static func sent(_ channel: EmbeddedChannel) throws -> [Message] {
        var decoder = FrameDecoder()
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { decoder.append(buffer.readableBytesView) }
        var out: [Message] = []
        while let frame = try decoder.next() { out.append(try MessageCoding.decode(frame)) }
        return out
    }

    static func events(_ channel: EmbeddedChannel) throws -> [PeerEvent] {
        var out: [PeerEvent] = []
        while let event = try channel.readInbound(as: PeerEvent.self) { out.append(event) }
        return out
    }

    @Test func aWorkerWithTheSecretIsLetThroughThenItsMessagesPassOn() throws {
        let (channel, refusals) = try Self.server()
        var client = ClientHandshake(secret: Self.secret, role: .worker, nodeName: "w1", clientNonce: Array(repeating: 1, count: 32))
        // The hello arrives in two pieces.
        let hello = try Self.frame(client.start())
        try channel.writeInbound(hello.getSlice(at: 0, length: 10)!)
        #expect(try Self.sent(channel).isEmpty)
        try channel.writeInbound(hello.getSlice(at: 10, length: hello.readableBytes - 10)!)
        let challenge = try #require(try Self.sent(channel).first)
        let response = try #require(try client.receive(challenge))
        // The response and the first message after it in one read.
        var both = try Self.frame(response)
        var register = try Self.frame(.register(Register(workerId: "w1", slots: 2, shuffleAddress: nil, running: [])))
        both.writeBuffer(&register)
        try channel.writeInbound(both)
        let welcome = try #require(try Self.sent(channel).first)
        #expect(welcome == .welcome(Welcome(sessionId: "s1", heartbeatIntervalMs: 250)))
        #expect(try client.receive(welcome) == nil && client.isEstablished)
        let events = try Self.events(channel)
        #expect(events.count == 2)
        if case .established(let peer) = events.first { #expect(peer.nodeName == "w1") } else { Issue.record("no established event") }
        if case .message(.register(let r)) = events.last { #expect(r.workerId == "w1") } else { Issue.record("no register") }
        // The handshake timer no longer fires.
        channel.embeddedEventLoop.advanceTime(by: .seconds(5))
        #expect(channel.isActive)
        #expect(refusals.all.isEmpty)
        _ = try? channel.finish()
    }

    @Test func aWrongSecretIsRefusedWithAGoodbye() throws {
        let (channel, refusals) = try Self.server()
        var client = ClientHandshake(secret: Array("other".utf8), role: .worker, nodeName: "w9", clientNonce: Array(repeating: 2, count: 32))
        try channel.writeInbound(try Self.frame(client.start()))
        guard case .challenge(let challenge)? = try Self.sent(channel).first else { Issue.record("no challenge"); return }
        #expect(throws: ProtocolError.self) { try client.receive(.challenge(challenge)) }
        // Answer with a proof made with the wrong secret.
        let proof = HandshakeProof.client(secret: Array("other".utf8), clientNonce: Array(repeating: 2, count: 32),
                                          serverNonce: challenge.serverNonce, nodeName: "w9")
        try channel.writeInbound(try Self.frame(.response(Response(clientProof: proof))))
        #expect(try Self.sent(channel) == [.goodbye(reason: "w9: wrong cluster secret")])
        #expect(!channel.isActive)
        #expect(try Self.events(channel).isEmpty)
        #expect(refusals.all == [RefusedConnection(address: "10.1.2.3:5555", nodeName: "w9", reason: "w9: wrong cluster secret", atMs: 42)])
        _ = try? channel.finish()
    }

    @Test func brokenStreamsAreRefusedWithTheReason() throws {
        func refusal(_ bytes: [UInt8], frameBytesMax: Int = 4096) throws -> String? {
            let (channel, refusals) = try Self.server(frameBytesMax: frameBytesMax)
            _ = try? channel.writeInbound(ByteBuffer(bytes: bytes))
            let sent = try Self.sent(channel)
            #expect(!channel.isActive)
            #expect(refusals.all.count == 1)
            _ = try? channel.finish()
            return goodbyeReason(in: sent)
        }
        #expect(try refusal(Array("SSH-2.0-OpenSSH\r\n".utf8))?.contains("magic number") == true)
        var big = try FrameEncoder(frameBytesMax: 1 << 20).encode(MessageCoding.encode(.goodbye(reason: String(repeating: "x", count: 5000))))
        #expect(try refusal(Array(big.prefix(16)))?.contains("declares 5002 payload bytes, over the limit of 4096") == true)
        big = try FrameEncoder().encode(MessageCoding.encode(.hello(Hello(role: .worker, nodeName: "w", clientNonce: Array(repeating: 3, count: 32)))))
        big[6] = 0x7F  // an unknown type: the checksum covers it
        #expect(try refusal(big)?.contains("checksum") == true)
        let register = try FrameEncoder().encode(MessageCoding.encode(.register(Register(workerId: "w", slots: 1, shuffleAddress: nil, running: []))))
        #expect(try refusal(register)?.contains("register during the handshake") == true)
    }

    @Test func otherRolesSilenceAndEarlyGoodbyesAreRefused() throws {
        var (channel, refusals) = try Self.server(timeoutMs: 500)
        var client = ClientHandshake(secret: Self.secret, role: .client, nodeName: "cli", clientNonce: Array(repeating: 4, count: 32))
        try channel.writeInbound(try Self.frame(client.start()))
        let challenge = try #require(try Self.sent(channel).first)
        let response = try #require(try client.receive(challenge))
        try channel.writeInbound(try Self.frame(response))
        #expect(goodbyeReason(in: try Self.sent(channel))?.contains("accepts workers only") == true)
        #expect(!channel.isActive)
        _ = try? channel.finish()

        (channel, refusals) = try Self.server(timeoutMs: 500)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(499))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(try Self.sent(channel) == [.goodbye(reason: "no handshake within 500 ms")])
        #expect(!channel.isActive)
        _ = try? channel.finish()

        // Proving the secret and then saying nothing is not enough either.
        (channel, refusals) = try Self.server(timeoutMs: 500)
        client = ClientHandshake(secret: Self.secret, role: .worker, nodeName: "mute", clientNonce: Array(repeating: 9, count: 32))
        try channel.writeInbound(try Self.frame(client.start()))
        let muteChallenge = try #require(try Self.sent(channel).first)
        try channel.writeInbound(try Self.frame(try #require(try client.receive(muteChallenge))))
        #expect(try Self.sent(channel).count == 1)  // the welcome
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(500))
        #expect(try Self.sent(channel) == [.goodbye(reason: "no message within 500 ms of connecting")])
        #expect(!channel.isActive)
        _ = try? channel.finish()

        (channel, refusals) = try Self.server()
        client = ClientHandshake(secret: Self.secret, role: .worker, nodeName: "w", clientNonce: Array(repeating: 5, count: 32))
        try channel.writeInbound(try Self.frame(client.start()))
        _ = try Self.sent(channel)
        try channel.writeInbound(try Self.frame(.goodbye(reason: "bye")))
        #expect(try Self.sent(channel).isEmpty)  // no answer to a goodbye
        #expect(!channel.isActive)
        #expect(refusals.all.map(\.reason) == ["left during the handshake: bye"])
        _ = try? channel.finish()
    }

    @Test func theClientSideNoticesAWrongSecretFirst() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(MessageDecoder(frameBytesMax: 4096)))
        try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(MessageEncoder(frameBytesMax: 4096)))
        try channel.pipeline.syncOperations.addHandler(ClientHandshakeHandler(secret: Self.secret, nodeName: "w", nonce: Array(repeating: 6, count: 32),
                                                                              handshakeTimeoutMs: 1_000))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 7480)).wait()
        guard case .hello(let hello)? = try Self.sent(channel).first else { Issue.record("no hello"); return }
        var impostor = ServerHandshake(secret: Array("wrong".utf8), serverNonce: Array(repeating: 8, count: 32), sessionId: "x", heartbeatIntervalMs: 1)
        try channel.writeInbound(try Self.frame(impostor.receive(.hello(hello))))
        let events = try Self.events(channel)
        guard case .failed(let reason, let wrongSecret)? = events.first else { Issue.record("no failure: \(events)"); return }
        #expect(wrongSecret)
        #expect(reason.contains("does not hold this cluster's secret"))
        #expect(goodbyeReason(in: try Self.sent(channel)) == reason)
        #expect(!channel.isActive)
        _ = try? channel.finish()
    }
}
