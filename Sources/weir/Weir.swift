import ArgumentParser

/// The `weir` command: the entry point for people and scripts.
@main
struct Weir: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weir",
        abstract: "Weir: a lakehouse compute cluster for Apache Paimon tables.",
        version: WeirVersion.string,
        subcommands: [FS.self]
    )
}

enum WeirVersion {
    static let string = "0.1.0"
}
