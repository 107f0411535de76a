import Foundation
import Testing
import WeirCodecs
import WeirTestSupport

/// A real `weir table compact --full` process SIGKILLed after it has written output files and before it commits:
/// nothing a snapshot refers to is lost, the table reads as before, a new compaction succeeds with the same read,
/// and `weir table expire --orphans --orphan-age 0s` deletes exactly the dead compaction's files (its published
/// outputs and the unpublished temporary of the file it was writing when killed).
///
/// The table: one bucket, write-only, `target-file-size` 128 KiB so that the compaction writes its output as many
/// files one after another; 4 commits of 12,000 distinct ids each out of 30,000. Each seed picks which new data file
/// to wait for (the 1st to the 4th of dozens) and a delay after seeing it before the SIGKILL.
@Suite struct CompactionCrashTests {
    static let commits = 4
    static let rowsPerCommit = 12_000
    static let keySpace = 30_000
    /// Seed -> (the how-many-th new data file to wait for, milliseconds to wait after it appears).
    static let seeds: [Int: (file: Int, delayMs: Int)] = [1: (1, 0), 2: (2, 15), 3: (4, 40)]

    /// SplitMix64 for the rows.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// The JSON lines of each commit and, per snapshot id (1 ... commits), the rows (id -> payload) the table must
    /// then read: the last write of each id wins. Computed here, independently of the engine.
    static func rows() -> (commits: [String], expected: [[Int: String]]) {
        var random = Random(state: 42)
        var current: [Int: String] = [:]
        var commits: [String] = [], expected: [[Int: String]] = []
        let words = ["order", "shipped", "refund", "berlin", "lisbon", "express", "pending", "invoice"]
        for commit in 0..<Self.commits {
            var ids = Array(0..<Self.keySpace)
            for i in stride(from: ids.count - 1, to: 0, by: -1) { ids.swapAt(i, Int(random.next() % UInt64(i + 1))) }
            var lines: [String] = []
            for id in ids.prefix(Self.rowsPerCommit) {
                var payload = "c\(commit) "
                while payload.count < 90 { payload += words[Int(random.next() % UInt64(words.count))] + " " }
                payload += String(random.next(), radix: 16)
                current[id] = payload
                lines.append(#"{"id":\#(id),"payload":"\#(payload)"}"#)
            }
            commits.append(lines.joined(separator: "\n") + "\n")
            expected.append(current)
        }
        return (commits, expected)
    }

    /// Parses `weir table scan` JSON lines into id -> payload; nil (with an issue) on anything else.
    static func parseScan(_ text: String) -> [Int: String]? {
        var out: [Int: String] = [:]
        for line in text.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let id = (object["id"] as? NSNumber)?.intValue, let payload = object["payload"] as? String,
                  out.updateValue(payload, forKey: id) == nil else {
                Issue.record("unexpected scan line: \(line.prefix(200))")
                return nil
            }
        }
        return out
    }

    /// Names of the files in `directory`, hidden ones (a writer's unpublished `.weir-tmp-*`) included.
    static func names(_ directory: String) -> Set<String> {
        Set((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
    }

    /// Size and modification time of each file, to show they were left alone.
    static func stats(_ directory: String, _ files: Set<String>) -> [String: String] {
        var out: [String: String] = [:]
        for name in files {
            let attributes = try? FileManager.default.attributesOfItem(atPath: directory + "/" + name)
            out[name] = "\(attributes?[.size] ?? "missing") \((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1)"
        }
        return out
    }

    @Test func killedBetweenOutputAndCommit() async throws {
        let scratch = try Scratch("compaction-crash")
        defer { scratch.remove() }
        let (commits, expected) = Self.rows()
        try #"""
            {"fields": [{"name": "id", "type": "BIGINT"}, {"name": "payload", "type": "STRING"}], "primaryKeys": ["id"],
             "options": {"bucket": "1", "write-only": "true", "target-file-size": "128kb"}}
            """#.write(toFile: scratch.path + "/schema.json", atomically: true, encoding: .utf8)
        let base = ["--warehouse", scratch.path + "/base"]
        var r = try await CLI.run(["table", "create", "db.t", "--schema", "schema.json"] + base, directory: scratch.path)
        try #require(r.status == 0, "\(r.stderr)")
        for (index, lines) in commits.enumerated() {
            try lines.write(toFile: scratch.path + "/c\(index).jsonl", atomically: true, encoding: .utf8)
            r = try await CLI.run(["table", "write", "db.t", "--input", "c\(index).jsonl"] + base, directory: scratch.path)
            try #require(r.status == 0, "\(r.stderr)")
        }

        for seed in Self.seeds.keys.sorted() {
            let (waitFor, delayMs) = Self.seeds[seed]!
            let warehouse = scratch.path + "/seed-\(seed)"
            try FileManager.default.copyItem(atPath: scratch.path + "/base", toPath: warehouse)
            let wh = ["--warehouse", warehouse]
            let bucket = warehouse + "/db.db/t/bucket-0", snapshotDirectory = warehouse + "/db.db/t/snapshot"
            let before = Self.names(bucket), snapshotsBefore = Self.names(snapshotDirectory)
            try #require(before.count >= Self.commits && snapshotsBefore.contains("snapshot-\(Self.commits)")
                            && !snapshotsBefore.contains("snapshot-\(Self.commits + 1)"),
                         "seed \(seed): \(before.sorted()) \(snapshotsBefore.sorted())")

            // Start the compaction; SIGKILL it once its waitFor-th output file is published (plus the delay). It runs
            // in steps of 2 ms between SIGCONT and SIGSTOP, timed by the OS (usleep, not the cooperative pool), so a
            // test thread kept waiting by other suites cannot let the compaction run on to its commit meanwhile.
            let compaction = try CLI.start(["table", "compact", "db.t", "--full"] + wh, logPath: scratch.path + "/compact-\(seed).log",
                                           directory: scratch.path)
            compaction.kill(SIGSTOP)
            var seen = 0
            let started = ContinuousClock.now
            while compaction.exited == nil, ContinuousClock.now - started < .seconds(300) {
                seen = Self.names(bucket).subtracting(before).filter { $0.hasPrefix("data-") }.count
                if seen >= waitFor { break }
                compaction.kill(SIGCONT)
                usleep(2_000)
                compaction.kill(SIGSTOP)
                await Task.yield()
            }
            if delayMs > 0 {
                compaction.kill(SIGCONT)
                usleep(UInt32(delayMs) * 1_000)
                compaction.kill(SIGSTOP)
            }
            compaction.kill(SIGKILL)
            let exit = await compaction.waitForExit()
            try #require(exit == RunningCLI.Exit(status: SIGKILL, signalled: true),
                         "seed \(seed): the compaction was not killed (it saw \(seen) new files): \(exit) \(compaction.log)")
            #expect(Self.names(snapshotDirectory) == snapshotsBefore, "seed \(seed): killed too late, a snapshot was committed")
            // The dead compaction's published outputs and, when it died inside a file, that file's temporary.
            let leftovers = Self.names(bucket).subtracting(before)
            let temporaries = leftovers.filter { $0.hasPrefix(".weir-tmp-") }
            #expect(leftovers.count - temporaries.count >= waitFor
                        && leftovers.allSatisfy { $0.hasPrefix("data-") || ($0.hasPrefix(".weir-tmp-") && $0.contains("-data-")) },
                    "seed \(seed): leftovers \(leftovers.sorted())")

            // Every snapshot reads in full (a read opens every live file of its snapshot) and as the writes left it.
            for id in 1...Self.commits {
                r = try await CLI.run(["table", "scan", "db.t", "--snapshot", "\(id)"] + wh, directory: scratch.path)
                #expect(r.status == 0 && Self.parseScan(r.stdout) == expected[id - 1], "seed \(seed): snapshot \(id): \(r.stderr)")
            }
            #expect(before.isSubset(of: Self.names(bucket)), "seed \(seed): a referenced file is gone")
            r = try await CLI.run(["table", "scan", "db.t"] + wh, directory: scratch.path)
            #expect(r.status == 0 && Self.parseScan(r.stdout) == expected.last!, "seed \(seed): latest read: \(r.stderr)")

            // A new compaction succeeds and reads the same.
            r = try await CLI.run(["table", "compact", "db.t", "--full"] + wh, directory: scratch.path)
            #expect(r.status == 0 && r.stdout.contains("snapshot \(Self.commits + 1) (COMPACT"), "seed \(seed): \(r.stdout) \(r.stderr)")
            r = try await CLI.run(["table", "scan", "db.t"] + wh, directory: scratch.path)
            #expect(r.status == 0 && Self.parseScan(r.stdout) == expected.last!, "seed \(seed): read after compaction: \(r.stderr)")
            let written = Self.names(bucket).subtracting(before).subtracting(leftovers)
            #expect(written.allSatisfy { $0.hasPrefix("data-") }, "seed \(seed): \(written.sorted())")
            #expect(!written.isEmpty, "seed \(seed): the second compaction wrote nothing")
            let kept = before.union(written)
            let keptStats = Self.stats(bucket, kept)

            // The orphan clean with an age guard of 0 deletes the dead compaction's files and nothing else.
            r = try await CLI.run(["table", "expire", "db.t", "--orphans", "--orphan-age", "0s"] + wh, directory: scratch.path)
            #expect(r.status == 0 && r.stdout.contains("expired 0 snapshots"), "seed \(seed): \(r.stdout) \(r.stderr)")
            let deleted = Set(r.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") }.compactMap { line -> String? in
                guard let path = line.split(separator: " ").first else { return nil }
                return String(path.split(separator: "/").last ?? "")
            })
            #expect(r.stdout.contains("deleted \(leftovers.count) orphan files") && deleted == leftovers,
                    "seed \(seed): leftovers \(leftovers.sorted()), clean said:\n\(r.stdout)")
            #expect(Self.names(bucket) == kept, "seed \(seed): after the clean the bucket holds \(Self.names(bucket).sorted())")
            #expect(Self.stats(bucket, kept) == keptStats, "seed \(seed): a referenced file changed")
            r = try await CLI.run(["table", "scan", "db.t"] + wh, directory: scratch.path)
            #expect(r.status == 0 && Self.parseScan(r.stdout) == expected.last!, "seed \(seed): read after the clean: \(r.stderr)")
            r = try await CLI.run(["table", "expire", "db.t", "--orphans", "--orphan-age", "0s", "--dry-run"] + wh, directory: scratch.path)
            #expect(r.status == 0 && r.stdout.contains("would delete 0 orphan files"), "seed \(seed): \(r.stdout) \(r.stderr)")
            print("seed \(seed): killed after new data file \(waitFor) + \(delayMs) ms (saw \(seen)); \(leftovers.count) leftovers "
                  + "(\(temporaries.count) unpublished) deleted, "
                  + "\(before.count) input and \(written.count) output files kept")
        }
    }
}
