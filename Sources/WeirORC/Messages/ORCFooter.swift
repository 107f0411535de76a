/// `Footer`: the layout of the body (stripes), the schema (types), user metadata, row count and file-level
/// column statistics (ORC v1 spec, "Footer").
public struct ORCFooter: Sendable, Equatable, ProtobufMessage {
    /// Bytes before the first stripe (3: the `"ORC"` header).
    public var headerLength: UInt64 = 0
    /// Header plus all stripes.
    public var contentLength: UInt64 = 0
    public var stripes: [ORCStripeInformation] = []
    /// The schema, flattened in pre-order: type 0 is the root struct and column `i` has type `types[i]`.
    public var types: [ORCType] = []
    public var metadata: [ORCUserMetadataItem] = []
    public var numberOfRows: UInt64 = 0
    /// File-level statistics, one per column (or none).
    public var statistics: [ORCColumnStatistics] = []
    /// Rows per row group (0: no row index).
    public var rowIndexStride: UInt32 = 0
    /// The registered writer code: 0 ORC Java, 1 ORC C++, 2 Presto, 3 Go, 4 Trino, 5 CUDF; see ``ORCWriter``.
    public var writer: UInt32?
    public var calendar: ORCCalendarKind?
    public var softwareVersion: String?
    /// True when the file uses column encryption (field 10), which this module does not read.
    public var hasEncryption = false

    public init() {}

    init(reading r: inout ProtobufReader) throws(ORCError) {
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: try r.expect(wire, .varint, field: field); headerLength = try r.readVarint()
            case 2: try r.expect(wire, .varint, field: field); contentLength = try r.readVarint()
            case 3:
                try r.expect(wire, .lengthDelimited, field: field)
                stripes.append(try .decodeNested(&r, name: "stripes[\(stripes.count)]"))
            case 4:
                try r.expect(wire, .lengthDelimited, field: field)
                types.append(try .decodeNested(&r, name: "types[\(types.count)]"))
            case 5:
                try r.expect(wire, .lengthDelimited, field: field)
                metadata.append(try .decodeNested(&r, name: "metadata[\(metadata.count)]"))
            case 6: try r.expect(wire, .varint, field: field); numberOfRows = try r.readVarint()
            case 7:
                try r.expect(wire, .lengthDelimited, field: field)
                statistics.append(try .decodeNested(&r, name: "statistics[\(statistics.count)]"))
            case 8: try r.expect(wire, .varint, field: field); rowIndexStride = try r.readUInt32()
            case 9: try r.expect(wire, .varint, field: field); writer = try r.readUInt32()
            case 10: try r.skip(wire); hasEncryption = true
            case 11: try r.expect(wire, .varint, field: field); calendar = ORCCalendarKind(rawValue: try r.readUInt32())
            case 12: try r.expect(wire, .lengthDelimited, field: field); softwareVersion = try r.readString()
            default: try r.skip(wire)
            }
        }
    }

    func write(to w: inout ProtobufWriter) {
        w.uint64(1, headerLength)
        w.uint64(2, contentLength)
        for stripe in stripes { w.message(3, stripe) }
        for type in types { w.message(4, type) }
        for item in metadata { w.message(5, item) }
        w.uint64(6, numberOfRows)
        for stats in statistics { w.message(7, stats) }
        w.uint32(8, rowIndexStride)
        if let writer { w.uint32(9, writer) }
        if let calendar { w.uint32(11, calendar.rawValue) }
        if let softwareVersion { w.string(12, softwareVersion) }
    }
}

/// `StripeInformation`: where one stripe is and how many rows it holds.
public struct ORCStripeInformation: Sendable, Equatable, ProtobufMessage {
    /// File offset of the stripe's first byte.
    public var offset: UInt64 = 0
    public var indexLength: UInt64 = 0
    public var dataLength: UInt64 = 0
    public var footerLength: UInt64 = 0
    public var numberOfRows: UInt64 = 0

    public init(offset: UInt64 = 0, indexLength: UInt64 = 0, dataLength: UInt64 = 0, footerLength: UInt64 = 0, numberOfRows: UInt64 = 0) {
        self.offset = offset
        self.indexLength = indexLength
        self.dataLength = dataLength
        self.footerLength = footerLength
        self.numberOfRows = numberOfRows
    }

    /// Index, data and footer together (wrapping: the reader checks each part before it trusts this).
    public var totalLength: UInt64 { indexLength &+ dataLength &+ footerLength }

    init(reading r: inout ProtobufReader) throws(ORCError) {
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: try r.expect(wire, .varint, field: field); offset = try r.readVarint()
            case 2: try r.expect(wire, .varint, field: field); indexLength = try r.readVarint()
            case 3: try r.expect(wire, .varint, field: field); dataLength = try r.readVarint()
            case 4: try r.expect(wire, .varint, field: field); footerLength = try r.readVarint()
            case 5: try r.expect(wire, .varint, field: field); numberOfRows = try r.readVarint()
            default: try r.skip(wire)
            }
        }
    }

    func write(to w: inout ProtobufWriter) {
        w.uint64(1, offset)
        w.uint64(2, indexLength)
        w.uint64(3, dataLength)
        w.uint64(4, footerLength)
        w.uint64(5, numberOfRows)
    }
}

/// `UserMetadataItem`: one application-defined key and value.
public struct ORCUserMetadataItem: Sendable, Equatable, ProtobufMessage {
    public var name: String
    public var value: [UInt8]

    public init(name: String, value: [UInt8]) {
        self.name = name
        self.value = value
    }

    init(reading r: inout ProtobufReader) throws(ORCError) {
        name = ""
        value = []
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: try r.expect(wire, .lengthDelimited, field: field); name = try r.readString()
            case 2: try r.expect(wire, .lengthDelimited, field: field); value = try r.readBytes()
            default: try r.skip(wire)
            }
        }
    }

    func write(to w: inout ProtobufWriter) {
        w.string(1, name)
        w.bytes(2, value)
    }
}
