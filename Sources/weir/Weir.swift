import ArgumentParser
import Foundation
import WeirFileIO

/// The `weir` command: the entry point for people and scripts.
@main
struct Weir: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weir",
        abstract: "Weir: a lakehouse compute cluster for Apache Paimon tables.",
        version: WeirVersion.string,
        subcommands: [FS.self]
    )

    /// Runs the command; operating errors print as `weir: <what and where>` with exit code 1.
    static func main() async {
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
        } catch {
            exit(withError: error)
        }
    }
}

enum WeirVersion {
    static let string = "0.1.0"
}
