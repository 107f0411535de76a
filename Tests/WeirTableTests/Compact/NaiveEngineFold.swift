import WeirColumnar
import WeirPaimon

/// The rows of the compaction tests' table (`dt, id, v STRING, n BIGINT`, key `dt, id`) for partial-update and
/// aggregation configurations, folded per key in arrival order straight from the engines' documented rules
/// (spec/paimon-semantics.md sections 2.2 and 2.3), without any of Weir's merge code:
///
/// - ``partialUpdate``: `v` and `n` take the latest non-null input; a key is present once written.
/// - ``partialUpdateSequenceGroup`` (`fields.n.sequence-group = v`): an input with `n` null leaves `v` and `n`
///   alone; otherwise, when its `n` is not smaller than the stored one (null smallest), `n` takes the input's and
///   `v` the input's value, even null, for an add, or null for a retract (`-U`/`-D`, which the caller writes only
///   for keys already written).
/// - ``sumLastValue`` (`n` sum, `v` last_value): adds add `n` (nulls skipped) and set `v` to the input's, even
///   null; retracts (`-U`/`-D`) subtract `n` (from a null sum: the negation) and set `v` to null. The row stays,
///   even after retracts only (the result kind is always INSERT).
/// - ``productLastNonNull`` (`n` product, `v` last_non_null_value): adds multiply `n` (nulls skipped) and set `v`
///   to a non-null input.
enum NaiveEngineFold: Sendable {
    case partialUpdate
    case partialUpdateSequenceGroup
    case sumLastValue
    case productLastNonNull

    /// The table options that make the engine.
    var options: [String: String] {
        switch self {
        case .partialUpdate: return ["merge-engine": "partial-update"]
        case .partialUpdateSequenceGroup: return ["merge-engine": "partial-update", "fields.n.sequence-group": "v"]
        case .sumLastValue: return ["merge-engine": "aggregation", "fields.n.aggregate-function": "sum", "fields.v.aggregate-function": "last_value"]
        case .productLastNonNull: return ["merge-engine": "aggregation", "fields.n.aggregate-function": "product"]
        }
    }

    /// The rows after `records` (arrival order), one per key.
    func rows(_ records: [(kind: RowKind, row: TestRow)]) -> [[Value]] {
        struct Acc { var v: String?; var n: Int64? }
        var order: [[Value]] = []
        var accs: [[Value]: Acc] = [:]
        for (kind, row) in records {
            let key: [Value] = [.string(row.dt), .integer(row.id)]
            var acc = accs[key] ?? { order.append(key); return Acc() }()
            switch self {
            case .partialUpdate:
                precondition(kind.isAdd, "the partial-update fold takes adds only")
                if let v = row.v { acc.v = v }
                if let n = row.n { acc.n = n }
            case .partialUpdateSequenceGroup:
                precondition(kind.isAdd || accs[key] != nil, "the sequence-group fold takes retracts of written keys only")
                if let n = row.n, acc.n == nil || n >= acc.n! {
                    acc.n = n
                    acc.v = kind.isRetract ? nil : row.v
                }
            case .sumLastValue:
                if kind.isRetract {
                    if let n = row.n { acc.n = (acc.n ?? 0) - n }
                    acc.v = nil
                } else {
                    if let n = row.n { acc.n = (acc.n ?? 0) + n }
                    acc.v = row.v
                }
            case .productLastNonNull:
                precondition(kind.isAdd, "the product fold takes adds only")
                if let n = row.n { acc.n = (acc.n ?? 1) * n }
                if let v = row.v { acc.v = v }
            }
            accs[key] = acc
        }
        return order.map { key in
            let acc = accs[key]!
            return key + [acc.v.map { .string($0) } ?? .null, acc.n.map { .integer($0) } ?? .null]
        }
    }
}
