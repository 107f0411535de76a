import Foundation
import WeirFileIO
import WeirPaimon

/// One Paimon table on a FileIO (Java's `FileStoreTable`): its directory, its latest schema, and the entry
/// points for scans, writes and maintenance. A value is a view of the table as of `open`; a newer schema or
/// snapshot written later is seen by opening again (scans resolve the snapshot when they plan).
public struct FileStoreTable: Sendable {
    public let io: any FileIO
    public let identifier: TableIdentifier?
    public let paths: TablePaths
    public let schema: TableSchema

    public init(io: any FileIO, identifier: TableIdentifier?, paths: TablePaths, schema: TableSchema) {
        self.io = io
        self.identifier = identifier
        self.paths = paths
        self.schema = schema
    }

    /// Opens the table at `root` with its latest schema; `.notFound` if there is no schema file.
    public static func open(io: any FileIO, root: StoragePath, identifier: TableIdentifier? = nil) async throws(TableError) -> FileStoreTable {
        let paths = try TablePaths(root: root)
        guard let schema = try await SchemaStore(io: io, paths: paths).latest() else {
            throw TableError(.notFound, identifier?.description ?? root.description, "no such table (no schema file under \(root))")
        }
        return FileStoreTable(io: io, identifier: identifier, paths: paths, schema: schema)
    }

    /// The name used in errors.
    public var name: String { identifier?.description ?? paths.root.description }

    public var isPrimaryKeyTable: Bool { !schema.primaryKeys.isEmpty }

    public var options: CoreOptions { schema.coreOptions }

    public var snapshots: SnapshotStore { SnapshotStore(io: io, paths: paths) }
    public var schemas: SchemaStore { SchemaStore(io: io, paths: paths) }
    public var tags: TagStore { TagStore(io: io, paths: paths) }

    /// The schema with id `id` (the latest one without a read).
    public func schema(id: Int64) async throws(TableError) -> TableSchema {
        if id == schema.id { return schema }
        return try await schemas.schema(id)
    }

    /// Applies schema changes as a new schema file (created if absent; a concurrent alter makes this retry on
    /// the newer schema, up to `attemptsMax` times). Returns the table with the new schema.
    public func alter(_ changes: [SchemaChange], nowMillis: Int64 = currentTimeMillis(), attemptsMax: Int = 10) async throws(TableError) -> FileStoreTable {
        var current = schema
        for _ in 0..<attemptsMax {
            let next = try SchemaEvolution.apply(changes, to: current, timeMillis: nowMillis)
            try Self.validateForCreate(next, subject: name)
            if try await schemas.tryCreate(next) {
                return FileStoreTable(io: io, identifier: identifier, paths: paths, schema: next)
            }
            guard let latest = try await schemas.latest() else { throw TableError(.notFound, name, "the schema files disappeared") }
            current = latest
        }
        throw TableError(.conflict, name, "the schema changed concurrently \(attemptsMax) times; try again")
    }

    /// Checks what Weir needs before it creates or alters a table: options that parse, a bucket mode Weir can
    /// read, merge options its merge functions accept.
    static func validateForCreate(_ schema: TableSchema, subject: String) throws(TableError) {
        let options = schema.coreOptions
        let bucket: Int32
        do {
            bucket = try options.bucket()
            _ = try options.fileFormat()
            _ = try options.mergeEngine()
        } catch {
            throw TableError(.invalidTable, subject, error.description)
        }
        guard bucket == -1 || bucket == -2 || bucket > 0 else {
            throw TableError(.invalidTable, subject, "bucket = \(bucket): use -1 (dynamic/unaware), -2 (postpone) or a positive count")
        }
        if schema.primaryKeys.isEmpty {
            if bucket > 0 && options.raw(CoreOptions.bucketKey) == nil {
                throw TableError(.invalidTable, subject, "an append table with bucket = \(bucket) needs the 'bucket-key' option")
            }
        } else {
            guard !schema.trimmedPrimaryKeys.isEmpty else {
                throw TableError(.invalidTable, subject, "the primary key must contain a column that is not a partition key")
            }
            _ = try MergeFunctionFactory(schema: schema)
        }
    }
}

/// Wall-clock milliseconds since the epoch (the default clock of commits and maintenance).
public func currentTimeMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
