/// `DataPageHeader` (data page v1): levels and values are compressed together.
struct DataPageHeader: Sendable, Equatable {
    var numValues: Int32                 // 1: level entries in the page (nulls included)
    var encoding: Int32                  // 2
    var definitionLevelEncoding: Int32   // 3
    var repetitionLevelEncoding: Int32   // 4
    var statistics: Statistics?          // 5
}

/// `DataPageHeaderV2`: repetition then definition levels come first, uncompressed, then the values, compressed when
/// `isCompressed`.
struct DataPageHeaderV2: Sendable, Equatable {
    var numValues: Int32                    // 1
    var numNulls: Int32                     // 2
    var numRows: Int32                      // 3
    var encoding: Int32                     // 4
    var definitionLevelsByteLength: Int32   // 5
    var repetitionLevelsByteLength: Int32   // 6
    var isCompressed: Bool = true           // 7
    var statistics: Statistics?             // 8
}

/// `DictionaryPageHeader`.
struct DictionaryPageHeader: Sendable, Equatable {
    var numValues: Int32   // 1
    var encoding: Int32    // 2
    var isSorted: Bool?    // 3
}

/// `PageHeader`: precedes every page of a column chunk. `crc` is the CRC-32 of the page bytes as stored.
struct PageHeader: Sendable, Equatable {
    var type: Int32                       // 1
    var uncompressedPageSize: Int32       // 2
    var compressedPageSize: Int32         // 3
    var crc: Int32?                       // 4
    var dataPageHeader: DataPageHeader?   // 5
    // 6 index_page_header: skipped
    var dictionaryPageHeader: DictionaryPageHeader?  // 7
    var dataPageHeaderV2: DataPageHeaderV2?          // 8
}

extension DataPageHeader: ThriftDecodable, ThriftEncodable {
    init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        var numValues: Int32?, encoding: Int32?, def: Int32?, rep: Int32?, stats: Statistics?
        try r.readFields { (r: inout ThriftCompactReader, t: ThriftType, id: Int16) throws(ParquetError) -> Bool in
            switch id {
            case 1: try r.expect(t, .i32, field: "num_values"); numValues = try r.readI32()
            case 2: try r.expect(t, .i32, field: "encoding"); encoding = try r.readI32()
            case 3: try r.expect(t, .i32, field: "definition_level_encoding"); def = try r.readI32()
            case 4: try r.expect(t, .i32, field: "repetition_level_encoding"); rep = try r.readI32()
            case 5: try r.expect(t, .struct, field: "statistics"); stats = try Statistics(thrift: &r)
            default: return false
            }
            return true
        }
        guard let numValues, let encoding, let def, let rep else { throw r.error("DataPageHeader lacks a required field") }
        self.init(numValues: numValues, encoding: encoding, definitionLevelEncoding: def, repetitionLevelEncoding: rep,
                  statistics: stats)
    }

    func write(to w: inout ThriftCompactWriter) {
        w.writeI32(1, numValues)
        w.writeI32(2, encoding)
        w.writeI32(3, definitionLevelEncoding)
        w.writeI32(4, repetitionLevelEncoding)
        if let statistics { w.writeStructField(5) { w in statistics.write(to: &w) } }
    }
}

extension DataPageHeaderV2: ThriftDecodable, ThriftEncodable {
    init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        var numValues: Int32?, numNulls: Int32?, numRows: Int32?, encoding: Int32?, defLength: Int32?, repLength: Int32?
        var compressed = true, stats: Statistics?
        try r.readFields { (r: inout ThriftCompactReader, t: ThriftType, id: Int16) throws(ParquetError) -> Bool in
            switch id {
            case 1: try r.expect(t, .i32, field: "num_values"); numValues = try r.readI32()
            case 2: try r.expect(t, .i32, field: "num_nulls"); numNulls = try r.readI32()
            case 3: try r.expect(t, .i32, field: "num_rows"); numRows = try r.readI32()
            case 4: try r.expect(t, .i32, field: "encoding"); encoding = try r.readI32()
            case 5: try r.expect(t, .i32, field: "definition_levels_byte_length"); defLength = try r.readI32()
            case 6: try r.expect(t, .i32, field: "repetition_levels_byte_length"); repLength = try r.readI32()
            case 7: try r.expect(t, .boolTrue, field: "is_compressed"); compressed = t == .boolTrue
            case 8: try r.expect(t, .struct, field: "statistics"); stats = try Statistics(thrift: &r)
            default: return false
            }
            return true
        }
        guard let numValues, let numNulls, let numRows, let encoding, let defLength, let repLength else {
            throw r.error("DataPageHeaderV2 lacks a required field")
        }
        self.init(numValues: numValues, numNulls: numNulls, numRows: numRows, encoding: encoding,
                  definitionLevelsByteLength: defLength, repetitionLevelsByteLength: repLength,
                  isCompressed: compressed, statistics: stats)
    }

    func write(to w: inout ThriftCompactWriter) {
        w.writeI32(1, numValues)
        w.writeI32(2, numNulls)
        w.writeI32(3, numRows)
        w.writeI32(4, encoding)
        w.writeI32(5, definitionLevelsByteLength)
        w.writeI32(6, repetitionLevelsByteLength)
        if !isCompressed { w.writeBool(7, false) }
        if let statistics { w.writeStructField(8) { w in statistics.write(to: &w) } }
    }
}

extension DictionaryPageHeader: ThriftDecodable, ThriftEncodable {
    init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        var numValues: Int32?, encoding: Int32?, sorted: Bool?
        try r.readFields { (r: inout ThriftCompactReader, t: ThriftType, id: Int16) throws(ParquetError) -> Bool in
            switch id {
            case 1: try r.expect(t, .i32, field: "num_values"); numValues = try r.readI32()
            case 2: try r.expect(t, .i32, field: "encoding"); encoding = try r.readI32()
            case 3: try r.expect(t, .boolTrue, field: "is_sorted"); sorted = t == .boolTrue
            default: return false
            }
            return true
        }
        guard let numValues, let encoding else { throw r.error("DictionaryPageHeader lacks a required field") }
        self.init(numValues: numValues, encoding: encoding, isSorted: sorted)
    }

    func write(to w: inout ThriftCompactWriter) {
        w.writeI32(1, numValues)
        w.writeI32(2, encoding)
        if let isSorted { w.writeBool(3, isSorted) }
    }
}

extension PageHeader: ThriftDecodable, ThriftEncodable {
    init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        var type: Int32?, uncompressed: Int32?, compressed: Int32?, crc: Int32?
        var v1: DataPageHeader?, dictionary: DictionaryPageHeader?, v2: DataPageHeaderV2?
        try r.readFields { (r: inout ThriftCompactReader, t: ThriftType, id: Int16) throws(ParquetError) -> Bool in
            switch id {
            case 1: try r.expect(t, .i32, field: "type"); type = try r.readI32()
            case 2: try r.expect(t, .i32, field: "uncompressed_page_size"); uncompressed = try r.readI32()
            case 3: try r.expect(t, .i32, field: "compressed_page_size"); compressed = try r.readI32()
            case 4: try r.expect(t, .i32, field: "crc"); crc = try r.readI32()
            case 5: try r.expect(t, .struct, field: "data_page_header"); v1 = try DataPageHeader(thrift: &r)
            case 7: try r.expect(t, .struct, field: "dictionary_page_header"); dictionary = try DictionaryPageHeader(thrift: &r)
            case 8: try r.expect(t, .struct, field: "data_page_header_v2"); v2 = try DataPageHeaderV2(thrift: &r)
            default: return false
            }
            return true
        }
        guard let type, let uncompressed, let compressed else { throw r.error("PageHeader lacks a required field") }
        self.init(type: type, uncompressedPageSize: uncompressed, compressedPageSize: compressed, crc: crc,
                  dataPageHeader: v1, dictionaryPageHeader: dictionary, dataPageHeaderV2: v2)
    }

    func write(to w: inout ThriftCompactWriter) {
        w.writeI32(1, type)
        w.writeI32(2, uncompressedPageSize)
        w.writeI32(3, compressedPageSize)
        if let crc { w.writeI32(4, crc) }
        if let dataPageHeader { w.writeStructField(5) { w in dataPageHeader.write(to: &w) } }
        if let dictionaryPageHeader { w.writeStructField(7) { w in dictionaryPageHeader.write(to: &w) } }
        if let dataPageHeaderV2 { w.writeStructField(8) { w in dataPageHeaderV2.write(to: &w) } }
    }
}
