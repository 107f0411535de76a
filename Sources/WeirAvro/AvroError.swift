/// Why a Avro file could not be read or written: the file (path or URI), where in it (byte offset, column,
/// row group or block when known) and what is wrong. Decoders throw it for truncated, corrupt, lying or
/// oversized input instead of trapping.
public struct AvroError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file, as given by the caller (a URI, a path, or a name for in-memory buffers).
    public var file: String
    /// Where in the file, e.g. "footer", "row group 2, column price, page at 4096"; empty when not known.
    public var location: String
    public var message: String

    public init(file: String, location: String = "", _ message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    public var description: String {
        location.isEmpty ? "\(file): \(message)" : "\(file): \(location): \(message)"
    }
}
