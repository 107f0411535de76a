import WeirColumnar

/// Column-chunk statistics in Paimon terms, as ``ParquetFileReader/rowGroups`` reports them and as
/// ``ParquetFileWriter`` summarises what it wrote. `min`/`max` are nil when the file has none (or none this module
/// trusts: legacy byte-array statistics, INT96, NaN bounds) or when no value is non-null.
public struct ParquetColumnStatistics: Sendable, Equatable {
    public var nullCount: Int64?
    public var distinctCount: Int64?
    public var min: Value?
    public var max: Value?

    public init(nullCount: Int64? = nil, distinctCount: Int64? = nil, min: Value? = nil, max: Value? = nil) {
        self.nullCount = nullCount
        self.distinctCount = distinctCount
        self.min = min
        self.max = max
    }
}

/// A statistics bound in a form that compares correctly for its column: integers (all integer types, decimals as
/// unscaled values, dates, times, timestamps, booleans as 0/1), floating point, or unsigned byte strings.
enum StatBound: Sendable, Equatable {
    case integer(Int128)
    case real(Double)
    case bytes([UInt8])

    /// -1, 0, 1, or nil when the kinds differ.
    func compare(_ other: StatBound) -> Int? {
        switch (self, other) {
        case (.integer(let a), .integer(let b)): return a < b ? -1 : a == b ? 0 : 1
        case (.real(let a), .real(let b)): return a < b ? -1 : a == b ? 0 : 1
        case (.bytes(let a), .bytes(let b)):
            for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
            return a.count < b.count ? -1 : a.count == b.count ? 0 : 1
        default: return nil
        }
    }
}

/// The decoded statistics of one column chunk.
struct ChunkStatistics: Sendable, Equatable {
    var nullCount: Int64?
    var distinctCount: Int64?
    var min: StatBound?
    var max: StatBound?
}

/// Reading and writing statistics bounds in Parquet's plain binary form for a leaf column.
///
/// `min_value`/`max_value` are used when present; the legacy `min`/`max` only for BOOLEAN, INT32, INT64, FLOAT and
/// DOUBLE columns without an unsigned annotation (their legacy order was signed, which is right for those).
enum StatisticsDecoding {
    static func decode(_ stats: Statistics?, leaf: LeafColumn) -> ChunkStatistics {
        guard let stats else { return ChunkStatistics() }
        var out = ChunkStatistics(nullCount: stats.nullCount.flatMap { $0 >= 0 ? $0 : nil },
                                  distinctCount: stats.distinctCount.flatMap { $0 >= 0 ? $0 : nil })
        var minRaw = stats.minValue, maxRaw = stats.maxValue
        if minRaw == nil || maxRaw == nil {
            let legacyOK: Bool
            switch leaf.physical {
            case .boolean, .int32, .int64, .float, .double:
                legacyOK = ![.uint8ToInt16, .uint16ToInt32, .uint32ToInt64, .uint64ToInt128].contains(leaf.conversion)
            default:
                legacyOK = false
            }
            if legacyOK {
                minRaw = stats.min
                maxRaw = stats.max
            } else {
                minRaw = nil
                maxRaw = nil
            }
        }
        if let minRaw, let maxRaw, let lo = bound(minRaw, leaf: leaf), let hi = bound(maxRaw, leaf: leaf) {
            out.min = lo
            out.max = hi
        }
        return out
    }

    /// A bound from its plain binary form; nil when it cannot be read for this leaf.
    static func bound(_ raw: [UInt8], leaf: LeafColumn) -> StatBound? {
        func le<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard raw.count == MemoryLayout<T>.size else { return nil }
            return raw.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(as: T.self)) }
        }
        switch leaf.physical {
        case .boolean:
            guard raw.count == 1 else { return nil }
            return .integer(raw[0] == 0 ? 0 : 1)
        case .int32:
            guard let v = le(Int32.self) else { return nil }
            switch leaf.conversion {
            case .uint8ToInt16, .uint16ToInt32, .uint32ToInt64: return .integer(Int128(UInt32(bitPattern: v)))
            default: return .integer(Int128(v))
            }
        case .int64:
            guard let v = le(Int64.self) else { return nil }
            switch leaf.conversion {
            case .uint64ToInt128: return .integer(Int128(UInt64(bitPattern: v)))
            case .int64TimeToMillis(let divisor):
                return .integer(Int128(v >= 0 ? v / divisor : (v - divisor + 1) / divisor))
            default: return .integer(Int128(v))
            }
        case .int96:
            return nil
        case .float:
            guard let bits = le(UInt32.self) else { return nil }
            let f = Float(bitPattern: bits)
            return f.isNaN ? nil : .real(Double(f))
        case .double:
            guard let bits = le(UInt64.self) else { return nil }
            let d = Double(bitPattern: bits)
            return d.isNaN ? nil : .real(d)
        case .byteArray, .fixedLenByteArray:
            switch leaf.conversion {
            case .bigEndianToInt64, .bigEndianToInt128:
                guard !raw.isEmpty, raw.count <= 16 else { return nil }
                var value: Int128 = raw[0] & 0x80 != 0 ? -1 : 0
                for byte in raw { value = (value << 8) | Int128(byte) }
                return .integer(value)
            default:
                return .bytes(raw)
            }
        }
    }

    /// The Paimon value of a bound in a column of `type` (nil when it does not fit the type's storage).
    static func value(_ bound: StatBound, type: DataType) -> Value? {
        switch (bound, type.kind) {
        case (.integer(let i), .boolean): return .boolean(i != 0)
        case (.integer(let i), .tinyint), (.integer(let i), .smallint), (.integer(let i), .int), (.integer(let i), .bigint):
            return Int64(exactly: i).map { .integer($0) }
        case (.integer(let i), .decimal(_, let scale)): return .decimal(unscaled: i, scale: scale)
        case (.integer(let i), .date): return Int32(exactly: i).map { .date(days: $0) }
        case (.integer(let i), .time): return Int32(exactly: i).map { .time(millis: $0) }
        case (.integer(let i), .timestamp), (.integer(let i), .timestampLTZ): return Int64(exactly: i).map { .timestamp($0) }
        case (.real(let d), .float): return .float(Float(d))
        case (.real(let d), .double): return .double(d)
        case (.bytes(let b), .char), (.bytes(let b), .varchar): return .string(String(decoding: b, as: UTF8.self))
        case (.bytes(let b), .binary), (.bytes(let b), .varbinary): return .bytes(b)
        default: return nil
        }
    }

    /// The bound for a filter value compared with a column of `type`; nil when the value has no exact bound in the
    /// column's terms (a decimal with more fractional digits than the column, a NaN), which makes a filter keep the
    /// row group. A value of the wrong kind for the type is an error.
    static func bound(of value: Value, type: DataType, column: String) throws(ParquetError) -> StatBound? {
        func wrong() -> ParquetError {
            ParquetError(file: "", location: "filter", "value \(value) does not fit column \(column) of type \(type)")
        }
        switch (type.kind, value) {
        case (.boolean, .boolean(let b)): return .integer(b ? 1 : 0)
        case (.tinyint, .integer(let n)), (.smallint, .integer(let n)), (.int, .integer(let n)), (.bigint, .integer(let n)),
             (.date, .integer(let n)), (.time, .integer(let n)), (.timestamp, .integer(let n)), (.timestampLTZ, .integer(let n)):
            return .integer(Int128(n))
        case (.date, .date(let days)): return .integer(Int128(days))
        case (.time, .time(let millis)): return .integer(Int128(millis))
        case (.timestamp, .timestamp(let t)), (.timestampLTZ, .timestamp(let t)): return .integer(Int128(t))
        case (.decimal(_, let scale), .decimal(let unscaled, let valueScale)):
            return rescale(unscaled, from: valueScale, to: scale).map { .integer($0) }
        case (.decimal(_, let scale), .integer(let n)):
            return rescale(Int128(n), from: 0, to: scale).map { .integer($0) }
        case (.float, .float(let f)), (.double, .float(let f)): return f.isNaN ? nil : .real(Double(f))
        case (.float, .double(let d)), (.double, .double(let d)): return d.isNaN ? nil : .real(d)
        case (.float, .integer(let n)), (.double, .integer(let n)): return .real(Double(n))
        case (.char, .string(let s)), (.varchar, .string(let s)): return .bytes(Array(s.utf8))
        case (.binary, .bytes(let b)), (.varbinary, .bytes(let b)): return .bytes(b)
        default: throw wrong()
        }
    }

    private static func rescale(_ value: Int128, from: Int, to: Int) -> Int128? {
        var v = value
        if from < to {
            for _ in from..<to {
                let (p, overflow) = v.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                v = p
            }
        } else if from > to {
            for _ in to..<from {
                guard v % 10 == 0 else { return nil }
                v /= 10
            }
        }
        return v
    }
}
