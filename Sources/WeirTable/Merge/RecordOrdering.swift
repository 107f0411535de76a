import WeirColumnar
import WeirPaimon

/// The merge order of one key's records (spec section 1), mirroring the comparator of
/// `SortMergeReaderWithMinHeap` without the key part: records are fed to a ``MergeFunction`` in ascending order of
/// 1. the `sequence.field` values, compared left to right; a null is smaller than any value in both sort orders
///    (the generated comparator has `nullIsLast = false`), and `sequence.field.sort-order = descending` reverses
///    only the comparison of two non-null values;
/// 2. the system sequence number;
/// 3. the retract (`-U`/`-D`) before the add (`+I`/`+U`).
///
/// Validation (Java's `SchemaValidation.validateSequenceField`): every sequence field exists, none is listed twice,
/// none is a composite type, and the sort order parses; failures are `.invalidTable`.
public struct RecordOrdering: Sendable {
    public let userSequenceFieldIndexes: [Int]
    /// False for `sequence.field.sort-order = descending`.
    public let isAscending: Bool
    private let types: [DataType]

    public init(schema: TableSchema) throws(TableError) {
        let options = schema.coreOptions
        let names = options.sequenceField()
        var indexes: [Int] = []
        for name in names {
            guard let index = schema.fields.firstIndex(where: { $0.name == name }) else {
                throw TableError(.invalidTable, "option 'sequence.field'", "Sequence field: '\(name)' can not be found in table schema.")
            }
            guard !indexes.contains(index) else {
                throw TableError(.invalidTable, "option 'sequence.field'", "Sequence field '\(name)' is defined repeatedly.")
            }
            guard ValueComparison.isComparable(schema.fields[index].type) else {
                throw TableError(.invalidTable, "option 'sequence.field'",
                                 "Sequence field '\(name)' of type \(schema.fields[index].type) cannot be ordered.")
            }
            indexes.append(index)
        }
        userSequenceFieldIndexes = indexes
        types = indexes.map { schema.fields[$0].type }
        isAscending = try MergeOptions.read { () throws(PaimonFormatError) in try options.sequenceFieldSortOrder() } == .ascending
    }

    /// The user sequence part alone: negative, zero or positive as `a`'s sequence fields order before, with or
    /// after `b`'s.
    public func compareUserSequence(_ a: KeyValue, _ b: KeyValue) -> Int {
        for (i, index) in userSequenceFieldIndexes.enumerated() {
            let x = a.value[index], y = b.value[index]
            switch (x == .null, y == .null) {
            case (true, true): continue
            case (true, false): return -1
            case (false, true): return 1
            case (false, false):
                let c = ValueComparison.compare(x, y, type: types[i])
                if c != 0 { return isAscending ? c : -c }
            }
        }
        return 0
    }

    /// True when `a` is merged before `b`.
    public func areInIncreasingOrder(_ a: KeyValue, _ b: KeyValue) -> Bool {
        let user = compareUserSequence(a, b)
        if user != 0 { return user < 0 }
        if a.sequenceNumber != b.sequenceNumber { return a.sequenceNumber < b.sequenceNumber }
        return a.kind.isRetract && b.kind.isAdd
    }
}
