/// Encodes and decodes ``Message``s to and from frames (field encoding: ``WireWriter``/``WireReader``). Decoding
/// checks every field against ``MessageLimits`` and the frame's bytes, rejects unknown frame types and enum
/// values, and requires the payload to be consumed exactly.
public enum MessageCoding {
    public static func encode(_ message: Message) -> Frame {
        var w = WireWriter()
        switch message {
        case .hello(let m):
            w.uint(UInt64(m.role.rawValue))
            w.string(m.nodeName)
            w.bytes(m.clientNonce)
        case .challenge(let m):
            w.bytes(m.serverNonce)
            w.bytes(m.serverProof)
        case .response(let m):
            w.bytes(m.clientProof)
        case .welcome(let m):
            w.string(m.sessionId)
            w.uint(m.heartbeatIntervalMs)
        case .register(let m):
            w.string(m.workerId)
            w.uint(m.slots)
            w.optionalString(m.shuffleAddress)
            putTasks(&w, m.running)
        case .registered(let m):
            w.string(m.workerId)
            putTasks(&w, m.cancel)
        case .heartbeat(let m):
            w.uint(m.sequence)
            putTasks(&w, m.running)
        case .assignTask(let m):
            putTask(&w, m.task)
            w.string(m.kind)
            w.bytes(m.spec)
        case .cancelTask(let m):
            putTask(&w, m)
        case .taskProgress(let m):
            putTask(&w, m.task)
            w.uint(m.rows)
            w.uint(m.bytes)
            w.uint(m.unitsDone)
            w.uint(m.unitsTotal)
        case .taskResult(let m):
            putTask(&w, m.task)
            w.uint(UInt64(m.status.rawValue))
            w.bytes(m.result)
            w.optionalString(m.error)
            w.bool(m.retryable)
        case .rowData(let m):
            w.string(m.shuffleId)
            w.uint(m.partition)
            w.string(m.sender)
            w.uint(m.sequence)
            w.bool(m.last)
            w.bytes(m.rows)
        case .rowDataAck(let m):
            w.string(m.shuffleId)
            w.uint(m.partition)
            w.string(m.sender)
            w.uint(m.sequence)
        case .goodbye(let reason):
            w.string(reason)
        }
        return Frame(type: message.type.rawValue, payload: w.out.bytes)
    }

    public static func decode(_ frame: Frame) throws(ProtocolError) -> Message {
        guard let type = MessageType(rawValue: frame.type) else {
            throw ProtocolError(.unknownType, "unknown frame type \(frame.type)")
        }
        var r = WireReader(frame.payload, what: "\(type) message")
        let message: Message
        switch type {
        case .hello:
            let rawRole = try r.uint(max: 255, "role")
            guard let role = PeerRole(rawValue: UInt8(rawRole)) else { throw ProtocolError(.unknownType, "hello: unknown role \(rawRole)") }
            message = .hello(Hello(role: role, nodeName: try r.string("node name"), clientNonce: try nonce(&r, "client nonce")))
        case .challenge:
            message = .challenge(Challenge(serverNonce: try nonce(&r, "server nonce"), serverProof: try nonce(&r, "server proof")))
        case .response:
            message = .response(Response(clientProof: try nonce(&r, "client proof")))
        case .welcome:
            message = .welcome(Welcome(sessionId: try r.string("session id"), heartbeatIntervalMs: try r.uint(max: 3_600_000, "heartbeat interval")))
        case .register:
            message = .register(Register(workerId: try r.string("worker id"), slots: try r.uint(max: 4096, "slots"),
                                         shuffleAddress: try r.optionalString("shuffle address"), running: try tasks(&r, "running")))
        case .registered:
            message = .registered(Registered(workerId: try r.string("worker id"), cancel: try tasks(&r, "cancel")))
        case .heartbeat:
            message = .heartbeat(Heartbeat(sequence: try r.uint(), running: try tasks(&r, "running")))
        case .assignTask:
            message = .assignTask(TaskAssignment(task: try task(&r), kind: try r.string("kind"),
                                                 spec: try r.bytes(max: MessageLimits.documentBytesMax, "spec")))
        case .cancelTask:
            message = .cancelTask(try task(&r))
        case .taskProgress:
            message = .taskProgress(TaskProgress(task: try task(&r), rows: try r.uint(), bytes: try r.uint(),
                                                 unitsDone: try r.uint(), unitsTotal: try r.uint()))
        case .taskResult:
            let ref = try task(&r)
            let rawStatus = try r.uint(max: 255, "status")
            guard let status = TaskResult.Status(rawValue: UInt8(rawStatus)) else {
                throw ProtocolError(.unknownType, "task result: unknown status \(rawStatus)")
            }
            message = .taskResult(TaskResult(task: ref, status: status, result: try r.bytes(max: MessageLimits.documentBytesMax, "result"),
                                             error: try r.optionalString("error"), retryable: try r.bool()))
        case .rowData:
            message = .rowData(RowData(shuffleId: try r.string("shuffle id"), partition: try r.uint(), sender: try r.string("sender"),
                                       sequence: try r.uint(), last: try r.bool(), rows: try r.bytes(max: Int.max, "rows")))
        case .rowDataAck:
            message = .rowDataAck(RowDataAck(shuffleId: try r.string("shuffle id"), partition: try r.uint(), sender: try r.string("sender"),
                                             sequence: try r.uint()))
        case .goodbye:
            message = .goodbye(reason: try r.string("reason"))
        }
        try r.finish()
        return message
    }

    static func putTask(_ w: inout WireWriter, _ task: TaskRef) {
        w.string(task.jobId)
        w.string(task.taskId)
        w.uint(task.attempt)
    }

    static func putTasks(_ w: inout WireWriter, _ tasks: [TaskRef]) {
        w.uint(UInt64(tasks.count))
        for t in tasks { putTask(&w, t) }
    }

    static func task(_ r: inout WireReader) throws(ProtocolError) -> TaskRef {
        TaskRef(jobId: try r.string("job id"), taskId: try r.string("task id"), attempt: try r.uint())
    }

    static func tasks(_ r: inout WireReader, _ field: String) throws(ProtocolError) -> [TaskRef] {
        let n = try r.count(max: MessageLimits.listCountMax, field)
        var out: [TaskRef] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try task(&r)) }
        return out
    }

    static func nonce(_ r: inout WireReader, _ field: String) throws(ProtocolError) -> [UInt8] {
        let bytes = try r.bytes(max: MessageLimits.nonceBytes, field)
        guard bytes.count == MessageLimits.nonceBytes else {
            throw ProtocolError(.malformed, "\(field) has \(bytes.count) bytes, not \(MessageLimits.nonceBytes)")
        }
        return bytes
    }
}
