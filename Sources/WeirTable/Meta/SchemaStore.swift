import WeirFileIO
import WeirPaimon

/// The schema versions of a table (`schema/schema-<id>`), mirroring Java's `SchemaManager`: a directory is a table
/// when it holds schema files; the latest schema is the one with the largest id.
public struct SchemaStore: Sendable {
    public let io: any FileIO
    public let paths: TablePaths

    public init(io: any FileIO, paths: TablePaths) {
        self.io = io
        self.paths = paths
    }

    /// Every schema id, ascending.
    public func ids() async throws(TableError) -> [Int64] {
        try await MetaIO.listFiles(io, paths.schemaDirectory)
            .compactMap { SchemaManager.parseSchemaFileName(String($0.path.name)) }
            .sorted()
    }

    /// Schema `id`; `notFound` when missing, `corrupt` when it does not parse or holds another id.
    public func schema(_ id: Int64) async throws(TableError) -> TableSchema {
        let path = paths.schema(id)
        let bytes = try await MetaIO.read(io, path, bytesMax: TableSchema.jsonBytesMax)
        let schema: TableSchema
        do {
            schema = try TableSchema(parsing: bytes, subject: path.description)
        } catch {
            throw TableError(.corrupt, path.description, error.message)
        }
        guard schema.id == id else { throw TableError(.corrupt, path.description, "the file holds schema id \(schema.id)") }
        return schema
    }

    /// The latest schema, nil when the directory holds no schema (no table).
    public func latest() async throws(TableError) -> TableSchema? {
        guard let id = try await ids().last else { return nil }
        return try await schema(id)
    }

    /// Atomically writes `schema` as `schema-<id>` unless that id exists: true when written, false when taken.
    public func tryCreate(_ schema: TableSchema) async throws(TableError) -> Bool {
        guard io.capabilities.atomicCreateIfAbsent else {
            throw TableError(.unsupported, paths.root.description,
                             "the store cannot create files atomically if absent, so concurrent schema changes could overwrite each other")
        }
        return try await MetaIO.write(io, paths.schema(schema.id), Array(schema.toJson().utf8), overwrite: false)
    }
}

/// Creating a table in a file-system catalog: writing its first schema.
public enum TableCreation {
    /// Writes `schema` (id 0) as `<root>/schema/schema-0` with an atomic create-if-absent. A table already at
    /// `root` (any schema file) is an `alreadyExists` error naming the table.
    public static func create(io: any FileIO, root: StoragePath, schema: TableSchema) async throws(TableError) {
        guard schema.id == 0 else {
            throw TableError(.invalidInput, root.description, "a new table's first schema has id 0, not \(schema.id)")
        }
        do {
            try SchemaValidation.validateTableSchema(schema)
        } catch {
            throw TableError(.invalidTable, root.description, error.description)
        }
        let paths = try TablePaths(root: root)
        let store = SchemaStore(io: io, paths: paths)
        if let existing = try await store.ids().first {
            throw TableError(.alreadyExists, root.description, "a table exists here (schema-\(existing))")
        }
        guard try await store.tryCreate(schema) else {
            throw TableError(.alreadyExists, root.description, "a table exists here (schema-0)")
        }
    }
}
