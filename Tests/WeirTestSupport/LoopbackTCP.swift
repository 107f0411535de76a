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
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw ServerError("socket() failed: errno \(errno)") }
        defer { close(fd) }
        // Each recv waits at most 200 ms, so the overall deadline is checked often.
        var slice = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &slice, socklen_t(MemoryLayout<timeval>.size))
        var sendTimeout = timeval(tv_sec: timeoutMs / 1000, tv_usec: Int((timeoutMs % 1000) * 1000))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &sendTimeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw ServerError("connect to 127.0.0.1:\(port) failed: errno \(errno)") }
        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &local) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let localPort = Int(UInt16(bigEndian: local.sin_port))
        var sent = 0
        while sent < bytes.count {
            #if canImport(Glibc)
            let flags = Int32(MSG_NOSIGNAL)
            #else
            let flags: Int32 = 0
            #endif
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, flags) }
            // The server may close while we are still sending (it refused the stream early): that is an answer too.
            guard n > 0 else { break }
            sent += n
        }
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
