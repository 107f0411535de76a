/// Where an S3-compatible service listens: `http` or `https`, a host name or IP address, an optional port.
public struct S3Endpoint: Sendable, Equatable, CustomStringConvertible {
    public let scheme: String
    /// A DNS name or IPv4 address, or an IPv6 address in brackets (`[::1]`).
    public let host: String
    /// Nil for the scheme's default port.
    public let port: Int?

    /// Parses `http(s)://host[:port][/]`; anything else (a path, a query, user information) is rejected.
    public init(parsing text: String) throws(FileIOError) {
        func bad(_ why: String) -> FileIOError { FileIOError(.invalidArgument, path: text, "not a usable S3 endpoint URL: \(why)") }
        guard text.utf8.count <= 512 else { throw bad("longer than 512 bytes") }
        let lower = text.lowercased()
        let scheme: String
        if lower.hasPrefix("http://") { scheme = "http" } else if lower.hasPrefix("https://") { scheme = "https" } else {
            throw bad("the scheme must be http or https")
        }
        var rest = Substring(text.dropFirst(scheme.count + 3))
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.contains("/"), !rest.contains("?"), !rest.contains("#") else { throw bad("it must not have a path, query or fragment") }
        guard !rest.contains("@") else { throw bad("credentials do not belong in the URL") }
        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw bad("unterminated IPv6 address") }
            host = rest[...close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw bad("unexpected text after the IPv6 address") }
                portText = after.dropFirst()
            }
            guard host.dropFirst().dropLast().allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }), host.count > 2 else {
                throw bad("malformed IPv6 address")
            }
        } else {
            if let colon = rest.firstIndex(of: ":") {
                host = rest[..<colon]
                portText = rest[rest.index(after: colon)...]
            } else {
                host = rest
            }
            guard !host.isEmpty, host.utf8.count <= 253,
                  host.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x41 && $0 <= 0x5a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2d || $0 == 0x2e })
            else { throw bad("the host must be letters, digits, '-' and '.'") }
        }
        var port: Int?
        if let portText {
            guard let value = Int(portText), (1...65_535).contains(value) else { throw bad("the port must be 1 to 65535") }
            port = value
        }
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port
    }

    /// `host` or `host:port` as the `Host` header carries it (the port only when not the scheme's default).
    public func hostHeader(prefixingBucket bucket: String? = nil) -> String {
        let name = bucket.map { "\($0).\(host)" } ?? host
        guard let port, port != (scheme == "https" ? 443 : 80) else { return name }
        return "\(name):\(port)"
    }

    public var description: String { "\(scheme)://\(hostHeader())" }
}

/// Everything an ``S3FileIO`` needs to reach one S3-compatible service. Values are checked by ``validate()``
/// (which ``S3FileIO`` calls) and by ``fromEnvironment(_:)``.
public struct S3Configuration: Sendable {
    /// How a bucket appears in URLs.
    public enum AddressingStyle: String, Sendable, Equatable {
        /// `http://host/bucket/key` (moto, the JuiceFS gateway, most self-hosted stores).
        case path
        /// `http://bucket.host/key` (AWS's default).
        case virtualHost = "virtual"
    }

    /// S3's smallest part (except the last), in bytes.
    public static let partBytesMin = 5 << 20
    /// S3's largest part, in bytes.
    public static let partBytesMax = 5 << 30
    /// S3's largest number of parts in one multipart upload.
    public static let partsMax = 10_000
    /// The most part uploads one writer may keep in flight.
    public static let concurrentPartsMax = 16

    public var endpoint: S3Endpoint
    /// The SigV4 signing region (`us-east-1` for most self-hosted stores).
    public var region: String
    public var credentials: S3Credentials
    public var addressingStyle: AddressingStyle
    /// True when the store honours `If-None-Match: *` on PutObject and CompleteMultipartUpload (AWS, moto):
    /// create-if-absent is then atomic. False for stores that ignore it (the JuiceFS gateway): create-if-absent
    /// checks with HEAD before writing, which is not atomic, and ``FileIOCapabilities/atomicCreateIfAbsent`` is false.
    public var conditionalWrites: Bool
    /// The size of each multipart part but the last, and the most one writer buffers before uploading, in bytes
    /// (``partBytesMin`` to ``partBytesMax``; objects are limited to ``partsMax`` parts of this size).
    public var partBytes: Int
    /// Objects of at most this many bytes are written with one PUT, larger ones with a multipart upload
    /// (1 to ``partBytes``).
    public var multipartThresholdBytes: Int
    /// The most part uploads one writer keeps in flight (1 to ``concurrentPartsMax``); a writer holds about
    /// (this + 1) × ``partBytes`` bytes.
    public var maxConcurrentParts: Int
    /// How long one request may take until the response head arrives, in milliseconds (body reads are bounded by
    /// the HTTP client's read timeout).
    public var requestTimeoutMs: Int
    /// Retries of requests that fail transiently (5xx, 429, timeouts, resets, short bodies).
    public var retryPolicy: RetryPolicy

    public init(
        endpoint: S3Endpoint, region: String = "us-east-1", credentials: S3Credentials,
        addressingStyle: AddressingStyle = .path, conditionalWrites: Bool = true,
        partBytes: Int = 8 << 20, multipartThresholdBytes: Int? = nil, maxConcurrentParts: Int = 2,
        requestTimeoutMs: Int = 30_000, retryPolicy: RetryPolicy = RetryPolicy()
    ) {
        self.endpoint = endpoint
        self.region = region
        self.credentials = credentials
        self.addressingStyle = addressingStyle
        self.conditionalWrites = conditionalWrites
        self.partBytes = partBytes
        self.multipartThresholdBytes = multipartThresholdBytes ?? partBytes
        self.maxConcurrentParts = maxConcurrentParts
        self.requestTimeoutMs = requestTimeoutMs
        self.retryPolicy = retryPolicy
    }

    /// Checks every value; the error names the field and the accepted range.
    public func validate() throws(FileIOError) {
        func bad(_ field: String, _ why: String) -> FileIOError { FileIOError(.invalidArgument, path: "S3Configuration.\(field)", why) }
        if let why = Self.regionProblem(region) { throw bad("region", why) }
        if let why = Self.credentialProblem(credentials.accessKeyID, bytesMax: 128) { throw bad("credentials.accessKeyID", why) }
        if let why = Self.credentialProblem(credentials.secretAccessKey, bytesMax: 128) { throw bad("credentials.secretAccessKey", why) }
        if let token = credentials.sessionToken, let why = Self.credentialProblem(token, bytesMax: 8192) {
            throw bad("credentials.sessionToken", why)
        }
        guard (Self.partBytesMin...Self.partBytesMax).contains(partBytes) else {
            throw bad("partBytes", "\(partBytes) is outside \(Self.partBytesMin)...\(Self.partBytesMax)")
        }
        guard (1...partBytes).contains(multipartThresholdBytes) else {
            throw bad("multipartThresholdBytes", "\(multipartThresholdBytes) is outside 1...partBytes (\(partBytes))")
        }
        guard (1...Self.concurrentPartsMax).contains(maxConcurrentParts) else {
            throw bad("maxConcurrentParts", "\(maxConcurrentParts) is outside 1...\(Self.concurrentPartsMax)")
        }
        guard (1...3_600_000).contains(requestTimeoutMs) else {
            throw bad("requestTimeoutMs", "\(requestTimeoutMs) is outside 1...3600000")
        }
    }

    /// The largest object a writer can produce: ``partsMax`` parts of ``partBytes``.
    public var objectBytesMax: Int64 { Int64(partBytes) * Int64(Self.partsMax) }

    /// Builds a configuration from the usual AWS variables plus Weir's own:
    /// - `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` (required), `AWS_SESSION_TOKEN` (optional);
    /// - `AWS_REGION`, else `AWS_DEFAULT_REGION`, else `us-east-1`;
    /// - `AWS_ENDPOINT_URL_S3`, else `AWS_ENDPOINT_URL`, else `https://s3.<region>.amazonaws.com`;
    /// - `WEIR_S3_ADDRESSING` = `path` | `virtual` (default: `virtual` for AWS's own endpoint, `path` otherwise);
    /// - `WEIR_S3_CONDITIONAL_WRITES` = `true` | `false` (default `true`).
    /// Empty values count as unset. Errors name the variable that is wrong.
    public static func fromEnvironment(_ env: [String: String]) throws(FileIOError) -> S3Configuration {
        func value(_ name: String) -> String? {
            guard let v = env[name], !v.isEmpty else { return nil }
            return v
        }
        func bad(_ name: String, _ why: String) -> FileIOError {
            FileIOError(.invalidArgument, path: "environment variable \(name)", why)
        }
        guard let accessKey = value("AWS_ACCESS_KEY_ID") else { throw bad("AWS_ACCESS_KEY_ID", "is not set") }
        if let why = credentialProblem(accessKey, bytesMax: 128) { throw bad("AWS_ACCESS_KEY_ID", why) }
        guard let secret = value("AWS_SECRET_ACCESS_KEY") else { throw bad("AWS_SECRET_ACCESS_KEY", "is not set") }
        if let why = credentialProblem(secret, bytesMax: 128) { throw bad("AWS_SECRET_ACCESS_KEY", why) }
        let token = value("AWS_SESSION_TOKEN")
        if let token, let why = credentialProblem(token, bytesMax: 8192) { throw bad("AWS_SESSION_TOKEN", why) }

        let regionVariable = value("AWS_REGION") != nil ? "AWS_REGION" : "AWS_DEFAULT_REGION"
        let region = value(regionVariable) ?? "us-east-1"
        if let why = regionProblem(region) { throw bad(regionVariable, why) }

        let endpointVariable = value("AWS_ENDPOINT_URL_S3") != nil ? "AWS_ENDPOINT_URL_S3" : "AWS_ENDPOINT_URL"
        let endpoint: S3Endpoint
        let isAWS: Bool
        if let text = value(endpointVariable) {
            do { endpoint = try S3Endpoint(parsing: text) } catch { throw bad(endpointVariable, error.message) }
            isAWS = endpoint.host.hasSuffix(".amazonaws.com")
        } else {
            endpoint = try S3Endpoint(parsing: "https://s3.\(region).amazonaws.com")
            isAWS = true
        }

        var addressing: AddressingStyle = isAWS ? .virtualHost : .path
        if let text = value("WEIR_S3_ADDRESSING") {
            guard let style = AddressingStyle(rawValue: text) else { throw bad("WEIR_S3_ADDRESSING", "is '\(text.prefix(40))'; use path or virtual") }
            addressing = style
        }
        var conditional = true
        if let text = value("WEIR_S3_CONDITIONAL_WRITES") {
            switch text {
            case "true": conditional = true
            case "false": conditional = false
            default: throw bad("WEIR_S3_CONDITIONAL_WRITES", "is '\(text.prefix(40))'; use true or false")
            }
        }
        return S3Configuration(
            endpoint: endpoint, region: region,
            credentials: S3Credentials(accessKeyID: accessKey, secretAccessKey: secret, sessionToken: token),
            addressingStyle: addressing, conditionalWrites: conditional)
    }

    static func regionProblem(_ region: String) -> String? {
        guard (1...64).contains(region.utf8.count),
              region.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2d })
        else { return "'\(region.prefix(40))' is not a region name (1 to 64 characters: a-z, 0-9, '-')" }
        return nil
    }

    /// Credentials must be printable ASCII without spaces (they go into headers and the signing key).
    static func credentialProblem(_ value: String, bytesMax: Int) -> String? {
        guard !value.isEmpty else { return "is empty" }
        guard value.utf8.count <= bytesMax else { return "is longer than \(bytesMax) bytes" }
        guard value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else { return "holds a space, a control or a non-ASCII character" }
        return nil
    }
}
