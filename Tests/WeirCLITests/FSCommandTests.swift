import Foundation
import Testing
import WeirTestSupport

/// `weir fs` on the local file system, run as a real process.
@Suite struct FSCommandTests {
    @Test(arguments: [["--help"], ["fs", "--help"], ["fs", "ls", "--help"], ["fs", "stat", "--help"],
                      ["fs", "cat", "--help"], ["fs", "cp", "--help"], ["fs", "rm", "--help"]])
    func everyCommandHasHelp(_ arguments: [String]) async throws {
        let result = try await CLI.run(arguments)
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE:"), "\(arguments): \(result.stdout)")
    }

    @Test func versionPrints() async throws {
        let result = try await CLI.run(["--version"])
        #expect(result.status == 0 && result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }

    @Test func copyListStatCatRemoveOnLocalDisk() async throws {
        let scratch = try Scratch("cli")
        defer { scratch.remove() }
        let source = scratch.path + "/input.csv"
        let content = (1...500).map { "\($0),name-\($0)\n" }.joined()
        try content.write(toFile: source, atomically: true, encoding: .utf8)
        let target = "file://\(scratch.path)/warehouse/db/input.csv"

        let copy = try await CLI.run(["fs", "cp", "--no-progress", source, target])
        #expect(copy.status == 0, "\(copy.stderr)")
        #expect(copy.stdout.contains("copied \(content.utf8.count) bytes"))

        let list = try await CLI.run(["fs", "ls", "-r", "--json", "file://\(scratch.path)/warehouse"])
        #expect(list.status == 0)
        #expect(list.stdout.contains(#""size":\#(content.utf8.count)"#) && list.stdout.contains("db/input.csv"))
        let top = try await CLI.run(["fs", "ls", "file://\(scratch.path)/warehouse"])
        #expect(top.stdout.contains("/warehouse/db/"), "directories end with '/': \(top.stdout)")

        let stat = try await CLI.run(["fs", "stat", target])
        #expect(stat.status == 0 && stat.stdout.contains("size:     \(content.utf8.count) bytes"))

        let cat = try await CLI.run(["fs", "cat", target])
        #expect(cat.stdout == content)
        let range = try await CLI.run(["fs", "cat", "--offset", "2", "--length", "8", target])
        #expect(range.stdout == String(content.dropFirst(2).prefix(8)))

        // Relative local paths resolve against the working directory; a target ending in '/' is a directory.
        let relative = try await CLI.run(["fs", "cp", "--no-progress", "warehouse/db/input.csv", "copies/"], directory: scratch.path)
        #expect(relative.status == 0, "\(relative.stderr)")
        #expect(FileManager.default.contents(atPath: scratch.path + "/copies/input.csv") == Data(content.utf8))

        let remove = try await CLI.run(["fs", "rm", target])
        #expect(remove.status == 0)
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/warehouse/db/input.csv"))
        let again = try await CLI.run(["fs", "rm", target])
        #expect(again.status == 1 && again.stderr.contains("input.csv") && again.stderr.contains("no such file"))
        #expect(try await CLI.run(["fs", "rm", "-f", target]).status == 0)
        #expect(try await CLI.run(["fs", "rm", "-r", "file://\(scratch.path)/copies"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/copies"))
    }

    @Test func copyRefusesToReplaceWithoutOverwrite() async throws {
        let scratch = try Scratch("cli")
        defer { scratch.remove() }
        try "old".write(toFile: scratch.path + "/target", atomically: true, encoding: .utf8)
        try "new".write(toFile: scratch.path + "/source", atomically: true, encoding: .utf8)
        let refused = try await CLI.run(["fs", "cp", scratch.path + "/source", scratch.path + "/target"])
        #expect(refused.status == 1 && refused.stderr.contains("already exists"))
        #expect(try String(contentsOfFile: scratch.path + "/target", encoding: .utf8) == "old")
        let replaced = try await CLI.run(["fs", "cp", "--overwrite", scratch.path + "/source", scratch.path + "/target"])
        #expect(replaced.status == 0)
        #expect(try String(contentsOfFile: scratch.path + "/target", encoding: .utf8) == "new")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted()
        #expect(leftovers == ["source", "target"], "no temp files left: \(leftovers)")
    }

    @Test(arguments: [
        (["fs", "ls", "s3://Bad_Bucket/x"], "not a valid bucket name"),
        (["fs", "cat", "file:///tmp/../etc/passwd"], "'..' segments are not allowed"),
        (["fs", "ls", "ftp://host/x"], "no FileIO backend for the scheme 'ftp'"),
        (["fs", "stat", "file:///definitely/not/here"], "file:///definitely/not/here"),
        (["fs", "cp", "/definitely/not/here", "/tmp/x"], "file:///definitely/not/here"),
        (["fs", "rm", "file:///"], "refusing to delete the root"),
    ])
    func badInputGetsAClearErrorNamingThePath(_ arguments: [String], _ expected: String) async throws {
        let result = try await CLI.run(arguments)
        #expect(result.status == 1)
        #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func invalidOptionsAreUsageErrors() async throws {
        let result = try await CLI.run(["fs", "cat", "--offset=-5", "/tmp/x"])
        #expect(result.status == 64 && result.stderr.contains("--offset must be 0 or more"))
        let chunk = try await CLI.run(["fs", "cp", "--chunk-mib", "0", "/a", "/b"])
        #expect(chunk.status == 64 && chunk.stderr.contains("--chunk-mib must be 1 to 64"))
    }
}
