/// Where a data file came from, mirroring `org.apache.paimon.manifest.FileSource`: `_FILE_SOURCE` of DataFileMeta.
public enum FileSource: Int8, Sendable, CaseIterable {
    /// New data written by a writer.
    case append = 0
    /// Output of compaction.
    case compact = 1

    /// `FileSource.fromByteValue`; errors for other bytes.
    public init(byteValue: Int32, subject: String = "_FILE_SOURCE") throws(PaimonFormatError) {
        guard let narrow = Int8(exactly: byteValue), let source = FileSource(rawValue: narrow) else {
            throw PaimonFormatError(subject, "unsupported file source \(byteValue) (0 = APPEND, 1 = COMPACT)")
        }
        self = source
    }
}
