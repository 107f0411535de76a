import ArgumentParser
import Foundation
import Logging
import WeirCatalog
import WeirHTTP

/// `weir catalog`: the unified metadata service (Gravitino-compatible REST API) and commands that use it.
struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Run the metadata service (Gravitino REST API) and manage metalakes, catalogs, schemas, tables, filesets, models and tags.",
        discussion: """
            `weir catalog serve` runs the service. The other commands talk to a running service (--server URL, or \
            WEIR_CATALOG_SERVER) or work directly on a store (--store sqlite:PATH|postgresql://..., or WEIR_CATALOG_STORE). \
            Objects below a metalake are named with dots: CATALOG, CATALOG.SCHEMA, CATALOG.SCHEMA.NAME.
            """,
        subcommands: [CatalogServe.self, CatalogMetalakeCommand.self, CatalogCatalogCommand.self, CatalogSchemaCommand.self,
                      CatalogTableCommand.self, CatalogFilesetCommand.self, CatalogModelCommand.self, CatalogTagCommand.self]
    )
}

/// `weir catalog serve`: the REST API on a store, until SIGTERM or SIGINT.
struct CatalogServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the Gravitino-compatible REST API on a catalog store until SIGTERM or SIGINT.")

    @Option(name: .long, help: "The store: sqlite:PATH (created if missing) or postgresql://user:password@host:port/database (or ?password-file=PATH for the password).")
    var store: String = "sqlite:weir-catalog.db"

    @Option(name: .long, help: "Address to listen on, HOST:PORT (loopback by default).")
    var listen: String = "127.0.0.1:\(CatalogServer.defaultPort)"

    @Option(name: .long, help: "Root URI for managed filesets whose catalog and schema name no location (file://, s3://, memory://).")
    var warehouse: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func run() async throws {
        try await CatalogCLI.reportingErrors {
            let (host, port) = try CatalogCLI.parseListen(listen)
            guard let level = Logger.Level(rawValue: logLevel) else { throw CatalogCLIError("unknown log level '\(logLevel)'") }
            var logger = Logger(label: "weir.catalog")
            logger.logLevel = level
            if let warehouse { _ = try Storage().path(warehouse) }
            let storeURL = try StoreURL(parsing: store)
            let opened = try await storeURL.open()
            let service = CatalogService(store: opened, warehouse: warehouse.map { try? Storage().path($0).description } ?? nil)
            try await CatalogServer.run(service: service, host: host, port: port, logger: logger) { bound in
                // One line on standard output once listening, for scripts and tests that wait for it.
                FileHandle.standardOutput.write(Data("weir catalog: serving \(storeURL) on http://\(host):\(bound)\n".utf8))
            }
        }
    }
}

/// Helpers the catalog commands share.
enum CatalogCLI {
    /// `HOST:PORT` → parts; the port must be 0...65535.
    static func parseListen(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw CatalogCLIError("--listen must be HOST:PORT, not '\(text)'")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw CatalogCLIError("--listen must name a host, not '\(text)'") }
        return (host, port)
    }

    /// Runs `body`, printing operating errors as `weir: ...` and exiting with status 1.
    static func reportingErrors(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as CleanExit {
            throw error
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("weir: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// A usage or operating error of a catalog command.
struct CatalogCLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
