import WeirColumnar

/// The Parquet schema this module writes for a Paimon ``RowType``: Java Paimon's mapping
/// (`ParquetSchemaConverter.convertToParquetType`, spec/paimon-format.md §10.1), field ids included.
///
/// | Paimon | Parquet |
/// | --- | --- |
/// | BOOLEAN | BOOLEAN |
/// | TINYINT / SMALLINT | INT32 + INT(8, true) / INT(16, true) (converted INT_8 / INT_16) |
/// | INT / BIGINT | INT32 / INT64 |
/// | FLOAT / DOUBLE | FLOAT / DOUBLE |
/// | DECIMAL(p ≤ 9 / ≤ 18 / > 18, s) | INT32 / INT64 / FIXED_LEN_BYTE_ARRAY(minimal bytes) + DECIMAL(p, s) |
/// | CHAR, VARCHAR | BYTE_ARRAY + STRING (UTF8) |
/// | BINARY, VARBINARY | BYTE_ARRAY |
/// | DATE | INT32 + DATE |
/// | TIME(p) | INT32 + TIME(MILLIS, adjustedToUTC) (TIME_MILLIS) |
/// | TIMESTAMP(p ≤ 3 / ≤ 6) | INT64 + TIMESTAMP(MILLIS / MICROS, not adjusted) |
/// | TIMESTAMP_LTZ(p ≤ 3 / ≤ 6) | INT64 + TIMESTAMP(MILLIS / MICROS, adjustedToUTC) (TIMESTAMP_MILLIS / _MICROS) |
/// | TIMESTAMP(p > 6), TIMESTAMP_LTZ(p > 6) | INT96 |
/// | ARRAY | `group (LIST) { repeated group list { element } }` |
/// | MAP | `group (MAP) { repeated group key_value { required key; value } }` |
/// | MULTISET | as MAP with a REQUIRED INT32 count as value |
/// | ROW | group of the fields |
///
/// OPTIONAL for nullable types, REQUIRED otherwise (map keys and multiset elements always REQUIRED). Field ids: the
/// `DataField` id for fields; array elements `536870911 + 1024·id + depth`, map keys `536870911 − 1024·id − depth`,
/// map values `536870911 + 1024·id + depth` (Java's `SpecialFields`, 32-bit wrapping arithmetic), where `id` is the
/// enclosing field's id and `depth` counts the arrays and maps from that field down.
struct WriteSchema: Sendable {
    static let messageName = "paimon_schema"
    /// The deepest nesting the writer accepts (levels are stored in bytes).
    static let levelsMax = 100

    var elements: [SchemaElement]
    var shapes: [ColumnShape]
    var leaves: [LeafColumn]

    init(_ rowType: RowType) throws(ParquetError) {
        do throws(ColumnarError) {
            try rowType.validate()
        } catch {
            throw ParquetError.corrupt("schema: \(error.description)")
        }
        var builder = Builder()
        builder.elements.append(SchemaElement(name: Self.messageName, numChildren: Int32(rowType.fields.count)))
        var shapes: [ColumnShape] = []
        for field in rowType.fields {
            shapes.append(try builder.node(name: field.name, type: field.type, fieldID: Int32(truncatingIfNeeded: field.id),
                                           enclosingID: field.id, depth: 0, parentDef: 0, parentRep: 0, path: [],
                                           forceRequired: false))
        }
        elements = builder.elements
        self.shapes = shapes
        leaves = builder.leaves
    }

    static func arrayElementID(_ id: Int, depth: Int) -> Int32 {
        (Int32.max / 4) &+ Int32(truncatingIfNeeded: id) &* 1024 &+ Int32(truncatingIfNeeded: depth)
    }

    static func mapKeyID(_ id: Int, depth: Int) -> Int32 {
        (Int32.max / 4) &- Int32(truncatingIfNeeded: id) &* 1024 &- Int32(truncatingIfNeeded: depth)
    }

    static func mapValueID(_ id: Int, depth: Int) -> Int32 { arrayElementID(id, depth: depth) }

    /// Java's `computeMinBytesForDecimalPrecision`: the fewest bytes whose signed range holds 10^precision.
    static func decimalBytes(precision: Int) -> Int {
        var bytes = 1
        while pow2(8 * bytes - 1) < pow10(precision) { bytes += 1 }
        return bytes
    }

    private static func pow2(_ n: Int) -> Double { (0..<n).reduce(1.0) { value, _ in value * 2 } }
    private static func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { value, _ in value * 10 } }

    struct Builder {
        var elements: [SchemaElement] = []
        var leaves: [LeafColumn] = []

        mutating func node(name: String, type: DataType, fieldID: Int32, enclosingID: Int, depth: Int,
                           parentDef: Int, parentRep: Int, path: [String], forceRequired: Bool) throws(ParquetError) -> ColumnShape {
            let nullable = type.isNullable && !forceRequired
            let repetition: Repetition = nullable ? .optional : .required
            let def = parentDef + (nullable ? 1 : 0)
            guard def + 1 <= WriteSchema.levelsMax else {
                throw ParquetError.corrupt("schema: \((path + [name]).joined(separator: ".")) nests deeper than \(WriteSchema.levelsMax) levels")
            }
            let path = path + [name]
            switch type.kind {
            case .array(let element):
                elements.append(SchemaElement(name: name, repetition: repetition, numChildren: 1, convertedType: .list,
                                              fieldID: fieldID, logicalType: .list))
                elements.append(SchemaElement(name: "list", repetition: .repeated, numChildren: 1))
                let elementShape = try node(name: "element", type: element,
                                            fieldID: WriteSchema.arrayElementID(enclosingID, depth: depth + 1),
                                            enclosingID: enclosingID, depth: depth + 1, parentDef: def + 1,
                                            parentRep: parentRep + 1, path: path + ["list"], forceRequired: false)
                return .list(type: type, def: def, nullable: nullable, elementDef: def + 1, elementRep: parentRep + 1,
                             element: elementShape)
            case .map(let keyType, let valueType):
                return try map(name: name, type: type, keyType: keyType, valueType: valueType, fieldID: fieldID,
                               enclosingID: enclosingID, depth: depth, def: def, nullable: nullable,
                               repetition: repetition, parentRep: parentRep, path: path)
            case .multiset(let elementType):
                // Written as MAP<element NOT NULL, INT NOT NULL>; the writer turns the column into that map first.
                let mapType = DataType(.map(key: elementType.nullable(false), value: DataType(.int, nullable: false)),
                                       nullable: type.isNullable)
                return try map(name: name, type: mapType, keyType: elementType, valueType: DataType(.int, nullable: false),
                               fieldID: fieldID, enclosingID: enclosingID, depth: depth, def: def, nullable: nullable,
                               repetition: repetition, parentRep: parentRep, path: path)
            case .row(let fields):
                elements.append(SchemaElement(name: name, repetition: repetition, numChildren: Int32(fields.count),
                                              fieldID: fieldID))
                var shapes: [ColumnShape] = []
                for field in fields {
                    shapes.append(try node(name: field.name, type: field.type, fieldID: Int32(truncatingIfNeeded: field.id),
                                           enclosingID: field.id, depth: 0, parentDef: def, parentRep: parentRep,
                                           path: path, forceRequired: false))
                }
                return .row(type: type, def: def, nullable: nullable, fields: shapes)
            default:
                let (element, physical, typeLength, conversion) = try Self.primitive(name: name, type: type,
                                                                                   repetition: repetition, fieldID: fieldID)
                elements.append(element)
                let leafType = type.nullable(nullable)
                leaves.append(LeafColumn(path: path, physical: physical, typeLength: typeLength, maxDef: def,
                                         maxRep: parentRep, type: leafType, conversion: conversion, element: element))
                return .leaf(leaf: leaves.count - 1, type: leafType, def: def, nullable: nullable)
            }
        }

        mutating func map(name: String, type: DataType, keyType: DataType, valueType: DataType, fieldID: Int32,
                          enclosingID: Int, depth: Int, def: Int, nullable: Bool, repetition: Repetition,
                          parentRep: Int, path: [String]) throws(ParquetError) -> ColumnShape {
            elements.append(SchemaElement(name: name, repetition: repetition, numChildren: 1, convertedType: .map,
                                          fieldID: fieldID, logicalType: .map))
            elements.append(SchemaElement(name: "key_value", repetition: .repeated, numChildren: 2))
            let key = try node(name: "key", type: keyType, fieldID: WriteSchema.mapKeyID(enclosingID, depth: depth + 1),
                               enclosingID: enclosingID, depth: depth + 1, parentDef: def + 1, parentRep: parentRep + 1,
                               path: path + ["key_value"], forceRequired: true)
            let value = try node(name: "value", type: valueType,
                                 fieldID: WriteSchema.mapValueID(enclosingID, depth: depth + 1),
                                 enclosingID: enclosingID, depth: depth + 1, parentDef: def + 1,
                                 parentRep: parentRep + 1, path: path + ["key_value"], forceRequired: false)
            let mapType = DataType(.map(key: key.type, value: value.type), nullable: type.isNullable)
            return .map(type: type.kind == mapType.kind ? type : mapType, def: def, nullable: nullable,
                        elementDef: def + 1, elementRep: parentRep + 1, key: key, value: value)
        }

        static func primitive(name: String, type: DataType, repetition: Repetition, fieldID: Int32)
            throws(ParquetError) -> (SchemaElement, PhysicalType, Int, LeafConversion) {
            func element(_ physical: PhysicalType, _ converted: ConvertedType? = nil, _ logical: LogicalType? = nil,
                         length: Int32? = nil, scale: Int32? = nil, precision: Int32? = nil) -> SchemaElement {
                SchemaElement(name: name, type: physical, typeLength: length, repetition: repetition,
                              convertedType: converted, scale: scale, precision: precision, fieldID: fieldID,
                              logicalType: logical)
            }
            switch type.kind {
            case .boolean: return (element(.boolean), .boolean, 0, .boolean)
            case .tinyint:
                return (element(.int32, .int8, .integer(bitWidth: 8, signed: true)), .int32, 0, .int32ToInt8)
            case .smallint:
                return (element(.int32, .int16, .integer(bitWidth: 16, signed: true)), .int32, 0, .int32ToInt16)
            case .int: return (element(.int32), .int32, 0, .int32)
            case .bigint: return (element(.int64), .int64, 0, .int64)
            case .float: return (element(.float), .float, 0, .float)
            case .double: return (element(.double), .double, 0, .double)
            case .decimal(let p, let s):
                let logical = LogicalType.decimal(scale: Int32(s), precision: Int32(p))
                if p <= 9 {
                    return (element(.int32, .decimal, logical, scale: Int32(s), precision: Int32(p)), .int32, 0, .int32ToInt64)
                } else if p <= 18 {
                    return (element(.int64, .decimal, logical, scale: Int32(s), precision: Int32(p)), .int64, 0, .int64)
                } else {
                    let bytes = WriteSchema.decimalBytes(precision: p)
                    return (element(.fixedLenByteArray, .decimal, logical, length: Int32(bytes), scale: Int32(s), precision: Int32(p)),
                            .fixedLenByteArray, bytes, .bigEndianToInt128)
                }
            case .char, .varchar: return (element(.byteArray, .utf8, .string), .byteArray, 0, .bytes)
            case .binary, .varbinary: return (element(.byteArray), .byteArray, 0, .bytes)
            case .date: return (element(.int32, .date, .date), .int32, 0, .int32)
            case .time: return (element(.int32, .timeMillis, .time(adjustedToUTC: true, unit: .millis)), .int32, 0, .int32)
            case .timestamp(let p), .timestampLTZ(let p):
                var utc = false
                if case .timestampLTZ = type.kind { utc = true }
                if p > 6 { return (element(.int96), .int96, 0, .int64) }
                let unit: TimeUnit = p <= 3 ? .millis : .micros
                let converted: ConvertedType? = utc ? (p <= 3 ? .timestampMillis : .timestampMicros) : nil
                return (element(.int64, converted, .timestamp(adjustedToUTC: utc, unit: unit)), .int64, 0, .int64)
            case .array, .multiset, .map, .row:
                throw ParquetError.corrupt("internal: \(type) is not a primitive type")
            }
        }
    }
}
