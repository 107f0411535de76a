import WeirColumnar

/// The array and map layouts nested inside a BinaryRow's variable part, mirroring
/// `org.apache.paimon.data.BinaryArray` / `BinaryArrayWriter` and `BinaryMap`.
///
/// BinaryArray: int32 element count, null bits (`((n + 31) / 32) * 4` bytes, bit i of byte `4 + i / 8`), then
/// `n` fixed-width elements (1 byte for BOOLEAN/TINYINT, 2 for SMALLINT, 4 for INT/FLOAT/DATE/TIME, 8 for all
/// others, byte strings inline when ≤ 7 bytes), the fixed part rounded up to 8 bytes, then the variable part. A null
/// element is its null bit and a zero slot (no reserved variable bytes, unlike rows). Offsets are relative to the
/// array start. BinaryMap: int32 byte size of the key array, the key array, the value array.
enum BinaryArrayFormat {
    /// `BinaryArray.calculateHeaderInBytes`.
    static func headerInBytes(_ count: Int) -> Int { 4 + ((count + 31) / 32) * 4 }

    static func write(_ items: [Value], element: DataType, subject: String, path: String) throws(PaimonFormatError) -> [UInt8] {
        let header = headerInBytes(items.count)
        let elementSize = BinarySection.elementSize(element)
        var writer = BinarySectionWriter(fixedSize: header + elementSize * items.count, subject: subject)
        writer.set(UInt32(items.count), at: 0)
        for (index, item) in items.enumerated() {
            if item == .null {
                writer.bytes[4 + (index >> 3)] |= 1 << UInt8(index & 7)
            } else {
                try writer.writeValue(item, type: element, slot: header + elementSize * index, path: "\(path)[\(index)]")
            }
        }
        return writer.bytes
    }

    static func writeMap(_ entries: [Value.MapEntry], key: DataType, value: DataType, subject: String, path: String) throws(PaimonFormatError) -> [UInt8] {
        let keys = try write(entries.map(\.key), element: key, subject: subject, path: path + ".key")
        let values = try write(entries.map(\.value), element: value, subject: subject, path: path + ".value")
        var out: [UInt8] = []
        out.reserveCapacity(4 + keys.count + values.count)
        let size = UInt32(keys.count)
        for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: size >> (8 * i))) }
        out.append(contentsOf: keys)
        out.append(contentsOf: values)
        return out
    }

    static func read(_ bytes: [UInt8], element: DataType, subject: String, path: String) throws(PaimonFormatError) -> [Value] {
        let reader = BinarySectionReader(bytes: bytes, subject: subject)
        let count = Int(Int32(bitPattern: try reader.load(UInt32.self, at: 0, path: path)))
        let elementSize = BinarySection.elementSize(element)
        guard count >= 0, count <= bytes.count else {
            throw PaimonFormatError(subject, "\(path): array element count \(count) does not fit its \(bytes.count) bytes")
        }
        let header = headerInBytes(count)
        guard header + elementSize * count <= bytes.count else {
            throw PaimonFormatError(subject, "\(path): \(count) elements of \(elementSize) bytes do not fit the \(bytes.count)-byte array")
        }
        var out: [Value] = []
        out.reserveCapacity(count)
        for index in 0..<count {
            if bytes[4 + (index >> 3)] & (1 << UInt8(index & 7)) != 0 {
                out.append(.null)
            } else {
                out.append(try reader.readValue(type: element, slot: header + elementSize * index, path: "\(path)[\(index)]"))
            }
        }
        return out
    }

    static func readMap(_ bytes: [UInt8], key: DataType, value: DataType, subject: String, path: String) throws(PaimonFormatError) -> [Value.MapEntry] {
        let reader = BinarySectionReader(bytes: bytes, subject: subject)
        let keySize = Int(Int32(bitPattern: try reader.load(UInt32.self, at: 0, path: path)))
        guard keySize >= 0, 4 + keySize <= bytes.count else {
            throw PaimonFormatError(subject, "\(path): map key array size \(keySize) does not fit the \(bytes.count)-byte map")
        }
        let keys = try read(Array(bytes[4..<(4 + keySize)]), element: key, subject: subject, path: path + ".key")
        let values = try read(Array(bytes[(4 + keySize)...]), element: value, subject: subject, path: path + ".value")
        guard keys.count == values.count else {
            throw PaimonFormatError(subject, "\(path): the map has \(keys.count) keys but \(values.count) values")
        }
        return zip(keys, values).map { Value.MapEntry(key: $0, value: $1) }
    }
}
