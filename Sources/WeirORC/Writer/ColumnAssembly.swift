import WeirColumnar

/// Slicing, concatenating and gathering ``Column`` values, which the writer needs to cut batches into stripes
/// and to drop the child values that sit under null struct, list and map rows (ORC stores none).
/// All three keep the column's type; the caller guarantees matching types and valid columns.
enum ColumnAssembly {
    /// Rows `range` of `column`.
    static func slice(_ column: Column, _ range: Range<Int>) -> Column {
        if range == 0..<column.count { return column }
        let validity = column.validity.map { v in sliceBits(v, range) }
        let values: ColumnValues
        switch column.values {
        case .boolean(let b): values = .boolean(sliceBits(b, range))
        case .int8(let v): values = .int8(Array(v[range]))
        case .int16(let v): values = .int16(Array(v[range]))
        case .int32(let v): values = .int32(Array(v[range]))
        case .int64(let v): values = .int64(Array(v[range]))
        case .int128(let v): values = .int128(Array(v[range]))
        case .float32(let v): values = .float32(Array(v[range]))
        case .float64(let v): values = .float64(Array(v[range]))
        case .bytes(let s):
            let start = s.offsets[range.lowerBound], end = s.offsets[range.upperBound]
            values = .bytes(ByteStrings(offsets: s.offsets[range.lowerBound...range.upperBound].map { $0 - start },
                                        data: Array(s.data[Int(start)..<Int(end)])))
        case .list(let offsets, let elements):
            let start = offsets[range.lowerBound], end = offsets[range.upperBound]
            values = .list(offsets: offsets[range.lowerBound...range.upperBound].map { $0 - start },
                           elements: slice(elements, Int(start)..<Int(end)))
        case .map(let offsets, let keys, let items):
            let start = offsets[range.lowerBound], end = offsets[range.upperBound]
            values = .map(offsets: offsets[range.lowerBound...range.upperBound].map { $0 - start },
                          keys: slice(keys, Int(start)..<Int(end)), values: slice(items, Int(start)..<Int(end)))
        case .row(let children):
            values = .row(children.map { slice($0, range) })
        }
        return Column(type: column.type, validity: validity, values: values)
    }

    static func sliceBits(_ bits: Bitmap, _ range: Range<Int>) -> Bitmap {
        var out = Bitmap(count: range.count, value: false)
        for (i, row) in range.enumerated() where bits[row] { out[i] = true }
        return out
    }

    /// `columns` one after another (at least one).
    static func concat(_ columns: [Column]) -> Column {
        precondition(!columns.isEmpty)
        if columns.count == 1 { return columns[0] }
        let type = columns[0].type
        var validity: Bitmap?
        if columns.contains(where: { $0.validity != nil }) {
            var bits = Bitmap()
            bits.reserveCapacity(columns.reduce(0) { $0 + $1.count })
            for column in columns {
                if let v = column.validity {
                    for i in 0..<v.count { bits.append(v[i]) }
                } else {
                    for _ in 0..<column.count { bits.append(true) }
                }
            }
            validity = bits
        }
        let values: ColumnValues
        switch columns[0].values {
        case .boolean:
            var bits = Bitmap()
            for column in columns { if case .boolean(let b) = column.values { for i in 0..<b.count { bits.append(b[i]) } } }
            values = .boolean(bits)
        case .int8: values = .int8(joined(columns) { if case .int8(let v) = $0 { v } else { nil } })
        case .int16: values = .int16(joined(columns) { if case .int16(let v) = $0 { v } else { nil } })
        case .int32: values = .int32(joined(columns) { if case .int32(let v) = $0 { v } else { nil } })
        case .int64: values = .int64(joined(columns) { if case .int64(let v) = $0 { v } else { nil } })
        case .int128: values = .int128(joined(columns) { if case .int128(let v) = $0 { v } else { nil } })
        case .float32: values = .float32(joined(columns) { if case .float32(let v) = $0 { v } else { nil } })
        case .float64: values = .float64(joined(columns) { if case .float64(let v) = $0 { v } else { nil } })
        case .bytes:
            var out = ByteStrings()
            for column in columns {
                guard case .bytes(let s) = column.values else { continue }
                let base = Int32(out.data.count)
                out.offsets.append(contentsOf: s.offsets.dropFirst().map { $0 + base })
                out.data.append(contentsOf: s.data)
            }
            values = .bytes(out)
        case .list:
            var offsets: [Int32] = [0]
            var parts: [Column] = []
            for column in columns {
                guard case .list(let o, let e) = column.values else { continue }
                let base = offsets.last!
                offsets.append(contentsOf: o.dropFirst().map { $0 + base })
                parts.append(e)
            }
            values = .list(offsets: offsets, elements: concat(parts))
        case .map:
            var offsets: [Int32] = [0]
            var keyParts: [Column] = [], valueParts: [Column] = []
            for column in columns {
                guard case .map(let o, let k, let v) = column.values else { continue }
                let base = offsets.last!
                offsets.append(contentsOf: o.dropFirst().map { $0 + base })
                keyParts.append(k)
                valueParts.append(v)
            }
            values = .map(offsets: offsets, keys: concat(keyParts), values: concat(valueParts))
        case .row(let first):
            var children: [Column] = []
            for index in first.indices {
                children.append(concat(columns.map { if case .row(let c) = $0.values { c[index] } else { $0 } }))
            }
            values = .row(children)
        }
        return Column(type: type, validity: validity, values: values)
    }

    private static func joined<T>(_ columns: [Column], _ extract: (ColumnValues) -> [T]?) -> [T] {
        var out: [T] = []
        out.reserveCapacity(columns.reduce(0) { $0 + $1.count })
        for column in columns { if let v = extract(column.values) { out.append(contentsOf: v) } }
        return out
    }

    /// The rows at `rows` (ascending indices) of `column`.
    static func gather(_ column: Column, _ rows: [Int]) -> Column {
        let validity: Bitmap? = column.validity.map { v in
            var out = Bitmap(count: rows.count, value: false)
            for (i, row) in rows.enumerated() where v[row] { out[i] = true }
            return out
        }
        let values: ColumnValues
        switch column.values {
        case .boolean(let b):
            var out = Bitmap(count: rows.count, value: false)
            for (i, row) in rows.enumerated() where b[row] { out[i] = true }
            values = .boolean(out)
        case .int8(let v): values = .int8(rows.map { v[$0] })
        case .int16(let v): values = .int16(rows.map { v[$0] })
        case .int32(let v): values = .int32(rows.map { v[$0] })
        case .int64(let v): values = .int64(rows.map { v[$0] })
        case .int128(let v): values = .int128(rows.map { v[$0] })
        case .float32(let v): values = .float32(rows.map { v[$0] })
        case .float64(let v): values = .float64(rows.map { v[$0] })
        case .bytes(let s):
            var out = ByteStrings()
            for row in rows { out.append(s[row]) }
            values = .bytes(out)
        case .list(let offsets, let elements):
            let (newOffsets, childRows) = gatherRanges(offsets, rows)
            values = .list(offsets: newOffsets, elements: gather(elements, childRows))
        case .map(let offsets, let keys, let items):
            let (newOffsets, childRows) = gatherRanges(offsets, rows)
            values = .map(offsets: newOffsets, keys: gather(keys, childRows), values: gather(items, childRows))
        case .row(let children):
            values = .row(children.map { gather($0, rows) })
        }
        return Column(type: column.type, validity: validity, values: values)
    }

    private static func gatherRanges(_ offsets: [Int32], _ rows: [Int]) -> ([Int32], [Int]) {
        var newOffsets: [Int32] = [0]
        var childRows: [Int] = []
        for row in rows {
            childRows.append(contentsOf: Int(offsets[row])..<Int(offsets[row + 1]))
            newOffsets.append(Int32(childRows.count))
        }
        return (newOffsets, childRows)
    }
}
