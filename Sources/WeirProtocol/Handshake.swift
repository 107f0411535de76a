import WeirCodecs

/// The proofs of the mutual handshake: HMAC-SHA256 under the shared cluster secret over a label, both nonces and
/// the connecting node's name. The server proves itself first (so a worker never sends its proof to an impostor),
/// and each side's proof binds both nonces, so neither a replay nor a reflection of the other side's proof works.
public enum HandshakeProof {
    public static func server(secret: [UInt8], clientNonce: [UInt8], serverNonce: [UInt8], nodeName: String) -> [UInt8] {
        Digests.hmacSHA256(key: secret, Array("weir-server-proof-v1".utf8) + clientNonce + serverNonce + Array(nodeName.utf8))
    }

    public static func client(secret: [UInt8], clientNonce: [UInt8], serverNonce: [UInt8], nodeName: String) -> [UInt8] {
        Digests.hmacSHA256(key: secret, Array("weir-client-proof-v1".utf8) + serverNonce + clientNonce + Array(nodeName.utf8))
    }

    /// Compares in time independent of where the bytes differ.
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}

/// The connecting side's handshake (a worker, a client, a shuffle peer): send ``start()``, feed each received
/// message to ``receive(_:)`` and send what it returns, until ``isEstablished``. Pure: nonces come from the caller.
public struct ClientHandshake: Sendable {
    public enum State: Sendable, Equatable { case initial, awaitingChallenge, awaitingWelcome, established, failed }

    let secret: [UInt8]
    let role: PeerRole
    let nodeName: String
    let clientNonce: [UInt8]
    public private(set) var state = State.initial
    public private(set) var welcome: Welcome?

    public init(secret: [UInt8], role: PeerRole, nodeName: String, clientNonce: [UInt8]) {
        precondition(clientNonce.count == MessageLimits.nonceBytes, "a nonce is \(MessageLimits.nonceBytes) bytes")
        self.secret = secret
        self.role = role
        self.nodeName = nodeName
        self.clientNonce = clientNonce
    }

    public var isEstablished: Bool { state == .established }

    public mutating func start() -> Message {
        precondition(state == .initial, "the handshake has started")
        state = .awaitingChallenge
        return .hello(Hello(role: role, nodeName: nodeName, clientNonce: clientNonce))
    }

    /// Returns the message to send (nil when the handshake is done).
    public mutating func receive(_ message: Message) throws(ProtocolError) -> Message? {
        switch (state, message) {
        case (.awaitingChallenge, .challenge(let challenge)):
            let expected = HandshakeProof.server(secret: secret, clientNonce: clientNonce, serverNonce: challenge.serverNonce, nodeName: nodeName)
            guard HandshakeProof.equal(expected, challenge.serverProof) else {
                state = .failed
                throw ProtocolError(.authenticationFailed, "the coordinator's proof does not match: it does not hold this cluster's secret")
            }
            state = .awaitingWelcome
            return .response(Response(clientProof: HandshakeProof.client(secret: secret, clientNonce: clientNonce,
                                                                         serverNonce: challenge.serverNonce, nodeName: nodeName)))
        case (.awaitingWelcome, .welcome(let welcome)):
            state = .established
            self.welcome = welcome
            return nil
        case (_, .goodbye(let reason)):
            state = .failed
            throw ProtocolError(.authenticationFailed, "the peer closed the handshake: \(reason)")
        default:
            state = .failed
            throw ProtocolError(.unexpected, "\(message.type) during the handshake (state \(state))")
        }
    }
}

/// The accepting side's handshake (the coordinator, or a worker serving shuffles): feed each received message to
/// ``receive(_:)`` and send what it returns; after the client's proof checks out, ``isEstablished`` and
/// ``peer`` says who connected. A failure returns a ``ProtocolError`` whose reason goes into a goodbye.
public struct ServerHandshake: Sendable {
    public enum State: Sendable, Equatable { case awaitingHello, awaitingResponse, established, failed }

    let secret: [UInt8]
    let serverNonce: [UInt8]
    let sessionId: String
    let heartbeatIntervalMs: UInt64
    public private(set) var state = State.awaitingHello
    public private(set) var peer: Hello?

    public init(secret: [UInt8], serverNonce: [UInt8], sessionId: String, heartbeatIntervalMs: UInt64) {
        precondition(serverNonce.count == MessageLimits.nonceBytes, "a nonce is \(MessageLimits.nonceBytes) bytes")
        self.secret = secret
        self.serverNonce = serverNonce
        self.sessionId = sessionId
        self.heartbeatIntervalMs = heartbeatIntervalMs
    }

    public var isEstablished: Bool { state == .established }

    public mutating func receive(_ message: Message) throws(ProtocolError) -> Message {
        switch (state, message) {
        case (.awaitingHello, .hello(let hello)):
            guard hello.clientNonce != serverNonce else {
                state = .failed
                throw ProtocolError(.authenticationFailed, "the client sent the server's own nonce")
            }
            peer = hello
            state = .awaitingResponse
            return .challenge(Challenge(serverNonce: serverNonce, serverProof: HandshakeProof.server(
                secret: secret, clientNonce: hello.clientNonce, serverNonce: serverNonce, nodeName: hello.nodeName)))
        case (.awaitingResponse, .response(let response)):
            let hello = peer!
            let expected = HandshakeProof.client(secret: secret, clientNonce: hello.clientNonce, serverNonce: serverNonce, nodeName: hello.nodeName)
            guard HandshakeProof.equal(expected, response.clientProof) else {
                state = .failed
                throw ProtocolError(.authenticationFailed, "\(hello.nodeName): wrong cluster secret")
            }
            state = .established
            return .welcome(Welcome(sessionId: sessionId, heartbeatIntervalMs: heartbeatIntervalMs))
        default:
            state = .failed
            throw ProtocolError(.unexpected, "\(message.type) during the handshake (state \(state))")
        }
    }
}
