import WeirColumnar

/// Builds Java's exact BinaryRow bytes, mirroring `org.apache.paimon.data.BinaryRowWriter` as driven by
/// `RowHelper.copyInto` / `InternalRowSerializer.toBinaryRow` (spec/paimon-format.md sections 5.1-5.3).
///
/// Per field, in order (variable-part chunks appended in field order, each zero-padded to 8 bytes):
/// - BOOLEAN/TINYINT/SMALLINT/INT/DATE/TIME/BIGINT/FLOAT/DOUBLE: the value, little-endian, in the slot's low bytes;
/// - DECIMAL(p ≤ 18): the unscaled value as an int64; DECIMAL(p > 18): 16 zeroed bytes reserved in the variable
///   part, the minimal big-endian two's complement unscaled value written there, slot = `offset << 32 | length`;
/// - TIMESTAMP/TIMESTAMP_LTZ(p ≤ 3): epoch millis; p > 3: 8 bytes (millis) in the variable part,
///   slot = `offset << 32 | nanoOfMillisecond`;
/// - CHAR/VARCHAR (UTF-8) and BINARY/VARBINARY: ≤ 7 bytes inline with byte 7 = `0x80 | length`, longer ones in the
///   variable part with slot = `offset << 32 | length`;
/// - ARRAY/MULTISET/MAP/ROW: a BinaryArray / BinaryMap / nested BinaryRow in the variable part,
///   slot = `offset << 32 | size` (a MULTISET is written as a map element → INT count, keys in first-occurrence
///   order; Java's order follows its hash map, so MULTISET bytes may differ from Java's);
/// - null: the null bit and a zero slot, except non-compact DECIMAL and TIMESTAMP, which still reserve their 16/8
///   zeroed variable bytes and write `offset << 32` (Java's `RowHelper`; pypaimon reserves nothing there).
///
/// Values must match their types (see ``BinaryRow``); decimals with another scale are rescaled exactly (an error if
/// digits would be lost or the precision exceeded); integers must fit their width. Nullability is not enforced (stats
/// rows are all-nullable; keys are the caller's to check). Declared CHAR/VARCHAR/BINARY lengths are not enforced.
public enum BinaryRowWriter {
    /// The row of `values` (one per type) with row kind `rowKind`.
    public static func write(_ values: [Value], types: [DataType], rowKind: RowKind = .insert, subject: String = "BinaryRow") throws(PaimonFormatError) -> BinaryRow {
        guard values.count == types.count else {
            throw PaimonFormatError(subject, "\(values.count) values for \(types.count) types")
        }
        guard types.count <= BinaryRow.arityMax else { throw PaimonFormatError(subject, "arity \(types.count) is more than \(BinaryRow.arityMax)") }
        return BinaryRow(uncheckedArity: types.count, bytes: try rowBytes(values, types: types, rowKind: rowKind, subject: subject, path: ""))
    }

    static func rowBytes(_ values: [Value], types: [DataType], rowKind: RowKind, subject: String, path: String) throws(PaimonFormatError) -> [UInt8] {
        let arity = types.count
        let nullBitsWidth = BinaryRow.calculateBitSetWidthInBytes(arity)
        var writer = BinarySectionWriter(fixedSize: nullBitsWidth + 8 * arity, subject: subject)
        writer.bytes[0] = UInt8(bitPattern: rowKind.rawValue)
        for (index, (value, type)) in zip(values, types).enumerated() {
            let slot = nullBitsWidth + 8 * index
            let here = path.isEmpty ? "field \(index)" : "\(path).field \(index)"
            if value == .null {
                let bit = index + BinaryRow.headerSizeInBits
                writer.bytes[bit >> 3] |= 1 << UInt8(bit & 7)
                switch type.kind {
                case .decimal(let p, _) where !BinarySection.isCompactDecimal(p):
                    writer.setU64(UInt64(writer.reserveZeroed(16)) << 32, at: slot)
                case .timestamp(let p) where !BinarySection.isCompactTimestamp(p),
                     .timestampLTZ(let p) where !BinarySection.isCompactTimestamp(p):
                    writer.setU64(UInt64(writer.reserveZeroed(8)) << 32, at: slot)
                default:
                    break
                }
            } else {
                try writer.writeValue(value, type: type, slot: slot, path: here)
            }
        }
        return writer.bytes
    }
}

/// Fixed part plus growing variable part of one binary section, with Java's slot encodings.
struct BinarySectionWriter {
    var bytes: [UInt8]
    let subject: String

    init(fixedSize: Int, subject: String) {
        bytes = [UInt8](repeating: 0, count: BinarySection.roundNumberOfBytesToNearestWord(fixedSize))
        self.subject = subject
    }

    mutating func set<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        for i in 0..<MemoryLayout<T>.size { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
    }

    mutating func setU64(_ value: UInt64, at offset: Int) { set(value, at: offset) }

    /// Appends `count` zero bytes (rounded up to a word) and returns their offset.
    mutating func reserveZeroed(_ count: Int) -> Int {
        let offset = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: BinarySection.roundNumberOfBytesToNearestWord(count)))
        return offset
    }

    /// Appends `data` padded to a word and points the slot at it (`offset << 32 | length`).
    mutating func appendVariable<C: Collection<UInt8>>(_ data: C, slot: Int) {
        let offset = bytes.count
        bytes.append(contentsOf: data)
        bytes.append(contentsOf: repeatElement(0, count: BinarySection.roundNumberOfBytesToNearestWord(data.count) - data.count))
        setU64(UInt64(offset) << 32 | UInt64(data.count), at: slot)
    }

    /// `writeBytes`/`writeString`: ≤ 7 bytes inline, else in the variable part.
    mutating func writeByteString<C: Collection<UInt8>>(_ data: C, slot: Int) {
        if data.count <= BinarySection.maxFixPartDataSize {
            var word = UInt64(0x80 | data.count) << 56
            for (i, b) in data.enumerated() { word |= UInt64(b) << (8 * i) }
            setU64(word, at: slot)
        } else {
            appendVariable(data, slot: slot)
        }
    }

    func mismatch(_ value: Value, _ type: DataType, _ path: String) -> PaimonFormatError {
        PaimonFormatError(subject, "\(path): \(value) is not a value of \(type)")
    }

    /// Writes the non-null `value` into the slot at `slot` (its width follows the type).
    mutating func writeValue(_ value: Value, type: DataType, slot: Int, path: String) throws(PaimonFormatError) {
        func integer<T: FixedWidthInteger>(_: T.Type) throws(PaimonFormatError) -> T {
            guard case .integer(let x) = value else { throw mismatch(value, type, path) }
            guard let narrow = T(exactly: x) else { throw PaimonFormatError(subject, "\(path): \(x) is out of range for \(type)") }
            return narrow
        }
        switch (type.kind, value) {
        case (.boolean, .boolean(let b)): bytes[slot] = b ? 1 : 0
        case (.tinyint, _): set(UInt8(bitPattern: try integer(Int8.self)), at: slot)
        case (.smallint, _): set(UInt16(bitPattern: try integer(Int16.self)), at: slot)
        case (.int, _): set(UInt32(bitPattern: try integer(Int32.self)), at: slot)
        case (.bigint, _): set(UInt64(bitPattern: try integer(Int64.self)), at: slot)
        case (.float, .float(let f)): set(f.bitPattern, at: slot)
        case (.double, .double(let d)): set(d.bitPattern, at: slot)
        case (.date, .date(let days)): set(UInt32(bitPattern: days), at: slot)
        case (.time, .time(let millis)): set(UInt32(bitPattern: millis), at: slot)
        case (.decimal(let precision, let scale), .decimal(let unscaled, let valueScale)):
            guard let v = BinarySection.rescale(unscaled, from: valueScale, to: scale, precision: precision) else {
                throw PaimonFormatError(subject, "\(path): \(value) does not fit DECIMAL(\(precision), \(scale)) exactly")
            }
            if BinarySection.isCompactDecimal(precision) {
                set(UInt64(bitPattern: Int64(v)), at: slot)
            } else {
                let offset = reserveZeroed(16)
                let data = BinarySection.minimalBigEndian(v)
                bytes.replaceSubrange(offset..<(offset + data.count), with: data)
                setU64(UInt64(offset) << 32 | UInt64(data.count), at: slot)
            }
        case (.timestamp(let precision), .timestamp(let v)), (.timestampLTZ(let precision), .timestamp(let v)):
            let (millis, nano) = BinarySection.timestampParts(v, precision: precision)
            if BinarySection.isCompactTimestamp(precision) {
                set(UInt64(bitPattern: millis), at: slot)
            } else {
                let offset = reserveZeroed(8)
                set(UInt64(bitPattern: millis), at: offset)
                setU64(UInt64(offset) << 32 | UInt64(UInt32(bitPattern: nano)), at: slot)
            }
        case (.char, .string(let s)), (.varchar, .string(let s)):
            writeByteString(Array(s.utf8), slot: slot)
        case (.binary, .bytes(let b)), (.varbinary, .bytes(let b)):
            writeByteString(b, slot: slot)
        case (.array(let element), .list(let items)):
            appendVariable(try BinaryArrayFormat.write(items, element: element, subject: subject, path: path), slot: slot)
        case (.multiset(let element), .list(let items)):
            var keys: [Value] = []
            var counts: [Value: Int64] = [:]
            for item in items {
                if counts[item] == nil { keys.append(item) }
                counts[item, default: 0] += 1
            }
            let entries = keys.map { Value.MapEntry(key: $0, value: .integer(counts[$0]!)) }
            appendVariable(
                try BinaryArrayFormat.writeMap(entries, key: element, value: DataType(.int, nullable: false), subject: subject, path: path),
                slot: slot)
        case (.map(let keyType, let valueType), .map(let entries)):
            appendVariable(try BinaryArrayFormat.writeMap(entries, key: keyType, value: valueType, subject: subject, path: path), slot: slot)
        case (.row(let fields), .row(let values)):
            guard values.count == fields.count else {
                throw PaimonFormatError(subject, "\(path): a row of \(values.count) values for \(fields.count) fields")
            }
            appendVariable(
                try BinaryRowWriter.rowBytes(values, types: fields.map(\.type), rowKind: .insert, subject: subject, path: path),
                slot: slot)
        default:
            throw mismatch(value, type, path)
        }
    }
}
