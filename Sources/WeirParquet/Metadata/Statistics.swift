/// `Statistics` of `parquet.thrift`: per column chunk (and optionally per page). Values are in the plain binary form
/// of the physical type (little-endian numbers, raw bytes for byte arrays, big-endian for decimal byte arrays).
/// `minValue`/`maxValue` follow the column's sort order; the legacy `min`/`max` used signed byte comparison and are
/// trusted only for numeric physical types (see ``StatisticsDecoding``).
struct Statistics: Sendable, Equatable {
    var max: [UInt8]?            // 1 (legacy)
    var min: [UInt8]?            // 2 (legacy)
    var nullCount: Int64?        // 3
    var distinctCount: Int64?    // 4
    var maxValue: [UInt8]?       // 5
    var minValue: [UInt8]?       // 6
    var isMaxValueExact: Bool?   // 7
    var isMinValueExact: Bool?   // 8

    init(max: [UInt8]? = nil, min: [UInt8]? = nil, nullCount: Int64? = nil, distinctCount: Int64? = nil,
         maxValue: [UInt8]? = nil, minValue: [UInt8]? = nil) {
        self.max = max
        self.min = min
        self.nullCount = nullCount
        self.distinctCount = distinctCount
        self.maxValue = maxValue
        self.minValue = minValue
    }
}

extension Statistics: ThriftDecodable, ThriftEncodable {
    init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        var s = Statistics()
        try r.readFields { (r: inout ThriftCompactReader, t: ThriftType, id: Int16) throws(ParquetError) -> Bool in
            switch id {
            case 1: try r.expect(t, .binary, field: "max"); s.max = try r.readBinary()
            case 2: try r.expect(t, .binary, field: "min"); s.min = try r.readBinary()
            case 3: try r.expect(t, .i64, field: "null_count"); s.nullCount = try r.readI64()
            case 4: try r.expect(t, .i64, field: "distinct_count"); s.distinctCount = try r.readI64()
            case 5: try r.expect(t, .binary, field: "max_value"); s.maxValue = try r.readBinary()
            case 6: try r.expect(t, .binary, field: "min_value"); s.minValue = try r.readBinary()
            case 7: try r.expect(t, .boolTrue, field: "is_max_value_exact"); s.isMaxValueExact = t == .boolTrue
            case 8: try r.expect(t, .boolTrue, field: "is_min_value_exact"); s.isMinValueExact = t == .boolTrue
            default: return false
            }
            return true
        }
        self = s
    }

    func write(to w: inout ThriftCompactWriter) {
        if let max { w.writeBinary(1, max) }
        if let min { w.writeBinary(2, min) }
        if let nullCount { w.writeI64(3, nullCount) }
        if let distinctCount { w.writeI64(4, distinctCount) }
        if let maxValue { w.writeBinary(5, maxValue) }
        if let minValue { w.writeBinary(6, minValue) }
        if let isMaxValueExact { w.writeBool(7, isMaxValueExact) }
        if let isMinValueExact { w.writeBool(8, isMinValueExact) }
    }
}

/// `KeyValue`: application metadata in the footer (pyarrow stores `ARROW:schema` here).
struct KeyValue: Sendable, Equatable {
    var key: String
    var value: String?
}

extension KeyValue: ThriftDecodable, ThriftEncodable {
    init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        var key: String?, value: String?
        try r.readFields { (r: inout ThriftCompactReader, t: ThriftType, id: Int16) throws(ParquetError) -> Bool in
            switch id {
            case 1: try r.expect(t, .binary, field: "key"); key = try r.readString()
            case 2: try r.expect(t, .binary, field: "value"); value = try r.readString()
            default: return false
            }
            return true
        }
        guard let key else { throw r.error("KeyValue lacks its key") }
        self.key = key
        self.value = value
    }

    func write(to w: inout ThriftCompactWriter) {
        w.writeString(1, key)
        if let value { w.writeString(2, value) }
    }
}
