import WeirColumnar

/// A filter over table rows (Java's `org.apache.paimon.predicate.Predicate`: leaf predicates on one field,
/// combined with AND, OR and NOT). Field indexes refer to the fields of the row type the predicate was built
/// for (the table schema). Literals are never `.null` and are values of the field's type.
///
/// Evaluation follows SQL three-valued logic: a comparison with a NULL field is unknown, and a row passes only
/// when the whole predicate is true.
public indirect enum Predicate: Sendable, Equatable, CustomStringConvertible {
    public enum Comparison: String, Sendable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
    }

    case compare(field: Int, Comparison, Value)
    case isNull(field: Int)
    case isNotNull(field: Int)
    case isIn(field: Int, [Value])
    case and([Predicate])
    case or([Predicate])
    case not(Predicate)

    /// The fields the predicate reads.
    public var fields: Set<Int> {
        switch self {
        case .compare(let field, _, _), .isNull(let field), .isNotNull(let field), .isIn(let field, _): return [field]
        case .and(let children), .or(let children): return children.reduce(into: []) { $0.formUnion($1.fields) }
        case .not(let child): return child.fields
        }
    }

    public var description: String {
        switch self {
        case .compare(let field, let op, let literal): return "$\(field) \(op.rawValue) \(literal)"
        case .isNull(let field): return "$\(field) IS NULL"
        case .isNotNull(let field): return "$\(field) IS NOT NULL"
        case .isIn(let field, let literals): return "$\(field) IN (\(literals.map { "\($0)" }.joined(separator: ", ")))"
        case .and(let children): return "(" + children.map(\.description).joined(separator: " AND ") + ")"
        case .or(let children): return "(" + children.map(\.description).joined(separator: " OR ") + ")"
        case .not(let child): return "NOT \(child)"
        }
    }

    /// The predicate on a projection of the row: fields renumbered by `mapping` (old index → new index); parts
    /// that read a field outside the mapping become "don't know" and are dropped from ANDs (so the result never
    /// filters more than the original). Returns nil when nothing is left to test. Used to push a row filter down
    /// to partition values.
    public func restricted(to mapping: [Int: Int]) -> Predicate? {
        switch self {
        case .compare(let field, let op, let literal): return mapping[field].map { .compare(field: $0, op, literal) }
        case .isNull(let field): return mapping[field].map { .isNull(field: $0) }
        case .isNotNull(let field): return mapping[field].map { .isNotNull(field: $0) }
        case .isIn(let field, let literals): return mapping[field].map { .isIn(field: $0, literals) }
        case .and(let children):
            let kept = children.compactMap { $0.restricted(to: mapping) }
            return kept.isEmpty ? nil : (kept.count == 1 ? kept[0] : .and(kept))
        case .or(let children):
            var kept: [Predicate] = []
            for child in children {
                guard let restricted = child.restricted(to: mapping) else { return nil }
                kept.append(restricted)
            }
            return .or(kept)
        case .not(let child):
            // NOT of a weakened predicate would filter more; only exact restrictions may be negated.
            guard child.fields.allSatisfy({ mapping[$0] != nil }), let restricted = child.restricted(to: mapping) else { return nil }
            return .not(restricted)
        }
    }
}
