/// Paths and query strings as the Gravitino client sends them: the raw path is split on `/` first and each
/// segment percent-decoded afterwards, so `%2F` inside a name never splits it (spec/gravitino-api.md section 1.1).
enum RawPath {
    /// The longest request target accepted, in bytes.
    static let targetBytesMax = 8192
    /// The most path segments accepted.
    static let segmentsCountMax = 32

    /// The decoded segments of `path` (without the leading empty one); an invalid escape or a decoded control
    /// character is a 400.
    static func segments(_ path: String) throws -> [String] {
        guard path.utf8.count <= targetBytesMax else { throw APIError.illegalArgument("the request path is longer than \(targetBytesMax) bytes") }
        var raw = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        if raw.last == "" { raw = raw.dropLast() }
        guard raw.count <= segmentsCountMax else { throw APIError.illegalArgument("the request path has more than \(segmentsCountMax) segments") }
        return try raw.map { try decode(String($0), plusIsSpace: false) }
    }

    /// The decoded query parameters (`+` is a space, as Python's `urlencode` writes it); the first of a repeated name wins.
    static func query(_ query: String?) throws -> [String: String] {
        guard let query, !query.isEmpty else { return [:] }
        guard query.utf8.count <= targetBytesMax else { throw APIError.illegalArgument("the query string is longer than \(targetBytesMax) bytes") }
        var out: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try decode(String(parts[0]), plusIsSpace: true)
            let value = parts.count > 1 ? try decode(String(parts[1]), plusIsSpace: true) : ""
            if out[key] == nil { out[key] = value }
        }
        return out
    }

    /// Percent-decodes `text` as UTF-8.
    static func decode(_ text: String, plusIsSpace: Bool) throws -> String {
        if !text.utf8.contains(0x25) && !(plusIsSpace && text.utf8.contains(0x2b)) { return try checked(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var it = Array(text.utf8)[...]
        while let b = it.popFirst() {
            if b == 0x25 {
                guard let h = it.popFirst(), let l = it.popFirst(), let hv = hex(h), let lv = hex(l) else {
                    throw APIError.illegalArgument("the request target holds an invalid percent escape in '\(text.prefix(80))'")
                }
                bytes.append(hv << 4 | lv)
            } else if b == 0x2b && plusIsSpace {
                bytes.append(0x20)
            } else {
                bytes.append(b)
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw APIError.illegalArgument("the request target decodes to invalid UTF-8 in '\(text.prefix(80))'")
        }
        return try checked(decoded)
    }

    static func checked(_ text: String) throws -> String {
        if text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }) {
            throw APIError.illegalArgument("the request target holds a control character")
        }
        return text
    }

    static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }

    /// A query boolean: `true`/`True`/`TRUE` are true, anything else (or absence) false.
    static func flag(_ query: [String: String], _ name: String) -> Bool {
        query[name]?.lowercased() == "true"
    }
}
