/// The enumerations of `parquet.thrift` (apache/parquet-format), with their wire values. Structs keep the raw
/// `Int32` they read so an unknown value in a list that is only informative (a chunk's encodings) is not an error;
/// the code that acts on a value converts it and reports an unknown one.

/// `Type`: the physical type of a leaf column.
enum PhysicalType: Int32, Sendable, CustomStringConvertible {
    case boolean = 0
    case int32 = 1
    case int64 = 2
    case int96 = 3
    case float = 4
    case double = 5
    case byteArray = 6
    case fixedLenByteArray = 7

    var description: String {
        switch self {
        case .boolean: "BOOLEAN"
        case .int32: "INT32"
        case .int64: "INT64"
        case .int96: "INT96"
        case .float: "FLOAT"
        case .double: "DOUBLE"
        case .byteArray: "BYTE_ARRAY"
        case .fixedLenByteArray: "FIXED_LEN_BYTE_ARRAY"
        }
    }
}

/// `FieldRepetitionType`.
enum Repetition: Int32, Sendable, CustomStringConvertible {
    case required = 0
    case optional = 1
    case repeated = 2

    var description: String {
        switch self {
        case .required: "required"
        case .optional: "optional"
        case .repeated: "repeated"
        }
    }
}

/// `Encoding`.
enum Encoding: Int32, Sendable, CustomStringConvertible {
    case plain = 0
    case plainDictionary = 2
    case rle = 3
    case bitPacked = 4
    case deltaBinaryPacked = 5
    case deltaLengthByteArray = 6
    case deltaByteArray = 7
    case rleDictionary = 8
    case byteStreamSplit = 9

    var description: String {
        switch self {
        case .plain: "PLAIN"
        case .plainDictionary: "PLAIN_DICTIONARY"
        case .rle: "RLE"
        case .bitPacked: "BIT_PACKED"
        case .deltaBinaryPacked: "DELTA_BINARY_PACKED"
        case .deltaLengthByteArray: "DELTA_LENGTH_BYTE_ARRAY"
        case .deltaByteArray: "DELTA_BYTE_ARRAY"
        case .rleDictionary: "RLE_DICTIONARY"
        case .byteStreamSplit: "BYTE_STREAM_SPLIT"
        }
    }

    static func name(_ raw: Int32) -> String { Encoding(rawValue: raw)?.description ?? "encoding \(raw)" }
}

/// `CompressionCodec`.
enum CompressionKind: Int32, Sendable, CustomStringConvertible {
    case uncompressed = 0
    case snappy = 1
    case gzip = 2
    case lzo = 3
    case brotli = 4
    /// The deprecated Hadoop-framed LZ4 (`LZ4`), distinct from ``lz4Raw``.
    case lz4 = 5
    case zstd = 6
    case lz4Raw = 7

    var description: String {
        switch self {
        case .uncompressed: "UNCOMPRESSED"
        case .snappy: "SNAPPY"
        case .gzip: "GZIP"
        case .lzo: "LZO"
        case .brotli: "BROTLI"
        case .lz4: "LZ4"
        case .zstd: "ZSTD"
        case .lz4Raw: "LZ4_RAW"
        }
    }

    static func name(_ raw: Int32) -> String { CompressionKind(rawValue: raw)?.description ?? "codec \(raw)" }
}

/// `PageType`.
enum PageType: Int32, Sendable, CustomStringConvertible {
    case dataPage = 0
    case indexPage = 1
    case dictionaryPage = 2
    case dataPageV2 = 3

    var description: String {
        switch self {
        case .dataPage: "DATA_PAGE"
        case .indexPage: "INDEX_PAGE"
        case .dictionaryPage: "DICTIONARY_PAGE"
        case .dataPageV2: "DATA_PAGE_V2"
        }
    }
}

/// `ConvertedType` (the legacy annotations; still written beside logical types for old readers).
enum ConvertedType: Int32, Sendable, CustomStringConvertible {
    case utf8 = 0
    case map = 1
    case mapKeyValue = 2
    case list = 3
    case enumeration = 4
    case decimal = 5
    case date = 6
    case timeMillis = 7
    case timeMicros = 8
    case timestampMillis = 9
    case timestampMicros = 10
    case uint8 = 11
    case uint16 = 12
    case uint32 = 13
    case uint64 = 14
    case int8 = 15
    case int16 = 16
    case int32 = 17
    case int64 = 18
    case json = 19
    case bson = 20
    case interval = 21

    var description: String {
        switch self {
        case .utf8: "UTF8"
        case .map: "MAP"
        case .mapKeyValue: "MAP_KEY_VALUE"
        case .list: "LIST"
        case .enumeration: "ENUM"
        case .decimal: "DECIMAL"
        case .date: "DATE"
        case .timeMillis: "TIME_MILLIS"
        case .timeMicros: "TIME_MICROS"
        case .timestampMillis: "TIMESTAMP_MILLIS"
        case .timestampMicros: "TIMESTAMP_MICROS"
        case .uint8: "UINT_8"
        case .uint16: "UINT_16"
        case .uint32: "UINT_32"
        case .uint64: "UINT_64"
        case .int8: "INT_8"
        case .int16: "INT_16"
        case .int32: "INT_32"
        case .int64: "INT_64"
        case .json: "JSON"
        case .bson: "BSON"
        case .interval: "INTERVAL"
        }
    }
}

/// `TimeUnit` of the TIME and TIMESTAMP logical types.
enum TimeUnit: Sendable, Equatable, CustomStringConvertible {
    case millis, micros, nanos

    var description: String {
        switch self {
        case .millis: "MILLIS"
        case .micros: "MICROS"
        case .nanos: "NANOS"
        }
    }

    /// Units per second.
    var perSecond: Int64 {
        switch self {
        case .millis: 1_000
        case .micros: 1_000_000
        case .nanos: 1_000_000_000
        }
    }

    /// The Paimon precision that holds this unit exactly (3, 6 or 9).
    var precision: Int {
        switch self {
        case .millis: 3
        case .micros: 6
        case .nanos: 9
        }
    }
}
