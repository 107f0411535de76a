import WeirColumnar

/// A predicate on top-level atomic columns that decides from column-chunk statistics whether a row group may hold
/// matching rows (``ParquetFileReader/rowGroups(matching:)``). It never rules out a row group that could match: missing
/// statistics, bounds this module does not trust, and values that have no exact bound in the column's type all mean
/// "may match". Values are given as ``Value`` in the column's terms (TIMESTAMP in the unit of its precision).
public indirect enum ParquetRowGroupFilter: Sendable, Equatable {
    /// Some row has `column = value`.
    case equals(String, Value)
    /// Some row has `column < value`.
    case less(String, Value)
    /// Some row has `column <= value`.
    case lessOrEqual(String, Value)
    /// Some row has `column > value`.
    case greater(String, Value)
    /// Some row has `column >= value`.
    case greaterOrEqual(String, Value)
    /// Some row has `low <= column <= high`.
    case between(String, Value, Value)
    /// Some row has a null in `column`.
    case isNull(String)
    /// Some row has a non-null value in `column`.
    case isNotNull(String)
    /// Every part may match.
    case and([ParquetRowGroupFilter])
    /// Some part may match.
    case or([ParquetRowGroupFilter])

    /// Whether row group `index` of `footer` may hold a matching row. Unknown or nested columns and values of the
    /// wrong kind are errors.
    func mayMatch(rowGroup index: Int, footer: ParquetFooter) throws(ParquetError) -> Bool {
        switch self {
        case .and(let parts):
            for part in parts where try !part.mayMatch(rowGroup: index, footer: footer) { return false }
            return true
        case .or(let parts):
            for part in parts where try part.mayMatch(rowGroup: index, footer: footer) { return true }
            return parts.isEmpty
        default:
            break
        }
        let (column, leaf, stats, rows) = try statistics(rowGroup: index, footer: footer)
        switch self {
        case .isNull:
            guard let nulls = stats.nullCount else { return true }
            return nulls > 0
        case .isNotNull:
            guard let nulls = stats.nullCount else { return true }
            return nulls < rows
        default:
            break
        }
        // Every row null: no comparison can hold.
        if let nulls = stats.nullCount, nulls >= rows { return false }
        guard let lo = stats.min, let hi = stats.max else { return true }
        func bound(_ value: Value) throws(ParquetError) -> StatBound? {
            try StatisticsDecoding.bound(of: value, type: leaf.type, column: column)
        }
        func cmp(_ a: StatBound, _ b: StatBound) -> Int? { a.compare(b) }
        switch self {
        case .equals(_, let value):
            guard let v = try bound(value), let c1 = cmp(v, lo), let c2 = cmp(v, hi) else { return true }
            return c1 >= 0 && c2 <= 0
        case .less(_, let value):
            guard let v = try bound(value), let c = cmp(lo, v) else { return true }
            return c < 0
        case .lessOrEqual(_, let value):
            guard let v = try bound(value), let c = cmp(lo, v) else { return true }
            return c <= 0
        case .greater(_, let value):
            guard let v = try bound(value), let c = cmp(hi, v) else { return true }
            return c > 0
        case .greaterOrEqual(_, let value):
            guard let v = try bound(value), let c = cmp(hi, v) else { return true }
            return c >= 0
        case .between(_, let low, let high):
            let l = try bound(low), h = try bound(high)
            if let l, let c = cmp(hi, l), c < 0 { return false }
            if let h, let c = cmp(lo, h), c > 0 { return false }
            return true
        default:
            return true
        }
    }

    private var columnName: String {
        switch self {
        case .equals(let c, _), .less(let c, _), .lessOrEqual(let c, _), .greater(let c, _), .greaterOrEqual(let c, _),
             .between(let c, _, _), .isNull(let c), .isNotNull(let c):
            return c
        case .and, .or:
            return ""
        }
    }

    private func statistics(rowGroup index: Int, footer: ParquetFooter) throws(ParquetError)
        -> (String, LeafColumn, ChunkStatistics, Int64) {
        let column = columnName
        guard let field = footer.schema.rowType.index(of: column) else {
            throw ParquetError(file: "", location: "filter", "no column named \(column)")
        }
        guard case .leaf(let leafIndex, _, _, _) = footer.schema.shapes[field] else {
            throw ParquetError(file: "", location: "filter", "column \(column) is not atomic")
        }
        let leaf = footer.schema.leaves[leafIndex]
        let group = footer.metadata.rowGroups[index]
        let stats = StatisticsDecoding.decode(group.columns[leafIndex].metaData?.statistics, leaf: leaf)
        return (column, leaf, stats, group.numRows)
    }
}
