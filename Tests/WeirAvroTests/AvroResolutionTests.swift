import Testing
import WeirAvro

/// Reader schema vs writer schema, as Paimon reads manifests written by other versions.
@Suite struct AvroResolutionTests {
    func resolve(_ value: AvroValue, writer: String, reader: String) throws(AvroError) -> AvroValue {
        let writerSchema = try AvroSchema.parse(writer)
        let bytes = try AvroDatumWriter(schema: writerSchema).encode(value)
        return try AvroDatumReader(writerSchema: writerSchema, readerSchema: AvroSchema.parse(reader)).decode(bytes)
    }

    @Test func missingFieldsTakeTheirDefaultOrNull() throws {
        let writer = #"{"type":"record","name":"W","fields":[{"name":"a","type":"int"}]}"#
        let reader = #"""
            {"type":"record","name":"R","fields":[
              {"name":"n","type":["null","long"]},
              {"name":"a","type":"int"},
              {"name":"d","type":"string","default":"dflt"},
              {"name":"u","type":["long","null"],"default":5},
              {"name":"z","type":"null"}
            ]}
            """#
        #expect(try resolve(.record([.int(7)]), writer: writer, reader: reader)
                == .record([.union(branch: 0, value: .null), .int(7), .string("dflt"), .union(branch: 0, value: .long(5)), .null]))
        // A NOT NULL field with no default cannot be resolved.
        do {
            _ = try AvroDatumReader(writerSchema: AvroSchema.parse(writer),
                                    readerSchema: AvroSchema.parse(#"{"type":"record","name":"R","fields":[{"name":"b","type":"int"}]}"#))
            Issue.record("resolved a missing NOT NULL field")
        } catch {
            #expect(error.message.contains("field 'b'"), "\(error)")
            #expect(error.location == "$.fields[0]")
        }
    }

    @Test func writerFieldsNotInTheReaderAreSkipped() throws {
        let writer = #"""
            {"type":"record","name":"W","fields":[
              {"name":"s","type":"string"},{"name":"keep","type":"int"},
              {"name":"m","type":{"type":"map","values":{"type":"array","items":"double"}}},
              {"name":"r","type":{"type":"record","name":"X","fields":[{"name":"f","type":{"type":"fixed","name":"F","size":3}},{"name":"b","type":"boolean"}]}},
              {"name":"u","type":["null","string","float"]},
              {"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"]}},
              {"name":"last","type":"long"}
            ]}
            """#
        let value: AvroValue = .record([
            .string("skip me"), .int(1),
            .map([AvroMapEntry(key: "k", value: .array([.double(1), .double(2)]))]),
            .record([.fixed([1, 2, 3]), .boolean(true)]),
            .union(branch: 2, value: .float(1.5)),
            .enumeration("B"),
            .long(-9),
        ])
        let reader = #"{"type":"record","name":"R","fields":[{"name":"last","type":"long"},{"name":"keep","type":"int"}]}"#
        #expect(try resolve(value, writer: writer, reader: reader) == .record([.long(-9), .int(1)]))
    }

    @Test func promotions() throws {
        let cases: [(AvroValue, String, String, AvroValue)] = [
            (.int(-3), #""int""#, #""long""#, .long(-3)),
            (.int(3), #""int""#, #""float""#, .float(3)),
            (.int(3), #""int""#, #""double""#, .double(3)),
            (.long(1 << 40), #""long""#, #""float""#, .float(Float(1 << 40))),
            (.long(1 << 40), #""long""#, #""double""#, .double(Double(1 << 40))),
            (.float(0.1), #""float""#, #""double""#, .double(Double(Float(0.1)))),
            (.string("é"), #""string""#, #""bytes""#, .bytes([0xc3, 0xa9])),
            (.bytes([0x61]), #""bytes""#, #""string""#, .string("a")),
            (.array([.int(1)]), #"{"type":"array","items":"int"}"#, #"{"type":"array","items":"double"}"#, .array([.double(1)])),
            (.map([AvroMapEntry(key: "k", value: .int(2))]), #"{"type":"map","values":"int"}"#, #"{"type":"map","values":"long"}"#,
             .map([AvroMapEntry(key: "k", value: .long(2))])),
        ]
        for (value, writer, reader, expected) in cases {
            #expect(try resolve(value, writer: writer, reader: reader) == expected, "\(writer) → \(reader)")
        }
        // No demotion, and no int → string.
        for (writer, reader) in [(#""long""#, #""int""#), (#""double""#, #""float""#), (#""int""#, #""string""#)] {
            #expect(throws: AvroError.self, "\(writer) → \(reader)") {
                try AvroDatumReader(writerSchema: AvroSchema.parse(writer), readerSchema: AvroSchema.parse(reader))
            }
        }
    }

    @Test func unions() throws {
        // Writer union to a reader that is not a union: each value read as the reader's type.
        #expect(try resolve(.union(branch: 1, value: .int(4)), writer: #"["null","int"]"#, reader: #""long""#) == .long(4))
        // ... a branch the reader cannot read fails only when a value of it is met.
        do {
            _ = try resolve(.union(branch: 0, value: .null), writer: #"["null","int"]"#, reader: #""long""#)
            Issue.record("read a null as a long")
        } catch {
            #expect(error.message.contains("branch 0"), "\(error)")
        }
        // Writer not a union, reader a union: the matching branch, or the first that can read it.
        #expect(try resolve(.int(4), writer: #""int""#, reader: #"["null","int"]"#) == .union(branch: 1, value: .int(4)))
        #expect(try resolve(.int(4), writer: #""int""#, reader: #"["null","string","double"]"#) == .union(branch: 2, value: .double(4)))
        // Union to union: branches matched by type, and named types by name.
        let writer = #"[{"type":"record","name":"A","fields":[{"name":"x","type":"int"}]},{"type":"record","name":"B","fields":[{"name":"y","type":"string"}]}]"#
        let reader = #"["null",{"type":"record","name":"B","fields":[{"name":"y","type":"string"}]},{"type":"record","name":"A","fields":[{"name":"x","type":"long"}]}]"#
        #expect(try resolve(.union(branch: 0, value: .record([.int(1)])), writer: writer, reader: reader) == .union(branch: 2, value: .record([.long(1)])))
        #expect(try resolve(.union(branch: 1, value: .record([.string("s")])), writer: writer, reader: reader) == .union(branch: 1, value: .record([.string("s")])))
    }

    @Test func enumsFixedAndNames() throws {
        let writer = #"{"type":"enum","name":"E","symbols":["A","B","C"]}"#
        let reader = #"{"type":"enum","name":"E","symbols":["C","A","OTHER"],"default":"OTHER"}"#
        #expect(try resolve(.enumeration("A"), writer: writer, reader: reader) == .enumeration("A"))
        #expect(try resolve(.enumeration("B"), writer: writer, reader: reader) == .enumeration("OTHER"))
        // Without a default, an unknown symbol fails when met.
        #expect(throws: AvroError.self) {
            try resolve(.enumeration("B"), writer: writer, reader: #"{"type":"enum","name":"E","symbols":["A"]}"#)
        }
        #expect(throws: AvroError.self) {
            try AvroDatumReader(writerSchema: AvroSchema.parse(#"{"type":"fixed","name":"F","size":2}"#),
                                readerSchema: AvroSchema.parse(#"{"type":"fixed","name":"F","size":3}"#))
        }
        // Records match whatever their names (Java Paimon and pypaimon name manifest records differently), and a
        // reader field's alias matches a writer field.
        let w = #"{"type":"record","name":"ManifestEntry","fields":[{"name":"_OLD","type":"int"}]}"#
        let r = #"{"type":"record","name":"org.apache.paimon.avro.generated.record","fields":[{"name":"_NEW","type":"int","aliases":["_OLD"]}]}"#
        #expect(try resolve(.record([.int(5)]), writer: w, reader: r) == .record([.int(5)]))
    }

    @Test func incompatibleTypesNameTheReaderPath() throws {
        let writer = #"{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"array","items":"string"}}]}"#
        let reader = #"{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"array","items":"int"}}]}"#
        do {
            _ = try AvroDatumReader(writerSchema: AvroSchema.parse(writer), readerSchema: AvroSchema.parse(reader))
            Issue.record("resolved string as int")
        } catch {
            #expect(error.location == "$.fields[0].type.items")
            #expect(error.message.contains("string cannot be read as int"))
        }
    }
}
