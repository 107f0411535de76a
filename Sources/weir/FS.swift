import ArgumentParser
import Foundation
import WeirFileIO
import WeirTextFormats

/// `weir fs`: the FileIO as a command, for every backend.
struct FS: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fs",
        abstract: "Inspect and copy files on any FileIO backend (file://, s3://, memory://, or a local path).",
        discussion: """
            S3 settings come from the standard AWS variables: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, \
            AWS_SESSION_TOKEN, AWS_REGION, AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL), plus \
            WEIR_S3_ADDRESSING=path|virtual and WEIR_S3_CONDITIONAL_WRITES=true|false.
            """,
        subcommands: [List.self, Stat.self, Cat.self, Copy.self, Remove.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List a directory (or a prefix).")

        @Flag(name: .shortAndLong, help: "List every file below the directory, at any depth.")
        var recursive = false

        @Flag(name: .long, help: "Print one JSON object per entry.")
        var json = false

        @Argument(help: "Directories to list (URIs or local paths).")
        var locations: [String]

        func run() async throws {
            let storage = Storage()
            for location in locations {
                let directory = try storage.path(location)
                let io = try storage.io(for: directory)
                let status = try? await io.status(directory)
                if let status, !status.isDirectory {
                    print(format(status, json: json))
                    continue
                }
                let listing = try await io.listAll(directory, recursive: recursive)
                if status == nil && listing.files.isEmpty && listing.directories.isEmpty {
                    throw FileIOError(.notFound, path: directory, "no such file or directory")
                }
                var lines: [(String, String)] = listing.files.map { ($0.path.key, format($0, json: json)) }
                lines += listing.directories.map { directory in
                    let line = json
                        ? #"{"path":\#(jsonString(directory.description + "/")),"directory":true}"#
                        : String(repeating: " ", count: 12) + "  " + String(repeating: " ", count: 19) + "  " + directory.description + "/"
                    return (directory.key + "/", line)
                }
                for (_, line) in lines.sorted(by: { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }) { print(line) }
            }
        }
    }

    struct Stat: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "stat", abstract: "Show size, kind, modification time and version tag.")

        @Flag(name: .long, help: "Print one JSON object per path.")
        var json = false

        @Argument(help: "Files or directories (URIs or local paths).")
        var locations: [String]

        func run() async throws {
            let storage = Storage()
            for location in locations {
                let path = try storage.path(location)
                let status = try await storage.io(for: path).status(path)
                if json {
                    print(format(status, json: true))
                } else {
                    print("path:     \(status.path)")
                    print("kind:     \(status.isDirectory ? "directory" : "file")")
                    if !status.isDirectory { print("size:     \(status.size) bytes") }
                    if let modified = status.modified { print("modified: \(timestamp(modified))") }
                    if let etag = status.etag { print("etag:     \(etag)") }
                }
            }
        }
    }

    struct Cat: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cat", abstract: "Write a file's bytes (or a range of them) to standard output.")

        @Option(name: .long, help: "First byte to print.")
        var offset: Int64 = 0

        @Option(name: .long, help: "How many bytes to print (default: to the end).")
        var length: Int64?

        @Argument(help: "Files (URIs or local paths).")
        var locations: [String]

        func validate() throws {
            guard offset >= 0 else { throw ValidationError("--offset must be 0 or more, not \(offset)") }
            if let length, length < 0 { throw ValidationError("--length must be 0 or more, not \(length)") }
        }

        func run() async throws {
            let storage = Storage()
            for location in locations {
                let path = try storage.path(location)
                let file = try await storage.io(for: path).openForReading(path)
                defer { Task { await file.close() } }
                let end = length.map { min(file.size, offset + $0) } ?? file.size
                var position = offset
                while position < end {
                    let chunk = try await file.read(at: position, count: Int(min(Int64(4 << 20), end - position)))
                    if chunk.isEmpty { break }
                    FileHandle.standardOutput.write(Data(chunk))
                    position += Int64(chunk.count)
                }
            }
        }
    }

    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cp",
            abstract: "Copy a file between any two backends, streaming (memory stays about one chunk plus one upload part).",
            discussion: "The target appears only when the whole copy succeeded; without --overwrite an existing target is an error and is left as it was.")

        @Flag(name: .long, help: "Replace the target if it exists.")
        var overwrite = false

        @Flag(name: .long, inversion: .prefixedNo, help: "Show a progress bar on standard error (default: when it is a terminal).")
        var progress: Bool?

        @Option(name: .customLong("chunk-mib"), help: "Bytes per read, in MiB (1 to 64).")
        var chunkMiB: Int = 4

        @Argument(help: "The source file (URI or local path).")
        var source: String

        @Argument(help: "The target file, or a directory ending in '/' to copy into.")
        var target: String

        func validate() throws {
            guard (1...64).contains(chunkMiB) else { throw ValidationError("--chunk-mib must be 1 to 64, not \(chunkMiB)") }
        }

        func run() async throws {
            let storage = Storage()
            let from = try storage.path(source)
            var to = try storage.path(target)
            if target.hasSuffix("/") { to = try to.appending(String(from.name)) }
            let bar = ProgressBar(label: "cp \(from.name)", enabled: progress ?? ProgressBar.standardErrorIsTerminal)
            let started = ContinuousClock.now
            let copied = try await storage.io(for: from).copy(
                from, to: to, on: try storage.io(for: to), overwrite: overwrite, chunkBytes: chunkMiB << 20
            ) { bar.update(done: $0, total: $1) }
            bar.finish()
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("copied \(copied) bytes from \(from) to \(to) in \(String(format: "%.2f", seconds)) s")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete files, or directory trees with -r.")

        @Flag(name: .shortAndLong, help: "Delete directories and everything under them.")
        var recursive = false

        @Flag(name: .shortAndLong, help: "Do not complain about paths that do not exist.")
        var force = false

        @Argument(help: "Files or directories (URIs or local paths).")
        var locations: [String]

        func run() async throws {
            let storage = Storage()
            for location in locations {
                let path = try storage.path(location)
                if path.isRoot {
                    throw FileIOError(.invalidArgument, path: path, "refusing to delete the root of a store")
                }
                let existed = try await storage.io(for: path).delete(path, recursive: recursive)
                if !existed && !force {
                    throw FileIOError(.notFound, path: path, "no such file or directory")
                }
            }
        }
    }
}

func format(_ status: FileStatus, json: Bool) -> String {
    if json {
        var fields = [#""path":\#(jsonString(status.path.description))"#, #""size":\#(status.size)"#, #""directory":\#(status.isDirectory)"#]
        if let modified = status.modified { fields.append(#""modified":\#(jsonString(timestamp(modified)))"#) }
        if let etag = status.etag { fields.append(#""etag":\#(jsonString(etag))"#) }
        return "{" + fields.joined(separator: ",") + "}"
    }
    let size = String(status.size)
    let modified = status.modified.map(timestamp) ?? ""
    return String(repeating: " ", count: max(0, 12 - size.count)) + size + "  "
        + modified.padding(toLength: 19, withPad: " ", startingAt: 0) + "  " + status.path.description
}

func timestamp(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
    return formatter.string(from: date)
}

func jsonString(_ text: String) -> String { ValueJSON.quote(text) }
