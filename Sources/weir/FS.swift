import ArgumentParser

/// `weir fs`: the FileIO as a command, for every backend.
struct FS: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fs",
        abstract: "Inspect and copy files on any FileIO backend (file://, memory://, s3://).",
        subcommands: []
    )
}
