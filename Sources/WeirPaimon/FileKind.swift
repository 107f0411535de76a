/// Whether a manifest entry adds or deletes a file, mirroring `org.apache.paimon.manifest.FileKind`: the `_KIND`
/// byte of manifest and index-manifest records.
public enum FileKind: Int8, Sendable, CaseIterable {
    case add = 0
    case delete = 1

    /// `FileKind.fromByteValue`; errors for other bytes.
    public init(byteValue: Int32, subject: String = "_KIND") throws(PaimonFormatError) {
        guard let narrow = Int8(exactly: byteValue), let kind = FileKind(rawValue: narrow) else {
            throw PaimonFormatError(subject, "unsupported file kind \(byteValue) (0 = ADD, 1 = DELETE)")
        }
        self = kind
    }
}
