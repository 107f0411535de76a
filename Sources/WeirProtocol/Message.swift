/// Every message of the cluster protocol, coordinator ↔ worker (DESIGN.md section 2, "cluster"). A message is
/// one frame; ``MessageType`` is the frame type.
///
/// Flow: the worker connects and runs the handshake (``hello`` → ``challenge`` → ``response`` → ``welcome``),
/// then ``register``s with its stable id, slots and the task attempts it is still running (after a reconnect);
/// both sides send ``heartbeat``s; the coordinator sends ``assignTask`` and ``cancelTask``; the worker answers with
/// ``taskProgress`` and one ``taskResult`` per attempt. ``rowData`` carries bulk rows between workers for shuffles,
/// acknowledged with ``rowDataAck`` for flow control. ``goodbye`` says why a side closes.
public enum Message: Sendable, Equatable {
    case hello(Hello)
    case challenge(Challenge)
    case response(Response)
    case welcome(Welcome)
    case register(Register)
    case registered(Registered)
    case heartbeat(Heartbeat)
    case assignTask(TaskAssignment)
    case cancelTask(TaskRef)
    case taskProgress(TaskProgress)
    case taskResult(TaskResult)
    case rowData(RowData)
    case rowDataAck(RowDataAck)
    case goodbye(reason: String)

    public var type: MessageType {
        switch self {
        case .hello: return .hello
        case .challenge: return .challenge
        case .response: return .response
        case .welcome: return .welcome
        case .register: return .register
        case .registered: return .registered
        case .heartbeat: return .heartbeat
        case .assignTask: return .assignTask
        case .cancelTask: return .cancelTask
        case .taskProgress: return .taskProgress
        case .taskResult: return .taskResult
        case .rowData: return .rowData
        case .rowDataAck: return .rowDataAck
        case .goodbye: return .goodbye
        }
    }
}

/// Frame types. Values are stable: never renumber, only add.
public enum MessageType: UInt16, Sendable, CaseIterable {
    case hello = 1, challenge = 2, response = 3, welcome = 4
    case register = 10, registered = 11, heartbeat = 12
    case assignTask = 20, cancelTask = 21, taskProgress = 22, taskResult = 23
    case rowData = 30, rowDataAck = 31
    case goodbye = 99
}

/// Who is connecting.
public enum PeerRole: UInt8, Sendable {
    case worker = 1
    /// A client of the coordinator (`weir submit`, `weir status`); it never receives tasks.
    case client = 2
    /// A worker connecting to another worker for a shuffle.
    case shufflePeer = 3
}

public struct Hello: Sendable, Equatable {
    public var role: PeerRole
    /// The connecting process's stable name (worker id), bound into the proofs.
    public var nodeName: String
    public var clientNonce: [UInt8]
    public init(role: PeerRole, nodeName: String, clientNonce: [UInt8]) {
        self.role = role
        self.nodeName = nodeName
        self.clientNonce = clientNonce
    }
}

public struct Challenge: Sendable, Equatable {
    public var serverNonce: [UInt8]
    /// HMAC proving the server knows the secret (see ``HandshakeProof``).
    public var serverProof: [UInt8]
    public init(serverNonce: [UInt8], serverProof: [UInt8]) {
        self.serverNonce = serverNonce
        self.serverProof = serverProof
    }
}

public struct Response: Sendable, Equatable {
    public var clientProof: [UInt8]
    public init(clientProof: [UInt8]) { self.clientProof = clientProof }
}

public struct Welcome: Sendable, Equatable {
    public var sessionId: String
    public var heartbeatIntervalMs: UInt64
    public init(sessionId: String, heartbeatIntervalMs: UInt64) {
        self.sessionId = sessionId
        self.heartbeatIntervalMs = heartbeatIntervalMs
    }
}

/// One attempt of one task: the unit of exactly-once bookkeeping.
public struct TaskRef: Sendable, Hashable {
    public var jobId: String
    public var taskId: String
    public var attempt: UInt64
    public init(jobId: String, taskId: String, attempt: UInt64) {
        self.jobId = jobId
        self.taskId = taskId
        self.attempt = attempt
    }
}

public struct Register: Sendable, Equatable {
    public var workerId: String
    public var slots: UInt64
    /// Where other workers reach this one for shuffles (`host:port`), if it serves row data.
    public var shuffleAddress: String?
    /// Attempts still running on the worker (after a reconnect), so the coordinator keeps rather than reassigns them.
    public var running: [TaskRef]
    public init(workerId: String, slots: UInt64, shuffleAddress: String?, running: [TaskRef]) {
        self.workerId = workerId
        self.slots = slots
        self.shuffleAddress = shuffleAddress
        self.running = running
    }
}

public struct Registered: Sendable, Equatable {
    public var workerId: String
    /// Attempts the worker reported that the coordinator no longer wants: the worker must cancel them.
    public var cancel: [TaskRef]
    public init(workerId: String, cancel: [TaskRef]) {
        self.workerId = workerId
        self.cancel = cancel
    }
}

public struct Heartbeat: Sendable, Equatable {
    public var sequence: UInt64
    public var running: [TaskRef]
    public init(sequence: UInt64, running: [TaskRef]) {
        self.sequence = sequence
        self.running = running
    }
}

public struct TaskAssignment: Sendable, Equatable {
    public var task: TaskRef
    /// What to run: `ingest`, `compact`, ... (the job module decides).
    public var kind: String
    /// The task's parameters, a JSON document the job module defines.
    public var spec: [UInt8]
    public init(task: TaskRef, kind: String, spec: [UInt8]) {
        self.task = task
        self.kind = kind
        self.spec = spec
    }
}

public struct TaskProgress: Sendable, Equatable {
    public var task: TaskRef
    public var rows: UInt64
    public var bytes: UInt64
    public var unitsDone: UInt64
    public var unitsTotal: UInt64
    public init(task: TaskRef, rows: UInt64, bytes: UInt64, unitsDone: UInt64, unitsTotal: UInt64) {
        self.task = task
        self.rows = rows
        self.bytes = bytes
        self.unitsDone = unitsDone
        self.unitsTotal = unitsTotal
    }
}

public struct TaskResult: Sendable, Equatable {
    public enum Status: UInt8, Sendable { case succeeded = 1, failed = 2, cancelled = 3 }
    public var task: TaskRef
    public var status: Status
    /// On success: the task's output, a JSON document (e.g. the files written); otherwise empty.
    public var result: [UInt8]
    /// On failure: what went wrong.
    public var error: String?
    /// Whether running the task again may succeed (a storage hiccup) or not (bad input).
    public var retryable: Bool
    public init(task: TaskRef, status: Status, result: [UInt8], error: String?, retryable: Bool) {
        self.task = task
        self.status = status
        self.result = result
        self.error = error
        self.retryable = retryable
    }
}

/// A chunk of rows for a shuffle: the rows of `partition` (the receiver's share) from one sender, in order.
public struct RowData: Sendable, Equatable {
    public var shuffleId: String
    public var partition: UInt64
    public var sender: String
    public var sequence: UInt64
    public var last: Bool
    /// The rows, encoded by the job (e.g. a Parquet or Arrow-like batch).
    public var rows: [UInt8]
    public init(shuffleId: String, partition: UInt64, sender: String, sequence: UInt64, last: Bool, rows: [UInt8]) {
        self.shuffleId = shuffleId
        self.partition = partition
        self.sender = sender
        self.sequence = sequence
        self.last = last
        self.rows = rows
    }
}

public struct RowDataAck: Sendable, Equatable {
    public var shuffleId: String
    public var partition: UInt64
    public var sender: String
    public var sequence: UInt64
    public init(shuffleId: String, partition: UInt64, sender: String, sequence: UInt64) {
        self.shuffleId = shuffleId
        self.partition = partition
        self.sender = sender
        self.sequence = sequence
    }
}
