import WeirColumnar

/// Spreads a dense column (one row per set bit of a validity bitmap) over all the bitmap's rows. ORC stores only
/// the non-null values of a column, and a struct's children only for its non-null rows; this puts them back in
/// place. Rows whose bit is clear become null where the column's type is nullable and zero (empty) values where
/// it is NOT NULL (children of a null struct row, as ``ColumnBuilder`` does).
enum ColumnExpansion {
    static func expand(_ dense: Column, _ validity: Bitmap) -> Column {
        let n = validity.count
        if dense.count == n { return dense }  // no clear bits
        let words = validity.words
        @inline(__always) func isSet(_ i: Int) -> Bool { (words[i >> 6] >> UInt64(i & 63)) & 1 == 1 }

        var newValidity: Bitmap?
        if dense.type.isNullable {
            var bits = Bitmap(count: n, value: true)
            var j = 0
            for i in 0..<n {
                if isSet(i) {
                    if let own = dense.validity, !own[j] { bits[i] = false }
                    j += 1
                } else {
                    bits[i] = false
                }
            }
            newValidity = bits
        }

        func scatter<T>(_ values: [T], zero: T) -> [T] {
            var out = [T](repeating: zero, count: n)
            var j = 0
            out.withUnsafeMutableBufferPointer { o in
                values.withUnsafeBufferPointer { v in
                    for i in 0..<n where isSet(i) {
                        o[i] = v[j]
                        j += 1
                    }
                }
            }
            return out
        }

        func spreadOffsets(_ offsets: [Int32]) -> [Int32] {
            var out = [Int32]()
            out.reserveCapacity(n + 1)
            out.append(0)
            var j = 0
            for i in 0..<n {
                if isSet(i) {
                    out.append(offsets[j + 1])
                    j += 1
                } else {
                    out.append(out[i])
                }
            }
            return out
        }

        let values: ColumnValues
        switch dense.values {
        case .boolean(let bits):
            var out = Bitmap(count: n, value: false)
            var j = 0
            for i in 0..<n where isSet(i) {
                if bits[j] { out[i] = true }
                j += 1
            }
            values = .boolean(out)
        case .int8(let v): values = .int8(scatter(v, zero: 0))
        case .int16(let v): values = .int16(scatter(v, zero: 0))
        case .int32(let v): values = .int32(scatter(v, zero: 0))
        case .int64(let v): values = .int64(scatter(v, zero: 0))
        case .int128(let v): values = .int128(scatter(v, zero: 0))
        case .float32(let v): values = .float32(scatter(v, zero: 0))
        case .float64(let v): values = .float64(scatter(v, zero: 0))
        case .bytes(let s): values = .bytes(ByteStrings(offsets: spreadOffsets(s.offsets), data: s.data))
        case .list(let offsets, let elements): values = .list(offsets: spreadOffsets(offsets), elements: elements)
        case .map(let offsets, let keys, let items): values = .map(offsets: spreadOffsets(offsets), keys: keys, values: items)
        case .row(let children): values = .row(children.map { expand($0, validity) })
        }
        return Column(type: dense.type, validity: newValidity, values: values)
    }

    /// A column of `n` null rows (zero rows for NOT NULL types inside null structs).
    static func nulls(_ type: DataType, count n: Int) -> Column {
        let validity: Bitmap? = type.isNullable && n > 0 ? Bitmap(count: n, value: false) : nil
        let values: ColumnValues
        switch type.kind {
        case .boolean: values = .boolean(Bitmap(count: n, value: false))
        case .tinyint: values = .int8(Array(repeating: 0, count: n))
        case .smallint: values = .int16(Array(repeating: 0, count: n))
        case .int, .date, .time: values = .int32(Array(repeating: 0, count: n))
        case .bigint, .timestamp, .timestampLTZ: values = .int64(Array(repeating: 0, count: n))
        case .decimal(let p, _): values = p <= 18 ? .int64(Array(repeating: 0, count: n)) : .int128(Array(repeating: 0, count: n))
        case .float: values = .float32(Array(repeating: 0, count: n))
        case .double: values = .float64(Array(repeating: 0, count: n))
        case .char, .varchar, .binary, .varbinary: values = .bytes(ByteStrings(offsets: Array(repeating: 0, count: n + 1), data: []))
        case .array(let e), .multiset(let e): values = .list(offsets: Array(repeating: 0, count: n + 1), elements: nulls(e, count: 0))
        case .map(let k, let v): values = .map(offsets: Array(repeating: 0, count: n + 1), keys: nulls(k, count: 0), values: nulls(v, count: 0))
        case .row(let fields): values = .row(fields.map { nulls($0.type, count: n) })
        }
        return Column(type: type, validity: validity, values: values)
    }
}
