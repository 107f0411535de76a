import Foundation
import Testing
import WeirCatalog
import WeirTestSupport
@testable import WeirCluster

/// The stores the ``ClusterStore`` contract runs on.
enum ClusterStoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, sqlite, postgresql
    var testDescription: String { rawValue }
}

enum ClusterStores {
    /// Generous: the suite shares two cores with CPU-heavy tests; a hang still fails.
    static let transactionTimeoutMs = 120_000

    /// A fresh, migrated store, and a second handle on the same database (its own connection or pool; the same
    /// object for memory).
    static func make(_ kind: ClusterStoreKind, label: String, scratch: Scratch) async throws -> (any ClusterStore, any ClusterStore) {
        switch kind {
        case .memory:
            let store = MemoryClusterStore()
            return (store, store)
        case .sqlite:
            let path = scratch.path + "/\(label).db"
            let store = SQLClusterStore(backend: try SQLiteBackend(path: path))
            try await store.migrate()
            return (store, SQLClusterStore(backend: try SQLiteBackend(path: path)))
        case .postgresql:
            let server = try CurrentPostgres.require()
            let database = try await SharedPostgres.shared.freshDatabase(label)
            let location = try PostgresLocation(url: server.url(database: database))
            let store = SQLClusterStore(backend: PostgresBackend(location: location, transactionTimeoutMs: transactionTimeoutMs))
            try await store.migrate()
            return (store, SQLClusterStore(backend: PostgresBackend(location: location, transactionTimeoutMs: transactionTimeoutMs)))
        }
    }

    static func close(_ stores: (any ClusterStore, any ClusterStore)) async {
        for store in [stores.0, stores.1] {
            if let sql = store as? SQLClusterStore { await sql.close() }
        }
    }
}
