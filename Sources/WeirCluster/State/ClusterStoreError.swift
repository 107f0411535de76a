/// An operating error of a ``ClusterStore`` (database errors of ``SQLClusterStore`` come as `SQLError`s).
public struct ClusterStoreError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// A job with this id exists already.
        case jobExists
        /// No job with this id.
        case noSuchJob
        /// A stored value does not decode (a row written by something else).
        case corrupt
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
