/// An entry that adds or deletes a file, and the folding of such entries into the live file set; mirrors
/// `org.apache.paimon.manifest.FileEntry` (spec/paimon-format.md section 4.6).
public protocol FileEntry {
    var kind: FileKind { get }
    var partition: BinaryRow { get }
    var bucket: Int32 { get }
    var level: Int32 { get }
    var fileName: String { get }
    var extraFiles: [String] { get }
    var embeddedIndex: [UInt8]? { get }
    var externalPath: String? { get }
}

/// `FileEntry.Identifier`: what makes two entries refer to the same file. Partitions compare byte for byte, so a
/// DELETE must copy the ADD's partition bytes, bucket, level, extra files, embedded index and external path.
public struct FileEntryIdentifier: Hashable, Sendable, CustomStringConvertible {
    public var partition: BinaryRow
    public var bucket: Int32
    public var level: Int32
    public var fileName: String
    public var extraFiles: [String]
    public var embeddedIndex: [UInt8]?
    public var externalPath: String?

    public var description: String {
        "{partition=\(partition), bucket=\(bucket), level=\(level), fileName=\(fileName), extraFiles=\(extraFiles), "
            + "embeddedIndex=\(embeddedIndex.map { "\($0.count) bytes" } ?? "null"), externalPath=\(externalPath ?? "null")}"
    }
}

extension FileEntry {
    public var identifier: FileEntryIdentifier {
        FileEntryIdentifier(
            partition: partition, bucket: bucket, level: level, fileName: fileName, extraFiles: extraFiles,
            embeddedIndex: embeddedIndex, externalPath: externalPath)
    }
}

/// The fold of `FileEntry.mergeEntries` and the check of `FileStoreCommitImpl.assertNoDelete`.
public enum FileEntries {
    /// `mergeEntries`: processes `entries` in order (base manifests, then delta manifests, each in file order).
    /// ADD records the identifier (an ADD of an identifier already present is an error); DELETE removes it when
    /// present, otherwise the DELETE is kept (it cancels an ADD of an earlier manifest not in `entries`). The result
    /// keeps Java's `LinkedHashMap` order: by first insertion of each surviving identifier.
    public static func mergeEntries<E: FileEntry>(_ entries: some Sequence<E>, subject: String = "manifest entries") throws(PaimonFormatError) -> [E] {
        var slots: [E?] = []
        var index: [FileEntryIdentifier: Int] = [:]
        for entry in entries {
            let id = entry.identifier
            switch entry.kind {
            case .add:
                guard index[id] == nil else {
                    throw PaimonFormatError(subject, "trying to add file \(id) which is already added")
                }
                index[id] = slots.count
                slots.append(entry)
            case .delete:
                if let position = index.removeValue(forKey: id) {
                    slots[position] = nil
                } else {
                    index[id] = slots.count
                    slots.append(entry)
                }
            }
        }
        return slots.compactMap { $0 }
    }

    /// The live files of a whole snapshot: ``mergeEntries(_:subject:)`` over all its entries, then an error if a
    /// DELETE remains (its file was never added, or was deleted twice).
    public static func liveFiles<E: FileEntry>(_ entries: some Sequence<E>, subject: String = "manifest entries") throws(PaimonFormatError) -> [E] {
        let merged = try mergeEntries(entries, subject: subject)
        if let orphan = merged.first(where: { $0.kind == .delete }) {
            throw PaimonFormatError(
                subject, "trying to delete file \(orphan.fileName) (bucket \(orphan.bucket), level \(orphan.level)) which is not previously added")
        }
        return merged
    }
}
