import Testing
import WeirCodecs
import WeirColumnar
import WeirFileIO
import WeirTextFormats

@Suite struct TextFormatTests {
    /// A schema with every type, and rows that exercise nulls, quoting and extremes.
    static let schema = RowType([
        DataField(id: 0, name: "id", type: DataType(.bigint, nullable: false)),
        DataField(id: 1, name: "flag", type: DataType(.boolean)),
        DataField(id: 2, name: "i8", type: DataType(.tinyint)),
        DataField(id: 3, name: "f32", type: DataType(.float)),
        DataField(id: 4, name: "f64", type: DataType(.double)),
        DataField(id: 5, name: "amount", type: DataType(.decimal(precision: 10, scale: 2))),
        DataField(id: 6, name: "big", type: DataType(.decimal(precision: 38, scale: 4))),
        DataField(id: 7, name: "name", type: .string),
        DataField(id: 8, name: "bin", type: .bytes),
        DataField(id: 9, name: "day", type: DataType(.date)),
        DataField(id: 10, name: "clock", type: DataType(.time(precision: 3))),
        DataField(id: 11, name: "ts", type: DataType(.timestamp(precision: 6))),
        DataField(id: 12, name: "ts9", type: DataType(.timestampLTZ(precision: 9))),
        DataField(id: 13, name: "tags", type: DataType(.array(element: .string))),
        DataField(id: 14, name: "attrs", type: DataType(.map(key: DataType.string.nullable(false), value: DataType(.int)))),
        DataField(id: 15, name: "address", type: DataType(.row(fields: [
            DataField(id: 16, name: "city", type: .string), DataField(id: 17, name: "zip", type: DataType(.int))]))),
    ])

    static let rows: [[Value]] = [
        [.integer(1), .boolean(true), .integer(-128), .float(1.5), .double(-2.25), .decimal(unscaled: 1230, scale: 2),
         .decimal(unscaled: Int128("12345678901234567890123456789012345678")!, scale: 4), .string("plain"), .bytes([0, 255]),
         .date(days: 19_724), .time(millis: 1_001), .timestamp(1_704_110_401_001_001), .timestamp(-1),
         .list([.string("a"), .null]), .map([.init(key: .string("k"), value: .integer(7))]), .row([.string("Oslo"), .integer(150)])],
        [.integer(Int64.max), .null, .null, .null, .double(.infinity), .null, .null, .string("comma, \"quote\"\nnew line"),
         .null, .null, .null, .null, .null, .null, .null, .null],
        [.integer(Int64.min), .boolean(false), .integer(127), .float(0.1), .double(1e-300), .decimal(unscaled: -1, scale: 2),
         .decimal(unscaled: 0, scale: 4), .string(""), .bytes([]), .date(days: -719_162), .time(millis: 86_399_999),
         .timestamp(0), .timestamp(253_402_300_799_999_999), .list([]), .map([]), .row([.null, .null])],
    ]

    static func batch() throws -> ColumnBatch {
        var builders = schema.fields.map { ColumnBuilder(type: $0.type) }
        for row in rows {
            for (index, value) in row.enumerated() { try builders[index].append(value) }
        }
        let batch = ColumnBatch(schema: schema, columns: builders.map { $0.finish() })
        try batch.validate()
        return batch
    }

    @Test(arguments: TextFile.Format.allCases)
    func everyTypeRoundTrips(_ format: TextFile.Format) async throws {
        let io = MemoryFileIO()
        let path = try StoragePath(parsing: "memory://text/rows.\(format.rawValue)")
        let original = try Self.batch()
        try await TextFile.write(io: io, path: path, format: format, schema: Self.schema, batches: [original], overwrite: false)
        let read = try await TextFile.readBatches(io: io, path: path, format: format, schema: Self.schema)
        #expect(read.count == 1)
        for (index, field) in Self.schema.fields.enumerated() {
            for row in 0..<original.rowCount {
                #expect(read[0].columns[index].value(at: row) == original.columns[index].value(at: row), "\(format) \(field.name) row \(row)")
            }
        }
    }

    @Test func jsonLinesAcceptsNaturalAlternatives() throws {
        let schema = RowType([
            DataField(id: 0, name: "amount", type: DataType(.decimal(precision: 20, scale: 2))),
            DataField(id: 1, name: "attrs", type: DataType(.map(key: .string, value: DataType(.bigint)))),
            DataField(id: 2, name: "ts", type: DataType(.timestamp(precision: 3))),
        ])
        let text = #"""
            {"amount": 123456789012345678.9, "attrs": {"a": 1, "b": null}, "ts": "2024-06-01 00:00:01.5"}

            {"amount": "7", "ts": "2024-06-01"}
            """#
        let batch = try JSONLinesFormat.read(Array(text.utf8), schema: schema)[0]
        #expect(batch.rowCount == 2)
        #expect(batch.columns[0].value(at: 0) == .decimal(unscaled: 12_345_678_901_234_567_890, scale: 2))
        #expect(batch.columns[1].value(at: 0) == .map([.init(key: .string("a"), value: .integer(1)), .init(key: .string("b"), value: .null)]))
        #expect(batch.columns[2].value(at: 0) == .timestamp(1_717_200_001_500))
        #expect(batch.columns[1].value(at: 1) == .null)
        #expect(batch.columns[2].value(at: 1) == .timestamp(1_717_200_000_000))
    }

    @Test(arguments: [
        (#"{"id": 1, "price": "abc"}"#, "line 2: column price: \"abc\" is not a DECIMAL(10, 2)"),
        (#"{"id": 1, "price": 1.234}"#, "line 2: column price: decimal has more than 2 fractional digits"),
        (#"{"price": "1.00"}"#, "line 2: column id: missing, and the column is NOT NULL"),
        (#"{"id": 1, "cost": 1}"#, "line 2: no column named 'cost'"),
        (#"{"id": 1.5}"#, "line 2: column id: 1.5 is not a BIGINT"),
        (#"{"id": 1, "day": "2024-02-30"}"#, "line 2: column day: \"2024-02-30\" is not a DATE"),
        (#"{"id": 1,"#, "line 2: invalid JSON"),
        (#"[1, 2]"#, "line 2: expected a JSON object"),
        (#"{"id": 9223372036854775808}"#, "line 2: column id: 9223372036854775808 is not a BIGINT"),
    ])
    func jsonLinesErrorsNameTheLineAndColumn(_ badLine: String, _ message: String) {
        let schema = RowType([
            DataField(id: 0, name: "id", type: DataType(.bigint, nullable: false)),
            DataField(id: 1, name: "price", type: DataType(.decimal(precision: 10, scale: 2))),
            DataField(id: 2, name: "day", type: DataType(.date)),
        ])
        let text = #"{"id": 0, "price": "1.00"}"# + "\n" + badLine + "\n"
        #expect { try JSONLinesFormat.read(Array(text.utf8), schema: schema) } throws: {
            ($0 as? ColumnarError)?.description.hasPrefix(message) == true
        }
    }

    @Test(arguments: [
        ("id,price\n1,abc\n", "line 2: column price: \"abc\" is not a DECIMAL(10, 2)"),
        ("id,cost\n1,2\n", "line 1: header field 2 'cost' is not a column"),
        ("id,price\n1,2.00,3\n", "line 2: 3 fields, the header has 2"),
        ("id,price\n,2.00\n", "line 2: column id: null in a NOT NULL BIGINT NOT NULL column"),
        ("id,price\n1,\"2.00\n", "line 2: a quoted field is not closed"),
        ("id,price\n1,2\"0\"\n", "line 2: a quote inside an unquoted field"),
        ("", "line 1: the file is empty"),
    ])
    func csvErrorsNameTheLineAndColumn(_ text: String, _ message: String) {
        let schema = RowType([
            DataField(id: 0, name: "id", type: DataType(.bigint, nullable: false)),
            DataField(id: 1, name: "price", type: DataType(.decimal(precision: 10, scale: 2))),
        ])
        #expect { try CSVFormat.read(Array(text.utf8), schema: schema) } throws: {
            ($0 as? ColumnarError)?.description.hasPrefix(message) == true
        }
    }

    @Test func schemaDocumentsReadPaimonShapes() throws {
        let json = #"""
            {"fields": [{"name": "id", "type": "BIGINT"},
                        {"name": "tags", "type": {"type": "ARRAY NOT NULL", "element": "STRING"}},
                        {"name": "address", "type": {"type": "ROW", "fields": [{"name": "city", "type": "STRING"}, {"name": "zip", "type": "INT"}]}},
                        {"name": "score", "type": "DECIMAL(5, 2)"}],
             "primaryKeys": ["id"], "partitionKeys": [], "options": {"bucket": "4", "write-only": true}}
            """#
        let document = try SchemaDocument(parsing: Array(json.utf8))
        #expect(document.rowType.fields.map(\.id) == [0, 1, 2, 5])
        #expect(document.highestFieldId == 5)
        #expect(document.rowType.fields[0].type == DataType(.bigint, nullable: false), "primary keys become NOT NULL")
        #expect(document.rowType.fields[1].type.description == "ARRAY<STRING> NOT NULL")
        #expect(document.rowType.fields[2].type.description == "ROW<city STRING, zip INT>")
        #expect(document.options == ["bucket": "4", "write-only": "true"])
        #expect(document.primaryKeys == ["id"])
    }

    @Test(arguments: [
        (#"{"fields": []}"#, "non-empty \"fields\""),
        (#"{"fields": [{"name": "a", "type": "INTT"}]}"#, "fields[0] (a): type 'INTT'"),
        (#"{"fields": [{"name": "a", "type": "INT"}, {"name": "a", "type": "INT"}]}"#, "duplicate field name 'a'"),
        (#"{"fields": [{"name": "a", "type": "INT", "id": 3}, {"name": "b", "type": "INT", "id": 3}]}"#, "field id 3 is used twice"),
        (#"{"fields": [{"name": "a", "type": "INT"}], "primaryKeys": ["b"]}"#, "'b' in primaryKeys or partitionKeys is not a field"),
        (#"{"fields": [{"name": "a", "type": {"type": "MAP", "key": "INT"}}]}"#, "MAP needs \"value\""),
        (#"[1]"#, "must be a JSON object"),
    ])
    func schemaDocumentErrorsSayWhatIsWrong(_ json: String, _ fragment: String) {
        #expect { try SchemaDocument(parsing: Array(json.utf8)) } throws: {
            ($0 as? ColumnarError)?.description.contains(fragment) == true
        }
    }

    @Test func jsonParserRejectsMalformedAndDeepInput() throws {
        for bad in ["{\"a\" 1}", "[1,]", "\"\\x\"", "\"\u{01}\"", "01x", "{\"a\":1,\"a\":2}", "\"\\ud800\"", "1.", "-", "tru",
                    String(repeating: "[", count: 100) + String(repeating: "]", count: 100)] {
            #expect(throws: CodecError.self, "\(bad)") { try JSONNode.parse(bad[...]) }
        }
        #expect(try JSONNode.parse(#"{"s": "\u00e9\ud83d\ude00", "n": -1.5e3}"#) ==
                .object([("s", .string("é😀")), ("n", .number("-1.5e3"))]))
    }
}
