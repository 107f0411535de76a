import WeirPaimon

/// What one compaction rewrites (Java's `CompactUnit`): the files of some sorted runs and the level the result
/// goes to.
public struct CompactUnit: Sendable, Equatable {
    public var outputLevel: Int32
    public var files: [DataFileMeta]

    public init(outputLevel: Int32, files: [DataFileMeta]) {
        self.outputLevel = outputLevel
        self.files = files
    }

    /// All files of `runs`, in run order.
    public static func fromLevelRuns(outputLevel: Int32, runs: some Collection<LevelSortedRun>) -> CompactUnit {
        CompactUnit(outputLevel: outputLevel, files: runs.flatMap(\.files))
    }

    /// The manager's discard rules for a normal pick (`MergeTreeCompactManager.triggerCompaction`): a unit with
    /// no file, or with a single file already on the output level, would change nothing.
    public var changesSomething: Bool {
        if files.isEmpty { return false }
        return files.count > 1 || files[0].level != outputLevel
    }
}
