/// SplitMix64 (Steele, Lea, Flood 2014): a small, fast, seedable generator. Fault plans and tests use it so that a
/// "random" run is the same on every run and machine and can be replayed from its seed. Not for anything secret.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's whole state: a copy made from it continues the same sequence.
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in 0 ..< bound (bound > 0; slightly biased towards small values when bound is not a power of two).
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
