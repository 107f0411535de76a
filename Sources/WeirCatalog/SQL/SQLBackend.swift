import WeirFileIO

/// The SQL dialects the stores speak. Statements are written once with `?` placeholders; each backend
/// rewrites them for its server (`$1`, `$2`, ... on PostgreSQL).
public enum SQLDialect: String, Sendable {
    case sqlite, postgresql
}

/// A value bound to or read from a statement. The catalog's tables use only these column types: 64-bit
/// integers (also booleans and milliseconds since 1970) and text (also JSON documents).
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case text(String)

    public var int: Int64? { if case .integer(let v) = self { return v } else { return nil } }
    public var string: String? { if case .text(let v) = self { return v } else { return nil } }
}

/// One row of a result, in the order of the select list.
public typealias SQLRow = [SQLValue]

/// Statements run inside one transaction of a ``SQLBackend``.
public protocol SQLTransaction: Sendable {
    var dialect: SQLDialect { get }
    /// Runs a statement whose rows, if any, are not needed (use `RETURNING` with ``query(_:_:)`` to learn
    /// which rows a statement changed).
    func execute(_ sql: String, _ binds: [SQLValue]) async throws
    /// Runs a query and returns all its rows (callers bound their queries with LIMIT where a result could be large).
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
}

/// A database the stores run on: SQLite through GRDB (``SQLiteBackend``) or PostgreSQL through PostgresNIO
/// (``PostgresBackend``).
///
/// Contract: ``transaction(_:)`` runs `body` in one transaction that commits when `body` returns and rolls
/// back when it throws; concurrent transactions are isolated so that unique constraints decide races (the
/// loser's `INSERT ... ON CONFLICT DO NOTHING` inserts nothing). Errors are ``SQLError``s naming the statement.
/// Both backends run transactions on ``SQLThreads/shared``.
public protocol SQLBackend: Sendable {
    var dialect: SQLDialect { get }
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLTransaction) async throws -> T) async throws -> T
    /// Releases connections; later calls fail.
    func close() async
}

/// A database error with the statement it came from.
public struct SQLError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        /// A unique or primary-key constraint refused a row.
        case uniqueViolation
        /// The server could not be reached or the connection broke.
        case connection
        /// Anything else the database reported.
        case failed
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

extension String {
    /// The statement with `?` placeholders rewritten as `$1`, `$2`, ... (the statements of this module never
    /// put a `?` inside a string literal).
    func numberingPlaceholders() -> String {
        var out = ""
        out.reserveCapacity(utf8.count + 8)
        var n = 0
        for ch in self {
            if ch == "?" {
                n += 1
                out += "$\(n)"
            } else {
                out.append(ch)
            }
        }
        return out
    }
}

/// The threads SQL transactions run on (named `weir-sql-N`), apart from Swift's cooperative pool, started on first use
/// and kept for the process's life.
///
/// A transaction holds locks (SQLite's write lock, PostgreSQL's row locks) and a deadline across its suspension
/// points. On the cooperative pool, held by CPU-bound work (a test suite on two cores, a coordinator planning a big
/// job), a transaction whose continuation could not run made a second SQLite connection time out after 30 s, and a
/// PostgreSQL transaction overrun its 5 s deadline while the server had long answered. The blocking SQLite calls run
/// on GRDB's queue of each connection and PostgreSQL's I/O on NIO's event loops, so these threads only carry the
/// transactions' bodies.
public enum SQLThreads {
    public static let shared: DedicatedThreads = {
        let threads = DedicatedThreads(namePrefix: "weir-sql-", threads: 2)
        threads.start()
        return threads
    }()
}
