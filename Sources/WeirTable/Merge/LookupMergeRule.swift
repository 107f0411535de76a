import WeirPaimon

/// Which records of one key a merge of a lookup table takes (Java's `LookupMergeFunction`, which
/// `PrimaryKeyFileStoreTable` wraps around the engine's merge function whenever `CoreOptions.needLookup()`, so
/// `MergeFileSplitRead` and every compaction use it; spec/paimon-semantics.md sections 3 and 4.4).
///
/// After lookup compaction every record above level 0 is the fully merged value of its key as of its sequence
/// number ("Key invariant"), so only the newest of them, the one of the lowest level above 0 (`pickHighLevel`:
/// the first record of the smallest level), is merged, together with every record of level 0 or below (level-0
/// files, and the write buffer's records of level -1), in merge order. Merging all levels would fold the same
/// history twice: an aggregation would count a sum again, a partial-update could bring back a value a sequence
/// group retracted.
///
/// The rule applies to tables that need lookup (`changelog-producer = lookup`, `deletion-vectors.enabled = true`
/// or `force-lookup = true`) except first-row tables, which Java does not wrap (``applies(to:)``).
enum LookupMergeRule {
    /// Whether merges of `schema`'s table take only the newest record above level 0 (Java: `needLookup()` and
    /// not first-row).
    static func applies(to schema: TableSchema) throws(TableError) -> Bool {
        let options = schema.coreOptions
        let engine = try MergeOptions.read { () throws(PaimonFormatError) in try options.mergeEngine() }
        if engine == .firstRow || schema.primaryKeys.isEmpty { return false }
        let producer = try MergeOptions.read { () throws(PaimonFormatError) in try options.changelogProducer() }
        let deletionVectors = try MergeOptions.read { () throws(PaimonFormatError) in try options.deletionVectorsEnabled() }
        let forceLookup = options.options[CompactionSettings.forceLookupKey]?.lowercased() == "true"
        return producer == .lookup || deletionVectors || forceLookup
    }

    /// The position in `levels` (one key's records in merge order) of the record `pickHighLevel` chooses: the
    /// first one of the smallest level above 0; nil when every record is of level 0 or below.
    static func highLevelIndex<Levels: Collection<Int32>>(_ levels: Levels) -> Int? {
        var best: (index: Int, level: Int32)? = nil
        for (index, level) in levels.enumerated() where level > 0 {
            if best == nil || level < best!.level { best = (index, level) }
        }
        return best?.index
    }

    /// The positions in `levels` of the records the merge takes, in merge order: every record of level 0 or below
    /// and the record of ``highLevelIndex(_:)``.
    static func participants<Levels: Collection<Int32>>(_ levels: Levels) -> [Int] {
        let high = highLevelIndex(levels)
        return levels.enumerated().compactMap { index, level in level <= 0 || index == high ? index : nil }
    }
}
