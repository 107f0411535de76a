import Foundation
import GRDB

/// The embedded store: one SQLite database file through GRDB, in WAL mode, with a busy timeout so several
/// processes (a server and a `weir catalog` command) can share it.
///
/// One connection serves every transaction in turn (an ``AsyncLock`` hands it over); a write transaction
/// starts with `BEGIN IMMEDIATE`, so transactions of other connections and processes wait for it instead of failing
/// midway. A transaction holds the write lock across the suspension points of its body, so bodies run on
/// ``SQLThreads/shared``, never waiting for Swift's cooperative pool.
public final class SQLiteBackend: SQLBackend {
    /// How long a statement waits for another connection's lock before failing, in milliseconds.
    public static let busyTimeoutMs = 30_000

    public let path: String
    public var dialect: SQLDialect { .sqlite }
    private let queue: DatabaseQueue
    private let lock = AsyncLock()

    /// Opens (creating if needed) the database at `path`; `:memory:` gives a private in-memory database.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        configuration.busyMode = .timeout(Double(Self.busyTimeoutMs) / 1000)
        if path != ":memory:" { configuration.journalMode = .wal }
        configuration.label = "weir-catalog"
        do {
            if path == ":memory:" {
                queue = try DatabaseQueue(configuration: configuration)
            } else {
                let directory = (path as NSString).deletingLastPathComponent
                if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
                queue = try DatabaseQueue(path: path, configuration: configuration)
            }
        } catch {
            throw SQLError(.connection, "cannot open the SQLite database \(path): \(error)")
        }
        self.path = path
    }

    /// Runs `body` in one transaction on ``SQLThreads/shared``: committed when it returns, rolled back when it throws.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLTransaction) async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(SQLThreads.shared) { try await self.locked(body) }
    }

    private func locked<T: Sendable>(_ body: @escaping @Sendable (any SQLTransaction) async throws -> T) async throws -> T {
        try await lock.withLock {
            let tx = Transaction(queue: queue)
            try await tx.run("BEGIN IMMEDIATE")
            do {
                let result = try await body(tx)
                try await tx.run("COMMIT")
                return result
            } catch {
                try? await tx.run("ROLLBACK")
                throw error
            }
        }
    }

    public func close() async {
        try? queue.close()
    }

    struct Transaction: SQLTransaction {
        let queue: DatabaseQueue
        var dialect: SQLDialect { .sqlite }

        func run(_ sql: String) async throws {
            try await execute(sql, [])
        }

        func execute(_ sql: String, _ binds: [SQLValue]) async throws {
            let arguments = Self.arguments(binds)
            do {
                try await queue.writeWithoutTransaction { db in
                    try db.execute(sql: sql, arguments: arguments)
                }
            } catch {
                throw Self.mapped(error, sql)
            }
        }

        func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
            let arguments = Self.arguments(binds)
            do {
                return try await queue.writeWithoutTransaction { db in
                    try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                        row.databaseValues.map { value -> SQLValue in
                            switch value.storage {
                            case .null: return .null
                            case .int64(let v): return .integer(v)
                            case .double(let v): return .integer(Int64(v))
                            case .string(let s): return .text(s)
                            case .blob(let data): return .text(String(decoding: data, as: UTF8.self))
                            }
                        }
                    }
                }
            } catch {
                throw Self.mapped(error, sql)
            }
        }

        static func arguments(_ binds: [SQLValue]) -> StatementArguments {
            StatementArguments(binds.map { value -> (any DatabaseValueConvertible)? in
                switch value {
                case .null: return nil
                case .integer(let v): return v
                case .text(let s): return s
                }
            })
        }

        static func mapped(_ error: any Error, _ sql: String) -> SQLError {
            let statement = sql.prefix(120)
            if let error = error as? DatabaseError {
                if error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE || error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
                    return SQLError(.uniqueViolation, "SQLite: \(error.message ?? "unique constraint") in: \(statement)")
                }
                return SQLError(.failed, "SQLite error \(error.extendedResultCode.rawValue): \(error.message ?? "") in: \(statement)")
            }
            return SQLError(.failed, "SQLite: \(error) in: \(statement)")
        }
    }
}
