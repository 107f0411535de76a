import Logging
import WeirProtocol

extension Worker {
    /// Everything a worker process is started with (the `weir worker` options).
    public struct Configuration: Sendable {
        /// The coordinator's address.
        public var host: String
        public var port: Int
        /// The shared cluster secret (the coordinator's). Must not be empty.
        public var secret: [UInt8]
        /// This worker's stable id: the same across restarts and reconnects, unique in the cluster.
        public var workerId: String
        /// How many attempts run at once.
        public var slots: Int
        /// The worker's own directory for attempts' scratch directories (`attempt-*` entries in it are removed at
        /// start: do not share it between workers).
        public var scratchDirectory: String
        /// Pauses between connection attempts, doubling from min to max, in milliseconds.
        public var reconnectDelayMinMs: Int64
        public var reconnectDelayMaxMs: Int64
        /// How long a TCP connect may take, in milliseconds.
        public var connectTimeoutMs: Int64
        /// How long the coordinator may take to finish the handshake, in milliseconds.
        public var handshakeTimeoutMs: Int64
        /// A coordinator silent for this long (no heartbeat, no message) counts as gone: reconnect. In milliseconds.
        public var coordinatorTimeoutMs: Int64
        /// The least time between two progress messages of one attempt, in milliseconds.
        public var progressIntervalMs: Int64
        /// On a graceful shutdown, how long running attempts may take to finish before they are cancelled, in milliseconds.
        public var drainTimeoutMs: Int64
        /// The largest frame payload accepted from the coordinator, in bytes.
        public var frameBytesMax: Int
        /// TLS to the coordinator, or nil for plain TCP.
        public var tls: ClientTLS?
        public var logger: Logger

        public init(host: String, port: Int, secret: [UInt8], workerId: String, slots: Int, scratchDirectory: String,
                    reconnectDelayMinMs: Int64 = 100, reconnectDelayMaxMs: Int64 = 5_000, connectTimeoutMs: Int64 = 5_000,
                    handshakeTimeoutMs: Int64 = 10_000, coordinatorTimeoutMs: Int64 = 15_000, progressIntervalMs: Int64 = 500,
                    drainTimeoutMs: Int64 = 30_000, frameBytesMax: Int = FrameHeader.frameBytesMaxDefault, tls: ClientTLS? = nil,
                    logger: Logger = Logger(label: "weir.worker")) {
            self.host = host
            self.port = port
            self.secret = secret
            self.workerId = workerId
            self.slots = slots
            self.scratchDirectory = scratchDirectory
            self.reconnectDelayMinMs = reconnectDelayMinMs
            self.reconnectDelayMaxMs = reconnectDelayMaxMs
            self.connectTimeoutMs = connectTimeoutMs
            self.handshakeTimeoutMs = handshakeTimeoutMs
            self.coordinatorTimeoutMs = coordinatorTimeoutMs
            self.progressIntervalMs = progressIntervalMs
            self.drainTimeoutMs = drainTimeoutMs
            self.frameBytesMax = frameBytesMax
            self.tls = tls
            self.logger = logger
        }

        func validate() throws {
            guard !secret.isEmpty else { throw ClusterError(.configuration, "the cluster secret is empty") }
            guard !workerId.isEmpty, workerId.utf8.count <= 256 else {
                throw ClusterError(.configuration, "the worker id must have 1 to 256 bytes")
            }
            guard (1...4096).contains(slots) else { throw ClusterError(.configuration, "slots = \(slots) is not within 1...4096") }
            guard !scratchDirectory.isEmpty else { throw ClusterError(.configuration, "no scratch directory") }
            guard (1...65_535).contains(port) else { throw ClusterError(.configuration, "port \(port) is not within 1...65535") }
            guard reconnectDelayMinMs >= 1, reconnectDelayMaxMs >= reconnectDelayMinMs else {
                throw ClusterError(.configuration, "reconnect delays \(reconnectDelayMinMs)...\(reconnectDelayMaxMs) ms are not a range")
            }
        }
    }
}
