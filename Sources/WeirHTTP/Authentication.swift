import Foundation
import WeirCatalog

/// Who a request comes from (spec/gravitino-api.md section 3): no `Authorization` header is `anonymous`;
/// `Basic base64(user:secret)` (the client's simple and basic providers) is `user`. The secret is not checked:
/// this is Gravitino's "simple" authentication, which names the caller for audit fields. Other schemes are
/// refused with 401.
enum Authentication {
    static let headerBytesMax = 4096

    static func caller(authorization: String?) throws -> Caller {
        guard let header = authorization?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return .anonymous }
        guard header.utf8.count <= headerBytesMax else {
            throw APIError(.unauthorized, "UnauthorizedException", "the Authorization header is longer than \(headerBytesMax) bytes")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic" else {
            throw APIError(.unauthorized, "UnauthorizedException", "only Basic (simple) authentication is supported")
        }
        guard let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
              let text = String(data: data, encoding: .utf8) else {
            throw APIError(.unauthorized, "UnauthorizedException", "the Basic credentials are not valid base64 UTF-8")
        }
        let user = String(text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0])
        guard !user.isEmpty, user.utf8.count <= Names.nameBytesMax, !user.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }) else {
            throw APIError(.unauthorized, "UnauthorizedException", "the Basic credentials name no valid user")
        }
        return Caller(user)
    }
}
