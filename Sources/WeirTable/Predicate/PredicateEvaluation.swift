import WeirColumnar

/// SQL's three truth values.
enum Truth: Sendable, Equatable {
    case yes, no, unknown

    static func of(_ flag: Bool) -> Truth { flag ? .yes : .no }

    var negated: Truth {
        switch self {
        case .yes: return .no
        case .no: return .yes
        case .unknown: return .unknown
        }
    }
}

extension Predicate {
    /// Whether a row passes: `value(i)` gives field `i` of the row, `types[i]` its type.
    public func test(types: [DataType], value: (Int) -> Value) -> Bool { truth(types: types, value: value) == .yes }

    func truth(types: [DataType], value: (Int) -> Value) -> Truth {
        switch self {
        case .compare(let field, let op, let literal):
            let v = value(field)
            if v == .null { return .unknown }
            let c = ValueComparison.compare(v, literal, type: types[field])
            switch op {
            case .equal: return .of(c == 0)
            case .notEqual: return .of(c != 0)
            case .less: return .of(c < 0)
            case .lessOrEqual: return .of(c <= 0)
            case .greater: return .of(c > 0)
            case .greaterOrEqual: return .of(c >= 0)
            }
        case .isNull(let field): return .of(value(field) == .null)
        case .isNotNull(let field): return .of(value(field) != .null)
        case .isIn(let field, let literals):
            let v = value(field)
            if v == .null { return .unknown }
            return .of(literals.contains { ValueComparison.compare(v, $0, type: types[field]) == 0 })
        case .and(let children):
            var result = Truth.yes
            for child in children {
                switch child.truth(types: types, value: value) {
                case .no: return .no
                case .unknown: result = .unknown
                case .yes: break
                }
            }
            return result
        case .or(let children):
            var result = Truth.no
            for child in children {
                switch child.truth(types: types, value: value) {
                case .yes: return .yes
                case .unknown: result = .unknown
                case .no: break
                }
            }
            return result
        case .not(let child): return child.truth(types: types, value: value).negated
        }
    }

    /// The rows of `batch` that pass (the batch's columns are the fields the predicate's indexes refer to).
    public func selection(_ batch: ColumnBatch) -> [Int] {
        let types = batch.columns.map(\.type)
        var selected: [Int] = []
        selected.reserveCapacity(batch.rowCount)
        for row in 0..<batch.rowCount where test(types: types, value: { batch.columns[$0].value(at: row) }) {
            selected.append(row)
        }
        return selected
    }

    /// Whether some row of a file (or partition) with these statistics may pass: false only when no row can.
    /// `min(i)`/`max(i)` are nil when unknown; `nullCount(i)` is nil when unknown. Mirrors Paimon's
    /// `LeafPredicate#test(rowCount, min, max, nullCounts)`: a field whose min or max is unknown may match.
    public func mayMatch(types: [DataType], rowCount: Int64, min: (Int) -> Value?, max: (Int) -> Value?,
                         nullCount: (Int) -> Int64?) -> Bool {
        switch self {
        case .compare(let field, let op, let literal):
            if let nulls = nullCount(field), nulls >= rowCount { return false }  // all NULL: no comparison is true
            guard let lo = min(field), let hi = max(field), lo != .null, hi != .null else { return true }
            let type = types[field]
            let cLo = ValueComparison.compare(literal, lo, type: type)  // literal vs min
            let cHi = ValueComparison.compare(literal, hi, type: type)  // literal vs max
            switch op {
            case .equal: return cLo >= 0 && cHi <= 0
            case .notEqual: return !(cLo == 0 && cHi == 0)
            case .less: return cLo > 0  // some v < literal  ⇔ min < literal
            case .lessOrEqual: return cLo >= 0
            case .greater: return cHi < 0
            case .greaterOrEqual: return cHi <= 0
            }
        case .isNull(let field):
            guard let nulls = nullCount(field) else { return true }
            return nulls > 0
        case .isNotNull(let field):
            guard let nulls = nullCount(field) else { return true }
            return nulls < rowCount
        case .isIn(let field, let literals):
            return literals.contains {
                Predicate.compare(field: field, .equal, $0).mayMatch(types: types, rowCount: rowCount, min: min, max: max, nullCount: nullCount)
            }
        case .and(let children):
            return children.allSatisfy { $0.mayMatch(types: types, rowCount: rowCount, min: min, max: max, nullCount: nullCount) }
        case .or(let children):
            return children.contains { $0.mayMatch(types: types, rowCount: rowCount, min: min, max: max, nullCount: nullCount) }
        case .not:
            return true  // stats cannot refute a negation cheaply; reading decides
        }
    }
}
