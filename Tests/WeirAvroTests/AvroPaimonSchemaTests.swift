import Testing
import WeirAvro
import WeirColumnar

/// Paimon's RowType ↔ Avro mapping (spec/paimon-format.md §4.2) and the three manifest schemas of §4.8.
func field(_ id: Int, _ name: String, _ type: DataType) -> DataField { DataField(id: id, name: name, type: type) }
func notNull(_ kind: DataType.Kind) -> DataType { DataType(kind, nullable: false) }

@Suite struct AvroPaimonSchemaTests {
    static var simpleStats: DataType {
        notNull(.row(fields: [
            field(0, "_MIN_VALUES", notNull(.varbinary(length: DataType.lengthMax))),
            field(1, "_MAX_VALUES", notNull(.varbinary(length: DataType.lengthMax))),
            field(2, "_NULL_COUNTS", DataType(.array(element: DataType(.bigint)))),
        ]))
    }

    static var stringArray: DataType { DataType(.array(element: DataType.string.nullable(false))) }

    /// ManifestEntry's RowType (J13).
    static var manifestEntry: RowType {
        RowType([
            field(0, "_VERSION", notNull(.int)), field(1, "_KIND", notNull(.tinyint)), field(2, "_PARTITION", DataType.bytes.nullable(false)),
            field(3, "_BUCKET", notNull(.int)), field(4, "_TOTAL_BUCKETS", notNull(.int)),
            field(5, "_FILE", notNull(.row(fields: [
                field(6, "_FILE_NAME", DataType.string.nullable(false)), field(7, "_FILE_SIZE", notNull(.bigint)),
                field(8, "_ROW_COUNT", notNull(.bigint)), field(9, "_MIN_KEY", DataType.bytes.nullable(false)),
                field(10, "_MAX_KEY", DataType.bytes.nullable(false)), field(11, "_KEY_STATS", simpleStats),
                field(12, "_VALUE_STATS", simpleStats), field(13, "_MIN_SEQUENCE_NUMBER", notNull(.bigint)),
                field(14, "_MAX_SEQUENCE_NUMBER", notNull(.bigint)), field(15, "_SCHEMA_ID", notNull(.bigint)),
                field(16, "_LEVEL", notNull(.int)), field(17, "_EXTRA_FILES", stringArray.nullable(false)),
                field(18, "_CREATION_TIME", DataType(.timestamp(precision: 3))), field(19, "_DELETE_ROW_COUNT", DataType(.bigint)),
                field(20, "_EMBEDDED_FILE_INDEX", .bytes), field(21, "_FILE_SOURCE", DataType(.tinyint)),
                field(22, "_VALUE_STATS_COLS", stringArray), field(23, "_EXTERNAL_PATH", .string),
                field(24, "_FIRST_ROW_ID", DataType(.bigint)), field(25, "_WRITE_COLS", stringArray),
            ]))),
        ])
    }

    static var manifestList: RowType {
        RowType([
            field(0, "_VERSION", notNull(.int)), field(1, "_FILE_NAME", DataType.string.nullable(false)),
            field(2, "_FILE_SIZE", notNull(.bigint)), field(3, "_NUM_ADDED_FILES", notNull(.bigint)),
            field(4, "_NUM_DELETED_FILES", notNull(.bigint)), field(5, "_PARTITION_STATS", simpleStats),
            field(6, "_SCHEMA_ID", notNull(.bigint)), field(7, "_MIN_BUCKET", DataType(.int)), field(8, "_MAX_BUCKET", DataType(.int)),
            field(9, "_MIN_LEVEL", DataType(.int)), field(10, "_MAX_LEVEL", DataType(.int)),
        ])
    }

    static var indexManifest: RowType {
        RowType([
            field(0, "_VERSION", notNull(.int)), field(1, "_KIND", notNull(.tinyint)), field(2, "_PARTITION", DataType.bytes.nullable(false)),
            field(3, "_BUCKET", notNull(.int)), field(4, "_INDEX_TYPE", DataType.string.nullable(false)),
            field(5, "_FILE_NAME", DataType.string.nullable(false)), field(6, "_FILE_SIZE", notNull(.bigint)),
            field(7, "_ROW_COUNT", notNull(.bigint)),
            field(8, "_DELETIONS_VECTORS_RANGES", DataType(.array(element: DataType(.row(fields: [
                field(9, "f0", DataType.string.nullable(false)), field(10, "f1", notNull(.int)), field(11, "f2", notNull(.int)),
                field(12, "_CARDINALITY", DataType(.bigint)),
            ]))))),
            field(13, "_EXTERNAL_PATH", .string),
        ])
    }

    /// spec/paimon-format.md §4.8, verbatim.
    static let manifestEntryJSON = #"""
        {"type":"record","name":"org.apache.paimon.avro.generated.record","fields":[
         {"name":"_VERSION","type":"int"},{"name":"_KIND","type":"int"},{"name":"_PARTITION","type":"bytes"},
         {"name":"_BUCKET","type":"int"},{"name":"_TOTAL_BUCKETS","type":"int"},
         {"name":"_FILE","type":{"type":"record","name":"org.apache.paimon.avro.generated.record__FILE","fields":[
          {"name":"_FILE_NAME","type":"string"},{"name":"_FILE_SIZE","type":"long"},{"name":"_ROW_COUNT","type":"long"},
          {"name":"_MIN_KEY","type":"bytes"},{"name":"_MAX_KEY","type":"bytes"},
          {"name":"_KEY_STATS","type":{"type":"record","name":"org.apache.paimon.avro.generated.record__FILE__KEY_STATS","fields":[
            {"name":"_MIN_VALUES","type":"bytes"},{"name":"_MAX_VALUES","type":"bytes"},
            {"name":"_NULL_COUNTS","type":["null",{"type":"array","items":["null","long"]}],"default":null}]}},
          {"name":"_VALUE_STATS","type":{"type":"record","name":"org.apache.paimon.avro.generated.record__FILE__VALUE_STATS","fields":[
            {"name":"_MIN_VALUES","type":"bytes"},{"name":"_MAX_VALUES","type":"bytes"},
            {"name":"_NULL_COUNTS","type":["null",{"type":"array","items":["null","long"]}],"default":null}]}},
          {"name":"_MIN_SEQUENCE_NUMBER","type":"long"},{"name":"_MAX_SEQUENCE_NUMBER","type":"long"},
          {"name":"_SCHEMA_ID","type":"long"},{"name":"_LEVEL","type":"int"},
          {"name":"_EXTRA_FILES","type":{"type":"array","items":"string"}},
          {"name":"_CREATION_TIME","type":["null",{"type":"long","logicalType":"timestamp-millis"}],"default":null},
          {"name":"_DELETE_ROW_COUNT","type":["null","long"],"default":null},
          {"name":"_EMBEDDED_FILE_INDEX","type":["null","bytes"],"default":null},
          {"name":"_FILE_SOURCE","type":["null","int"],"default":null},
          {"name":"_VALUE_STATS_COLS","type":["null",{"type":"array","items":"string"}],"default":null},
          {"name":"_EXTERNAL_PATH","type":["null","string"],"default":null},
          {"name":"_FIRST_ROW_ID","type":["null","long"],"default":null},
          {"name":"_WRITE_COLS","type":["null",{"type":"array","items":"string"}],"default":null}]}}]}
        """#

    /// §4.8's manifest list, in the same shape (Java's `name` + `namespace` form).
    static let manifestListJSON = #"""
        {"type":"record","name":"record","namespace":"org.apache.paimon.avro.generated","fields":[
         {"name":"_VERSION","type":"int"},{"name":"_FILE_NAME","type":"string"},{"name":"_FILE_SIZE","type":"long"},
         {"name":"_NUM_ADDED_FILES","type":"long"},{"name":"_NUM_DELETED_FILES","type":"long"},
         {"name":"_PARTITION_STATS","type":{"type":"record","name":"record__PARTITION_STATS","fields":[
           {"name":"_MIN_VALUES","type":"bytes"},{"name":"_MAX_VALUES","type":"bytes"},
           {"name":"_NULL_COUNTS","type":["null",{"type":"array","items":["null","long"]}],"default":null}]}},
         {"name":"_SCHEMA_ID","type":"long"},
         {"name":"_MIN_BUCKET","type":["null","int"],"default":null},{"name":"_MAX_BUCKET","type":["null","int"],"default":null},
         {"name":"_MIN_LEVEL","type":["null","int"],"default":null},{"name":"_MAX_LEVEL","type":["null","int"],"default":null}]}
        """#

    /// §4.8's index manifest.
    static let indexManifestJSON = #"""
        {"type":"record","name":"record","namespace":"org.apache.paimon.avro.generated","fields":[
         {"name":"_VERSION","type":"int"},{"name":"_KIND","type":"int"},{"name":"_PARTITION","type":"bytes"},
         {"name":"_BUCKET","type":"int"},{"name":"_INDEX_TYPE","type":"string"},{"name":"_FILE_NAME","type":"string"},
         {"name":"_FILE_SIZE","type":"long"},{"name":"_ROW_COUNT","type":"long"},
         {"name":"_DELETIONS_VECTORS_RANGES","type":["null",{"type":"array","items":["null",{"type":"record",
           "name":"record__DELETIONS_VECTORS_RANGES","fields":[{"name":"f0","type":"string"},{"name":"f1","type":"int"},
           {"name":"f2","type":"int"},{"name":"_CARDINALITY","type":["null","long"],"default":null}]}]}],"default":null},
         {"name":"_EXTERNAL_PATH","type":["null","string"],"default":null}]}
        """#

    @Test(arguments: [(manifestEntryJSON, "entry"), (manifestListJSON, "list"), (indexManifestJSON, "index")])
    func manifestSchemasParsePrintAndMatchTheRowTypes(_ json: String, _ which: String) throws {
        let schema = try AvroSchema.parse(json)
        let printed = schema.json()
        #expect(try AvroSchema.parse(printed) == schema)
        #expect(try AvroSchema.parse(schema.json(pretty: true)) == schema)
        #expect(schema.record?.name.fullName == AvroSchema.paimonRecordName)
        // Java's printed form: simple names inside the generated namespace.
        #expect(printed.hasPrefix(#"{"type":"record","name":"record","namespace":"org.apache.paimon.avro.generated","fields":[{"name":"_VERSION","type":"int"}"#))
        let rowType = which == "entry" ? Self.manifestEntry : which == "list" ? Self.manifestList : Self.indexManifest
        let converted = try AvroSchema(paimonRowType: rowType)
        #expect(converted == schema, "\(converted.json())")
    }

    /// Every Paimon type, nullable and not, as Java's AvroSchemaConverter writes it.
    @Test func everyPaimonTypeToAvro() throws {
        let cases: [(DataType, String)] = [
            (notNull(.boolean), #""boolean""#),
            (notNull(.tinyint), #""int""#), (notNull(.smallint), #""int""#), (notNull(.int), #""int""#),
            (notNull(.bigint), #""long""#), (notNull(.float), #""float""#), (notNull(.double), #""double""#),
            (notNull(.decimal(precision: 10, scale: 2)), #"{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}"#),
            (notNull(.decimal(precision: 38, scale: 0)), #"{"type":"bytes","logicalType":"decimal","precision":38,"scale":0}"#),
            (notNull(.char(length: 3)), #""string""#), (notNull(.varchar(length: 20)), #""string""#), (DataType.string.nullable(false), #""string""#),
            (notNull(.binary(length: 16)), #""bytes""#), (DataType.bytes.nullable(false), #""bytes""#),
            (notNull(.date), #"{"type":"int","logicalType":"date"}"#),
            (notNull(.time(precision: 0)), #"{"type":"int","logicalType":"time-millis"}"#),
            (notNull(.time(precision: 3)), #"{"type":"int","logicalType":"time-millis"}"#),
            (notNull(.timestamp(precision: 0)), #"{"type":"long","logicalType":"timestamp-millis"}"#),
            (notNull(.timestamp(precision: 3)), #"{"type":"long","logicalType":"timestamp-millis"}"#),
            (notNull(.timestamp(precision: 4)), #"{"type":"long","logicalType":"timestamp-micros"}"#),
            (notNull(.timestamp(precision: 6)), #"{"type":"long","logicalType":"timestamp-micros"}"#),
            (notNull(.timestamp(precision: 9)), #"{"type":"long","logicalType":"timestamp-nanos"}"#),
            (notNull(.timestampLTZ(precision: 3)), #"{"type":"long","logicalType":"local-timestamp-millis"}"#),
            (notNull(.timestampLTZ(precision: 6)), #"{"type":"long","logicalType":"local-timestamp-micros"}"#),
            (notNull(.timestampLTZ(precision: 7)), #"{"type":"long","logicalType":"local-timestamp-nanos"}"#),
            (notNull(.array(element: notNull(.int))), #"{"type":"array","items":"int"}"#),
            (notNull(.array(element: DataType(.int))), #"{"type":"array","items":["null","int"]}"#),
            (notNull(.map(key: DataType.string.nullable(false), value: DataType(.bigint))), #"{"type":"map","values":["null","long"]}"#),
            (notNull(.map(key: notNull(.int), value: DataType.string)),
             #"{"type":"array","items":{"type":"record","name":"record_c","fields":[{"name":"key","type":"int"},{"name":"value","type":["null","string"],"default":null}]},"logicalType":"map"}"#),
            (notNull(.multiset(element: DataType.string.nullable(false))), #"{"type":"map","values":["null","int"]}"#),
            (notNull(.multiset(element: notNull(.bigint))),
             #"{"type":"array","items":{"type":"record","name":"record_c","fields":[{"name":"key","type":"long"},{"name":"value","type":["null","int"],"default":null}]},"logicalType":"map"}"#),
            (notNull(.row(fields: [field(1, "x", notNull(.int)), field(2, "y", DataType(.row(fields: [field(3, "z", .string)])))])),
             #"{"type":"record","name":"record_c","fields":[{"name":"x","type":"int"},{"name":"y","type":["null",{"type":"record","name":"record_c_y","fields":[{"name":"z","type":["null","string"],"default":null}]}],"default":null}]}"#),
            (notNull(.array(element: notNull(.row(fields: [field(1, "a", notNull(.int))])))),
             #"{"type":"array","items":{"type":"record","name":"record_c","fields":[{"name":"a","type":"int"}]}}"#),
        ]
        for (type, expected) in cases {
            let schema = try AvroSchema(paimonRowType: RowType([field(0, "c", type)]))
            let printed = try #require(schema.record?.fields.first).type
            let expectedSchema = try AvroSchema.parse(#"{"type":"record","name":"org.apache.paimon.avro.generated.record","fields":[{"name":"c","type":"# + expected + "}]}")
            #expect(printed == expectedSchema.record?.fields.first?.type, "\(type): \(printed.json())")
            #expect(schema.record?.fields.first?.defaultValue == nil)
            // Nullable: ["null", T] with a null default.
            let nullable = try AvroSchema(paimonRowType: RowType([field(0, "c", type.nullable(true))]))
            let nullableField = try #require(nullable.record?.fields.first)
            #expect(nullableField.type == .nullable(expectedSchema.record!.fields[0].type), "\(type)")
            #expect(nullableField.defaultValue == .null)
            // The printed schema parses back.
            #expect(try AvroSchema.parse(nullable.json()) == nullable)
        }
        // Names that would collide get a suffix; field names must be Avro names.
        let clash = try AvroSchema(paimonRowType: RowType([
            field(0, "a_b", notNull(.row(fields: [field(1, "x", notNull(.int))]))),
            field(2, "a", notNull(.row(fields: [field(3, "b", notNull(.row(fields: [field(4, "y", notNull(.int))])))]))),
        ]))
        #expect(try AvroSchema.parse(clash.json()) == clash)
        #expect(clash.json().contains("record_a_b_2"))
        #expect(throws: AvroError.self) { try AvroSchema(paimonRowType: RowType([field(0, "bad name", .string)])) }
    }

    /// Avro schemas written by others → Paimon row types.
    @Test func avroToRowType() throws {
        let schema = try AvroSchema.parse(#"""
            {"type":"record","name":"X","fields":[
              {"name":"b","type":"boolean"},{"name":"i","type":["null","int"]},{"name":"l","type":["long","null"]},
              {"name":"f","type":"float"},{"name":"d","type":"double"},{"name":"s","type":"string"},{"name":"by","type":"bytes"},
              {"name":"fx","type":{"type":"fixed","name":"F","size":5}},{"name":"fx0","type":{"type":"fixed","name":"F0","size":0}},
              {"name":"e","type":{"type":"enum","name":"E","symbols":["A"]}},
              {"name":"u","type":{"type":"string","logicalType":"uuid"}},
              {"name":"dt","type":{"type":"int","logicalType":"date"}},
              {"name":"tm","type":{"type":"int","logicalType":"time-millis"}},
              {"name":"tu","type":{"type":"long","logicalType":"time-micros"}},
              {"name":"t3","type":{"type":"long","logicalType":"timestamp-millis"}},
              {"name":"t6","type":{"type":"long","logicalType":"timestamp-micros"}},
              {"name":"t9","type":{"type":"long","logicalType":"timestamp-nanos"}},
              {"name":"l3","type":{"type":"long","logicalType":"local-timestamp-millis"}},
              {"name":"l6","type":{"type":"long","logicalType":"local-timestamp-micros"}},
              {"name":"l9","type":{"type":"long","logicalType":"local-timestamp-nanos"}},
              {"name":"dec","type":{"type":"bytes","logicalType":"decimal","precision":20,"scale":3}},
              {"name":"decf","type":{"type":"fixed","name":"D","size":8,"logicalType":"decimal","precision":18,"scale":2}},
              {"name":"arr","type":{"type":"array","items":["null","string"]}},
              {"name":"m","type":{"type":"map","values":"long"}},
              {"name":"kv","type":{"type":"array","logicalType":"map","items":{"type":"record","name":"KV","fields":[{"name":"key","type":"int"},{"name":"value","type":["null","double"]}]}}},
              {"name":"r","type":["null",{"type":"record","name":"R","fields":[{"name":"x","type":"int"},{"name":"again","type":"E"}]}]}
            ]}
            """#)
        let rowType = try schema.paimonRowType()
        let expected: [String] = [
            "b BOOLEAN NOT NULL", "i INT", "l BIGINT", "f FLOAT NOT NULL", "d DOUBLE NOT NULL", "s STRING NOT NULL", "by BYTES NOT NULL",
            "fx BINARY(5) NOT NULL", "fx0 BYTES NOT NULL", "e STRING NOT NULL", "u STRING NOT NULL", "dt DATE NOT NULL",
            "tm TIME(3) NOT NULL", "tu TIME(6) NOT NULL", "t3 TIMESTAMP(3) NOT NULL", "t6 TIMESTAMP(6) NOT NULL",
            "t9 TIMESTAMP(9) NOT NULL", "l3 TIMESTAMP(3) WITH LOCAL TIME ZONE NOT NULL", "l6 TIMESTAMP(6) WITH LOCAL TIME ZONE NOT NULL",
            "l9 TIMESTAMP(9) WITH LOCAL TIME ZONE NOT NULL", "dec DECIMAL(20, 3) NOT NULL", "decf DECIMAL(18, 2) NOT NULL",
            "arr ARRAY<STRING> NOT NULL", "m MAP<STRING NOT NULL, BIGINT NOT NULL> NOT NULL", "kv MAP<INT NOT NULL, DOUBLE> NOT NULL",
            "r ROW<x INT NOT NULL, again STRING NOT NULL>",
        ]
        #expect(rowType.fields.map { "\($0.name) \($0.type)" } == expected)
        // Ids are numbered depth first.
        #expect(rowType.fields.last?.id == 25)
        if case .row(let fields) = rowType.fields.last!.type.kind { #expect(fields.map(\.id) == [26, 27]) }
        // Refused: several non-null branches, bare null, recursion, decimals over 38 digits.
        for bad in [
            #"{"type":"record","name":"X","fields":[{"name":"u","type":["int","string"]}]}"#,
            #"{"type":"record","name":"X","fields":[{"name":"n","type":"null"}]}"#,
            #"{"type":"record","name":"X","fields":[{"name":"next","type":["null","X"]}]}"#,
            #"{"type":"record","name":"X","fields":[{"name":"d","type":{"type":"bytes","logicalType":"decimal","precision":39}}]}"#,
            #""int""#,
        ] {
            #expect(throws: AvroError.self, "\(bad)") { try AvroSchema.parse(bad).paimonRowType() }
        }
        // Paimon ≤ 0.8's top-level ["null", record] is accepted.
        #expect(try AvroSchema.parse(#"["null",{"type":"record","name":"X","fields":[{"name":"a","type":"int"}]}]"#).paimonRowType().fieldNames == ["a"])
        // RowType → Avro → RowType keeps what Avro can express.
        let back = try AvroSchema(paimonRowType: Self.manifestEntry).paimonRowType()
        #expect(back.fieldNames == Self.manifestEntry.fieldNames)
    }
}
