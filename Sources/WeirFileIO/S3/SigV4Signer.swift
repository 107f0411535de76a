import struct Foundation.Date
import WeirCodecs

/// One HTTP header or query parameter as a name and a value, in the order they were given.
public struct S3Field: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// AWS credentials: an access key, its secret, and the session token of temporary (STS) credentials.
public struct S3Credentials: Sendable, Equatable {
    public var accessKeyID: String
    public var secretAccessKey: String
    /// Sent as `x-amz-security-token` (or `X-Amz-Security-Token` in presigned URLs) when present.
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

/// AWS Signature Version 4 (spec/object-stores.md section 6.1), pure: no I/O, no clock (the date is a parameter).
///
/// Paths follow the S3 rule: the decoded path is encoded once, every byte outside `A-Z a-z 0-9 - . _ ~`
/// becoming `%XX` and `/` kept, with no normalisation. The same encoded path and query
/// (``canonicalURI(_:)``, ``canonicalQueryString(_:)``) must go on the wire, so callers build URLs from them.
///
/// Every header handed to ``sign(_:date:)`` is signed; pass only the headers that are sent as given
/// (`host` is required). The signer adds `x-amz-date`, `x-amz-security-token` (with a session token) and,
/// when ``signsContentSHA256Header`` is true (S3), `x-amz-content-sha256`.
public struct SigV4Signer: Sendable {
    public static let algorithm = "AWS4-HMAC-SHA256"
    /// Hex SHA-256 of the empty string.
    public static let emptyPayloadSHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// The payload hash of requests whose body is not signed (presigned URLs, streamed bodies).
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// The longest validity of a presigned URL AWS accepts (7 days), in seconds.
    public static let presignExpiresSecondsMax = 604_800

    public var credentials: S3Credentials
    public var region: String
    public var service: String
    /// Adds and signs `x-amz-content-sha256` carrying the payload hash (S3 requires it; the generic suite has none).
    public var signsContentSHA256Header: Bool

    public init(credentials: S3Credentials, region: String, service: String = "s3", signsContentSHA256Header: Bool? = nil) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.signsContentSHA256Header = signsContentSHA256Header ?? (service == "s3")
    }

    /// What is signed: the method, the decoded path, the decoded query items (a nil value is a bare name
    /// such as `?uploads`, canonically `uploads=`), the headers (must include `host`) and the payload hash
    /// (lowercase hex SHA-256 of the body, or ``unsignedPayload``).
    public struct Request: Sendable, Equatable {
        public var method: String
        public var path: String
        public var query: [QueryItem]
        public var headers: [S3Field]
        public var payloadSHA256: String

        public init(method: String, path: String, query: [QueryItem] = [], headers: [S3Field], payloadSHA256: String = SigV4Signer.emptyPayloadSHA256) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.payloadSHA256 = payloadSHA256
        }
    }

    /// A query parameter; `value == nil` is a parameter without `=` on the wire (`?lifecycle`).
    public struct QueryItem: Sendable, Equatable {
        public var name: String
        public var value: String?

        public init(_ name: String, _ value: String?) {
            self.name = name
            self.value = value
        }
    }

    /// The result of header-based signing: the headers to send and every intermediate step (for tests and logs).
    public struct Signed: Sendable, Equatable {
        /// The request's headers, then the ones the signer added, then `Authorization`.
        public var headers: [S3Field]
        public var canonicalRequest: String
        public var stringToSign: String
        public var signedHeaders: String
        /// Lowercase hex.
        public var signature: String
        public var authorization: String
    }

    /// The result of query-string signing (a presigned URL).
    public struct Presigned: Sendable, Equatable {
        /// The query string to put on the wire after `?`, `X-Amz-Signature` last.
        public var queryString: String
        public var canonicalRequest: String
        public var stringToSign: String
        public var signature: String
    }

    // MARK: - Signing

    /// Signs `request` at `date` for the `Authorization` header.
    public func sign(_ request: Request, date: Date) -> Signed {
        precondition(request.headers.contains { $0.name.lowercased() == "host" }, "SigV4: the request must carry a host header")
        let amzDate = S3Time.amzDate(date)
        var headers = request.headers
        headers.append(S3Field("x-amz-date", amzDate))
        if signsContentSHA256Header {
            headers.append(S3Field("x-amz-content-sha256", request.payloadSHA256))
        }
        if let token = credentials.sessionToken {
            headers.append(S3Field("x-amz-security-token", token))
        }
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(headers)
        let canonicalRequest = [
            request.method, Self.canonicalURI(request.path), Self.canonicalQueryString(request.query),
            canonicalHeaders, signedHeaders, request.payloadSHA256,
        ].joined(separator: "\n")
        let scope = credentialScope(date)
        let stringToSign = Self.stringToSign(amzDate: amzDate, scope: scope, canonicalRequest: canonicalRequest)
        let signature = Digests.hex(Digests.hmacSHA256(key: signingKey(dateStamp: S3Time.dateStamp(date)), Array(stringToSign.utf8)))
        let authorization = "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        headers.append(S3Field("Authorization", authorization))
        return Signed(headers: headers, canonicalRequest: canonicalRequest, stringToSign: stringToSign,
                      signedHeaders: signedHeaders, signature: signature, authorization: authorization)
    }

    /// Signs `request` into a query string valid for `expiresSeconds` (1 to ``presignExpiresSecondsMax``)
    /// from `date`. Only the request's headers are signed (usually just `host`); the payload is unsigned.
    public func presign(_ request: Request, expiresSeconds: Int, date: Date) -> Presigned {
        precondition((1...Self.presignExpiresSecondsMax).contains(expiresSeconds), "SigV4: presign expiry out of range")
        precondition(request.headers.contains { $0.name.lowercased() == "host" }, "SigV4: the request must carry a host header")
        let amzDate = S3Time.amzDate(date)
        let scope = credentialScope(date)
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(request.headers)
        var query = request.query
        query.append(QueryItem("X-Amz-Algorithm", Self.algorithm))
        query.append(QueryItem("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope)"))
        query.append(QueryItem("X-Amz-Date", amzDate))
        query.append(QueryItem("X-Amz-Expires", String(expiresSeconds)))
        query.append(QueryItem("X-Amz-SignedHeaders", signedHeaders))
        if let token = credentials.sessionToken {
            query.append(QueryItem("X-Amz-Security-Token", token))
        }
        let canonicalQuery = Self.canonicalQueryString(query)
        let canonicalRequest = [
            request.method, Self.canonicalURI(request.path), canonicalQuery,
            canonicalHeaders, signedHeaders, Self.unsignedPayload,
        ].joined(separator: "\n")
        let stringToSign = Self.stringToSign(amzDate: amzDate, scope: scope, canonicalRequest: canonicalRequest)
        let signature = Digests.hex(Digests.hmacSHA256(key: signingKey(dateStamp: S3Time.dateStamp(date)), Array(stringToSign.utf8)))
        return Presigned(queryString: canonicalQuery + "&X-Amz-Signature=" + signature, canonicalRequest: canonicalRequest,
                         stringToSign: stringToSign, signature: signature)
    }

    /// `YYYYMMDD/region/service/aws4_request`.
    public func credentialScope(_ date: Date) -> String {
        "\(S3Time.dateStamp(date))/\(region)/\(service)/aws4_request"
    }

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
    public func signingKey(dateStamp: String) -> [UInt8] {
        let kDate = Digests.hmacSHA256(key: Array(("AWS4" + credentials.secretAccessKey).utf8), Array(dateStamp.utf8))
        let kRegion = Digests.hmacSHA256(key: kDate, Array(region.utf8))
        let kService = Digests.hmacSHA256(key: kRegion, Array(service.utf8))
        return Digests.hmacSHA256(key: kService, Array("aws4_request".utf8))
    }

    // MARK: - Canonical forms

    /// `AWS4-HMAC-SHA256 \n amzDate \n scope \n hex(sha256(canonicalRequest))`.
    public static func stringToSign(amzDate: String, scope: String, canonicalRequest: String) -> String {
        [algorithm, amzDate, scope, Digests.hex(Digests.sha256(Array(canonicalRequest.utf8)))].joined(separator: "\n")
    }

    /// The S3 canonical URI of a decoded path: each byte outside the unreserved set encoded once, `/` kept;
    /// an empty path is `/`.
    public static func canonicalURI(_ path: String) -> String {
        path.isEmpty ? "/" : uriEncode(path, keepSlash: true)
    }

    /// Query items encoded (`/` too, space as `%20`), sorted by encoded name then value, joined by `&`.
    public static func canonicalQueryString(_ items: [QueryItem]) -> String {
        items.map { (uriEncode($0.name, keepSlash: false), uriEncode($0.value ?? "", keepSlash: false)) }
            .sorted { a, b in
                a.0 == b.0 ? a.1.utf8.lexicographicallyPrecedes(b.1.utf8) : a.0.utf8.lexicographicallyPrecedes(b.0.utf8)
            }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// The canonical header block (each `name:value\n`, sorted by lowercase name, repeated names joined by `,`
    /// in the order given, values trimmed with inner whitespace runs collapsed) and the signed-header list.
    public static func canonicalHeaders(_ headers: [S3Field]) -> (canonical: String, signed: String) {
        var byName: [String: [String]] = [:]
        for header in headers {
            byName[header.name.lowercased(), default: []].append(canonicalHeaderValue(header.value))
        }
        let names = byName.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let canonical = names.map { "\($0):\(byName[$0]!.joined(separator: ","))\n" }.joined()
        return (canonical, names.joined(separator: ";"))
    }

    /// A header value trimmed of spaces and tabs at both ends, inner runs of them (and line breaks) made one space.
    public static func canonicalHeaderValue(_ value: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count)
        var pendingSpace = false
        for byte in value.utf8 {
            if byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Percent-encodes every UTF-8 byte outside `A-Z a-z 0-9 - . _ ~` as `%XX` (uppercase hex), keeping `/`
    /// when `keepSlash` is true.
    public static func uriEncode(_ text: String, keepSlash: Bool) -> String {
        let hexDigits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            let unreserved = (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2d || byte == 0x2e || byte == 0x5f || byte == 0x7e
            if unreserved || (keepSlash && byte == 0x2f) {
                out.append(byte)
            } else {
                out += [0x25, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0f)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
