/// A logical column type with its nullability; mirrors `org.apache.paimon.types.DataType` and its subclasses
/// (spec/paimon-format.md section 2.3). The file formats map these to their own physical types; the table
/// engine uses them for schemas.
public struct DataType: Hashable, Sendable, CustomStringConvertible {
    public indirect enum Kind: Hashable, Sendable {
        case boolean
        case tinyint, smallint, int, bigint
        case float, double
        /// DECIMAL(p, s): 1 ≤ p ≤ 38, 0 ≤ s ≤ p.
        case decimal(precision: Int, scale: Int)
        /// CHAR(n) and VARCHAR(n); VARCHAR(Int32.max) is STRING.
        case char(length: Int), varchar(length: Int)
        /// BINARY(n) and VARBINARY(n); VARBINARY(Int32.max) is BYTES.
        case binary(length: Int), varbinary(length: Int)
        case date
        /// TIME(p), p 0...9 (values are milliseconds of the day, as Paimon stores them).
        case time(precision: Int)
        /// TIMESTAMP(p) without time zone, p 0...9.
        case timestamp(precision: Int)
        /// TIMESTAMP(p) WITH LOCAL TIME ZONE, p 0...9.
        case timestampLTZ(precision: Int)
        case array(element: DataType)
        case multiset(element: DataType)
        case map(key: DataType, value: DataType)
        case row(fields: [DataField])
    }

    public static let lengthMax = Int(Int32.max)

    public var kind: Kind
    public var isNullable: Bool

    public init(_ kind: Kind, nullable: Bool = true) {
        self.kind = kind
        self.isNullable = nullable
    }

    public static var string: DataType { DataType(.varchar(length: lengthMax)) }
    public static var bytes: DataType { DataType(.varbinary(length: lengthMax)) }

    public func nullable(_ flag: Bool) -> DataType { DataType(kind, nullable: flag) }

    /// True for types whose values are byte strings (CHAR, VARCHAR, BINARY, VARBINARY).
    public var isByteString: Bool {
        switch kind {
        case .char, .varchar, .binary, .varbinary: return true
        default: return false
        }
    }

    /// True for CHAR and VARCHAR.
    public var isCharacterString: Bool {
        switch kind {
        case .char, .varchar: return true
        default: return false
        }
    }

    /// The type string Paimon writes in schema files (`DECIMAL(10, 2) NOT NULL`); composite types render in
    /// SQL-like form (`ARRAY<INT>`, `ROW<a INT, b STRING>`) for messages and inspection.
    public var description: String {
        let suffix = isNullable ? "" : " NOT NULL"
        switch kind {
        case .boolean: return "BOOLEAN" + suffix
        case .tinyint: return "TINYINT" + suffix
        case .smallint: return "SMALLINT" + suffix
        case .int: return "INT" + suffix
        case .bigint: return "BIGINT" + suffix
        case .float: return "FLOAT" + suffix
        case .double: return "DOUBLE" + suffix
        case .decimal(let p, let s): return "DECIMAL(\(p), \(s))" + suffix
        case .char(let n): return "CHAR(\(n))" + suffix
        case .varchar(let n): return (n == Self.lengthMax ? "STRING" : "VARCHAR(\(n))") + suffix
        case .binary(let n): return "BINARY(\(n))" + suffix
        case .varbinary(let n): return (n == Self.lengthMax ? "BYTES" : "VARBINARY(\(n))") + suffix
        case .date: return "DATE" + suffix
        case .time(let p): return "TIME(\(p))" + suffix
        case .timestamp(let p): return "TIMESTAMP(\(p))" + suffix
        case .timestampLTZ(let p): return "TIMESTAMP(\(p)) WITH LOCAL TIME ZONE" + suffix
        case .array(let e): return "ARRAY<\(e)>" + suffix
        case .multiset(let e): return "MULTISET<\(e)>" + suffix
        case .map(let k, let v): return "MAP<\(k), \(v)>" + suffix
        case .row(let fields): return "ROW<" + fields.map { "\($0.name) \($0.type)" }.joined(separator: ", ") + ">" + suffix
        }
    }

    /// Checks the parameters (precision, scale, lengths), naming `context` in the error.
    public func validate(context: String) throws(ColumnarError) {
        switch kind {
        case .decimal(let p, let s):
            guard (1...38).contains(p), (0...p).contains(s) else {
                throw ColumnarError("\(context): DECIMAL(\(p), \(s)) needs 1 ≤ precision ≤ 38 and 0 ≤ scale ≤ precision")
            }
        case .char(let n), .varchar(let n), .binary(let n), .varbinary(let n):
            guard (1...Self.lengthMax).contains(n) else { throw ColumnarError("\(context): length \(n) is outside 1...\(Self.lengthMax)") }
        case .time(let p), .timestamp(let p), .timestampLTZ(let p):
            guard (0...9).contains(p) else { throw ColumnarError("\(context): precision \(p) is outside 0...9") }
        case .array(let e), .multiset(let e):
            try e.validate(context: context + " element")
        case .map(let k, let v):
            try k.validate(context: context + " key")
            try v.validate(context: context + " value")
        case .row(let fields):
            var names = Set<String>()
            for field in fields {
                guard names.insert(field.name).inserted else { throw ColumnarError("\(context): duplicate field name '\(field.name)'") }
                try field.type.validate(context: context + "." + field.name)
            }
        default:
            break
        }
    }
}

/// A named, numbered field of a row type; mirrors `org.apache.paimon.types.DataField`.
public struct DataField: Hashable, Sendable {
    /// The field id (stable across renames; Parquet field ids and schema evolution use it).
    public var id: Int
    public var name: String
    public var type: DataType
    public var description: String?

    public init(id: Int, name: String, type: DataType, description: String? = nil) {
        self.id = id
        self.name = name
        self.type = type
        self.description = description
    }
}

/// The columns of a batch or file; mirrors `org.apache.paimon.types.RowType`.
public struct RowType: Hashable, Sendable {
    public var fields: [DataField]

    public init(_ fields: [DataField]) {
        self.fields = fields
    }

    public var fieldNames: [String] { fields.map(\.name) }

    public func index(of name: String) -> Int? { fields.firstIndex { $0.name == name } }

    /// Checks every field type and that names are unique.
    public func validate() throws(ColumnarError) {
        try DataType(.row(fields: fields), nullable: false).validate(context: "schema")
    }
}

/// A columnar-layer error: a message naming what and where.
public struct ColumnarError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
