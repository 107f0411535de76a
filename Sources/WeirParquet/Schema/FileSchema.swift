import WeirColumnar

/// The schema of a Parquet file as this module reads it: the tree of the footer's schema elements, its leaf columns
/// with their levels, and the Paimon ``RowType`` with one ``ColumnShape`` per top-level field.
///
/// Type mapping (Parquet physical + logical or converted type → Paimon):
///
/// | Parquet | Paimon |
/// | --- | --- |
/// | BOOLEAN | BOOLEAN |
/// | INT32; INT(8/16/32, signed); INT_8/16/32 | TINYINT / SMALLINT / INT |
/// | INT32 INT(8/16/32, unsigned); UINT_8/16/32 | SMALLINT / INT / BIGINT (widened) |
/// | INT64; INT(64, signed) / INT(64, unsigned) | BIGINT / DECIMAL(20, 0) |
/// | INT32/INT64/BYTE_ARRAY/FIXED_LEN_BYTE_ARRAY + DECIMAL(p, s) | DECIMAL(p, s) |
/// | INT32 + DATE | DATE |
/// | INT32 TIME(MILLIS); INT64 TIME(MICROS / NANOS) | TIME(3) / TIME(6) / TIME(9) (values in milliseconds) |
/// | INT64 TIMESTAMP(MILLIS / MICROS / NANOS, local) | TIMESTAMP(3 / 6 / 9) |
/// | INT64 TIMESTAMP(…, adjustedToUTC); TIMESTAMP_MILLIS / _MICROS (converted only) | TIMESTAMP(p) WITH LOCAL TIME ZONE |
/// | INT96 | TIMESTAMP(9) |
/// | FLOAT / DOUBLE | FLOAT / DOUBLE |
/// | BYTE_ARRAY + STRING / UTF8 / ENUM / JSON | STRING |
/// | BYTE_ARRAY (+ BSON) | BYTES |
/// | FIXED_LEN_BYTE_ARRAY(n) (+ UUID) | BINARY(n) |
/// | group (LIST), 3-level or the legacy 2-level forms | ARRAY |
/// | group (MAP / MAP_KEY_VALUE) { repeated group { key; value } } | MAP |
/// | other group | ROW |
/// | a REPEATED field outside a LIST | ARRAY<… NOT NULL> NOT NULL |
///
/// Nullability follows OPTIONAL/REQUIRED. FLOAT16, INTERVAL, the UNKNOWN (null) type, unnamed fields and empty groups
/// are errors that name the column. Field ids come from the elements' `field_id`; fields without one get ids counting up
/// in depth-first order from 0 (from one above the highest id present when some fields have ids).
struct FileSchema: Sendable {
    var messageName: String
    var rowType: RowType
    /// One per top-level field of `rowType`.
    var shapes: [ColumnShape]
    var leaves: [LeafColumn]
    var elements: [SchemaElement]

    /// Builds the schema from the footer's flattened elements; nesting deeper than `depthMax` groups is an error.
    init(elements: [SchemaElement], depthMax: Int) throws(ParquetError) {
        guard let root = elements.first else { throw ParquetError.corrupt("the schema has no elements") }
        var index = 0
        let tree = try TreeNode.parse(elements, &index, depth: 0, depthMax: depthMax)
        guard index == elements.count else {
            throw ParquetError.corrupt("the schema has \(elements.count - index) elements beyond its tree")
        }
        guard tree.isGroup else { throw ParquetError.corrupt("the schema root '\(root.name)' is not a group") }
        var builder = Builder(nextID: (elements.compactMap(\.fieldID).max().map { Int($0) + 1 }) ?? 0)
        var fields: [DataField] = []
        var shapes: [ColumnShape] = []
        for child in tree.children {
            let id = builder.id(for: child)
            let shape = try builder.field(child, parentDef: 0, parentRep: 0, path: [])
            fields.append(DataField(id: id, name: child.element.name, type: shape.type))
            shapes.append(shape)
        }
        let rowType = RowType(fields)
        do throws(ColumnarError) {
            try rowType.validate()
        } catch {
            throw ParquetError.corrupt("schema: \(error.description)")
        }
        self.messageName = root.name
        self.rowType = rowType
        self.shapes = shapes
        self.leaves = builder.leaves
        self.elements = elements
    }

    /// A node of the schema tree.
    struct TreeNode {
        var element: SchemaElement
        var children: [TreeNode]
        var isGroup: Bool

        static func parse(_ elements: [SchemaElement], _ index: inout Int, depth: Int, depthMax: Int) throws(ParquetError) -> TreeNode {
            guard depth <= depthMax else { throw ParquetError.corrupt("the schema nests deeper than \(depthMax) levels") }
            guard index < elements.count else { throw ParquetError.corrupt("the schema ends inside a group") }
            let element = elements[index]
            index += 1
            if element.type != nil {
                return TreeNode(element: element, children: [], isGroup: false)
            }
            guard let count = element.numChildren else {
                throw ParquetError.corrupt("schema element '\(element.name)' has neither a type nor children")
            }
            guard count >= 0, Int(count) <= elements.count - index else {
                throw ParquetError.corrupt("schema element '\(element.name)' claims \(count) children, \(elements.count - index) elements follow")
            }
            guard count > 0 || depth == 0 else {
                throw ParquetError.corrupt("schema group '\(element.name)' is empty")
            }
            var children: [TreeNode] = []
            children.reserveCapacity(Int(count))
            for _ in 0..<count {
                children.append(try parse(elements, &index, depth: depth + 1, depthMax: depthMax))
            }
            return TreeNode(element: element, children: children, isGroup: true)
        }

        var repetition: Repetition? { element.repetition.flatMap(Repetition.init(rawValue:)) }

        var isList: Bool {
            element.logicalType == .list || element.convertedType == ConvertedType.list.rawValue
        }

        var isMap: Bool {
            element.logicalType == .map || element.convertedType == ConvertedType.map.rawValue
                || element.convertedType == ConvertedType.mapKeyValue.rawValue
        }
    }

    /// Walks the tree, numbering leaves and fields.
    struct Builder {
        var nextID: Int
        var leaves: [LeafColumn] = []

        mutating func id(for node: TreeNode) -> Int {
            if let id = node.element.fieldID { return Int(id) }
            defer { nextID += 1 }
            return nextID
        }

        /// A node in a field position: its repetition gives its levels; REPEATED makes it an unannotated list.
        mutating func field(_ node: TreeNode, parentDef: Int, parentRep: Int, path: [String]) throws(ParquetError) -> ColumnShape {
            let name = node.element.name
            guard !name.isEmpty else {
                throw ParquetError.corrupt("schema: an unnamed field under '\(path.joined(separator: "."))'")
            }
            guard let repetition = node.repetition else {
                throw ParquetError.corrupt("schema: field '\((path + [name]).joined(separator: "."))' has no valid repetition")
            }
            switch repetition {
            case .repeated:
                let d = parentDef + 1, r = parentRep + 1
                let element = try body(node, def: d, rep: r, nullable: false, path: path + [name])
                return .list(type: DataType(.array(element: element.type), nullable: false), def: parentDef, nullable: false,
                             elementDef: d, elementRep: r, element: element)
            case .optional:
                return try body(node, def: parentDef + 1, rep: parentRep, nullable: true, path: path + [name])
            case .required:
                return try body(node, def: parentDef, rep: parentRep, nullable: false, path: path + [name])
            }
        }

        /// The content of a node whose levels are already known.
        mutating func body(_ node: TreeNode, def: Int, rep: Int, nullable: Bool, path: [String]) throws(ParquetError) -> ColumnShape {
            let where_ = path.joined(separator: ".")
            if !node.isGroup {
                let (kind, conversion, physical) = try leafType(node.element, path: where_)
                let type = DataType(kind, nullable: nullable)
                leaves.append(LeafColumn(path: path, physical: physical, typeLength: Int(node.element.typeLength ?? 0),
                                         maxDef: def, maxRep: rep, type: type, conversion: conversion, element: node.element))
                return .leaf(leaf: leaves.count - 1, type: type, def: def, nullable: nullable)
            }
            if node.isList {
                guard node.children.count == 1, let repeated = node.children.first, repeated.repetition == .repeated else {
                    throw ParquetError.corrupt("schema: LIST '\(where_)' must have exactly one repeated child")
                }
                let d = def + 1, r = rep + 1
                let element: ColumnShape
                let twoLevel = !repeated.isGroup || repeated.children.count > 1 || repeated.element.name == "array"
                    || repeated.element.name == node.element.name + "_tuple"
                if twoLevel {
                    element = try body(repeated, def: d, rep: r, nullable: false, path: path + [repeated.element.name])
                } else {
                    element = try field(repeated.children[0], parentDef: d, parentRep: r, path: path + [repeated.element.name])
                }
                return .list(type: DataType(.array(element: element.type), nullable: nullable), def: def, nullable: nullable,
                             elementDef: d, elementRep: r, element: element)
            }
            if node.isMap {
                guard node.children.count == 1, let keyValue = node.children.first, keyValue.repetition == .repeated,
                      keyValue.isGroup, keyValue.children.count == 2 else {
                    throw ParquetError.corrupt("schema: MAP '\(where_)' must have one repeated group of a key and a value")
                }
                let d = def + 1, r = rep + 1
                let kvPath = path + [keyValue.element.name]
                let key = try field(keyValue.children[0], parentDef: d, parentRep: r, path: kvPath)
                let value = try field(keyValue.children[1], parentDef: d, parentRep: r, path: kvPath)
                return .map(type: DataType(.map(key: key.type, value: value.type), nullable: nullable), def: def,
                            nullable: nullable, elementDef: d, elementRep: r, key: key, value: value)
            }
            var fields: [DataField] = []
            var shapes: [ColumnShape] = []
            for child in node.children {
                let id = id(for: child)
                let shape = try field(child, parentDef: def, parentRep: rep, path: path)
                fields.append(DataField(id: id, name: child.element.name, type: shape.type))
                shapes.append(shape)
            }
            return .row(type: DataType(.row(fields: fields), nullable: nullable), def: def, nullable: nullable, fields: shapes)
        }
    }

    /// The Paimon type kind and conversion of a primitive element (see the table on ``FileSchema``).
    static func leafType(_ e: SchemaElement, path: String) throws(ParquetError) -> (DataType.Kind, LeafConversion, PhysicalType) {
        guard let raw = e.type, let physical = PhysicalType(rawValue: raw) else {
            throw ParquetError.corrupt("schema: column '\(path)' has unknown physical type \(e.type ?? -1)")
        }
        let converted = e.convertedType.flatMap(ConvertedType.init(rawValue:))
        func unsupported(_ what: String) -> ParquetError {
            ParquetError.corrupt("schema: column '\(path)' is \(physical) \(what), which Paimon has no type for")
        }
        func decimal(_ precision: Int32, _ scale: Int32) throws(ParquetError) -> (precision: Int, scale: Int) {
            guard (1...38).contains(precision), (0...precision).contains(scale) else {
                throw ParquetError.corrupt("schema: column '\(path)' has DECIMAL(\(precision), \(scale)), outside Paimon's 1 ≤ p ≤ 38, 0 ≤ s ≤ p")
            }
            return (Int(precision), Int(scale))
        }
        // The decimal annotation, from the logical type or the converted type with scale/precision fields.
        var decimalPS: (precision: Int, scale: Int)?
        if case .decimal(let s, let p) = e.logicalType {
            decimalPS = try decimal(p, s)
        } else if e.logicalType == nil, converted == .decimal {
            decimalPS = try decimal(e.precision ?? 0, e.scale ?? 0)
        }
        switch e.logicalType {
        case .float16?: throw unsupported("FLOAT16")
        case .null?: throw unsupported("UNKNOWN (always null)")
        case .other(let id)?: throw unsupported("with logical type #\(id)")
        case .variant?: throw unsupported("VARIANT")
        default: break
        }
        if converted == .interval { throw unsupported("INTERVAL") }

        switch physical {
        case .boolean:
            return (.boolean, .boolean, physical)
        case .int32:
            if let d = decimalPS { return (.decimal(precision: d.precision, scale: d.scale), d.precision <= 18 ? .int32ToInt64 : .int32ToInt128, physical) }
            switch e.logicalType {
            case .integer(let bits, let signed)?:
                switch (bits, signed) {
                case (8, true): return (.tinyint, .int32ToInt8, physical)
                case (16, true): return (.smallint, .int32ToInt16, physical)
                case (32, true): return (.int, .int32, physical)
                case (8, false): return (.smallint, .uint8ToInt16, physical)
                case (16, false): return (.int, .uint16ToInt32, physical)
                case (32, false): return (.bigint, .uint32ToInt64, physical)
                default: throw unsupported("with INT(\(bits), \(signed))")
                }
            case .date?: return (.date, .int32, physical)
            case .time(_, .millis)?: return (.time(precision: 3), .int32, physical)
            case nil:
                switch converted {
                case .int8?: return (.tinyint, .int32ToInt8, physical)
                case .int16?: return (.smallint, .int32ToInt16, physical)
                case .uint8?: return (.smallint, .uint8ToInt16, physical)
                case .uint16?: return (.int, .uint16ToInt32, physical)
                case .uint32?: return (.bigint, .uint32ToInt64, physical)
                case .date?: return (.date, .int32, physical)
                case .timeMillis?: return (.time(precision: 3), .int32, physical)
                case nil, .int32?: return (.int, .int32, physical)
                case let other?: throw unsupported("annotated \(other)")
                }
            case let other?: throw unsupported("annotated \(other)")
            }
        case .int64:
            if let d = decimalPS { return (.decimal(precision: d.precision, scale: d.scale), d.precision <= 18 ? .int64 : .int64ToInt128, physical) }
            switch e.logicalType {
            case .integer(64, true)?: return (.bigint, .int64, physical)
            case .integer(64, false)?: return (.decimal(precision: 20, scale: 0), .uint64ToInt128, physical)
            case .timestamp(let utc, let unit)?:
                return (utc ? .timestampLTZ(precision: unit.precision) : .timestamp(precision: unit.precision), .int64, physical)
            case .time(_, let unit)? where unit != .millis:
                return (.time(precision: unit.precision), .int64TimeToMillis(divisor: unit.perSecond / 1000), physical)
            case nil:
                switch converted {
                case nil, .int64?: return (.bigint, .int64, physical)
                case .uint64?: return (.decimal(precision: 20, scale: 0), .uint64ToInt128, physical)
                case .timestampMillis?: return (.timestampLTZ(precision: 3), .int64, physical)
                case .timestampMicros?: return (.timestampLTZ(precision: 6), .int64, physical)
                case .timeMicros?: return (.time(precision: 6), .int64TimeToMillis(divisor: 1000), physical)
                case let other?: throw unsupported("annotated \(other)")
                }
            case let other?: throw unsupported("annotated \(other)")
            }
        case .int96:
            return (.timestamp(precision: 9), .int64, physical)
        case .float:
            return (.float, .float, physical)
        case .double:
            return (.double, .double, physical)
        case .byteArray:
            if let d = decimalPS { return (.decimal(precision: d.precision, scale: d.scale), d.precision <= 18 ? .bigEndianToInt64 : .bigEndianToInt128, physical) }
            switch e.logicalType {
            case .string?, .enumeration?, .json?: return (.varchar(length: DataType.lengthMax), .bytes, physical)
            case .bson?: return (.varbinary(length: DataType.lengthMax), .bytes, physical)
            case nil:
                switch converted {
                case .utf8?, .enumeration?, .json?: return (.varchar(length: DataType.lengthMax), .bytes, physical)
                case nil, .bson?: return (.varbinary(length: DataType.lengthMax), .bytes, physical)
                case let other?: throw unsupported("annotated \(other)")
                }
            case let other?: throw unsupported("annotated \(other)")
            }
        case .fixedLenByteArray:
            guard let length = e.typeLength, length > 0 else {
                throw ParquetError.corrupt("schema: FIXED_LEN_BYTE_ARRAY column '\(path)' has no positive type_length")
            }
            if let d = decimalPS { return (.decimal(precision: d.precision, scale: d.scale), d.precision <= 18 ? .bigEndianToInt64 : .bigEndianToInt128, physical) }
            switch e.logicalType {
            case .uuid?, nil:
                if e.logicalType == nil, let converted { throw unsupported("annotated \(converted)") }
                return (.binary(length: Int(length)), .bytes, physical)
            case let other?: throw unsupported("annotated \(other)")
            }
        }
    }
}
