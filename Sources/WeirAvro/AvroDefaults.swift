/// Field defaults: the JSON of a `"default"` turned into an ``AvroValue`` of the field's type (Avro 1.11, "default
/// values": bytes and fixed as strings whose code points 0–255 are the bytes, records as objects, maps as objects,
/// enums as symbols, float/double also as `"NaN"`, `"Infinity"`, `"-Infinity"`; for a union, the first branch the
/// JSON fits, so `null` works for `["null", T]` and a value for `[T, "null"]`).
enum AvroDefaults {
    /// Checks every field default of `schema` (called once a schema is fully parsed).
    static func checkAll(_ schema: AvroSchema, names: [String: AvroSchema], source: String) throws(AvroError) {
        let table = AvroNamedTypes(definitions: names)
        var visited = Set<String>()
        try check(schema, table: table, path: "$", visited: &visited, source: source)
    }

    private static func check(_ schema: AvroSchema, table: AvroNamedTypes, path: String, visited: inout Set<String>, source: String) throws(AvroError) {
        switch schema.kind {
        case .record(let r):
            guard visited.insert(r.name.fullName).inserted else { return }
            for (index, field) in r.fields.enumerated() {
                let fieldPath = "\(path).fields[\(index)]"
                if let json = field.defaultValue {
                    _ = try value(json, schema: field.type, table: table, path: fieldPath + ".default", depth: 0, source: source)
                }
                try check(field.type, table: table, path: fieldPath + ".type", visited: &visited, source: source)
            }
        case .array(let items): try check(items, table: table, path: path + ".items", visited: &visited, source: source)
        case .map(let values): try check(values, table: table, path: path + ".values", visited: &visited, source: source)
        case .union(let branches):
            for (index, branch) in branches.enumerated() {
                try check(branch, table: table, path: "\(path)[\(index)]", visited: &visited, source: source)
            }
        default: break
        }
    }

    /// The default `json` as a value of `schema`; a mismatch names `path`.
    static func value(_ json: AvroJSON, schema: AvroSchema, table: AvroNamedTypes, path: String, depth: Int,
                      source: String = "schema") throws(AvroError) -> AvroValue {
        func mismatch() -> AvroError {
            AvroError(file: source, location: path, "default \(json.serialized().prefix(80)) is not a valid \(schema.typeName)")
        }
        guard depth <= 64 else { throw AvroError(file: source, location: path, "default nests deeper than 64 levels") }
        switch schema.kind {
        case .null:
            guard json == .null else { throw mismatch() }
            return .null
        case .boolean:
            guard case .bool(let b) = json else { throw mismatch() }
            return .boolean(b)
        case .int:
            guard case .integer(let n) = json, let i = Int32(exactly: n) else { throw mismatch() }
            return .int(i)
        case .long:
            guard case .integer(let n) = json else { throw mismatch() }
            return .long(n)
        case .float:
            guard let d = floatingValue(json) else { throw mismatch() }
            return .float(Float(d))
        case .double:
            guard let d = floatingValue(json) else { throw mismatch() }
            return .double(d)
        case .bytes:
            guard case .string(let s) = json, let bytes = latin1Bytes(s) else { throw mismatch() }
            return .bytes(bytes)
        case .fixed(let f):
            guard case .string(let s) = json, let bytes = latin1Bytes(s), bytes.count == f.size else { throw mismatch() }
            return .fixed(bytes)
        case .string:
            guard case .string(let s) = json else { throw mismatch() }
            return .string(s)
        case .enumeration(let e):
            guard case .string(let s) = json, e.symbols.contains(s) else { throw mismatch() }
            return .enumeration(s)
        case .array(let items):
            guard case .array(let list) = json else { throw mismatch() }
            var out: [AvroValue] = []
            for (index, item) in list.enumerated() {
                out.append(try value(item, schema: items, table: table, path: "\(path)[\(index)]", depth: depth + 1, source: source))
            }
            return .array(out)
        case .map(let values):
            guard case .object(let members) = json else { throw mismatch() }
            var out: [AvroMapEntry] = []
            for key in members.keys.sorted() {
                out.append(AvroMapEntry(key: key, value: try value(members[key]!, schema: values, table: table,
                                                                    path: "\(path).\(key)", depth: depth + 1, source: source)))
            }
            return .map(out)
        case .record(let r):
            guard case .object(let members) = json else { throw mismatch() }
            var out: [AvroValue] = []
            for field in r.fields {
                if let member = members[field.name] {
                    out.append(try value(member, schema: field.type, table: table, path: "\(path).\(field.name)", depth: depth + 1, source: source))
                } else if let fieldDefault = field.defaultValue {
                    out.append(try value(fieldDefault, schema: field.type, table: table, path: "\(path).\(field.name)", depth: depth + 1, source: source))
                } else {
                    throw AvroError(file: source, location: path, "default has no value for field '\(field.name)'")
                }
            }
            return .record(out)
        case .union(let branches):
            for (index, branch) in branches.enumerated() {
                if let v = try? value(json, schema: branch, table: table, path: path, depth: depth + 1, source: source) {
                    return .union(branch: index, value: v)
                }
            }
            throw mismatch()
        case .reference:
            let resolved = table.resolve(schema)
            if case .reference = resolved.kind { throw mismatch() }
            return try value(json, schema: resolved, table: table, path: path, depth: depth + 1, source: source)
        }
    }

    static func floatingValue(_ json: AvroJSON) -> Double? {
        switch json {
        case .integer(let n): return Double(n)
        case .double(let d): return d
        case .string("NaN"): return .nan
        case .string("Infinity"): return .infinity
        case .string("-Infinity"): return -.infinity
        default: return nil
        }
    }

    static func latin1Bytes(_ s: String) -> [UInt8]? {
        var out: [UInt8] = []
        for scalar in s.unicodeScalars {
            guard scalar.value <= 255 else { return nil }
            out.append(UInt8(scalar.value))
        }
        return out
    }

    /// The JSON of a bytes or fixed default: each byte as the code point of the same number.
    static func latin1String(_ bytes: [UInt8]) -> String {
        var s = String.UnicodeScalarView()
        for b in bytes { s.append(Unicode.Scalar(b)) }
        return String(s)
    }
}
