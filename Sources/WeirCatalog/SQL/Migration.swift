import Foundation

/// One versioned change to the database schema of one module (`catalog` now; `jobs` and `workers` later).
///
/// `statements` returns the DDL for a dialect; a migration runs exactly once per database, inside one
/// transaction together with the row that records it in `weir_schema_versions`.
public struct Migration: Sendable {
    public var module: String
    /// 1, 2, 3, ... within the module, applied in this order.
    public var version: Int
    public var summary: String
    public var statements: @Sendable (SQLDialect) -> [String]

    public init(module: String, version: Int, summary: String, statements: @escaping @Sendable (SQLDialect) -> [String]) {
        self.module = module
        self.version = version
        self.summary = summary
        self.statements = statements
    }
}

/// Applies migrations to a ``SQLBackend`` and reports what is applied.
///
/// Contract: ``migrate(_:)`` applies each pending migration of a module in version order, each in its own
/// transaction that also inserts its `weir_schema_versions` row; a migration already recorded is skipped.
/// Concurrent migrators (two processes starting on one database) are safe: on PostgreSQL an advisory lock
/// serialises them, on SQLite `BEGIN IMMEDIATE` does. A module's versions must be 1, 2, 3, ... without gaps.
public struct Migrator: Sendable {
    public static let versionsTable = "weir_schema_versions"
    /// The advisory-lock key PostgreSQL migrations hold while they run.
    static let advisoryLockKey: Int64 = 0x5745_4952_4D49_47  // "WEIRMIG"

    public let backend: any SQLBackend
    public let now: @Sendable () -> Date

    public init(backend: any SQLBackend, now: @escaping @Sendable () -> Date = Date.init) {
        self.backend = backend
        self.now = now
    }

    /// Applies what is pending of `migrations`; returns the (module, version) pairs applied by this call.
    @discardableResult
    public func migrate(_ migrations: [Migration]) async throws -> [(module: String, version: Int)] {
        let byModule = Dictionary(grouping: migrations, by: \.module)
        for (module, list) in byModule {
            let versions = list.map(\.version).sorted()
            guard versions == Array(1...max(1, versions.count)) || versions.isEmpty else {
                throw CatalogError(.internalError, .other, "migrations of module \(module) are numbered \(versions), not 1...\(versions.count)")
            }
        }
        try await backend.transaction { tx in
            if tx.dialect == .postgresql {
                try await tx.execute("SELECT pg_advisory_xact_lock(?)", [.integer(Self.advisoryLockKey)])
            }
            try await tx.execute("""
                CREATE TABLE IF NOT EXISTS \(Self.versionsTable) (
                    module TEXT NOT NULL, version BIGINT NOT NULL, summary TEXT NOT NULL, applied_at_ms BIGINT NOT NULL,
                    PRIMARY KEY (module, version))
                """, [])
        }
        var applied: [(String, Int)] = []
        for module in byModule.keys.sorted() {
            for migration in byModule[module]!.sorted(by: { $0.version < $1.version }) {
                let appliedNow = now().millisecondsSince1970
                let didApply = try await backend.transaction { tx -> Bool in
                    if tx.dialect == .postgresql {
                        try await tx.execute("SELECT pg_advisory_xact_lock(?)", [.integer(Self.advisoryLockKey)])
                    }
                    let done = try await tx.query("SELECT 1 FROM \(Self.versionsTable) WHERE module = ? AND version = ?",
                                                  [.text(migration.module), .integer(Int64(migration.version))])
                    if !done.isEmpty { return false }
                    for statement in migration.statements(tx.dialect) {
                        try await tx.execute(statement, [])
                    }
                    try await tx.execute("INSERT INTO \(Self.versionsTable) (module, version, summary, applied_at_ms) VALUES (?, ?, ?, ?)",
                                         [.text(migration.module), .integer(Int64(migration.version)), .text(migration.summary), .integer(appliedNow)])
                    return true
                }
                if didApply { applied.append((migration.module, migration.version)) }
            }
        }
        return applied
    }

    /// The highest applied version of each module.
    public func appliedVersions() async throws -> [String: Int] {
        try await backend.transaction { tx in
            let rows = try await tx.query("SELECT module, MAX(version) FROM \(Self.versionsTable) GROUP BY module", [])
            var out: [String: Int] = [:]
            for row in rows { if let m = row[0].string, let v = row[1].int { out[m] = Int(v) } }
            return out
        }
    }
}
