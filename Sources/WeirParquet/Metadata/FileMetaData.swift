/// `ColumnMetaData` of `parquet.thrift`: where one column chunk's pages are and how they are stored.
struct ColumnMetaData: Sendable, Equatable {
    var type: Int32                        // 1
    var encodings: [Int32]                 // 2
    var pathInSchema: [String]             // 3
    var codec: Int32                       // 4
    var numValues: Int64                   // 5
    var totalUncompressedSize: Int64       // 6
    var totalCompressedSize: Int64         // 7
    var keyValueMetadata: [KeyValue]?      // 8
    var dataPageOffset: Int64              // 9
    var indexPageOffset: Int64?            // 10
    var dictionaryPageOffset: Int64?       // 11
    var statistics: Statistics?            // 12
    // 13 encoding_stats, 14/15 bloom filter, 16 size statistics, 17 geospatial statistics: skipped.
}

extension ColumnMetaData: ThriftDecodable, ThriftEncodable {
    init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        var type: Int32?, encodings: [Int32]?, path: [String]?, codec: Int32?, numValues: Int64?
        var uncompressed: Int64?, compressed: Int64?, kv: [KeyValue]?, dataPageOffset: Int64?
        var indexPageOffset: Int64?, dictionaryPageOffset: Int64?, statistics: Statistics?
        try r.readFields { (r: inout ThriftCompactReader, t: ThriftType, id: Int16) throws(ParquetError) -> Bool in
            switch id {
            case 1: try r.expect(t, .i32, field: "type"); type = try r.readI32()
            case 2:
                try r.expect(t, .list, field: "encodings")
                encodings = try r.readList(field: "encodings", of: .i32) { (r: inout ThriftCompactReader) throws(ParquetError) -> Int32 in try r.readI32() }
            case 3:
                try r.expect(t, .list, field: "path_in_schema")
                path = try r.readList(field: "path_in_schema", of: .binary) { (r: inout ThriftCompactReader) throws(ParquetError) -> String in try r.readString() }
            case 4: try r.expect(t, .i32, field: "codec"); codec = try r.readI32()
            case 5: try r.expect(t, .i64, field: "num_values"); numValues = try r.readI64()
            case 6: try r.expect(t, .i64, field: "total_uncompressed_size"); uncompressed = try r.readI64()
            case 7: try r.expect(t, .i64, field: "total_compressed_size"); compressed = try r.readI64()
            case 8:
                try r.expect(t, .list, field: "key_value_metadata")
                kv = try r.readList(field: "key_value_metadata", of: .struct) { (r: inout ThriftCompactReader) throws(ParquetError) -> KeyValue in try KeyValue(thrift: &r) }
            case 9: try r.expect(t, .i64, field: "data_page_offset"); dataPageOffset = try r.readI64()
            case 10: try r.expect(t, .i64, field: "index_page_offset"); indexPageOffset = try r.readI64()
            case 11: try r.expect(t, .i64, field: "dictionary_page_offset"); dictionaryPageOffset = try r.readI64()
            case 12: try r.expect(t, .struct, field: "statistics"); statistics = try Statistics(thrift: &r)
            default: return false
            }
            return true
        }
        guard let type, let encodings, let path, let codec, let numValues, let uncompressed, let compressed,
              let dataPageOffset else {
            throw r.error("ColumnMetaData lacks a required field")
        }
        self.init(type: type, encodings: encodings, pathInSchema: path, codec: codec, numValues: numValues,
                  totalUncompressedSize: uncompressed, totalCompressedSize: compressed, keyValueMetadata: kv,
                  dataPageOffset: dataPageOffset, indexPageOffset: indexPageOffset,
                  dictionaryPageOffset: dictionaryPageOffset, statistics: statistics)
    }

    func write(to w: inout ThriftCompactWriter) {
        w.writeI32(1, type)
        w.writeI32List(2, encodings)
        w.writeStringList(3, pathInSchema)
        w.writeI32(4, codec)
        w.writeI64(5, numValues)
        w.writeI64(6, totalUncompressedSize)
        w.writeI64(7, totalCompressedSize)
        if let keyValueMetadata { w.writeStructList(8, keyValueMetadata) { w, kv in kv.write(to: &w) } }
        w.writeI64(9, dataPageOffset)
        if let indexPageOffset { w.writeI64(10, indexPageOffset) }
        if let dictionaryPageOffset { w.writeI64(11, dictionaryPageOffset) }
        if let statistics { w.writeStructField(12) { w in statistics.write(to: &w) } }
    }
}

/// `ColumnChunk`: one column of one row group. Encrypted chunks (fields 8 and 9) are refused by the reader.
struct ColumnChunk: Sendable, Equatable {
    var filePath: String?          // 1
    var fileOffset: Int64          // 2
    var metaData: ColumnMetaData?  // 3
    var isEncrypted = false        // 8 crypto_metadata or 9 encrypted_column_metadata present
}

extension ColumnChunk: ThriftDecodable, ThriftEncodable {
    init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        var filePath: String?, fileOffset: Int64?, meta: ColumnMetaData?, encrypted = false
        try r.readFields { (r: inout ThriftCompactReader, t: ThriftType, id: Int16) throws(ParquetError) -> Bool in
            switch id {
            case 1: try r.expect(t, .binary, field: "file_path"); filePath = try r.readString()
            case 2: try r.expect(t, .i64, field: "file_offset"); fileOffset = try r.readI64()
            case 3: try r.expect(t, .struct, field: "meta_data"); meta = try ColumnMetaData(thrift: &r)
            case 8, 9: encrypted = true; return false
            default: return false
            }
            return true
        }
        self.init(filePath: filePath, fileOffset: fileOffset ?? 0, metaData: meta, isEncrypted: encrypted)
    }

    func write(to w: inout ThriftCompactWriter) {
        if let filePath { w.writeString(1, filePath) }
        w.writeI64(2, fileOffset)
        if let metaData { w.writeStructField(3) { w in metaData.write(to: &w) } }
    }
}

/// `RowGroup`.
struct RowGroup: Sendable, Equatable {
    var columns: [ColumnChunk]        // 1
    var totalByteSize: Int64          // 2
    var numRows: Int64                // 3
    var fileOffset: Int64?            // 5
    var totalCompressedSize: Int64?   // 6
    var ordinal: Int16?               // 7
}

extension RowGroup: ThriftDecodable, ThriftEncodable {
    init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        var columns: [ColumnChunk]?, total: Int64?, rows: Int64?, offset: Int64?, compressed: Int64?, ordinal: Int16?
        try r.readFields { (r: inout ThriftCompactReader, t: ThriftType, id: Int16) throws(ParquetError) -> Bool in
            switch id {
            case 1:
                try r.expect(t, .list, field: "columns")
                columns = try r.readList(field: "columns", of: .struct) { (r: inout ThriftCompactReader) throws(ParquetError) -> ColumnChunk in try ColumnChunk(thrift: &r) }
            case 2: try r.expect(t, .i64, field: "total_byte_size"); total = try r.readI64()
            case 3: try r.expect(t, .i64, field: "num_rows"); rows = try r.readI64()
            case 5: try r.expect(t, .i64, field: "file_offset"); offset = try r.readI64()
            case 6: try r.expect(t, .i64, field: "total_compressed_size"); compressed = try r.readI64()
            case 7: try r.expect(t, .i16, field: "ordinal"); ordinal = try r.readI16()
            default: return false
            }
            return true
        }
        guard let columns, let total, let rows else { throw r.error("RowGroup lacks a required field") }
        self.init(columns: columns, totalByteSize: total, numRows: rows, fileOffset: offset,
                  totalCompressedSize: compressed, ordinal: ordinal)
    }

    func write(to w: inout ThriftCompactWriter) {
        w.writeStructList(1, columns) { w, c in c.write(to: &w) }
        w.writeI64(2, totalByteSize)
        w.writeI64(3, numRows)
        if let fileOffset { w.writeI64(5, fileOffset) }
        if let totalCompressedSize { w.writeI64(6, totalCompressedSize) }
        if let ordinal {
            w.fieldHeader(7, .i16)
            w.writeZigZag(Int64(ordinal))
        }
    }
}

/// `FileMetaData`: the footer. `columnOrders` holds the union member id of each `ColumnOrder` (1 = TYPE_ORDER).
struct FileMetaData: Sendable, Equatable {
    var version: Int32                    // 1
    var schema: [SchemaElement]           // 2
    var numRows: Int64                    // 3
    var rowGroups: [RowGroup]             // 4
    var keyValueMetadata: [KeyValue]?     // 5
    var createdBy: String?                // 6
    var columnOrders: [Int16]?            // 7
    var isEncrypted = false               // 8 encryption_algorithm present
}

extension FileMetaData: ThriftDecodable, ThriftEncodable {
    init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        var version: Int32?, schema: [SchemaElement]?, rows: Int64?, groups: [RowGroup]?, kv: [KeyValue]?
        var createdBy: String?, orders: [Int16]?, encrypted = false
        try r.readFields { (r: inout ThriftCompactReader, t: ThriftType, id: Int16) throws(ParquetError) -> Bool in
            switch id {
            case 1: try r.expect(t, .i32, field: "version"); version = try r.readI32()
            case 2:
                try r.expect(t, .list, field: "schema")
                schema = try r.readList(field: "schema", of: .struct) { (r: inout ThriftCompactReader) throws(ParquetError) -> SchemaElement in try SchemaElement(thrift: &r) }
            case 3: try r.expect(t, .i64, field: "num_rows"); rows = try r.readI64()
            case 4:
                try r.expect(t, .list, field: "row_groups")
                groups = try r.readList(field: "row_groups", of: .struct) { (r: inout ThriftCompactReader) throws(ParquetError) -> RowGroup in try RowGroup(thrift: &r) }
            case 5:
                try r.expect(t, .list, field: "key_value_metadata")
                kv = try r.readList(field: "key_value_metadata", of: .struct) { (r: inout ThriftCompactReader) throws(ParquetError) -> KeyValue in try KeyValue(thrift: &r) }
            case 6: try r.expect(t, .binary, field: "created_by"); createdBy = try r.readString()
            case 7:
                try r.expect(t, .list, field: "column_orders")
                orders = try r.readList(field: "column_orders", of: .struct) { (r: inout ThriftCompactReader) throws(ParquetError) -> Int16 in
                    var member: Int16 = 0
                    try r.readFields { (r: inout ThriftCompactReader, t: ThriftType, id: Int16) throws(ParquetError) -> Bool in
                        if member == 0 { member = id }
                        return false
                    }
                    return member
                }
            case 8: encrypted = true; return false
            default: return false
            }
            return true
        }
        guard let version, let schema, let rows, let groups else { throw r.error("FileMetaData lacks a required field") }
        self.init(version: version, schema: schema, numRows: rows, rowGroups: groups, keyValueMetadata: kv,
                  createdBy: createdBy, columnOrders: orders, isEncrypted: encrypted)
    }

    func write(to w: inout ThriftCompactWriter) {
        w.writeI32(1, version)
        w.writeStructList(2, schema) { w, e in e.write(to: &w) }
        w.writeI64(3, numRows)
        w.writeStructList(4, rowGroups) { w, g in g.write(to: &w) }
        if let keyValueMetadata { w.writeStructList(5, keyValueMetadata) { w, kv in kv.write(to: &w) } }
        if let createdBy { w.writeString(6, createdBy) }
        if let columnOrders {
            w.writeStructList(7, columnOrders) { w, member in w.writeStructField(member) { _ in } }
        }
    }
}
