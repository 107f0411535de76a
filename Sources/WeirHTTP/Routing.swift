import Hummingbird
import WeirCatalog

/// One API request after transport checks: method, path captures, query, headers, body and caller.
struct Call: Sendable {
    let method: String
    /// The path segments matched by `*` in the route pattern, in order.
    let params: [String]
    let query: [String: String]
    /// Header fields by lower-case name.
    let headers: [String: String]
    let body: [UInt8]
    let caller: Caller

    /// A header by name, case-insensitively (Python's urllib re-cases names).
    func header(_ name: String) -> String? { headers[name.lowercased()] }

    func flag(_ name: String) -> Bool { RawPath.flag(query, name) }

    func decode<T: Decodable>(_ type: T.Type, _ what: String) throws -> T {
        try JSONBody.decode(type, from: body, what: what)
    }

    /// The `updates` of a PUT body, bounded in count.
    func updates(_ what: String) throws -> [UpdateItem] {
        let request = try decode(UpdatesRequest.self, what)
        guard request.updates.count <= updatesCountMax else {
            throw APIError.illegalArgument("a \(what) request holds more than \(updatesCountMax) updates")
        }
        return try request.updates.enumerated().map { try UpdateItem($0.element, index: $0.offset) }
    }
}

typealias Handler = @Sendable (Call) async throws -> Payload

/// A path pattern under `/api` (`metalakes/*/catalogs/*`, `*` matching one decoded segment) and its handlers by method.
struct Route: Sendable {
    let pattern: [Substring]
    let handlers: [String: Handler]

    init(_ pattern: String, _ handlers: [String: Handler]) {
        self.pattern = pattern.split(separator: "/")
        self.handlers = handlers
    }

    /// The captures when `segments` fit the pattern.
    func match(_ segments: [String]) -> [String]? {
        guard segments.count == pattern.count else { return nil }
        var captures: [String] = []
        for (part, segment) in zip(pattern, segments) {
            if part == "*" {
                captures.append(segment)
            } else if part != segment {
                return nil
            }
        }
        return captures
    }
}

/// The routes of the API, matched in order.
struct RouteTable: Sendable {
    let routes: [Route]

    /// The handler and captures for a method and path; a 404 for an unknown path, a 405 for a known path with
    /// another method, both as Gravitino JSON errors.
    func resolve(method: String, segments: [String]) throws -> (Handler, [String]) {
        var pathKnown = false
        for route in routes {
            guard let captures = route.match(segments) else { continue }
            pathKnown = true
            if let handler = route.handlers[method] { return (handler, captures) }
        }
        if pathKnown {
            throw APIError(.unsupportedOperation, "UnsupportedOperationException", "\(method) is not allowed on /api/\(segments.joined(separator: "/"))")
        }
        throw APIError(.notFound, "NotFoundException", "no API endpoint at /api/\(segments.joined(separator: "/"))")
    }
}
