/// Why a Paimon metadata document or structure (schema file, snapshot, BinaryRow, file name, option) is not
/// valid: what it is, where (a file name, a JSON path, a byte offset) and what is wrong.
public struct PaimonFormatError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What was being read, e.g. "schema/schema-3", "snapshot-7", "BinaryRow of _PARTITION".
    public var subject: String
    public var message: String

    public init(_ subject: String, _ message: String) {
        self.subject = subject
        self.message = message
    }

    public var description: String { "\(subject): \(message)" }
}
