import Foundation
import WeirCatalog

/// The ``ClusterStore`` on the catalog store's database (``SQLBackend``: SQLite or PostgreSQL), in the tables of
/// ``ClusterMigrations``. Every method is one transaction; the rules are written once here for both databases.
///
/// Compare-and-set: ``assign(jobId:taskId:workerId:nowMs:)``, ``finish(jobId:taskId:attempt:state:result:error:nowMs:)``
/// and ``updateProgress(jobId:taskId:attempt:rows:bytes:)`` are single `UPDATE ... WHERE state = ... AND attempt = ...`
/// statements, so two coordinators' (or a stale and a current) writes can never both apply.
public final class SQLClusterStore: ClusterStore {
    public let backend: any SQLBackend
    /// The most rows one `INSERT` of ``addTasks(jobId:stage:_:nowMs:)`` carries.
    static let insertRowsMax = 200
    /// The most jobs one ``jobs(limit:)`` or ``unfinishedJobs()`` returns.
    public static let listCountMax = 100_000

    public init(backend: any SQLBackend) {
        self.backend = backend
    }

    /// Opens the store at `url` (see `StoreURL`) and applies the catalog's and the cluster's migrations.
    public static func open(_ url: StoreURL) async throws -> SQLClusterStore {
        let backend: any SQLBackend
        switch url {
        case .sqlite(let path): backend = try SQLiteBackend(path: path)
        case .postgresql(let location): backend = PostgresBackend(location: location)
        }
        let store = SQLClusterStore(backend: backend)
        do {
            try await store.migrate()
        } catch {
            await backend.close()
            throw error
        }
        return store
    }

    /// Applies the pending migrations of module `cluster`.
    @discardableResult
    public func migrate() async throws -> [(module: String, version: Int)] {
        try await Migrator(backend: backend).migrate(ClusterMigrations.all)
    }

    public func close() async { await backend.close() }

    // MARK: - Jobs

    static let jobColumns = "id, kind, spec, state, stage, commit_user, commit_identifier, created_ms, updated_ms, message"

    public func createJob(_ job: JobRecord) async throws {
        do {
            try await backend.transaction { tx in
                try await tx.execute("""
                    INSERT INTO weir_jobs (\(Self.jobColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [.text(job.id), .text(job.kind), .text(StoredBytes.encode(job.spec)), .text(job.state.rawValue),
                          .integer(Int64(job.stage)), .text(job.commitUser), .integer(job.commitIdentifier),
                          .integer(job.createdMs), .integer(job.updatedMs), job.message.map(SQLValue.text) ?? .null])
            }
        } catch let error as SQLError where error.kind == .uniqueViolation {
            throw ClusterStoreError(.jobExists, "a job with id \(job.id) exists already")
        }
    }

    public func job(_ id: String) async throws -> JobRecord? {
        try await backend.transaction { tx in
            try await tx.query("SELECT \(Self.jobColumns) FROM weir_jobs WHERE id = ?", [.text(id)]).first.map(Self.job(row:))
        }
    }

    public func jobs(limit: Int) async throws -> [JobRecord] {
        let limit = Int64(max(0, min(limit, Self.listCountMax)))
        return try await backend.transaction { tx in
            try await tx.query("SELECT \(Self.jobColumns) FROM weir_jobs ORDER BY seq DESC LIMIT ?", [.integer(limit)]).map(Self.job(row:))
        }
    }

    public func unfinishedJobs() async throws -> [JobRecord] {
        let finals = JobState.allCases.filter(\.isFinal).map { SQLValue.text($0.rawValue) }
        return try await backend.transaction { tx in
            try await tx.query("SELECT \(Self.jobColumns) FROM weir_jobs WHERE state NOT IN (?, ?, ?) ORDER BY seq ASC LIMIT \(Self.listCountMax)",
                               finals).map(Self.job(row:))
        }
    }

    public func updateJob(_ id: String, state: JobState, stage: Int, message: String?, nowMs: Int64) async throws {
        let changed = try await backend.transaction { tx in
            try await tx.query("UPDATE weir_jobs SET state = ?, stage = ?, message = ?, updated_ms = ? WHERE id = ? RETURNING id",
                               [.text(state.rawValue), .integer(Int64(stage)), message.map(SQLValue.text) ?? .null, .integer(nowMs), .text(id)])
        }
        if changed.isEmpty { throw ClusterStoreError(.noSuchJob, "no job with id \(id)") }
    }

    static func job(row: SQLRow) throws -> JobRecord {
        guard row.count == 10, let id = row[0].string, let kind = row[1].string, let spec = row[2].string.flatMap(StoredBytes.decode),
              let state = row[3].string.flatMap(JobState.init(rawValue:)), let stage = row[4].int, let user = row[5].string,
              let identifier = row[6].int, let created = row[7].int, let updated = row[8].int else {
            throw ClusterStoreError(.corrupt, "a row of weir_jobs does not decode: \(String(describing: row).prefix(200))")
        }
        return JobRecord(id: id, kind: kind, spec: spec, state: state, stage: Int(stage), commitUser: user, commitIdentifier: identifier,
                         createdMs: created, updatedMs: updated, message: row[9].string)
    }
}

/// Specs and results in text columns: base64, so any bytes survive both databases exactly.
enum StoredBytes {
    static func encode(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
    static func decode(_ text: String) -> [UInt8]? { Data(base64Encoded: text).map { [UInt8]($0) } }
}
