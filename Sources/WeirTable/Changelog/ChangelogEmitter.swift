import WeirColumnar
import WeirPaimon

/// The changelog records a compaction emits for one key, by the rules of Java's
/// `LookupChangelogMergeFunctionWrapper` (`changelog-producer=lookup`) and `FullChangelogMergeFunctionWrapper`
/// (`changelog-producer=full-compaction`), spec/paimon-semantics.md section 3. Pure functions: the compaction
/// finds BEFORE and computes AFTER; these only decide what to emit.
///
/// Emitted records keep the key, sequence number and value of the record they come from (BEFORE or AFTER) with
/// the kind replaced; their `level` is ``KeyValue/unknownLevel``.
public enum ChangelogEmitter {
    /// `changelog-producer.row-deduplicate` and `changelog-producer.row-deduplicate-ignore-fields`.
    public struct Options: Sendable, Equatable {
        /// Suppress a -U/+U pair whose values are equal.
        public var rowDeduplicate: Bool
        /// Indexes (in the value row) of the fields the equality check leaves out.
        public var ignoredFields: Set<Int>

        public init(rowDeduplicate: Bool = false, ignoredFields: Set<Int> = []) {
            self.rowDeduplicate = rowDeduplicate
            self.ignoredFields = ignoredFields
        }

        public static let rowDeduplicateKey = "changelog-producer.row-deduplicate"
        public static let rowDeduplicateIgnoreFieldsKey = "changelog-producer.row-deduplicate-ignore-fields"

        /// The options of a table (value rows in the schema's field order).
        public init(schema: TableSchema) throws(TableError) {
            let options = schema.coreOptions.options
            switch options[Self.rowDeduplicateKey]?.lowercased() {
            case nil, "false": rowDeduplicate = false
            case "true": rowDeduplicate = true
            case let other?:
                throw TableError(.invalidTable, "option '\(Self.rowDeduplicateKey)'", "\(other.debugDescription) is not true or false")
            }
            var ignored = Set<Int>()
            for name in (options[Self.rowDeduplicateIgnoreFieldsKey] ?? "").split(separator: ",") {
                let trimmed = String(name.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
                if trimmed.isEmpty { continue }
                guard let index = schema.fields.firstIndex(where: { $0.name == trimmed }) else {
                    throw TableError(.invalidTable, "option '\(Self.rowDeduplicateIgnoreFieldsKey)'", "no column named \(trimmed.debugDescription)")
                }
                ignored.insert(index)
            }
            ignoredFields = ignored
        }

        /// True when the values are equal outside the ignored fields.
        public func valuesEqual(_ a: [Value], _ b: [Value]) -> Bool {
            guard a.count == b.count else { return false }
            for index in a.indices where !ignoredFields.contains(index) && a[index] != b[index] { return false }
            return true
        }
    }

    /// Lookup emission for one key of a compaction (`LookupChangelogMergeFunctionWrapper.setChangelog`).
    ///
    /// - Parameters:
    ///   - before: the key's newest record from a level above 0 among the compaction's inputs, else the record a
    ///     lookup found in the levels above the output level; nil when the key is new.
    ///   - after: the merge result, with `before` fed into the merge in sequence order when it came from a lookup
    ///     (so AFTER is the full new value); nil is treated as a deletion.
    ///   - containedLevel0: whether any of the key's input records came from level 0; without one nothing changed
    ///     and nothing is emitted.
    /// - Returns: BEFORE missing or a retract and AFTER an add: `+I(after)`; BEFORE an add and AFTER a retract (or
    ///   nil): `-D(before)`; both adds: `-U(before)`, `+U(after)` unless `rowDeduplicate` and the values are equal;
    ///   otherwise nothing.
    public static func lookup(before: KeyValue?, after: KeyValue?, containedLevel0: Bool, options: Options = Options()) -> [KeyValue] {
        guard containedLevel0 else { return [] }
        return changes(before: before, after: after, options: options)
    }

    /// Full-compaction emission for one key of a compaction into the max level (`FullChangelogMergeFunctionWrapper`).
    ///
    /// - Parameters:
    ///   - topLevel: the key's record already at the max level (BEFORE), nil when none.
    ///   - merged: the merge result of all the key's records (AFTER); nil is treated as a deletion.
    ///   - recordCount: how many input records the key had. With one record there was no merge: it emits `+I` only
    ///     when that record is an add not already at the max level.
    /// - Returns: as ``lookup(before:after:containedLevel0:options:)`` with BEFORE = `topLevel`, AFTER = `merged`.
    public static func fullCompaction(topLevel: KeyValue?, merged: KeyValue?, recordCount: Int, options: Options = Options()) -> [KeyValue] {
        if recordCount <= 1 {
            guard topLevel == nil, let merged, merged.kind.isAdd else { return [] }
            return [replaced(merged, .insert)]
        }
        return changes(before: topLevel, after: merged, options: options)
    }

    static func changes(before: KeyValue?, after: KeyValue?, options: Options) -> [KeyValue] {
        guard let before, before.kind.isAdd else {
            if let after, after.kind.isAdd { return [replaced(after, .insert)] }
            return []
        }
        guard let after, after.kind.isAdd else { return [replaced(before, .delete)] }
        if options.rowDeduplicate && options.valuesEqual(before.value, after.value) { return [] }
        return [replaced(before, .updateBefore), replaced(after, .updateAfter)]
    }

    static func replaced(_ record: KeyValue, _ kind: RowKind) -> KeyValue {
        KeyValue(sequenceNumber: record.sequenceNumber, kind: kind, value: record.value, level: KeyValue.unknownLevel)
    }
}
