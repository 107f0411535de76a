/// The one error type every ``FileIO`` operation throws: what went wrong, where, and whether a retry may help.
public struct FileIOError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        /// Nothing at the path.
        case notFound
        /// Create-if-absent found something at the path (S3: 412 Precondition Failed); the content is unchanged.
        case alreadyExists
        /// A file operation on a directory.
        case isDirectory
        /// A directory operation (or a parent) that is a file.
        case notDirectory
        /// The store refused the credentials or the operation (S3: 403).
        case permissionDenied
        /// A malformed path or URI, or a path that would escape its root.
        case invalidPath
        /// Bad arguments to an operation (a range past the end, a page size out of bounds).
        case invalidArgument
        /// The store cannot do this (rename on S3, a scheme with no backend).
        case unsupported
        /// The store returned fewer bytes than it promised.
        case truncated
        /// Something is larger than the limit the caller set.
        case tooLarge
        /// A failure a retry may cure: 5xx, 429, a timeout, a reset connection, a short read.
        case transient
        /// A response the client could not make sense of (bad XML, a missing header).
        case protocolError
        /// An operating-system or service error not covered above.
        case io
    }

    public var kind: Kind
    /// The path or URI the operation was about, as given.
    public var path: String
    /// What happened, for a person.
    public var message: String

    public init(_ kind: Kind, path: String, _ message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    public init(_ kind: Kind, path: StoragePath, _ message: String) {
        self.init(kind, path: path.description, message)
    }

    /// True when the same call may succeed if made again.
    public var isRetryable: Bool { kind == .transient || kind == .truncated }

    public var description: String { "\(path): \(message) (\(kind.rawValue))" }
}
