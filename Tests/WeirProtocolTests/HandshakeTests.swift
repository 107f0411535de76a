import Testing
@testable import WeirProtocol

@Suite struct HandshakeTests {
    let secret = Array("cluster-secret".utf8)
    let clientNonce = [UInt8](repeating: 1, count: 32)
    let serverNonce = [UInt8](repeating: 2, count: 32)

    /// Runs both sides through the wire encoding; returns the first error.
    func run(clientSecret: [UInt8], serverSecret: [UInt8]) throws -> (ClientHandshake, ServerHandshake) {
        var client = ClientHandshake(secret: clientSecret, role: .worker, nodeName: "w1", clientNonce: clientNonce)
        var server = ServerHandshake(secret: serverSecret, serverNonce: serverNonce, sessionId: "s-1", heartbeatIntervalMs: 500)
        func wire(_ m: Message) throws -> Message { try MessageCoding.decode(MessageCoding.encode(m)) }
        let challenge = try server.receive(try wire(client.start()))
        guard let response = try client.receive(try wire(challenge)) else { Issue.record("no response"); return (client, server) }
        let welcome = try server.receive(try wire(response))
        #expect(try client.receive(try wire(welcome)) == nil)
        return (client, server)
    }

    @Test func sameSecretEstablishesBothSides() throws {
        let (client, server) = try run(clientSecret: secret, serverSecret: secret)
        #expect(client.isEstablished && server.isEstablished)
        #expect(server.peer?.nodeName == "w1" && server.peer?.role == .worker)
        #expect(client.welcome == Welcome(sessionId: "s-1", heartbeatIntervalMs: 500))
    }

    @Test func wrongSecretIsRefusedByTheWorkerFirst() {
        // The coordinator proves itself first: a worker with another secret rejects the challenge and never
        // sends a proof of its own.
        do {
            _ = try run(clientSecret: Array("other".utf8), serverSecret: secret)
            Issue.record("a wrong secret was accepted")
        } catch let error as ProtocolError {
            #expect(error.kind == .authenticationFailed && error.reason.contains("coordinator's proof"))
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func forgedClientProofIsRefused() throws {
        var server = ServerHandshake(secret: secret, serverNonce: serverNonce, sessionId: "s", heartbeatIntervalMs: 1)
        _ = try server.receive(.hello(Hello(role: .worker, nodeName: "evil", clientNonce: clientNonce)))
        // Reflecting the server's proof back, or proving for another node name, does not work.
        let reflected = HandshakeProof.server(secret: secret, clientNonce: clientNonce, serverNonce: serverNonce, nodeName: "evil")
        #expect(throws: ProtocolError.self) { try server.receive(.response(Response(clientProof: reflected))) }
        var other = ServerHandshake(secret: secret, serverNonce: serverNonce, sessionId: "s", heartbeatIntervalMs: 1)
        _ = try other.receive(.hello(Hello(role: .worker, nodeName: "evil", clientNonce: clientNonce)))
        let forOtherName = HandshakeProof.client(secret: secret, clientNonce: clientNonce, serverNonce: serverNonce, nodeName: "w1")
        #expect(throws: ProtocolError.self) { try other.receive(.response(Response(clientProof: forOtherName))) }
        #expect(other.state == .failed)
    }

    @Test func messagesOutOfOrderAreRefused() throws {
        var server = ServerHandshake(secret: secret, serverNonce: serverNonce, sessionId: "s", heartbeatIntervalMs: 1)
        #expect(throws: ProtocolError.self) { try server.receive(.heartbeat(Heartbeat(sequence: 1, running: []))) }
        var client = ClientHandshake(secret: secret, role: .worker, nodeName: "w", clientNonce: clientNonce)
        _ = client.start()
        #expect(throws: ProtocolError.self) { try client.receive(.welcome(Welcome(sessionId: "s", heartbeatIntervalMs: 1))) }
        var echo = ServerHandshake(secret: secret, serverNonce: serverNonce, sessionId: "s", heartbeatIntervalMs: 1)
        #expect(throws: ProtocolError.self) { try echo.receive(.hello(Hello(role: .worker, nodeName: "w", clientNonce: serverNonce))) }
    }
}
