/// One column of a batch: typed buffers, a validity bitmap, offsets plus bytes for strings
/// (DESIGN.md section 3). Every reader and writer of Weir works on these.
///
/// How each logical type is held (``ColumnValues``); a slot of a null value holds a zero or empty value:
///
/// | type | values |
/// | --- | --- |
/// | BOOLEAN | `.boolean(Bitmap)` |
/// | TINYINT, SMALLINT, INT, BIGINT | `.int8`, `.int16`, `.int32`, `.int64` |
/// | FLOAT, DOUBLE | `.float32`, `.float64` |
/// | DECIMAL(p ≤ 18, s) | `.int64` unscaled value |
/// | DECIMAL(p > 18, s) | `.int128` unscaled value |
/// | CHAR, VARCHAR, BINARY, VARBINARY | `.bytes(ByteStrings)` (UTF-8 for the character types) |
/// | DATE | `.int32` days since 1970-01-01 |
/// | TIME(p) | `.int32` milliseconds of the day |
/// | TIMESTAMP(p), TIMESTAMP_LTZ(p) | `.int64` since 1970-01-01T00:00 in the unit of the precision: milliseconds for p ≤ 3, microseconds for p ≤ 6, nanoseconds for p ≤ 9 (years 1677 to 2262) |
/// | ARRAY, MULTISET | `.list(offsets, elements)`: row i holds elements offsets[i]..<offsets[i+1] |
/// | MAP | `.map(offsets, keys, values)` |
/// | ROW | `.row(children)`, one child per field, each with `count` rows |
public struct Column: Sendable, Equatable {
    public var type: DataType
    /// Bit i set when row i is not null; nil when no row is null.
    public var validity: Bitmap?
    public var values: ColumnValues

    public init(type: DataType, validity: Bitmap?, values: ColumnValues) {
        self.type = type
        self.validity = validity
        self.values = values
    }

    /// The number of rows.
    public var count: Int { values.count }

    public func isNull(_ row: Int) -> Bool {
        guard let validity else { return false }
        return !validity[row]
    }

    /// How many rows are null.
    public var nullCount: Int { validity.map { $0.count - $0.setCount } ?? 0 }

    /// Checks the invariants: buffer lengths, offsets monotonic and in bounds, children counts, no nulls in a
    /// NOT NULL column, the storage case matching the type. Readers call this on what they decode.
    public func validate(context: String) throws(ColumnarError) {
        if let validity, validity.count != count {
            throw ColumnarError("\(context): validity has \(validity.count) bits for \(count) rows")
        }
        if !type.isNullable, nullCount > 0 {
            throw ColumnarError("\(context): \(nullCount) null values in a NOT NULL column")
        }
        guard values.matches(type) else {
            throw ColumnarError("\(context): \(values.caseName) storage does not hold \(type)")
        }
        switch values {
        case .bytes(let strings):
            try strings.validate(context: context)
        case .list(let offsets, let elements):
            try Self.validateOffsets(offsets, childCount: elements.count, context: context)
            try elements.validate(context: context + "[]")
        case .map(let offsets, let keys, let values):
            try Self.validateOffsets(offsets, childCount: keys.count, context: context)
            guard keys.count == values.count else {
                throw ColumnarError("\(context): \(keys.count) map keys but \(values.count) values")
            }
            try keys.validate(context: context + ".key")
            try values.validate(context: context + ".value")
        case .row(let children):
            guard case .row(let fields) = type.kind, fields.count == children.count else {
                throw ColumnarError("\(context): row children do not match the fields")
            }
            for (field, child) in zip(fields, children) {
                guard child.count == count else {
                    throw ColumnarError("\(context).\(field.name): \(child.count) rows, expected \(count)")
                }
                try child.validate(context: context + "." + field.name)
            }
        default:
            break
        }
    }

    static func validateOffsets(_ offsets: [Int32], childCount: Int, context: String) throws(ColumnarError) {
        guard let first = offsets.first, first == 0 else { throw ColumnarError("\(context): offsets must start at 0") }
        var previous = first
        for offset in offsets.dropFirst() {
            guard offset >= previous else { throw ColumnarError("\(context): offsets go backwards (\(previous) then \(offset))") }
            previous = offset
        }
        guard Int(previous) == childCount else {
            throw ColumnarError("\(context): offsets end at \(previous) but there are \(childCount) child values")
        }
    }
}

/// The value buffers of a ``Column`` (see its table for which case holds which type).
public indirect enum ColumnValues: Sendable, Equatable {
    case boolean(Bitmap)
    case int8([Int8])
    case int16([Int16])
    case int32([Int32])
    case int64([Int64])
    case int128([Int128])
    case float32([Float])
    case float64([Double])
    case bytes(ByteStrings)
    /// `offsets` has count + 1 entries.
    case list(offsets: [Int32], elements: Column)
    /// `offsets` has count + 1 entries; keys and values have offsets.last entries.
    case map(offsets: [Int32], keys: Column, values: Column)
    case row([Column])

    /// The number of rows.
    public var count: Int {
        switch self {
        case .boolean(let b): return b.count
        case .int8(let v): return v.count
        case .int16(let v): return v.count
        case .int32(let v): return v.count
        case .int64(let v): return v.count
        case .int128(let v): return v.count
        case .float32(let v): return v.count
        case .float64(let v): return v.count
        case .bytes(let s): return s.count
        case .list(let offsets, _), .map(let offsets, _, _): return max(0, offsets.count - 1)
        case .row(let children): return children.first?.count ?? 0
        }
    }

    var caseName: String {
        switch self {
        case .boolean: return "boolean"
        case .int8: return "int8"
        case .int16: return "int16"
        case .int32: return "int32"
        case .int64: return "int64"
        case .int128: return "int128"
        case .float32: return "float32"
        case .float64: return "float64"
        case .bytes: return "bytes"
        case .list: return "list"
        case .map: return "map"
        case .row: return "row"
        }
    }

    /// True when this storage case is the one ``Column`` prescribes for `type`.
    public func matches(_ type: DataType) -> Bool {
        switch (type.kind, self) {
        case (.boolean, .boolean), (.tinyint, .int8), (.smallint, .int16), (.int, .int32), (.bigint, .int64),
             (.float, .float32), (.double, .float64), (.date, .int32), (.time, .int32),
             (.timestamp, .int64), (.timestampLTZ, .int64),
             (.char, .bytes), (.varchar, .bytes), (.binary, .bytes), (.varbinary, .bytes),
             (.array, .list), (.multiset, .list), (.map, .map), (.row, .row):
            return true
        case (.decimal(let p, _), .int64): return p <= 18
        case (.decimal(let p, _), .int128): return p > 18
        default: return false
        }
    }
}

/// Variable-length byte strings: value i is `data[offsets[i]..<offsets[i+1]]`. Limit: 2 GiB of data per column.
public struct ByteStrings: Sendable, Equatable {
    public var offsets: [Int32]
    public var data: [UInt8]

    public init() {
        offsets = [0]
        data = []
    }

    public init(offsets: [Int32], data: [UInt8]) {
        self.offsets = offsets
        self.data = data
    }

    public var count: Int { offsets.count - 1 }

    public subscript(index: Int) -> ArraySlice<UInt8> {
        data[Int(offsets[index])..<Int(offsets[index + 1])]
    }

    public mutating func append(_ bytes: some Collection<UInt8>) {
        data.append(contentsOf: bytes)
        precondition(data.count <= Int(Int32.max), "a byte-string column is limited to 2 GiB")
        offsets.append(Int32(data.count))
    }

    public mutating func reserveCapacity(strings: Int, bytes: Int) {
        offsets.reserveCapacity(strings + 1)
        data.reserveCapacity(bytes)
    }

    func validate(context: String) throws(ColumnarError) {
        try Column.validateOffsets(offsets, childCount: data.count, context: context)
    }
}

/// Rows in columns, all of the same length.
public struct ColumnBatch: Sendable, Equatable {
    public var schema: RowType
    public var columns: [Column]

    public init(schema: RowType, columns: [Column]) {
        precondition(schema.fields.count == columns.count, "one column per field")
        self.schema = schema
        self.columns = columns
    }

    public var rowCount: Int { columns.first?.count ?? 0 }

    /// Checks every column and that all have the same number of rows.
    public func validate() throws(ColumnarError) {
        let rows = rowCount
        for (field, column) in zip(schema.fields, columns) {
            guard column.type == field.type else {
                throw ColumnarError("column \(field.name): holds \(column.type) but the schema says \(field.type)")
            }
            guard column.count == rows else {
                throw ColumnarError("column \(field.name): \(column.count) rows, expected \(rows)")
            }
            try column.validate(context: "column \(field.name)")
        }
    }
}
