import WeirColumnar
import WeirPaimon

/// One sorted run with the level it lives on (Java's `LevelSortedRun`): a single level-0 file, or every file
/// of one level ≥ 1 in key order.
public struct LevelSortedRun: Sendable, Equatable {
    public var level: Int32
    /// Files with disjoint key ranges, ascending by key (one file on level 0).
    public var files: [DataFileMeta]

    public init(level: Int32, files: [DataFileMeta]) {
        self.level = level
        self.files = files
    }

    /// Σ `_FILE_SIZE` of the run's files.
    public var totalSize: Int64 { files.reduce(0) { $0 + $1.fileSize } }
}

/// The files of one (partition, bucket) by LSM level (Java's `org.apache.paimon.mergetree.Levels`,
/// spec/paimon-semantics.md section 4.1).
///
/// - Level 0 holds separate files, each its own sorted run, newest first: larger `_MAX_SEQUENCE_NUMBER` first;
///   ties (several writers of one bucket) by larger `_MIN_SEQUENCE_NUMBER`, then later `_CREATION_TIME`, then
///   file name ascending, so the order is total.
/// - Each level ≥ 1 is one sorted run, its files ascending by `_MIN_KEY`.
/// - The number of levels is `num-levels`, or more when files already sit on a higher level (as Java restores).
public struct Levels: Sendable {
    public let numberOfLevels: Int32
    public private(set) var level0: [DataFileMeta] = []
    /// `higher[i]` is level `i + 1`, ascending by min key.
    private var higher: [[DataFileMeta]]
    private let keyComparator: KeyComparator?

    /// - Parameters:
    ///   - keyComparator: orders files of a level ≥ 1 by `_MIN_KEY` (nil keeps the given order, for tests and
    ///     key-less files).
    ///   - numLevels: `num-levels`; at least 2.
    public init(keyComparator: KeyComparator?, files: [DataFileMeta], numLevels: Int32) throws(TableError) {
        let highest = files.map(\.level).max() ?? -1
        guard files.allSatisfy({ $0.level >= 0 }) else {
            throw TableError(.corrupt, "levels", "a file has a negative level")
        }
        let restored = max(numLevels, highest + 1)
        guard restored > 1 else { throw TableError(.invalidTable, "levels", "the number of levels must be at least 2") }
        numberOfLevels = restored
        higher = Array(repeating: [], count: Int(restored) - 1)
        self.keyComparator = keyComparator
        try update(before: [], after: files)
    }

    public var maxLevel: Int32 { numberOfLevels - 1 }

    /// The files of level `level` ≥ 1, ascending by key.
    public func runOfLevel(_ level: Int32) -> [DataFileMeta] {
        precondition(level > 0, "level 0 is not one sorted run")
        return higher[Int(level) - 1]
    }

    /// Level-0 file count plus the number of non-empty levels ≥ 1.
    public var numberOfSortedRuns: Int { level0.count + higher.filter { !$0.isEmpty }.count }

    /// The highest non-empty level; 0 when only level 0 has files; -1 when there are none.
    public var nonEmptyHighestLevel: Int32 {
        for index in higher.indices.reversed() where !higher[index].isEmpty { return Int32(index + 1) }
        return level0.isEmpty ? -1 : 0
    }

    /// Level-0 runs newest first, then every non-empty level ≥ 1 upward: run 0 is the newest data, the last run
    /// the oldest.
    public func levelSortedRuns() -> [LevelSortedRun] {
        var runs = level0.map { LevelSortedRun(level: 0, files: [$0]) }
        for (index, files) in higher.enumerated() where !files.isEmpty {
            runs.append(LevelSortedRun(level: Int32(index + 1), files: files))
        }
        return runs
    }

    /// Every file, in sorted-run order.
    public var allFiles: [DataFileMeta] { levelSortedRuns().flatMap(\.files) }

    public var totalFileSize: Int64 { allFiles.reduce(0) { $0 + $1.fileSize } }

    /// Removes `before` and adds `after` (each file on its own `level`; a file that changed level is in both).
    /// Files are matched by (name, level).
    public mutating func update(before: [DataFileMeta], after: [DataFileMeta]) throws(TableError) {
        for file in after where file.level >= numberOfLevels {
            throw TableError(.invalidInput, file.fileName, "level \(file.level) is above the highest level \(maxLevel)")
        }
        let removed = Set(before.map { LevelFile(name: $0.fileName, level: $0.level) })
        if !removed.isEmpty {
            level0.removeAll { removed.contains(LevelFile(name: $0.fileName, level: 0)) }
            for index in higher.indices {
                higher[index].removeAll { removed.contains(LevelFile(name: $0.fileName, level: Int32(index + 1))) }
            }
        }
        var touched = Set<Int>()
        for file in after {
            if file.level == 0 {
                if !level0.contains(where: { $0.fileName == file.fileName }) { level0.append(file) }
            } else {
                let index = Int(file.level) - 1
                if !higher[index].contains(where: { $0.fileName == file.fileName }) {
                    higher[index].append(file)
                    touched.insert(index)
                }
            }
        }
        level0.sort(by: Self.newerFirst)
        for index in touched {
            higher[index] = try sortedByMinKey(higher[index])
        }
    }

    /// The level-0 order: newest first.
    static func newerFirst(_ a: DataFileMeta, _ b: DataFileMeta) -> Bool {
        if a.maxSequenceNumber != b.maxSequenceNumber { return a.maxSequenceNumber > b.maxSequenceNumber }
        if a.minSequenceNumber != b.minSequenceNumber { return a.minSequenceNumber > b.minSequenceNumber }
        let ta = a.creationTime ?? Int64.min, tb = b.creationTime ?? Int64.min
        if ta != tb { return ta > tb }
        return a.fileName < b.fileName
    }

    func sortedByMinKey(_ files: [DataFileMeta]) throws(TableError) -> [DataFileMeta] {
        guard let keyComparator, files.count > 1 else { return files }
        var keyed: [(key: [Value], file: DataFileMeta)] = []
        keyed.reserveCapacity(files.count)
        for file in files {
            keyed.append((try keyComparator.values(file.minKey, subject: "\(file.fileName) _MIN_KEY"), file))
        }
        keyed.sort { keyComparator.compare(values: $0.key, $1.key) < 0 }
        return keyed.map(\.file)
    }

    struct LevelFile: Hashable {
        var name: String
        var level: Int32
    }
}
