#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WeirColumnar

/// Encodes rows of some columns as byte strings whose unsigned lexicographic order (memcmp, then shorter first) is
/// Paimon's order of those values (the generated `RecordComparator` of Java Paimon, nulls first):
///
/// - a nullable column starts with a marker byte, 0x00 for null (followed by zeros for a fixed-width type, nothing
///   for a byte string) and 0x01 for a value; NOT NULL columns have no marker;
/// - BOOLEAN: one byte 0/1; TINYINT…BIGINT, DATE, TIME, TIMESTAMP, DECIMAL: the two's-complement value big-endian
///   with the sign bit flipped (DECIMAL compares its unscaled value: one column has one scale);
/// - FLOAT/DOUBLE: `Float.compare`/`Double.compare` order: IEEE bits, negative numbers inverted, positive ones with
///   the sign bit set, every NaN canonical (above +∞), -0.0 below 0.0;
/// - CHAR/VARCHAR/BINARY/VARBINARY: the bytes with 0x00 escaped as 0x00 0xFF, ended by 0x00 0x00, so that a prefix
///   sorts before its extensions and unsigned byte order holds (`BinaryString.compareTo`).
///
/// With `descending` every value's bytes (not the null marker) are inverted, so nulls stay first, as Paimon's
/// `sequence.field.sort-order = descending` comparator does. ARRAY, MAP, MULTISET and ROW cannot be sort keys.
///
/// The encoding of a row is prefix-free, so two rows' keys are equal exactly when every column value compares
/// equal (all NaNs are equal, -0.0 and 0.0 are not).
public struct SortKeyEncoder: Sendable {
    public let types: [DataType]
    public let descending: Bool
    let layouts: [Layout]

    enum Layout: Sendable, Equatable {
        case boolean
        case fixed(width: Int, kind: FixedKind)
        case bytes
    }

    enum FixedKind: Sendable, Equatable {
        case int8, int16, int32, int64, int128, float32, float64
    }

    public init(types: [DataType], descending: Bool = false) throws(TableError) {
        var layouts: [Layout] = []
        for type in types {
            switch type.kind {
            case .boolean: layouts.append(.boolean)
            case .tinyint: layouts.append(.fixed(width: 1, kind: .int8))
            case .smallint: layouts.append(.fixed(width: 2, kind: .int16))
            case .int, .date, .time: layouts.append(.fixed(width: 4, kind: .int32))
            case .bigint, .timestamp, .timestampLTZ: layouts.append(.fixed(width: 8, kind: .int64))
            case .decimal(let p, _): layouts.append(p <= 18 ? .fixed(width: 8, kind: .int64) : .fixed(width: 16, kind: .int128))
            case .float: layouts.append(.fixed(width: 4, kind: .float32))
            case .double: layouts.append(.fixed(width: 8, kind: .float64))
            case .char, .varchar, .binary, .varbinary: layouts.append(.bytes)
            case .array, .multiset, .map, .row:
                throw TableError(.unsupported, "sort key", "\(type) cannot be part of a sort key")
            }
        }
        self.types = types
        self.descending = descending
        self.layouts = layouts
    }

    /// The length of every key when no column is a byte string (nil otherwise).
    public var fixedLength: Int? {
        var length = 0
        for (i, layout) in layouts.enumerated() {
            let marker = types[i].isNullable ? 1 : 0
            switch layout {
            case .boolean: length += marker + 1
            case .fixed(let width, _): length += marker + width
            case .bytes: return nil
            }
        }
        return length
    }

    /// Appends one key per row of `columns` (one column per type, equal lengths) to `keys`.
    public func encode(columns: [Column], into keys: inout ByteStrings) {
        precondition(columns.count == types.count, "one column per sort-key type")
        let rows = columns.first?.count ?? 0
        encode(columns: columns, rows: 0..<rows, into: &keys)
    }

    /// Appends one key per row in `rows` of `columns` to `keys`.
    public func encode(columns: [Column], rows: Range<Int>, into keys: inout ByteStrings) {
        precondition(columns.count == types.count, "one column per sort-key type")
        let n = rows.count
        guard n > 0 else { return }
        // Row lengths: the fixed part is the same for every row; byte strings add their escaped length.
        var fixed = 0
        var hasBytes = false
        for (i, layout) in layouts.enumerated() {
            let marker = types[i].isNullable ? 1 : 0
            switch layout {
            case .boolean: fixed += marker + 1
            case .fixed(let width, _): fixed += marker + width
            case .bytes: fixed += marker; hasBytes = true
            }
        }
        let base = keys.data.count
        var starts = [Int](repeating: 0, count: n + 1)
        if hasBytes {
            var lengths = [Int](repeating: fixed, count: n)
            for (i, layout) in layouts.enumerated() where layout == .bytes {
                Self.addEscapedLengths(columns[i], rows: rows, nullable: types[i].isNullable, into: &lengths)
            }
            var total = 0
            for r in 0..<n {
                starts[r] = total
                total += lengths[r]
            }
            starts[n] = total
        } else {
            for r in 0...n { starts[r] = r * fixed }
        }
        let total = starts[n]
        precondition(base + total <= Int(Int32.max), "sort keys are limited to 2 GiB per buffer")
        keys.offsets.reserveCapacity(keys.offsets.count + n)
        for r in 1...n { keys.offsets.append(Int32(base + starts[r])) }
        keys.data.append(contentsOf: repeatElement(0, count: total))
        keys.data.withUnsafeMutableBufferPointer { whole in
            let out = UnsafeMutableBufferPointer(rebasing: whole[base...])
            starts.withUnsafeMutableBufferPointer { cursor in
                for (i, layout) in layouts.enumerated() {
                    Self.write(columns[i], layout: layout, nullable: types[i].isNullable, descending: descending,
                               rows: rows, out: out, cursor: cursor)
                }
            }
        }
    }

    /// Encodes single values (slow path, for tests and bounds): the key of one row.
    public func key(of values: [Value]) throws(TableError) -> [UInt8] {
        var columns: [Column] = []
        for (value, type) in zip(values, types) {
            var builder = ColumnBuilder(type: type)
            do {
                try builder.append(value)
            } catch {
                throw TableError(.invalidInput, "sort key", error.description)
            }
            columns.append(builder.finish())
        }
        var keys = ByteStrings()
        encode(columns: columns, into: &keys)
        return Array(keys[0])
    }

    // MARK: kernels

    static func addEscapedLengths(_ column: Column, rows: Range<Int>, nullable: Bool, into lengths: inout [Int]) {
        guard case .bytes(let strings) = column.values else { preconditionFailure("a byte-string sort column without byte values") }
        let validity = column.validity
        strings.offsets.withUnsafeBufferPointer { offsets in
            strings.data.withUnsafeBufferPointer { data in
                for (r, row) in rows.enumerated() {
                    if let validity, !validity[row] { continue }
                    let start = Int(offsets[row]), end = Int(offsets[row + 1])
                    var zeros = 0
                    var p = start
                    while p < end {
                        if data[p] == 0 { zeros += 1 }
                        p += 1
                    }
                    lengths[r] += end - start + zeros + 2
                }
            }
        }
    }

    @inline(__always)
    static func putBigEndian<T: FixedWidthInteger>(_ value: T, _ out: UnsafeMutableBufferPointer<UInt8>, _ at: Int, invert: Bool) {
        let v = invert ? ~value.bigEndian : value.bigEndian
        withUnsafeBytes(of: v) { raw in
            for i in 0..<MemoryLayout<T>.size { out[at + i] = raw[i] }
        }
    }

    static func write(_ column: Column, layout: Layout, nullable: Bool, descending: Bool, rows: Range<Int>,
                      out: UnsafeMutableBufferPointer<UInt8>, cursor: UnsafeMutableBufferPointer<Int>) {
        let validity = column.validity
        switch (layout, column.values) {
        case (.boolean, .boolean(let bits)):
            for (r, row) in rows.enumerated() {
                var at = cursor[r]
                if nullable {
                    let present = validity.map { $0[row] } ?? true
                    out[at] = present ? 1 : 0
                    at += 1
                    if !present { cursor[r] = at + 1; continue }
                }
                let b: UInt8 = bits[row] ? 1 : 0
                out[at] = descending ? ~b : b
                cursor[r] = at + 1
            }
        case (.fixed(_, .int8), .int8(let v)):
            fixedLoop(v, validity: validity, nullable: nullable, rows: rows, out: out, cursor: cursor) { x, at in
                putBigEndian(UInt8(bitPattern: x) ^ 0x80, out, at, invert: descending)
            }
        case (.fixed(_, .int16), .int16(let v)):
            fixedLoop(v, validity: validity, nullable: nullable, rows: rows, out: out, cursor: cursor) { x, at in
                putBigEndian(UInt16(bitPattern: x) ^ 0x8000, out, at, invert: descending)
            }
        case (.fixed(_, .int32), .int32(let v)):
            fixedLoop(v, validity: validity, nullable: nullable, rows: rows, out: out, cursor: cursor) { x, at in
                putBigEndian(UInt32(bitPattern: x) ^ 0x8000_0000, out, at, invert: descending)
            }
        case (.fixed(_, .int64), .int64(let v)):
            fixedLoop(v, validity: validity, nullable: nullable, rows: rows, out: out, cursor: cursor) { x, at in
                putBigEndian(UInt64(bitPattern: x) ^ 0x8000_0000_0000_0000, out, at, invert: descending)
            }
        case (.fixed(_, .int128), .int128(let v)):
            fixedLoop(v, validity: validity, nullable: nullable, rows: rows, out: out, cursor: cursor) { x, at in
                putBigEndian(UInt128(bitPattern: x) ^ (UInt128(1) << 127), out, at, invert: descending)
            }
        case (.fixed(_, .float32), .float32(let v)):
            fixedLoop(v, validity: validity, nullable: nullable, rows: rows, out: out, cursor: cursor) { x, at in
                putBigEndian(orderedBits(x), out, at, invert: descending)
            }
        case (.fixed(_, .float64), .float64(let v)):
            fixedLoop(v, validity: validity, nullable: nullable, rows: rows, out: out, cursor: cursor) { x, at in
                putBigEndian(orderedBits(x), out, at, invert: descending)
            }
        case (.bytes, .bytes(let strings)):
            strings.offsets.withUnsafeBufferPointer { offsets in
                strings.data.withUnsafeBufferPointer { data in
                    for (r, row) in rows.enumerated() {
                        var at = cursor[r]
                        if nullable {
                            let present = validity.map { $0[row] } ?? true
                            out[at] = present ? 1 : 0
                            at += 1
                            if !present { cursor[r] = at; continue }
                        }
                        let valueStart = at
                        var p = Int(offsets[row])
                        let end = Int(offsets[row + 1])
                        while p < end {
                            let b = data[p]
                            out[at] = b
                            at += 1
                            if b == 0 {
                                out[at] = 0xFF
                                at += 1
                            }
                            p += 1
                        }
                        out[at] = 0
                        out[at + 1] = 0
                        at += 2
                        if descending {
                            for i in valueStart..<at { out[i] = ~out[i] }
                        }
                        cursor[r] = at
                    }
                }
            }
        default:
            preconditionFailure("sort column storage \(column.values.count) rows does not match its type \(column.type)")
        }
    }

    @inline(__always)
    static func fixedLoop<T>(_ values: [T], validity: Bitmap?, nullable: Bool, rows: Range<Int>,
                             out: UnsafeMutableBufferPointer<UInt8>, cursor: UnsafeMutableBufferPointer<Int>,
                             _ put: (T, Int) -> Void) {
        let width = MemoryLayout<T>.size
        values.withUnsafeBufferPointer { v in
            if nullable {
                for (r, row) in rows.enumerated() {
                    let at = cursor[r]
                    if let validity, !validity[row] {
                        out[at] = 0  // null: marker 0 and zero bytes
                    } else {
                        out[at] = 1
                        put(v[row], at + 1)
                    }
                    cursor[r] = at + 1 + width
                }
            } else {
                for (r, row) in rows.enumerated() {
                    let at = cursor[r]
                    put(v[row], at)
                    cursor[r] = at + width
                }
            }
        }
    }

    /// `Float.compare` order as unsigned bits.
    @inline(__always)
    static func orderedBits(_ x: Float) -> UInt32 {
        let bits = x.isNaN ? Float.nan.bitPattern : x.bitPattern
        return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
    }

    /// `Double.compare` order as unsigned bits.
    @inline(__always)
    static func orderedBits(_ x: Double) -> UInt64 {
        let bits = x.isNaN ? Double.nan.bitPattern : x.bitPattern
        return bits & 0x8000_0000_0000_0000 != 0 ? ~bits : bits | 0x8000_0000_0000_0000
    }
}

/// Compares two normalised keys as memcmp does, then by length.
@inline(__always)
func compareKeyBytes(_ a: UnsafePointer<UInt8>?, _ aLength: Int, _ b: UnsafePointer<UInt8>?, _ bLength: Int) -> Int32 {
    let common = min(aLength, bLength)
    if common > 0, let a, let b {
        let c = memcmp(a, b, common)
        if c != 0 { return c }
    }
    return aLength == bLength ? 0 : (aLength < bLength ? -1 : 1)
}
