import WeirColumnar

/// `collect` (`FieldCollectAgg`) on ARRAY columns.
///
/// - agg: both null → null; without `distinct`, one null → the other; otherwise the accumulator's elements then
///   the input's. With `fields.<f>.distinct` each element is kept once, at its first occurrence (Java's order is
///   a hash set's for atomic element types; the elements are the same).
/// - retract (best effort): null accumulator → null; null or empty retraction → the accumulator; otherwise each
///   retracted element removes one equal element of the accumulator, earliest first.
enum CollectAggregation {
    static func agg(_ acc: Value, _ input: Value, distinct: Bool, _ aggregator: FieldAggregator) throws(TableError) -> Value {
        if acc == .null && input == .null { return .null }
        if !distinct && (acc == .null || input == .null) { return acc == .null ? input : acc }
        var elements = try self.elements(acc, aggregator)
        elements.append(contentsOf: try self.elements(input, aggregator))
        guard distinct else { return .list(elements) }
        var seen = Set<Value>()
        return .list(elements.filter { seen.insert($0).inserted })
    }

    static func retract(_ acc: Value, _ input: Value, _ aggregator: FieldAggregator) throws(TableError) -> Value {
        if acc == .null { return .null }
        let retracted = try elements(input, aggregator)
        if retracted.isEmpty { return acc }
        var pending: [Value: Int] = [:]
        for element in retracted { pending[element, default: 0] += 1 }
        var kept: [Value] = []
        for element in try elements(acc, aggregator) {
            if let count = pending[element], count > 0 {
                pending[element] = count - 1
            } else {
                kept.append(element)
            }
        }
        return .list(kept)
    }

    /// The elements of an array value; none for null.
    private static func elements(_ value: Value, _ aggregator: FieldAggregator) throws(TableError) -> [Value] {
        switch value {
        case .null: return []
        case .list(let elements): return elements
        default: throw aggregator.mismatch(value)
        }
    }
}
