import ArgumentParser
import Foundation

struct CatalogSchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "schema", abstract: "Create, list, show and drop schemas.",
                                                    subcommands: [Create.self, List.self, Show.self, Drop.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a schema CATALOG.SCHEMA.")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        @Argument(help: "CATALOG.SCHEMA") var name: String
        @Option(help: "A comment.") var comment: String?
        @Option(name: .customLong("property"), help: "A property KEY=VALUE (repeatable).") var properties: [String] = []
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                let p = try CatalogOutput.parts(name, 2, "the schema")
                var body: [String: Any] = ["name": p[1], "properties": try CatalogOutput.properties(properties)]
                if let comment { body["comment"] = comment }
                let answer = try await client.send("POST", ["metalakes", try metalake.resolved(), "catalogs", p[0], "schemas"], body: body)
                if connection.json { try CatalogOutput.printJSON(answer) } else { print("created schema \(name)") }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the schemas of a CATALOG.")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        @Argument(help: "CATALOG") var catalog: String
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                try CatalogOutput.show(try await client.send("GET", ["metalakes", try metalake.resolved(), "catalogs", catalog, "schemas"]), "identifiers", json: connection.json)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a schema CATALOG.SCHEMA.")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        @Argument(help: "CATALOG.SCHEMA") var name: String
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                let p = try CatalogOutput.parts(name, 2, "the schema")
                try CatalogOutput.show(try await client.send("GET", CatalogOutput.schemaPath(try metalake.resolved(), p)), "schema", json: connection.json)
            }
        }
    }

    struct Drop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Drop a schema CATALOG.SCHEMA.")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        @Argument(help: "CATALOG.SCHEMA") var name: String
        @Flag(help: "Drop everything in the schema too.") var cascade = false
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                let p = try CatalogOutput.parts(name, 2, "the schema")
                let answer = try await client.send("DELETE", CatalogOutput.schemaPath(try metalake.resolved(), p), query: ["cascade": cascade ? "true" : "false"])
                if connection.json { try CatalogOutput.printJSON(answer) } else { print((answer["dropped"] as? Bool) == true ? "dropped schema \(name)" : "no schema \(name)") }
            }
        }
    }
}

struct CatalogTableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "table", abstract: "List and show tables.", subcommands: [List.self, Show.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tables of CATALOG.SCHEMA.")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        @Argument(help: "CATALOG.SCHEMA") var schema: String
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                let p = try CatalogOutput.parts(schema, 2, "the schema")
                try CatalogOutput.show(try await client.send("GET", CatalogOutput.schemaPath(try metalake.resolved(), p) + ["tables"]), "identifiers", json: connection.json)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a table CATALOG.SCHEMA.TABLE: columns, partitioning, distribution, properties.")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        @Argument(help: "CATALOG.SCHEMA.TABLE") var name: String
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                let p = try CatalogOutput.parts(name, 3, "the table")
                try CatalogOutput.show(try await client.send("GET", CatalogOutput.schemaPath(try metalake.resolved(), p) + ["tables", p[2]]), "table", json: connection.json)
            }
        }
    }
}

struct CatalogFilesetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fileset", abstract: "Create, list, show and drop filesets; resolve file locations.",
                                                    subcommands: [Create.self, List.self, Show.self, Location.self, Drop.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a fileset CATALOG.SCHEMA.FILESET.")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        @Argument(help: "CATALOG.SCHEMA.FILESET") var name: String
        @Option(help: "managed (the service creates and removes its directories) or external.") var type: String = "managed"
        @Option(name: .customLong("location"), help: "A storage location, URI or NAME=URI (repeatable); default: from the catalog and schema.") var locations: [String] = []
        @Option(help: "A comment.") var comment: String?
        @Option(name: .customLong("property"), help: "A property KEY=VALUE (repeatable).") var properties: [String] = []
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                let p = try CatalogOutput.parts(name, 3, "the fileset")
                var named: [String: String] = [:]
                for location in locations {
                    if let eq = location.firstIndex(of: "="), !location[..<eq].contains(":") {
                        named[String(location[..<eq])] = String(location[location.index(after: eq)...])
                    } else {
                        named["unknown"] = location
                    }
                }
                var body: [String: Any] = ["name": p[2], "type": type, "storageLocations": named, "properties": try CatalogOutput.properties(properties)]
                if let comment { body["comment"] = comment }
                let answer = try await client.send("POST", CatalogOutput.schemaPath(try metalake.resolved(), p) + ["filesets"], body: body)
                if connection.json { try CatalogOutput.printJSON(answer) } else {
                    let fileset = answer["fileset"] as? [String: Any]
                    print("created fileset \(name) at \((fileset?["storageLocations"] as? [String: String])?.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") ?? "?")")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the filesets of CATALOG.SCHEMA.")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        @Argument(help: "CATALOG.SCHEMA") var schema: String
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                let p = try CatalogOutput.parts(schema, 2, "the schema")
                try CatalogOutput.show(try await client.send("GET", CatalogOutput.schemaPath(try metalake.resolved(), p) + ["filesets"]), "identifiers", json: connection.json)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a fileset CATALOG.SCHEMA.FILESET.")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        @Argument(help: "CATALOG.SCHEMA.FILESET") var name: String
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                let p = try CatalogOutput.parts(name, 3, "the fileset")
                try CatalogOutput.show(try await client.send("GET", CatalogOutput.schemaPath(try metalake.resolved(), p) + ["filesets", p[2]]), "fileset", json: connection.json)
            }
        }
    }

    struct Location: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the storage location of a sub-path of a fileset.")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        @Argument(help: "CATALOG.SCHEMA.FILESET") var name: String
        @Argument(help: "The sub-path inside the fileset (empty for its root).") var subPath: String = ""
        @Option(name: .customLong("location-name"), help: "Which of the fileset's locations (default: the only one, else default-location-name).") var locationName: String?
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                let p = try CatalogOutput.parts(name, 3, "the fileset")
                var query = ["sub_path": subPath]
                if let locationName { query["location_name"] = locationName }
                try CatalogOutput.show(try await client.send("GET", CatalogOutput.schemaPath(try metalake.resolved(), p) + ["filesets", p[2], "location"], query: query), "fileLocation", json: connection.json)
            }
        }
    }

    struct Drop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Drop a fileset (a managed fileset's files are removed).")
        @OptionGroup var connection: CatalogConnection
        @OptionGroup var metalake: MetalakeOption
        @Argument(help: "CATALOG.SCHEMA.FILESET") var name: String
        func run() async throws {
            try await CatalogCLI.withClient(connection) { client in
                let p = try CatalogOutput.parts(name, 3, "the fileset")
                let answer = try await client.send("DELETE", CatalogOutput.schemaPath(try metalake.resolved(), p) + ["filesets", p[2]])
                if connection.json { try CatalogOutput.printJSON(answer) } else { print((answer["dropped"] as? Bool) == true ? "dropped fileset \(name)" : "no fileset \(name)") }
            }
        }
    }
}
