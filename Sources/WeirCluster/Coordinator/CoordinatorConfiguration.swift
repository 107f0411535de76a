import Logging
import WeirProtocol

extension Coordinator {
    /// Everything a coordinator process is started with (the `weir coordinator` options).
    public struct Configuration: Sendable {
        /// The address to listen on; `0.0.0.0` for every interface.
        public var host: String
        /// The port to listen on; 0 lets the system pick one (see ``Coordinator/waitUntilListening()``).
        public var port: Int
        /// The shared cluster secret workers prove they hold (HMAC handshake). Must not be empty.
        public var secret: [UInt8]
        /// How often workers and the coordinator send heartbeats, in milliseconds (told to workers in the welcome).
        public var heartbeatIntervalMs: UInt64
        /// A worker silent for this long is dead and its attempts are run elsewhere, in milliseconds. After a
        /// restart, the time workers have to register again before their attempts are run elsewhere.
        public var heartbeatTimeoutMs: UInt64
        /// How long a peer may take from connecting to finishing the handshake, in milliseconds.
        public var handshakeTimeoutMs: Int64
        /// The most attempts a task gets before its job fails.
        public var attemptsMax: UInt64
        /// The largest frame payload accepted from a worker, in bytes.
        public var frameBytesMax: Int
        /// How often a job's commit is tried before the job fails, and the pause between tries in milliseconds.
        public var commitAttemptsMax: Int
        public var commitRetryDelayMs: Int64
        /// How often a store write is tried before it is given up (and logged), and the first pause in milliseconds
        /// (doubling).
        public var storeAttemptsMax: Int
        public var storeRetryDelayMs: Int64
        /// How many finished jobs the status keeps.
        public var finishedJobsKeptMax: Int
        /// TLS on the same port, or nil for plain TCP.
        public var tls: ServerTLS?
        public var logger: Logger

        public init(host: String = "0.0.0.0", port: Int = 7480, secret: [UInt8], heartbeatIntervalMs: UInt64 = 1_000,
                    heartbeatTimeoutMs: UInt64 = 10_000, handshakeTimeoutMs: Int64 = 10_000, attemptsMax: UInt64 = 4,
                    frameBytesMax: Int = FrameHeader.frameBytesMaxDefault, commitAttemptsMax: Int = 3, commitRetryDelayMs: Int64 = 1_000,
                    storeAttemptsMax: Int = 5, storeRetryDelayMs: Int64 = 100, finishedJobsKeptMax: Int = 256, tls: ServerTLS? = nil,
                    logger: Logger = Logger(label: "weir.coordinator")) {
            self.host = host
            self.port = port
            self.secret = secret
            self.heartbeatIntervalMs = heartbeatIntervalMs
            self.heartbeatTimeoutMs = heartbeatTimeoutMs
            self.handshakeTimeoutMs = handshakeTimeoutMs
            self.attemptsMax = attemptsMax
            self.frameBytesMax = frameBytesMax
            self.commitAttemptsMax = commitAttemptsMax
            self.commitRetryDelayMs = commitRetryDelayMs
            self.storeAttemptsMax = storeAttemptsMax
            self.storeRetryDelayMs = storeRetryDelayMs
            self.finishedJobsKeptMax = finishedJobsKeptMax
            self.tls = tls
            self.logger = logger
        }

        func validate() throws {
            guard !secret.isEmpty else { throw ClusterError(.configuration, "the cluster secret is empty") }
            guard heartbeatIntervalMs >= 1, heartbeatIntervalMs <= 3_600_000 else {
                throw ClusterError(.configuration, "heartbeatIntervalMs = \(heartbeatIntervalMs) is not within 1...3600000")
            }
            guard heartbeatTimeoutMs > heartbeatIntervalMs else {
                throw ClusterError(.configuration, "heartbeatTimeoutMs = \(heartbeatTimeoutMs) must be more than heartbeatIntervalMs = \(heartbeatIntervalMs)")
            }
            guard attemptsMax >= 1 else { throw ClusterError(.configuration, "attemptsMax must be at least 1") }
            guard frameBytesMax >= 1024 else { throw ClusterError(.configuration, "frameBytesMax = \(frameBytesMax) is under 1024") }
            guard (0...65_535).contains(port) else { throw ClusterError(.configuration, "port \(port) is not within 0...65535") }
        }
    }
}
