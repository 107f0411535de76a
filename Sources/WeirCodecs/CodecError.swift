/// The one error every decoder and encoder of this module throws (`throws(CodecError)`).
///
/// It names the codec (`"zstd"`, `"snappy"`, `"bytes"`, ...), says what kind of failure it is, and carries a message
/// that says what is wrong and where: `offset` is the byte offset into the input (plus the reader's origin, see
/// ``ByteReader``) when the codec knows it, `nil` when it does not (the C libraries rarely say).
public struct CodecError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, coarsely; callers branch on this, people read ``message``.
    public enum Kind: String, Sendable, Equatable {
        /// The input is not valid for the codec (bad tag, bad offset, checksum mismatch, trailing bytes).
        case corrupt
        /// The input ends before the codec is done with it.
        case truncated
        /// The output (declared or actual) is larger than the caller's limit, or the input larger than the codec allows.
        case tooLarge
        /// The caller passed an argument out of range (a compression level, a negative limit).
        case invalidArgument
        /// The C library failed for a reason that is not the input's fault (out of memory, context creation).
        case library
    }

    /// Short codec name, e.g. `"zstd"`, `"lz4-frame"`, `"snappy-framed"`, `"gzip"`, `"bytes"`.
    public let codec: String
    public let kind: Kind
    /// What is wrong, in words (without the codec name or offset; ``description`` adds them).
    public let message: String
    /// Byte offset into the input where the problem was found, when known.
    public let offset: Int?

    public init(codec: String, kind: Kind, message: String, offset: Int? = nil) {
        self.codec = codec
        self.kind = kind
        self.message = message
        self.offset = offset
    }

    /// `"<codec>: <kind>: <message> (at byte <offset>)"`.
    public var description: String {
        if let offset { return "\(codec): \(kind.rawValue): \(message) (at byte \(offset))" }
        return "\(codec): \(kind.rawValue): \(message)"
    }

    public static func corrupt(_ codec: String, _ message: String, offset: Int? = nil) -> CodecError {
        CodecError(codec: codec, kind: .corrupt, message: message, offset: offset)
    }

    public static func truncated(_ codec: String, _ message: String, offset: Int? = nil) -> CodecError {
        CodecError(codec: codec, kind: .truncated, message: message, offset: offset)
    }

    public static func tooLarge(_ codec: String, _ message: String, offset: Int? = nil) -> CodecError {
        CodecError(codec: codec, kind: .tooLarge, message: message, offset: offset)
    }

    public static func invalidArgument(_ codec: String, _ message: String) -> CodecError {
        CodecError(codec: codec, kind: .invalidArgument, message: message)
    }

    public static func library(_ codec: String, _ message: String) -> CodecError {
        CodecError(codec: codec, kind: .library, message: message)
    }
}

/// Checks a caller's output limit: it must not be negative.
@inline(__always)
func checkLimit(_ codec: String, _ uncompressedBytesMax: Int) throws(CodecError) {
    if uncompressedBytesMax < 0 {
        throw .invalidArgument(codec, "uncompressedBytesMax must be >= 0, got \(uncompressedBytesMax)")
    }
}
