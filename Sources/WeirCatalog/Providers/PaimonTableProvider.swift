import Foundation
import WeirColumnar
import WeirFileIO
import WeirPaimon
import WeirTable

/// The `lakehouse-paimon` provider: the catalog's schemas and tables are the databases and tables of a Paimon
/// filesystem warehouse (catalog property `warehouse`: a local path or a file:// or s3:// URI, reached with the
/// FileIO backends configured from the environment), so tables created through the REST API are real Paimon
/// tables that Weir, pypaimon and Java Paimon read and write, and tables written there by any of them are listed
/// and loaded with their real schema.
///
/// Mapping (as Gravitino's own Paimon catalog does): columns ↔ fields (``PaimonTypeMapping``), identity
/// partitioning ↔ partition keys, a PRIMARY_KEY index ↔ primary keys, hash distribution with N buckets ↔ option
/// `bucket` = N (and its field references ↔ `bucket-key` when they differ from the primary key), table
/// properties ↔ table options, comment ↔ schema comment. Other partition transforms, range or even
/// distributions, sort orders and unique keys cannot be expressed and are refused as unsupported. Dropping a
/// table deletes its directory (Paimon's filesystem catalog keeps no data apart from it, so purge changes
/// nothing).
public struct PaimonTableProvider: RelationalTableProvider {
    public static let providerName = "lakehouse-paimon"
    public static let warehouseProperty = "warehouse"

    let warehouse: Warehouse

    public init(properties: [String: String], environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let location = properties[Self.warehouseProperty], !location.isEmpty else {
            throw CatalogError(.illegalArgument, .catalog, "a \(Self.providerName) catalog needs the property \(Self.warehouseProperty)")
        }
        do {
            let root = try StoragePath(parsingLocalOrURI: location, currentDirectory: FileManager.default.currentDirectoryPath)
            warehouse = Warehouse(io: try FileIOResolver(environment: environment).fileIO(for: root), root: root)
        } catch let error as FileIOError {
            throw CatalogError(.illegalArgument, .catalog, "\(Self.warehouseProperty) '\(location)': \(error.message)")
        }
    }

    public func close() async {}

    /// Table properties are the Paimon table's options.
    public var ownsTableProperties: Bool { true }

    // MARK: - Schemas

    public func listSchemas() async throws -> [String] { try await mapped(.schema) { try await warehouse.databases() } }

    public func loadSchema(_ name: String) async throws -> String? {
        guard try await listSchemas().contains(name) else {
            throw CatalogError(.notFound, .schema, "Schema \(name) does not exist in the Paimon warehouse")
        }
        return nil
    }

    public func createSchema(_ name: String, comment: String?) async throws {
        if try await listSchemas().contains(name) {
            throw CatalogError(.alreadyExists, .schema, "Schema \(name) already exists in the Paimon warehouse")
        }
        try await mapped(.schema) { try await warehouse.createDatabase(name) }
    }

    public func dropSchema(_ name: String, cascade: Bool) async throws -> Bool {
        guard try await listSchemas().contains(name) else { return false }
        if !cascade, try await !listTables(schema: name).isEmpty {
            throw CatalogError(.nonEmpty, .schema, "Schema \(name) is not empty in the Paimon warehouse; drop its tables first or drop with cascade")
        }
        return try await mapped(.schema) { try await warehouse.dropDatabase(name) }
    }

    // MARK: - Tables

    public func listTables(schema: String) async throws -> [String] {
        _ = try await loadSchema(schema)
        return try await mapped(.table) { try await warehouse.tables(in: schema) }
    }

    public func loadTable(schema: String, name: String) async throws -> Table {
        let table = try await mapped(.table) { try await warehouse.table(try TableIdentifier(database: schema, table: name)) }
        return Self.gravitinoTable(table.schema, name: name)
    }

    public func createTable(schema: String, _ table: Table) async throws {
        _ = try await loadSchema(schema)
        let paimonSchema = try Self.paimonSchema(table)
        try await mapped(.table) {
            try await warehouse.createTable(try TableIdentifier(database: schema, table: table.name), schema: paimonSchema)
        }
    }

    public func alterTable(schema: String, name: String, changes: [TableChange]) async throws {
        let identifier = try await mapped(.table) { try TableIdentifier(database: schema, table: name) }
        let table = try await mapped(.table) { try await warehouse.table(identifier) }
        var schemaChanges: [SchemaChange] = []
        for change in changes {
            switch change {
            case .setProperty(let key, let value): schemaChanges.append(.setOption(key: key, value: value))
            case .removeProperty(let key): schemaChanges.append(.removeOption(key: key))
            case .updateComment(let comment): schemaChanges.append(.updateComment(comment))
            case .addColumn(let column, let path, let position):
                guard path.count == 1 else { throw Self.unsupported("adding a nested column") }
                guard position == .last else { throw Self.unsupported("adding a column anywhere but at the end") }
                schemaChanges.append(.addColumn(name: column.name, type: try PaimonTypeMapping.paimonType(column.type, nullable: column.nullable, column: column.name),
                                                description: column.comment))
            case .renameColumn(let path, let newName):
                guard path.count == 1 else { throw Self.unsupported("renaming a nested column") }
                schemaChanges.append(.renameColumn(from: path[0], to: newName))
            case .deleteColumn(let path, let ifExists):
                guard path.count == 1 else { throw Self.unsupported("dropping a nested column") }
                if ifExists && !table.schema.fields.contains(where: { $0.name == path[0] }) { continue }
                schemaChanges.append(.dropColumn(name: path[0]))
            case .updateColumnType(let path, let type):
                guard path.count == 1, let field = table.schema.fields.first(where: { $0.name == path[0] }) else {
                    throw CatalogError(.notFound, .table, "no column \(path.joined(separator: ".")) in \(schema).\(name)")
                }
                schemaChanges.append(.updateColumnType(name: path[0], type: try PaimonTypeMapping.paimonType(type, nullable: field.type.isNullable, column: path[0])))
            case .updateColumnNullability(let path, let nullable):
                guard path.count == 1, let field = table.schema.fields.first(where: { $0.name == path[0] }) else {
                    throw CatalogError(.notFound, .table, "no column \(path.joined(separator: ".")) in \(schema).\(name)")
                }
                schemaChanges.append(.updateColumnType(name: path[0], type: field.type.nullable(nullable)))
            case .rename: throw Self.unsupported("renaming a table")
            default: throw Self.unsupported("this table change (\(change))")
            }
        }
        _ = try await mapped(.table) { try await table.alter(schemaChanges) }
    }

    public func dropTable(schema: String, name: String, purge: Bool) async throws -> Bool {
        try await mapped(.table) { try await warehouse.dropTable(try TableIdentifier(database: schema, table: name)) }
    }

    // MARK: - Mapping

    static func unsupported(_ what: String) -> CatalogError {
        CatalogError(.unsupported, .table, "a \(providerName) table does not support \(what)")
    }

    static func paimonSchema(_ table: Table) throws -> TableSchema {
        guard table.sortOrders.isEmpty else { throw unsupported("sort orders") }
        var partitionKeys: [String] = []
        for transform in table.partitioning {
            guard transform.strategy == "identity", let path = transform.json["fieldName"]?.arrayValue?.compactMap(\.stringValue), path.count == 1 else {
                throw unsupported("'\(transform.strategy)' partitioning (only identity partitions on top-level columns)")
            }
            partitionKeys.append(path[0])
        }
        var primaryKeys: [String] = []
        for index in table.indexes {
            guard index.indexType == .primaryKey else { throw unsupported("unique keys") }
            guard primaryKeys.isEmpty else { throw unsupported("more than one primary key") }
            for path in index.fieldNames {
                guard path.count == 1 else { throw unsupported("a primary key on a nested field") }
                primaryKeys.append(path[0])
            }
        }
        var options = table.properties
        switch table.distribution.strategy {
        case .none: break
        case .hash:
            if table.distribution.number > 0 { options["bucket"] = String(table.distribution.number) }
            let keys = table.distribution.funcArgs.compactMap { $0["fieldName"]?.arrayValue?.compactMap(\.stringValue) }
            if keys.contains(where: { $0.count != 1 }) { throw unsupported("bucketing on a nested field") }
            let names = keys.map { $0[0] }
            if !names.isEmpty && names != primaryKeys.filter({ !partitionKeys.contains($0) }) { options["bucket-key"] = names.joined(separator: ",") }
        case .range, .even: throw unsupported("\(table.distribution.strategy.rawValue) distribution (only hash buckets)")
        }
        let columns = try table.columns.map { column in
            TableSchema.Column(column.name, try PaimonTypeMapping.paimonType(column.type, nullable: column.nullable, column: column.name), description: column.comment)
        }
        do {
            return try TableSchema.create(columns: columns, partitionKeys: partitionKeys, primaryKeys: primaryKeys, options: options,
                                          comment: table.comment, timeMillis: currentTimeMillis())
        } catch {
            throw CatalogError(.illegalArgument, .table, error.description)
        }
    }

    static func gravitinoTable(_ schema: TableSchema, name: String) -> Table {
        let columns = schema.fields.map { field in
            Column(name: field.name, type: PaimonTypeMapping.gravitinoType(field.type), comment: field.description, nullable: field.type.isNullable)
        }
        let partitioning = schema.partitionKeys.compactMap { key in
            try? Partitioning(json: .object(["strategy": .string("identity"), "fieldName": .array([.string(key)])]))
        }
        var distribution = Distribution.none
        if schema.numBuckets > 0 {
            distribution = Distribution(strategy: .hash, number: Int(schema.numBuckets), funcArgs: schema.bucketKeys.map {
                .object(["type": .string("field"), "fieldName": .array([.string($0)])])
            })
        }
        let indexes = schema.primaryKeys.isEmpty ? [] : [TableIndex(indexType: .primaryKey, name: "PRIMARY", fieldNames: schema.primaryKeys.map { [$0] })]
        let created = Date(timeIntervalSince1970: Double(schema.timeMillis) / 1000)
        return Table(name: name, comment: schema.comment, columns: columns, properties: schema.options, partitioning: partitioning,
                     distribution: distribution, indexes: indexes, audit: AuditInfo(creator: "", createTime: created, lastModifier: "", lastModifiedTime: created))
    }

    /// Runs a table-engine call, turning its errors into catalog errors about `subject`.
    func mapped<T>(_ subject: CatalogError.Subject, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as TableError {
            switch error.kind {
            case .notFound: throw CatalogError(.notFound, subject, error.description)
            case .alreadyExists: throw CatalogError(.alreadyExists, subject, error.description)
            case .invalidInput, .invalidTable: throw CatalogError(.illegalArgument, subject, error.description)
            case .unsupported: throw CatalogError(.unsupported, subject, error.description)
            case .conflict, .corrupt, .io: throw CatalogError(.internalError, subject, error.description)
            }
        }
    }
}
