import WeirColumnar
import WeirPaimon

/// The `partial-update` engine, mirroring `PartialUpdateMergeFunction` (spec section 2.2).
///
/// - Plain mode (no sequence groups): every non-null input field overwrites the row; a null for a NOT NULL column
///   is "Field i can not be null".
/// - Sequence groups: fields are visited in index order. A group whose sequence fields are all null in the input
///   is skipped. If the input's group sequence is ≥ the row's (nulls smallest), the sequence fields are copied as
///   a block and protected fields are overwritten, even with null, or aggregated with `agg(acc, in)`; if it is
///   older, only aggregated fields change, with `aggReversed`. Fields in no group use their aggregator, else
///   non-null overwrite.
/// - Retracts: the first record of a round, when it is a retract, initialises the row with its values (NOT NULL
///   checked). Then `ignore-delete` skips it; with sequence groups it retracts column-wise (sequence fields take
///   the input's values, protected fields become null or `agg.retract(acc, in)`, a `-D` of a group named by
///   `partial-update.remove-record-on-sequence-group` resets the row to the record and deletes it; for an older
///   group sequence only aggregated fields retract); with `partial-update.remove-record-on-delete` a `-D` resets
///   the row to the record and deletes it while a `-U` changes nothing; otherwise it is an `.invalidInput` error.
/// - Result: the row with the last non-skipped record's sequence number (0 if none) and level
///   ``KeyValue/unknownLevel``; DELETE when the last record deleted the row or no add record came (`meetInsert`),
///   else INSERT; nil when no record came since `reset()`.
public struct PartialUpdateMergeFunction: MergeFunction {
    private let configuration: PartialUpdateConfiguration
    private var aggregators: [FieldAggregator?]
    private var row: [Value]
    private var processed: [Bool]
    private var latestSequenceNumber: Int64 = 0
    private var currentDeleteRow = false
    private var meetInsert = false
    private var notNullColumnFilled = false
    private var sawRecord = false

    /// The function for `schema`, validating its partial-update options (see ``PartialUpdateConfiguration``).
    public init(schema: TableSchema) throws(TableError) {
        configuration = try PartialUpdateConfiguration(schema: schema)
        aggregators = configuration.aggregators
        row = Array(repeating: .null, count: configuration.fieldCount)
        processed = Array(repeating: false, count: configuration.fieldCount)
    }

    public mutating func reset() {
        for i in row.indices { row[i] = .null }
        for i in aggregators.indices { aggregators[i]?.reset() }
        latestSequenceNumber = 0
        currentDeleteRow = false
        meetInsert = false
        notNullColumnFilled = false
        sawRecord = false
    }

    public mutating func add(_ record: KeyValue) throws(TableError) {
        try MergeRow.checkWidth(record, configuration.fieldCount)
        sawRecord = true
        currentDeleteRow = false
        if record.kind.isRetract {
            if !notNullColumnFilled {
                row = try MergeRow.initialRow(record.value, nullables: configuration.nullables)
                notNullColumnFilled = true
            }
            if configuration.ignoresDelete { return }
            latestSequenceNumber = record.sequenceNumber
            if !configuration.groups.isEmpty {
                try retractWithSequenceGroups(record)
                return
            }
            if configuration.removesRecordOnDelete {
                if record.kind == .delete {
                    currentDeleteRow = true
                    row = try MergeRow.initialRow(record.value, nullables: configuration.nullables)
                }
                return
            }
            throw TableError(
                .invalidInput, "partial-update merge engine",
                [
                    "By default, Partial update can not accept delete records, you can choose one of the following solutions:",
                    "1. Configure 'ignore-delete' to ignore delete records.",
                    "2. Configure 'partial-update.remove-record-on-delete' to remove the whole row when receiving delete records.",
                    "3. Configure 'sequence-group's to retract partial columns. Also configure 'partial-update.remove-record-on-sequence-group' "
                        + "to remove the whole row when receiving deleted records of `specified sequence group`.",
                ].joined(separator: "\n"))
        }
        latestSequenceNumber = record.sequenceNumber
        if configuration.groups.isEmpty {
            try updateNonNullFields(record.value)
        } else {
            try updateWithSequenceGroups(record.value)
        }
        meetInsert = true
        notNullColumnFilled = true
    }

    public func result() throws(TableError) -> KeyValue? {
        guard sawRecord else { return nil }
        return KeyValue(sequenceNumber: latestSequenceNumber, kind: currentDeleteRow || !meetInsert ? .delete : .insert,
                        value: row, level: KeyValue.unknownLevel)
    }

    // MARK: adds

    private mutating func updateNonNullFields(_ input: [Value]) throws(TableError) {
        for i in input.indices {
            if input[i] != .null {
                row[i] = input[i]
            } else if !configuration.nullables[i] {
                throw MergeRow.notNull(i)
            }
        }
    }

    private mutating func updateWithSequenceGroups(_ input: [Value]) throws(TableError) {
        for i in processed.indices { processed[i] = false }
        for i in input.indices {
            guard let group = configuration.groupOfField[i] else {
                if aggregators[i] != nil {
                    row[i] = try aggregators[i]!.agg(row[i], input[i])
                } else if input[i] != .null {
                    row[i] = input[i]
                }
                continue
            }
            if processed[i] || skipsEmptyGroup(group, input) { continue }
            let sequence = configuration.groups[group]
            if sequence.compare(input, row) >= 0 {
                if configuration.isSequenceField(i, of: group) {
                    for f in sequence.sequenceFields {
                        row[f] = input[f]
                        processed[f] = true
                    }
                    continue
                }
                row[i] = aggregators[i] == nil ? input[i] : try aggregators[i]!.agg(row[i], input[i])
            } else if aggregators[i] != nil {
                row[i] = try aggregators[i]!.aggReversed(row[i], input[i])
            }
        }
    }

    /// `isEmptySequenceGroup`: true (and the group's sequence fields marked processed) when all of them are null.
    private mutating func skipsEmptyGroup(_ group: Int, _ input: [Value]) -> Bool {
        let sequence = configuration.groups[group]
        guard sequence.isEmpty(in: input) else { return false }
        for f in sequence.sequenceFields { processed[f] = true }
        return true
    }

    // MARK: retracts

    private mutating func retractWithSequenceGroups(_ record: KeyValue) throws(TableError) {
        let input = record.value
        for i in processed.indices { processed[i] = false }
        for i in input.indices {
            guard let group = configuration.groupOfField[i] else { continue }
            if processed[i] || skipsEmptyGroup(group, input) { continue }
            let sequence = configuration.groups[group]
            if sequence.compare(input, row) >= 0 {
                if configuration.isSequenceField(i, of: group) {
                    for f in sequence.sequenceFields {
                        if record.kind == .delete && configuration.wholeRowDeleteFields.contains(f) {
                            currentDeleteRow = true
                            row = try MergeRow.initialRow(input, nullables: configuration.nullables)
                            return
                        }
                        row[f] = input[f]
                        processed[f] = true
                    }
                } else {
                    row[i] = aggregators[i] == nil ? .null : try aggregators[i]!.retract(row[i], input[i])
                }
            } else if let aggregator = aggregators[i] {
                row[i] = try aggregator.retract(row[i], input[i])
            }
        }
    }
}
