import ArgumentParser
import CMalloc
import Foundation
import WeirFileIO
import WeirTable

/// The `weir` command: the entry point for people and scripts.
@main
struct Weir: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weir",
        abstract: "Weir: a lakehouse compute cluster for Apache Paimon tables.",
        version: WeirVersion.string,
        subcommands: [FS.self, FileCommand.self, TableCommand.self, CatalogCommand.self, CoordinatorCommand.self, WorkerCommand.self,
                      SubmitCommand.self, JobsCommand.self, StatusCommand.self]
    )

    /// Runs the command; operating errors print as `weir: <what and where>` with exit code 1.
    static func main() async {
        // Buffers of 1 MiB and more (read chunks, upload parts) come straight from mmap and go back to the system
        // when freed. Left to itself glibc raises that threshold after the first large free and then keeps freed
        // parts in per-thread arenas: a streamed 256 MiB upload peaked at 98 MiB resident instead of 70.
        mallopt(M_MMAP_THRESHOLD, 1 << 20)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as FileIOError {
            FileHandle.standardError.write(Data("weir: \(error)\n".utf8))
            Foundation.exit(1)
        } catch let error as TableError {
            FileHandle.standardError.write(Data("weir: \(error)\n".utf8))
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }
}

enum WeirVersion {
    static let string = "0.1.0"
}
