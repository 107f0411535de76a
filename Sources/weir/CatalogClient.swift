import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import WeirCatalog
import WeirHTTP

/// Where a catalog command sends its requests: a running service (`--server`) over HTTP, or a store opened in
/// this process (`--store`) through the same API handler, so both give identical answers.
struct CatalogConnection: ParsableArguments {
    @Option(name: .long, help: "URL of a running service (default: $WEIR_CATALOG_SERVER).")
    var server: String?

    @Option(name: .long, help: "Work directly on a store: sqlite:PATH or postgresql://... (default: $WEIR_CATALOG_STORE).")
    var store: String?

    @Option(name: .long, help: "User recorded as creator and modifier (simple authentication); anonymous when absent.")
    var user: String?

    @Flag(name: .long, help: "Print the service's JSON answer instead of text.")
    var json = false
}

/// A request/answer channel to the catalog API.
final class CatalogClient: Sendable {
    /// How long an HTTP request may take, in seconds.
    static let requestTimeoutSeconds = 30.0

    private enum Target: Sendable {
        case server(URL)
        case local(GravitinoAPI)
    }

    private let target: Target
    private let user: String?

    init(_ connection: CatalogConnection) async throws {
        let environment = ProcessInfo.processInfo.environment
        let server = connection.server ?? environment["WEIR_CATALOG_SERVER"].flatMap { $0.isEmpty ? nil : $0 }
        let store = connection.store ?? environment["WEIR_CATALOG_STORE"].flatMap { $0.isEmpty ? nil : $0 }
        switch (server, store) {
        case (let server?, nil):
            guard let url = URL(string: server), let scheme = url.scheme, scheme == "http" || scheme == "https", url.host != nil else {
                throw CatalogCLIError("--server must be an http:// URL, not '\(server)'")
            }
            target = .server(url)
        case (nil, let store?):
            let opened = try await StoreURL(parsing: store).open()
            target = .local(GravitinoAPI(service: CatalogService(store: opened)))
        case (nil, nil):
            throw CatalogCLIError("name a running service with --server URL or a store with --store sqlite:PATH|postgresql://... (or set WEIR_CATALOG_SERVER / WEIR_CATALOG_STORE)")
        default:
            throw CatalogCLIError("give either --server or --store, not both")
        }
        user = connection.user
    }

    func close() async {
        if case .local(let api) = target { await api.service.close() }
    }

    /// Sends a request; returns the decoded JSON answer on success, or throws the API's error as `type: message`.
    func send(_ method: String, _ segments: [String], query: [String: String] = [:], body: Any? = nil) async throws -> [String: Any] {
        let path = "/api/" + segments.map(Self.encodeSegment).joined(separator: "/")
        let queryString = query.isEmpty ? nil : query.sorted { $0.key < $1.key }
            .map { "\(Self.encodeSegment($0.key))=\(Self.encodeSegment($0.value))" }.joined(separator: "&")
        let bodyBytes = try body.map { Array(try JSONSerialization.data(withJSONObject: $0)) } ?? []
        var headers = ["accept": "application/vnd.gravitino.v1+json", "content-type": "application/json"]
        if let user { headers["authorization"] = "Basic " + Data("\(user):weir".utf8).base64EncodedString() }
        let status: Int
        let answer: [UInt8]
        switch target {
        case .local(let api):
            let response = await api.handle(method: method, path: path, query: queryString, headers: headers, body: bodyBytes)
            (status, answer) = (response.status, response.body)
        case .server(let base):
            guard let url = URL(string: base.absoluteString.trimmingSuffix("/") + path + (queryString.map { "?" + $0 } ?? "")) else {
                throw CatalogCLIError("cannot build a URL from \(base) and \(path)")
            }
            var request = URLRequest(url: url, timeoutInterval: Self.requestTimeoutSeconds)
            request.httpMethod = method
            for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
            if !bodyBytes.isEmpty { request.httpBody = Data(bodyBytes) }
            do {
                let (data, response) = try await URLSession.shared.data(for: request)
                status = (response as? HTTPURLResponse)?.statusCode ?? 0
                answer = Array(data)
            } catch {
                throw CatalogCLIError("cannot reach the catalog service at \(base): \(error.localizedDescription)")
            }
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(answer))) as? [String: Any]
        guard (200..<300).contains(status) else {
            if let object, let type = object["type"] as? String, let message = object["message"] as? String {
                throw CatalogCLIError("\(type): \(message)")
            }
            throw CatalogCLIError("the service answered HTTP \(status)")
        }
        return object ?? [:]
    }

    /// Percent-encodes one path segment or query part (everything but unreserved characters).
    static func encodeSegment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        var s = self
        while s.hasSuffix(suffix) { s.removeLast(suffix.count) }
        return s
    }
}

/// Printing of answers: JSON when asked, otherwise one name per line for lists and indented JSON for objects.
enum CatalogOutput {
    static func printJSON(_ value: Any) throws {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        print(String(decoding: data, as: UTF8.self))
    }

    /// Prints `answer[key]`: a list of names or identifiers one per line, an object as JSON, a scalar as is.
    static func show(_ answer: [String: Any], _ key: String, json: Bool) throws {
        if json {
            try printJSON(answer)
            return
        }
        switch answer[key] {
        case let list as [Any]:
            for item in list {
                if let object = item as? [String: Any] {
                    if let name = object["name"] { print(name) } else if let full = object["fullName"], let type = object["type"] { print("\(type) \(full)") }
                    else { try printJSON(object) }
                } else {
                    print(item)
                }
            }
        case let object as [String: Any]: try printJSON(object)
        case let value?: print(value)
        case nil: break
        }
    }

    /// `k=v` options into a map; a missing `=` is a usage error naming the option.
    static func properties(_ pairs: [String], option: String = "--property") throws -> [String: String] {
        var out: [String: String] = [:]
        for pair in pairs {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else { throw CatalogCLIError("\(option) takes KEY=VALUE, not '\(pair)'") }
            out[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
        }
        return out
    }

    /// Splits a dotted name into exactly `count` parts (`what` names it in the error).
    /// The REST path of the schema named by `parts` (`[CATALOG, SCHEMA, ...]`) in `metalake`.
    static func schemaPath(_ metalake: String, _ parts: [String]) -> [String] {
        ["metalakes", metalake, "catalogs", parts[0], "schemas", parts[1]]
    }

    static func parts(_ name: String, _ count: Int, _ what: String) throws -> [String] {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == count, parts.allSatisfy({ !$0.isEmpty }) else {
            throw CatalogCLIError("\(what) must be written as \((["CATALOG", "SCHEMA", "NAME"].prefix(count)).joined(separator: ".")), not '\(name)'")
        }
        return parts
    }
}
