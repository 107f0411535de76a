#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The blocking TCP socket calls ``LoopbackHTTP``, ``LoopbackTCP`` and ``FreePort`` share: a connection to
/// 127.0.0.1 with bounded socket operations, and sends that never raise SIGPIPE when the server has already closed.
enum LoopbackSocket {
    /// A socket connected to 127.0.0.1:`port`; each receive waits at most `receiveTimeoutMs`, each send at most
    /// `sendTimeoutMs`. The caller closes it.
    static func open(port: Int, receiveTimeoutMs: Int, sendTimeoutMs: Int) throws -> Int32 {
        let fd = try newSocket()
        var receiveTimeout = timeval(tv_sec: receiveTimeoutMs / 1000, tv_usec: Int((receiveTimeoutMs % 1000) * 1000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &receiveTimeout, socklen_t(MemoryLayout<timeval>.size))
        var sendTimeout = timeval(tv_sec: sendTimeoutMs / 1000, tv_usec: Int((sendTimeoutMs % 1000) * 1000))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &sendTimeout, socklen_t(MemoryLayout<timeval>.size))
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let error = errno
            close(fd)
            throw ServerError("connect to 127.0.0.1:\(port) failed: errno \(error)")
        }
        return fd
    }

    /// A new IPv4 TCP socket; the caller closes it.
    static func newSocket() throws -> Int32 {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw ServerError("socket() failed: errno \(errno)") }
        return fd
    }

    /// The address 127.0.0.1:`port`.
    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// Sends bytes from the start of `bytes` until all are sent or a send fails; returns how many were sent.
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Int {
        #if canImport(Glibc)
        let flags = Int32(MSG_NOSIGNAL)
        #else
        let flags: Int32 = 0
        #endif
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, flags) }
            guard n > 0 else { break }
            sent += n
        }
        return sent
    }
}
