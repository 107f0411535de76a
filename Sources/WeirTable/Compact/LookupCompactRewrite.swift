import WeirColumnar
import WeirPaimon

/// How a changelog-producing or lookup compaction rewrites (Java's `ChangelogMergeTreeRewriter` subclasses).
enum RecordwiseMode: Sendable, Equatable {
    /// `LookupMergeTreeCompactRewriter`: sections with a level-0 file going to a level above 0.
    case lookup
    /// `FullChangelogMergeTreeCompactRewriter`: sections going to the max level with `changelog-producer =
    /// full-compaction`.
    case fullChangelog
}

/// What one key of a lookup or full-changelog rewrite gives: the record written to the output level (nil: none)
/// and the changelog records.
struct KeyOutcome: Sendable, Equatable {
    var result: KeyValue?
    var changelog: [KeyValue] = []
}

/// The per-key rules of lookup and full-changelog compaction, pure (spec/paimon-semantics.md sections 2.4, 3, 4.4):
///
/// - lookup, deduplicate, partial-update and aggregation (`LookupMergeFunction` +
///   `LookupChangelogMergeFunctionWrapper`): the engine's merge function takes the records of level 0 and the
///   newest record above level 0 (``LookupMergeRule``: the one of the lowest level), which is BEFORE; without a
///   level-0 record their merge is the result and nothing is emitted. With level-0 records and no record above
///   level 0 in the unit, the record a lookup finds in the levels above the output (`found`, a fully merged value)
///   is BEFORE and is inserted among them in merge order (before the first record it precedes, Java's
///   `KeyValueBuffer.insertInto`), so partial-update and aggregation fold the new records into the old value;
///   with deletion vectors its row is marked deleted (Java's `PersistValueAndPosProcessor` for these engines).
///   AFTER is the merge; changelog per ``ChangelogEmitter/lookup(before:after:containedLevel0:options:)``.
/// - lookup, first-row (`FirstRowMergeFunctionWrapper`): the first add of the group; when the unit holds a
///   record above level 0 it is the result, without changelog; when only level-0 records and a lookup finds the
///   key above the output level, nothing is written (the key is old); otherwise the result is new and emits `+I`.
/// - full changelog: every record is merged; BEFORE is the record that was on the max level; changelog per
///   ``ChangelogEmitter/fullCompaction(topLevel:merged:recordCount:options:)``.
///
/// `records` are one key's records in merge order, each with the level of its file.
struct KeyRules {
    let factory: MergeFunctionFactory
    let ordering: RecordOrdering
    let emitter: ChangelogEmitter.Options
    /// Whether changelog records are wanted (the table's producer is `lookup` or `full-compaction`).
    let emitsChangelog: Bool
    let maxLevel: Int32

    init(schema: TableSchema, emitsChangelog: Bool, maxLevel: Int32) throws(TableError) {
        factory = try MergeFunctionFactory(schema: schema)
        ordering = try RecordOrdering(schema: schema)
        emitter = try ChangelogEmitter.Options(schema: schema)
        self.emitsChangelog = emitsChangelog
        self.maxLevel = maxLevel
    }

    func merge(_ records: [KeyValue]) throws(TableError) -> KeyValue? {
        var function = factory.make()
        function.reset()
        for record in records { try function.add(record) }
        return try function.result()
    }

    /// Whether a lookup is needed for the key: a level-0 record and no record above level 0.
    func needsLookup(_ records: [KeyValue]) -> Bool {
        records.contains { $0.level == 0 } && !records.contains { $0.level > 0 }
    }

    /// The lookup rule; `found` is the lookup's hit when ``needsLookup(_:)`` (else ignored).
    func lookup(_ records: [KeyValue], found: KeyValue?) throws(TableError) -> KeyOutcome {
        let containsLevel0 = records.contains { $0.level == 0 }
        let levels = records.map(\.level)
        let highest = LookupMergeRule.highLevelIndex(levels).map { records[$0] }
        if factory.engine == .firstRow {
            let result = try merge(records)
            if highest != nil || !containsLevel0 { return KeyOutcome(result: result) }
            if found != nil { return KeyOutcome(result: nil) }
            guard let result else { return KeyOutcome(result: nil) }
            let changelog = emitsChangelog && result.kind.isAdd ? [ChangelogEmitter.replaced(result, .insert)] : []
            return KeyOutcome(result: result, changelog: changelog)
        }
        // Only level-0 records and the newest record above level 0 take part (LookupMergeFunction).
        var inputs = LookupMergeRule.participants(levels).map { records[$0] }
        guard containsLevel0 else { return KeyOutcome(result: try merge(inputs)) }
        var before = highest
        if before == nil, let found {
            before = found
            let index = inputs.firstIndex { ordering.areInIncreasingOrder(found, $0) } ?? inputs.endIndex
            inputs.insert(found, at: index)
        }
        let after = try merge(inputs)
        let changelog = emitsChangelog ? ChangelogEmitter.lookup(before: before, after: after, containedLevel0: true, options: emitter) : []
        return KeyOutcome(result: after, changelog: changelog)
    }

    /// The full-changelog rule.
    func full(_ records: [KeyValue]) throws(TableError) -> KeyOutcome {
        let merged = try merge(records)
        let top = records.last { $0.level == maxLevel }
        let changelog = emitsChangelog
            ? ChangelogEmitter.fullCompaction(topLevel: top, merged: merged, recordCount: records.count, options: emitter) : []
        return KeyOutcome(result: merged, changelog: changelog)
    }
}

/// Rows collected one record at a time into a ``KeyValueBatch``.
struct KeyValueBatchBuilder {
    let rowType: RowType
    private var builders: [ColumnBuilder]
    private var sequences: [Int64] = []
    private var kinds: [RowKind] = []

    init(rowType: RowType) {
        self.rowType = rowType
        builders = rowType.fields.map { ColumnBuilder(type: $0.type) }
    }

    var count: Int { sequences.count }

    mutating func append(_ record: KeyValue) throws(TableError) {
        for (index, value) in record.value.enumerated() {
            do { try builders[index].append(value) } catch {
                throw TableError(.invalidInput, rowType.fields[index].name, "merge result does not fit the column: \(error)")
            }
        }
        sequences.append(record.sequenceNumber)
        kinds.append(record.kind)
    }

    /// The rows so far; the builder starts over.
    mutating func take() -> KeyValueBatch {
        let batch = KeyValueBatch(sequenceNumbers: sequences, rowKinds: kinds, values: ColumnBatch(schema: rowType, columns: builders.map { $0.finish() }))
        builders = rowType.fields.map { ColumnBuilder(type: $0.type) }
        sequences = []
        kinds = []
        return batch
    }
}

extension MergeTreeCompactTask {
    /// Whether a file upgraded to the output level must be rewritten to produce changelog or look its keys up
    /// (Java's `upgradeChangelog`): lookup compaction of a level-0 file into a level above 0; full-changelog
    /// compaction of a file into the max level.
    func rewritesOnUpgrade(_ file: DataFileMeta) -> Bool {
        if settings.lookup && unit.outputLevel > 0 && file.level == 0 { return true }
        return settings.changelogProducer == .fullCompaction && unit.outputLevel == maxLevel && file.level != maxLevel
    }

    /// The key-by-key mode `sections` are rewritten in, nil for a plain merge (Java's `rewriteChangelog`).
    func recordwiseMode(_ sections: [[[DataFileMeta]]]) -> RecordwiseMode? {
        if settings.changelogProducer == .fullCompaction && unit.outputLevel == maxLevel { return .fullChangelog }
        if settings.lookup && unit.outputLevel > 0 && sections.contains(where: { $0.contains { $0.contains { $0.level == 0 } } }) {
            return .lookup
        }
        return nil
    }

    /// Rewrites `sections` key by key: every key's records (with their levels) go through ``KeyRules``; results
    /// go to new files of the output level, changelog records to changelog files, and the positions of rows a
    /// lookup found above the output level are recorded as deletions when the table has deletion vectors.
    func rewriteRecordwise(_ sections: [[[DataFileMeta]]], mode: RecordwiseMode, _ state: inout State) async throws(TableError) {
        let emits = mode == .lookup ? settings.changelogProducer == .lookup : settings.changelogProducer == .fullCompaction
        let rules = try KeyRules(schema: schema, emitsChangelog: emits, maxLevel: maxLevel)
        let writer = try KeyValueFileWriter(io: target.table.io, directory: target.directory, schema: schema, level: unit.outputLevel,
                                            fileSource: .compact, names: target.names)
        var changelogWriter: KeyValueFileWriter? = nil
        do {
            if emits {
                changelogWriter = try KeyValueFileWriter(io: target.table.io, directory: target.directory, schema: schema,
                                                         level: unit.outputLevel, fileSource: .compact, changelog: true, names: target.names)
            }
            var deletions: [String: [Int64]] = [:]
            for section in sections {
                try await rewriteSectionRecordwise(section, mode: mode, rules: rules, writer: writer, changelogWriter: changelogWriter,
                                                   deletions: &deletions, state: &state)
            }
            let files = try await writer.close()
            state.written += files
            let changelog = try await changelogWriter?.close() ?? []
            state.written += changelog
            state.result.merge(CompactTaskResult(before: sections.flatMap { $0.flatMap { $0 } }, after: files, changelog: changelog,
                                                 deletions: deletions))
        } catch {
            await writer.abort()
            await changelogWriter?.abort()
            throw error
        }
    }

    func rewriteSectionRecordwise(_ runs: [[DataFileMeta]], mode: RecordwiseMode, rules: KeyRules, writer: KeyValueFileWriter,
                                  changelogWriter: KeyValueFileWriter?, deletions: inout [String: [Int64]],
                                  state: inout State) async throws(TableError) {
        // Each input run is cut into one run per level, so every record's level is its run's.
        let levelRuns = IntervalPartition.Section.byLevel(runs)
        let runLevels = levelRuns.map { $0[0].level }
        let (merge, readers) = try await openMerge(levelRuns, reads: &state.reads)
        let keyColumns = schema.projection(schema.trimmedPrimaryKeys)
        let rowType = schema.logicalRowType
        var output = KeyValueBatchBuilder(rowType: rowType)
        var changes = KeyValueBatchBuilder(rowType: rowType)
        do {
            while let block = try await merge.nextBlock() {
                for g in 0..<block.groupCount {
                    var records: [KeyValue] = []
                    for record in block.group(g) {
                        let chunk = block.chunks[Int(block.chunkIndexes[record])]
                        let row = Int(block.rows[record])
                        records.append(KeyValue(sequenceNumber: chunk.batch.sequenceNumbers[row], kind: chunk.batch.rowKinds[row],
                                                value: chunk.batch.values.columns.map { $0.value(at: row) },
                                                level: runLevels[Int(block.runs[record])]))
                    }
                    let outcome: KeyOutcome
                    switch mode {
                    case .fullChangelog:
                        outcome = try rules.full(records)
                    case .lookup:
                        var found: KeyValue? = nil
                        if rules.needsLookup(records) {
                            if state.lookup == nil {
                                state.lookup = LookupLevels(target: target, runs: higherLevels, vectors: vectors)
                            }
                            if let hit = try await state.lookup!.lookup(keyColumns.map { records[0].value[$0] }) {
                                found = hit.record
                                if settings.deletionVectors { deletions[hit.fileName, default: []].append(hit.position) }
                            }
                        }
                        outcome = try rules.lookup(records, found: found)
                    }
                    if let result = outcome.result, !(dropDelete && result.kind.isRetract) { try output.append(result) }
                    for change in outcome.changelog { try changes.append(change) }
                }
                if output.count > 0 { try await writer.write(output.take()) }
                if changes.count > 0 { try await changelogWriter?.write(changes.take()) }
            }
        } catch {
            for reader in readers { await reader.close() }
            throw error
        }
        for reader in readers { await reader.close() }
    }
}
