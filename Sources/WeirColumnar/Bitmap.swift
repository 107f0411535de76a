/// A fixed-length bit set in 64-bit words (bit i is word i/64, bit i%64). Used for validity (1 = present)
/// and for BOOLEAN values.
public struct Bitmap: Hashable, Sendable {
    public internal(set) var words: [UInt64]
    public internal(set) var count: Int

    /// `count` bits, all set to `value`.
    public init(count: Int, value: Bool) {
        precondition(count >= 0)
        self.count = count
        words = [UInt64](repeating: value ? ~0 : 0, count: (count + 63) >> 6)
        clearTail()
    }

    public init() {
        self.init(count: 0, value: false)
    }

    public init(_ bits: some Sequence<Bool>) {
        self.init()
        for bit in bits { append(bit) }
    }

    public subscript(index: Int) -> Bool {
        get {
            precondition(index >= 0 && index < count, "bit \(index) of \(count)")
            return words[index >> 6] & (1 << UInt64(index & 63)) != 0
        }
        set {
            precondition(index >= 0 && index < count, "bit \(index) of \(count)")
            if newValue { words[index >> 6] |= 1 << UInt64(index & 63) } else { words[index >> 6] &= ~(1 << UInt64(index & 63)) }
        }
    }

    public mutating func append(_ bit: Bool) {
        if count & 63 == 0 { words.append(0) }
        if bit { words[count >> 6] |= 1 << UInt64(count & 63) }
        count += 1
    }

    public mutating func reserveCapacity(_ bits: Int) { words.reserveCapacity((bits + 63) >> 6) }

    /// How many bits are set.
    public var setCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// True when every bit is set.
    public var allSet: Bool { setCount == count }

    private mutating func clearTail() {
        if count & 63 != 0, let last = words.indices.last { words[last] &= (1 << UInt64(count & 63)) - 1 }
    }
}
