import Foundation

/// Where a catalog store lives, as written on the command line: `sqlite:PATH` (a file; `sqlite::memory:` for a
/// private in-memory database) or `postgresql://user:password@host:port/database` (also `postgres://`).
public enum StoreURL: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgresql(PostgresLocation)

    public init(parsing text: String, currentDirectory: String = FileManager.default.currentDirectoryPath) throws {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty, !path.utf8.contains(where: { $0 < 0x20 }) else {
                throw CatalogError(.illegalArgument, .other, "the store '\(text)' names no SQLite file (write sqlite:PATH)")
            }
            if path != ":memory:" && !path.hasPrefix("/") { path = currentDirectory + "/" + path }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgresql://") || text.hasPrefix("postgres://") {
            self = .postgresql(try PostgresLocation(url: text))
        } else {
            throw CatalogError(.illegalArgument, .other, "unknown store '\(text.prefix(120))': write sqlite:PATH or postgresql://user:password@host:port/database")
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgresql(let location): return location.description
        }
    }

    /// Opens the store and applies pending migrations (plus `extra` ones of other modules).
    public func open(extraMigrations: [Migration] = []) async throws -> SQLCatalogStore {
        let backend: any SQLBackend
        switch self {
        case .sqlite(let path): backend = try SQLiteBackend(path: path)
        case .postgresql(let location): backend = PostgresBackend(location: location)
        }
        let store = SQLCatalogStore(backend: backend)
        do {
            try await store.migrate(extra: extraMigrations)
        } catch {
            await store.close()
            throw error
        }
        return store
    }
}
