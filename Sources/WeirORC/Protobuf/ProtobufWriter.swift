/// An encoder of the protobuf wire format, the counterpart of ``ProtobufReader``. Fields are written in the
/// order the caller writes them (ORC readers, like protobuf, accept any order); optional fields are written only
/// when the caller passes them, repeated scalars the caller asks to pack are written packed.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    init() {}

    mutating func putVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    private mutating func key(_ field: Int, _ wireType: ProtobufReader.WireType) {
        putVarint(UInt64(field) << 3 | UInt64(wireType.rawValue))
    }

    mutating func uint64(_ field: Int, _ value: UInt64) {
        key(field, .varint)
        putVarint(value)
    }

    mutating func uint32(_ field: Int, _ value: UInt32) { uint64(field, UInt64(value)) }

    /// `int32`: negative values are sign-extended to ten bytes, as protobuf does.
    mutating func int32(_ field: Int, _ value: Int32) { uint64(field, UInt64(bitPattern: Int64(value))) }

    mutating func sint64(_ field: Int, _ value: Int64) {
        uint64(field, UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func sint32(_ field: Int, _ value: Int32) { sint64(field, Int64(value)) }

    mutating func bool(_ field: Int, _ value: Bool) { uint64(field, value ? 1 : 0) }

    mutating func fixed64(_ field: Int, _ value: UInt64) {
        key(field, .fixed64)
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }

    mutating func double(_ field: Int, _ value: Double) { fixed64(field, value.bitPattern) }

    mutating func bytes(_ field: Int, _ value: some Collection<UInt8>) {
        key(field, .lengthDelimited)
        putVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ field: Int, _ value: String) { bytes(field, Array(value.utf8)) }

    mutating func message(_ field: Int, _ value: some ProtobufMessage) {
        bytes(field, value.serialized())
    }

    /// A packed repeated varint field; nothing is written for an empty list.
    mutating func packedVarints(_ field: Int, _ values: [UInt64]) {
        guard !values.isEmpty else { return }
        var inner = ProtobufWriter()
        for value in values { inner.putVarint(value) }
        bytes(field, inner.bytes)
    }
}
