import WeirColumnar
import WeirPaimon

/// The fixed-bucket bucket of every row of a batch under Paimon's default bucket function, computed straight from
/// the typed column buffers: each row's bucket-key BinaryRow (row kind +I) is built in one reused byte buffer —
/// the bytes `BinaryRowWriter` (and Java's `BinaryRowWriter`) make, spec/paimon-format.md sections 5.1 and 6.2 —
/// and hashed with MurmurHash3 by 4-byte words, seed 42; bucket = `abs(hash % numBuckets)`.
///
/// Covers the key types whose BinaryRow form is the slot alone or an inline/variable byte string: BOOLEAN, TINYINT,
/// SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DATE, TIME, DECIMAL(p ≤ 18), TIMESTAMP(p ≤ 3) (with or without local time
/// zone), CHAR, VARCHAR, BINARY, VARBINARY; ``init(columns:)`` returns nil for any other type (the caller then
/// goes value by value). Nulls set the null bit and leave the slot zero, as Java does for these types.
struct ColumnarBucketHasher {
    private enum Field {
        case boolean(Bitmap)
        case int8([Int8])
        case int16([Int16])
        case int32([Int32])
        case int64([Int64])
        case float32([Float])
        case float64([Double])
        case bytes(ByteStrings)
    }

    private let fields: [Field]
    private let validities: [Bitmap?]
    private let rowCount: Int

    init?(columns: [Column]) {
        var fields: [Field] = []
        for column in columns {
            switch (column.type.kind, column.values) {
            case (.boolean, .boolean(let b)): fields.append(.boolean(b))
            case (.tinyint, .int8(let v)): fields.append(.int8(v))
            case (.smallint, .int16(let v)): fields.append(.int16(v))
            case (.int, .int32(let v)), (.date, .int32(let v)), (.time, .int32(let v)): fields.append(.int32(v))
            case (.bigint, .int64(let v)): fields.append(.int64(v))
            case (.decimal(let p, _), .int64(let v)) where p <= 18: fields.append(.int64(v))
            case (.timestamp(let p), .int64(let v)) where p <= 3: fields.append(.int64(v))
            case (.timestampLTZ(let p), .int64(let v)) where p <= 3: fields.append(.int64(v))
            case (.float, .float32(let v)): fields.append(.float32(v))
            case (.double, .float64(let v)): fields.append(.float64(v))
            case (.char, .bytes(let s)), (.varchar, .bytes(let s)), (.binary, .bytes(let s)), (.varbinary, .bytes(let s)):
                fields.append(.bytes(s))
            default:
                return nil
            }
        }
        guard !fields.isEmpty else { return nil }
        self.fields = fields
        validities = columns.map { $0.validity }
        rowCount = columns[0].count
    }

    /// The bucket of every row, in `0 ..< numBuckets` (`numBuckets` > 0).
    func buckets(numBuckets: Int32) -> [Int32] {
        precondition(numBuckets > 0, "numBuckets must be positive")
        if fields.count <= 56, !fields.contains(where: { if case .bytes = $0 { true } else { false } }) {
            return fixedWidthBuckets(numBuckets: numBuckets)
        }
        let arity = fields.count
        let nullBitsWidth = BinaryRow.calculateBitSetWidthInBytes(arity)
        let fixedSize = nullBitsWidth + 8 * arity
        var buffer = [UInt8](repeating: 0, count: fixedSize)
        var out = [Int32](repeating: 0, count: rowCount)
        for row in 0..<rowCount {
            buffer.removeSubrange(fixedSize...)
            buffer.withUnsafeMutableBytes { raw in
                for i in 0..<fixedSize { raw[i] = 0 }
            }
            for (index, field) in fields.enumerated() {
                if let validity = validities[index], !validity[row] {
                    let bit = index + BinaryRow.headerSizeInBits
                    buffer[bit >> 3] |= 1 << UInt8(bit & 7)
                    continue
                }
                let slot = nullBitsWidth + 8 * index
                switch field {
                case .boolean(let bits): buffer[slot] = bits[row] ? 1 : 0
                case .int8(let v): Self.store(UInt64(UInt8(bitPattern: v[row])), &buffer, slot)
                case .int16(let v): Self.store(UInt64(UInt16(bitPattern: v[row])), &buffer, slot)
                case .int32(let v): Self.store(UInt64(UInt32(bitPattern: v[row])), &buffer, slot)
                case .int64(let v): Self.store(UInt64(bitPattern: v[row]), &buffer, slot)
                case .float32(let v): Self.store(UInt64(v[row].bitPattern), &buffer, slot)
                case .float64(let v): Self.store(v[row].bitPattern, &buffer, slot)
                case .bytes(let strings):
                    strings.offsets.withUnsafeBufferPointer { offsets in
                        strings.data.withUnsafeBufferPointer { data in
                            let start = Int(offsets[row]), length = Int(offsets[row + 1]) - start
                            if length <= 7 {
                                var word = UInt64(0x80 | length) << 56
                                for i in 0..<length { word |= UInt64(data[start + i]) << (8 * UInt64(i)) }
                                Self.store(word, &buffer, slot)
                            } else {
                                let offset = buffer.count
                                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: data[start..<(start + length)]))
                                let padded = (length + 7) & ~7
                                if padded > length { buffer.append(contentsOf: repeatElement(0, count: padded - length)) }
                                Self.store(UInt64(offset) << 32 | UInt64(length), &buffer, slot)
                            }
                        }
                    }
                }
            }
            let hash = buffer.withUnsafeBytes { Self.hashWords($0) }
            out[row] = abs(hash % numBuckets)
        }
        return out
    }

    /// Keys of fixed-width fields only (at most 56, so the header and null bits are one word): each row is the
    /// null-bit word followed by one slot word per field, so the slots are computed column by column and each
    /// row's words are hashed without building its bytes.
    private func fixedWidthBuckets(numBuckets: Int32) -> [Int32] {
        let arity = fields.count
        var slots = [UInt64](repeating: 0, count: arity * rowCount)
        var nullWords: [UInt64]? = nil
        for (index, field) in fields.enumerated() {
            slots.withUnsafeMutableBufferPointer { all in
                let out = UnsafeMutableBufferPointer(rebasing: all[(index * rowCount)..<((index + 1) * rowCount)])
                switch field {
                case .boolean(let bits): for row in 0..<rowCount { out[row] = bits[row] ? 1 : 0 }
                case .int8(let v): v.withUnsafeBufferPointer { v in for row in 0..<rowCount { out[row] = UInt64(UInt8(bitPattern: v[row])) } }
                case .int16(let v): v.withUnsafeBufferPointer { v in for row in 0..<rowCount { out[row] = UInt64(UInt16(bitPattern: v[row])) } }
                case .int32(let v): v.withUnsafeBufferPointer { v in for row in 0..<rowCount { out[row] = UInt64(UInt32(bitPattern: v[row])) } }
                case .int64(let v): v.withUnsafeBufferPointer { v in for row in 0..<rowCount { out[row] = UInt64(bitPattern: v[row]) } }
                case .float32(let v): v.withUnsafeBufferPointer { v in for row in 0..<rowCount { out[row] = UInt64(v[row].bitPattern) } }
                case .float64(let v): v.withUnsafeBufferPointer { v in for row in 0..<rowCount { out[row] = v[row].bitPattern } }
                case .bytes: preconditionFailure("byte strings take the general path")
                }
            }
            if let validity = validities[index] {
                if nullWords == nil { nullWords = [UInt64](repeating: 0, count: rowCount) }
                let bit = UInt64(1) << UInt64(index + BinaryRow.headerSizeInBits)
                for row in 0..<rowCount where !validity[row] {
                    nullWords![row] |= bit
                    slots[index * rowCount + row] = 0
                }
            }
        }
        let length = UInt32(8 + 8 * arity)
        var out = [Int32](repeating: 0, count: rowCount)
        slots.withUnsafeBufferPointer { slots in
            for row in 0..<rowCount {
                let nulls = nullWords?[row] ?? 0
                var h: UInt32 = 42
                h = Self.mix(h, UInt32(truncatingIfNeeded: nulls))
                h = Self.mix(h, UInt32(truncatingIfNeeded: nulls >> 32))
                for index in 0..<arity {
                    let slot = slots[index * rowCount + row]
                    h = Self.mix(h, UInt32(truncatingIfNeeded: slot))
                    h = Self.mix(h, UInt32(truncatingIfNeeded: slot >> 32))
                }
                out[row] = abs(Self.finish(h, length: length) % numBuckets)
            }
        }
        return out
    }

    @inline(__always)
    private static func mix(_ h: UInt32, _ word: UInt32) -> UInt32 {
        var k = word &* 0xcc9e_2d51
        k = (k << 15) | (k >> 17)
        k = k &* 0x1b87_3593
        var h = h ^ k
        h = (h << 13) | (h >> 19)
        return h &* 5 &+ 0xe654_6b64
    }

    @inline(__always)
    private static func finish(_ h: UInt32, length: UInt32) -> Int32 {
        var h = h ^ length
        h ^= h >> 16
        h = h &* 0x85eb_ca6b
        h ^= h >> 13
        h = h &* 0xc2b2_ae35
        h ^= h >> 16
        return Int32(bitPattern: h)
    }

    @inline(__always)
    private static func store(_ value: UInt64, _ buffer: inout [UInt8], _ offset: Int) {
        buffer.withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt64.self) }
    }

    /// `MurmurHashUtils.hashBytesByWords` (seed 42) of a multiple of 4 bytes.
    @inline(__always)
    static func hashWords(_ raw: UnsafeRawBufferPointer) -> Int32 {
        var h: UInt32 = 42
        let base = raw.baseAddress!
        for i in 0..<(raw.count / 4) {
            h = mix(h, UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self)))
        }
        return finish(h, length: UInt32(truncatingIfNeeded: raw.count))
    }
}
