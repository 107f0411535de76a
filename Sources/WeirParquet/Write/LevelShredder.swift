import WeirColumnar

/// The part of one leaf column that one slice of rows contributes: its level entries and its non-null values.
struct LeafBatch {
    /// Empty when the leaf's maximum definition level is 0.
    var defLevels: [UInt8]
    /// Empty when the leaf's maximum repetition level is 0.
    var repLevels: [UInt8]
    /// The non-null values are `values[valueRange]` (the storage of the leaf's Paimon type).
    var values: ColumnValues
    var valueRange: Range<Int>
    var entryCount: Int
}

/// Turns the rows `rows` of a top-level column into one ``LeafBatch`` per leaf column under its ``ColumnShape``
/// (record shredding, the inverse of ``ColumnAssembler``). Flat columns take a fast path over the buffers (a NOT NULL
/// column's values are used in place); nested columns are walked row by row, each leaf collecting levels and the
/// indices of its values, which are then gathered. A null where the Parquet node is REQUIRED (a map key) is an error.
struct LevelShredder {
    static func shred(_ column: Column, shape: ColumnShape, rows: Range<Int>) throws(ParquetError) -> [Int: LeafBatch] {
        if case .leaf(let leaf, _, _, let nullable) = shape {
            return [leaf: try flat(column, nullable: nullable, rows: rows)]
        }
        let leaves = shape.leaves
        var shredder = LevelShredder(base: leaves.first!, count: leaves.count)
        for row in rows {
            try shredder.emit(shape, column, row: row, rep: 0, defBase: 0)
        }
        var out: [Int: LeafBatch] = [:]
        for (offset, state) in shredder.states.enumerated() {
            let leaf = shredder.base + offset
            let values = state.column.map { gather($0.values, state.indices) } ?? emptyValues(shapeType(shape, leaf))
            out[leaf] = LeafBatch(defLevels: state.def, repLevels: state.rep, values: values,
                                  valueRange: 0 ..< state.indices.count, entryCount: state.def.count)
        }
        return out
    }

    /// A top-level primitive column: definition levels from its validity, values gathered only when there are nulls.
    private static func flat(_ column: Column, nullable: Bool, rows: Range<Int>) throws(ParquetError) -> LeafBatch {
        guard let validity = column.validity, !validity.allSet else {
            return LeafBatch(defLevels: nullable ? [UInt8](repeating: 1, count: rows.count) : [], repLevels: [],
                             values: column.values, valueRange: rows, entryCount: rows.count)
        }
        guard nullable else { throw ParquetError.corrupt("a null in a NOT NULL column") }
        var def = [UInt8](repeating: 0, count: rows.count)
        var indices: [Int32] = []
        indices.reserveCapacity(rows.count)
        for (k, row) in rows.enumerated() where validity[row] {
            def[k] = 1
            indices.append(Int32(row))
        }
        return LeafBatch(defLevels: def, repLevels: [], values: gather(column.values, indices),
                         valueRange: 0 ..< indices.count, entryCount: rows.count)
    }

    // MARK: nested

    private struct LeafState {
        var def: [UInt8] = []
        var rep: [UInt8] = []
        var indices: [Int32] = []
        var column: Column?
    }

    /// The leaves of one top-level column are numbered consecutively from `base` (schemas number them depth-first).
    private let base: Int
    private var states: [LeafState]

    private init(base: Int, count: Int) {
        self.base = base
        states = Array(repeating: LeafState(), count: count)
    }

    private mutating func append(_ leaf: Int, def: Int, rep: UInt8) {
        states[leaf - base].def.append(UInt8(def))
        states[leaf - base].rep.append(rep)
    }

    private mutating func append(_ leaf: Int, def: Int, rep: UInt8, column: Column, index: Int) {
        let slot = leaf - base
        states[slot].def.append(UInt8(def))
        states[slot].rep.append(rep)
        if states[slot].column == nil { states[slot].column = column }
        states[slot].indices.append(Int32(index))
    }

    private mutating func emitAbsent(_ shape: ColumnShape, def: Int, rep: UInt8) {
        let first = shape.firstLeaf
        for leaf in first ..< first + shape.leafCount { append(leaf, def: def, rep: rep) }
    }

    private mutating func emit(_ shape: ColumnShape, _ column: Column, row: Int, rep: UInt8, defBase: Int) throws(ParquetError) {
        let isNull = column.isNull(row)
        if isNull {
            guard shape.nullable else {
                throw ParquetError.corrupt("a null \(shape.type) where Parquet requires a value (map keys are REQUIRED)")
            }
            emitAbsent(shape, def: defBase, rep: rep)
            return
        }
        switch shape {
        case .leaf(let leaf, _, let def, _):
            append(leaf, def: def, rep: rep, column: column, index: row)
        case .row(_, let def, _, let fields):
            guard case .row(let children) = column.values else { throw mismatch(shape, column) }
            for (field, child) in zip(fields, children) {
                try emit(field, child, row: row, rep: rep, defBase: def)
            }
        case .list(_, let def, _, let elementDef, let elementRep, let element):
            guard case .list(let offsets, let elements) = column.values else { throw mismatch(shape, column) }
            let start = Int(offsets[row]), end = Int(offsets[row + 1])
            if start == end {
                emitAbsent(element, def: def, rep: rep)
                return
            }
            for k in start..<end {
                try emit(element, elements, row: k, rep: k == start ? rep : UInt8(elementRep), defBase: elementDef)
            }
        case .map(_, let def, _, let elementDef, let elementRep, let key, let value):
            guard case .map(let offsets, let keys, let values) = column.values else { throw mismatch(shape, column) }
            let start = Int(offsets[row]), end = Int(offsets[row + 1])
            if start == end {
                emitAbsent(key, def: def, rep: rep)
                emitAbsent(value, def: def, rep: rep)
                return
            }
            for k in start..<end {
                let r = k == start ? rep : UInt8(elementRep)
                try emit(key, keys, row: k, rep: r, defBase: elementDef)
                try emit(value, values, row: k, rep: r, defBase: elementDef)
            }
        }
    }

    private func mismatch(_ shape: ColumnShape, _ column: Column) -> ParquetError {
        ParquetError.corrupt("internal: a \(column.type) column does not have the layout of \(shape.type)")
    }

    private static func shapeType(_ shape: ColumnShape, _ leaf: Int) -> DataType {
        switch shape {
        case .leaf(let l, let type, _, _): return l == leaf ? type : .string
        case .row(_, _, _, let fields):
            for f in fields where f.leaves.contains(leaf) { return shapeType(f, leaf) }
        case .list(_, _, _, _, _, let element): return shapeType(element, leaf)
        case .map(_, _, _, _, _, let key, let value): return key.leaves.contains(leaf) ? shapeType(key, leaf) : shapeType(value, leaf)
        }
        return .string
    }

    static func emptyValues(_ type: DataType) -> ColumnValues {
        ColumnBuilder(type: type).finish().values
    }

    /// `values[indices[0]], values[indices[1]], …` for primitive storage.
    static func gather(_ values: ColumnValues, _ indices: [Int32]) -> ColumnValues {
        func pick<T>(_ array: [T]) -> [T] {
            array.withUnsafeBufferPointer { a in indices.map { a[Int($0)] } }
        }
        switch values {
        case .boolean(let bits): return .boolean(Bitmap(indices.lazy.map { bits[Int($0)] }))
        case .int8(let v): return .int8(pick(v))
        case .int16(let v): return .int16(pick(v))
        case .int32(let v): return .int32(pick(v))
        case .int64(let v): return .int64(pick(v))
        case .int128(let v): return .int128(pick(v))
        case .float32(let v): return .float32(pick(v))
        case .float64(let v): return .float64(pick(v))
        case .bytes(let s):
            var out = ByteStrings()
            var total = 0
            for i in indices { total += Int(s.offsets[Int(i) + 1] - s.offsets[Int(i)]) }
            out.reserveCapacity(strings: indices.count, bytes: total)
            s.data.withUnsafeBytes { data in
                for i in indices {
                    let start = Int(s.offsets[Int(i)]), end = Int(s.offsets[Int(i) + 1])
                    out.data.append(contentsOf: UnsafeRawBufferPointer(rebasing: data[start..<end]))
                    out.offsets.append(Int32(out.data.count))
                }
            }
            return .bytes(out)
        case .list, .map, .row:
            return values  // never a leaf's storage
        }
    }
}
