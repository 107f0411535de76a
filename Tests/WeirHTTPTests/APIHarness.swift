import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WeirCatalog
import WeirHTTP
import WeirTestSupport

/// One answer of the API under test: status, parsed JSON object (nil for an empty or non-object body) and raw text.
struct Answer: CustomStringConvertible {
    var status: Int
    var json: [String: Any]?
    var text: String

    var code: Int? { json?["code"] as? Int }
    var type: String? { json?["type"] as? String }
    subscript(key: String) -> Any? { json?[key] }
    var description: String { "\(status) \(text.prefix(600))" }
}

/// Runs tests against the API in-process (Hummingbird's router test framework: no sockets) on a fresh SQLite store.
enum APIHarness {
    static let headers: HTTPFields = [.contentType: "application/json", .accept: "application/vnd.gravitino.v1+json"]

    /// A service on a new SQLite file in `scratch` (with `warehouse` for managed filesets when given).
    static func service(_ scratch: Scratch, warehouse: String? = nil) async throws -> CatalogService {
        let store = SQLCatalogStore(backend: try SQLiteBackend(path: scratch.path + "/catalog.db"))
        try await store.migrate()
        return CatalogService(store: store, warehouse: warehouse)
    }

    static func withClient<T>(_ service: CatalogService, _ body: @escaping @Sendable (Client) async throws -> T) async throws -> T {
        let app = CatalogServer.application(service: service)
        return try await app.test(.router) { client in try await body(Client(client: client)) }
    }

    struct Client: Sendable {
        let client: any TestClientProtocol

        @discardableResult
        func send(_ method: String, _ path: String, _ body: String? = nil, headers extra: [String: String] = [:]) async throws -> Answer {
            var headers = APIHarness.headers
            for (name, value) in extra { headers[.init(name)!] = value }
            let response = try await client.execute(uri: path, method: HTTPRequest.Method(method)!, headers: headers,
                                                    body: body.map { ByteBuffer(string: $0) })
            let text = String(buffer: response.body)
            let json = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
            return Answer(status: Int(response.status.code), json: json, text: text)
        }

        /// Sends and expects success (`code` 0); returns the answer.
        @discardableResult
        func ok(_ method: String, _ path: String, _ body: String? = nil, headers: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation) async throws -> Answer {
            let answer = try await send(method, path, body, headers: headers)
            #expect(answer.status == 200 && answer.code == 0, "\(method) \(path): \(answer)", sourceLocation: sourceLocation)
            return answer
        }

        /// Sends and expects an error with `code` and `type`.
        @discardableResult
        func fails(_ method: String, _ path: String, _ body: String? = nil, code: Int, type: String, headers: [String: String] = [:],
                   sourceLocation: SourceLocation = #_sourceLocation) async throws -> Answer {
            let answer = try await send(method, path, body, headers: headers)
            #expect(answer.code == code && answer.type == type, "\(method) \(path): \(answer)", sourceLocation: sourceLocation)
            #expect(answer.status >= 400 && answer.status < 500 || code == 1002 || code == 1007, "\(answer)", sourceLocation: sourceLocation)
            let message = answer.json?["message"] as? String ?? ""
            #expect(!message.isEmpty, sourceLocation: sourceLocation)
            return answer
        }
    }
}
