import WeirFileIO
import WeirPaimon

/// The one error type of the table engine: what kind of failure, what it was about (a table, a file, a row of
/// the input) and what is wrong. A lost commit race is not an error (see ``CommitOutcome``); a conflict that
/// cannot be resolved by retrying is.
public struct TableError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        /// Input rows or arguments that do not fit the table (a bad value, a NULL in a NOT NULL column).
        case invalidInput
        /// Table options or a schema the engine cannot work with (a bad option value, conflicting options).
        case invalidTable
        /// A file of the table that cannot be decoded or contradicts the metadata (truncated, wrong counts).
        case corrupt
        /// A commit whose deleted files were removed concurrently, or whose level-1+ key ranges overlap.
        case conflict
        /// A table, snapshot, tag or schema that does not exist.
        case notFound
        /// A table, tag or schema that exists already.
        case alreadyExists
        /// Something Paimon allows that Weir does not do (named in the message).
        case unsupported
        /// The storage failed (the underlying ``FileIOError`` is in the message).
        case io
    }

    public var kind: Kind
    /// What the error is about, e.g. "db.orders", "snapshot-7", "line 17".
    public var subject: String
    public var message: String

    public init(_ kind: Kind, _ subject: String, _ message: String) {
        self.kind = kind
        self.subject = subject
        self.message = message
    }

    public var description: String { subject.isEmpty ? message : "\(subject): \(message)" }

    /// Wraps a storage error, keeping its text: a missing file is `.notFound`, input the storage layer refused as
    /// malformed (a bad path, a bad line of a text file) is `.invalidInput`, the rest is `.io`.
    public static func io(_ error: FileIOError, _ subject: String) -> TableError {
        switch error.kind {
        case .notFound: return TableError(.notFound, subject, error.description)
        case .invalidArgument, .invalidPath: return TableError(.invalidInput, subject, error.description)
        default: return TableError(.io, subject, error.description)
        }
    }

    /// Wraps a format error from the spec layer as a corrupt or invalid table.
    public static func format(_ error: PaimonFormatError, kind: Kind = .corrupt) -> TableError {
        TableError(kind, error.subject, error.message)
    }
}
