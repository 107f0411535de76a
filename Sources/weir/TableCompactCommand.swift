import ArgumentParser
import Foundation
import WeirPaimon
import WeirTable

extension TableCommand {
    /// `weir table compact`: a dedicated compaction of a primary-key table's LSM trees.
    struct Compact: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compact a primary-key table's sorted runs (one COMPACT snapshot).",
            discussion: """
                Per (partition, bucket) the universal strategy picks the runs to merge (num-sorted-run.compaction-trigger, \
                compaction.max-size-amplification-percent, compaction.size-ratio); with --full every run is merged into \
                the highest level, where deleted keys disappear. Large files that need no merge only change level. \
                Concurrent appends are fine; when a concurrent compaction or overwrite removed files it merged, the \
                compaction starts over on the new snapshot. Append tables are not compacted.
                """)
        @OptionGroup var warehouse: TableCommand.WarehouseOption
        @Option(name: .long, help: "Only the partition with these values (KEY=VALUE; repeat for several keys).") var partition: [String] = []
        @Option(name: .long, help: "Only this bucket.") var bucket: Int32?
        @Flag(name: .long, help: "Full compaction: every sorted run into the highest level.") var full = false
        @Option(name: .long, help: "Commit user (default: a new UUID).") var commitUser: String?
        @Argument(help: "DATABASE.TABLE") var table: String

        func run() async throws {
            let fileTable = try await warehouse.open().table(try TableIdentifier(parsing: table))
            var spec: [String: String] = [:]
            for text in partition {
                guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
                    throw ValidationError("--partition \"\(text)\": expected KEY=VALUE")
                }
                spec[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            let filter = spec.isEmpty ? nil : try fileTable.partitionFilter(spec: spec)
            let started = ContinuousClock.now
            let result = try await fileTable.compact(partition: filter, bucket: bucket, full: full,
                                                     commitUser: commitUser ?? UUID().uuidString.lowercased())
            let seconds = String(format: "%.2f", (ContinuousClock.now - started).seconds)
            for unit in result.units {
                let place = (unit.partitionPath.isEmpty ? "" : unit.partitionPath) + "bucket-\(unit.bucket)"
                let levels = Set(unit.inputFiles.map(\.level)).sorted().map(String.init).joined(separator: ",")
                print("\(place): \(unit.inputFiles.count) files (\(unit.inputBytes) bytes, levels \(levels)) -> level \(unit.outputLevel): "
                    + "\(unit.rewrittenFiles.count) rewritten into \(unit.writtenFiles.count) files (\(unit.writtenBytes) bytes), "
                    + "\(unit.upgradedFiles.count) upgraded\(unit.dropDelete ? ", retract rows dropped (oldest level)" : "")")
            }
            switch result.outcome {
            case .committed(let id), .alreadyCommitted(let id):
                let filesIn = result.units.reduce(0) { $0 + $1.rewrittenFiles.count }
                let filesOut = result.units.reduce(0) { $0 + $1.writtenFiles.count }
                print("compacted \(fileTable.name): \(result.units.count) units, \(filesIn) files rewritten into \(filesOut), "
                    + "\(result.units.reduce(0) { $0 + $1.upgradedFiles.count }) upgraded: snapshot \(id) (COMPACT"
                    + "\(result.attempts > 1 ? ", \(result.attempts) attempts" : ""), \(seconds) s)")
            case .empty:
                print("nothing to compact in \(fileTable.name)")
            }
        }
    }
}
