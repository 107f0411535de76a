/// `LogicalType` of `parquet.thrift`: a union whose field id says which annotation it is. Annotations this module
/// does not know are kept as ``other(_:)`` with their field id (the reader then refuses the column with a clear error).
enum LogicalType: Sendable, Equatable, CustomStringConvertible {
    case string                                   // 1
    case map                                      // 2
    case list                                     // 3
    case enumeration                              // 4
    case decimal(scale: Int32, precision: Int32)  // 5
    case date                                     // 6
    case time(adjustedToUTC: Bool, unit: TimeUnit)       // 7
    case timestamp(adjustedToUTC: Bool, unit: TimeUnit)  // 8
    case integer(bitWidth: Int8, signed: Bool)    // 10
    case null                                     // 11 (UNKNOWN: always-null column)
    case json                                     // 12
    case bson                                     // 13
    case uuid                                     // 14
    case float16                                  // 15
    case variant                                  // 16
    case other(Int16)

    var description: String {
        switch self {
        case .string: "STRING"
        case .map: "MAP"
        case .list: "LIST"
        case .enumeration: "ENUM"
        case .decimal(let s, let p): "DECIMAL(\(p),\(s))"
        case .date: "DATE"
        case .time(let utc, let unit): "TIME(\(unit),\(utc ? "UTC" : "local"))"
        case .timestamp(let utc, let unit): "TIMESTAMP(\(unit),\(utc ? "UTC" : "local"))"
        case .integer(let bits, let signed): "INT(\(bits),\(signed ? "signed" : "unsigned"))"
        case .null: "UNKNOWN"
        case .json: "JSON"
        case .bson: "BSON"
        case .uuid: "UUID"
        case .float16: "FLOAT16"
        case .variant: "VARIANT"
        case .other(let id): "logical type #\(id)"
        }
    }
}

extension LogicalType: ThriftDecodable, ThriftEncodable {
    init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        var result: LogicalType?
        try r.readFields { (r: inout ThriftCompactReader, type: ThriftType, id: Int16) throws(ParquetError) -> Bool in
            guard result == nil else { return false }  // a union has one member; ignore any further
            switch id {
            case 1, 2, 3, 4, 6, 11, 12, 13, 14, 15, 16:
                try r.expect(type, .struct, field: "LogicalType member")
                try r.skip(.struct)  // these members are empty structs (VARIANT's version is not needed to read it)
                result = switch id {
                case 1: .string
                case 2: .map
                case 3: .list
                case 4: .enumeration
                case 6: .date
                case 11: .null
                case 12: .json
                case 13: .bson
                case 14: .uuid
                case 15: .float16
                default: .variant
                }
                return true
            case 5:
                try r.expect(type, .struct, field: "DECIMAL")
                var scale: Int32?, precision: Int32?
                try r.readFields { (r: inout ThriftCompactReader, type: ThriftType, id: Int16) throws(ParquetError) -> Bool in
                    switch id {
                    case 1: try r.expect(type, .i32, field: "scale"); scale = try r.readI32()
                    case 2: try r.expect(type, .i32, field: "precision"); precision = try r.readI32()
                    default: return false
                    }
                    return true
                }
                guard let scale, let precision else { throw r.error("DECIMAL logical type lacks scale or precision") }
                result = .decimal(scale: scale, precision: precision)
                return true
            case 7, 8:
                try r.expect(type, .struct, field: id == 7 ? "TIME" : "TIMESTAMP")
                var utc: Bool?, unit: TimeUnit?
                try r.readFields { (r: inout ThriftCompactReader, type: ThriftType, id: Int16) throws(ParquetError) -> Bool in
                    switch id {
                    case 1: try r.expect(type, .boolTrue, field: "isAdjustedToUTC"); utc = type == .boolTrue
                    case 2:
                        try r.expect(type, .struct, field: "unit")
                        try r.readFields { (r: inout ThriftCompactReader, type: ThriftType, id: Int16) throws(ParquetError) -> Bool in
                            guard unit == nil, (1...3).contains(id) else { return false }
                            try r.expect(type, .struct, field: "TimeUnit member")
                            try r.skip(.struct)
                            unit = id == 1 ? .millis : id == 2 ? .micros : .nanos
                            return true
                        }
                    default: return false
                    }
                    return true
                }
                guard let utc, let unit else { throw r.error("TIME/TIMESTAMP logical type lacks isAdjustedToUTC or unit") }
                result = id == 7 ? .time(adjustedToUTC: utc, unit: unit) : .timestamp(adjustedToUTC: utc, unit: unit)
                return true
            case 10:
                try r.expect(type, .struct, field: "INTEGER")
                var bits: Int8?, signed: Bool?
                try r.readFields { (r: inout ThriftCompactReader, type: ThriftType, id: Int16) throws(ParquetError) -> Bool in
                    switch id {
                    case 1: try r.expect(type, .byte, field: "bitWidth"); bits = Int8(bitPattern: try r.readByte())
                    case 2: try r.expect(type, .boolTrue, field: "isSigned"); signed = type == .boolTrue
                    default: return false
                    }
                    return true
                }
                guard let bits, let signed else { throw r.error("INTEGER logical type lacks bitWidth or isSigned") }
                result = .integer(bitWidth: bits, signed: signed)
                return true
            default:
                try r.skip(type)
                result = .other(id)
                return true
            }
        }
        guard let result else { throw r.error("empty LogicalType union") }
        self = result
    }

    func write(to w: inout ThriftCompactWriter) {
        func empty(_ id: Int16) { w.writeStructField(id) { _ in } }
        func unit(_ w: inout ThriftCompactWriter, _ unit: TimeUnit) {
            w.writeStructField(2) { w in
                w.writeStructField(unit == .millis ? 1 : unit == .micros ? 2 : 3) { _ in }
            }
        }
        switch self {
        case .string: empty(1)
        case .map: empty(2)
        case .list: empty(3)
        case .enumeration: empty(4)
        case .decimal(let scale, let precision):
            w.writeStructField(5) { w in
                w.writeI32(1, scale)
                w.writeI32(2, precision)
            }
        case .date: empty(6)
        case .time(let utc, let u):
            w.writeStructField(7) { w in
                w.writeBool(1, utc)
                unit(&w, u)
            }
        case .timestamp(let utc, let u):
            w.writeStructField(8) { w in
                w.writeBool(1, utc)
                unit(&w, u)
            }
        case .integer(let bits, let signed):
            w.writeStructField(10) { w in
                w.writeByteField(1, bits)
                w.writeBool(2, signed)
            }
        case .null: empty(11)
        case .json: empty(12)
        case .bson: empty(13)
        case .uuid: empty(14)
        case .float16: empty(15)
        case .variant: empty(16)
        case .other(let id): empty(id)
        }
    }
}

extension ThriftCompactReader {
    /// Reads the fields of one struct: `body` gets each field's type and id and returns false for fields it does not
    /// take, which are then skipped.
    mutating func readFields(
        _ body: (inout ThriftCompactReader, ThriftType, Int16) throws(ParquetError) -> Bool
    ) throws(ParquetError) {
        try enterStruct()
        var last: Int16 = 0
        while let (type, id) = try readFieldHeader(&last) {
            if try !body(&self, type, id) { try skip(type) }
        }
        exitStruct()
    }
}
