/// The seam through which a relational catalog's schemas and tables live in a real system rather than only in
/// the catalog store: `jdbc-postgresql` (``PostgresTableProvider``) and the Paimon table engine
/// (`lakehouse-paimon`, ``PaimonTableProvider``, given the catalog's `warehouse`).
///
/// The catalog service keeps a record of every schema and table a provider serves (for audit fields, properties
/// and tag associations), but the provider is the truth for what exists and for columns, indexes and comments.
/// Tables handed in and out carry Gravitino's model; audit fields in ``loadTable(schema:name:)``'s result are
/// ignored (the service takes them from its record). Errors are ``CatalogError``s: notFound (schema or table),
/// alreadyExists, nonEmpty, unsupported for what the system cannot express, connectionFailed when it is unreachable.
public protocol RelationalTableProvider: Sendable {
    func listSchemas() async throws -> [String]
    /// The schema's comment; notFound (subject schema) when it does not exist.
    func loadSchema(_ name: String) async throws -> String?
    func createSchema(_ name: String, comment: String?) async throws
    /// Drops the schema; false when absent; nonEmpty when it holds tables and `cascade` is false.
    func dropSchema(_ name: String, cascade: Bool) async throws -> Bool

    func listTables(schema: String) async throws -> [String]
    func loadTable(schema: String, name: String) async throws -> Table
    func createTable(schema: String, _ table: Table) async throws
    /// Applies `changes` (already checked against the current definition by ``Table/applying(_:)``).
    func alterTable(schema: String, name: String, changes: [TableChange]) async throws
    /// Drops the table; false when absent.
    func dropTable(schema: String, name: String, purge: Bool) async throws -> Bool

    /// Releases connections.
    func close() async

    /// True when table properties live in the system (Paimon's table options) rather than only in the catalog
    /// store's record (PostgreSQL has no table properties).
    var ownsTableProperties: Bool { get }
}

extension RelationalTableProvider {
    public var ownsTableProperties: Bool { false }
}

/// Which providers are served by a real system, and how to reach one from a catalog's properties.
public struct RelationalProviders: Sendable {
    public typealias Factory = @Sendable (_ catalog: Catalog) throws -> any RelationalTableProvider

    public private(set) var factories: [String: Factory]

    public init(factories: [String: Factory] = [:]) {
        self.factories = factories
    }

    /// `jdbc-postgresql` through PostgresNIO and `lakehouse-paimon` through the Paimon table engine.
    public static let standard = RelationalProviders(factories: [
        PostgresTableProvider.providerName: { catalog in try PostgresTableProvider(properties: catalog.properties) },
        PaimonTableProvider.providerName: { catalog in try PaimonTableProvider(properties: catalog.properties) },
    ])

    public mutating func register(_ provider: String, _ factory: @escaping Factory) {
        factories[provider] = factory
    }

    public func isServed(_ provider: String) -> Bool { factories[provider] != nil }
}
