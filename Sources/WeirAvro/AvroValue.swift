/// One Avro datum of any schema, for the generic paths (Paimon's manifests, tests, tools). Column batches do not
/// go through this type (see ``AvroBatchDecoder`` and ``AvroBatchEncoder``).
///
/// | schema | value |
/// | --- | --- |
/// | null | `.null` |
/// | boolean, int, long, float, double | `.boolean`, `.int`, `.long`, `.float`, `.double` |
/// | bytes, fixed | `.bytes`, `.fixed` |
/// | string | `.string` (valid UTF-8) |
/// | record | `.record`: one value per field, in the schema's field order |
/// | enum | `.enumeration`: the symbol |
/// | array | `.array` |
/// | map | `.map`: entries in the order they were read or are to be written |
/// | union | `.union(branch, value)`: the position of the branch in the union and the value of that branch |
///
/// Logical types do not change the value: a `date` is `.int(days)`, a `decimal` is `.bytes(unscaled)`.
/// Equality compares floating-point values by bit pattern, so NaN equals the same NaN and 0.0 differs from -0.0
/// (what a byte-exact round trip needs).
public indirect enum AvroValue: Hashable, Sendable {
    case null
    case boolean(Bool)
    case int(Int32)
    case long(Int64)
    case float(Float)
    case double(Double)
    case bytes([UInt8])
    case string(String)
    case fixed([UInt8])
    case enumeration(String)
    case array([AvroValue])
    case map([AvroMapEntry])
    case record([AvroValue])
    case union(branch: Int, value: AvroValue)

    public static func == (lhs: AvroValue, rhs: AvroValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.boolean(let a), .boolean(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.long(let a), .long(let b)): return a == b
        case (.float(let a), .float(let b)): return a.bitPattern == b.bitPattern
        case (.double(let a), .double(let b)): return a.bitPattern == b.bitPattern
        case (.bytes(let a), .bytes(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.fixed(let a), .fixed(let b)): return a == b
        case (.enumeration(let a), .enumeration(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.map(let a), .map(let b)): return a == b
        case (.record(let a), .record(let b)): return a == b
        case (.union(let i, let a), .union(let j, let b)): return i == j && a == b
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .boolean(let b): hasher.combine(1); hasher.combine(b)
        case .int(let n): hasher.combine(2); hasher.combine(n)
        case .long(let n): hasher.combine(3); hasher.combine(n)
        case .float(let f): hasher.combine(4); hasher.combine(f.bitPattern)
        case .double(let d): hasher.combine(5); hasher.combine(d.bitPattern)
        case .bytes(let b): hasher.combine(6); hasher.combine(b)
        case .string(let s): hasher.combine(7); hasher.combine(s)
        case .fixed(let b): hasher.combine(8); hasher.combine(b)
        case .enumeration(let s): hasher.combine(9); hasher.combine(s)
        case .array(let items): hasher.combine(10); hasher.combine(items)
        case .map(let entries): hasher.combine(11); hasher.combine(entries)
        case .record(let fields): hasher.combine(12); hasher.combine(fields)
        case .union(let branch, let value): hasher.combine(13); hasher.combine(branch); hasher.combine(value)
        }
    }

    /// The value inside any number of `.union` wrappers.
    public var unwrapped: AvroValue {
        var value = self
        while case .union(_, let inner) = value { value = inner }
        return value
    }

    /// True for `.null`, also inside a union.
    public var isNull: Bool { unwrapped == .null }

    /// The field values of a record (inside a union too), or nil.
    public var recordFields: [AvroValue]? {
        if case .record(let fields) = unwrapped { return fields }
        return nil
    }

    /// An int or long (inside a union too) as Int64, or nil.
    public var integerValue: Int64? {
        switch unwrapped {
        case .int(let n): return Int64(n)
        case .long(let n): return n
        default: return nil
        }
    }

    /// A string (inside a union too), or nil.
    public var stringValue: String? {
        if case .string(let s) = unwrapped { return s }
        return nil
    }

    /// Bytes or fixed (inside a union too), or nil.
    public var bytesValue: [UInt8]? {
        switch unwrapped {
        case .bytes(let b), .fixed(let b): return b
        default: return nil
        }
    }

    /// The items of an array (inside a union too), or nil.
    public var arrayItems: [AvroValue]? {
        if case .array(let items) = unwrapped { return items }
        return nil
    }

    /// A short name of the value's case, for messages.
    var caseName: String {
        switch self {
        case .null: return "null"
        case .boolean: return "boolean"
        case .int: return "int"
        case .long: return "long"
        case .float: return "float"
        case .double: return "double"
        case .bytes: return "bytes"
        case .string: return "string"
        case .fixed: return "fixed"
        case .enumeration: return "enum"
        case .array: return "array"
        case .map: return "map"
        case .record: return "record"
        case .union: return "union"
        }
    }
}

/// One key/value pair of a map value.
public struct AvroMapEntry: Hashable, Sendable {
    public var key: String
    public var value: AvroValue

    public init(key: String, value: AvroValue) {
        self.key = key
        self.value = value
    }
}
