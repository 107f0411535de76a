import WeirColumnar

/// Builds Paimon columns from decoded leaf chunks along their ``ColumnShape`` (record assembly from repetition and
/// definition levels).
///
/// Every node is built in a context `(R, D)`: the repetition level of the innermost enclosing list and the
/// definition level at which its slots exist (0 and 0 at the top, where slots are rows). In the levels of any leaf
/// under the node, a slot of the node is an entry with repetition ≤ R and definition ≥ D; the node is null in a slot
/// whose definition level is below the node's `def` (when the node is OPTIONAL). A list's elements are the entries
/// with repetition ≤ its `elementRep` and definition ≥ its `elementDef`; they are the slots of the element, built in
/// context `(elementRep, elementDef)`. A struct's validity and a list's offsets come from the first leaf under them.
/// NOT NULL nodes under a null parent hold zero values (an empty list, a row of zero values), as ``ColumnBuilder``
/// does. Inconsistent levels between leaves of one column are errors.
struct ColumnAssembler {
    let leaves: [LeafColumn]
    /// Decoded chunks by leaf index (only those of the columns being read).
    let chunks: [Int: LeafChunk]

    /// The column for a top-level field, which must have `rowCount` rows.
    func column(_ shape: ColumnShape, rowCount: Int) throws(ParquetError) -> Column {
        for leafIndex in shape.leaves {
            try checkRows(leafIndex, rowCount: rowCount)
        }
        let column = try build(shape, r: 0, d: 0)
        guard column.count == rowCount else {
            throw ParquetError.corrupt("column \(leaves[shape.firstLeaf].path[0]) assembles to \(column.count) rows, the row group has \(rowCount)")
        }
        return column
    }

    /// Checks that a leaf's levels describe exactly `rowCount` rows.
    private func checkRows(_ leafIndex: Int, rowCount: Int) throws(ParquetError) {
        let chunk = try self.chunk(leafIndex)
        let leaf = leaves[leafIndex]
        if leaf.maxRep == 0 {
            guard chunk.entryCount == rowCount else {
                throw ParquetError.corrupt("column \(leaf.pathString) holds \(chunk.entryCount) values, the row group has \(rowCount) rows")
            }
        } else {
            guard chunk.entryCount == 0 || chunk.repLevels.first == 0 else {
                throw ParquetError.corrupt("column \(leaf.pathString) starts with repetition level \(chunk.repLevels[0])")
            }
            let rows = chunk.repLevels.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
            guard rows == rowCount else {
                throw ParquetError.corrupt("column \(leaf.pathString) holds \(rows) rows, the row group has \(rowCount)")
            }
        }
    }

    private func chunk(_ leafIndex: Int) throws(ParquetError) -> LeafChunk {
        guard let chunk = chunks[leafIndex] else { throw ParquetError.corrupt("internal: leaf \(leafIndex) was not decoded") }
        return chunk
    }

    /// The slots of a node in context (r, d) in the levels of `leafIndex`: for each, its definition level.
    private func slotLevels(_ leafIndex: Int, r: Int, d: Int) throws(ParquetError) -> [UInt8] {
        let chunk = try self.chunk(leafIndex)
        let leaf = leaves[leafIndex]
        if chunk.defLevels.isEmpty {
            // No definition levels: every entry is defined to the maximum (and then maxRep is 0 too).
            return [UInt8](repeating: UInt8(leaf.maxDef), count: chunk.entryCount)
        }
        if chunk.repLevels.isEmpty && d == 0 { return chunk.defLevels }
        var out: [UInt8] = []
        out.reserveCapacity(chunk.entryCount)
        let minDef = UInt8(d), maxRep = UInt8(r)
        for i in 0..<chunk.entryCount {
            let def = chunk.defLevels[i]
            let rep = chunk.repLevels.isEmpty ? 0 : chunk.repLevels[i]
            if rep <= maxRep && def >= minDef { out.append(def) }
        }
        return out
    }

    private func build(_ shape: ColumnShape, r: Int, d: Int) throws(ParquetError) -> Column {
        switch shape {
        case .leaf(let leafIndex, let type, let def, let nullable):
            let leaf = leaves[leafIndex]
            let chunk = try self.chunk(leafIndex)
            if chunk.defLevels.isEmpty {
                let values = try LeafMaterializer.values(chunk.values, leaf: leaf, present: nil, slotCount: chunk.entryCount)
                return Column(type: type, validity: nil, values: values)
            }
            let slots = try slotLevels(leafIndex, r: r, d: d)
            let maxDef = UInt8(leaf.maxDef), nodeDef = UInt8(def)
            var present = Bitmap(count: slots.count, value: true)
            var validity = Bitmap(count: slots.count, value: true)
            var allPresent = true, anyNull = false
            for (i, level) in slots.enumerated() where level != maxDef {
                present[i] = false
                allPresent = false
                if nullable && level < nodeDef {
                    validity[i] = false
                    anyNull = true
                }
            }
            let values = try LeafMaterializer.values(chunk.values, leaf: leaf, present: allPresent ? nil : present,
                                                     slotCount: slots.count)
            return Column(type: type, validity: anyNull ? validity : nil, values: values)

        case .row(let type, let def, let nullable, let fields):
            let slots = try slotLevels(shape.firstLeaf, r: r, d: d)
            let validity = Self.validity(slots, nullable: nullable, def: def)
            var children: [Column] = []
            for field in fields {
                let child = try build(field, r: r, d: d)
                guard child.count == slots.count else {
                    throw ParquetError.corrupt("columns under \(leaves[shape.firstLeaf].pathString) disagree on their number of values")
                }
                children.append(child)
            }
            return Column(type: type, validity: validity, values: .row(children))

        case .list(let type, let def, let nullable, let elementDef, let elementRep, let element):
            let (offsets, validity) = try listOffsets(shape.firstLeaf, r: r, d: d, def: def, nullable: nullable,
                                                     elementDef: elementDef, elementRep: elementRep)
            let elements = try build(element, r: elementRep, d: elementDef)
            guard Int(offsets.last!) == elements.count else {
                throw ParquetError.corrupt("list \(leaves[shape.firstLeaf].pathString): \(offsets.last!) elements expected, \(elements.count) assembled")
            }
            return Column(type: type, validity: validity, values: .list(offsets: offsets, elements: elements))

        case .map(let type, let def, let nullable, let elementDef, let elementRep, let key, let value):
            let (offsets, validity) = try listOffsets(shape.firstLeaf, r: r, d: d, def: def, nullable: nullable,
                                                     elementDef: elementDef, elementRep: elementRep)
            let keys = try build(key, r: elementRep, d: elementDef)
            let values = try build(value, r: elementRep, d: elementDef)
            guard Int(offsets.last!) == keys.count, keys.count == values.count else {
                throw ParquetError.corrupt("map \(leaves[shape.firstLeaf].pathString): \(offsets.last!) entries expected, \(keys.count) keys and \(values.count) values assembled")
            }
            return Column(type: type, validity: validity, values: .map(offsets: offsets, keys: keys, values: values))
        }
    }

    private static func validity(_ slots: [UInt8], nullable: Bool, def: Int) -> Bitmap? {
        guard nullable else { return nil }
        let nodeDef = UInt8(def)
        var validity: Bitmap?
        for (i, level) in slots.enumerated() where level < nodeDef {
            if validity == nil { validity = Bitmap(count: slots.count, value: true) }
            validity![i] = false
        }
        return validity
    }

    /// Offsets and validity of a list or map in context (r, d), from the levels of `leafIndex`.
    private func listOffsets(_ leafIndex: Int, r: Int, d: Int, def: Int, nullable: Bool, elementDef: Int,
                             elementRep: Int) throws(ParquetError) -> ([Int32], Bitmap?) {
        let chunk = try self.chunk(leafIndex)
        let leaf = leaves[leafIndex]
        guard !chunk.repLevels.isEmpty || chunk.entryCount == 0, !chunk.defLevels.isEmpty || chunk.entryCount == 0 else {
            throw ParquetError.corrupt("internal: list column \(leaf.pathString) without levels")
        }
        var offsets: [Int32] = [0]
        var validity: Bitmap?
        var elements: Int32 = 0
        var slot = -1
        let maxRep = UInt8(r), minDef = UInt8(d), nodeDef = UInt8(def)
        let elementMinDef = UInt8(elementDef), elementMaxRep = UInt8(elementRep)
        for i in 0..<chunk.entryCount {
            let rep = chunk.repLevels[i], level = chunk.defLevels[i]
            if rep <= maxRep {
                guard level >= minDef else { continue }
                if slot >= 0 { offsets.append(elements) }
                slot += 1
                if nullable && level < nodeDef {
                    if validity == nil { validity = Bitmap(count: slot, value: true) }
                }
                if validity != nil {
                    validity!.append(!(nullable && level < nodeDef))
                }
            } else if rep > elementMaxRep {
                continue  // inside an element
            } else if slot < 0 {
                throw ParquetError.corrupt("column \(leaf.pathString): a repeated value before any list starts")
            }
            if rep <= elementMaxRep && level >= elementMinDef {
                elements += 1
            } else if rep > maxRep {
                throw ParquetError.corrupt("column \(leaf.pathString): a list element with definition level \(level) below \(elementDef)")
            }
        }
        if slot >= 0 { offsets.append(elements) }
        return (offsets, validity)
    }
}
