import WeirColumnar

/// `merge_map` (`FieldMergeMapAgg`) and `merge_map_with_keytime` (`FieldMergeMapWithKeyTimeAgg`) on MAP columns.
/// Entries keep the order in which their keys first appeared (Java's hash-map order is unspecified); a key
/// appears once in every result.
///
/// - merge_map agg: one side null → the other; otherwise the accumulator's entries overwritten key by key by the
///   input's. Retract (best effort): null accumulator → null; null or empty retraction → the accumulator;
///   otherwise the accumulator without the retracted keys (their values do not matter).
/// - merge_map_with_keytime agg: null accumulator → the input as it is; null input → the accumulator; otherwise,
///   per input entry: a null value removes the key, a null timestamp skips the entry, and the entry replaces an
///   absent, null or null-timestamp entry, or one whose timestamp string is smaller (Java `String.compareTo`);
///   ties keep the stored entry. No retraction.
enum MergeMapAggregation {
    static func agg(_ acc: Value, _ input: Value, _ aggregator: FieldAggregator) throws(TableError) -> Value {
        if acc == .null || input == .null { return acc == .null ? input : acc }
        var map = OrderedMap()
        for entry in try entries(acc, aggregator) { map[entry.key] = entry.value }
        for entry in try entries(input, aggregator) { map[entry.key] = entry.value }
        return .map(map.entries)
    }

    static func retract(_ acc: Value, _ input: Value, _ aggregator: FieldAggregator) throws(TableError) -> Value {
        if acc == .null { return .null }
        let retracted = try entries(input, aggregator)
        if retracted.isEmpty { return acc }
        let keys = Set(retracted.map(\.key))
        var map = OrderedMap()
        for entry in try entries(acc, aggregator) where !keys.contains(entry.key) { map[entry.key] = entry.value }
        return .map(map.entries)
    }

    static func aggWithKeyTime(_ acc: Value, _ input: Value, timestampIndex: Int, _ aggregator: FieldAggregator) throws(TableError) -> Value {
        if acc == .null { return input }
        if input == .null { return acc }
        var map = OrderedMap()
        for entry in try entries(acc, aggregator) { map[entry.key] = entry.value }
        for entry in try entries(input, aggregator) {
            guard entry.value != .null else {
                map.remove(entry.key)
                continue
            }
            guard let incoming = try timestamp(entry.value, timestampIndex, aggregator) else { continue }
            if let existing = map[entry.key], existing != .null,
                let stored = try timestamp(existing, timestampIndex, aggregator),
                !stored.utf16.lexicographicallyPrecedes(incoming.utf16)
            {
                continue
            }
            map[entry.key] = entry.value
        }
        return .map(map.entries)
    }

    /// The timestamp string of a map value row, nil when it is null.
    private static func timestamp(_ row: Value, _ index: Int, _ aggregator: FieldAggregator) throws(TableError) -> String? {
        guard case .row(let fields) = row, index < fields.count else { throw aggregator.mismatch(row) }
        switch fields[index] {
        case .null: return nil
        case .string(let text): return text
        default: throw aggregator.mismatch(row)
        }
    }

    private static func entries(_ value: Value, _ aggregator: FieldAggregator) throws(TableError) -> [Value.MapEntry] {
        switch value {
        case .null: return []
        case .map(let entries): return entries
        default: throw aggregator.mismatch(value)
        }
    }
}
