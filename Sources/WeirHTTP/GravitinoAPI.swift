import Foundation
import Hummingbird
import Logging
import WeirCatalog

/// The Gravitino-compatible REST API (spec/gravitino-api.md) as a Hummingbird responder over a ``CatalogService``.
///
/// Transport rules it keeps: raw-path splitting before percent-decoding; `Accept: application/vnd.gravitino.vN+json`
/// with N other than 1 answered 406; case-insensitive headers and query booleans; a JSON error (with `code`,
/// `type`, `message`) for every failure including unknown paths and methods; `CLOSE /` answered 200 with an empty
/// body; bodies limited to ``requestBodyBytesMax``. Malformed input always gets a 4xx; 500 is only for failures
/// of the server itself (the store unreachable, say).
public struct GravitinoAPI: HTTPResponder {
    public typealias Context = BasicRequestContext

    /// The largest request body accepted, in bytes.
    public static let requestBodyBytesMax = 1 << 20
    /// The Gravitino version reported by `/api/version` (the client requires at least its own major.minor).
    public static let gravitinoVersion = "1.3.1"

    public let service: CatalogService
    let table: RouteTable
    let logger: Logger

    public init(service: CatalogService, logger: Logger = Logger(label: "weir.catalog.http")) {
        self.service = service
        self.logger = logger
        self.table = RouteTable(routes: Self.routes(service))
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        var request = request
        var headers: [String: String] = [:]
        for field in request.headers where headers[field.name.canonicalName] == nil {
            headers[field.name.canonicalName] = field.value
        }
        let answer: APIResponse
        do {
            var buffer = try await request.collectBody(upTo: Self.requestBodyBytesMax)
            let body = buffer.readBytes(length: buffer.readableBytes) ?? []
            answer = await handle(method: request.method.rawValue, path: request.uri.path, query: request.uri.query, headers: headers, body: body)
        } catch {
            answer = Self.errorAnswer(APIError(.illegalArguments, "IllegalArgumentException", "the request body is larger than \(Self.requestBodyBytesMax) bytes", status: 413))
        }
        return Response(status: HTTPResponse.Status(code: answer.status), headers: [.contentType: answer.contentType],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }

    /// Answers one request without any transport: what ``respond(to:context:)`` does after reading the body, and
    /// what `weir catalog` uses to run commands directly against a store.
    ///
    /// - Parameters:
    ///   - path: the raw (still percent-encoded) path; `query` the raw query string.
    ///   - headers: header fields by lower-case name.
    public func handle(method: String, path: String, query: String?, headers: [String: String], body: [UInt8]) async -> APIResponse {
        let method = method.uppercased()
        do {
            if method == "CLOSE" { return APIResponse(status: 200, body: [], contentType: "application/json") }
            try Self.checkAccept(headers["accept"])
            let segments = try RawPath.segments(path)
            guard segments.first == "api" else {
                throw APIError(.notFound, "NotFoundException", "no endpoint at \(path.prefix(200)); the API is under /api")
            }
            let (handler, params) = try table.resolve(method: method, segments: Array(segments.dropFirst()))
            guard body.count <= Self.requestBodyBytesMax else {
                throw APIError(.illegalArguments, "IllegalArgumentException", "the request body is larger than \(Self.requestBodyBytesMax) bytes", status: 413)
            }
            let call = Call(method: method, params: params, query: try RawPath.query(query), headers: headers, body: body,
                            caller: try Authentication.caller(authorization: headers["authorization"]))
            let payload = try await handler(call)
            return APIResponse(status: 200, body: Array(try JSONEncoder().encode(payload)), contentType: "application/vnd.gravitino.v1+json")
        } catch let error as APIError {
            return Self.errorAnswer(error)
        } catch let error as CatalogError {
            return Self.errorAnswer(APIError(error))
        } catch {
            logger.error("internal error on \(method) \(path.prefix(200)): \(error)")
            return Self.errorAnswer(APIError(.internalError, "RuntimeException", "internal error: \(error)"))
        }
    }

    /// 406 for a Gravitino media type of another API version.
    static func checkAccept(_ accept: String?) throws {
        guard let accept, let range = accept.range(of: "application/vnd.gravitino.v") else { return }
        let digits = accept[range.upperBound...].prefix { $0.isNumber }
        guard digits == "1" else {
            throw APIError(.restError, "NotAcceptableException", "this server speaks version 1 of the Gravitino API, not '\(accept.prefix(80))'", status: 406)
        }
    }

    static func errorAnswer(_ error: APIError) -> APIResponse {
        let body = ErrorBody(code: error.code.rawValue, type: error.type, message: error.message)
        let data = (try? JSONEncoder().encode(body)) ?? Data(#"{"code":1100,"type":"RuntimeException","message":"unencodable error"}"#.utf8)
        return APIResponse(status: error.status, body: Array(data), contentType: "application/json")
    }
}

/// An answer of the API: HTTP status, JSON body and its media type.
public struct APIResponse: Sendable {
    public var status: Int
    public var body: [UInt8]
    public var contentType: String
}
