/// The enumerations of `orc_proto.proto`. They are open (a struct around the raw number) because protobuf enums
/// are: a file from a newer writer may carry a value this reader does not know, and the tail must still decode
/// so the reader can say which value it does not support.

/// `CompressionKind`: the generic codec of every stream and of the footer and metadata.
public struct ORCCompressionKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let none = Self(rawValue: 0)
    public static let zlib = Self(rawValue: 1)
    public static let snappy = Self(rawValue: 2)
    public static let lzo = Self(rawValue: 3)
    public static let lz4 = Self(rawValue: 4)
    public static let zstd = Self(rawValue: 5)
    public static let brotli = Self(rawValue: 6)

    public var description: String {
        switch rawValue {
        case 0: "NONE"
        case 1: "ZLIB"
        case 2: "SNAPPY"
        case 3: "LZO"
        case 4: "LZ4"
        case 5: "ZSTD"
        case 6: "BROTLI"
        default: "compression kind \(rawValue)"
        }
    }
}

/// `Stream.Kind`: what a stream of a stripe holds.
public struct ORCStreamKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let present = Self(rawValue: 0)
    public static let data = Self(rawValue: 1)
    public static let length = Self(rawValue: 2)
    public static let dictionaryData = Self(rawValue: 3)
    public static let dictionaryCount = Self(rawValue: 4)
    public static let secondary = Self(rawValue: 5)
    public static let rowIndex = Self(rawValue: 6)
    public static let bloomFilter = Self(rawValue: 7)
    public static let bloomFilterUTF8 = Self(rawValue: 8)
    public static let encryptedIndex = Self(rawValue: 9)
    public static let encryptedData = Self(rawValue: 10)

    /// True for the kinds stored in the index section of a stripe (before the data streams).
    public var isIndex: Bool { self == .rowIndex || self == .bloomFilter || self == .bloomFilterUTF8 || self == .encryptedIndex }

    public var description: String {
        switch rawValue {
        case 0: "PRESENT"
        case 1: "DATA"
        case 2: "LENGTH"
        case 3: "DICTIONARY_DATA"
        case 4: "DICTIONARY_COUNT"
        case 5: "SECONDARY"
        case 6: "ROW_INDEX"
        case 7: "BLOOM_FILTER"
        case 8: "BLOOM_FILTER_UTF8"
        case 9: "ENCRYPTED_INDEX"
        case 10: "ENCRYPTED_DATA"
        case 100: "STRIPE_STATISTICS"
        case 101: "FILE_STATISTICS"
        default: "stream kind \(rawValue)"
        }
    }
}

/// `ColumnEncoding.Kind`: RLE version and dictionary use of a column in one stripe.
public struct ORCEncodingKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let direct = Self(rawValue: 0)
    public static let dictionary = Self(rawValue: 1)
    public static let directV2 = Self(rawValue: 2)
    public static let dictionaryV2 = Self(rawValue: 3)

    /// True for the encodings whose integer streams use RLE version 2.
    public var usesRLEv2: Bool { self == .directV2 || self == .dictionaryV2 }
    public var isDictionary: Bool { self == .dictionary || self == .dictionaryV2 }

    public var description: String {
        switch rawValue {
        case 0: "DIRECT"
        case 1: "DICTIONARY"
        case 2: "DIRECT_V2"
        case 3: "DICTIONARY_V2"
        case 4: "DECIMAL_64"
        default: "encoding kind \(rawValue)"
        }
    }
}

/// `Type.Kind`: the ORC type of one column.
public struct ORCTypeKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let boolean = Self(rawValue: 0)
    public static let byte = Self(rawValue: 1)
    public static let short = Self(rawValue: 2)
    public static let int = Self(rawValue: 3)
    public static let long = Self(rawValue: 4)
    public static let float = Self(rawValue: 5)
    public static let double = Self(rawValue: 6)
    public static let string = Self(rawValue: 7)
    public static let binary = Self(rawValue: 8)
    public static let timestamp = Self(rawValue: 9)
    public static let list = Self(rawValue: 10)
    public static let map = Self(rawValue: 11)
    public static let `struct` = Self(rawValue: 12)
    public static let union = Self(rawValue: 13)
    public static let decimal = Self(rawValue: 14)
    public static let date = Self(rawValue: 15)
    public static let varchar = Self(rawValue: 16)
    public static let char = Self(rawValue: 17)
    /// `timestamp with local time zone`: seconds counted in UTC.
    public static let timestampInstant = Self(rawValue: 18)
    public static let geometry = Self(rawValue: 19)

    /// The name ORC's schema strings use (`bigint`, `timestamp with local time zone`, ...).
    public var description: String {
        switch rawValue {
        case 0: "boolean"
        case 1: "tinyint"
        case 2: "smallint"
        case 3: "int"
        case 4: "bigint"
        case 5: "float"
        case 6: "double"
        case 7: "string"
        case 8: "binary"
        case 9: "timestamp"
        case 10: "array"
        case 11: "map"
        case 12: "struct"
        case 13: "uniontype"
        case 14: "decimal"
        case 15: "date"
        case 16: "varchar"
        case 17: "char"
        case 18: "timestamp with local time zone"
        case 19: "geometry"
        default: "type kind \(rawValue)"
        }
    }
}

/// `CalendarKind`: which calendar the file's dates and timestamps count in.
public struct ORCCalendarKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let unknown = Self(rawValue: 0)
    public static let julianGregorian = Self(rawValue: 1)
    public static let prolepticGregorian = Self(rawValue: 2)

    public var description: String {
        switch rawValue {
        case 0: "UNKNOWN_CALENDAR"
        case 1: "JULIAN_GREGORIAN"
        case 2: "PROLEPTIC_GREGORIAN"
        default: "calendar \(rawValue)"
        }
    }
}
