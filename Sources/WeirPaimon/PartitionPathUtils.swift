/// Partition directory names, mirroring `org.apache.paimon.utils.PartitionPathUtils` (spec/paimon-format.md
/// section 1.3): `<key>=<value>` per partition key, in partition-key order, joined by `/`, with a trailing `/`.
///
/// Escaping (keys and values, by UTF-16 unit as Java does): U+0000–U+001F, `"`, `#`, `%`, `'`, `*`, `/`, `:`, `=`,
/// `?`, `\`, U+007F, `{`, `}`, `[`, `]`, `^` become `%XX` (upper-case hex); space and non-ASCII stay as they are.
/// Unescaping turns every `%XX` (two hex digits) back into the character U+00XX and leaves other `%` alone, exactly
/// as Java's `unescapePathName` does (so it is the inverse of escaping, not a URL decoder).
public enum PartitionPathUtils {
    static let charsToEscape: Set<UInt16> = {
        var set = Set<UInt16>(0..<0x20)
        for c in "\"#%'*/:=?\\{}[]^".utf16 { set.insert(c) }
        set.insert(0x7F)
        return set
    }()

    /// `escapePathName`; an empty name is an error (Java: "Path should not be null or empty").
    public static func escapePathName(_ path: String) throws(PaimonFormatError) -> String {
        guard !path.isEmpty else { throw PaimonFormatError("partition path", "a partition key or value must not be empty") }
        guard path.utf16.contains(where: charsToEscape.contains) else { return path }
        var out = [UInt16]()
        out.reserveCapacity(path.utf16.count + 8)
        let hex = Array("0123456789ABCDEF".utf16)
        for unit in path.utf16 {
            if charsToEscape.contains(unit) {
                out.append(UInt16(UInt8(ascii: "%")))
                out.append(hex[Int(unit >> 4)])
                out.append(hex[Int(unit & 0xF)])
            } else {
                out.append(unit)
            }
        }
        return String(decoding: out, as: UTF16.self)
    }

    /// `unescapePathName`.
    public static func unescapePathName(_ path: String) -> String {
        let units = Array(path.utf16)
        var out = [UInt16]()
        out.reserveCapacity(units.count)
        func hexValue(_ u: UInt16) -> UInt16? {
            switch u {
            case 0x30...0x39: return u - 0x30
            case 0x41...0x46: return u - 0x41 + 10
            case 0x61...0x66: return u - 0x61 + 10
            default: return nil
            }
        }
        var i = 0
        while i < units.count {
            let u = units[i]
            if u == UInt16(UInt8(ascii: "%")), i + 2 < units.count {
                // Integer.parseInt(two chars, 16): two hex digits, or '+' and one hex digit.
                let a = units[i + 1], b = units[i + 2]
                var code: UInt16?
                if let high = hexValue(a), let low = hexValue(b) {
                    code = high << 4 | low
                } else if a == UInt16(UInt8(ascii: "+")), let low = hexValue(b) {
                    code = low
                }
                if let code {
                    out.append(code)
                    i += 3
                    continue
                }
            }
            out.append(u)
            i += 1
        }
        return String(decoding: out, as: UTF16.self)
    }

    /// `generatePartitionPath`: `k1=v1/k2=v2/` (empty for no partition keys).
    public static func generatePartitionPath(_ spec: [(key: String, value: String)]) throws(PaimonFormatError) -> String {
        var out = ""
        for (key, value) in spec {
            out += try escapePathName(key) + "=" + escapePathName(value) + "/"
        }
        return out
    }

    /// `extractPartitionSpecFromPath`: the `key=value` components of a path (split at the last `=`, both sides
    /// non-empty), unescaped, root first; a repeated key keeps its first position and its last value (Java's
    /// `LinkedHashMap`). Other components (the table directory, `bucket-N`, a file name) are skipped.
    public static func extractPartitionSpecFromPath(_ path: String) -> [(key: String, value: String)] {
        var out: [(key: String, value: String)] = []
        for component in path.split(separator: "/") {
            guard let equals = component.lastIndex(of: "="), equals != component.startIndex,
                  component.index(after: equals) != component.endIndex else { continue }
            let key = unescapePathName(String(component[..<equals]))
            let value = unescapePathName(String(component[component.index(after: equals)...]))
            if let index = out.firstIndex(where: { $0.key == key }) {
                out[index].value = value
            } else {
                out.append((key, value))
            }
        }
        return out
    }
}
