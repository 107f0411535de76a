import WeirColumnar

/// How one Paimon column (or a part of one) is laid out in Parquet leaf columns and levels; the reader assembles
/// columns from levels along it and the writer shreds columns into levels along it.
///
/// Levels: `def` is the definition level at which this node is present (the number of OPTIONAL or REPEATED Parquet
/// nodes from the root down to it, itself included); a node is null where the level is below `def` and `nullable`
/// (its Parquet node is OPTIONAL). For lists and maps, `elementDef`/`elementRep` are the levels of the REPEATED node:
/// an entry with definition level ≥ `elementDef` is an element, and repetition level `elementRep` starts a further
/// element of the same list.
indirect enum ColumnShape: Sendable {
    case leaf(leaf: Int, type: DataType, def: Int, nullable: Bool)
    case row(type: DataType, def: Int, nullable: Bool, fields: [ColumnShape])
    case list(type: DataType, def: Int, nullable: Bool, elementDef: Int, elementRep: Int, element: ColumnShape)
    case map(type: DataType, def: Int, nullable: Bool, elementDef: Int, elementRep: Int, key: ColumnShape, value: ColumnShape)

    var type: DataType {
        switch self {
        case .leaf(_, let t, _, _), .row(let t, _, _, _), .list(let t, _, _, _, _, _), .map(let t, _, _, _, _, _, _): t
        }
    }

    var def: Int {
        switch self {
        case .leaf(_, _, let d, _), .row(_, let d, _, _), .list(_, let d, _, _, _, _), .map(_, let d, _, _, _, _, _): d
        }
    }

    var nullable: Bool {
        switch self {
        case .leaf(_, _, _, let n), .row(_, _, let n, _), .list(_, _, let n, _, _, _), .map(_, _, let n, _, _, _, _): n
        }
    }

    /// The first leaf column under this node (its levels describe every node above it).
    var firstLeaf: Int {
        switch self {
        case .leaf(let leaf, _, _, _): leaf
        case .row(_, _, _, let fields): fields[0].firstLeaf
        case .list(_, _, _, _, _, let element): element.firstLeaf
        case .map(_, _, _, _, _, let key, _): key.firstLeaf
        }
    }

    /// How many leaf columns are under this node (they are numbered consecutively from ``firstLeaf``: both schemas
    /// number leaves depth-first).
    var leafCount: Int {
        switch self {
        case .leaf: 1
        case .row(_, _, _, let fields): fields.reduce(0) { $0 + $1.leafCount }
        case .list(_, _, _, _, _, let element): element.leafCount
        case .map(_, _, _, _, _, let key, let value): key.leafCount + value.leafCount
        }
    }

    /// Every leaf column under this node, in schema order.
    var leaves: [Int] {
        switch self {
        case .leaf(let leaf, _, _, _): [leaf]
        case .row(_, _, _, let fields): fields.flatMap(\.leaves)
        case .list(_, _, _, _, _, let element): element.leaves
        case .map(_, _, _, _, _, let key, let value): key.leaves + value.leaves
        }
    }
}

/// One leaf (primitive) column of a Parquet schema: where it is, how it is stored, and what Paimon values it holds.
struct LeafColumn: Sendable {
    /// Names from the top-level field down to the leaf (`path_in_schema`).
    var path: [String]
    var physical: PhysicalType
    /// Bytes per value for FIXED_LEN_BYTE_ARRAY, else 0.
    var typeLength: Int
    var maxDef: Int
    var maxRep: Int
    /// The Paimon type of the values (nullability as the leaf's own repetition).
    var type: DataType
    /// How physical values become (reader) or come from (writer) the Paimon storage of `type`.
    var conversion: LeafConversion
    /// The schema element as written in the footer (annotations for inspection).
    var element: SchemaElement

    var pathString: String { path.joined(separator: ".") }
}

/// The conversion between a leaf's physical values and the ``ColumnValues`` storage of its Paimon type.
enum LeafConversion: Sendable, Equatable {
    case boolean
    /// INT32 to `.int8`/`.int16` (range checked), or as is.
    case int32ToInt8, int32ToInt16, int32
    /// Unsigned INT32 annotations widened: UINT_8 to `.int16`, UINT_16 to `.int32`, UINT_32 to `.int64`.
    case uint8ToInt16, uint16ToInt32, uint32ToInt64
    /// INT32 decimal to `.int64` or `.int128`.
    case int32ToInt64, int32ToInt128
    /// INT64 as is (BIGINT, DECIMAL p ≤ 18, TIMESTAMP in the column's unit, INT96 as nanoseconds).
    case int64
    /// INT64 decimal to `.int128`; UINT_64 to `.int128`.
    case int64ToInt128, uint64ToInt128
    /// INT64 TIME in micro- or nanoseconds to `.int32` milliseconds (divide by `divisor`).
    case int64TimeToMillis(divisor: Int64)
    case float, double
    /// BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY as byte strings.
    case bytes
    /// Big-endian two's complement decimal (BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY) to `.int64` or `.int128`.
    case bigEndianToInt64, bigEndianToInt128
}
