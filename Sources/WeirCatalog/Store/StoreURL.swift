import Foundation

/// Where a catalog store lives, as written on the command line: `sqlite:PATH` (a file; `sqlite::memory:` for a
/// private in-memory database) or `postgresql://user:password@host:port/database` (also `postgres://`). Instead of
/// a password in the URL, `?password-file=PATH` names a file holding it (a Docker or Kubernetes secret), read when
/// the URL is parsed: at most ``passwordFileBytesMax`` bytes of UTF-8 without NUL or line breaks, one trailing line
/// break ignored; a missing, empty or oversized file is an error naming the file.
public enum StoreURL: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgresql(PostgresLocation)

    /// The query parameter naming the PostgreSQL password file.
    public static let passwordFileParameter = "password-file"
    /// The longest password file read, in bytes.
    public static let passwordFileBytesMax = 1024

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
            var location = try PostgresLocation(url: text)
            if let file = try Self.passwordFile(in: text) {
                guard location.password == nil else {
                    throw CatalogError(.illegalArgument, .other, "the store \(location) has a password in the URL and a \(Self.passwordFileParameter): give one")
                }
                let path = file.hasPrefix("/") ? file : currentDirectory + "/" + file
                location.password = try Self.readPassword(path)
            }
            self = .postgresql(location)
        } else {
            throw CatalogError(.illegalArgument, .other, "unknown store '\(text.prefix(120))': write sqlite:PATH or postgresql://user:password@host:port/database")
        }
    }

    /// The `password-file` query parameter of a PostgreSQL URL, if there is one (not empty, at most one).
    static func passwordFile(in text: String) throws -> String? {
        guard let components = URLComponents(string: text) else { return nil }
        let files = (components.queryItems ?? []).filter { $0.name == passwordFileParameter }
        guard let item = files.first else { return nil }
        guard files.count == 1, let path = item.value, !path.isEmpty, !path.utf8.contains(where: { $0 < 0x20 }) else {
            throw CatalogError(.illegalArgument, .other, "the store URL needs one \(passwordFileParameter)=PATH with a path, not \(files.map { $0.value ?? "" })")
        }
        return path
    }

    /// Reads a password file (see the type's contract).
    static func readPassword(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CatalogError(.illegalArgument, .other, "cannot read the PostgreSQL password file \(path): it is missing or not readable")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: passwordFileBytesMax + 1) ?? Data()
        } catch {
            throw CatalogError(.illegalArgument, .other, "cannot read the PostgreSQL password file \(path): \(error.localizedDescription)")
        }
        guard data.count <= passwordFileBytesMax else {
            throw CatalogError(.illegalArgument, .other, "the PostgreSQL password file \(path) is longer than \(passwordFileBytesMax) bytes")
        }
        var bytes = Array(data)
        if bytes.last == 0x0A { bytes.removeLast() }
        if bytes.last == 0x0D { bytes.removeLast() }
        guard !bytes.isEmpty else { throw CatalogError(.illegalArgument, .other, "the PostgreSQL password file \(path) is empty") }
        guard !bytes.contains(where: { $0 == 0 || $0 == 0x0A || $0 == 0x0D }), let password = String(validating: bytes, as: UTF8.self) else {
            throw CatalogError(.illegalArgument, .other, "the PostgreSQL password file \(path) must hold one line of UTF-8 text")
        }
        return password
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
