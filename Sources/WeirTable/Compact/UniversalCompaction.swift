import WeirPaimon

/// Java's `UniversalCompaction` in its classic form (every release through 2.0.0; spec/paimon-semantics.md
/// section 4.2): which sorted runs of a bucket to compact, and to which level. Pure: it looks only at the
/// levels and sizes of the runs (``Levels/levelSortedRuns()``: newest first, oldest last).
///
/// `pick`, in order, with `maxLevel = numLevels - 1`:
/// 1. size amplification (only with at least `trigger` runs): when the runs before the last weigh more than
///    `maxSizeAmplificationPercent` % of the last one, all runs go to `maxLevel`;
/// 2. size ratio (only with at least `trigger` runs): ``pickForSizeRatio(maxLevel:runs:candidateCount:forcePick:)``
///    from the newest run;
/// 3. run count: with more than `trigger` runs, the `count - trigger + 1` newest runs are forced candidates;
/// 4. nothing.
///
/// Not implemented: early full compaction (`compaction.optimization-interval`, total/incremental size
/// thresholds) and off-peak hours; the later level-1 tweaks (PR #8993, #9185) are left out as the spec advises.
public struct UniversalCompaction: Sendable, Equatable {
    public var maxSizeAmplificationPercent: Int32
    public var sizeRatio: Int32
    public var trigger: Int32

    public init(maxSizeAmplificationPercent: Int32 = 200, sizeRatio: Int32 = 1, trigger: Int32 = 5) {
        self.maxSizeAmplificationPercent = maxSizeAmplificationPercent
        self.sizeRatio = sizeRatio
        self.trigger = trigger
    }

    public func pick(numLevels: Int32, runs: [LevelSortedRun]) -> CompactUnit? {
        let maxLevel = numLevels - 1
        if let unit = pickForSizeAmplification(maxLevel: maxLevel, runs: runs) { return unit }
        if let unit = pickForSizeRatio(maxLevel: maxLevel, runs: runs) { return unit }
        if runs.count > Int(trigger) {
            return pickForSizeRatio(maxLevel: maxLevel, runs: runs, candidateCount: runs.count - Int(trigger) + 1, forcePick: false)
        }
        return nil
    }

    /// Rule 1: all runs to `maxLevel` when `Σ size(runs[0..<last]) × 100 > maxSizeAmp × size(last)`.
    public func pickForSizeAmplification(maxLevel: Int32, runs: [LevelSortedRun]) -> CompactUnit? {
        guard runs.count >= Int(trigger), let earliest = runs.last else { return nil }
        let candidateSize = runs.dropLast().reduce(Int64(0)) { $0 &+ $1.totalSize }
        // Java multiplies in long arithmetic; saturate rather than trap on absurd sizes.
        let left = candidateSize.multipliedReportingOverflow(by: 100)
        let right = Int64(maxSizeAmplificationPercent).multipliedReportingOverflow(by: earliest.totalSize)
        let amplified: Bool
        switch (left.overflow, right.overflow) {
        case (false, false): amplified = left.partialValue > right.partialValue
        case (true, false): amplified = true
        case (false, true): amplified = false
        case (true, true): amplified = Double(candidateSize) * 100 > Double(maxSizeAmplificationPercent) * Double(earliest.totalSize)
        }
        return amplified ? CompactUnit.fromLevelRuns(outputLevel: maxLevel, runs: runs) : nil
    }

    /// Rule 2: with at least `trigger` runs, the size-ratio pick from the newest run alone.
    public func pickForSizeRatio(maxLevel: Int32, runs: [LevelSortedRun]) -> CompactUnit? {
        guard runs.count >= Int(trigger) else { return nil }
        return pickForSizeRatio(maxLevel: maxLevel, runs: runs, candidateCount: 1, forcePick: false)
    }

    /// Starting with the `candidateCount` newest runs, keeps adding the next run while the candidates' size ×
    /// (100 + sizeRatio) / 100 is at least the next run's size; a unit results when it was forced or holds more
    /// than one run.
    public func pickForSizeRatio(maxLevel: Int32, runs: [LevelSortedRun], candidateCount start: Int, forcePick: Bool) -> CompactUnit? {
        var candidateCount = min(max(0, start), runs.count)
        var candidateSize = runs[..<candidateCount].reduce(Int64(0)) { $0 &+ $1.totalSize }
        while candidateCount < runs.count {
            let next = runs[candidateCount]
            if Double(candidateSize) * (100.0 + Double(sizeRatio)) / 100.0 < Double(next.totalSize) { break }
            candidateSize &+= next.totalSize
            candidateCount += 1
        }
        guard forcePick || candidateCount > 1 else { return nil }
        return createUnit(runs: runs, maxLevel: maxLevel, runCount: candidateCount)
    }

    /// The unit of the `runCount` newest runs. Output level: `maxLevel` when every run is in, else one below the
    /// next run's level; never 0 — while it would be 0 the unit swallows further runs and outputs to the level of
    /// the first run ≥ 1 it takes in (or `maxLevel` once every run is in).
    public func createUnit(runs: [LevelSortedRun], maxLevel: Int32, runCount start: Int) -> CompactUnit {
        var runCount = min(max(0, start), runs.count)
        var outputLevel: Int32
        if runCount == runs.count {
            outputLevel = maxLevel
        } else {
            outputLevel = max(0, runs[runCount].level - 1)
        }
        if outputLevel == 0 {
            while runCount < runs.count {
                let next = runs[runCount]
                runCount += 1
                if next.level != 0 {
                    outputLevel = next.level
                    break
                }
            }
        }
        if runCount == runs.count { outputLevel = maxLevel }
        return CompactUnit.fromLevelRuns(outputLevel: outputLevel, runs: runs[..<runCount])
    }

    /// `ForceUpLevel0Compaction`'s fallback: every level-0 run as forced candidates.
    public func forcePickLevel0(numLevels: Int32, runs: [LevelSortedRun]) -> CompactUnit? {
        let level0 = runs.prefix { $0.level == 0 }.count
        guard level0 > 0 else { return nil }
        return pickForSizeRatio(maxLevel: numLevels - 1, runs: runs, candidateCount: level0, forcePick: true)
    }
}

/// Java's `CompactStrategy.pickFullCompaction`: every run to the max level. When only the max level has files,
/// just those with a deletion vector (`withDeletionVectors`) are rewritten, to drop their deleted rows; nothing
/// when there are none (Weir has no record-level expiry that would make rewriting other files worthwhile).
public enum FullCompaction {
    public static func pick(numLevels: Int32, runs: [LevelSortedRun], withDeletionVectors: Set<String> = []) -> CompactUnit? {
        let maxLevel = numLevels - 1
        if runs.isEmpty { return nil }
        if runs.count == 1 && runs[0].level == maxLevel {
            let files = runs[0].files.filter { withDeletionVectors.contains($0.fileName) }
            return files.isEmpty ? nil : CompactUnit(outputLevel: maxLevel, files: files)
        }
        return CompactUnit.fromLevelRuns(outputLevel: maxLevel, runs: runs)
    }
}

/// A unit to run on one bucket and whether it may drop retract results.
public struct PickedCompaction: Sendable, Equatable {
    public var unit: CompactUnit
    /// `outputLevel != 0 && outputLevel >= highest non-empty level`: the output is the oldest data of the bucket,
    /// so a key whose merged result is -D/-U can vanish (spec section 1, `MergeTreeCompactManager`).
    public var dropDelete: Bool
    public var maxLevel: Int32
}

extension CompactionSettings {
    /// The unit the manager runs on `levels` (Java's `MergeTreeCompactManager.triggerCompaction`): the full pick,
    /// or the universal pick (then ForceUpLevel0's fallback when configured) filtered by the discard rules.
    /// `withDeletionVectors` names the files that have a deletion vector (the full pick rewrites those of the max
    /// level). With deletion vectors every output above level 0 drops retract results: the rows they retract
    /// are marked deleted instead.
    public func pick(_ levels: Levels, full: Bool, withDeletionVectors: Set<String> = []) -> PickedCompaction? {
        let runs = levels.levelSortedRuns()
        let numLevels = levels.numberOfLevels
        var unit: CompactUnit?
        if full {
            unit = FullCompaction.pick(numLevels: numLevels, runs: runs, withDeletionVectors: withDeletionVectors)
        } else {
            let strategy = universal
            unit = strategy.pick(numLevels: numLevels, runs: runs)
            if unit == nil && forceUpLevel0 { unit = strategy.forcePickLevel0(numLevels: numLevels, runs: runs) }
            if let picked = unit, !picked.changesSomething { unit = nil }
        }
        guard let unit else { return nil }
        let highest = levels.nonEmptyHighestLevel
        let dropDelete = unit.outputLevel != 0 && (unit.outputLevel >= highest || deletionVectors)
        return PickedCompaction(unit: unit, dropDelete: dropDelete, maxLevel: levels.maxLevel)
    }
}
