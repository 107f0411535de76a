import ArgumentParser
import Foundation

struct CatalogModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "model", abstract: "Register, list and show models; link and list their versions.",
                                                    subcommands: [Register.self, List.self, Show.self, Link.self, Versions.self, Drop.self])

    static func segments(_ metalake: MetalakeOption, _ name: String) throws -> [String] {
        let p = try CatalogOutput.parts(name, 3, "the model")
        return CatalogOutput.schemaPath(try metalake.resolved(), p) + ["models", p[2]]
    }

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a model CATALOG.SCHEMA.MODEL.")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        @Argument(help: "CATALOG.SCHEMA.MODEL") var name: String
        @Option(help: "A comment.") var comment: String?
        @Option(name: .customLong("property"), help: "A property KEY=VALUE (repeatable).") var properties: [String] = []
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                var s = try CatalogModelCommand.segments(metalake, name)
                let model = s.removeLast()
                var body: [String: Any] = ["name": model, "properties": try CatalogOutput.properties(properties)]
                if let comment { body["comment"] = comment }
                let answer = try await client.send("POST", s, body: body)
                if connection.json { try CatalogOutput.printJSON(answer) } else { print("registered model \(name)") }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the models of CATALOG.SCHEMA.")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        @Argument(help: "CATALOG.SCHEMA") var schema: String
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                let p = try CatalogOutput.parts(schema, 2, "the schema")
                try CatalogOutput.show(try await client.send("GET", CatalogOutput.schemaPath(try metalake.resolved(), p) + ["models"]), "identifiers", json: connection.json)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a model CATALOG.SCHEMA.MODEL.")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        @Argument(help: "CATALOG.SCHEMA.MODEL") var name: String
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                try CatalogOutput.show(try await client.send("GET", try CatalogModelCommand.segments(metalake, name)), "model", json: connection.json)
            }
        }
    }

    struct Link: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Link a new version of a model to one or more URIs.")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        @Argument(help: "CATALOG.SCHEMA.MODEL") var name: String
        @Option(name: .customLong("uri"), help: "A URI, or NAME=URI (repeatable; at least one).") var uris: [String]
        @Option(name: .customLong("alias"), help: "An alias of the new version (repeatable).") var aliases: [String] = []
        @Option(help: "A comment.") var comment: String?
        @Option(name: .customLong("property"), help: "A property KEY=VALUE (repeatable).") var properties: [String] = []
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                var named: [String: String] = [:]
                for uri in uris {
                    if let eq = uri.firstIndex(of: "="), !uri[..<eq].contains(":") {
                        named[String(uri[..<eq])] = String(uri[uri.index(after: eq)...])
                    } else {
                        named["unknown"] = uri
                    }
                }
                var body: [String: Any] = ["uris": named, "aliases": aliases, "properties": try CatalogOutput.properties(properties)]
                if let comment { body["comment"] = comment }
                let answer = try await client.send("POST", try CatalogModelCommand.segments(metalake, name) + ["versions"], body: body)
                if connection.json { try CatalogOutput.printJSON(answer) } else { print("linked a new version of \(name)") }
            }
        }
    }

    struct Versions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the versions of a model.")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        @Argument(help: "CATALOG.SCHEMA.MODEL") var name: String
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                let answer = try await client.send("GET", try CatalogModelCommand.segments(metalake, name) + ["versions"], query: ["details": "true"])
                if connection.json { try CatalogOutput.printJSON(answer); return }
                for info in answer["infos"] as? [[String: Any]] ?? [] {
                    let aliases = (info["aliases"] as? [String] ?? []).joined(separator: ",")
                    let uris = (info["uris"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                    print("\(info["version"] ?? "?")\t\(aliases.isEmpty ? "-" : aliases)\t\(uris)")
                }
            }
        }
    }

    struct Drop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Drop a model and its versions.")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        @Argument(help: "CATALOG.SCHEMA.MODEL") var name: String
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                let answer = try await client.send("DELETE", try CatalogModelCommand.segments(metalake, name))
                if connection.json { try CatalogOutput.printJSON(answer) } else { print((answer["dropped"] as? Bool) == true ? "dropped model \(name)" : "no model \(name)") }
            }
        }
    }
}

struct CatalogTagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tag", abstract: "Create and list tags; associate them with objects.",
                                                    subcommands: [Create.self, List.self, Associate.self, Objects.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a tag.")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        @Argument(help: "The tag's name.") var name: String
        @Option(help: "A comment.") var comment: String?
        @Option(name: .customLong("property"), help: "A property KEY=VALUE (repeatable).") var properties: [String] = []
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                var body: [String: Any] = ["name": name, "properties": try CatalogOutput.properties(properties)]
                if let comment { body["comment"] = comment }
                let answer = try await client.send("POST", ["metalakes", try metalake.resolved(), "tags"], body: body)
                if connection.json { try CatalogOutput.printJSON(answer) } else { print("created tag \(name)") }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tags of the metalake, or those of one object (TYPE FULL.NAME).")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        @Argument(help: "Object type: catalog, schema, table, fileset, model or column.") var type: String?
        @Argument(help: "The object's dotted full name.") var fullName: String?
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                let ml = try metalake.resolved()
                if let type, let fullName {
                    try CatalogOutput.show(try await client.send("GET", ["metalakes", ml, "objects", type, fullName, "tags"]), "names", json: connection.json)
                } else if type != nil {
                    throw CatalogCLIError("give both the object type and its full name")
                } else {
                    try CatalogOutput.show(try await client.send("GET", ["metalakes", ml, "tags"]), "names", json: connection.json)
                }
            }
        }
    }

    struct Associate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add tags to and remove tags from an object; prints the object's tags.")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        @Argument(help: "Object type: catalog, schema, table, fileset, model or column.") var type: String
        @Argument(help: "The object's dotted full name (CATALOG, CATALOG.SCHEMA, CATALOG.SCHEMA.NAME, CATALOG.SCHEMA.TABLE.COLUMN).") var fullName: String
        @Option(name: .customLong("add"), help: "A tag to add (repeatable).") var add: [String] = []
        @Option(name: .customLong("remove"), help: "A tag to remove (repeatable).") var remove: [String] = []
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                let answer = try await client.send("POST", ["metalakes", try metalake.resolved(), "objects", type, fullName, "tags"],
                                                   body: ["tagsToAdd": add, "tagsToRemove": remove])
                try CatalogOutput.show(answer, "names", json: connection.json)
            }
        }
    }

    struct Objects: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the objects a tag is associated with.")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        @Argument(help: "The tag's name.") var name: String
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                try CatalogOutput.show(try await client.send("GET", ["metalakes", try metalake.resolved(), "tags", name, "objects"]), "metadataObjects", json: connection.json)
            }
        }
    }
}
