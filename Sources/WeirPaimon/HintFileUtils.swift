/// The `snapshot/LATEST` and `snapshot/EARLIEST` hint files, mirroring `org.apache.paimon.utils.HintFileUtils`
/// (spec/paimon-format.md section 3.4): the decimal text of a snapshot id, UTF-8, no newline.
///
/// Hints may be stale or garbled; readers treat a garbled hint as absent and fall back to listing `snapshot/`.
/// ``parseHint(_:)`` therefore returns nil (not an error) for anything that is not a positive id in
/// `Long.parseLong` syntax (at most 20 characters, no white space).
public enum HintFileUtils {
    public static let latest = "LATEST"
    public static let earliest = "EARLIEST"
    /// The longest hint text read.
    public static let hintBytesMax = 20

    /// The snapshot id in a hint file's bytes, nil when the hint is unusable.
    public static func parseHint(_ bytes: [UInt8]) -> Int64? {
        guard bytes.count <= hintBytesMax, let text = String(validating: bytes, as: UTF8.self) else { return nil }
        return parseHint(text)
    }

    public static func parseHint(_ text: String) -> Int64? {
        guard text.utf8.count <= hintBytesMax, let id = Int64(text), id > 0 else { return nil }
        return id
    }

    /// The hint file content for snapshot `id`.
    public static func hintText(_ id: Int64) -> String { String(id) }
}
