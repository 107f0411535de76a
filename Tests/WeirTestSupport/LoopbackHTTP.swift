#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal blocking HTTP/1.0 client for the harness's own calls to servers on 127.0.0.1 (health checks,
/// moto's admin API), so the harness needs no HTTP library. Responses are read up to ``responseBytesMax``.
public enum LoopbackHTTP {
    /// The most response bytes read.
    public static let responseBytesMax = 1 << 20

    /// Sends `method path` to 127.0.0.1:`port` and returns the status code and body. Fails on connection
    /// errors, a timeout of `timeoutMs` per socket operation, or a malformed status line.
    public static func request(_ method: String, port: Int, path: String, body: [UInt8] = [], timeoutMs: Int = 2_000) throws -> (status: Int, body: [UInt8]) {
        let fd = try LoopbackSocket.open(port: port, receiveTimeoutMs: timeoutMs, sendTimeoutMs: timeoutMs)
        defer { close(fd) }
        let head = "\(method) \(path) HTTP/1.0\r\nHost: 127.0.0.1:\(port)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let request = Array(head.utf8) + body
        guard LoopbackSocket.sendAll(fd, request) == request.count else { throw ServerError("send to 127.0.0.1:\(port) failed: errno \(errno)") }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while response.count < responseBytesMax {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { break }
            guard n > 0 else { throw ServerError("recv from 127.0.0.1:\(port) failed: errno \(errno)") }
            response += chunk[0..<n]
        }
        // "HTTP/1.x NNN reason\r\n...\r\n\r\nbody"
        guard response.count >= 12, response.starts(with: Array("HTTP/1.".utf8)),
              let status = Int(String(decoding: response[9..<12], as: UTF8.self)) else {
            throw ServerError("127.0.0.1:\(port) answered something that is not HTTP")
        }
        var bodyStart = response.count
        if response.count >= 4 {
            for i in 0...(response.count - 4) where response[i] == 13 && response[i + 1] == 10 && response[i + 2] == 13 && response[i + 3] == 10 {
                bodyStart = i + 4
                break
            }
        }
        return (status, Array(response[bodyStart...]))
    }
}
