/// `StripeFooter`: the directory of a stripe's streams, in file order, and each column's encoding
/// (ORC v1 spec, "Stripe Footer"). Streams lie back to back from the stripe's offset in the listed order.
public struct ORCStripeFooter: Sendable, Equatable, ProtobufMessage {
    public var streams: [ORCStream] = []
    /// One per column id.
    public var columns: [ORCColumnEncoding] = []
    /// The zone the writer counted TIMESTAMP seconds in (`"GMT"` for Weir and the ORC C++ writer).
    public var writerTimezone: String?
    /// True when the stripe carries encryption variants (field 4), which this module does not read.
    public var hasEncryption = false

    public init(streams: [ORCStream] = [], columns: [ORCColumnEncoding] = [], writerTimezone: String? = nil) {
        self.streams = streams
        self.columns = columns
        self.writerTimezone = writerTimezone
    }

    init(reading r: inout ProtobufReader) throws(ORCError) {
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1:
                try r.expect(wire, .lengthDelimited, field: field)
                streams.append(try .decodeNested(&r, name: "streams[\(streams.count)]"))
            case 2:
                try r.expect(wire, .lengthDelimited, field: field)
                columns.append(try .decodeNested(&r, name: "columns[\(columns.count)]"))
            case 3: try r.expect(wire, .lengthDelimited, field: field); writerTimezone = try r.readString()
            case 4: try r.skip(wire); hasEncryption = true
            default: try r.skip(wire)
            }
        }
    }

    func write(to w: inout ProtobufWriter) {
        for stream in streams { w.message(1, stream) }
        for column in columns { w.message(2, column) }
        if let writerTimezone { w.string(3, writerTimezone) }
    }
}

/// `Stream`: one stream's kind, column and length in bytes.
public struct ORCStream: Sendable, Equatable, ProtobufMessage {
    public var kind: ORCStreamKind
    public var column: UInt32
    public var length: UInt64

    public init(kind: ORCStreamKind, column: UInt32, length: UInt64) {
        self.kind = kind
        self.column = column
        self.length = length
    }

    init(reading r: inout ProtobufReader) throws(ORCError) {
        kind = .present
        column = 0
        length = 0
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: try r.expect(wire, .varint, field: field); kind = ORCStreamKind(rawValue: try r.readUInt32())
            case 2: try r.expect(wire, .varint, field: field); column = try r.readUInt32()
            case 3: try r.expect(wire, .varint, field: field); length = try r.readVarint()
            default: try r.skip(wire)
            }
        }
    }

    func write(to w: inout ProtobufWriter) {
        w.uint32(1, kind.rawValue)
        w.uint32(2, column)
        w.uint64(3, length)
    }
}

/// `ColumnEncoding`: how one column is encoded in one stripe.
public struct ORCColumnEncoding: Sendable, Equatable, ProtobufMessage {
    public var kind: ORCEncodingKind
    /// Entries in the dictionary (dictionary encodings only).
    public var dictionarySize: UInt32?
    public var bloomEncoding: UInt32?

    public init(kind: ORCEncodingKind, dictionarySize: UInt32? = nil) {
        self.kind = kind
        self.dictionarySize = dictionarySize
    }

    init(reading r: inout ProtobufReader) throws(ORCError) {
        kind = .direct
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: try r.expect(wire, .varint, field: field); kind = ORCEncodingKind(rawValue: try r.readUInt32())
            case 2: try r.expect(wire, .varint, field: field); dictionarySize = try r.readUInt32()
            case 3: try r.expect(wire, .varint, field: field); bloomEncoding = try r.readUInt32()
            default: try r.skip(wire)
            }
        }
    }

    func write(to w: inout ProtobufWriter) {
        w.uint32(1, kind.rawValue)
        if let dictionarySize { w.uint32(2, dictionarySize) }
        if let bloomEncoding { w.uint32(3, bloomEncoding) }
    }
}
