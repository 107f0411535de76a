import NIOCore
import NIOSSL

/// TLS for the coordinator's port: a PEM certificate chain and its PEM private key. Workers then connect with
/// ``ClientTLS``; the HMAC handshake runs inside TLS as without it.
public struct ServerTLS: Sendable, Equatable {
    public var certificateChainPath: String
    public var privateKeyPath: String

    public init(certificateChainPath: String, privateKeyPath: String) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
    }

    func makeContext() throws -> NIOSSLContext {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificateChainPath).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: privateKeyPath, format: .pem)
            return try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key)))
        } catch {
            throw ClusterError(.configuration, "cannot use the TLS certificate \(certificateChainPath) and key \(privateKeyPath): \(error)")
        }
    }
}

/// TLS for a worker's connection to the coordinator.
public struct ClientTLS: Sendable, Equatable {
    /// PEM file of the certificates to trust (a private CA, or the coordinator's own certificate); nil trusts the
    /// system's roots.
    public var trustRootsPath: String?
    /// The name the coordinator's certificate must carry; nil uses the host connected to (an IP address is then
    /// checked against the certificate's IP addresses).
    public var serverHostname: String?
    /// Whether the certificate must name the host at all (off for certificates made for other names).
    public var verifyHostname: Bool

    public init(trustRootsPath: String? = nil, serverHostname: String? = nil, verifyHostname: Bool = true) {
        self.trustRootsPath = trustRootsPath
        self.serverHostname = serverHostname
        self.verifyHostname = verifyHostname
    }

    func makeContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let trustRootsPath { configuration.trustRoots = .file(trustRootsPath) }
        configuration.certificateVerification = verifyHostname ? .fullVerification : .noHostnameVerification
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw ClusterError(.configuration, "cannot use the TLS trust roots \(trustRootsPath ?? "of the system"): \(error)")
        }
    }

    /// The name sent for SNI and checked: never an IP address (those are checked against the peer's address).
    func hostname(connectingTo host: String) -> String? {
        let name = serverHostname ?? host
        return (try? SocketAddress(ipAddress: name, port: 0)) == nil ? name : nil
    }
}
