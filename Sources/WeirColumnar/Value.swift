/// One value of a column, for the slow paths (conversion from JSON and CSV, printing, tests); hot paths work
/// on ``ColumnValues`` buffers directly. Integers of every width are `.integer`; TIMESTAMP values are in the
/// unit of their column's precision (see ``Column``).
public indirect enum Value: Hashable, Sendable {
    case null
    case boolean(Bool)
    case integer(Int64)
    case float(Float)
    case double(Double)
    case decimal(unscaled: Int128, scale: Int)
    case string(String)
    case bytes([UInt8])
    case date(days: Int32)
    case time(millis: Int32)
    case timestamp(Int64)
    case list([Value])
    case map([MapEntry])
    case row([Value])

    public struct MapEntry: Hashable, Sendable {
        public var key: Value
        public var value: Value
        public init(key: Value, value: Value) {
            self.key = key
            self.value = value
        }
    }
}

extension Column {
    /// The value of row `row` (slow path).
    public func value(at row: Int) -> Value {
        if isNull(row) { return .null }
        switch values {
        case .boolean(let bits): return .boolean(bits[row])
        case .int8(let v): return .integer(Int64(v[row]))
        case .int16(let v): return .integer(Int64(v[row]))
        case .int32(let v):
            switch type.kind {
            case .date: return .date(days: v[row])
            case .time: return .time(millis: v[row])
            default: return .integer(Int64(v[row]))
            }
        case .int64(let v):
            switch type.kind {
            case .decimal(_, let scale): return .decimal(unscaled: Int128(v[row]), scale: scale)
            case .timestamp, .timestampLTZ: return .timestamp(v[row])
            default: return .integer(v[row])
            }
        case .int128(let v):
            if case .decimal(_, let scale) = type.kind { return .decimal(unscaled: v[row], scale: scale) }
            return .decimal(unscaled: v[row], scale: 0)
        case .float32(let v): return .float(v[row])
        case .float64(let v): return .double(v[row])
        case .bytes(let strings):
            let slice = strings[row]
            return type.isCharacterString ? .string(String(decoding: slice, as: UTF8.self)) : .bytes(Array(slice))
        case .list(let offsets, let elements):
            return .list((Int(offsets[row])..<Int(offsets[row + 1])).map { elements.value(at: $0) })
        case .map(let offsets, let keys, let values):
            return .map((Int(offsets[row])..<Int(offsets[row + 1])).map { .init(key: keys.value(at: $0), value: values.value(at: $0)) })
        case .row(let children):
            return .row(children.map { $0.value(at: row) })
        }
    }
}

/// Builds a ``Column`` value by value, checking each against the type (range, scale, nullability).
public struct ColumnBuilder: Sendable {
    public let type: DataType
    private var validity = Bitmap()
    private var sawNull = false
    private var storage: Storage

    /// Appends change a case's buffer in place: each append first sets `storage` to ``vacant``, so the buffer
    /// bound from the case is its only reference (otherwise every append would copy the whole buffer).
    private enum Storage: Sendable {
        case boolean(Bitmap)
        case int8([Int8]), int16([Int16]), int32([Int32]), int64([Int64]), int128([Int128])
        case float32([Float]), float64([Double])
        case bytes(ByteStrings)
        indirect case list(offsets: [Int32], elements: ColumnBuilder)
        indirect case map(offsets: [Int32], keys: ColumnBuilder, values: ColumnBuilder)
        case row([ColumnBuilder])
    }

    /// What `storage` holds while a buffer taken out of it is appended to (an empty array allocates nothing).
    private static let vacant = Storage.int8([])

    public init(type: DataType) {
        self.type = type
        switch type.kind {
        case .boolean: storage = .boolean(Bitmap())
        case .tinyint: storage = .int8([])
        case .smallint: storage = .int16([])
        case .int, .date, .time: storage = .int32([])
        case .bigint, .timestamp, .timestampLTZ: storage = .int64([])
        case .decimal(let p, _): storage = p <= 18 ? .int64([]) : .int128([])
        case .float: storage = .float32([])
        case .double: storage = .float64([])
        case .char, .varchar, .binary, .varbinary: storage = .bytes(ByteStrings())
        case .array(let e), .multiset(let e): storage = .list(offsets: [0], elements: ColumnBuilder(type: e))
        case .map(let k, let v): storage = .map(offsets: [0], keys: ColumnBuilder(type: k), values: ColumnBuilder(type: v))
        case .row(let fields): storage = .row(fields.map { ColumnBuilder(type: $0.type) })
        }
    }

    public var count: Int { validity.count }

    /// Appends one value; `.null` only where the type is nullable. The error says what is wrong with the value;
    /// the caller adds where it came from.
    public mutating func append(_ value: Value) throws(ColumnarError) {
        if value == .null {
            guard type.isNullable else { throw ColumnarError("null in a NOT NULL \(type) column") }
            try appendZero()
            validity.append(false)
            sawNull = true
            return
        }
        try appendPresent(value)
        validity.append(true)
    }

    /// The finished column.
    public func finish() -> Column {
        Column(type: type, validity: sawNull ? validity : nil, values: finishValues())
    }

    private func finishValues() -> ColumnValues {
        switch storage {
        case .boolean(let b): return .boolean(b)
        case .int8(let v): return .int8(v)
        case .int16(let v): return .int16(v)
        case .int32(let v): return .int32(v)
        case .int64(let v): return .int64(v)
        case .int128(let v): return .int128(v)
        case .float32(let v): return .float32(v)
        case .float64(let v): return .float64(v)
        case .bytes(let s): return .bytes(s)
        case .list(let offsets, let elements): return .list(offsets: offsets, elements: elements.finish())
        case .map(let offsets, let keys, let values): return .map(offsets: offsets, keys: keys.finish(), values: values.finish())
        case .row(let children): return .row(children.map { $0.finish() })
        }
    }

    private mutating func appendZero() throws(ColumnarError) {
        switch storage {
        case .boolean(var b): storage = Self.vacant; b.append(false); storage = .boolean(b)
        case .int8(var v): storage = Self.vacant; v.append(0); storage = .int8(v)
        case .int16(var v): storage = Self.vacant; v.append(0); storage = .int16(v)
        case .int32(var v): storage = Self.vacant; v.append(0); storage = .int32(v)
        case .int64(var v): storage = Self.vacant; v.append(0); storage = .int64(v)
        case .int128(var v): storage = Self.vacant; v.append(0); storage = .int128(v)
        case .float32(var v): storage = Self.vacant; v.append(0); storage = .float32(v)
        case .float64(var v): storage = Self.vacant; v.append(0); storage = .float64(v)
        case .bytes(var s): storage = Self.vacant; s.append(EmptyCollection()); storage = .bytes(s)
        case .list(var offsets, let e): storage = Self.vacant; offsets.append(offsets.last!); storage = .list(offsets: offsets, elements: e)
        case .map(var offsets, let k, let v): storage = Self.vacant; offsets.append(offsets.last!); storage = .map(offsets: offsets, keys: k, values: v)
        case .row(var children):
            storage = Self.vacant
            defer { storage = .row(children) }
            for i in children.indices {
                // A null row holds nulls in nullable children and zero values in NOT NULL ones.
                if children[i].type.isNullable { try children[i].append(.null) } else { try children[i].appendZeroPresent() }
            }
        }
    }

    /// A present zero value (for NOT NULL children of a null row).
    private mutating func appendZeroPresent() throws(ColumnarError) {
        try appendZero()
        validity.append(true)
    }

    private mutating func appendPresent(_ value: Value) throws(ColumnarError) {
        func mismatch() -> ColumnarError { ColumnarError("\(value) is not a \(type)") }
        switch (storage, value) {
        case (.boolean(var b), .boolean(let x)): storage = Self.vacant; b.append(x); storage = .boolean(b)
        case (.int8(var v), .integer(let x)):
            guard let n = Int8(exactly: x) else { throw ColumnarError("\(x) is out of range for TINYINT") }
            storage = Self.vacant; v.append(n); storage = .int8(v)
        case (.int16(var v), .integer(let x)):
            guard let n = Int16(exactly: x) else { throw ColumnarError("\(x) is out of range for SMALLINT") }
            storage = Self.vacant; v.append(n); storage = .int16(v)
        case (.int32(var v), .integer(let x)):
            guard case .int = type.kind else { throw mismatch() }
            guard let n = Int32(exactly: x) else { throw ColumnarError("\(x) is out of range for INT") }
            storage = Self.vacant; v.append(n); storage = .int32(v)
        case (.int32(var v), .date(let days)):
            guard case .date = type.kind else { throw mismatch() }
            storage = Self.vacant; v.append(days); storage = .int32(v)
        case (.int32(var v), .time(let millis)):
            guard case .time = type.kind else { throw mismatch() }
            guard (0..<86_400_000).contains(millis) else { throw ColumnarError("\(millis) ms is not a time of day") }
            storage = Self.vacant; v.append(millis); storage = .int32(v)
        case (.int64(var v), .integer(let x)):
            guard case .bigint = type.kind else { throw mismatch() }
            storage = Self.vacant; v.append(x); storage = .int64(v)
        case (.int64(var v), .timestamp(let x)):
            switch type.kind {
            case .timestamp, .timestampLTZ: break
            default: throw mismatch()
            }
            storage = Self.vacant; v.append(x); storage = .int64(v)
        case (.int64(var v), .decimal(let unscaled, let scale)):
            guard case .decimal(let p, let s) = type.kind else { throw mismatch() }
            let n = try Self.rescale(unscaled, from: scale, to: s, precision: p)
            storage = Self.vacant; v.append(Int64(n)); storage = .int64(v)
        case (.int128(var v), .decimal(let unscaled, let scale)):
            guard case .decimal(let p, let s) = type.kind else { throw mismatch() }
            let n = try Self.rescale(unscaled, from: scale, to: s, precision: p)
            storage = Self.vacant; v.append(n); storage = .int128(v)
        case (.float32(var v), .float(let x)): storage = Self.vacant; v.append(x); storage = .float32(v)
        case (.float32(var v), .double(let x)): storage = Self.vacant; v.append(Float(x)); storage = .float32(v)
        case (.float64(var v), .double(let x)): storage = Self.vacant; v.append(x); storage = .float64(v)
        case (.float64(var v), .float(let x)): storage = Self.vacant; v.append(Double(x)); storage = .float64(v)
        case (.bytes(var s), .string(let x)):
            guard type.isCharacterString else { throw mismatch() }
            try checkLength(x.utf8.count, characters: x.count)
            storage = Self.vacant; s.append(x.utf8); storage = .bytes(s)
        case (.bytes(var s), .bytes(let x)):
            guard !type.isCharacterString else { throw mismatch() }
            try checkLength(x.count, characters: x.count)
            storage = Self.vacant; s.append(x); storage = .bytes(s)
        case (.list(var offsets, var elements), .list(let items)):
            storage = Self.vacant
            defer { storage = .list(offsets: offsets, elements: elements) }
            for item in items { try elements.append(item) }
            offsets.append(Int32(elements.count))
        case (.map(var offsets, var keys, var values), .map(let entries)):
            storage = Self.vacant
            defer { storage = .map(offsets: offsets, keys: keys, values: values) }
            for entry in entries {
                guard entry.key != .null else { throw ColumnarError("a map key is null") }
                try keys.append(entry.key)
                try values.append(entry.value)
            }
            offsets.append(Int32(keys.count))
        case (.row(var children), .row(let fields)):
            guard fields.count == children.count else {
                throw ColumnarError("a row of \(fields.count) values for \(children.count) fields")
            }
            storage = Self.vacant
            defer { storage = .row(children) }
            for i in children.indices { try children[i].append(fields[i]) }
        default:
            throw mismatch()
        }
    }

    private func checkLength(_ bytes: Int, characters: Int) throws(ColumnarError) {
        switch type.kind {
        case .char(let n), .varchar(let n):
            guard characters <= n else { throw ColumnarError("\(characters) characters do not fit \(type)") }
        case .binary(let n), .varbinary(let n):
            guard bytes <= n else { throw ColumnarError("\(bytes) bytes do not fit \(type)") }
        default: break
        }
    }

    /// Brings an unscaled decimal to `scale` exactly (no rounding) and checks it fits `precision` digits.
    static func rescale(_ unscaled: Int128, from: Int, to scale: Int, precision: Int) throws(ColumnarError) -> Int128 {
        var value = unscaled
        if from < scale {
            for _ in from..<scale {
                let (product, overflow) = value.multipliedReportingOverflow(by: 10)
                guard !overflow else { throw ColumnarError("decimal overflows DECIMAL(\(precision), \(scale))") }
                value = product
            }
        } else if from > scale {
            for _ in scale..<from {
                guard value % 10 == 0 else { throw ColumnarError("decimal has more than \(scale) fractional digits") }
                value /= 10
            }
        }
        var limit: Int128 = 1
        for _ in 0..<precision { limit *= 10 }
        guard value > -limit && value < limit else { throw ColumnarError("decimal has more than \(precision) digits") }
        return value
    }
}
