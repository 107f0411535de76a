/// The byte form of BinaryRows inside Avro manifests, mirroring `org.apache.paimon.utils.SerializationUtils`
/// (spec/paimon-format.md section 5.4): `_PARTITION`, `_MIN_KEY`, `_MAX_KEY`, `_MIN_VALUES`, `_MAX_VALUES` are a
/// 4-byte big-endian arity followed by the row bytes; the row size is the rest of the bytes.
public enum SerializationUtils {
    /// `serializeBinaryRow`.
    public static func serializeBinaryRow(_ row: BinaryRow) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4 + row.bytes.count)
        let arity = UInt32(row.arity)
        out.append(contentsOf: [UInt8(arity >> 24), UInt8(truncatingIfNeeded: arity >> 16), UInt8(truncatingIfNeeded: arity >> 8), UInt8(truncatingIfNeeded: arity)])
        out.append(contentsOf: row.bytes)
        return out
    }

    /// `deserializeBinaryRow`; the arity must be non-negative and the bytes must hold a valid row of that arity
    /// (see ``BinaryRow/init(arity:bytes:subject:)``).
    public static func deserializeBinaryRow(_ bytes: [UInt8], subject: String = "serialized BinaryRow") throws(PaimonFormatError) -> BinaryRow {
        guard bytes.count >= 4 else {
            throw PaimonFormatError(subject, "\(bytes.count) bytes are too few for the 4-byte arity prefix")
        }
        let arity = Int32(bitPattern: UInt32(bytes[0]) << 24 | UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8 | UInt32(bytes[3]))
        return try BinaryRow(arity: Int(arity), bytes: Array(bytes[4...]), subject: subject)
    }
}
