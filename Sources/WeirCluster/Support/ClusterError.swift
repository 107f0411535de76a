/// An operating error of the cluster runtime, with what and where in its message.
public struct ClusterError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// A configuration value is unusable (an empty secret, no slots, a missing certificate).
        case configuration
        /// No driver for the submitted job kind.
        case unknownJobKind
        /// The driver refused the job's spec.
        case invalidSpec
        case noSuchJob
        /// The job is committing: it can no longer be cancelled.
        case tooLateToCancel
        /// The coordinator has not taken the job back from the store yet (it is starting).
        case notResumed
        /// The coordinator's handshake proof did not match: the worker and the coordinator have different secrets.
        case wrongSecret
        /// The coordinator could not listen on its address.
        case bindFailed
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
