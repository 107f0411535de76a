import Foundation
import Testing
import WeirColumnar
import WeirPaimon

@Suite struct TableSchemaTests {
    /// The schema example of Paimon's spec page (`docs/content/concepts/spec/schema.md` at release-1.3.2), written by
    /// Java's Jackson pretty printer.
    static let javaSchemaExample = """
        {
          "version" : 3,
          "id" : 0,
          "fields" : [ {
            "id" : 0,
            "name" : "order_id",
            "type" : "BIGINT NOT NULL"
          }, {
            "id" : 1,
            "name" : "order_name",
            "type" : "STRING"
          }, {
            "id" : 2,
            "name" : "order_user_id",
            "type" : "BIGINT"
          }, {
            "id" : 3,
            "name" : "order_shop_id",
            "type" : "BIGINT"
          } ],
          "highestFieldId" : 3,
          "partitionKeys" : [ ],
          "primaryKeys" : [ "order_id" ],
          "options" : {
            "bucket" : "5"
          },
          "comment" : "",
          "timeMillis" : 1720496663041
        }
        """

    @Test func javaWrittenExamplePrintsByteForByte() throws {
        let schema = try TableSchema(parsing: Array(Self.javaSchemaExample.utf8), subject: "spec example")
        #expect(schema.version == 3)
        #expect(schema.fieldNames == ["order_id", "order_name", "order_user_id", "order_shop_id"])
        #expect(schema.fields[1].type == .string)
        #expect(schema.comment == "")
        #expect(schema.numBuckets == 5)
        #expect(schema.trimmedPrimaryKeys == ["order_id"])
        #expect(schema.toJson() == Self.javaSchemaExample)
    }

    @Test func everyFixtureSchemaParsesPrintsAndReparses() throws {
        var count = 0
        for table in try fixtureTables() {
            for name in try fixtureFiles(table, "schema") {
                let id = try #require(SchemaManager.parseSchemaFileName(name))
                let bytes = try fixtureBytes("\(table)/schema/\(name)")
                let schema = try TableSchema(parsing: bytes, subject: "\(table)/schema/\(name)")
                #expect(schema.id == id)
                #expect(schema.version == 3)
                #expect(schema.comment == nil, "pypaimon writes \"comment\": null")
                try SchemaValidation.validateTableSchema(schema)
                let printed = schema.toJson()
                #expect(printed.contains("\"version\" : 3,\n  \"id\" : \(id),\n  \"fields\" : [ {"))
                #expect(!printed.contains("\"comment\""))
                let again = try TableSchema(parsing: Array(printed.utf8))
                #expect(again == schema)
                #expect(again.toJson() == printed)
                count += 1
            }
        }
        #expect(count == 12)
    }

    @Test func derivedValuesOfFixtureTables() throws {
        let partitioned = try TableSchema(parsing: fixtureBytes("pk_partitioned/schema/schema-0"))
        #expect(partitioned.primaryKeys == ["dt", "id"])
        #expect(partitioned.partitionKeys == ["dt"])
        #expect(partitioned.trimmedPrimaryKeys == ["id"])
        #expect(partitioned.bucketKeys == ["id"])
        #expect(partitioned.numBuckets == 2)
        #expect(partitioned.logicalPartitionType.fields.map(\.type) == [DataType.string.nullable(false)])
        #expect(partitioned.logicalPrimaryKeysType.fieldNames == ["dt", "id"])
        #expect(partitioned.logicalTrimmedPrimaryKeysType.fields.map(\.type) == [DataType(.bigint, nullable: false)])
        #expect(!partitioned.crossPartitionUpdate)
        #expect(BucketMode.of(partitioned) == .hashFixed)
        #expect(partitioned.coreOptions.rowkindField() == "op")
        #expect(partitioned.toJson().contains("\"options\" : {\n    \"bucket\" : \"2\",\n    \"rowkind.field\" : \"op\"\n  },"))

        let fixedAppend = try TableSchema(parsing: fixtureBytes("append_fixed_bucket/schema/schema-0"))
        #expect(fixedAppend.bucketKeys == ["id"])
        #expect(fixedAppend.trimmedPrimaryKeys == [])
        #expect(BucketMode.of(fixedAppend) == .hashFixed)

        let basic = try TableSchema(parsing: fixtureBytes("append_basic/schema/schema-0"))
        #expect(basic.numBuckets == -1)
        #expect(basic.bucketKeys == [])
        #expect(BucketMode.of(basic) == .bucketUnaware)
        #expect(basic.fields.map(\.type.description) == [
            "BIGINT", "TINYINT", "SMALLINT", "INT", "FLOAT", "DOUBLE", "BOOLEAN", "STRING", "DATE", "TIMESTAMP(6)",
            "TIMESTAMP(3)", "DECIMAL(10, 2)", "BYTES",
        ])

        let dynamic = try TableSchema(parsing: fixtureBytes("pk_dynamic_bucket/schema/schema-0"))
        #expect(BucketMode.of(dynamic) == .hashDynamic)

        let evolved = try TableSchema(parsing: fixtureBytes("append_schema_evolution/schema/schema-1"))
        #expect(evolved.fieldNames == ["id", "value", "extra"])
        #expect(evolved.fields.map(\.id) == [0, 1, 2])
        #expect(evolved.highestFieldId == 2)
    }

    @Test func optionsPrintInJavaHashMapOrder() throws {
        // Orders printed by `new HashMap<>()` filled in sorted key order on OpenJDK 17 (a one-off Java program).
        let cases: [[String]] = [
            ["bucket", "file.compression", "file.format"],
            ["bucket", "fields.last_name.aggregate-function", "fields.total.aggregate-function", "fields.min_price.aggregate-function",
             "merge-engine", "fields.cnt.aggregate-function", "fields.max_price.aggregate-function"],
            ["dynamic-bucket.target-row-num", "write-only", "changelog-producer", "manifest.format", "snapshot.num-retained.min", "bucket",
             "sequence.field", "target-file-size", "num-sorted-run.compaction-trigger", "bucket-key", "snapshot.num-retained.max",
             "file.format", "write-buffer-size", "deletion-vectors.enabled"],
        ]
        for javaOrder in cases {
            var options: [String: String] = [:]
            for key in javaOrder { options[key] = key == "bucket" ? "2" : key == "bucket-key" ? "id" : "1" }
            // Schema options and snapshot properties are both printed in this order.
            let schema = try TableSchema(
                id: 0, fields: [DataField(id: 0, name: "id", type: DataType(.bigint))], highestFieldId: 0, partitionKeys: [],
                primaryKeys: [], options: options, timeMillis: 0)
            let snapshot = Snapshot(
                id: 1, schemaId: 0, baseManifestList: "b", deltaManifestList: "d", commitUser: "u", commitIdentifier: 1,
                commitKind: .append, timeMillis: 0, totalRecordCount: 0, deltaRecordCount: 0, properties: options)
            for (node, key, expected) in [
                (schema.jsonNode, "options", javaOrder), (snapshot.jsonNode, "properties", javaOrder),
            ] {
                guard case .object(let members) = node, case .object(let printed)? = members.first(where: { $0.key == key })?.value else {
                    Issue.record("no \(key) object")
                    return
                }
                #expect(printed.map(\.key) == expected)
            }
        }
    }

    @Test func compositeTypesDescriptionsAndDefaultsRoundTrip() throws {
        let text = """
            {"version": 3, "id": 4, "fields": [
              {"id": 0, "name": "k", "type": "INT NOT NULL", "description": "the key"},
              {"id": 1, "name": "tags", "type": {"type": "ARRAY NOT NULL", "element": "VARCHAR(20)"}},
              {"id": 2, "name": "attrs", "type": {"type": "MAP", "key": "STRING NOT NULL", "value": {"type": "MULTISET", "element": "DATE"}}},
              {"id": 3, "name": "addr", "type": {"type": "ROW", "fields": [
                  {"id": 5, "name": "city", "type": "STRING", "defaultValue": "Berlin"},
                  {"id": 6, "name": "geo", "type": {"type": "ROW NOT NULL", "fields": [{"id": 7, "name": "lat", "type": "DOUBLE"}]}}]}},
              {"id": 4, "name": "n", "type": "DECIMAL(38, 10)", "defaultValue": "0"}],
             "highestFieldId": 7, "partitionKeys": [], "primaryKeys": ["k"], "options": {"bucket": "3", "x": 5, "y": true},
             "comment": "with \\"quotes\\"\\n and a tab\\t", "timeMillis": 42, "someFutureKey": {"a": [1, 2]}}
            """
        let schema = try TableSchema(parsing: Array(text.utf8))
        #expect(schema.fields[0].description == "the key")
        #expect(schema.fields[1].type == DataType(.array(element: DataType(.varchar(length: 20)))).nullable(false))
        #expect(schema.defaultValues == [5: "Berlin", 4: "0"])
        #expect(schema.options == ["bucket": "3", "x": "5", "y": "true"])
        #expect(schema.comment == "with \"quotes\"\n and a tab\t")
        guard case .row(let nested) = schema.fields[3].type.kind else {
            Issue.record("addr is not a ROW")
            return
        }
        #expect(nested.map(\.id) == [5, 6])
        #expect(TableSchema.currentHighestFieldId(schema.fields) == 7)
        let printed = schema.toJson()
        #expect(printed.contains("\"type\" : {\n      \"type\" : \"ARRAY NOT NULL\",\n      \"element\" : \"VARCHAR(20)\"\n    }"))
        #expect(printed.contains("\"comment\" : \"with \\\"quotes\\\"\\n and a tab\\t\","))
        #expect(printed.contains("\"defaultValue\" : \"Berlin\""))
        #expect(!printed.contains("someFutureKey"))
        #expect(try TableSchema(parsing: Array(printed.utf8)) == schema)
    }

    @Test func everyAtomicTypeStringParsesAndPrints() throws {
        let cases: [(String, String)] = [
            ("BOOLEAN", "BOOLEAN"), ("tinyint", "TINYINT"), ("SMALLINT NOT NULL", "SMALLINT NOT NULL"), ("INTEGER", "INT"),
            ("INT NULL", "INT"), ("BIGINT", "BIGINT"), ("FLOAT", "FLOAT"), ("DOUBLE PRECISION", "DOUBLE"),
            ("DECIMAL", "DECIMAL(10, 0)"), ("NUMERIC(5)", "DECIMAL(5, 0)"), ("DEC(38,18)", "DECIMAL(38, 18)"),
            ("DECIMAL(10, 2) NOT NULL", "DECIMAL(10, 2) NOT NULL"), ("CHAR", "CHAR(1)"), ("CHAR(5)", "CHAR(5)"),
            ("VARCHAR", "VARCHAR(1)"), ("VARCHAR(2147483647)", "STRING"), ("STRING NOT NULL", "STRING NOT NULL"),
            ("BINARY(16)", "BINARY(16)"), ("VARBINARY(8)", "VARBINARY(8)"), ("BYTES", "BYTES"),
            ("VARBINARY(2147483647)", "BYTES"), ("DATE", "DATE"), ("TIME", "TIME(0)"), ("TIME(3) WITHOUT TIME ZONE", "TIME(3)"),
            ("TIMESTAMP", "TIMESTAMP(6)"), ("TIMESTAMP(9)", "TIMESTAMP(9)"), ("TIMESTAMP(3) WITHOUT TIME ZONE", "TIMESTAMP(3)"),
            ("TIMESTAMP(3) WITH LOCAL TIME ZONE", "TIMESTAMP(3) WITH LOCAL TIME ZONE"), ("TIMESTAMP_LTZ", "TIMESTAMP(6) WITH LOCAL TIME ZONE"),
            ("TIMESTAMP_LTZ(0) NOT NULL", "TIMESTAMP(0) WITH LOCAL TIME ZONE NOT NULL"),
        ]
        for (input, printed) in cases {
            let type = try DataTypeJsonParser.parseAtomicTypeSQLString(input)
            #expect(type.description == printed, "\(input)")
            #expect(try DataTypeJsonParser.parseAtomicTypeSQLString(printed) == type, "\(printed)")
        }
    }

    @Test func badTypeStringsAreErrors() {
        for bad in ["", "FOO", "INT(3)", "DECIMAL(39, 0)", "DECIMAL(5, 6)", "VARCHAR(0)", "TIMESTAMP(10)", "TIME(12)", "CHAR(", "BIGINT NOT",
                    "INT NOT NULL NOT NULL", "VARIANT", "ARRAY<INT>", "DOUBLE PRECISION PRECISION", "TIMESTAMP WITH TIME ZONE",
                    String(repeating: "A", count: 300)] {
            let error = paimonError { _ = try DataTypeJsonParser.parseAtomicTypeSQLString(bad, subject: "test") }
            #expect(error?.subject == "test", "\(bad) should fail")
        }
    }

    @Test func compatibilityDefaultsOfOldVersions() throws {
        func parse(_ version: String, _ options: String) throws -> TableSchema {
            try TableSchema(parsing: Array("""
                {\(version)"id": 0, "fields": [{"id": 0, "name": "a", "type": "INT"}], "highestFieldId": 0,
                 "partitionKeys": [], "primaryKeys": [], "options": {\(options)}}
                """.utf8))
        }
        let v1 = try parse("", "")
        #expect(v1.version == 1)
        #expect(v1.options == ["bucket": "1", "file.format": "orc"])
        #expect(v1.timeMillis == 0)
        #expect(try parse("\"version\": 1,", "\"bucket\": \"3\"").options == ["bucket": "3", "file.format": "orc"])
        #expect(try parse("\"version\": 2,", "").options == ["file.format": "orc"])
        #expect(try parse("\"version\": 2,", "\"file.format\": \"parquet\"").options == ["file.format": "parquet"])
        #expect(try parse("\"version\": 3,", "").options == [:])
        // A parsed old schema keeps its version when printed, as Java's serializer does.
        #expect(v1.toJson().hasPrefix("{\n  \"version\" : 1,"))
    }

    @Test func malformedSchemasNameTheFileAndTheProblem() {
        let good = #"{"version": 3, "id": 0, "fields": [{"id": 0, "name": "a", "type": "INT NOT NULL"}, {"id": 1, "name": "b", "type": "STRING"}], "highestFieldId": 1, "partitionKeys": [], "primaryKeys": [], "options": {}}"#
        let cases: [(String, String)] = [
            (String(good.dropLast(10)), "invalid JSON"),
            ("[1, 2]", "must be a JSON object"),
            (good.replacingOccurrences(of: #""id": 0, "fields""#, with: #""id": "zero", "fields""#), "\"id\" must be an integer"),
            (good.replacingOccurrences(of: #""id": 0, "fields""#, with: #""id": 1.5, "fields""#), "not a 64-bit integer"),
            (good.replacingOccurrences(of: #""fields": ["#, with: #""fieldz": ["#), "missing \"fields\""),
            (good.replacingOccurrences(of: #""type": "STRING""#, with: #""type": "STRANG""#), "unsupported type 'STRANG'"),
            (good.replacingOccurrences(of: #""type": "STRING""#, with: #""type": 7"#), "must be a type string or a type object"),
            (good.replacingOccurrences(of: #""type": "STRING""#, with: #""type": {"type": "LIST", "element": "INT"}"#), "can not parse the composite type"),
            (good.replacingOccurrences(of: #""type": "STRING""#, with: #""type": {"type": "ARRAY"}"#), "missing fields[1].type.element"),
            (good.replacingOccurrences(of: #"{"id": 1, "name": "b""#, with: #"{"name": "b""#), "missing fields[1].id"),
            (good.replacingOccurrences(of: #""id": 1, "name": "b""#, with: #""id": 0, "name": "b""#), "field id 0 is used twice"),
            (good.replacingOccurrences(of: #""name": "b""#, with: #""name": "a""#), "duplicate field name"),
            (good.replacingOccurrences(of: #""highestFieldId": 1"#, with: #""highestFieldId": 0"#), "below the largest field id"),
            (good.replacingOccurrences(of: #""primaryKeys": []"#, with: #""primaryKeys": ["c"]"#), "not a field"),
            (good.replacingOccurrences(of: #""primaryKeys": []"#, with: #""primaryKeys": "a""#), "must be an array of strings"),
            (good.replacingOccurrences(of: #""primaryKeys": []"#, with: #""primaryKeys": ["a"]"#)
                .replacingOccurrences(of: #""partitionKeys": []"#, with: #""partitionKeys": ["a"]"#), "should not be same with partition fields"),
            (good.replacingOccurrences(of: #""options": {}"#, with: #""options": {"bucket": "two"}"#), "option 'bucket'"),
            (good.replacingOccurrences(of: #""options": {}"#, with: #""options": {"bucket": null}"#), "must be a string"),
            (good.replacingOccurrences(of: #""options": {}"#, with: #""options": {"bucket": "2", "bucket-key": "zz"}"#), "should contain all bucket keys"),
            (good.replacingOccurrences(of: #""options": {}"#, with: #""options": {"bucket-key": "a"}"#)
                .replacingOccurrences(of: #""partitionKeys": []"#, with: #""partitionKeys": ["a"]"#), "should not be in partition keys"),
        ]
        for (text, message) in cases {
            let error = paimonError { _ = try TableSchema(parsing: Array(text.utf8), subject: "schema/schema-9") }
            #expect(error != nil, "expected an error containing \(message)")
            if let error {
                #expect(error.subject.hasPrefix("schema/schema-9") || error.subject.hasPrefix("option"), "\(error)")
                #expect(error.description.contains(message), "\(error) should mention \(message)")
            }
        }
        let huge = [UInt8](repeating: UInt8(ascii: " "), count: TableSchema.jsonBytesMax + 1)
        #expect(paimonError { _ = try TableSchema(parsing: huge) }?.message.contains("limit") == true)
        #expect(paimonError { _ = try TableSchema(parsing: [0xFF, 0xFE]) }?.message.contains("UTF-8") == true)
    }

    @Test func createAssignsIdsAndMakesKeysNotNull() throws {
        let schema = try TableSchema.create(
            columns: [
                .init("dt", .string), .init("id", DataType(.bigint)),
                .init("info", DataType(.row(fields: [
                    DataField(id: 99, name: "x", type: DataType(.int)),
                    DataField(id: 99, name: "y", type: DataType(.array(element: DataType(.row(fields: [DataField(id: 0, name: "z", type: .string)]))))),
                ]))),
                .init("v", DataType(.double), description: "value"),
            ],
            options: ["primary-key": "dt, id", "partition": "dt", "bucket": "4", "path": "/tmp/t"], timeMillis: 1_700_000_000_000)
        #expect(schema.primaryKeys == ["dt", "id"])
        #expect(schema.partitionKeys == ["dt"])
        #expect(schema.options == ["bucket": "4"])
        #expect(schema.fields.map(\.id) == [0, 1, 2, 6])
        #expect(schema.highestFieldId == 6)
        #expect(!schema.fields[0].type.isNullable && !schema.fields[1].type.isNullable && schema.fields[3].type.isNullable)
        guard case .row(let info) = schema.fields[2].type.kind, case .array(let element) = info[1].type.kind,
              case .row(let inner) = element.kind else {
            Issue.record("unexpected info type")
            return
        }
        #expect(info.map(\.id) == [3, 4])
        #expect(inner.map(\.id) == [5])
        try SchemaValidation.validateTableSchema(schema)

        let next = try schema.addingColumn("extra", type: DataType(.row(fields: [DataField(id: 0, name: "e", type: DataType(.int))])), timeMillis: 1)
        #expect(next.id == 1)
        #expect(next.fields.last?.id == 7)
        #expect(next.highestFieldId == 8)
        #expect(TableSchema.currentHighestFieldId(next.fields) == 8)
        #expect(paimonError { _ = try next.addingColumn("extra", type: DataType(.int), timeMillis: 2) }?.message.contains("already exists") == true)
        #expect(paimonError { _ = try next.addingColumn("nn", type: DataType(.int, nullable: false), timeMillis: 2) }?.message.contains("NOT NULL") == true)
        #expect(paimonError {
            _ = try TableSchema.create(columns: [.init("a", DataType(.int))], primaryKeys: ["a"], options: ["primary-key": "a"], timeMillis: 0)
        }?.message.contains("at the same time") == true)
    }

    @Test func schemaValidationRules() throws {
        func schema(_ columns: [(String, String)], pk: [String] = [], partition: [String] = [], options: [String: String]) throws -> TableSchema {
            try TableSchema.create(
                columns: try columns.map { .init($0.0, try DataTypeJsonParser.parseAtomicTypeSQLString($0.1)) },
                partitionKeys: partition, primaryKeys: pk, options: options, timeMillis: 0)
        }
        let base = [("id", "BIGINT"), ("dt", "STRING"), ("v", "INT"), ("s", "STRING")]
        try SchemaValidation.validateTableSchema(schema(base, pk: ["id"], options: ["bucket": "4"]))
        try SchemaValidation.validateTableSchema(schema(base, pk: ["id"], options: ["bucket": "-2"]))
        try SchemaValidation.validateTableSchema(schema(base, options: [:]))
        try SchemaValidation.validateTableSchema(schema(base, options: ["bucket": "3", "bucket-key": "id", "bucket-function.type": "mod"]))
        try SchemaValidation.validateTableSchema(schema(base, pk: ["id"], options: ["changelog-producer": "full-compaction", "full-compaction.delta-commits": "2"]))
        try SchemaValidation.validateTableSchema(schema(base, pk: ["id"], options: ["deletion-vectors.enabled": "true", "full-compaction.delta-commits": "1"]))
        let failures: [(TableSchema, String)] = [
            (try schema(base, options: ["bucket": "-1", "bucket-key": "id"]), "bucket-key"),
            (try schema(base, options: ["bucket": "4"]), "define a 'bucket-key'"),
            (try schema(base, options: ["bucket": "0"]), "greater than 0"),
            (try schema(base, options: ["bucket": "-2"]), "greater than 0"),
            (try schema(base, pk: ["id"], options: ["bucket": "-3"]), "greater than 0"),
            (try schema(base, options: ["full-compaction.delta-commits": "1"]), "full-compaction.delta-commits"),
            (try schema(base, options: ["bucket": "2", "bucket-key": "s", "bucket-function.type": "mod"]), "INT or BIGINT"),
            (try schema(base, options: ["changelog-producer": "input"]), "without primary keys"),
            (try schema(base, pk: ["id"], options: ["sequence.field": "nope"]), "can not be found"),
            (try schema(base, pk: ["id"], options: ["sequence.field": "v,v"]), "defined repeatedly"),
            (try schema(base, pk: ["id"], options: ["sequence.field": "v", "fields.v.aggregate-function": "sum"]), "aggregation on sequence field"),
            (try schema(base, pk: ["id"], options: ["sequence.field": "v", "merge-engine": "first-row"]), "FIRST_ROW"),
            (try schema(base, pk: ["id"], partition: ["dt"], options: ["sequence.field": "v"]), "cross partition"),
            (try schema(base, pk: ["id"], options: ["merge-engine": "first-row", "changelog-producer": "input"]), "FIRST_ROW merge engine"),
            (try schema(base, pk: ["id"], options: ["changelog-producer": "lookup", "full-compaction.delta-commits": "2"]),
             "'full-compaction.delta-commits' is incompatible with 'changelog-producer'='lookup'"),
            (try schema(base, pk: ["id"], options: ["merge-engine": "nonsense"]), "expected one of"),
            (try schema(base, options: ["snapshot.num-retained.min": "0"]), "at least 1"),
            (try schema(base, options: ["snapshot.num-retained.min": "20", "snapshot.num-retained.max": "5"]), "not be larger"),
            (try schema(base, options: ["changelog.num-retained.min": "0"]), "changelog.num-retained.min"),
            (try schema([("_VALUE_KIND", "INT")], options: [:]), "cannot be one of"),
            (try schema([("_KEY_id", "INT")], options: [:]), "cannot start with"),
            (try schema(base, pk: ["id"], options: ["rowkind.field": "op"]), "rowkind field"),
            (try schema(base, pk: ["id"], options: ["deletion-vectors.enabled": "true", "changelog-producer": "full-compaction"]), "deletion vectors"),
            (try schema(base, pk: ["id"], options: ["deletion-vectors.enabled": "true", "merge-engine": "first-row"]), "does not need deletion vectors"),
            (try schema(base, pk: ["id"], options: ["write-buffer-size": "lots"]), "write-buffer-size"),
            (try schema(base, pk: ["id"], options: ["metadata.stats-mode": "truncate(0)"]), "larger than zero"),
        ]
        for (s, message) in failures {
            let error = paimonError { try SchemaValidation.validateTableSchema(s) }
            #expect(error?.description.contains(message) == true, "\(s.options): \(String(describing: error)) should mention \(message)")
        }
        let systemId = try TableSchema(
            id: 0, fields: [DataField(id: 1_073_741_823, name: "k", type: DataType(.int))], highestFieldId: 1_073_741_823, partitionKeys: [],
            primaryKeys: [], options: [:], timeMillis: 0)
        #expect(paimonError { try SchemaValidation.validateTableSchema(systemId) }?.message.contains("reserved for system fields") == true)
        // A nullable primary key (only possible in a hand-built schema) and a nested partition key.
        let nullablePK = try TableSchema(
            id: 0, fields: [DataField(id: 0, name: "k", type: DataType(.int))], highestFieldId: 0, partitionKeys: [], primaryKeys: ["k"],
            options: ["bucket": "1"], timeMillis: 0)
        #expect(paimonError { try SchemaValidation.validateTableSchema(nullablePK) }?.message.contains("NOT NULL") == true)
        let nestedPartition = try TableSchema(
            id: 0, fields: [DataField(id: 0, name: "p", type: DataType(.array(element: DataType(.int)))), DataField(id: 1, name: "v", type: DataType(.int))],
            highestFieldId: 1, partitionKeys: ["p"], primaryKeys: [], options: [:], timeMillis: 0)
        #expect(paimonError { try SchemaValidation.validateTableSchema(nestedPartition) }?.message.contains("unsupported") == true)
    }
}
