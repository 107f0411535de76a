/// Why a peer's bytes or behaviour break the cluster protocol. Every error means: log it with the peer's address
/// and close the connection (a frame stream cannot be resynchronised). `reason` is what the log and the closing
/// `goodbye` say.
public struct ProtocolError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The first bytes are not the protocol's magic number: not a Weir peer.
        case badMagic
        /// A protocol version this side does not speak.
        case unsupportedVersion
        /// A frame or a field larger than its limit (checked before anything is allocated).
        case tooLarge
        /// A frame whose checksum does not match its bytes.
        case checksumMismatch
        /// A frame type or enum value this side does not know.
        case unknownType
        /// A payload that does not decode (truncated, trailing bytes, bad UTF-8, a count beyond what fits).
        case malformed
        /// A message that is not allowed in the current state (e.g. a task before the handshake).
        case unexpected
        /// The peer failed authentication (wrong cluster secret).
        case authenticationFailed
    }

    public var kind: Kind
    public var reason: String

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    public var description: String { "\(kind.rawValue): \(reason)" }
}
