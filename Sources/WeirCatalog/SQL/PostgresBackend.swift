import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Where a PostgreSQL server is and how to log in: parsed from `postgresql://user:password@host:port/database`
/// (also `postgres://`); a `host` query parameter naming a directory selects the Unix socket
/// `<dir>/.s.PGSQL.<port>` instead of TCP (as libpq does). Only unencrypted connections are made (`sslmode`
/// absent, `disable` or `prefer`), which suits loopback and Unix sockets.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var socketDirectory: String?
    public var user: String
    public var password: String?
    public var database: String

    public init(host: String, port: Int = 5432, socketDirectory: String? = nil, user: String, password: String?, database: String) {
        self.host = host
        self.port = port
        self.socketDirectory = socketDirectory
        self.user = user
        self.password = password
        self.database = database
    }

    /// Parses a `postgresql://` URL (also a JDBC `jdbc:postgresql://` URL); user, password and database given
    /// here override those in the URL.
    public init(url text: String, user: String? = nil, password: String? = nil, database: String? = nil) throws {
        var rest = text
        if rest.hasPrefix("jdbc:") { rest.removeFirst(5) }
        guard let components = URLComponents(string: rest), let scheme = components.scheme,
              scheme == "postgresql" || scheme == "postgres" else {
            throw CatalogError(.illegalArgument, .other, "'\(text.prefix(200))' is not a postgresql:// URL")
        }
        var socketDirectory: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "host": socketDirectory = item.value
            case "sslmode":
                guard ["disable", "prefer", "allow"].contains(item.value ?? "") else {
                    throw CatalogError(.illegalArgument, .other, "sslmode=\(item.value ?? "") is not supported: Weir connects to PostgreSQL without TLS")
                }
            case "user": if components.user == nil, let v = item.value { rest = v }
            default: break
            }
        }
        let urlUser = components.percentEncodedUser?.removingPercentEncoding
        let urlPassword = components.percentEncodedPassword?.removingPercentEncoding
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard let resolvedUser = user ?? urlUser ?? components.queryItems?.first(where: { $0.name == "user" })?.value, !resolvedUser.isEmpty else {
            throw CatalogError(.illegalArgument, .other, "the PostgreSQL URL '\(text.prefix(200))' names no user")
        }
        let resolvedDatabase = database ?? (path.isEmpty ? resolvedUser : (path.removingPercentEncoding ?? path))
        self.init(host: components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1", port: components.port ?? 5432,
                  socketDirectory: socketDirectory, user: resolvedUser, password: password ?? urlPassword, database: resolvedDatabase)
    }

    /// The location without the password, for messages.
    public var description: String {
        if let socketDirectory { return "postgresql://\(user)@[\(socketDirectory)]:\(port)/\(database)" }
        return "postgresql://\(user)@\(host):\(port)/\(database)"
    }
}

/// The shared store on PostgreSQL through PostgresNIO's connection pool. Each transaction leases one
/// connection and runs `BEGIN ... COMMIT` on it (READ COMMITTED; races are decided by unique constraints and
/// row locks taken with `SELECT ... FOR UPDATE`).
public final class PostgresBackend: SQLBackend {
    /// How long one transaction may take, including waiting for a connection, in milliseconds.
    public static let transactionTimeoutMs = 15_000
    /// The most connections the pool opens.
    public static let connectionsMax = 16

    public let location: PostgresLocation
    /// How long one transaction may take here, in milliseconds.
    public let transactionTimeoutMs: Int
    public var dialect: SQLDialect { .postgresql }
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger
    private let probeConfiguration: PostgresConnection.Configuration
    /// Whether a probe connection has logged in (see ``loggedIn()``).
    private let probed = Mutex(false)

    public init(location: PostgresLocation, connectionsMax: Int = PostgresBackend.connectionsMax,
                transactionTimeoutMs: Int = PostgresBackend.transactionTimeoutMs) {
        self.transactionTimeoutMs = transactionTimeoutMs
        var configuration: PostgresClient.Configuration
        if let directory = location.socketDirectory {
            configuration = .init(unixSocketPath: directory + "/.s.PGSQL.\(location.port)", username: location.user,
                                  password: location.password, database: location.database)
            probeConfiguration = .init(unixSocketPath: directory + "/.s.PGSQL.\(location.port)", username: location.user,
                                       password: location.password, database: location.database)
        } else {
            configuration = .init(host: location.host, port: location.port, username: location.user,
                                  password: location.password, database: location.database, tls: .disable)
            probeConfiguration = .init(host: location.host, port: location.port, username: location.user,
                                       password: location.password, database: location.database, tls: .disable)
        }
        configuration.options.maximumConnections = max(1, connectionsMax)
        configuration.options.connectTimeout = .milliseconds(Int64(min(5_000, transactionTimeoutMs)))
        var logger = Logger(label: "weir.catalog.postgres")
        logger.logLevel = .critical
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.location = location
        self.logger = logger
        // The pool's run loop opens and looks after the connections that transactions lease: on the cooperative pool,
        // held by CPU-bound work, a lease waited past its deadline for a connection nobody was opening.
        runner = Task(executorPreference: SQLThreads.shared) { await client.run() }
    }

    /// Runs `body` in one transaction on ``SQLThreads/shared``, within ``transactionTimeoutMs``.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLTransaction) async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(SQLThreads.shared) { try await self.leased(body) }
    }

    /// Until one has succeeded, logs in once with a connection of its own before a transaction leases one from the
    /// pool: the pool keeps retrying a login the server refuses, so a wrong password, a missing role or database, or
    /// an unreachable server would otherwise only show as a transaction that ran out of time. Throws the server's
    /// reason (or the connection error) as a `connection` error naming the store; the login may take up to
    /// ``transactionTimeoutMs`` (a loaded server can be slow to start a session).
    func loggedIn() async throws {
        if probed.withLock({ $0 }) { return }
        let configuration = probeConfiguration, location = location, logger = logger
        let connection: PostgresConnection
        do {
            connection = try await withDeadline(ms: transactionTimeoutMs, what: "logging in to \(location)") {
                try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            }
        } catch let error as PSQLError {
            throw Self.loginFailure(error, location: location)
        }
        try? await connection.close()
        probed.withLock { $0 = true }
    }

    /// A refused or failed login as a `connection` error with the server's message when there is one.
    static func loginFailure(_ error: PSQLError, location: PostgresLocation) -> SQLError {
        if let state = error.serverInfo?[.sqlState] {
            return SQLError(.connection, "cannot log in to \(location): PostgreSQL \(state): \(error.serverInfo?[.message] ?? "error")")
        }
        if error.code == .authMechanismRequiresPassword {
            return SQLError(.connection, "cannot log in to \(location): the server asks for a password and none was given "
                                + "(put it in the URL or name a file holding it with ?password-file=PATH)")
        }
        return SQLError(.connection, "cannot log in to \(location): \(error.code)\(error.underlying.map { " (\($0))" } ?? "")")
    }

    private func leased<T: Sendable>(_ body: @escaping @Sendable (any SQLTransaction) async throws -> T) async throws -> T {
        try await loggedIn()
        let client = client, logger = logger, location = location
        return try await withDeadline(ms: transactionTimeoutMs, what: "a transaction on \(location)") {
            do {
                return try await client.withTransaction(logger: logger) { connection in
                    try await body(Transaction(connection: connection, logger: logger))
                }
            } catch let error as PostgresTransactionError {
                // The body's own error comes back wrapped; hand it on as it was thrown.
                if let inner = error.closureError { throw inner }
                let failure = error.beginError ?? error.commitError ?? error.rollbackError
                if let failure = failure as? PSQLError { throw Self.mapped(failure, sql: "BEGIN/COMMIT", location: location) }
                throw SQLError(.connection, "PostgreSQL transaction on \(location) failed: \(String(describing: failure))")
            } catch let error as PSQLError {
                throw Self.mapped(error, sql: "BEGIN/COMMIT", location: location)
            }
        }
    }

    public func close() async {
        runner.cancel()
        _ = await runner.value
    }

    struct Transaction: SQLTransaction {
        let connection: PostgresConnection
        let logger: Logger
        var dialect: SQLDialect { .postgresql }

        func execute(_ sql: String, _ binds: [SQLValue]) async throws {
            do {
                let rows = try await connection.query(Self.query(sql, binds), logger: logger)
                for try await _ in rows {}
            } catch let error as PSQLError {
                throw PostgresBackend.mapped(error, sql: sql, location: nil)
            }
        }

        func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
            do {
                var out: [SQLRow] = []
                for try await row in try await connection.query(Self.query(sql, binds), logger: logger) {
                    var values: SQLRow = []
                    values.reserveCapacity(row.count)
                    for cell in row {
                        values.append(try Self.value(cell))
                    }
                    out.append(values)
                }
                return out
            } catch let error as PSQLError {
                throw PostgresBackend.mapped(error, sql: sql, location: nil)
            }
        }

        static func query(_ sql: String, _ binds: [SQLValue]) -> PostgresQuery {
            var bindings = PostgresBindings(capacity: binds.count)
            for bind in binds {
                switch bind {
                case .null: bindings.appendNull()
                case .integer(let v): bindings.append(v)
                case .text(let s): bindings.append(s)
                }
            }
            return PostgresQuery(unsafeSQL: sql.numberingPlaceholders(), binds: bindings)
        }

        static func value(_ cell: PostgresCell) throws -> SQLValue {
            guard cell.bytes != nil else { return .null }
            switch cell.dataType {
            case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
            case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
            default: return .text(try cell.decode(String.self))
            }
        }
    }

    static func mapped(_ error: PSQLError, sql: String, location: PostgresLocation?) -> SQLError {
        let statement = sql.prefix(120)
        if let state = error.serverInfo?[.sqlState] {
            let message = error.serverInfo?[.message] ?? "error"
            if state == "23505" { return SQLError(.uniqueViolation, "PostgreSQL \(state): \(message) in: \(statement)") }
            return SQLError(.failed, "PostgreSQL \(state): \(message) in: \(statement)")
        }
        let place = location.map { " (\($0))" } ?? ""
        return SQLError(.connection, "PostgreSQL connection failed\(place): \(error.code)")
    }
}

/// Runs `body`, failing with a connection error naming `what` when it takes longer than `ms` milliseconds.
func withDeadline<T: Sendable>(ms: Int, what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .milliseconds(ms))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw SQLError(.connection, "\(what) took longer than \(ms) ms")
        }
        return value
    }
}
