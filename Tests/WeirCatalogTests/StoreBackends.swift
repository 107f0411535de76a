import Foundation
import Synchronization
import WeirCatalog
import WeirTestSupport

/// The two stores every contract test runs on.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgresql
    var testDescription: String { rawValue }
}

import Testing

/// A clock the tests move by hand, so audit times are exact.
final class TestClock: Sendable {
    private let ms = Mutex<Int64>(1_767_225_600_000)  // 2026-01-01T00:00:00Z
    var now: Date { Date(millisecondsSince1970: ms.withLock { $0 }) }
    func advance(_ delta: Int64) { ms.withLock { $0 += delta } }
}

/// Makes fresh stores: a SQLite file in a scratch directory, or a fresh database on the shared PostgreSQL server.
enum StoreFactory {
    /// The transaction deadline of the PostgreSQL stores under test. The product's 15 s deadline is for a server;
    /// here the whole suite shares two cooperative threads with CPU-heavy tests, and a transaction can wait that
    /// long for a thread while nothing is wrong. A hang still fails, after two minutes.
    static let transactionTimeoutMs = 120_000

    static func backend(_ kind: StoreKind, label: String, scratch: Scratch) async throws -> any SQLBackend {
        switch kind {
        case .sqlite:
            return try SQLiteBackend(path: scratch.path + "/\(label).db")
        case .postgresql:
            let server = try CurrentPostgres.require()
            let database = try await SharedPostgres.shared.freshDatabase(label)
            return PostgresBackend(location: try PostgresLocation(url: server.url(database: database)), transactionTimeoutMs: transactionTimeoutMs)
        }
    }

    /// A migrated store and its clock; `second` opens another connection (pool) to the same database.
    static func store(_ kind: StoreKind, label: String, scratch: Scratch, clock: TestClock = TestClock()) async throws -> SQLCatalogStore {
        let store = SQLCatalogStore(backend: try await backend(kind, label: label, scratch: scratch), now: { clock.now })
        try await store.migrate()
        return store
    }

    /// Another store on the same database as `store` (its own connection or pool).
    static func sibling(of store: SQLCatalogStore) throws -> SQLCatalogStore {
        if let sqlite = store.backend as? SQLiteBackend { return SQLCatalogStore(backend: try SQLiteBackend(path: sqlite.path)) }
        let postgres = store.backend as! PostgresBackend
        return SQLCatalogStore(backend: PostgresBackend(location: postgres.location, transactionTimeoutMs: transactionTimeoutMs))
    }
}

/// Expects `body` to fail with a catalog error of `kind` (and `subject` when given).
func expectCatalogError<T>(_ kind: CatalogError.Kind, _ subject: CatalogError.Subject? = nil, sourceLocation: SourceLocation = #_sourceLocation,
                           _ body: () async throws -> T) async {
    do {
        _ = try await body()
        Issue.record("expected a \(kind) error", sourceLocation: sourceLocation)
    } catch let error as CatalogError {
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        if let subject { #expect(error.subject == subject, "\(error)", sourceLocation: sourceLocation) }
    } catch {
        Issue.record("expected a CatalogError, got \(error)", sourceLocation: sourceLocation)
    }
}
