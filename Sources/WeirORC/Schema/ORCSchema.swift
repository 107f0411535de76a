import WeirColumnar

/// One node of a file's type tree: a column id, its ORC type and its children. Ids are assigned in pre-order,
/// so the subtree of a node is the contiguous id range `id...lastId`.
struct ORCTypeNode: Sendable {
    let id: Int
    let type: ORCType
    let children: [ORCTypeNode]
    let lastId: Int

    var kind: ORCTypeKind { type.kind }
    var columnIds: ClosedRange<Int> { id...lastId }
}

/// The mapping between Paimon row types and ORC schemas, as Paimon's `OrcTypeUtil` does it:
///
/// | Paimon | ORC |
/// | --- | --- |
/// | BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE | boolean, tinyint, smallint, int, bigint, float, double |
/// | DECIMAL(p, s) | decimal(p, s) |
/// | CHAR(n) / VARCHAR(n) / STRING | char(n) / varchar(n) / string |
/// | BINARY(n), VARBINARY(n), BYTES | binary |
/// | DATE | date |
/// | TIME(p) | int (milliseconds of the day) |
/// | TIMESTAMP(p) | timestamp |
/// | TIMESTAMP(p) WITH LOCAL TIME ZONE | timestamp with local time zone |
/// | ARRAY, MAP, ROW | array, map, struct |
///
/// Every type carries the attribute `paimon.id`: the field id for fields, and for array elements and map keys and
/// values the ids Paimon derives (`SpecialFields.getArrayElementFieldId` and friends). MULTISET is not written
/// (Paimon's ORC format rejects it too).
///
/// Reading maps back without knowledge of the writer's Paimon types: ORC timestamps, which hold nanoseconds,
/// become TIMESTAMP(9) / TIMESTAMP_LTZ(9), binary becomes BYTES, a decimal without precision (Hive 0.11)
/// DECIMAL(38, scale or 10); all types are nullable (ORC has no nullability). UNION, geometry and unknown
/// kinds are refused.
enum ORCSchema {
    static let fieldIdKey = "paimon.id"
    /// Deepest type tree accepted from a file.
    static let depthMax = 64

    // MARK: Paimon → ORC

    static func types(for schema: RowType) throws(ORCError) -> [ORCType] {
        var types: [ORCType] = [ORCType(kind: .struct)]
        var subtypes: [UInt32] = []
        for field in schema.fields {
            subtypes.append(UInt32(types.count))
            try append(field.type, fieldId: Int32(truncatingIfNeeded: field.id), depth: 0, context: field.name, to: &types)
            types[Int(subtypes.last!)].attributes = [(fieldIdKey, String(field.id))]
        }
        types[0].subtypes = subtypes
        types[0].fieldNames = schema.fields.map(\.name)
        return types
    }

    private static let structuredBase: Int32 = Int32.max / 4
    private static let depthLimit: Int32 = 1 << 10

    private static func append(_ type: DataType, fieldId: Int32, depth: Int32, context: String, to types: inout [ORCType]) throws(ORCError) {
        let index = types.count
        func simple(_ kind: ORCTypeKind) { types.append(ORCType(kind: kind)) }
        switch type.kind {
        case .boolean: simple(.boolean)
        case .tinyint: simple(.byte)
        case .smallint: simple(.short)
        case .int, .time: simple(.int)
        case .bigint: simple(.long)
        case .float: simple(.float)
        case .double: simple(.double)
        case .decimal(let p, let s):
            types.append(ORCType(kind: .decimal, precision: UInt32(p), scale: UInt32(s)))
        case .char(let n):
            types.append(ORCType(kind: .char, maximumLength: UInt32(clamping: n)))
        case .varchar(let n):
            if n == DataType.lengthMax { simple(.string) } else { types.append(ORCType(kind: .varchar, maximumLength: UInt32(clamping: n))) }
        case .binary, .varbinary: simple(.binary)
        case .date: simple(.date)
        case .timestamp: simple(.timestamp)
        case .timestampLTZ: simple(.timestampInstant)
        case .array(let element):
            types.append(ORCType(kind: .list, subtypes: [UInt32(index + 1)]))
            let elementId = structuredBase &+ fieldId &* depthLimit &+ (depth + 1)
            try append(element, fieldId: fieldId, depth: depth + 1, context: context + "[]", to: &types)
            types[index + 1].attributes = [(fieldIdKey, String(elementId))]
        case .map(let key, let value):
            types.append(ORCType(kind: .map, subtypes: [UInt32(index + 1)]))
            let keyId = structuredBase &- fieldId &* depthLimit &- (depth + 1)
            try append(key, fieldId: fieldId, depth: depth + 1, context: context + ".key", to: &types)
            types[index + 1].attributes = [(fieldIdKey, String(keyId))]
            let valueIndex = types.count
            types[index].subtypes.append(UInt32(valueIndex))
            let valueId = structuredBase &+ fieldId &* depthLimit &+ (depth + 1)
            try append(value, fieldId: fieldId, depth: depth + 1, context: context + ".value", to: &types)
            types[valueIndex].attributes = [(fieldIdKey, String(valueId))]
        case .row(let fields):
            types.append(ORCType(kind: .struct, fieldNames: fields.map(\.name)))
            for field in fields {
                let child = types.count
                types[index].subtypes.append(UInt32(child))
                try append(field.type, fieldId: Int32(truncatingIfNeeded: field.id), depth: 0, context: context + "." + field.name, to: &types)
                types[child].attributes = [(fieldIdKey, String(field.id))]
            }
        case .multiset:
            throw ORCError(file: "", location: "column \(context)", "MULTISET columns cannot be written to ORC")
        }
    }

    // MARK: ORC → tree

    /// Builds and checks the tree of a footer's types: type 0 is a struct, ids are in pre-order, every type is
    /// used once, each kind has the right number of children, nesting is at most ``depthMax``.
    static func tree(_ types: [ORCType]) throws(ORCError) -> ORCTypeNode {
        guard let root = types.first else { throw ORCError(file: "", location: "footer", "the file has no types") }
        guard root.kind == .struct else { throw ORCError(file: "", location: "footer", "type 0 is \(root.kind), not a struct") }
        let node = try build(types, id: 0, depth: 0)
        guard node.lastId == types.count - 1 else {
            throw ORCError(file: "", location: "footer", "types \(node.lastId + 1)...\(types.count - 1) are not part of the schema")
        }
        return node
    }

    private static func build(_ types: [ORCType], id: Int, depth: Int) throws(ORCError) -> ORCTypeNode {
        guard depth <= depthMax else { throw ORCError(file: "", location: "type \(id)", "types nested deeper than \(depthMax)") }
        let type = types[id]
        let expected: Int?
        switch type.kind {
        case .list: expected = 1
        case .map: expected = 2
        case .struct:
            expected = nil
            guard type.fieldNames.count == type.subtypes.count else {
                throw ORCError(file: "", location: "type \(id)", "struct has \(type.subtypes.count) subtypes but \(type.fieldNames.count) field names")
            }
        case .union: expected = nil
        default: expected = 0
        }
        if let expected, type.subtypes.count != expected {
            throw ORCError(file: "", location: "type \(id)", "\(type.kind) has \(type.subtypes.count) subtypes, expected \(expected)")
        }
        var children: [ORCTypeNode] = []
        var next = id + 1
        for sub in type.subtypes {
            guard Int(sub) == next, next < types.count else {
                throw ORCError(file: "", location: "type \(id)", "subtype \(sub) is not the next type in pre-order (expected \(next) of \(types.count))")
            }
            let child = try build(types, id: next, depth: depth + 1)
            children.append(child)
            next = child.lastId + 1
        }
        return ORCTypeNode(id: id, type: type, children: children, lastId: next - 1)
    }

    // MARK: ORC → Paimon

    /// The Paimon row type of a file's root struct.
    static func rowType(of root: ORCTypeNode) throws(ORCError) -> RowType {
        RowType(try fields(of: root))
    }

    static func fields(of node: ORCTypeNode) throws(ORCError) -> [DataField] {
        var fields: [DataField] = []
        for (index, child) in node.children.enumerated() {
            let id = child.type.attribute(fieldIdKey).flatMap { Int($0) } ?? index
            fields.append(DataField(id: id, name: node.type.fieldNames[index], type: try dataType(of: child)))
        }
        return fields
    }

    static func dataType(of node: ORCTypeNode) throws(ORCError) -> DataType {
        let type = node.type
        switch type.kind {
        case .boolean: return DataType(.boolean)
        case .byte: return DataType(.tinyint)
        case .short: return DataType(.smallint)
        case .int: return DataType(.int)
        case .long: return DataType(.bigint)
        case .float: return DataType(.float)
        case .double: return DataType(.double)
        case .string: return .string
        case .varchar:
            guard let n = type.maximumLength, n > 0 else { return .string }
            return DataType(.varchar(length: Int(n)))
        case .char:
            guard let n = type.maximumLength, n > 0 else { return .string }
            return DataType(.char(length: Int(n)))
        case .binary: return .bytes
        case .date: return DataType(.date)
        case .timestamp: return DataType(.timestamp(precision: 9))
        case .timestampInstant: return DataType(.timestampLTZ(precision: 9))
        case .decimal:
            let precision = Int(type.precision ?? 0)
            let scale = Int(type.scale ?? 10)
            if precision == 0 { return DataType(.decimal(precision: 38, scale: min(scale, 38))) }
            guard (1...38).contains(precision), (0...precision).contains(scale) else {
                throw ORCError(file: "", location: "type \(node.id)", "decimal(\(precision), \(scale)) is outside precision 1...38, scale 0...precision")
            }
            return DataType(.decimal(precision: precision, scale: scale))
        case .list: return DataType(.array(element: try dataType(of: node.children[0])))
        case .map: return DataType(.map(key: try dataType(of: node.children[0]), value: try dataType(of: node.children[1])))
        case .struct: return DataType(.row(fields: try fields(of: node)))
        default:
            throw ORCError(file: "", location: "type \(node.id)", "ORC \(type.kind) columns are not supported")
        }
    }

    /// ORC's schema string of a node (`struct<id:bigint,name:string>`), for inspection.
    static func describe(_ node: ORCTypeNode) -> String {
        let type = node.type
        switch type.kind {
        case .decimal: return "decimal(\(type.precision ?? 0),\(type.scale ?? 0))"
        case .char, .varchar: return "\(type.kind)(\(type.maximumLength ?? 0))"
        case .list: return "array<\(describe(node.children[0]))>"
        case .map: return "map<\(describe(node.children[0])),\(describe(node.children[1]))>"
        case .union: return "uniontype<" + node.children.map(describe).joined(separator: ",") + ">"
        case .struct:
            return "struct<" + zip(type.fieldNames, node.children).map { "\($0):\(describe($1))" }.joined(separator: ",") + ">"
        default: return type.kind.description
        }
    }
}
