/// Names of data and changelog files, mirroring `org.apache.paimon.io.DataFilePathFactory` (spec/paimon-format.md
/// section 1.2). Pure: the caller supplies the UUID (Java draws one per writer) and the counter.
///
/// `<prefix><uuid>-<count>.<ext>` where ext is `<format>`, or `<compressExt>.<format>` with
/// `file.suffix.include.compression = true`, or `<format>.<compressExt>` for the text formats (csv, json) whenever a
/// compression is set. Compression extensions are Hadoop's: gzip→gz, bzip2→bz2, deflate, snappy, lz4, zstd→zst,
/// none→(no extension); other codec names are used as given.
public enum DataFilePathFactory {
    /// Suffix of a data file's sidecar file index.
    public static let indexPathSuffix = ".index"

    /// Hadoop compression types: option value → file extension (nil for `none`).
    static let compressionExtensions: [(value: String, fileExtension: String?)] = [
        ("none", nil), ("gzip", "gz"), ("bzip2", "bz2"), ("deflate", "deflate"), ("snappy", "snappy"), ("lz4", "lz4"), ("zstd", "zst"),
    ]

    /// `compressFileExtension`: the extension for a `file.compression` value (nil for none/empty).
    public static func compressFileExtension(_ compression: String?) -> String? {
        guard let compression, !compression.isEmpty else { return nil }
        if let known = compressionExtensions.first(where: { $0.value.lowercased() == compression.lowercased() }) {
            return known.fileExtension
        }
        return compression
    }

    /// `HadoopCompressionType.isCompressExtension`.
    public static func isCompressExtension(_ ext: String) -> Bool {
        compressionExtensions.contains { $0.fileExtension?.lowercased() == ext.lowercased() }
    }

    /// `newFileName`: e.g. `data-<uuid>-0.parquet`. `uuid` must be a canonical UUID text (8-4-4-4-12 hex digits).
    public static func newFileName(
        prefix: String = "data-", uuid: String, count: Int, formatIdentifier: String, fileCompression: String? = nil,
        fileSuffixIncludeCompression: Bool = false
    ) throws(PaimonFormatError) -> String {
        try FileNames.checkUUID(uuid)
        guard count >= 0 else { throw PaimonFormatError("file name", "file counter \(count) is negative") }
        guard !formatIdentifier.isEmpty, !formatIdentifier.contains("/"), !prefix.contains("/") else {
            throw PaimonFormatError("file name", "format '\(formatIdentifier)' or prefix '\(prefix)' is not usable in a file name")
        }
        let compressExtension = compressFileExtension(fileCompression)
        let lower = formatIdentifier.lowercased()
        let ext: String
        if let compressExtension, lower == "json" || lower == "csv" {
            ext = "." + formatIdentifier + "." + compressExtension
        } else if let compressExtension, fileSuffixIncludeCompression {
            ext = "." + compressExtension + "." + formatIdentifier
        } else {
            ext = "." + formatIdentifier
        }
        return prefix + uuid + "-" + String(count) + ext
    }

    /// `formatIdentifier(fileName)`: the last extension, or the one before it when the last is a compression
    /// extension. Readers pick the file format this way, not from table options.
    public static func formatIdentifier(fileName: String) throws(PaimonFormatError) -> String {
        guard let last = fileName.lastIndex(of: ".") else {
            throw PaimonFormatError("file name", "\(fileName) is not a legal file name (no extension)")
        }
        let ext = String(fileName[fileName.index(after: last)...])
        if isCompressExtension(ext) {
            guard let secondLast = fileName[..<last].lastIndex(of: ".") else {
                throw PaimonFormatError("file name", "\(fileName) is not a legal file name (only a compression extension)")
            }
            return String(fileName[fileName.index(after: secondLast)..<last])
        }
        return ext
    }

    /// The parts of a data or changelog file name.
    public struct DataFileName: Sendable, Equatable {
        public var prefix: String
        public var uuid: String
        public var count: Int
        /// Everything after the counter's dot, e.g. `parquet`, `zst.parquet`, `json.gz`.
        public var extensions: String
        public var isFileIndex: Bool { extensions.hasSuffix("index") }
    }

    /// Parses `<prefix><uuid>-<count>.<ext…>`; nil when the name does not have that shape.
    public static func parseFileName(_ name: String, prefix: String = "data-") -> DataFileName? {
        guard name.hasPrefix(prefix) else { return nil }
        let rest = name.dropFirst(prefix.count)
        guard rest.count > 37 else { return nil }
        let uuid = String(rest.prefix(36))
        guard (try? FileNames.checkUUID(uuid)) != nil else { return nil }
        let afterUUID = rest.dropFirst(36)
        guard afterUUID.first == "-", let dot = afterUUID.firstIndex(of: ".") else { return nil }
        let digits = afterUUID[afterUUID.index(after: afterUUID.startIndex)..<dot]
        guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(digits) else { return nil }
        let extensions = String(afterUUID[afterUUID.index(after: dot)...])
        guard !extensions.isEmpty else { return nil }
        return DataFileName(prefix: prefix, uuid: uuid, count: count, extensions: extensions)
    }

    /// `dataFileToFileIndexPath` for a name: `<data file name>.index`.
    public static func fileIndexFileName(dataFileName: String) -> String { dataFileName + indexPathSuffix }
}

/// Helpers shared by the file-name builders.
enum FileNames {
    /// A canonical UUID text: 36 characters, hex digits with `-` at 8, 13, 18 and 23.
    static func checkUUID(_ uuid: String) throws(PaimonFormatError) {
        let chars = Array(uuid.utf8)
        let ok = chars.count == 36 && chars.enumerated().allSatisfy { index, c in
            [8, 13, 18, 23].contains(index) ? c == UInt8(ascii: "-") : (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)
        }
        guard ok else { throw PaimonFormatError("file name", "'\(uuid.prefix(64))' is not a UUID (8-4-4-4-12 hex digits)") }
    }

    /// `<prefix><uuid>-<count>`.
    static func counted(_ prefix: String, uuid: String, count: Int) throws(PaimonFormatError) -> String {
        try checkUUID(uuid)
        guard count >= 0 else { throw PaimonFormatError("file name", "file counter \(count) is negative") }
        return prefix + uuid + "-" + String(count)
    }

    /// Parses `<prefix><uuid>[-<count>]` (count nil when absent: pypaimon's index manifests have none).
    static func parseCounted(_ name: String, prefix: String, countOptional: Bool) -> (uuid: String, count: Int?)? {
        guard name.hasPrefix(prefix) else { return nil }
        let rest = name.dropFirst(prefix.count)
        guard rest.count >= 36 else { return nil }
        let uuid = String(rest.prefix(36))
        guard (try? checkUUID(uuid)) != nil else { return nil }
        let tail = rest.dropFirst(36)
        if tail.isEmpty { return countOptional ? (uuid, nil) : nil }
        guard tail.first == "-" else { return nil }
        let digits = tail.dropFirst()
        guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(digits) else { return nil }
        return (uuid, count)
    }
}
