import WeirCodecs
import WeirColumnar

/// A row in Paimon's binary layout, mirroring `org.apache.paimon.data.BinaryRow` (spec/paimon-format.md section 5):
/// partitions, primary keys, bucket keys and statistics are stored and compared as these bytes.
///
/// Layout (all integers little-endian, offsets relative to the row start):
/// - header + null bits, ``calculateBitSetWidthInBytes(_:)`` = `((arity + 63 + 8) / 64) * 8` bytes: byte 0 is the
///   ``RowKind``, the null bit of field i is bit `(i + 8) & 7` of byte `(i + 8) >> 3`;
/// - one 8-byte slot per field;
/// - the variable part: chunks in field order, each zero-padded to a multiple of 8.
///
/// Contracts: a value always has `bytes.count` ≥ the fixed part, a multiple of 8, and a valid row kind byte
/// (checked by ``init(arity:bytes:subject:)``). Field contents are checked when read (``values(types:subject:)``):
/// offsets and lengths must stay inside the row, inline lengths must be ≤ 7, nanosecond parts < 1 000 000, decimal
/// byte strings 1...16 bytes and within the precision, strings valid UTF-8; anything else is a
/// ``PaimonFormatError`` naming the subject and the field, never a crash. Equality and hashing are byte-wise, like
/// Java's.
///
/// Values use `WeirColumnar.Value` as ``Column`` documents: integers `.integer`, DECIMAL `.decimal(unscaled, scale)`,
/// DATE `.date(days:)`, TIME `.time(millis:)`, TIMESTAMP `.timestamp` in the unit of the precision (ms for p ≤ 3,
/// µs for p ≤ 6, ns for p ≤ 9), CHAR/VARCHAR `.string`, BINARY/VARBINARY `.bytes`, ARRAY `.list`, MULTISET `.list`
/// (each element repeated by its count), MAP `.map`, ROW `.row`.
public struct BinaryRow: Hashable, Sendable, CustomStringConvertible {
    public let arity: Int
    /// The row bytes (without the 4-byte arity prefix of ``SerializationUtils/serializeBinaryRow(_:)``).
    public let bytes: [UInt8]

    /// `BinaryRow.HEADER_SIZE_IN_BITS`.
    public static let headerSizeInBits = 8
    /// The most fields a row may declare.
    public static let arityMax = 1 << 20

    /// `BinaryRow.EMPTY_ROW`: arity 0, eight zero bytes.
    public static let emptyRow = BinaryRow(uncheckedArity: 0, bytes: [UInt8](repeating: 0, count: 8))

    /// `calculateBitSetWidthInBytes`: header plus null bits, a multiple of 8.
    public static func calculateBitSetWidthInBytes(_ arity: Int) -> Int { ((arity + 63 + headerSizeInBits) / 64) * 8 }

    /// `calculateFixPartSizeInBytes`: header, null bits and one 8-byte slot per field.
    public static func calculateFixPartSizeInBytes(_ arity: Int) -> Int { calculateBitSetWidthInBytes(arity) + 8 * arity }

    /// Wraps `bytes` as a row of `arity` fields after checking the size and the row kind byte.
    public init(arity: Int, bytes: [UInt8], subject: String = "BinaryRow") throws(PaimonFormatError) {
        guard arity >= 0, arity <= Self.arityMax else {
            throw PaimonFormatError(subject, "arity \(arity) is outside 0...\(Self.arityMax)")
        }
        let fixed = Self.calculateFixPartSizeInBytes(arity)
        guard bytes.count >= fixed else {
            throw PaimonFormatError(subject, "\(bytes.count) bytes cannot hold a row of \(arity) fields (fixed part \(fixed) bytes)")
        }
        guard bytes.count % 8 == 0 else {
            throw PaimonFormatError(subject, "the row size \(bytes.count) is not a multiple of 8")
        }
        guard RowKind(rawValue: Int8(bitPattern: bytes[0])) != nil else {
            throw PaimonFormatError(subject, "row kind byte \(bytes[0]) is not 0...3")
        }
        self.arity = arity
        self.bytes = bytes
    }

    init(uncheckedArity arity: Int, bytes: [UInt8]) {
        self.arity = arity
        self.bytes = bytes
    }

    /// Builds Java's exact bytes for `values` of `types` (``BinaryRowWriter``).
    public init(values: [Value], types: [DataType], rowKind: RowKind = .insert, subject: String = "BinaryRow") throws(PaimonFormatError) {
        self = try BinaryRowWriter.write(values, types: types, rowKind: rowKind, subject: subject)
    }

    public var sizeInBytes: Int { bytes.count }
    public var rowKind: RowKind { RowKind(rawValue: Int8(bitPattern: bytes[0]))! }

    public func isNullAt(_ pos: Int) -> Bool {
        precondition(pos >= 0 && pos < arity, "field \(pos) of a row of \(arity)")
        let bit = pos + Self.headerSizeInBits
        return bytes[bit >> 3] & (1 << UInt8(bit & 7)) != 0
    }

    /// `BinaryRow#hashCode`: MurmurHash3 over the row bytes in 4-byte words, seed 42 (the bucket hash, §6.2).
    public var hashCode: Int32 { MurmurHash3.hashBytesByWords(bytes) }

    /// All fields as values; `types` must have `arity` entries.
    public func values(types: [DataType], subject: String = "BinaryRow") throws(PaimonFormatError) -> [Value] {
        guard types.count == arity else {
            throw PaimonFormatError(subject, "the row has \(arity) fields but \(types.count) types were given")
        }
        var out: [Value] = []
        out.reserveCapacity(arity)
        for (index, type) in types.enumerated() {
            out.append(try value(at: index, type: type, subject: subject))
        }
        return out
    }

    /// Field `pos` as a value of `type` (`.null` when its null bit is set).
    public func value(at pos: Int, type: DataType, subject: String = "BinaryRow") throws(PaimonFormatError) -> Value {
        guard pos >= 0, pos < arity else { throw PaimonFormatError(subject, "field \(pos) is outside the row's \(arity) fields") }
        if isNullAt(pos) { return .null }
        let reader = BinarySectionReader(bytes: bytes, subject: subject)
        return try reader.readValue(type: type, slot: Self.calculateBitSetWidthInBytes(arity) + 8 * pos, path: "field \(pos)")
    }

    public var description: String {
        "BinaryRow(arity \(arity), " + bytes.map { String($0, radix: 16).leftPadded(2) }.joined() + ")"
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

/// Shared constants of Paimon's binary sections (`BinarySection`, `Decimal`, `Timestamp`).
enum BinarySection {
    /// `MAX_FIX_PART_DATA_SIZE`: byte strings up to 7 bytes live in the slot.
    static let maxFixPartDataSize = 7
    /// Mark of an inline byte string: the slot's top bit.
    static let highestFirstBitMask: UInt64 = 0x80 << 56

    static func roundNumberOfBytesToNearestWord(_ n: Int) -> Int { (n + 7) & ~7 }

    /// `Decimal.isCompact`: precision ≤ 18 is stored as an unscaled long in the slot.
    static func isCompactDecimal(_ precision: Int) -> Bool { precision <= 18 }

    /// `Timestamp.isCompact`: precision ≤ 3 is stored as epoch millis in the slot.
    static func isCompactTimestamp(_ precision: Int) -> Bool { precision <= 3 }

    static let powersOfTen: [Int128] = {
        var out: [Int128] = [1]
        for _ in 1...38 { out.append(out.last! * 10) }
        return out
    }()

    /// `BinaryArray.calculateFixLengthPartSize`: bytes per element in an array's fixed part.
    static func elementSize(_ type: DataType) -> Int {
        switch type.kind {
        case .boolean, .tinyint: return 1
        case .smallint: return 2
        case .int, .float, .date, .time: return 4
        default: return 8
        }
    }

    /// Splits a TIMESTAMP value in the unit of `precision` into epoch millis and nano-of-millisecond.
    static func timestampParts(_ value: Int64, precision: Int) -> (millis: Int64, nanoOfMilli: Int32) {
        if precision <= 3 { return (value, 0) }
        if precision <= 6 {
            let (q, r) = floorDivMod(value, 1000)
            return (q, Int32(r * 1000))
        }
        let (q, r) = floorDivMod(value, 1_000_000)
        return (q, Int32(r))
    }

    static func floorDivMod(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        var q = a / b, r = a % b
        if r < 0 { q -= 1; r += b }
        return (q, r)
    }

    /// The value in the unit of `precision` from millis and nano-of-millisecond; nil when it does not fit or the
    /// nanoseconds are finer than the precision's unit.
    static func timestampValue(millis: Int64, nanoOfMilli: Int32, precision: Int) -> Int64? {
        if precision <= 3 { return nanoOfMilli == 0 ? millis : nil }
        if precision <= 6 {
            guard nanoOfMilli % 1000 == 0 else { return nil }
            let (m, overflow) = millis.multipliedReportingOverflow(by: 1000)
            guard !overflow else { return nil }
            let (v, o2) = m.addingReportingOverflow(Int64(nanoOfMilli / 1000))
            return o2 ? nil : v
        }
        let (m, overflow) = millis.multipliedReportingOverflow(by: 1_000_000)
        guard !overflow else { return nil }
        let (v, o2) = m.addingReportingOverflow(Int64(nanoOfMilli))
        return o2 ? nil : v
    }

    /// Brings an unscaled decimal from `from` to `scale` without rounding and checks it has at most `precision`
    /// digits; nil when that is impossible.
    static func rescale(_ unscaled: Int128, from: Int, to scale: Int, precision: Int) -> Int128? {
        guard (0...38).contains(from), (0...38).contains(scale), (1...38).contains(precision) else { return nil }
        var value = unscaled
        if from < scale {
            let (product, overflow) = value.multipliedReportingOverflow(by: powersOfTen[scale - from])
            guard !overflow else { return nil }
            value = product
        } else if from > scale {
            let divisor = powersOfTen[from - scale]
            guard value % divisor == 0 else { return nil }
            value /= divisor
        }
        let limit = powersOfTen[precision]
        guard value > -limit && value < limit else { return nil }
        return value
    }

    /// `BigInteger.toByteArray`: minimal big-endian two's complement, at least one byte.
    static func minimalBigEndian(_ value: Int128) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        let bits = UInt128(bitPattern: value)
        for i in (0..<16).reversed() { bytes.append(UInt8(truncatingIfNeeded: bits >> (UInt128(i) * 8))) }
        var start = 0
        while start < 15 {
            let b = bytes[start], next = bytes[start + 1]
            if (b == 0x00 && next & 0x80 == 0) || (b == 0xFF && next & 0x80 != 0) { start += 1 } else { break }
        }
        return Array(bytes[start...])
    }

    /// `new BigInteger(bytes)` for 1...16 bytes.
    static func fromBigEndian(_ bytes: ArraySlice<UInt8>) -> Int128 {
        var value: Int128 = (bytes.first! & 0x80) != 0 ? -1 : 0
        for b in bytes { value = (value << 8) | Int128(b) }
        return value
    }
}

/// Reads values out of one binary section (a row, an array or a map) with every offset checked.
struct BinarySectionReader {
    let bytes: [UInt8]
    let subject: String

    func fail(_ path: String, _ message: String) -> PaimonFormatError { PaimonFormatError(subject, "\(path): \(message)") }

    func load<T: FixedWidthInteger>(_: T.Type, at offset: Int, path: String) throws(PaimonFormatError) -> T {
        let size = MemoryLayout<T>.size
        guard offset >= 0, offset + size <= bytes.count else {
            throw fail(path, "\(size) bytes at offset \(offset) are outside the \(bytes.count)-byte section")
        }
        var value: T = 0
        for i in 0..<size { value |= T(truncatingIfNeeded: bytes[offset + i]) << (8 * i) }
        return value
    }

    /// The (offset, length) in a slot, checked to lie inside the section.
    func region(slot: Int, path: String) throws(PaimonFormatError) -> Range<Int> {
        let word = try load(UInt64.self, at: slot, path: path)
        let offset = Int(Int32(truncatingIfNeeded: word >> 32))
        let length = Int(Int32(truncatingIfNeeded: word))
        guard offset >= 0, length >= 0, offset + length <= bytes.count else {
            throw fail(path, "offset \(offset) and length \(length) point outside the \(bytes.count)-byte section")
        }
        return offset..<(offset + length)
    }

    /// A CHAR/VARCHAR/BINARY/VARBINARY field: inline (top bit set, length in bits 56-62) or in the variable part.
    func byteString(slot: Int, path: String) throws(PaimonFormatError) -> ArraySlice<UInt8> {
        let word = try load(UInt64.self, at: slot, path: path)
        if word & BinarySection.highestFirstBitMask != 0 {
            let length = Int((word >> 56) & 0x7F)
            guard length <= BinarySection.maxFixPartDataSize else {
                throw fail(path, "inline length \(length) is more than \(BinarySection.maxFixPartDataSize)")
            }
            return bytes[slot..<(slot + length)]
        }
        return bytes[try region(slot: slot, path: path)]
    }

    func readValue(type: DataType, slot: Int, path: String) throws(PaimonFormatError) -> Value {
        switch type.kind {
        case .boolean:
            let b = try load(UInt8.self, at: slot, path: path)
            guard b <= 1 else { throw fail(path, "boolean byte \(b) is not 0 or 1") }
            return .boolean(b == 1)
        case .tinyint: return .integer(Int64(Int8(bitPattern: try load(UInt8.self, at: slot, path: path))))
        case .smallint: return .integer(Int64(Int16(bitPattern: try load(UInt16.self, at: slot, path: path))))
        case .int: return .integer(Int64(Int32(bitPattern: try load(UInt32.self, at: slot, path: path))))
        case .bigint: return .integer(Int64(bitPattern: try load(UInt64.self, at: slot, path: path)))
        case .float: return .float(Float(bitPattern: try load(UInt32.self, at: slot, path: path)))
        case .double: return .double(Double(bitPattern: try load(UInt64.self, at: slot, path: path)))
        case .date: return .date(days: Int32(bitPattern: try load(UInt32.self, at: slot, path: path)))
        case .time: return .time(millis: Int32(bitPattern: try load(UInt32.self, at: slot, path: path)))
        case .decimal(let precision, let scale):
            let unscaled: Int128
            if BinarySection.isCompactDecimal(precision) {
                unscaled = Int128(Int64(bitPattern: try load(UInt64.self, at: slot, path: path)))
            } else {
                let range = try region(slot: slot, path: path)
                guard (1...16).contains(range.count) else {
                    throw fail(path, "a DECIMAL(\(precision), \(scale)) value of \(range.count) bytes (expected 1...16)")
                }
                unscaled = BinarySection.fromBigEndian(bytes[range])
            }
            guard BinarySection.rescale(unscaled, from: scale, to: scale, precision: precision) != nil else {
                throw fail(path, "unscaled value \(unscaled) has more than \(precision) digits")
            }
            return .decimal(unscaled: unscaled, scale: scale)
        case .timestamp(let precision), .timestampLTZ(let precision):
            let millis: Int64, nano: Int32
            if BinarySection.isCompactTimestamp(precision) {
                millis = Int64(bitPattern: try load(UInt64.self, at: slot, path: path))
                nano = 0
            } else {
                let word = try load(UInt64.self, at: slot, path: path)
                let offset = Int(Int32(truncatingIfNeeded: word >> 32))
                nano = Int32(truncatingIfNeeded: word)
                guard (0..<1_000_000).contains(nano) else { throw fail(path, "nano-of-millisecond \(nano) is outside 0...999999") }
                millis = Int64(bitPattern: try load(UInt64.self, at: offset, path: path))
            }
            guard let value = BinarySection.timestampValue(millis: millis, nanoOfMilli: nano, precision: precision) else {
                throw fail(path, "timestamp \(millis) ms + \(nano) ns does not fit TIMESTAMP(\(precision))")
            }
            return .timestamp(value)
        case .char, .varchar:
            let data = try byteString(slot: slot, path: path)
            guard let text = String(validating: data, as: UTF8.self) else { throw fail(path, "the string is not valid UTF-8") }
            return .string(text)
        case .binary, .varbinary:
            return .bytes(Array(try byteString(slot: slot, path: path)))
        case .array(let element):
            let range = try region(slot: slot, path: path)
            return .list(try BinaryArrayFormat.read(Array(bytes[range]), element: element, subject: subject, path: path))
        case .multiset(let element):
            let range = try region(slot: slot, path: path)
            let entries = try BinaryArrayFormat.readMap(
                Array(bytes[range]), key: element, value: DataType(.int, nullable: false), subject: subject, path: path)
            // Counts are bounded so a lying count cannot make a huge list: at most 8 elements per byte of the row.
            let itemsMax = Int64(bytes.count) * 8
            var items: [Value] = []
            for entry in entries {
                guard case .integer(let count) = entry.value, count >= 0, count <= itemsMax - Int64(items.count) else {
                    throw fail(path, "multiset count \(entry.value) is negative or more than \(itemsMax) elements in all")
                }
                items.append(contentsOf: repeatElement(entry.key, count: Int(count)))
            }
            return .list(items)
        case .map(let keyType, let valueType):
            let range = try region(slot: slot, path: path)
            return .map(try BinaryArrayFormat.readMap(Array(bytes[range]), key: keyType, value: valueType, subject: subject, path: path))
        case .row(let fields):
            let range = try region(slot: slot, path: path)
            let nested = try BinaryRow(arity: fields.count, bytes: Array(bytes[range]), subject: subject + ", " + path)
            return .row(try nested.values(types: fields.map(\.type), subject: subject + ", " + path))
        }
    }
}
