import WeirCodecs

/// Encodes ``AvroValue``s in Avro's binary encoding for one schema (Avro 1.11, "Binary Encoding").
///
/// Arrays and maps are written as one block with a positive count followed by the terminating 0 (no count for an
/// empty one beyond the 0); unions as the branch index then the branch's value; records as their fields in order.
/// Every value is checked against the schema first-hand: a value of the wrong case, an enum symbol that is not in
/// the enum, a fixed value of the wrong size, a union branch out of range or a record with the wrong number of
/// fields is an ``AvroError`` whose location is the path of the value (`$.field[2]...`), and nothing is written
/// for the value that failed (the writer is left where it was before ``encode(_:into:)``).
public struct AvroDatumWriter: Sendable {
    public let schema: AvroSchema
    let names: AvroNamedTypes
    let limits: AvroLimits

    /// A writer for `schema`; fails when the schema refers to a type it does not define.
    public init(schema: AvroSchema, limits: AvroLimits = .default) throws(AvroError) {
        self.schema = schema
        self.names = try AvroNamedTypes(schema)
        self.limits = limits
    }

    /// Appends the encoding of `value` to `out`.
    public func encode(_ value: AvroValue, into out: inout ByteWriter) throws(AvroError) {
        var scratch = ByteWriter(capacity: 256)
        try write(value, schema, into: &scratch, path: "$", depth: 0)
        out.putBytes(scratch.bytes)
    }

    /// The encoding of `value` as new bytes.
    public func encode(_ value: AvroValue) throws(AvroError) -> [UInt8] {
        var out = ByteWriter()
        try encode(value, into: &out)
        return out.bytes
    }

    private func write(_ value: AvroValue, _ schema: AvroSchema, into out: inout ByteWriter, path: String, depth: Int) throws(AvroError) {
        func mismatch() -> AvroError {
            AvroError(file: "", location: path, "\(value.caseName) value does not fit schema type \(schema.typeName)")
        }
        guard depth <= limits.valueDepthMax else {
            throw AvroError(file: "", location: path, "value nests deeper than \(limits.valueDepthMax) levels")
        }
        switch (schema.kind, value) {
        case (.null, .null): break
        case (.boolean, .boolean(let b)): out.putU8(b ? 1 : 0)
        case (.int, .int(let n)): out.putZigZagVarint(n)
        case (.long, .long(let n)): out.putZigZagVarint(n)
        case (.long, .int(let n)): out.putZigZagVarint(Int64(n))
        case (.float, .float(let f)): out.putFloatLE(f)
        case (.double, .double(let d)): out.putDoubleLE(d)
        case (.bytes, .bytes(let b)): out.putAvroBytes(b)
        case (.string, .string(let s)): out.putAvroBytes(s.utf8)
        case (.fixed(let f), .fixed(let b)), (.fixed(let f), .bytes(let b)):
            guard b.count == f.size else {
                throw AvroError(file: "", location: path, "fixed value of \(b.count) bytes for \(f.name) of size \(f.size)")
            }
            out.putBytes(b)
        case (.enumeration(let e), .enumeration(let symbol)):
            guard let index = e.symbols.firstIndex(of: symbol) else {
                throw AvroError(file: "", location: path, "'\(symbol)' is not a symbol of enum \(e.name)")
            }
            out.putZigZagVarint(Int64(index))
        case (.array(let items), .array(let values)):
            if !values.isEmpty {
                out.putZigZagVarint(Int64(values.count))
                for (index, item) in values.enumerated() {
                    try write(item, items, into: &out, path: "\(path)[\(index)]", depth: depth + 1)
                }
            }
            out.putU8(0)
        case (.map(let valueSchema), .map(let entries)):
            if !entries.isEmpty {
                out.putZigZagVarint(Int64(entries.count))
                for entry in entries {
                    out.putAvroBytes(entry.key.utf8)
                    try write(entry.value, valueSchema, into: &out, path: "\(path)[\"\(entry.key)\"]", depth: depth + 1)
                }
            }
            out.putU8(0)
        case (.record(let r), .record(let fields)):
            guard fields.count == r.fields.count else {
                throw AvroError(file: "", location: path, "record \(r.name) has \(r.fields.count) fields but the value has \(fields.count)")
            }
            for (field, fieldValue) in zip(r.fields, fields) {
                try write(fieldValue, field.type, into: &out, path: "\(path).\(field.name)", depth: depth + 1)
            }
        case (.union(let branches), .union(let branch, let inner)):
            guard branches.indices.contains(branch) else {
                throw AvroError(file: "", location: path, "union branch \(branch) of a union of \(branches.count)")
            }
            out.putZigZagVarint(Int64(branch))
            try write(inner, branches[branch], into: &out, path: path, depth: depth + 1)
        case (.union(let branches), _):
            // A bare value: the first branch it fits (so `.null` and plain values work for ["null", T]).
            guard let branch = branches.firstIndex(where: { Self.fits(value, names.resolve($0)) }) else { throw mismatch() }
            out.putZigZagVarint(Int64(branch))
            try write(value, branches[branch], into: &out, path: path, depth: depth + 1)
        case (.reference, _):
            try write(value, names.resolve(schema), into: &out, path: path, depth: depth)
        default:
            throw mismatch()
        }
    }

    /// Whether a bare value's case belongs to `schema`'s kind (shallow).
    static func fits(_ value: AvroValue, _ schema: AvroSchema) -> Bool {
        switch (schema.kind, value) {
        case (.null, .null), (.boolean, .boolean), (.int, .int), (.long, .long), (.float, .float), (.double, .double),
             (.bytes, .bytes), (.string, .string), (.fixed, .fixed), (.enumeration, .enumeration), (.array, .array),
             (.map, .map), (.record, .record):
            return true
        default:
            return false
        }
    }
}
