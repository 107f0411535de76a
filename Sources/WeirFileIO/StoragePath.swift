/// A location in some storage, parsed and validated once at the edge.
///
/// Forms accepted by ``init(parsing:)``:
/// - `file:///abs/path` (or a bare path, made absolute against the current directory by the caller),
/// - `memory://volume/key`,
/// - `s3://bucket/key`.
///
/// Contract: the key is normalised (no empty or `.` segments, no trailing `/`) and never contains a `..`
/// segment, a NUL or another control character, so a path built from user input cannot escape its root.
/// A key is at most ``keyBytesMax`` UTF-8 bytes (the S3 limit).
public struct StoragePath: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The longest key accepted, in UTF-8 bytes (S3's object-key limit).
    public static let keyBytesMax = 1024

    /// Lower-case scheme: `file`, `memory` or `s3`.
    public let scheme: String
    /// The bucket (`s3`), the volume (`memory`), empty for `file`.
    public let authority: String
    /// The path inside the authority without a leading or trailing `/`; empty for the root.
    /// For `file` the absolute path is `"/" + key`.
    public let key: String

    public init(scheme: String, authority: String, key: String) throws(FileIOError) {
        let scheme = scheme.lowercased()
        guard !scheme.isEmpty, scheme.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2b || $0 == 0x2d || $0 == 0x2e }) else {
            throw FileIOError(.invalidPath, path: "\(scheme)://\(authority)/\(key)", "the scheme must be letters, digits, '+', '-' or '.'")
        }
        if scheme == "file" && !authority.isEmpty && authority != "localhost" {
            throw FileIOError(.invalidPath, path: "file://\(authority)/\(key)", "a file URI has no host; write file:///absolute/path")
        }
        if authority.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f || $0 == 0x2f }) {
            throw FileIOError(.invalidPath, path: "\(scheme)://\(authority)", "the authority holds a '/' or a control character")
        }
        if scheme == "s3" && !Self.isValidBucketName(authority) {
            throw FileIOError(.invalidPath, path: "s3://\(authority)", "not a valid bucket name (3 to 63 characters: a-z, 0-9, '.', '-')")
        }
        self.scheme = scheme
        self.authority = scheme == "file" ? "" : authority
        self.key = try Self.normalise(key: key, context: "\(scheme)://\(authority)/\(key)")
    }

    /// Parses a URI (`scheme://authority/key`). A string without `://` is taken as a local path and must be
    /// absolute; use ``init(parsingLocalOrURI:currentDirectory:)`` to accept relative paths.
    public init(parsing text: String) throws(FileIOError) {
        guard text.utf8.count <= Self.keyBytesMax + 256 else {
            throw FileIOError(.invalidPath, path: String(text.prefix(80)) + "…", "longer than \(Self.keyBytesMax + 256) bytes")
        }
        guard let schemeEnd = text.range(of: "://") else {
            guard text.hasPrefix("/") else {
                throw FileIOError(.invalidPath, path: text, "not a URI and not an absolute path")
            }
            try self.init(scheme: "file", authority: "", key: text)
            return
        }
        let scheme = String(text[text.startIndex..<schemeEnd.lowerBound])
        let rest = text[schemeEnd.upperBound...]
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = String(rest[rest.startIndex..<slash])
        let key = String(rest[slash...])
        try self.init(scheme: scheme, authority: authority, key: key)
    }

    /// Parses a URI, or a local path that is made absolute against `currentDirectory`.
    public init(parsingLocalOrURI text: String, currentDirectory: String) throws(FileIOError) {
        if text.contains("://") || text.hasPrefix("/") {
            try self.init(parsing: text)
        } else {
            let base = currentDirectory.hasSuffix("/") ? currentDirectory : currentDirectory + "/"
            try self.init(parsing: base + text)
        }
    }

    /// The root of a scheme and authority (an empty key).
    public var root: StoragePath { StoragePath(unchecked: scheme, authority, "") }

    /// The last segment of the key, or empty for the root.
    public var name: Substring {
        guard let slash = key.lastIndex(of: "/") else { return key[...] }
        return key[key.index(after: slash)...]
    }

    /// The path one level up; the root is its own parent.
    public var parent: StoragePath {
        guard let slash = key.lastIndex(of: "/") else { return root }
        return StoragePath(unchecked: scheme, authority, String(key[..<slash]))
    }

    /// True for the root of the authority.
    public var isRoot: Bool { key.isEmpty }

    /// Appends one or more segments (`"a/b"` is two), validated like a parsed key.
    public func appending(_ relative: String) throws(FileIOError) -> StoragePath {
        try StoragePath(scheme: scheme, authority: authority, key: key.isEmpty ? relative : key + "/" + relative)
    }

    /// True when `self` is `other` or lies below it.
    public func isWithin(_ other: StoragePath) -> Bool {
        guard scheme == other.scheme, authority == other.authority else { return false }
        if other.key.isEmpty { return true }
        return key == other.key || key.hasPrefix(other.key + "/")
    }

    /// The key of `self` relative to `base` (`self` must be within `base`).
    public func relative(to base: StoragePath) -> String? {
        guard isWithin(base) else { return nil }
        if base.key.isEmpty { return key }
        return key == base.key ? "" : String(key.dropFirst(base.key.count + 1))
    }

    /// The absolute local path (`file` only).
    public var localPath: String { "/" + key }

    public var description: String {
        switch scheme {
        case "file": return "file:///" + key
        default: return "\(scheme)://\(authority)/\(key)"
        }
    }

    public static func < (lhs: StoragePath, rhs: StoragePath) -> Bool {
        (lhs.scheme, lhs.authority, lhs.key) < (rhs.scheme, rhs.authority, rhs.key)
    }

    // MARK: - Internals

    /// For paths derived from an already validated one (parent, root, listings of validated keys).
    init(unchecked scheme: String, _ authority: String, _ key: String) {
        self.scheme = scheme
        self.authority = authority
        self.key = key
    }

    static func normalise(key raw: String, context: String) throws(FileIOError) -> String {
        if raw.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }) {
            throw FileIOError(.invalidPath, path: context, "the path holds a control character")
        }
        var segments: [Substring] = []
        for segment in raw.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." {
                throw FileIOError(.invalidPath, path: context, "'..' segments are not allowed")
            }
            segments.append(segment)
        }
        let key = segments.joined(separator: "/")
        guard key.utf8.count <= keyBytesMax else {
            throw FileIOError(.invalidPath, path: String(context.prefix(80)) + "…", "the key is longer than \(keyBytesMax) bytes")
        }
        return key
    }

    static func isValidBucketName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count) else { return false }
        guard let first = bytes.first, let last = bytes.last,
              isLowerAlnum(first), isLowerAlnum(last) else { return false }
        return bytes.allSatisfy { isLowerAlnum($0) || $0 == 0x2e || $0 == 0x2d }
    }

    private static func isLowerAlnum(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) }
}
