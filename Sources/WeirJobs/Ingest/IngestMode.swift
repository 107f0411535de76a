import WeirCluster
import WeirPaimon
import WeirTable

/// How an ingest moves rows to their buckets.
///
/// - `shuffle`: stage 1 cuts every input by write group into staging files, stage 2 writes each group's buckets
///   with one ``TableWrite`` (as `weir table write` numbers rows: per bucket, in input order), compacting as a
///   writer does. Every row is encoded and decoded once more than in one process.
/// - `direct`: one stage; each task reads consecutive parts of the inputs and writes its rows straight to level-0
///   files of every bucket they hit, numbered `base + position in the inputs` (a positioned ``TableWrite``), so
///   the rows of all tasks, committed together, merge as one write of the whole input would. It does not compact:
///   a bucket gets up to one sorted run per task (per flush of a task), and the job uses at most
///   `num-sorted-run.compaction-trigger − 1` tasks so that one job alone does not call for a compaction.
///
/// `direct` needs row counts before reading (Parquet footers) and a primary-key table of fixed buckets whose level-0
/// files readers see (not first-row, deletion vectors or `changelog-producer = lookup`, which need lookup
/// compaction to show level-0 rows). `auto` picks `direct` when it can.
enum IngestMode: String, Sendable {
    case direct, shuffle

    /// The mode for `requested` (nil or `auto`: the best possible), or an error saying why `direct` cannot be.
    static func choose(_ requested: String?, table: FileStoreTable, formats: [TableInput.Format]) throws -> IngestMode {
        let reason = directObstacle(table: table, formats: formats)
        switch requested ?? "auto" {
        case "auto": return reason == nil ? .direct : .shuffle
        case "shuffle": return .shuffle
        case "direct":
            if let reason { throw TaskFailure("mode direct: \(reason)", retryable: false) }
            return .direct
        case let other: throw TaskFailure("mode \(other): use auto, direct or shuffle", retryable: false)
        }
    }

    /// Why `direct` cannot ingest into `table` from inputs of `formats`, nil when it can.
    static func directObstacle(table: FileStoreTable, formats: [TableInput.Format]) -> String? {
        guard table.isPrimaryKeyTable else { return "\(table.name) is an append table" }
        guard table.schema.numBuckets > 0 else { return "\(table.name) has \(table.schema.numBuckets) buckets (only fixed buckets are written)" }
        guard formats.allSatisfy({ $0 == .parquet }) else { return "every input must be Parquet (its footer gives the row positions)" }
        do {
            if try CompactionSettings(schema: table.schema).lookup {
                return "\(table.name) needs lookup compaction to show level-0 rows (first-row, deletion vectors or changelog-producer = lookup)"
            }
        } catch {
            return "\(error)"
        }
        return nil
    }

    /// The most tasks a direct ingest into `table` uses: `num-sorted-run.compaction-trigger − 1`, at least 1.
    static func directTasksMax(_ table: FileStoreTable) -> Int {
        // Tables whose compaction options do not parse never get here: ``directObstacle(table:formats:)`` names them.
        guard let settings = try? CompactionSettings(schema: table.schema) else { return 1 }
        return max(1, Int(settings.trigger) - 1)
    }
}
