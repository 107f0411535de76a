import WeirColumnar

/// MULTISET columns are written as Java Paimon writes them: a MAP from each distinct element to its count
/// (`MAP<element NOT NULL, INT NOT NULL>`, keys in order of first occurrence). This converts a column (at any depth) to
/// that form before shredding. It works value by value through ``Value`` (multisets are rare; this is the slow path).
/// A null element is an error: Parquet map keys are REQUIRED. Reading such a file gives the MAP back.
enum MultisetConversion {
    static func mapped(_ type: DataType) -> DataType {
        switch type.kind {
        case .multiset(let element):
            return DataType(.map(key: mapped(element).nullable(false), value: DataType(.int, nullable: false)),
                            nullable: type.isNullable)
        case .array(let element): return DataType(.array(element: mapped(element)), nullable: type.isNullable)
        case .map(let key, let value): return DataType(.map(key: mapped(key), value: mapped(value)), nullable: type.isNullable)
        case .row(let fields):
            return DataType(.row(fields: fields.map { DataField(id: $0.id, name: $0.name, type: mapped($0.type), description: $0.description) }),
                            nullable: type.isNullable)
        default: return type
        }
    }

    static func toMaps(_ column: Column) throws(ParquetError) -> Column {
        switch column.values {
        case .list(let offsets, let elements):
            let converted = try toMaps(elements)
            guard case .multiset = column.type.kind else {
                return Column(type: mapped(column.type), validity: column.validity, values: .list(offsets: offsets, elements: converted))
            }
            var builder = ColumnBuilder(type: mapped(column.type))
            for row in 0..<column.count {
                if column.isNull(row) {
                    try append(&builder, .null)
                    continue
                }
                var order: [Value] = []
                var counts: [Value: Int64] = [:]
                for k in Int(offsets[row]) ..< Int(offsets[row + 1]) {
                    let element = converted.value(at: k)
                    guard element != .null else {
                        throw ParquetError.corrupt("a MULTISET holds a null element, which a Parquet map key cannot be")
                    }
                    if counts[element] == nil { order.append(element) }
                    counts[element, default: 0] += 1
                }
                guard counts.values.allSatisfy({ $0 <= Int64(Int32.max) }) else {
                    throw ParquetError.corrupt("a MULTISET element occurs more than \(Int32.max) times")
                }
                try append(&builder, .map(order.map { Value.MapEntry(key: $0, value: .integer(counts[$0]!)) }))
            }
            return builder.finish()
        case .map(let offsets, let keys, let values):
            return Column(type: mapped(column.type), validity: column.validity,
                          values: .map(offsets: offsets, keys: try toMaps(keys), values: try toMaps(values)))
        case .row(let children):
            var converted: [Column] = []
            for child in children { converted.append(try toMaps(child)) }
            return Column(type: mapped(column.type), validity: column.validity, values: .row(converted))
        default:
            return column
        }
    }

    private static func append(_ builder: inout ColumnBuilder, _ value: Value) throws(ParquetError) {
        do throws(ColumnarError) {
            try builder.append(value)
        } catch {
            throw ParquetError.corrupt("MULTISET conversion: \(error.description)")
        }
    }
}
