import WeirColumnar

/// A dictionary of fixed-width values (keys are bit patterns: INT32 zero-extended, INT64, FLOAT, DOUBLE) for
/// dictionary encoding: an open-addressing hash table from value to its index in insertion order. No allocation per
/// value (the table doubles when half full).
struct FixedWidthDictionary {
    private(set) var values: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int

    init() {
        slots = [Int32](repeating: -1, count: 1024)
        mask = 1023
    }

    var count: Int { values.count }

    @inline(__always)
    private static func hash(_ key: UInt64) -> UInt64 {
        var h = key &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        return h
    }

    /// The index of `key`, inserting it if new.
    @inline(__always)
    mutating func index(of key: UInt64) -> UInt32 {
        var h = Int(truncatingIfNeeded: Self.hash(key)) & mask
        while true {
            let slot = slots[h]
            if slot < 0 {
                let index = values.count
                values.append(key)
                slots[h] = Int32(index)
                if values.count * 2 > slots.count { grow() }
                return UInt32(index)
            }
            if values[Int(slot)] == key { return UInt32(slot) }
            h = (h &+ 1) & mask
        }
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        for (index, key) in values.enumerated() {
            var h = Int(truncatingIfNeeded: Self.hash(key)) & mask
            while slots[h] >= 0 { h = (h &+ 1) & mask }
            slots[h] = Int32(index)
        }
    }
}

/// A dictionary of byte strings (BYTE_ARRAY values, FIXED_LEN_BYTE_ARRAY decimals): unique values in insertion order in
/// one ``ByteStrings`` and an open-addressing table over their hashes. No allocation per value.
struct ByteDictionary {
    private(set) var strings = ByteStrings()
    private var hashes: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int

    init() {
        slots = [Int32](repeating: -1, count: 1024)
        mask = 1023
    }

    var count: Int { strings.count }

    /// The bytes the dictionary page will take (PLAIN: a 4-byte length per value for BYTE_ARRAY).
    func plainBytes(fixedLength: Int?) -> Int {
        strings.data.count + (fixedLength == nil ? 4 * strings.count : 0)
    }

    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var i = 0
        while i + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ word) &* 0xff51_afd7_ed55_8ccd
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 29
        return h
    }

    @inline(__always)
    private func equal(_ index: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = Int(strings.offsets[index]), end = Int(strings.offsets[index + 1])
        guard end - start == bytes.count else { return false }
        return strings.data.withUnsafeBytes { data in
            var i = 0
            while i + 8 <= bytes.count {
                if data.loadUnaligned(fromByteOffset: start + i, as: UInt64.self) != bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                    return false
                }
                i += 8
            }
            while i < bytes.count {
                if data[start + i] != bytes[i] { return false }
                i += 1
            }
            return true
        }
    }

    /// The index of `bytes`, inserting a copy if new.
    mutating func index(of bytes: UnsafeRawBufferPointer) -> UInt32 {
        let h = Self.hash(bytes)
        var probe = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[probe]
            if slot < 0 {
                let index = strings.count
                strings.data.append(contentsOf: bytes)
                strings.offsets.append(Int32(strings.data.count))
                hashes.append(h)
                slots[probe] = Int32(index)
                if hashes.count * 2 > slots.count { grow() }
                return UInt32(index)
            }
            if hashes[Int(slot)] == h && equal(Int(slot), bytes) { return UInt32(slot) }
            probe = (probe &+ 1) & mask
        }
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        for (index, h) in hashes.enumerated() {
            var probe = Int(truncatingIfNeeded: h) & mask
            while slots[probe] >= 0 { probe = (probe &+ 1) & mask }
            slots[probe] = Int32(index)
        }
    }
}
