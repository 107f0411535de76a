import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A raw TCP conversation with a server on 127.0.0.1, for tests that send a server bytes no real client would
/// (broken frames, garbage, a hang-up mid-message). The blocking socket calls run on a Dispatch thread, never on
/// one of the Swift concurrency pool's threads; every wait is bounded.
public enum LoopbackTCP {
    /// What a conversation saw.
    public struct Outcome: Sendable {
        /// The local port of the test's socket (how the server's log names this peer: `127.0.0.1:<port>`).
        public var localPort: Int
        /// What the server sent before the end (at most `bytesMax` bytes).
        public var received: [UInt8]
        /// Whether the server closed the connection (end of stream or reset) within the time given; false when
        /// the test hung up first or the time ran out.
        public var closedByServer: Bool
    }

    /// Connects to 127.0.0.1:`port`, sends `bytes`, then either hangs up at once (`hangUp`) or reads until the
    /// server closes, at most `bytesMax` bytes and `timeoutMs` milliseconds.
    public static func converse(port: Int, send bytes: [UInt8], hangUp: Bool, timeoutMs: Int = 20_000,
                                bytesMax: Int = 1 << 16) async throws -> Outcome {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Outcome, any Error>) in
            DispatchQueue.global().async {
                do {
                    continuation.resume(returning: try conversation(port: port, bytes: bytes, hangUp: hangUp, timeoutMs: timeoutMs, bytesMax: bytesMax))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    static func conversation(port: Int, bytes: [UInt8], hangUp: Bool, timeoutMs: Int, bytesMax: Int) throws -> Outcome {
        // Each recv waits at most 200 ms, so the overall deadline is checked often.
        let fd = try LoopbackSocket.open(port: port, receiveTimeoutMs: 200, sendTimeoutMs: timeoutMs)
        defer { close(fd) }
        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &local) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let localPort = Int(UInt16(bigEndian: local.sin_port))
        // The server may close while we are still sending (it refused the stream early): that is an answer too.
        _ = LoopbackSocket.sendAll(fd, bytes)
        if hangUp { return Outcome(localPort: localPort, received: [], closedByServer: false) }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        let deadline = DispatchTime.now() + .milliseconds(timeoutMs)
        while DispatchTime.now() < deadline {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return Outcome(localPort: localPort, received: received, closedByServer: true) }
            if n < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                if errno == ECONNRESET { return Outcome(localPort: localPort, received: received, closedByServer: true) }
                throw ServerError("recv from 127.0.0.1:\(port) failed: errno \(errno)")
            }
            received += chunk[0..<min(n, max(0, bytesMax - received.count))]
        }
        return Outcome(localPort: localPort, received: received, closedByServer: false)
    }
}
