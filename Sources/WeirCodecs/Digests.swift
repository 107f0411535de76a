import COpenSSL

/// Cryptographic digests through libcrypto (OpenSSL 3 one-shot APIs): SHA-256, MD5 and HMAC-SHA256.
/// Pure functions over bytes; used by SigV4 signing, S3 content checks and the cluster handshake.
public enum Digests {
    /// SHA-256 of `bytes` (32 bytes).
    public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] {
        evpDigest(bytes, EVP_sha256(), length: 32)
    }

    /// MD5 of `bytes` (16 bytes); for S3 ETags and Content-MD5, never for security.
    public static func md5(_ bytes: some Collection<UInt8>) -> [UInt8] {
        evpDigest(bytes, EVP_md5(), length: 16)
    }

    /// HMAC-SHA256 of `message` under `key` (32 bytes).
    public static func hmacSHA256(key: some Collection<UInt8>, _ message: some Collection<UInt8>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var outLength: UInt32 = 0
        withBytes(key) { k in
            withBytes(message) { m in
                out.withUnsafeMutableBytes { o in
                    let result = HMAC(
                        EVP_sha256(), k.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(k.count),
                        m.baseAddress?.assumingMemoryBound(to: UInt8.self), m.count,
                        o.baseAddress!.assumingMemoryBound(to: UInt8.self), &outLength)
                    precondition(result != nil && outLength == 32, "HMAC-SHA256 failed in libcrypto")
                }
            }
        }
        return out
    }

    /// Lower-case hexadecimal of `bytes`.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Standard base64 (with padding) of `bytes`.
    public static func base64(_ bytes: some Sequence<UInt8>) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let input = Array(bytes)
        var out = [UInt8]()
        out.reserveCapacity((input.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < input.count {
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
            out += [table[Int(n >> 18 & 63)], table[Int(n >> 12 & 63)], table[Int(n >> 6 & 63)], table[Int(n & 63)]]
            i += 3
        }
        let rest = input.count - i
        if rest == 1 {
            let n = UInt32(input[i]) << 16
            out += [table[Int(n >> 18 & 63)], table[Int(n >> 12 & 63)], 0x3d, 0x3d]
        } else if rest == 2 {
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
            out += [table[Int(n >> 18 & 63)], table[Int(n >> 12 & 63)], table[Int(n >> 6 & 63)], 0x3d]
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func evpDigest(_ bytes: some Collection<UInt8>, _ md: OpaquePointer?, length: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        var outLength: UInt32 = 0
        withBytes(bytes) { input in
            out.withUnsafeMutableBytes { o in
                let ok = EVP_Digest(input.baseAddress ?? UnsafeRawPointer(bitPattern: 1), input.count,
                                    o.baseAddress!.assumingMemoryBound(to: UInt8.self), &outLength, md, nil)
                precondition(ok == 1 && Int(outLength) == length, "EVP_Digest failed in libcrypto")
            }
        }
        return out
    }
}

/// Runs `body` over the bytes of `bytes`, copying only when the collection is not contiguous.
@inline(__always)
func withBytes<R>(_ bytes: some Collection<UInt8>, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    if let r = bytes.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return r }
    return Array(bytes).withUnsafeBytes(body)
}

/// Incremental MD5 and SHA-256 for content too large to hold at once (streamed uploads, checksums of copies).
public final class StreamingDigest {
    public enum Algorithm: Sendable { case md5, sha256 }
    private let context: OpaquePointer
    private let length: Int

    public init(_ algorithm: Algorithm) {
        guard let context = EVP_MD_CTX_new() else { preconditionFailure("EVP_MD_CTX_new failed: out of memory") }
        self.context = context
        switch algorithm {
        case .md5: length = 16; precondition(EVP_DigestInit_ex(context, EVP_md5(), nil) == 1)
        case .sha256: length = 32; precondition(EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1)
        }
    }

    deinit { EVP_MD_CTX_free(context) }

    public func update(_ bytes: some Collection<UInt8>) {
        withBytes(bytes) { b in
            guard let base = b.baseAddress, b.count > 0 else { return }
            precondition(EVP_DigestUpdate(context, base, b.count) == 1)
        }
    }

    /// The digest of everything passed to ``update(_:)``; the object is finished afterwards.
    public func finish() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        var outLength: UInt32 = 0
        out.withUnsafeMutableBytes { o in
            precondition(EVP_DigestFinal_ex(context, o.baseAddress!.assumingMemoryBound(to: UInt8.self), &outLength) == 1)
        }
        return out
    }
}
