import NIOCore
import Synchronization

/// An ``S3Transport`` that wraps another and injects failures by a seeded, reproducible schedule: for tests of
/// retries and of what a failing writer leaves behind.
///
/// Each request is checked against the ``Rule``s in order; the first rule whose operation set contains the
/// request's operation, whose budget (``Rule/limit``) is not used up, and whose probability draw (from one
/// SplitMix64 generator seeded with `seed`, drawn once per matching rule) succeeds, applies its ``Fault``.
/// The same seed and the same sequence of requests give the same faults.
public final class FaultInjectingS3Transport: S3Transport {
    /// What to do to a request.
    public enum Fault: Sendable, Equatable {
        /// Answer with this status (e.g. 503 or 500) and an S3 error document, without sending the request.
        case status(Int)
        /// Fail as a connection reset before the request reaches the server.
        case resetBeforeSend
        /// Send the request, then fail as a connection reset: the server acted, the client never hears of it.
        case resetAfterSend
        /// Wait this many milliseconds, then send the request normally.
        case latencyMs(Int)
        /// Send the request, then end the response body cleanly after at most this many bytes.
        case truncateBody(afterBytes: Int)
    }

    /// When to apply a fault.
    public struct Rule: Sendable {
        public var operations: Set<S3Operation>
        public var fault: Fault
        /// Chance per matching request, 0 to 1.
        public var probability: Double
        /// The most times this rule fires; nil for no limit.
        public var limit: Int?

        public init(_ operations: Set<S3Operation>, _ fault: Fault, probability: Double = 1, limit: Int? = nil) {
            precondition((0...1).contains(probability), "probability must be within 0...1")
            self.operations = operations
            self.fault = fault
            self.probability = probability
            self.limit = limit
        }
    }

    /// One injected fault, in order of injection.
    public struct Injection: Sendable, Equatable {
        public var operation: S3Operation
        public var fault: Fault
        public var url: String
    }

    private struct State {
        var random: UInt64
        var fired: [Int]
        var injections: [Injection] = []
        var requests: [S3Operation: Int] = [:]
    }

    public let base: any S3Transport
    public let rules: [Rule]
    private let state: Mutex<State>

    public init(wrapping base: any S3Transport, seed: UInt64, rules: [Rule]) {
        self.base = base
        self.rules = rules
        self.state = Mutex(State(random: seed, fired: Array(repeating: 0, count: rules.count)))
    }

    /// Every fault injected so far.
    public var injections: [Injection] { state.withLock { $0.injections } }

    /// How many requests of each operation went through this transport (faulted or not).
    public var requestCounts: [S3Operation: Int] { state.withLock { $0.requests } }

    public func send(_ request: S3Request, timeoutMs: Int) async throws -> S3Response {
        let fault = decide(request)
        switch fault {
        case nil:
            return try await base.send(request, timeoutMs: timeoutMs)
        case .status(let status):
            let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>\(status == 503 ? "SlowDown" : "InternalError")</Code><Message>injected fault</Message><RequestId>fault</RequestId></Error>"
            var buffer = ByteBufferAllocator().buffer(capacity: xml.utf8.count)
            buffer.writeString(xml)
            return S3Response(status: status, headers: [S3Field("content-type", "application/xml"), S3Field("content-length", String(buffer.readableBytes))],
                              body: request.method == "HEAD" ? .empty : .bytes(buffer))
        case .resetBeforeSend:
            throw FileIOError(.transient, path: request.url, "connection reset by peer (injected before sending)")
        case .resetAfterSend:
            let response = try await base.send(request, timeoutMs: timeoutMs)
            _ = try? await response.body.collect(upTo: 1 << 20, context: request.url)
            throw FileIOError(.transient, path: request.url, "connection reset by peer (injected after the server answered \(response.status))")
        case .latencyMs(let ms):
            try await Task.sleep(for: .milliseconds(ms))
            return try await base.send(request, timeoutMs: timeoutMs)
        case .truncateBody(let afterBytes):
            let response = try await base.send(request, timeoutMs: timeoutMs)
            return S3Response(status: response.status, headers: response.headers, body: Self.truncated(response.body, afterBytes: afterBytes))
        }
    }

    private func decide(_ request: S3Request) -> Fault? {
        state.withLock { state in
            state.requests[request.operation, default: 0] += 1
            for (index, rule) in rules.enumerated() where rule.operations.contains(request.operation) {
                if let limit = rule.limit, state.fired[index] >= limit { continue }
                let draw = Double(Self.splitMix(&state.random) >> 11) / Double(1 << 53)
                guard draw < rule.probability else { continue }
                state.fired[index] += 1
                state.injections.append(Injection(operation: request.operation, fault: rule.fault, url: request.url))
                return rule.fault
            }
            return nil
        }
    }

    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A body that passes chunks through until `afterBytes` have gone by, then ends (dropping the rest, which
    /// closes the real connection).
    private static func truncated(_ body: S3ResponseBody, afterBytes: Int) -> S3ResponseBody {
        let remaining = Remaining(afterBytes)
        return S3ResponseBody {
            let left = remaining.bytes.withLock { $0 }
            guard left > 0, var chunk = try await body.next() else { return nil }
            let take = min(left, chunk.readableBytes)
            remaining.bytes.withLock { $0 -= take }
            return chunk.readSlice(length: take)
        }
    }

    private final class Remaining: Sendable {
        let bytes: Mutex<Int>
        init(_ bytes: Int) { self.bytes = Mutex(bytes) }
    }
}
