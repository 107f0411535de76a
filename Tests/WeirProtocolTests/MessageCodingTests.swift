import Testing
import WeirCodecs
@testable import WeirProtocol

@Suite struct MessageCodingTests {
    static let nonce = [UInt8](repeating: 7, count: 32)
    static let task = TaskRef(jobId: "job-1", taskId: "t-03", attempt: 2)
    static let all: [Message] = [
        .hello(Hello(role: .worker, nodeName: "worker-a", clientNonce: nonce)),
        .challenge(Challenge(serverNonce: nonce, serverProof: nonce.reversed())),
        .response(Response(clientProof: nonce)),
        .welcome(Welcome(sessionId: "s1", heartbeatIntervalMs: 1000)),
        .register(Register(workerId: "w", slots: 2, shuffleAddress: "127.0.0.1:7001", running: [task])),
        .register(Register(workerId: "w", slots: 1, shuffleAddress: nil, running: [])),
        .registered(Registered(workerId: "w", cancel: [task, task])),
        .heartbeat(Heartbeat(sequence: UInt64.max, running: [task])),
        .assignTask(TaskAssignment(task: task, kind: "ingest", spec: Array(#"{"bucket":3}"#.utf8))),
        .cancelTask(task),
        .taskProgress(TaskProgress(task: task, rows: 10, bytes: 1 << 40, unitsDone: 1, unitsTotal: 4)),
        .taskResult(TaskResult(task: task, status: .succeeded, result: Array("{}".utf8), error: nil, retryable: false)),
        .taskResult(TaskResult(task: task, status: .failed, result: [], error: "disk full ✗", retryable: true)),
        .rowData(RowData(shuffleId: "sh", partition: 5, sender: "w", sequence: 9, last: true, rows: [1, 2, 3])),
        .rowDataAck(RowDataAck(shuffleId: "sh", partition: 5, sender: "w", sequence: 9)),
        .goodbye(reason: "shutting down"),
    ]

    @Test func everyMessageRoundTrips() throws {
        for message in Self.all {
            let frame = MessageCoding.encode(message)
            #expect(frame.type == message.type.rawValue)
            #expect(try MessageCoding.decode(frame) == message)
        }
        #expect(Set(Self.all.map(\.type)) == Set(MessageType.allCases), "every message type is covered")
    }

    func kind(_ frame: Frame) -> ProtocolError.Kind? {
        do { _ = try MessageCoding.decode(frame); return nil } catch { return error.kind }
    }

    @Test func badPayloadsAreNamed() {
        let heartbeat = MessageCoding.encode(Self.all[7])
        #expect(kind(Frame(type: 500, payload: [])) == .unknownType)
        #expect(kind(Frame(type: heartbeat.type, payload: Array(heartbeat.payload.dropLast()))) == .malformed, "truncated")
        #expect(kind(Frame(type: heartbeat.type, payload: heartbeat.payload + [0])) == .malformed, "trailing bytes")
        // A list count of 60,000 with a few bytes behind it is a lie, refused before allocating; one over the
        // limit is refused as too large.
        #expect(kind(Frame(type: MessageType.heartbeat.rawValue, payload: [1, 0xE0, 0xD4, 0x03])) == .malformed)
        #expect(kind(Frame(type: MessageType.heartbeat.rawValue, payload: [1, 0xFF, 0xFF, 0xFF, 0x7F])) == .tooLarge)
        // A string declaring 100 KiB is over the 64 KiB limit.
        #expect(kind(Frame(type: MessageType.goodbye.rawValue, payload: [0x80, 0x90, 0x06])) == .tooLarge)
        #expect(kind(Frame(type: MessageType.goodbye.rawValue, payload: [2, 0xC3, 0x28])) == .malformed, "bad UTF-8")
        #expect(kind(Frame(type: MessageType.hello.rawValue, payload: [9, 1, 0x61, 32] + Self.nonce)) == .unknownType, "unknown role")
        #expect(kind(Frame(type: MessageType.hello.rawValue, payload: [1, 1, 0x61, 31] + Self.nonce.dropLast())) == .malformed, "short nonce")
        #expect(kind(Frame(type: MessageType.heartbeat.rawValue, payload: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])) == .malformed, "varint over 64 bits")
    }

    /// Random and mutated frames give errors or messages, never a crash or a hang (seeded; the seed is printed).
    @Test func randomAndMutatedInputNeverCrashes() throws {
        var rng = SplitMix64(seed: UInt64.random(in: 1...UInt64.max))
        let seed = rng.state
        let valid = try Self.all.map { try FrameEncoder().encode(MessageCoding.encode($0)) }
        for round in 0..<3000 {
            var bytes: [UInt8]
            if round % 3 == 0 {
                bytes = (0..<Int(rng.next() % 300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            } else {
                bytes = valid[Int(rng.next() % UInt64(valid.count))]
                for _ in 0..<(1 + Int(rng.next() % 4)) where !bytes.isEmpty {
                    bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
                }
                if round % 5 == 0 { bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count + 1)))) }
            }
            // Payload-level mutation behind a valid header, so message decoding sees garbage too.
            if round % 2 == 1, bytes.count > 16 {
                let payload = Array(bytes[16...])
                if let message = try? MessageCoding.decode(Frame(type: UInt16(rng.next() % 100), payload: payload)) {
                    _ = MessageCoding.encode(message)
                }
            }
            var decoder = FrameDecoder(frameBytesMax: 1 << 16)
            decoder.append(bytes)
            if let frame = try? decoder.next(), let message = try? MessageCoding.decode(frame) {
                // Whatever decodes re-encodes to a frame that decodes to the same message.
                #expect(try MessageCoding.decode(MessageCoding.encode(message)) == message, "seed \(seed)")
            }
        }
    }
}
