import WeirFileIO
import WeirPaimon

/// A filesystem-catalog warehouse (Java's `FileSystemCatalog`): databases are directories `<root>/<db>.db/`,
/// tables are directories under them that hold `schema/schema-N` files. There is no other catalog state, so
/// Java Paimon, pypaimon and Weir pointed at the same root see the same tables.
///
/// Creating a table is atomic (its `schema-0` is created if absent); dropping one deletes its directory.
public struct Warehouse: Sendable {
    public static let databaseSuffix = ".db"

    public let io: any FileIO
    public let root: StoragePath

    public init(io: any FileIO, root: StoragePath) {
        self.io = io
        self.root = root
    }

    public func databasePath(_ database: String) throws(TableError) -> StoragePath {
        try TableIdentifier.validate(database, what: "database")
        return try appending(root, database + Self.databaseSuffix)
    }

    public func tablePath(_ identifier: TableIdentifier) throws(TableError) -> StoragePath {
        try appending(try databasePath(identifier.database), identifier.table)
    }

    /// The databases: directories named `*.db` directly under the root.
    public func databases() async throws(TableError) -> [String] {
        let page = try await storage("list \(root)") { try await io.listAll(root, recursive: false) }
        return page.directories.compactMap { dir -> String? in
            let name = String(dir.name)
            guard name.hasSuffix(Self.databaseSuffix), name.count > Self.databaseSuffix.count else { return nil }
            return String(name.dropLast(Self.databaseSuffix.count))
        }.sorted()
    }

    public func createDatabase(_ database: String) async throws(TableError) {
        let path = try databasePath(database)
        try await storage("create database \(database)") { try await io.mkdirs(path) }
    }

    /// Deletes a database directory with every table in it. Returns false if there was none.
    @discardableResult
    public func dropDatabase(_ database: String) async throws(TableError) -> Bool {
        let path = try databasePath(database)
        return try await storage("drop database \(database)") { try await io.delete(path, recursive: true) }
    }

    /// The tables of a database: subdirectories that hold at least one schema file.
    public func tables(in database: String) async throws(TableError) -> [String] {
        let path = try databasePath(database)
        let page = try await storage("list \(path)") { try await io.listAll(path, recursive: false) }
        var tables: [String] = []
        for dir in page.directories {
            let schemaDir = try appending(dir, "schema")
            let schemas = try await storage("list \(schemaDir)") {
                try await io.list(schemaDir, options: ListOptions(namePrefix: "schema-", limit: 1))
            }
            if !schemas.files.isEmpty { tables.append(String(dir.name)) }
        }
        return tables.sorted()
    }

    /// Creates a table with `schema` as its `schema-0`; `.alreadyExists` if the table exists.
    @discardableResult
    public func createTable(_ identifier: TableIdentifier, schema: TableSchema) async throws(TableError) -> FileStoreTable {
        try FileStoreTable.validateForCreate(schema, subject: identifier.description)
        let path = try tablePath(identifier)
        try await TableCreation.create(io: io, root: path, schema: schema)
        return try await FileStoreTable.open(io: io, root: path, identifier: identifier)
    }

    /// Whether the table has a schema file.
    public func tableExists(_ identifier: TableIdentifier) async throws(TableError) -> Bool {
        try await SchemaStore(io: io, paths: try TablePaths(root: try tablePath(identifier))).latest() != nil
    }

    public func table(_ identifier: TableIdentifier) async throws(TableError) -> FileStoreTable {
        try await FileStoreTable.open(io: io, root: try tablePath(identifier), identifier: identifier)
    }

    /// Deletes the table's directory with everything in it. Returns false if there was no table.
    @discardableResult
    public func dropTable(_ identifier: TableIdentifier) async throws(TableError) -> Bool {
        let path = try tablePath(identifier)
        return try await storage("drop \(identifier)") { try await io.delete(path, recursive: true) }
    }

    func appending(_ base: StoragePath, _ name: String) throws(TableError) -> StoragePath {
        do { return try base.appending(name) } catch { throw TableError(.invalidInput, name, error.description) }
    }
}

/// Runs a storage operation, turning its error into a ``TableError`` that names `subject`.
func storage<T>(_ subject: String, _ body: () async throws -> T) async throws(TableError) -> T {
    do {
        return try await body()
    } catch {
        throw MetaIO.tableError(error, subject: subject)
    }
}
