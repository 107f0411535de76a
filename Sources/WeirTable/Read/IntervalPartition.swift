import WeirColumnar
import WeirPaimon

/// Java's `org.apache.paimon.mergetree.compact.IntervalPartition`: cuts the files of one bucket into *sections*
/// of overlapping key ranges and, inside each section, groups the files into as few *sorted runs* (files with
/// disjoint, ordered key ranges) as a greedy pass allows. A merge reader then merges the runs of one section and
/// concatenates sections in key order.
///
/// Ordering: sections ascend by key; runs in a section are in creation order of the greedy pass; files in a
/// run ascend by key. Keys are the trimmed primary key (`_MIN_KEY`/`_MAX_KEY`), compared field by field.
public struct IntervalPartition: Sendable {
    public struct Section: Sendable {
        /// Each run: files with disjoint key ranges, ascending.
        public var runs: [[DataFileMeta]]

        /// `runs` cut so that each holds files of one level (a run's files of one level stay in key order), so a
        /// merge knows every record's level from its run (lookup merges, ``LookupMergeRule``).
        static func byLevel(_ runs: [[DataFileMeta]]) -> [[DataFileMeta]] {
            var out: [[DataFileMeta]] = []
            for run in runs {
                var byLevel: [Int32: [DataFileMeta]] = [:]
                var order: [Int32] = []
                for file in run {
                    if byLevel[file.level] == nil { order.append(file.level) }
                    byLevel[file.level, default: []].append(file)
                }
                for level in order { out.append(byLevel[level]!) }
            }
            return out
        }
    }

    let keyTypes: [DataType]
    let comparator: KeyComparator

    public init(keyTypes: [DataType]) {
        self.keyTypes = keyTypes
        comparator = KeyComparator(keyType: RowType(keyTypes.enumerated().map { DataField(id: $0, name: "k\($0)", type: $1) }))
    }

    public func partition(_ files: [DataFileMeta]) throws(TableError) -> [Section] {
        struct Ranged {
            var file: DataFileMeta
            var minKey: [Value]
            var maxKey: [Value]
        }
        var ranged: [Ranged] = []
        ranged.reserveCapacity(files.count)
        for file in files {
            do {
                ranged.append(Ranged(file: file, minKey: try file.minKey.values(types: keyTypes, subject: "\(file.fileName) _MIN_KEY"),
                                     maxKey: try file.maxKey.values(types: keyTypes, subject: "\(file.fileName) _MAX_KEY")))
            } catch {
                throw TableError.format(error)
            }
        }
        ranged.sort { a, b in
            let c = compareKeys(a.minKey, b.minKey)
            return c != 0 ? c < 0 : compareKeys(a.maxKey, b.maxKey) < 0
        }
        var sections: [Section] = []
        var current: [Ranged] = []
        var boundary: [Value]? = nil
        for item in ranged {
            if let bound = boundary, compareKeys(item.minKey, bound) > 0 {
                sections.append(Section(runs: partitionSection(current.map { ($0.file, $0.minKey, $0.maxKey) })))
                current = []
                boundary = nil
            }
            current.append(item)
            if boundary == nil || compareKeys(item.maxKey, boundary!) > 0 { boundary = item.maxKey }
        }
        if !current.isEmpty { sections.append(Section(runs: partitionSection(current.map { ($0.file, $0.minKey, $0.maxKey) }))) }
        return sections
    }

    /// Greedy: each file (ascending by min key) joins the run whose last max key is smallest, if that is below
    /// the file's min key; otherwise it starts a new run.
    func partitionSection(_ files: [(DataFileMeta, [Value], [Value])]) -> [[DataFileMeta]] {
        var runs: [[DataFileMeta]] = []
        var runMaxKeys: [[Value]] = []
        for (file, minKey, maxKey) in files {
            var best: Int? = nil
            for (index, runMax) in runMaxKeys.enumerated() where best == nil || compareKeys(runMax, runMaxKeys[best!]) < 0 {
                best = index
            }
            if let index = best, compareKeys(runMaxKeys[index], minKey) < 0 {
                runs[index].append(file)
                runMaxKeys[index] = maxKey
            } else {
                runs.append([file])
                runMaxKeys.append(maxKey)
            }
        }
        return runs
    }

    func compareKeys(_ a: [Value], _ b: [Value]) -> Int { comparator.compare(values: a, b) }
}
