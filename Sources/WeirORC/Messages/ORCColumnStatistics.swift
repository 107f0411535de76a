/// `ColumnStatistics`: what a writer recorded about one column over a row group, a stripe or the whole file
/// (ORC v1 spec, "Column Statistics"). At most one of the typed parts is set, matching the column's type.
public struct ORCColumnStatistics: Sendable, Equatable, ProtobufMessage {
    /// Non-null values counted.
    public var numberOfValues: UInt64 = 0
    public var hasNull: Bool?
    public var intStatistics: ORCIntegerStatistics?
    public var doubleStatistics: ORCDoubleStatistics?
    public var stringStatistics: ORCStringStatistics?
    /// Booleans: `count[0]` is the number of true values.
    public var bucketStatistics: [UInt64]?
    public var decimalStatistics: ORCDecimalStatistics?
    public var dateStatistics: ORCDateStatistics?
    /// Binary columns: total bytes.
    public var binaryStatistics: Int64?
    public var timestampStatistics: ORCTimestampStatistics?
    /// Bytes the column's streams take in the file (file and stripe statistics of newer writers).
    public var bytesOnDisk: UInt64?
    public var collectionStatistics: ORCCollectionStatistics?

    public init() {}

    init(reading r: inout ProtobufReader) throws(ORCError) {
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: try r.expect(wire, .varint, field: field); numberOfValues = try r.readVarint()
            case 2: try r.expect(wire, .lengthDelimited, field: field); intStatistics = try .decodeNested(&r, name: "intStatistics")
            case 3: try r.expect(wire, .lengthDelimited, field: field); doubleStatistics = try .decodeNested(&r, name: "doubleStatistics")
            case 4: try r.expect(wire, .lengthDelimited, field: field); stringStatistics = try .decodeNested(&r, name: "stringStatistics")
            case 5:
                try r.expect(wire, .lengthDelimited, field: field)
                var inner = try r.nested("bucketStatistics")
                var counts: [UInt64] = []
                while let (f, w) = try inner.nextField() {
                    if f == 1 { try inner.readRepeatedVarint(w, into: &counts) } else { try inner.skip(w) }
                }
                bucketStatistics = counts
            case 6: try r.expect(wire, .lengthDelimited, field: field); decimalStatistics = try .decodeNested(&r, name: "decimalStatistics")
            case 7: try r.expect(wire, .lengthDelimited, field: field); dateStatistics = try .decodeNested(&r, name: "dateStatistics")
            case 8:
                try r.expect(wire, .lengthDelimited, field: field)
                var inner = try r.nested("binaryStatistics")
                var sum: Int64?
                while let (f, w) = try inner.nextField() {
                    if f == 1 { try inner.expect(w, .varint, field: f); sum = try inner.readSInt64() } else { try inner.skip(w) }
                }
                binaryStatistics = sum
            case 9: try r.expect(wire, .lengthDelimited, field: field); timestampStatistics = try .decodeNested(&r, name: "timestampStatistics")
            case 10: try r.expect(wire, .varint, field: field); hasNull = try r.readBool()
            case 11:
                // bytes_on_disk; an unreleased proto revision used field 11 for a message, which is skipped.
                if wire == .varint { bytesOnDisk = try r.readVarint() } else { try r.skip(wire) }
            case 12:
                try r.expect(wire, .lengthDelimited, field: field)
                collectionStatistics = try .decodeNested(&r, name: "collectionStatistics")
            default: try r.skip(wire)
            }
        }
    }

    func write(to w: inout ProtobufWriter) {
        w.uint64(1, numberOfValues)
        if let intStatistics { w.message(2, intStatistics) }
        if let doubleStatistics { w.message(3, doubleStatistics) }
        if let stringStatistics { w.message(4, stringStatistics) }
        if let bucketStatistics {
            var inner = ProtobufWriter()
            inner.packedVarints(1, bucketStatistics)
            w.bytes(5, inner.bytes)
        }
        if let decimalStatistics { w.message(6, decimalStatistics) }
        if let dateStatistics { w.message(7, dateStatistics) }
        if let binaryStatistics {
            var inner = ProtobufWriter()
            inner.sint64(1, binaryStatistics)
            w.bytes(8, inner.bytes)
        }
        if let timestampStatistics { w.message(9, timestampStatistics) }
        if let hasNull { w.bool(10, hasNull) }
        if let bytesOnDisk { w.uint64(11, bytesOnDisk) }
        if let collectionStatistics { w.message(12, collectionStatistics) }
    }
}

/// `IntegerStatistics` (tinyint to bigint). The sum is absent when it overflowed.
public struct ORCIntegerStatistics: Sendable, Equatable, ProtobufMessage {
    public var minimum: Int64?
    public var maximum: Int64?
    public var sum: Int64?

    public init(minimum: Int64? = nil, maximum: Int64? = nil, sum: Int64? = nil) {
        self.minimum = minimum
        self.maximum = maximum
        self.sum = sum
    }

    init(reading r: inout ProtobufReader) throws(ORCError) {
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: try r.expect(wire, .varint, field: field); minimum = try r.readSInt64()
            case 2: try r.expect(wire, .varint, field: field); maximum = try r.readSInt64()
            case 3: try r.expect(wire, .varint, field: field); sum = try r.readSInt64()
            default: try r.skip(wire)
            }
        }
    }

    func write(to w: inout ProtobufWriter) {
        if let minimum { w.sint64(1, minimum) }
        if let maximum { w.sint64(2, maximum) }
        if let sum { w.sint64(3, sum) }
    }
}

/// `DoubleStatistics` (float and double). The sum is absent when it is not finite.
public struct ORCDoubleStatistics: Sendable, Equatable, ProtobufMessage {
    public var minimum: Double?
    public var maximum: Double?
    public var sum: Double?

    public init(minimum: Double? = nil, maximum: Double? = nil, sum: Double? = nil) {
        self.minimum = minimum
        self.maximum = maximum
        self.sum = sum
    }

    init(reading r: inout ProtobufReader) throws(ORCError) {
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: try r.expect(wire, .fixed64, field: field); minimum = try r.readDouble()
            case 2: try r.expect(wire, .fixed64, field: field); maximum = try r.readDouble()
            case 3: try r.expect(wire, .fixed64, field: field); sum = try r.readDouble()
            default: try r.skip(wire)
            }
        }
    }

    func write(to w: inout ProtobufWriter) {
        if let minimum { w.double(1, minimum) }
        if let maximum { w.double(2, maximum) }
        if let sum { w.double(3, sum) }
    }
}

/// `StringStatistics`: minimum and maximum as UTF-8 bytes (compared byte-wise), or, when a value was longer
/// than 1024 bytes, a truncated lower and upper bound instead; the sum is the total length in bytes.
public struct ORCStringStatistics: Sendable, Equatable, ProtobufMessage {
    public var minimum: [UInt8]?
    public var maximum: [UInt8]?
    public var sum: Int64?
    public var lowerBound: [UInt8]?
    public var upperBound: [UInt8]?

    public init(minimum: [UInt8]? = nil, maximum: [UInt8]? = nil, sum: Int64? = nil, lowerBound: [UInt8]? = nil, upperBound: [UInt8]? = nil) {
        self.minimum = minimum
        self.maximum = maximum
        self.sum = sum
        self.lowerBound = lowerBound
        self.upperBound = upperBound
    }

    init(reading r: inout ProtobufReader) throws(ORCError) {
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: try r.expect(wire, .lengthDelimited, field: field); minimum = try r.readBytes()
            case 2: try r.expect(wire, .lengthDelimited, field: field); maximum = try r.readBytes()
            case 3: try r.expect(wire, .varint, field: field); sum = try r.readSInt64()
            case 4: try r.expect(wire, .lengthDelimited, field: field); lowerBound = try r.readBytes()
            case 5: try r.expect(wire, .lengthDelimited, field: field); upperBound = try r.readBytes()
            default: try r.skip(wire)
            }
        }
    }

    func write(to w: inout ProtobufWriter) {
        if let minimum { w.bytes(1, minimum) }
        if let maximum { w.bytes(2, maximum) }
        if let sum { w.sint64(3, sum) }
        if let lowerBound { w.bytes(4, lowerBound) }
        if let upperBound { w.bytes(5, upperBound) }
    }
}

/// `DecimalStatistics`: decimal strings such as `"-12.50"`.
public struct ORCDecimalStatistics: Sendable, Equatable, ProtobufMessage {
    public var minimum: String?
    public var maximum: String?
    public var sum: String?

    public init(minimum: String? = nil, maximum: String? = nil, sum: String? = nil) {
        self.minimum = minimum
        self.maximum = maximum
        self.sum = sum
    }

    init(reading r: inout ProtobufReader) throws(ORCError) {
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: try r.expect(wire, .lengthDelimited, field: field); minimum = try r.readString()
            case 2: try r.expect(wire, .lengthDelimited, field: field); maximum = try r.readString()
            case 3: try r.expect(wire, .lengthDelimited, field: field); sum = try r.readString()
            default: try r.skip(wire)
            }
        }
    }

    func write(to w: inout ProtobufWriter) {
        if let minimum { w.string(1, minimum) }
        if let maximum { w.string(2, maximum) }
        if let sum { w.string(3, sum) }
    }
}

/// `DateStatistics`: days since 1970-01-01.
public struct ORCDateStatistics: Sendable, Equatable, ProtobufMessage {
    public var minimum: Int32?
    public var maximum: Int32?

    public init(minimum: Int32? = nil, maximum: Int32? = nil) {
        self.minimum = minimum
        self.maximum = maximum
    }

    init(reading r: inout ProtobufReader) throws(ORCError) {
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: try r.expect(wire, .varint, field: field); minimum = try r.readSInt32()
            case 2: try r.expect(wire, .varint, field: field); maximum = try r.readSInt32()
            default: try r.skip(wire)
            }
        }
    }

    func write(to w: inout ProtobufWriter) {
        if let minimum { w.sint32(1, minimum) }
        if let maximum { w.sint32(2, maximum) }
    }
}

/// `TimestampStatistics`: milliseconds since 1970-01-01 (`minimumUtc`/`maximumUtc` since ORC-135; the older
/// `minimum`/`maximum` include the writer's zone offset). `minimumNanos`/`maximumNanos` hold the nanoseconds
/// within the millisecond plus one (0, or absent, meaning 0 for the minimum and 999,999 for the maximum).
public struct ORCTimestampStatistics: Sendable, Equatable, ProtobufMessage {
    public var minimum: Int64?
    public var maximum: Int64?
    public var minimumUtc: Int64?
    public var maximumUtc: Int64?
    public var minimumNanos: Int32?
    public var maximumNanos: Int32?

    public init(minimum: Int64? = nil, maximum: Int64? = nil, minimumUtc: Int64? = nil, maximumUtc: Int64? = nil,
                minimumNanos: Int32? = nil, maximumNanos: Int32? = nil) {
        self.minimum = minimum
        self.maximum = maximum
        self.minimumUtc = minimumUtc
        self.maximumUtc = maximumUtc
        self.minimumNanos = minimumNanos
        self.maximumNanos = maximumNanos
    }

    init(reading r: inout ProtobufReader) throws(ORCError) {
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: try r.expect(wire, .varint, field: field); minimum = try r.readSInt64()
            case 2: try r.expect(wire, .varint, field: field); maximum = try r.readSInt64()
            case 3: try r.expect(wire, .varint, field: field); minimumUtc = try r.readSInt64()
            case 4: try r.expect(wire, .varint, field: field); maximumUtc = try r.readSInt64()
            case 5: try r.expect(wire, .varint, field: field); minimumNanos = try r.readInt32()
            case 6: try r.expect(wire, .varint, field: field); maximumNanos = try r.readInt32()
            default: try r.skip(wire)
            }
        }
    }

    func write(to w: inout ProtobufWriter) {
        if let minimum { w.sint64(1, minimum) }
        if let maximum { w.sint64(2, maximum) }
        if let minimumUtc { w.sint64(3, minimumUtc) }
        if let maximumUtc { w.sint64(4, maximumUtc) }
        if let minimumNanos { w.int32(5, minimumNanos) }
        if let maximumNanos { w.int32(6, maximumNanos) }
    }
}

/// `CollectionStatistics` (lists and maps): children per row.
public struct ORCCollectionStatistics: Sendable, Equatable, ProtobufMessage {
    public var minChildren: UInt64?
    public var maxChildren: UInt64?
    public var totalChildren: UInt64?

    public init(minChildren: UInt64? = nil, maxChildren: UInt64? = nil, totalChildren: UInt64? = nil) {
        self.minChildren = minChildren
        self.maxChildren = maxChildren
        self.totalChildren = totalChildren
    }

    init(reading r: inout ProtobufReader) throws(ORCError) {
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: try r.expect(wire, .varint, field: field); minChildren = try r.readVarint()
            case 2: try r.expect(wire, .varint, field: field); maxChildren = try r.readVarint()
            case 3: try r.expect(wire, .varint, field: field); totalChildren = try r.readVarint()
            default: try r.skip(wire)
            }
        }
    }

    func write(to w: inout ProtobufWriter) {
        if let minChildren { w.uint64(1, minChildren) }
        if let maxChildren { w.uint64(2, maxChildren) }
        if let totalChildren { w.uint64(3, totalChildren) }
    }
}
