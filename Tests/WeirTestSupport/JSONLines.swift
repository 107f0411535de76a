import Foundation

/// Compares two JSON Lines texts value by value after parsing both (so `1.0` equals `1` and float formatting
/// does not matter), and says where they first differ.
public enum JSONLines {
    /// Parses each non-empty line as JSON.
    public static func parse(_ text: String) throws -> [Any] {
        try text.split(separator: "\n", omittingEmptySubsequences: true).enumerated().map { index, line in
            do {
                return try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
            } catch {
                throw ServerError("line \(index + 1) is not JSON: \(line.prefix(200))")
            }
        }
    }

    /// nil when equal; otherwise a description of the first difference.
    public static func difference(_ expected: String, _ actual: String) throws -> String? {
        let a = try parse(expected), b = try parse(actual)
        for (index, (x, y)) in zip(a, b).enumerated() where Node(x) != Node(y) {
            return "row \(index + 1) differs:\n  expected \(compact(x))\n  actual   \(compact(y))"
        }
        if a.count != b.count { return "expected \(a.count) rows, got \(b.count)" }
        return nil
    }

    /// Compares two row sets regardless of order: each row is parsed and written in a canonical form (keys
    /// sorted, an integral double written as an integer), both lists are sorted, and the first difference is
    /// described. `expected` and `actual` are JSON values each (a row object), e.g. the elements of a fixture's
    /// expected JSON array and the lines of `weir table scan`.
    public static func unorderedDifference(expected: [Any], actual: [Any]) -> String? {
        let a = expected.map { Node($0).canonical }.sorted(), b = actual.map { Node($0).canonical }.sorted()
        if a == b { return nil }
        let missing = a.filter { !b.contains($0) }, extra = b.filter { !a.contains($0) }
        return "expected \(a.count) rows, got \(b.count)"
            + (missing.isEmpty ? "" : "\n  missing: " + missing.prefix(5).joined(separator: "\n           "))
            + (extra.isEmpty ? "" : "\n  unexpected: " + extra.prefix(5).joined(separator: "\n              "))
    }

    /// A parsed JSON value in a form that compares exactly: integers stay 64-bit integers (BIGINT extremes
    /// survive), an integer equals a double of the same value.
    indirect enum Node: Equatable {
        case null, bool(Bool), int(Int64), double(Double), string(String), array([Node]), object([String: Node])

        init(_ value: Any) {
            switch value {
            case is NSNull: self = .null
            case let n as NSNumber:
                let kind = String(cString: n.objCType)
                if kind == "c" || kind == "B" { self = .bool(n.boolValue) }
                else if kind == "d" || kind == "f" { self = .double(n.doubleValue) }
                else { self = .int(n.int64Value) }
            case let b as Bool: self = .bool(b)
            case let i as Int: self = .int(Int64(i))
            case let d as Double: self = .double(d)
            case let s as String: self = .string(s)
            case let a as [Any]: self = .array(a.map(Node.init))
            case let o as [String: Any]: self = .object(o.mapValues(Node.init))
            default: self = .string("\(value)")
            }
        }

        /// Compact JSON with sorted keys; doubles that are whole numbers print as integers.
        var canonical: String {
            switch self {
            case .null: return "null"
            case .bool(let b): return b ? "true" : "false"
            case .int(let i): return String(i)
            case .double(let d):
                if let i = Int64(exactly: d) { return String(i) }
                return "\(d)"
            case .string(let s): return compact(s)
            case .array(let items): return "[" + items.map(\.canonical).joined(separator: ",") + "]"
            case .object(let members):
                return "{" + members.keys.sorted().map { compact($0) + ":" + members[$0]!.canonical }.joined(separator: ",") + "}"
            }
        }

        static func == (lhs: Node, rhs: Node) -> Bool {
            switch (lhs, rhs) {
            case (.null, .null): return true
            case (.bool(let a), .bool(let b)): return a == b
            case (.int(let a), .int(let b)): return a == b
            case (.double(let a), .double(let b)): return a == b
            case (.int(let a), .double(let b)), (.double(let b), .int(let a)): return Double(a) == b && Int64(exactly: b) == a
            case (.string(let a), .string(let b)): return a == b
            case (.array(let a), .array(let b)): return a == b
            case (.object(let a), .object(let b)): return a == b
            default: return false
            }
        }
    }

    static func compact(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) else {
            return "\(value)"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
