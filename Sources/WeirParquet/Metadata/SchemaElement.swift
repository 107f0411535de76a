/// `SchemaElement` of `parquet.thrift`: one node of the schema tree, flattened depth-first in the footer (a group
/// says how many children follow it). Enum-valued fields keep their raw values (see ``PhysicalType`` and friends).
struct SchemaElement: Sendable, Equatable {
    var type: Int32?            // 1
    var typeLength: Int32?      // 2
    var repetition: Int32?      // 3
    var name: String            // 4 (required)
    var numChildren: Int32?     // 5
    var convertedType: Int32?   // 6
    var scale: Int32?           // 7
    var precision: Int32?       // 8
    var fieldID: Int32?         // 9
    var logicalType: LogicalType?  // 10

    init(name: String, type: PhysicalType? = nil, typeLength: Int32? = nil, repetition: Repetition? = nil,
         numChildren: Int32? = nil, convertedType: ConvertedType? = nil, scale: Int32? = nil, precision: Int32? = nil,
         fieldID: Int32? = nil, logicalType: LogicalType? = nil) {
        self.name = name
        self.type = type?.rawValue
        self.typeLength = typeLength
        self.repetition = repetition?.rawValue
        self.numChildren = numChildren
        self.convertedType = convertedType?.rawValue
        self.scale = scale
        self.precision = precision
        self.fieldID = fieldID
        self.logicalType = logicalType
    }
}

extension SchemaElement: ThriftDecodable, ThriftEncodable {
    init(thrift r: inout ThriftCompactReader) throws(ParquetError) {
        var type: Int32?, typeLength: Int32?, repetition: Int32?, name: String?, numChildren: Int32?
        var convertedType: Int32?, scale: Int32?, precision: Int32?, fieldID: Int32?, logicalType: LogicalType?
        try r.readFields { (r: inout ThriftCompactReader, t: ThriftType, id: Int16) throws(ParquetError) -> Bool in
            switch id {
            case 1: try r.expect(t, .i32, field: "type"); type = try r.readI32()
            case 2: try r.expect(t, .i32, field: "type_length"); typeLength = try r.readI32()
            case 3: try r.expect(t, .i32, field: "repetition_type"); repetition = try r.readI32()
            case 4: try r.expect(t, .binary, field: "name"); name = try r.readString()
            case 5: try r.expect(t, .i32, field: "num_children"); numChildren = try r.readI32()
            case 6: try r.expect(t, .i32, field: "converted_type"); convertedType = try r.readI32()
            case 7: try r.expect(t, .i32, field: "scale"); scale = try r.readI32()
            case 8: try r.expect(t, .i32, field: "precision"); precision = try r.readI32()
            case 9: try r.expect(t, .i32, field: "field_id"); fieldID = try r.readI32()
            case 10: try r.expect(t, .struct, field: "logicalType"); logicalType = try LogicalType(thrift: &r)
            default: return false
            }
            return true
        }
        guard let name else { throw r.error("SchemaElement lacks its name") }
        self.name = name
        self.type = type
        self.typeLength = typeLength
        self.repetition = repetition
        self.numChildren = numChildren
        self.convertedType = convertedType
        self.scale = scale
        self.precision = precision
        self.fieldID = fieldID
        self.logicalType = logicalType
    }

    func write(to w: inout ThriftCompactWriter) {
        if let type { w.writeI32(1, type) }
        if let typeLength { w.writeI32(2, typeLength) }
        if let repetition { w.writeI32(3, repetition) }
        w.writeString(4, name)
        if let numChildren { w.writeI32(5, numChildren) }
        if let convertedType { w.writeI32(6, convertedType) }
        if let scale { w.writeI32(7, scale) }
        if let precision { w.writeI32(8, precision) }
        if let fieldID { w.writeI32(9, fieldID) }
        if let logicalType { w.writeStructField(10) { w in logicalType.write(to: &w) } }
    }
}
