import WeirColumnar
import WeirPaimon

/// Applies a table's merge function to every key group of merged blocks (Java's `SortMergeReader` with a
/// `MergeFunctionWrapper`): reads, write-buffer flushes and compactions all go through here.
///
/// Deduplicate and first-row pick one input record per key, so their output is gathered straight from the input
/// columns (no value is materialised); partial-update and aggregation build each key's row with the
/// ``MergeFunction`` from ``MergeFunctionFactory``. The pick rules mirror `DeduplicateMergeFunction` (the last
/// record, retracts skipped under ignore-delete) and `FirstRowMergeFunction` (the first add; a retract is an
/// error unless ignore-delete), and the model test checks them against the full merge functions.
///
/// `dropRetracts`: readers and compactions that output the oldest data drop results whose kind is -U/-D; a
/// write-buffer flush keeps them (older levels may still hold the key).
///
/// Tables that need lookup (``LookupMergeRule``, Java's `LookupMergeFunction`) merge only a key's records of level
/// 0 and its newest record above level 0, when the caller says which level each run of the block holds
/// (`runLevels` of ``merge(_:runLevels:)``); without levels every record takes part (a write buffer's records).
struct KeyGroupMerger {
    let factory: MergeFunctionFactory
    let dropRetracts: Bool
    let ignoreDelete: Bool
    /// Whether ``LookupMergeRule`` applies to the table.
    let lookup: Bool
    let rowType: RowType
    var function: any MergeFunction

    init(schema: TableSchema, rowType: RowType, dropRetracts: Bool) throws(TableError) {
        factory = try MergeFunctionFactory(schema: schema)
        self.dropRetracts = dropRetracts
        self.rowType = rowType
        do {
            ignoreDelete = try schema.coreOptions.ignoreDelete()
        } catch {
            throw TableError.format(error, kind: .invalidTable)
        }
        lookup = try LookupMergeRule.applies(to: schema)
        function = factory.make()
    }

    /// The records of group `g` of `block` that take part in the merge, in merge order: all of them, or with
    /// ``lookup`` and `runLevels` (the level of each run of the block) those ``LookupMergeRule`` keeps.
    func participants(_ block: MergedBlock, group g: Int, runLevels: [Int32]?) -> [Int] {
        let group = block.group(g)
        guard lookup, let runLevels else { return Array(group) }
        let levels = group.lazy.map { runLevels[Int(block.runs[$0])] }
        return LookupMergeRule.participants(levels).map { group.lowerBound + $0 }
    }

    /// The merged records of `block`, one (or none) per key group, in key order. `runLevels`: the level of each
    /// run of the merge (each run one level), for tables that need lookup.
    mutating func merge(_ block: MergedBlock, runLevels: [Int32]? = nil) throws(TableError) -> KeyValueBatch {
        if factory.picksWholeRecord {
            var picked: [Int] = []
            picked.reserveCapacity(block.groupCount)
            let firstRow = factory.engine == .firstRow
            for g in 0..<block.groupCount {
                let record: Int?
                if lookup && runLevels != nil {
                    let records = participants(block, group: g, runLevels: runLevels)
                    record = try pick(records: records, firstRow: firstRow) { block.rowKind(ofRecord: $0) }
                } else {
                    record = try pick(block, group: block.group(g), firstRow: firstRow)
                }
                guard let record else { continue }
                if dropRetracts && block.rowKind(ofRecord: record).isRetract { continue }
                picked.append(record)
            }
            return block.gather(records: picked)
        }
        var builders = rowType.fields.map { ColumnBuilder(type: $0.type) }
        var sequences: [Int64] = []
        var kinds: [RowKind] = []
        for g in 0..<block.groupCount {
            function.reset()
            if lookup && runLevels != nil {
                for record in participants(block, group: g, runLevels: runLevels) { try add(block, record) }
            } else {
                for record in block.group(g) { try add(block, record) }
            }
            guard let result = try function.result() else { continue }
            if dropRetracts && result.kind.isRetract { continue }
            for (index, value) in result.value.enumerated() {
                do { try builders[index].append(value) } catch {
                    throw TableError(.invalidInput, rowType.fields[index].name, "merge result does not fit the column: \(error)")
                }
            }
            sequences.append(result.sequenceNumber)
            kinds.append(result.kind)
        }
        return KeyValueBatch(sequenceNumbers: sequences, rowKinds: kinds,
                             values: ColumnBatch(schema: rowType, columns: builders.map { $0.finish() }))
    }

    /// Adds record `record` of `block` to the merge function.
    mutating func add(_ block: MergedBlock, _ record: Int) throws(TableError) {
        let chunk = block.chunks[Int(block.chunkIndexes[record])]
        let row = Int(block.rows[record])
        let values = chunk.batch.values.columns.map { $0.value(at: row) }
        try function.add(KeyValue(sequenceNumber: chunk.batch.sequenceNumbers[row], kind: chunk.batch.rowKinds[row], value: values))
    }

    /// The record deduplicate or first-row keeps from a group, or nil for none.
    func pick(_ block: MergedBlock, group: Range<Int>, firstRow: Bool) throws(TableError) -> Int? {
        try pick(group: group, firstRow: firstRow) { block.rowKind(ofRecord: $0) }
    }

    /// The record deduplicate or first-row keeps from the records `group` (in merge order) whose kinds `kind`
    /// gives, or nil for none.
    func pick(group: Range<Int>, firstRow: Bool, kind: (Int) -> RowKind) throws(TableError) -> Int? {
        try pick(records: group, firstRow: firstRow, kind: kind)
    }

    /// The record deduplicate or first-row keeps from `records` (in merge order), or nil for none.
    func pick<Records: BidirectionalCollection<Int>>(records group: Records, firstRow: Bool, kind: (Int) -> RowKind) throws(TableError) -> Int? {
        if firstRow {
            for record in group {
                if kind(record).isRetract {
                    if ignoreDelete { continue }
                    throw TableError(.invalidInput, "first-row merge",
                                     "a \(kind(record)) record reached the first-row merge engine; set 'ignore-delete' = 'true' to drop deletes")
                }
                return record
            }
            return nil
        }
        if ignoreDelete { return group.last { !kind($0).isRetract } }
        return group.last
    }
}
