import WeirColumnar
import WeirPaimon

/// The "take" kernel: builds columns from (source, row) positions into other columns of the same type, for every
/// storage case including nested ones. Fixed-width values and byte strings are copied in tight loops over buffer
/// pointers; lists, maps and rows recurse on their children with the expanded positions.
public enum BatchGather {
    /// Row `rows[i]` of `sources[sources_[i]]` for every i, as one key-value batch with the values' schema of the
    /// first source (all sources must have the same schema).
    public static func gather(_ batches: [KeyValueBatch], sources: [Int32], rows: [Int32]) -> KeyValueBatch {
        precondition(sources.count == rows.count, "one source per row")
        guard let first = batches.first else {
            precondition(rows.isEmpty, "rows of no batch")
            return KeyValueBatch(sequenceNumbers: [], rowKinds: [], values: ColumnBatch(schema: RowType([]), columns: []))
        }
        let n = rows.count
        var sequences = [Int64](repeating: 0, count: n)
        var kinds = [RowKind](repeating: .insert, count: n)
        for i in 0..<n {
            let b = Int(sources[i]), r = Int(rows[i])
            sequences[i] = batches[b].sequenceNumbers[r]
            kinds[i] = batches[b].rowKinds[r]
        }
        let values = gather(batches.map(\.values), schema: first.values.schema, sources: sources, rows: rows)
        return KeyValueBatch(sequenceNumbers: sequences, rowKinds: kinds, values: values)
    }

    /// Row `rows[i]` of `batches[sources[i]]` for every i, with `schema` (the batches' common schema).
    public static func gather(_ batches: [ColumnBatch], schema: RowType, sources: [Int32], rows: [Int32]) -> ColumnBatch {
        let columns = schema.fields.indices.map { c in gather(batches.map { $0.columns[c] }, sources: sources, rows: rows) }
        return ColumnBatch(schema: schema, columns: columns)
    }

    /// Rows `rows` of one batch.
    public static func take(_ batch: KeyValueBatch, rows: [Int32]) -> KeyValueBatch {
        gather([batch], sources: [Int32](repeating: 0, count: rows.count), rows: rows)
    }

    /// Rows `rows` of one column.
    public static func take(_ column: Column, rows: [Int32]) -> Column {
        gather([column], sources: [Int32](repeating: 0, count: rows.count), rows: rows)
    }

    /// The contiguous rows `range` of a batch.
    public static func slice(_ batch: KeyValueBatch, _ range: Range<Int>) -> KeyValueBatch {
        if range == 0..<batch.rowCount { return batch }
        return KeyValueBatch(sequenceNumbers: Array(batch.sequenceNumbers[range]), rowKinds: Array(batch.rowKinds[range]),
                             values: ColumnBatch(schema: batch.values.schema, columns: batch.values.columns.map { slice($0, range) }))
    }

    /// The contiguous rows `range` of a column.
    public static func slice(_ column: Column, _ range: Range<Int>) -> Column {
        if range == 0..<column.count { return column }
        let rows = (range.lowerBound..<range.upperBound).map { Int32($0) }
        return take(column, rows: rows)
    }

    /// Row `rows[i]` of `columns[sources[i]]` for every i. All columns have the same type.
    public static func gather(_ columns: [Column], sources: [Int32], rows: [Int32]) -> Column {
        precondition(sources.count == rows.count, "one source per row")
        precondition(!columns.isEmpty, "no source column")
        let type = columns[0].type
        let n = rows.count
        let validity = gatherValidity(columns, sources: sources, rows: rows)
        let values: ColumnValues
        switch columns[0].values {
        case .boolean:
            var bits = Bitmap(count: n, value: false)
            let sourceWords = columns.map { c -> [UInt64] in
                guard case .boolean(let b) = c.values else { mismatch(c) }
                return b.words
            }
            var trues: [Int] = []
            withBuffers(sourceWords) { pointers in
                for i in 0..<n {
                    let r = Int(rows[i])
                    if pointers[Int(sources[i])][r >> 6] & (1 << UInt64(r & 63)) != 0 { trues.append(i) }
                }
            }
            for i in trues { bits[i] = true }
            values = .boolean(bits)
        case .int8: values = .int8(fixed(columns, sources, rows) { (v: ColumnValues) -> [Int8]? in if case .int8(let x) = v { return x }; return nil })
        case .int16: values = .int16(fixed(columns, sources, rows) { (v: ColumnValues) -> [Int16]? in if case .int16(let x) = v { return x }; return nil })
        case .int32: values = .int32(fixed(columns, sources, rows) { (v: ColumnValues) -> [Int32]? in if case .int32(let x) = v { return x }; return nil })
        case .int64: values = .int64(fixed(columns, sources, rows) { (v: ColumnValues) -> [Int64]? in if case .int64(let x) = v { return x }; return nil })
        case .int128: values = .int128(fixed(columns, sources, rows) { (v: ColumnValues) -> [Int128]? in if case .int128(let x) = v { return x }; return nil })
        case .float32: values = .float32(fixed(columns, sources, rows) { (v: ColumnValues) -> [Float]? in if case .float32(let x) = v { return x }; return nil })
        case .float64: values = .float64(fixed(columns, sources, rows) { (v: ColumnValues) -> [Double]? in if case .float64(let x) = v { return x }; return nil })
        case .bytes:
            let strings = columns.map { c -> ByteStrings in
                guard case .bytes(let s) = c.values else { mismatch(c) }
                return s
            }
            values = .bytes(gatherBytes(strings, sources: sources, rows: rows))
        case .list:
            var offsetsOut = [Int32](repeating: 0, count: n + 1)
            var childSources: [Int32] = []
            var childRows: [Int32] = []
            let parts = columns.map { c -> (offsets: [Int32], elements: Column) in
                guard case .list(let o, let e) = c.values else { mismatch(c) }
                return (o, e)
            }
            expand(parts.map(\.offsets), sources: sources, rows: rows, offsets: &offsetsOut, childSources: &childSources, childRows: &childRows)
            values = .list(offsets: offsetsOut, elements: gather(parts.map(\.elements), sources: childSources, rows: childRows))
        case .map:
            var offsetsOut = [Int32](repeating: 0, count: n + 1)
            var childSources: [Int32] = []
            var childRows: [Int32] = []
            let parts = columns.map { c -> (offsets: [Int32], keys: Column, values: Column) in
                guard case .map(let o, let k, let v) = c.values else { mismatch(c) }
                return (o, k, v)
            }
            expand(parts.map(\.offsets), sources: sources, rows: rows, offsets: &offsetsOut, childSources: &childSources, childRows: &childRows)
            values = .map(offsets: offsetsOut, keys: gather(parts.map(\.keys), sources: childSources, rows: childRows),
                          values: gather(parts.map(\.values), sources: childSources, rows: childRows))
        case .row(let firstChildren):
            let children = columns.map { c -> [Column] in
                guard case .row(let ch) = c.values else { mismatch(c) }
                return ch
            }
            values = .row(firstChildren.indices.map { f in gather(children.map { $0[f] }, sources: sources, rows: rows) })
        }
        return Column(type: type, validity: validity, values: values)
    }

    static func mismatch(_ column: Column) -> Never {
        preconditionFailure("gather: sources of different storage (\(column.type))")
    }

    static func gatherValidity(_ columns: [Column], sources: [Int32], rows: [Int32]) -> Bitmap? {
        guard columns.contains(where: { $0.validity != nil }) else { return nil }
        let n = rows.count
        let hasValidity = columns.map { $0.validity != nil }
        let words = columns.map { $0.validity?.words ?? [] }
        var nulls: [Int] = []
        withBuffers(words) { pointers in
            for i in 0..<n {
                let s = Int(sources[i])
                guard hasValidity[s] else { continue }
                let r = Int(rows[i])
                if pointers[s][r >> 6] & (1 << UInt64(r & 63)) == 0 { nulls.append(i) }
            }
        }
        guard !nulls.isEmpty else { return nil }
        var bits = Bitmap(count: n, value: true)
        for i in nulls { bits[i] = false }
        return bits
    }

    /// Calls `body` with a buffer pointer to each array.
    static func withBuffers<T, R>(_ arrays: [[T]], _ body: ([UnsafeBufferPointer<T>]) -> R) -> R {
        var pointers: [UnsafeBufferPointer<T>] = []
        pointers.reserveCapacity(arrays.count)
        func step(_ i: Int) -> R {
            if i == arrays.count { return body(pointers) }
            return arrays[i].withUnsafeBufferPointer { p in
                pointers.append(p)
                return step(i + 1)
            }
        }
        return step(0)
    }

    static func fixed<T>(_ columns: [Column], _ sources: [Int32], _ rows: [Int32], _ extract: (ColumnValues) -> [T]?) -> [T] {
        let arrays = columns.map { c -> [T] in
            guard let v = extract(c.values) else { mismatch(c) }
            return v
        }
        let n = rows.count
        if arrays.count == 1 {
            return arrays[0].withUnsafeBufferPointer { src in
                rows.withUnsafeBufferPointer { r in
                    [T](unsafeUninitializedCapacity: n) { out, initialized in
                        for i in 0..<n { (out.baseAddress! + i).initialize(to: src[Int(r[i])]) }
                        initialized = n
                    }
                }
            }
        }
        return withBuffers(arrays) { pointers in
            pointers.withUnsafeBufferPointer { ps in
                sources.withUnsafeBufferPointer { s in
                    rows.withUnsafeBufferPointer { r in
                        [T](unsafeUninitializedCapacity: n) { out, initialized in
                            for i in 0..<n { (out.baseAddress! + i).initialize(to: ps[Int(s[i])][Int(r[i])]) }
                            initialized = n
                        }
                    }
                }
            }
        }
    }

    static func gatherBytes(_ strings: [ByteStrings], sources: [Int32], rows: [Int32]) -> ByteStrings {
        let n = rows.count
        return withBuffers(strings.map(\.offsets)) { offsetPointers in
            withBuffers(strings.map(\.data)) { dataPointers in
                var offsets = [Int32](repeating: 0, count: n + 1)
                var total = 0
                for i in 0..<n {
                    let o = offsetPointers[Int(sources[i])]
                    let r = Int(rows[i])
                    total += Int(o[r + 1] - o[r])
                    offsets[i + 1] = Int32(truncatingIfNeeded: total)
                }
                precondition(total <= Int(Int32.max), "a byte-string column is limited to 2 GiB")
                let data = [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
                    var at = 0
                    for i in 0..<n {
                        let s = Int(sources[i])
                        let o = offsetPointers[s]
                        let r = Int(rows[i])
                        let start = Int(o[r]), length = Int(o[r + 1]) - start
                        if length > 0 {
                            (out.baseAddress! + at).initialize(from: dataPointers[s].baseAddress! + start, count: length)
                            at += length
                        }
                    }
                    initialized = total
                }
                return ByteStrings(offsets: offsets, data: data)
            }
        }
    }

    /// Offsets of the gathered lists or maps and the positions of their children.
    static func expand(_ offsets: [[Int32]], sources: [Int32], rows: [Int32], offsets out: inout [Int32],
                       childSources: inout [Int32], childRows: inout [Int32]) {
        var total: Int32 = 0
        for i in 0..<rows.count {
            let s = Int(sources[i])
            let r = Int(rows[i])
            let start = offsets[s][r], end = offsets[s][r + 1]
            if end > start {
                for e in start..<end {
                    childSources.append(Int32(s))
                    childRows.append(e)
                }
            }
            total += end - start
            out[i + 1] = total
        }
    }
}

extension ColumnBatch {
    /// An estimate of the bytes the batch holds in memory (value buffers, offsets, validity).
    public var estimatedBytes: Int { columns.reduce(0) { $0 + $1.estimatedBytes } }
}

extension Column {
    /// An estimate of the bytes the column holds in memory.
    public var estimatedBytes: Int {
        let validityBytes = validity.map { ($0.count + 7) / 8 } ?? 0
        switch values {
        case .boolean(let b): return validityBytes + (b.count + 7) / 8
        case .int8(let v): return validityBytes + v.count
        case .int16(let v): return validityBytes + 2 * v.count
        case .int32(let v): return validityBytes + 4 * v.count
        case .int64(let v): return validityBytes + 8 * v.count
        case .int128(let v): return validityBytes + 16 * v.count
        case .float32(let v): return validityBytes + 4 * v.count
        case .float64(let v): return validityBytes + 8 * v.count
        case .bytes(let s): return validityBytes + 4 * s.offsets.count + s.data.count
        case .list(let o, let e): return validityBytes + 4 * o.count + e.estimatedBytes
        case .map(let o, let k, let v): return validityBytes + 4 * o.count + k.estimatedBytes + v.estimatedBytes
        case .row(let children): return validityBytes + children.reduce(0) { $0 + $1.estimatedBytes }
        }
    }
}

extension KeyValueBatch {
    /// An estimate of the bytes the batch holds in memory.
    public var estimatedBytes: Int { values.estimatedBytes + 9 * rowCount }
}
