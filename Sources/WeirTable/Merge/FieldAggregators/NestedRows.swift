import WeirColumnar

/// Helpers shared by the nested-table functions.
enum NestedRows {
    /// The elements of an array value; none for null.
    static func elements(_ value: Value, _ aggregator: FieldAggregator) throws(TableError) -> [Value] {
        switch value {
        case .null: return []
        case .list(let elements): return elements
        default: throw aggregator.mismatch(value)
        }
    }

    /// The non-null rows of an array value, each checked to have `fieldCount` fields.
    static func rows(_ value: Value, _ fieldCount: Int, _ aggregator: FieldAggregator) throws(TableError) -> [Value] {
        var rows: [Value] = []
        for element in try elements(value, aggregator) {
            switch element {
            case .null: continue
            case .row(let fields) where fields.count == fieldCount: rows.append(element)
            default: throw aggregator.mismatch(element)
            }
        }
        return rows
    }

    /// The key fields of a checked row; nil when the key has a null and the strategy ignores such rows.
    static func key(of row: Value, _ indexes: [Int], _ strategy: NestedKeyNullStrategy, _ aggregator: FieldAggregator) throws(TableError) -> [Value]? {
        guard case .row(let fields) = row else { return nil }
        let key = indexes.map { fields[$0] }
        guard key.contains(.null) else { return key }
        switch strategy {
        case .merge: return key
        case .ignore: return nil
        case .error:
            throw TableError(.invalidInput, MergeOptions.fieldSubject(aggregator.field),
                             "Nested key contains null values. Primary key fields must not be null.")
        }
    }
}

/// Rows by nested key, in the order keys first appeared.
struct NestedTable {
    private var map = OrderedMap()
    private(set) var count = 0

    subscript(key: [Value]) -> Value? { map[.list(key)] }

    mutating func put(_ key: [Value], _ row: Value) {
        if map[.list(key)] == nil { count += 1 }
        map[.list(key)] = row
    }

    mutating func remove(_ key: [Value]) {
        if map[.list(key)] != nil { count -= 1 }
        map.remove(.list(key))
    }

    var rows: [Value] { map.entries.map(\.value) }
}
