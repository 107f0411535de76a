import Testing
import WeirFileIO

@Suite struct S3ConfigurationTests {
    static let minimal = ["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret/+="]

    static func expectVariableError(_ env: [String: String], naming variable: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try S3Configuration.fromEnvironment(env)
            Issue.record("accepted a bad \(variable)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.kind == .invalidArgument, sourceLocation: sourceLocation)
            #expect(error.path == "environment variable \(variable)", "\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func defaultsPointAtAWS() throws {
        let config = try S3Configuration.fromEnvironment(Self.minimal)
        #expect(config.region == "us-east-1")
        #expect(config.endpoint == (try S3Endpoint(parsing: "https://s3.us-east-1.amazonaws.com")))
        #expect(config.addressingStyle == .virtualHost)
        #expect(config.conditionalWrites)
        #expect(config.credentials == S3Credentials(accessKeyID: "AKID", secretAccessKey: "secret/+="))
        #expect(config.partBytes == 8 << 20 && config.multipartThresholdBytes == 8 << 20 && config.maxConcurrentParts == 2)
        try config.validate()
    }

    @Test func everyVariableIsRead() throws {
        var env = Self.minimal
        env["AWS_SESSION_TOKEN"] = "token+/="
        env["AWS_DEFAULT_REGION"] = "eu-west-3"
        env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9000"
        env["WEIR_S3_CONDITIONAL_WRITES"] = "false"
        var config = try S3Configuration.fromEnvironment(env)
        #expect(config.region == "eu-west-3")
        #expect(config.credentials.sessionToken == "token+/=")
        #expect(config.endpoint.description == "http://127.0.0.1:9000")
        #expect(config.addressingStyle == .path, "a custom endpoint defaults to path style")
        #expect(!config.conditionalWrites)
        env["AWS_REGION"] = "ap-south-1"
        env["AWS_ENDPOINT_URL_S3"] = "https://minio.example.com/"
        env["WEIR_S3_ADDRESSING"] = "virtual"
        config = try S3Configuration.fromEnvironment(env)
        #expect(config.region == "ap-south-1", "AWS_REGION wins over AWS_DEFAULT_REGION")
        #expect(config.endpoint.description == "https://minio.example.com", "AWS_ENDPOINT_URL_S3 wins over AWS_ENDPOINT_URL")
        #expect(config.addressingStyle == .virtualHost)
    }

    @Test func badValuesNameTheirVariable() {
        Self.expectVariableError([:], naming: "AWS_ACCESS_KEY_ID")
        Self.expectVariableError(["AWS_ACCESS_KEY_ID": "AK"], naming: "AWS_SECRET_ACCESS_KEY")
        Self.expectVariableError(["AWS_ACCESS_KEY_ID": "A K", "AWS_SECRET_ACCESS_KEY": "s"], naming: "AWS_ACCESS_KEY_ID")
        Self.expectVariableError(Self.minimal.merging(["AWS_SESSION_TOKEN": "tok\n"]) { $1 }, naming: "AWS_SESSION_TOKEN")
        Self.expectVariableError(Self.minimal.merging(["AWS_REGION": "US East"]) { $1 }, naming: "AWS_REGION")
        Self.expectVariableError(Self.minimal.merging(["AWS_DEFAULT_REGION": "eu_west"]) { $1 }, naming: "AWS_DEFAULT_REGION")
        Self.expectVariableError(Self.minimal.merging(["AWS_ENDPOINT_URL_S3": "ftp://x"]) { $1 }, naming: "AWS_ENDPOINT_URL_S3")
        Self.expectVariableError(Self.minimal.merging(["AWS_ENDPOINT_URL": "http://h:70000"]) { $1 }, naming: "AWS_ENDPOINT_URL")
        Self.expectVariableError(Self.minimal.merging(["AWS_ENDPOINT_URL": "http://h/path"]) { $1 }, naming: "AWS_ENDPOINT_URL")
        Self.expectVariableError(Self.minimal.merging(["WEIR_S3_ADDRESSING": "vhost"]) { $1 }, naming: "WEIR_S3_ADDRESSING")
        Self.expectVariableError(Self.minimal.merging(["WEIR_S3_CONDITIONAL_WRITES": "yes"]) { $1 }, naming: "WEIR_S3_CONDITIONAL_WRITES")
    }

    @Test func endpointParsing() throws {
        let v6 = try S3Endpoint(parsing: "http://[::1]:9000")
        #expect(v6.host == "[::1]" && v6.port == 9000 && v6.hostHeader() == "[::1]:9000")
        let defaultPort = try S3Endpoint(parsing: "https://S3.Example.com:443")
        #expect(defaultPort.hostHeader() == "s3.example.com", "the default port is not in the Host header")
        #expect(defaultPort.hostHeader(prefixingBucket: "bkt") == "bkt.s3.example.com")
        for bad in ["127.0.0.1:9000", "http://", "http://user:pw@h", "http://h?x=1", "http://h:0", "http://h:abc", "http://[::1", "http://h_h"] {
            #expect(throws: FileIOError.self, "\(bad)") { try S3Endpoint(parsing: bad) }
        }
    }

    @Test func validateChecksRanges() throws {
        let endpoint = try S3Endpoint(parsing: "http://127.0.0.1:9000")
        let credentials = S3Credentials(accessKeyID: "a", secretAccessKey: "b")
        func config(_ change: (inout S3Configuration) -> Void) -> S3Configuration {
            var c = S3Configuration(endpoint: endpoint, credentials: credentials)
            change(&c)
            return c
        }
        try config { _ in }.validate()
        try config { $0.partBytes = S3Configuration.partBytesMin; $0.multipartThresholdBytes = 1 }.validate()
        let bad: [(String, S3Configuration)] = [
            ("partBytes", config { $0.partBytes = (5 << 20) - 1 }),
            ("partBytes", config { $0.partBytes = (5 << 30) + 1 }),
            ("multipartThresholdBytes", config { $0.multipartThresholdBytes = (8 << 20) + 1 }),
            ("multipartThresholdBytes", config { $0.multipartThresholdBytes = 0 }),
            ("maxConcurrentParts", config { $0.maxConcurrentParts = 0 }),
            ("maxConcurrentParts", config { $0.maxConcurrentParts = 17 }),
            ("requestTimeoutMs", config { $0.requestTimeoutMs = 0 }),
            ("region", config { $0.region = "" }),
            ("credentials.secretAccessKey", config { $0.credentials.secretAccessKey = "" }),
        ]
        for (field, c) in bad {
            do {
                try c.validate()
                Issue.record("accepted a bad \(field)")
            } catch {
                #expect(error.path == "S3Configuration.\(field)", "\(error)")
            }
        }
        #expect(config { _ in }.objectBytesMax == Int64(8 << 20) * 10_000)
        #expect(throws: FileIOError.self) { try S3FileIO(configuration: config { $0.partBytes = 1 }) }
    }
}
