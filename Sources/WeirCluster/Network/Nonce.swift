import WeirProtocol

enum Nonce {
    /// `MessageLimits.nonceBytes` bytes from the system's cryptographic random source (getrandom on Linux).
    static func random() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<MessageLimits.nonceBytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
