import WeirPaimon

/// The options LSM compaction of a primary-key table reads (spec/paimon-semantics.md section 4, Java's
/// `CoreOptions`), parsed once.
///
/// `compaction.small-file-ratio` and `compaction.force-up-level-0` are parsed here (CoreOptions does not know
/// them yet). Tables Weir cannot compact correctly say why in ``unsupportedReason``: combinations Paimon rejects
/// too (deletion vectors with first-row or with the `full-compaction` producer, `full-compaction` with
/// first-row), and `force-lookup` with the `full-compaction` producer, which Paimon compacts with its
/// full-changelog rewriter around the lookup merge function (no lookup, so levels above 0 do not hold merged
/// values), a combination Weir does not reproduce.
public struct CompactionSettings: Sendable, Equatable {
    /// `num-levels` (default trigger + 1): levels 0 ..< numLevels, unless files already sit higher.
    public var numLevels: Int32
    /// `num-sorted-run.compaction-trigger` (default 5).
    public var trigger: Int32
    /// `num-sorted-run.stop-trigger` (default trigger + 3): a writer never leaves more sorted runs.
    public var stopTrigger: Int32
    /// `compaction.max-size-amplification-percent` (default 200).
    public var maxSizeAmplificationPercent: Int32
    /// `compaction.size-ratio` (default 1, percent).
    public var sizeRatio: Int32
    /// `target-file-size` (default 128 MiB for primary-key tables): compaction output rolls at this size.
    public var targetFileSize: Int64
    /// `target-file-size × compaction.small-file-ratio` (default 0.7): single-run files smaller than this are
    /// rewritten, bigger ones only change level.
    public var minFileSize: Int64
    /// `write-only`: writers never compact (a dedicated compaction does).
    public var writeOnly: Bool
    /// Java's `ForceUpLevel0Compaction`: when the universal pick finds nothing, all level-0 runs are compacted
    /// anyway (`compaction.force-up-level-0`, or a table that needs lookup: first-row, `force-lookup`).
    public var forceUpLevel0: Bool
    /// `merge-engine = first-row`: batch reads skip level 0 and read levels ≥ 1 without merging, so a key may
    /// live in only one level ≥ 1; a lookup compaction drops a level-0 key that a higher level already holds.
    public var firstRow: Bool
    /// Lookup compaction (Java's `LookupMergeTreeCompactRewriter` when `CoreOptions.needLookup()`, spec section
    /// 4.4): first-row, `changelog-producer = lookup`, deletion vectors or `force-lookup`. A unit with level-0
    /// files and an output level above 0 looks every key that only level-0 inputs hold up in the levels above
    /// the output (``LookupLevels``); every merge of such a table except first-row follows ``LookupMergeRule``.
    public var lookup: Bool
    /// `changelog-producer`: `lookup` and `full-compaction` make compaction write changelog files.
    public var changelogProducer: CoreOptions.ChangelogProducer
    /// `deletion-vectors.enabled`: lookup compaction marks superseded rows of higher levels in deletion vectors
    /// (merge-on-write), and every compaction to a level above 0 drops retract results.
    public var deletionVectors: Bool
    /// The variant of new deletion vectors (`deletion-vectors.bitmap64`).
    public var deletionVectorFormat: DeletionVector.Format
    /// `full-compaction.delta-commits` (no default). Weir's writes are batch writes, and for a batch write Paimon
    /// fully compacts every bucket the write touched at each commit as long as the value is greater than 0
    /// (CoreOptions' description; Spark's `needFullCompaction`, Flink's `GlobalFullCompactionSinkWrite` with the
    /// batch commit identifier): see ``fullCompactionAtEveryCommit``.
    public var fullCompactionDeltaCommits: Int32?
    /// Why Weir does not compact this table, or nil.
    public var unsupportedReason: String?

    public static let smallFileRatioKey = "compaction.small-file-ratio"
    public static let forceUpLevel0Key = "compaction.force-up-level-0"
    public static let forceLookupKey = "force-lookup"
    public static let bitmap64Key = "deletion-vectors.bitmap64"

    public init(schema: TableSchema) throws(TableError) {
        let options = schema.coreOptions
        let subject = "schema-\(schema.id)"
        let forceLookup = try Self.bool(options.options[Self.forceLookupKey], key: Self.forceLookupKey, subject: subject)
        deletionVectorFormat = try Self.bool(options.options[Self.bitmap64Key], key: Self.bitmap64Key, subject: subject) ? .bitmap64 : .bitmap32
        let forceUp = try Self.bool(options.options[Self.forceUpLevel0Key], key: Self.forceUpLevel0Key, subject: subject)
        let engine: CoreOptions.MergeEngine
        let producer: CoreOptions.ChangelogProducer
        let deletionVectors: Bool
        do {
            trigger = try options.numSortedRunCompactionTrigger()
            stopTrigger = try options.numSortedRunStopTrigger()
            numLevels = try options.numLevels()
            maxSizeAmplificationPercent = try options.maxSizeAmplificationPercent()
            sizeRatio = try options.sortedRunSizeRatio()
            targetFileSize = max(1, try options.targetFileSize(hasPrimaryKey: !schema.primaryKeys.isEmpty))
            writeOnly = try options.writeOnly()
            engine = try options.mergeEngine()
            producer = try options.changelogProducer()
            deletionVectors = try options.deletionVectorsEnabled()
            fullCompactionDeltaCommits = try options.fullCompactionDeltaCommits()
        } catch {
            throw TableError.format(error, kind: .invalidTable)
        }
        firstRow = engine == .firstRow
        changelogProducer = producer
        self.deletionVectors = deletionVectors
        lookup = firstRow || producer == .lookup || deletionVectors || forceLookup
        forceUpLevel0 = lookup || forceUp
        unsupportedReason = Self.unsupported(engine: engine, producer: producer, deletionVectors: deletionVectors, forceLookup: forceLookup)
            ?? (producer == .lookup && fullCompactionDeltaCommits != nil ? SchemaValidation.deltaCommitsWithLookupMessage : nil)
        guard numLevels >= 2 else { throw TableError(.invalidTable, subject, "num-levels = \(numLevels): at least 2 levels are needed") }
        guard trigger >= 1 else { throw TableError(.invalidTable, subject, "num-sorted-run.compaction-trigger = \(trigger): must be at least 1") }
        let ratioText = options.options[Self.smallFileRatioKey]
        var ratio = 0.7
        if let ratioText {
            guard let parsed = Double(ratioText.trimmingWhitespace), parsed >= 0, parsed.isFinite else {
                throw TableError(.invalidTable, subject, "\(Self.smallFileRatioKey) = \(ratioText.debugDescription): not a non-negative number")
            }
            ratio = parsed
        }
        minFileSize = Int64((Double(targetFileSize) * ratio).rounded(.down))
    }

    /// Why Weir does not compact a table with these options, or nil.
    static func unsupported(engine: CoreOptions.MergeEngine, producer: CoreOptions.ChangelogProducer, deletionVectors: Bool,
                            forceLookup: Bool = false) -> String? {
        if engine == .firstRow && deletionVectors {
            return "deletion-vectors.enabled = true with merge-engine = first-row: Paimon rejects this combination too"
        }
        if engine == .firstRow && producer == .fullCompaction {
            return "changelog-producer = full-compaction with merge-engine = first-row: Paimon supports only the none and lookup producers for first-row"
        }
        if deletionVectors && producer == .fullCompaction {
            return "deletion-vectors.enabled = true with changelog-producer = full-compaction: Paimon rejects this combination too (deletion vectors need the none, input or lookup producer)"
        }
        if forceLookup && producer == .fullCompaction && engine != .firstRow {
            return "force-lookup = true with changelog-producer = full-compaction: Paimon compacts such tables with the full-changelog rewriter around LookupMergeFunction, without lookups; Weir does not compact this combination"
        }
        return nil
    }

    static func bool(_ text: String?, key: String, subject: String) throws(TableError) -> Bool {
        guard let text else { return false }
        switch text.trimmingWhitespace.lowercased() {
        case "true": return true
        case "false": return false
        default: throw TableError(.invalidTable, subject, "\(key) = \(text.debugDescription): expected true or false")
        }
    }

    /// Whether a writer that compacts runs a full compaction of each bucket it wrote at prepare-commit instead of
    /// the universal pick: `full-compaction.delta-commits` > 0.
    public var fullCompactionAtEveryCommit: Bool { (fullCompactionDeltaCommits ?? 0) > 0 }

    /// The strategy of the normal (not full) pick.
    public var universal: UniversalCompaction {
        UniversalCompaction(maxSizeAmplificationPercent: maxSizeAmplificationPercent, sizeRatio: sizeRatio, trigger: trigger)
    }
}

fileprivate extension String {
    var trimmingWhitespace: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
