import Testing
@testable import WeirParquet

/// The Thrift compact protocol: hand-built byte vectors, round trips of every metadata struct, skipping of unknown
/// fields of every type, and the decoder's limits.
@Suite struct ThriftCodecTests {
    func decode<T: ThriftDecodable>(_ bytes: [UInt8], as: T.Type = T.self, limits: ThriftLimits = ThriftLimits()) throws -> T {
        try bytes.withUnsafeBytes { raw in
            var reader = try ThriftCompactReader(raw, limits: limits)
            return try T(thrift: &reader)
        }
    }

    @Test func keyValueVector() throws {
        let bytes: [UInt8] = [0x18, 0x01, 0x61, 0x18, 0x01, 0x62, 0x00]
        let kv = try decode(bytes, as: KeyValue.self)
        #expect(kv == KeyValue(key: "a", value: "b"))
        #expect(kv.thriftBytes() == bytes)
    }

    @Test func pageHeaderVector() throws {
        // type 0, uncompressed 100, compressed 50, data page header {10 values, PLAIN, RLE, RLE}.
        let bytes: [UInt8] = [0x15, 0x00, 0x15, 0xC8, 0x01, 0x15, 0x64, 0x2C, 0x15, 0x14, 0x15, 0x00, 0x15, 0x06, 0x15, 0x06, 0x00, 0x00]
        let header = try decode(bytes, as: PageHeader.self)
        #expect(header.type == 0 && header.uncompressedPageSize == 100 && header.compressedPageSize == 50)
        #expect(header.dataPageHeader == DataPageHeader(numValues: 10, encoding: 0, definitionLevelEncoding: 3, repetitionLevelEncoding: 3))
        #expect(header.thriftBytes() == bytes)
    }

    @Test func longFormFieldIDsAndNegativeNumbers() throws {
        var w = ThriftCompactWriter()
        w.beginStruct()
        w.writeI32(1, -1)
        w.writeI64(100, Int64.min)   // delta > 15: long form
        w.writeI32(3, Int32.max)     // going backwards: long form
        w.endStruct()
        #expect(Array(w.bytes.prefix(3)) == [0x15, 0x01, 0x06])  // -1 zigzags to 1; then type byte 6 (i64) with delta 0
        let decoded: [Int16: Int64] = try w.bytes.withUnsafeBytes { raw in
            var r = try ThriftCompactReader(raw)
            var out: [Int16: Int64] = [:]
            try r.readFields { (r: inout ThriftCompactReader, t: ThriftType, id: Int16) throws(ParquetError) -> Bool in
                out[id] = t == .i64 ? try r.readI64() : Int64(try r.readI32())
                return true
            }
            return out
        }
        #expect(decoded == [1: -1, 100: Int64.min, 3: Int64(Int32.max)])
    }

    static func sampleFooter() -> FileMetaData {
        let stats = Statistics(max: [1, 2], min: [0], nullCount: 3, distinctCount: 9, maxValue: [0xff], minValue: [])
        let meta = ColumnMetaData(type: 2, encodings: [0, 3, 8], pathInSchema: ["a", "list", "element"], codec: 6, numValues: 1 << 40,
                                  totalUncompressedSize: 1234, totalCompressedSize: 999,
                                  keyValueMetadata: [KeyValue(key: "k", value: nil)], dataPageOffset: 4, indexPageOffset: 7,
                                  dictionaryPageOffset: 4, statistics: stats)
        let group = RowGroup(columns: [ColumnChunk(filePath: nil, fileOffset: 4, metaData: meta)], totalByteSize: 5000, numRows: 77,
                             fileOffset: 4, totalCompressedSize: 999, ordinal: 0)
        let schema = [
            SchemaElement(name: "paimon_schema", numChildren: 1),
            SchemaElement(name: "a", repetition: .optional, numChildren: 1, convertedType: .list, fieldID: 5, logicalType: .list),
            SchemaElement(name: "list", repetition: .repeated, numChildren: 1),
            SchemaElement(name: "element", type: .fixedLenByteArray, typeLength: 16, repetition: .optional, convertedType: .decimal,
                          scale: 3, precision: 38, fieldID: -7, logicalType: .decimal(scale: 3, precision: 38)),
        ]
        return FileMetaData(version: 2, schema: schema, numRows: 77, rowGroups: [group],
                            keyValueMetadata: [KeyValue(key: "ARROW:schema", value: String(repeating: "x", count: 300))],
                            createdBy: "weir test", columnOrders: [1])
    }

    @Test func footerRoundTrip() throws {
        let footer = Self.sampleFooter()
        #expect(try decode(footer.thriftBytes(), as: FileMetaData.self) == footer)
    }

    @Test func everyLogicalTypeRoundTrips() throws {
        let all: [LogicalType] = [.string, .map, .list, .enumeration, .decimal(scale: 2, precision: 10), .date,
                                  .time(adjustedToUTC: true, unit: .millis), .time(adjustedToUTC: false, unit: .nanos),
                                  .timestamp(adjustedToUTC: false, unit: .micros), .timestamp(adjustedToUTC: true, unit: .nanos),
                                  .integer(bitWidth: 8, signed: true), .integer(bitWidth: 64, signed: false), .null, .json, .bson,
                                  .uuid, .float16, .variant]
        for logical in all {
            let element = SchemaElement(name: "c", type: .int32, repetition: .required, logicalType: logical)
            #expect(try decode(element.thriftBytes(), as: SchemaElement.self) == element, "\(logical)")
        }
    }

    @Test func pageHeadersRoundTrip() throws {
        let v2 = PageHeader(type: 3, uncompressedPageSize: 10, compressedPageSize: 9, crc: -5, dataPageHeader: nil, dictionaryPageHeader: nil,
                            dataPageHeaderV2: DataPageHeaderV2(numValues: 4, numNulls: 1, numRows: 2, encoding: 8,
                                                               definitionLevelsByteLength: 2, repetitionLevelsByteLength: 1,
                                                               isCompressed: false, statistics: Statistics(nullCount: 1)))
        #expect(try decode(v2.thriftBytes(), as: PageHeader.self) == v2)
        let dictionary = PageHeader(type: 2, uncompressedPageSize: 0, compressedPageSize: 0, crc: nil, dataPageHeader: nil,
                                    dictionaryPageHeader: DictionaryPageHeader(numValues: 3, encoding: 2, isSorted: true),
                                    dataPageHeaderV2: nil)
        #expect(try decode(dictionary.thriftBytes(), as: PageHeader.self) == dictionary)
    }

    /// A KeyValue with unknown fields of every type before, between and after the known ones.
    @Test func unknownFieldsOfEveryTypeAreSkipped() throws {
        var bytes: [UInt8] = []
        bytes += [0x31]                      // field 3: bool true (no payload)
        bytes += [0x13, 0x7f]                // field 4: byte
        bytes += [0x14, 0x03]                // field 5: i16
        bytes += [0x15, 0xff, 0x01]          // field 6: i32
        bytes += [0x16, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]  // field 7: i64, 10 bytes
        bytes += [0x17] + [UInt8](repeating: 0x40, count: 8)                    // field 8: double
        bytes += [0x18, 0x03, 0x61, 0x62, 0x63]                                  // field 9: binary
        bytes += [0x19, 0x2c, 0x15, 0x02, 0x00, 0x00]                            // field 10: list of 2 structs
        bytes += [0x1a, 0x31, 0x01, 0x02, 0x01]                                  // field 11: set of 3 bools
        bytes += [0x1b, 0x02, 0x85, 0x01, 0x61, 0x05, 0x01, 0x62, 0x06]          // field 12: map<binary,i32> of 2
        bytes += [0x1b, 0x00]                                                    // field 13: empty map
        bytes += [0x1c, 0x1c, 0x15, 0x02, 0x00, 0x00]                            // field 14: struct { struct { i32 } }
        bytes += [0x0d, 0xfe, 0x03] + [UInt8](repeating: 0xab, count: 16)        // field -256 (long form): uuid
        bytes += [0x08, 0x02, 0x01, 0x6b]                                        // field 1 (long form): key "k"
        bytes += [0x18, 0x01, 0x76]                                              // field 2: value "v"
        bytes += [0x19, 0xf8, 0x0f] + [UInt8](repeating: 0x00, count: 15)        // field 3: list of 15 binaries (long count)
        bytes += [0x00]
        #expect(try decode(bytes, as: KeyValue.self) == KeyValue(key: "k", value: "v"))
    }

    @Test func limitsAreEnforced() throws {
        // Structs nested 100 deep inside an unknown field.
        var deep: [UInt8] = [0x08, 0x02, 0x01, 0x6b, 0x2c]
        for _ in 0..<99 { deep.append(0x1c) }
        deep += [UInt8](repeating: 0, count: 101)
        #expect(throws: ParquetError.self) { try decode(deep, as: KeyValue.self) }
        #expect(try decode(deep, as: KeyValue.self, limits: ThriftLimits(depthMax: 200)).key == "k")
        // A string claiming 2^40 bytes, and one over the string limit.
        #expect(throws: ParquetError.self) { try decode([0x18, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0x00], as: KeyValue.self) }
        let long: [UInt8] = [0x18, 0x80, 0x01] + [UInt8](repeating: 0x61, count: 128) + [0x00]
        #expect(throws: ParquetError.self) { try decode(long, as: KeyValue.self, limits: ThriftLimits(stringBytesMax: 100)) }
        #expect(try decode(long, as: KeyValue.self).key.count == 128)
        // A list claiming more elements than bytes remain, and more than the limit.
        #expect(throws: ParquetError.self) { try decode([0x18, 0x01, 0x6b, 0x29, 0xf5, 0xff, 0xff, 0xff, 0x07, 0x00], as: KeyValue.self) }
        let list: [UInt8] = [0x18, 0x01, 0x6b, 0x29, 0xf5, 0x0a] + [UInt8](repeating: 0x00, count: 10) + [0x00]
        #expect(throws: ParquetError.self) { try decode(list, as: KeyValue.self, limits: ThriftLimits(listElementsMax: 5)) }
        #expect(try decode(list, as: KeyValue.self).key == "k")
        // Input over the total limit; truncated input; an i32 out of range; a varint of 11 bytes; a bad type.
        #expect(throws: ParquetError.self) { try decode([0x18, 0x01, 0x6b, 0x00], as: KeyValue.self, limits: ThriftLimits(totalBytesMax: 3)) }
        #expect(throws: ParquetError.self) { try decode([0x18, 0x05, 0x6b], as: KeyValue.self) }
        #expect(throws: ParquetError.self) { try decode([0x15, 0x80, 0x80, 0x80, 0x80, 0x40, 0x00], as: PageHeader.self) }
        #expect(throws: ParquetError.self) { try decode([0x16] + [UInt8](repeating: 0x80, count: 10) + [0x01, 0x00], as: KeyValue.self) }
        #expect(throws: ParquetError.self) { try decode([0x1e, 0x00], as: KeyValue.self) }
        // A required field missing.
        #expect(throws: ParquetError.self) { try decode([0x28, 0x01, 0x76, 0x00], as: KeyValue.self) }
        // A known field with the wrong type.
        #expect(throws: ParquetError.self) { try decode([0x15, 0x02, 0x00], as: KeyValue.self) }
    }
}
