/// A bounds-checked decoder of the protobuf wire format (proto2, as ORC's `orc_proto.proto` uses it), written by
/// hand so the ORC module needs no protobuf runtime.
///
/// Contract:
/// - Reads varints (at most 10 bytes, overflow past 64 bits is an error), zigzag `sint32`/`sint64`,
///   length-delimited fields (bytes, strings, nested messages, packed repeated scalars), `fixed32`/`fixed64`.
/// - Unknown fields of wire types 0, 1, 2 and 5 are skipped; the deprecated group wire types (3, 4) and wire
///   types 6 and 7 are errors, as is field number 0.
/// - Nested messages are decoded through ``nested(_:)``, which counts depth: more than ``depthMax`` levels is an
///   error, so a hostile message cannot recurse without bound. Sizes are bounded by the caller, which hands over
///   the message bytes it has already checked against its limit; no read allocates more than the bytes it covers.
/// - Every error is an ``ORCError`` whose location is the message being decoded and the byte offset in it; the
///   caller fills in the file name.
struct ProtobufReader {
    /// Nesting deeper than this many messages is refused.
    static let depthMax = 64

    enum WireType: UInt8 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    let bytes: [UInt8]
    /// The message's bytes are `bytes[start..<end]`.
    let start: Int
    let end: Int
    private(set) var position: Int
    let depth: Int
    /// The message name used in error locations ("footer", "stripe 2 footer").
    let context: String

    init(_ bytes: [UInt8], context: String) {
        self.init(bytes, range: 0..<bytes.count, depth: 0, context: context)
    }

    init(_ bytes: [UInt8], range: Range<Int>, depth: Int, context: String) {
        self.bytes = bytes
        self.start = range.lowerBound
        self.end = range.upperBound
        self.position = range.lowerBound
        self.depth = depth
        self.context = context
    }

    var isAtEnd: Bool { position >= end }

    func error(_ message: String) -> ORCError {
        ORCError(file: "", location: "\(context) at byte \(position - start)", "protobuf: \(message)")
    }

    /// The next field's number and wire type, or nil at the end of the message.
    mutating func nextField() throws(ORCError) -> (number: Int, wireType: WireType)? {
        guard position < end else { return nil }
        let key = try readVarint()
        let number = key >> 3
        guard number > 0, number <= 536_870_911 else { throw error("field number \(number) is out of range") }
        guard let wireType = WireType(rawValue: UInt8(key & 7)) else {
            throw error("unsupported wire type \(key & 7) for field \(number)")
        }
        return (Int(number), wireType)
    }

    mutating func readVarint() throws(ORCError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw error("varint runs past the end of the message") }
            let byte = bytes[position]
            position += 1
            // The 10th byte holds bit 63 only: anything else overflows (and a continuation there would make 11 bytes).
            if shift == 63 && byte > 1 { throw error("varint overflows 64 bits") }
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    mutating func readUInt32() throws(ORCError) -> UInt32 {
        let value = try readVarint()
        // proto2 uint32 is the low 32 bits; values wider than 32 bits are malformed for our messages.
        guard value <= UInt64(UInt32.max) else { throw error("uint32 value \(value) is out of range") }
        return UInt32(value)
    }

    mutating func readInt32() throws(ORCError) -> Int32 {
        // int32 is sign-extended to 64 bits on the wire.
        let value = Int64(bitPattern: try readVarint())
        guard let narrow = Int32(exactly: value) else { throw error("int32 value \(value) is out of range") }
        return narrow
    }

    mutating func readSInt64() throws(ORCError) -> Int64 {
        let u = try readVarint()
        return Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1)
    }

    mutating func readSInt32() throws(ORCError) -> Int32 {
        let value = try readSInt64()
        guard let narrow = Int32(exactly: value) else { throw error("sint32 value \(value) is out of range") }
        return narrow
    }

    mutating func readBool() throws(ORCError) -> Bool { try readVarint() != 0 }

    mutating func readFixed64() throws(ORCError) -> UInt64 {
        guard end - position >= 8 else { throw error("fixed64 runs past the end of the message") }
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
        position += 8
        return value
    }

    mutating func readFixed32() throws(ORCError) -> UInt32 {
        guard end - position >= 4 else { throw error("fixed32 runs past the end of the message") }
        var value: UInt32 = 0
        for i in 0..<4 { value |= UInt32(bytes[position + i]) << (8 * UInt32(i)) }
        position += 4
        return value
    }

    mutating func readDouble() throws(ORCError) -> Double { Double(bitPattern: try readFixed64()) }

    /// The byte range of a length-delimited field, checked to lie inside the message.
    mutating func readLengthDelimited() throws(ORCError) -> Range<Int> {
        let length = try readVarint()
        guard length <= UInt64(end - position) else {
            throw error("length \(length) runs past the end of the message (\(end - position) bytes left)")
        }
        let range = position..<(position + Int(length))
        position = range.upperBound
        return range
    }

    mutating func readBytes() throws(ORCError) -> [UInt8] {
        Array(bytes[try readLengthDelimited()])
    }

    /// A string field; invalid UTF-8 is repaired with U+FFFD (ORC strings are informational: names, versions).
    mutating func readString() throws(ORCError) -> String {
        String(decoding: bytes[try readLengthDelimited()], as: UTF8.self)
    }

    /// A reader over the nested message in the next length-delimited field.
    mutating func nested(_ name: String) throws(ORCError) -> ProtobufReader {
        guard depth < Self.depthMax else { throw error("messages nested deeper than \(Self.depthMax) levels") }
        let range = try readLengthDelimited()
        return ProtobufReader(bytes, range: range, depth: depth + 1, context: context + "." + name)
    }

    /// Appends a repeated unsigned varint field, accepting both packed and unpacked encodings.
    mutating func readRepeatedVarint(_ wireType: WireType, into values: inout [UInt64]) throws(ORCError) {
        switch wireType {
        case .varint:
            values.append(try readVarint())
        case .lengthDelimited:
            let range = try readLengthDelimited()
            var inner = ProtobufReader(bytes, range: range, depth: depth, context: context)
            while !inner.isAtEnd { values.append(try inner.readVarint()) }
        default:
            throw error("a repeated varint field has wire type \(wireType.rawValue)")
        }
    }

    /// Appends a repeated fixed64 field, packed or not.
    mutating func readRepeatedFixed64(_ wireType: WireType, into values: inout [UInt64]) throws(ORCError) {
        switch wireType {
        case .fixed64:
            values.append(try readFixed64())
        case .lengthDelimited:
            let range = try readLengthDelimited()
            guard range.count % 8 == 0 else { throw error("packed fixed64 field of \(range.count) bytes") }
            var inner = ProtobufReader(bytes, range: range, depth: depth, context: context)
            while !inner.isAtEnd { values.append(try inner.readFixed64()) }
        default:
            throw error("a repeated fixed64 field has wire type \(wireType.rawValue)")
        }
    }

    /// Skips a field of an unknown number.
    mutating func skip(_ wireType: WireType) throws(ORCError) {
        switch wireType {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .fixed32: _ = try readFixed32()
        case .lengthDelimited: _ = try readLengthDelimited()
        }
    }

    /// Checks that a known field arrived with the wire type its declaration implies.
    func expect(_ wireType: WireType, _ expected: WireType, field: Int) throws(ORCError) {
        guard wireType == expected else {
            throw error("field \(field) has wire type \(wireType.rawValue), expected \(expected.rawValue)")
        }
    }
}

/// Something that decodes from and encodes to protobuf bytes.
protocol ProtobufMessage {
    init(reading reader: inout ProtobufReader) throws(ORCError)
    func write(to writer: inout ProtobufWriter)
}

extension ProtobufMessage {
    /// Decodes a whole message from `bytes`; `context` names it in errors.
    static func decode(_ bytes: [UInt8], context: String) throws(ORCError) -> Self {
        var reader = ProtobufReader(bytes, context: context)
        return try Self(reading: &reader)
    }

    /// Decodes the nested message in the reader's next length-delimited field.
    static func decodeNested(_ reader: inout ProtobufReader, name: String) throws(ORCError) -> Self {
        var inner = try reader.nested(name)
        return try Self(reading: &inner)
    }

    /// The message's wire bytes.
    func serialized() -> [UInt8] {
        var writer = ProtobufWriter()
        write(to: &writer)
        return writer.bytes
    }
}
