import Testing
import WeirAvro

/// Schema JSON: parsing, printing, and parsing the printed text back to an equal schema.
@Suite struct AvroSchemaTests {
    /// One schema of every kind and every logical type.
    static let schemas: [String] = [
        #""null""#, #""boolean""#, #""int""#, #""long""#, #""float""#, #""double""#, #""bytes""#, #""string""#,
        #"{"type":"int","logicalType":"date"}"#,
        #"{"type":"int","logicalType":"time-millis"}"#,
        #"{"type":"long","logicalType":"time-micros"}"#,
        #"{"type":"long","logicalType":"timestamp-millis"}"#,
        #"{"type":"long","logicalType":"timestamp-micros"}"#,
        #"{"type":"long","logicalType":"timestamp-nanos"}"#,
        #"{"type":"long","logicalType":"local-timestamp-millis"}"#,
        #"{"type":"long","logicalType":"local-timestamp-micros"}"#,
        #"{"type":"long","logicalType":"local-timestamp-nanos"}"#,
        #"{"type":"string","logicalType":"uuid"}"#,
        #"{"type":"bytes","logicalType":"decimal","precision":38,"scale":10}"#,
        #"{"type":"fixed","name":"D","size":16,"logicalType":"decimal","precision":38,"scale":2}"#,
        #"{"type":"fixed","name":"U","size":16,"logicalType":"uuid"}"#,
        #"{"type":"fixed","name":"Dur","size":12,"logicalType":"duration"}"#,
        #"{"type":"array","items":"long"}"#,
        #"{"type":"map","values":["null","string"]}"#,
        #"{"type":"enum","name":"Suit","namespace":"cards","doc":"d","aliases":["Colour"],"symbols":["S","H"],"default":"H"}"#,
        #"["null","int",{"type":"fixed","name":"F","size":3},{"type":"enum","name":"E","symbols":["A"]},{"type":"array","items":"F"}]"#,
        #"""
        {"type":"record","name":"Top","namespace":"a.b","doc":"top","aliases":["Old"],"fields":[
          {"name":"i","type":"int","default":7,"doc":"an int","aliases":["j"],"order":"descending"},
          {"name":"f","type":"float","default":"NaN"},
          {"name":"d","type":"double","default":1.5},
          {"name":"by","type":"bytes","default":"\u00ff\u0000a"},
          {"name":"s","type":"string","default":"x"},
          {"name":"b","type":"boolean","default":true},
          {"name":"n","type":["null","long"],"default":null},
          {"name":"arr","type":{"type":"array","items":"int"},"default":[1,2]},
          {"name":"m","type":{"type":"map","values":"long"},"default":{"k":1}},
          {"name":"inner","type":{"type":"record","name":"Inner","fields":[{"name":"x","type":"int"}]},"default":{"x":3}},
          {"name":"other","type":{"type":"record","name":"Other","namespace":"","fields":[{"name":"y","type":"a.b.Inner"}]}},
          {"name":"again","type":"Inner"},
          {"name":"full","type":"a.b.Inner"},
          {"name":"plain","type":"Other"},
          {"name":"e","type":{"type":"enum","name":"E","symbols":["X","Y"]},"default":"Y"},
          {"name":"fx","type":{"type":"fixed","name":"Four","size":4},"default":"abcd"},
          {"name":"next","type":["null","Top"],"default":null}
        ]}
        """#,
        #"{"type":"error","name":"Oops","fields":[{"name":"message","type":"string"}]}"#,
        #"{"type":"array","items":{"type":"record","name":"KV","fields":[{"name":"key","type":"int"},{"name":"value","type":"string"}]},"logicalType":"map"}"#,
    ]

    @Test(arguments: schemas.indices)
    func parsePrintParse(_ index: Int) throws {
        let schema = try AvroSchema.parse(Self.schemas[index])
        let printed = schema.json()
        let again = try AvroSchema.parse(printed)
        #expect(again == schema, "\(printed)")
        #expect(again.json() == printed)
        let pretty = try AvroSchema.parse(schema.json(pretty: true))
        #expect(pretty == schema)
    }

    @Test func logicalTypesAreRecognised() throws {
        let cases: [(String, AvroLogicalType?)] = [
            (#"{"type":"int","logicalType":"date"}"#, .date),
            (#"{"type":"int","logicalType":"time-millis"}"#, .timeMillis),
            (#"{"type":"long","logicalType":"time-micros"}"#, .timeMicros),
            (#"{"type":"long","logicalType":"timestamp-millis"}"#, .timestampMillis),
            (#"{"type":"long","logicalType":"timestamp-micros"}"#, .timestampMicros),
            (#"{"type":"long","logicalType":"timestamp-nanos"}"#, .timestampNanos),
            (#"{"type":"long","logicalType":"local-timestamp-millis"}"#, .localTimestampMillis),
            (#"{"type":"long","logicalType":"local-timestamp-micros"}"#, .localTimestampMicros),
            (#"{"type":"long","logicalType":"local-timestamp-nanos"}"#, .localTimestampNanos),
            (#"{"type":"string","logicalType":"uuid"}"#, .uuid),
            (#"{"type":"bytes","logicalType":"decimal","precision":9}"#, .decimal(precision: 9, scale: 0)),
            (#"{"type":"fixed","name":"F","size":8,"logicalType":"decimal","precision":18,"scale":3}"#, .decimal(precision: 18, scale: 3)),
            (#"{"type":"array","items":"int","logicalType":"map"}"#, .other("map")),
            // Invalid for the base type or its attributes: ignored, as the specification asks.
            (#"{"type":"string","logicalType":"date"}"#, nil),
            (#"{"type":"int","logicalType":"timestamp-millis"}"#, nil),
            (#"{"type":"bytes","logicalType":"decimal","precision":4,"scale":5}"#, nil),
            (#"{"type":"bytes","logicalType":"decimal","precision":0}"#, nil),
            (#"{"type":"fixed","name":"F","size":8,"logicalType":"decimal","precision":19}"#, nil),
            (#"{"type":"fixed","name":"F","size":15,"logicalType":"uuid"}"#, nil),
        ]
        for (text, expected) in cases {
            #expect(try AvroSchema.parse(text).logicalType == expected, "\(text)")
        }
        // ⌊log10(2^(8n-1) - 1)⌋: 2 digits in 1 byte, 18 in 8, 38 in 16.
        #expect(try AvroSchema.parse(#"{"type":"fixed","name":"F","size":1,"logicalType":"decimal","precision":2}"#).logicalType == .decimal(precision: 2, scale: 0))
        #expect(try AvroSchema.parse(#"{"type":"fixed","name":"F","size":1,"logicalType":"decimal","precision":3}"#).logicalType == nil)
        #expect(try AvroSchema.parse(#"{"type":"fixed","name":"F","size":16,"logicalType":"decimal","precision":38}"#).logicalType == .decimal(precision: 38, scale: 0))
    }

    @Test func namesAndNamespaces() throws {
        let schema = try AvroSchema.parse(#"""
            {"type":"record","name":"R","namespace":"x.y","fields":[
              {"name":"a","type":{"type":"fixed","name":"F","size":2}},
              {"name":"b","type":{"type":"enum","name":"z.E","symbols":["A"]}},
              {"name":"c","type":{"type":"record","name":"N","namespace":"","fields":[{"name":"d","type":"x.y.F"}]}},
              {"name":"e","type":"z.E"},
              {"name":"f","type":"N"}
            ]}
            """#)
        let record = try #require(schema.record)
        #expect(record.name.fullName == "x.y.R")
        #expect(record.name.name == "R" && record.name.namespace == "x.y")
        #expect(record.fields[0].type.fullName == "x.y.F")
        #expect(record.fields[1].type.fullName == "z.E")
        #expect(record.fields[2].type.fullName == "N")
        // Inside N (null namespace) x.y.F needs its full name, and prints with it.
        let inner = try #require(record.fields[2].type.record)
        #expect(inner.fields[0].type == .reference("x.y.F"))
        #expect(record.fields[3].type == .reference("z.E"))
        #expect(record.fields[4].type == .reference("N"))
        // Java's printed shape: simple names, namespace only where it changes.
        let printed = schema.json()
        #expect(printed.hasPrefix(#"{"type":"record","name":"R","namespace":"x.y","fields":"#))
        #expect(printed.contains(#"{"type":"enum","name":"E","namespace":"z","symbols":["A"]}"#))
        #expect(printed.contains(#"{"type":"record","name":"N","namespace":"","fields""#))
        #expect(printed.contains(#"{"name":"d","type":"x.y.F"}"#))
        #expect(printed.contains(#"{"name":"a","type":{"type":"fixed","name":"F","size":2}}"#))
        #expect(try AvroSchema.parse(printed) == schema)
        // A simple name not defined in the current namespace is unknown, even if another namespace has it.
        #expect(throws: AvroError.self) {
            try AvroSchema.parse(#"{"type":"record","name":"R","namespace":"x","fields":[{"name":"a","type":{"type":"fixed","name":"F","size":1}},{"name":"n","type":{"type":"record","name":"N","namespace":"q","fields":[{"name":"b","type":"F"}]}}]}"#)
        }
    }

    @Test func recursiveTypesParseAndPrint() throws {
        let text = #"{"type":"record","name":"List","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","List"]}]}"#
        let schema = try AvroSchema.parse(text)
        #expect(schema.json() == text)
        #expect(schema.record?.fields[1].type == .nullable(.reference("List")))
    }

    @Test func defaultsAreCheckedAgainstTheirType() throws {
        let schema = try AvroSchema.parse(#"""
            {"type":"record","name":"R","fields":[
              {"name":"u","type":["string","null"],"default":"x"},
              {"name":"v","type":["null","string"],"default":null},
              {"name":"w","type":["int","string"],"default":"late branch"},
              {"name":"big","type":"long","default":9223372036854775807},
              {"name":"inf","type":"double","default":"-Infinity"}
            ]}
            """#)
        let fields = try #require(schema.record?.fields)
        #expect(fields[0].defaultValue == .string("x"))
        #expect(fields[1].defaultValue == .null)
        #expect(fields[3].defaultValue == .integer(Int64.max))
    }

    /// Each bad schema fails with an AvroError naming the JSON path of the problem.
    @Test func errorsNameThePath() {
        let cases: [(String, String, String)] = [
            (#"{"type":"record","name":"R","fields":[{"name":"a","type":"Nope"}]}"#, "$.fields[0].type", "unknown type 'Nope'"),
            (#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"a","type":"long"}]}"#, "$.fields[1].name", "appears twice"),
            (#"{"type":"record","name":"R","fields":[{"name":"a-b","type":"int"}]}"#, "$.fields[0].name", "not a valid field name"),
            (#"{"type":"record","name":"1R","fields":[]}"#, "$.name", "not a valid name"),
            (#"{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":"x"}]}"#, "$.fields[0].default", "not a valid int"),
            (#"{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":3000000000}]}"#, "$.fields[0].default", "not a valid int"),
            (#"{"type":"record","name":"R","fields":[{"name":"a","type":["null","int"],"default":"x"}]}"#, "$.fields[0].default", "not a valid union"),
            (#"{"type":"record","name":"R","fields":[{"name":"f","type":{"type":"fixed","name":"F","size":2},"default":"abc"}]}"#, "$.fields[0].default", "not a valid fixed"),
            (#"{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"array","items":{"type":"map"}}}]}"#, "$.fields[0].type.items", "no \"values\""),
            (#"["int",["long"]]"#, "$[1]", "another union"),
            (#"["int","int"]"#, "$[1]", "two branches of type 'int'"),
            (#"{"type":"enum","name":"E","symbols":["A","A"]}"#, "$.symbols[1]", "appears twice"),
            (#"{"type":"enum","name":"E","symbols":["A"],"default":"B"}"#, "$.default", "not one of the symbols"),
            (#"{"type":"fixed","name":"F","size":-1}"#, "$", "needs a \"size\""),
            (#"{"type":"record","name":"int","fields":[]}"#, "$.name", "primitive type"),
            (#"[{"type":"fixed","name":"F","size":1},{"type":"fixed","name":"F","size":2}]"#, "$[1].name", "defined twice"),
            (#"{"type":"record","name":"R","fields":[{"name":"a","type":"int","order":"up"}]}"#, "$.fields[0].order", "order 'up'"),
            (#"{"name":"x"}"#, "$", "no \"type\""),
            (#"42"#, "$", "not a number"),
            (#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}"#, "", "not valid JSON"),
        ]
        for (text, path, message) in cases {
            do {
                _ = try AvroSchema.parse(text)
                Issue.record("parsed: \(text)")
            } catch {
                #expect(error.location == path, "\(text): \(error)")
                #expect(error.message.contains(message) || (message == "not a number" && error.message.contains("a number")), "\(text): \(error)")
            }
        }
    }

    @Test func limitsBoundSizeAndDepth() {
        let deep = String(repeating: #"{"type":"array","items":"#, count: 100) + #""int""# + String(repeating: "}", count: 100)
        #expect(throws: AvroError.self) { try AvroSchema.parse(deep) }
        let deeperThanJSON = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        do {
            _ = try AvroSchema.parse(deeperThanJSON)
            Issue.record("parsed a 100 000-deep JSON array")
        } catch {
            #expect(error.message.contains("nests deeper"))
        }
        var limits = AvroLimits()
        limits.schemaJSONBytesMax = 100
        #expect(throws: AvroError.self) { try AvroSchema.parse(String(repeating: " ", count: 200) + #""int""#, limits: limits) }
        // Within the default limits, 60 levels are fine.
        let fine = String(repeating: #"{"type":"array","items":"#, count: 60) + #""int""# + String(repeating: "}", count: 60)
        #expect((try? AvroSchema.parse(fine)) != nil)
    }
}
