import WeirPaimon

/// The options LSM compaction of a primary-key table reads (spec/paimon-semantics.md section 4, Java's
/// `CoreOptions`), parsed once.
///
/// `compaction.small-file-ratio` and `compaction.force-up-level-0` are parsed here (CoreOptions does not know
/// them yet). Tables Weir cannot compact correctly yet say why in ``unsupportedReason``: deletion-vector tables
/// (compaction must maintain the vectors) and the `lookup` / `full-compaction` changelog producers (compaction
/// must write changelog files).
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
    /// live in only one level ≥ 1. Java keeps that with a lookup into the higher levels while compacting; Weir
    /// has no lookup yet and turns a compaction that would leave older levels above its output into a full one.
    public var firstRow: Bool
    /// Why Weir does not compact this table, or nil.
    public var unsupportedReason: String?

    public static let smallFileRatioKey = "compaction.small-file-ratio"
    public static let forceUpLevel0Key = "compaction.force-up-level-0"
    public static let forceLookupKey = "force-lookup"

    public init(schema: TableSchema) throws(TableError) {
        let options = schema.coreOptions
        let subject = "schema-\(schema.id)"
        let forceLookup = try Self.bool(options.options[Self.forceLookupKey], key: Self.forceLookupKey, subject: subject)
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
        } catch {
            throw TableError.format(error, kind: .invalidTable)
        }
        firstRow = engine == .firstRow
        forceUpLevel0 = firstRow || forceLookup || forceUp
        if deletionVectors {
            unsupportedReason = "deletion-vectors.enabled = true: compaction would have to maintain the deletion vectors, which Weir does not do yet"
        } else if producer == .lookup || producer == .fullCompaction {
            unsupportedReason = "changelog-producer = \(producer.rawValue): compaction would have to write changelog files, which Weir does not do yet"
        } else {
            unsupportedReason = nil
        }
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

    static func bool(_ text: String?, key: String, subject: String) throws(TableError) -> Bool {
        guard let text else { return false }
        switch text.trimmingWhitespace.lowercased() {
        case "true": return true
        case "false": return false
        default: throw TableError(.invalidTable, subject, "\(key) = \(text.debugDescription): expected true or false")
        }
    }

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
