import WeirCodecs

/// The field encoding inside message payloads: unsigned integers as varints, signed as zigzag varints, booleans
/// as one byte, strings and byte strings as a varint length then the bytes, lists as a varint count then the
/// items. Every length and count is checked against its limit and against the bytes left before anything is
/// allocated; a payload must be consumed exactly.
struct WireWriter {
    var out = ByteWriter()

    mutating func uint(_ v: UInt64) { out.putUVarint(v) }
    mutating func int(_ v: Int64) { out.putZigZagVarint(v) }
    mutating func bool(_ v: Bool) { out.putU8(v ? 1 : 0) }
    mutating func bytes(_ v: some Collection<UInt8>) {
        out.putUVarint(UInt64(v.count))
        out.putBytes(v)
    }
    mutating func string(_ v: String) { bytes(Array(v.utf8)) }
    mutating func optionalString(_ v: String?) {
        bool(v != nil)
        if let v { string(v) }
    }
}

struct WireReader {
    let bytes: [UInt8]
    var position = 0
    let what: String

    init(_ bytes: [UInt8], what: String) {
        self.bytes = bytes
        self.what = what
    }

    func malformed(_ message: String) -> ProtocolError { ProtocolError(.malformed, "\(what): \(message) at byte \(position)") }

    mutating func byte() throws(ProtocolError) -> UInt8 {
        guard position < bytes.count else { throw malformed("truncated") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func uint() throws(ProtocolError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64, !(shift == 63 && b > 1) else { throw malformed("varint longer than 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func uint(max: UInt64, _ field: String) throws(ProtocolError) -> UInt64 {
        let v = try uint()
        guard v <= max else { throw ProtocolError(.tooLarge, "\(what): \(field) = \(v) is over the limit of \(max)") }
        return v
    }

    mutating func int() throws(ProtocolError) -> Int64 { Varint.zigzagDecode(try uint()) }

    mutating func int32(_ field: String) throws(ProtocolError) -> Int32 {
        let v = try int()
        guard let narrow = Int32(exactly: v) else { throw malformed("\(field) = \(v) does not fit 32 bits") }
        return narrow
    }

    mutating func bool() throws(ProtocolError) -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        case let b: throw malformed("boolean byte \(b)")
        }
    }

    mutating func bytes(max: Int, _ field: String) throws(ProtocolError) -> [UInt8] {
        let count = Int(try uint(max: UInt64(max), "\(field) length"))
        guard count <= bytes.count - position else { throw malformed("\(field) declares \(count) bytes, only \(bytes.count - position) remain") }
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    mutating func string(max: Int = MessageLimits.stringBytesMax, _ field: String) throws(ProtocolError) -> String {
        let raw = try bytes(max: max, field)
        guard let text = String(validating: raw, as: UTF8.self) else { throw malformed("\(field) is not UTF-8") }
        return text
    }

    mutating func optionalString(_ field: String) throws(ProtocolError) -> String? {
        try bool() ? try string(field) : nil
    }

    mutating func count(max: Int, _ field: String) throws(ProtocolError) -> Int {
        let n = Int(try uint(max: UInt64(max), "\(field) count"))
        // Every item takes at least one byte: a count beyond the bytes left is a lie.
        guard n <= bytes.count - position else { throw malformed("\(field) declares \(n) items, only \(bytes.count - position) bytes remain") }
        return n
    }

    func finish() throws(ProtocolError) {
        guard position == bytes.count else { throw malformed("\(bytes.count - position) trailing bytes") }
    }
}

/// Limits on message fields.
public enum MessageLimits {
    /// Names, ids, reasons, hosts: 64 KiB.
    public static let stringBytesMax = 64 << 10
    /// Task specs and results (JSON documents): 8 MiB.
    public static let documentBytesMax = 8 << 20
    /// Items in a list field (running tasks of a worker).
    public static let listCountMax = 65_536
    /// Handshake nonces and proofs: exactly 32 bytes.
    public static let nonceBytes = 32
}
