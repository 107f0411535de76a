import Foundation
import ArgumentParser

extension CatalogCLI {
    /// Opens a client, runs `body`, closes the client; errors print as `weir: ...`.
    static func withClient(_ connection: CatalogConnection, _ body: (CatalogClient) async throws -> Void) async throws {
        try await reportingErrors {
            let client = try await CatalogClient(connection)
            do {
                try await body(client)
            } catch {
                await client.close()
                throw error
            }
            await client.close()
        }
    }
}

/// The metalake all object commands work in.
struct MetalakeOption: ParsableArguments {
    @Option(name: [.short, .long], help: "The metalake (default: $WEIR_METALAKE).")
    var metalake: String?

    func resolved() throws -> String {
        if let metalake { return metalake }
        if let fromEnvironment = ProcessInfo.processInfo.environment["WEIR_METALAKE"], !fromEnvironment.isEmpty { return fromEnvironment }
        throw CatalogCLIError("name the metalake with --metalake NAME (or set WEIR_METALAKE)")
    }
}


struct CatalogMetalakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "metalake", abstract: "Create, list, show and drop metalakes.",
                                                    subcommands: [Create.self, List.self, Show.self, Drop.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a metalake.")
        @OptionGroup var connection: CatalogConnection
        @Argument(help: "The metalake's name.") var name: String
        @Option(help: "A comment.") var comment: String?
        @Option(name: .customLong("property"), help: "A property KEY=VALUE (repeatable).") var properties: [String] = []

        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                var body: [String: Any] = ["name": name, "properties": try CatalogOutput.properties(properties)]
                if let comment { body["comment"] = comment }
                let answer = try await client.send("POST", ["metalakes"], body: body)
                if connection.json { try CatalogOutput.printJSON(answer) } else { print("created metalake \(name)") }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List metalakes.")
        @OptionGroup var connection: CatalogConnection
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                try CatalogOutput.show(try await client.send("GET", ["metalakes"]), "metalakes", json: connection.json)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a metalake.")
        @OptionGroup var connection: CatalogConnection
        @Argument(help: "The metalake's name.") var name: String
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                try CatalogOutput.show(try await client.send("GET", ["metalakes", name]), "metalake", json: connection.json)
            }
        }
    }

    struct Drop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Drop a metalake (disable it first, or use --force to drop it with everything in it).")
        @OptionGroup var connection: CatalogConnection
        @Argument(help: "The metalake's name.") var name: String
        @Flag(help: "Drop even when in use or not empty.") var force = false
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                let answer = try await client.send("DELETE", ["metalakes", name], query: ["force": force ? "true" : "false"])
                if connection.json { try CatalogOutput.printJSON(answer) } else { print((answer["dropped"] as? Bool) == true ? "dropped metalake \(name)" : "no metalake \(name)") }
            }
        }
    }
}

struct CatalogCatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "catalog", abstract: "Create, list, show and drop catalogs of a metalake.",
                                                    subcommands: [Create.self, List.self, Show.self, Drop.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a catalog.")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        @Argument(help: "The catalog's name.") var name: String
        @Option(help: "relational, fileset, model or messaging.") var type: String
        @Option(help: "The provider (jdbc-postgresql, lakehouse-paimon, hive, ...; fileset and model catalogs need none).") var provider: String?
        @Option(help: "A comment.") var comment: String?
        @Option(name: .customLong("property"), help: "A property KEY=VALUE (repeatable), e.g. location=file:///data or jdbc-url=...") var properties: [String] = []

        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                var body: [String: Any] = ["name": name, "type": type, "properties": try CatalogOutput.properties(properties)]
                if let provider { body["provider"] = provider }
                if let comment { body["comment"] = comment }
                let answer = try await client.send("POST", ["metalakes", try metalake.resolved(), "catalogs"], body: body)
                if connection.json { try CatalogOutput.printJSON(answer) } else { print("created catalog \(name)") }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List catalogs.")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                try CatalogOutput.show(try await client.send("GET", ["metalakes", try metalake.resolved(), "catalogs"]), "identifiers", json: connection.json)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a catalog.")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        @Argument(help: "The catalog's name.") var name: String
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                try CatalogOutput.show(try await client.send("GET", ["metalakes", try metalake.resolved(), "catalogs", name]), "catalog", json: connection.json)
            }
        }
    }

    struct Drop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Drop a catalog (use --force to drop one in use or with schemas).")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        @Argument(help: "The catalog's name.") var name: String
        @Flag(help: "Drop even when in use or not empty.") var force = false
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                let answer = try await client.send("DELETE", ["metalakes", try metalake.resolved(), "catalogs", name], query: ["force": force ? "true" : "false"])
                if connection.json { try CatalogOutput.printJSON(answer) } else { print((answer["dropped"] as? Bool) == true ? "dropped catalog \(name)" : "no catalog \(name)") }
            }
        }
    }
}
