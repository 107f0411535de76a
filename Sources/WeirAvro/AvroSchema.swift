/// An Avro schema (Avro 1.11 specification, "Schema Declaration"; logical types of 1.12 included).
///
/// A schema is a tree: ``kind`` says what the type is and ``logicalType`` how to interpret it. Named types
/// (records, enums, fixed) are defined where they first appear, in document order; later uses of the same full
/// name are ``Kind/reference(_:)``s, exactly as in the JSON text. Recursive types are references to an enclosing
/// definition. ``AvroSchema/parse(_:limits:)`` checks that every reference names a type defined before it, so
/// a parsed schema can always be resolved.
///
/// What the model keeps from the JSON: everything the binary encoding, schema resolution and Paimon need —
/// names, namespaces (folded into full names), aliases, docs, field defaults and order, enum symbols and defaults,
/// fixed sizes, logical types (unknown ones by name). Attributes Avro does not define (`field-id`,
/// `java-class`, ...) are dropped, as in Avro's parsing canonical form.
public struct AvroSchema: Hashable, Sendable {
    public indirect enum Kind: Hashable, Sendable {
        case null
        case boolean
        case int
        case long
        case float
        case double
        case bytes
        case string
        case record(AvroRecordSchema)
        case enumeration(AvroEnumSchema)
        case array(items: AvroSchema)
        case map(values: AvroSchema)
        case fixed(AvroFixedSchema)
        /// The branches in order; none is itself a union, and no two have the same type (or, for named types, the
        /// same full name).
        case union([AvroSchema])
        /// A use of the named type (record, enum or fixed) with this full name, defined earlier in the schema.
        case reference(String)
    }

    public var kind: Kind
    /// How to interpret the values; nil for none. A logical type whose attributes are invalid for its base type
    /// is ignored when parsing (Avro specification: readers fall back to the underlying type).
    public var logicalType: AvroLogicalType?

    public init(_ kind: Kind, logicalType: AvroLogicalType? = nil) {
        self.kind = kind
        self.logicalType = logicalType
    }

    public static let null = AvroSchema(.null)
    public static let boolean = AvroSchema(.boolean)
    public static let int = AvroSchema(.int)
    public static let long = AvroSchema(.long)
    public static let float = AvroSchema(.float)
    public static let double = AvroSchema(.double)
    public static let bytes = AvroSchema(.bytes)
    public static let string = AvroSchema(.string)

    public static func array(_ items: AvroSchema) -> AvroSchema { AvroSchema(.array(items: items)) }
    public static func map(_ values: AvroSchema) -> AvroSchema { AvroSchema(.map(values: values)) }
    public static func union(_ branches: [AvroSchema]) -> AvroSchema { AvroSchema(.union(branches)) }
    public static func record(_ record: AvroRecordSchema) -> AvroSchema { AvroSchema(.record(record)) }
    public static func enumeration(_ enumeration: AvroEnumSchema) -> AvroSchema { AvroSchema(.enumeration(enumeration)) }
    public static func fixed(_ fixed: AvroFixedSchema) -> AvroSchema { AvroSchema(.fixed(fixed)) }
    public static func reference(_ fullName: String) -> AvroSchema { AvroSchema(.reference(fullName)) }
    /// `["null", schema]`: the nullable form Paimon writes (null first).
    public static func nullable(_ schema: AvroSchema) -> AvroSchema { AvroSchema(.union([.null, schema])) }

    /// The type name as Avro spells it (`"record"`, `"int"`, ...; a reference gives its full name).
    public var typeName: String {
        switch kind {
        case .null: return "null"
        case .boolean: return "boolean"
        case .int: return "int"
        case .long: return "long"
        case .float: return "float"
        case .double: return "double"
        case .bytes: return "bytes"
        case .string: return "string"
        case .record: return "record"
        case .enumeration: return "enum"
        case .array: return "array"
        case .map: return "map"
        case .fixed: return "fixed"
        case .union: return "union"
        case .reference(let name): return name
        }
    }

    /// The full name of a named type (record, enum, fixed) or reference; nil for other types.
    public var fullName: String? {
        switch kind {
        case .record(let r): return r.name.fullName
        case .enumeration(let e): return e.name.fullName
        case .fixed(let f): return f.name.fullName
        case .reference(let name): return name
        default: return nil
        }
    }

    /// The record definition, when this is one.
    public var record: AvroRecordSchema? {
        if case .record(let r) = kind { return r }
        return nil
    }
}

/// A full name of a named type: `namespace.name`, or just `name` in the null namespace.
public struct AvroName: Hashable, Sendable, CustomStringConvertible {
    /// The full name, e.g. `org.apache.paimon.avro.generated.record`.
    public let fullName: String

    /// A name from its full name (checked by the parser, not here).
    public init(fullName: String) { self.fullName = fullName }

    /// A name from a simple name and a namespace (empty or nil for the null namespace). A `name` containing a
    /// dot is already a full name and the namespace is ignored, as the specification says.
    public init(name: String, namespace: String?) {
        if name.contains(".") {
            fullName = name
        } else if let namespace, !namespace.isEmpty {
            fullName = namespace + "." + name
        } else {
            fullName = name
        }
    }

    /// The part after the last dot.
    public var name: String {
        guard let dot = fullName.lastIndex(of: ".") else { return fullName }
        return String(fullName[fullName.index(after: dot)...])
    }

    /// The part before the last dot; empty for the null namespace.
    public var namespace: String {
        guard let dot = fullName.lastIndex(of: ".") else { return "" }
        return String(fullName[..<dot])
    }

    public var description: String { fullName }
}

/// A record type: named fields in order.
public struct AvroRecordSchema: Hashable, Sendable {
    public var name: AvroName
    /// Other full names this record answers to when it is a reader schema.
    public var aliases: [String]
    public var doc: String?
    public var fields: [AvroField]
    /// True for an `"error"` type (Avro protocols); encoded like a record.
    public var isError: Bool

    public init(name: AvroName, fields: [AvroField], aliases: [String] = [], doc: String? = nil, isError: Bool = false) {
        self.name = name
        self.fields = fields
        self.aliases = aliases
        self.doc = doc
        self.isError = isError
    }

    /// The position of the field called `name`, if any.
    public func index(of name: String) -> Int? { fields.firstIndex { $0.name == name } }
}

/// One field of a record.
public struct AvroField: Hashable, Sendable {
    /// Sort order of a field (used by Avro's sort order; kept for printing).
    public enum Order: String, Hashable, Sendable {
        case ascending, descending, ignore
    }

    public var name: String
    public var type: AvroSchema
    /// The JSON default, used when a reader schema has this field and the writer's does not.
    /// Checked against ``type`` when the schema is parsed.
    public var defaultValue: AvroJSON?
    public var aliases: [String]
    public var doc: String?
    /// nil when the JSON did not say (ascending).
    public var order: Order?

    public init(name: String, type: AvroSchema, defaultValue: AvroJSON? = nil, aliases: [String] = [], doc: String? = nil,
                order: Order? = nil) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.aliases = aliases
        self.doc = doc
        self.order = order
    }
}

/// An enum type: a list of symbols, encoded as the symbol's position.
public struct AvroEnumSchema: Hashable, Sendable {
    public var name: AvroName
    public var aliases: [String]
    public var doc: String?
    public var symbols: [String]
    /// The symbol a reader uses for a writer symbol it does not know (Avro 1.9+); nil for none.
    public var defaultSymbol: String?

    public init(name: AvroName, symbols: [String], aliases: [String] = [], doc: String? = nil, defaultSymbol: String? = nil) {
        self.name = name
        self.symbols = symbols
        self.aliases = aliases
        self.doc = doc
        self.defaultSymbol = defaultSymbol
    }
}

/// A fixed type: exactly `size` bytes per value.
public struct AvroFixedSchema: Hashable, Sendable {
    public var name: AvroName
    public var aliases: [String]
    public var doc: String?
    public var size: Int

    public init(name: AvroName, size: Int, aliases: [String] = [], doc: String? = nil) {
        self.name = name
        self.size = size
        self.aliases = aliases
        self.doc = doc
    }
}

/// The logical types of the Avro specification (1.11, plus the `*-nanos` timestamps of 1.12), each valid only on
/// the base types listed; ``other(_:)`` keeps a logical type this module does not interpret (for example the
/// `"map"` Paimon puts on arrays of key/value records) so it prints back.
public enum AvroLogicalType: Hashable, Sendable {
    /// On `bytes` or `fixed`: two's-complement big-endian unscaled integer; value = unscaled × 10^-scale.
    case decimal(precision: Int, scale: Int)
    /// On `int`: days since 1970-01-01.
    case date
    /// On `int`: milliseconds after midnight.
    case timeMillis
    /// On `long`: microseconds after midnight.
    case timeMicros
    /// On `long`: an instant, milliseconds since 1970-01-01T00:00Z.
    case timestampMillis
    case timestampMicros
    case timestampNanos
    /// On `long`: a wall-clock time, milliseconds since 1970-01-01T00:00 in no particular zone.
    case localTimestampMillis
    case localTimestampMicros
    case localTimestampNanos
    /// On `string` (RFC 4122 text) or `fixed(16)`.
    case uuid
    /// On `fixed(12)`: months, days, milliseconds as three little-endian unsigned 32-bit integers.
    case duration
    /// Any other `logicalType` name, kept as written.
    case other(String)

    /// The name written as `"logicalType"`.
    public var name: String {
        switch self {
        case .decimal: return "decimal"
        case .date: return "date"
        case .timeMillis: return "time-millis"
        case .timeMicros: return "time-micros"
        case .timestampMillis: return "timestamp-millis"
        case .timestampMicros: return "timestamp-micros"
        case .timestampNanos: return "timestamp-nanos"
        case .localTimestampMillis: return "local-timestamp-millis"
        case .localTimestampMicros: return "local-timestamp-micros"
        case .localTimestampNanos: return "local-timestamp-nanos"
        case .uuid: return "uuid"
        case .duration: return "duration"
        case .other(let name): return name
        }
    }
}
