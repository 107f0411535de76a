import Testing
import WeirCatalog

/// The fileset location algorithm of spec/gravitino-api.md section 6, case by case.
@Suite struct FilesetLocationsTests {
    func resolve(catalog: [String: String] = [:], schema: [String: String] = [:], type: FilesetType = .managed,
                 requested: [String: String] = [:], properties: [String: String] = [:]) throws -> ([String: String], [String: String]) {
        let r = try FilesetLocations.resolve(catalog: "cat", catalogProperties: catalog, schema: "sch", schemaProperties: schema,
                                             fileset: "fs", type: type, requested: requested, properties: properties)
        return (r.locations, r.properties)
    }

    @Test func singleRequestedLocationIsNormalisedToFileColonSlash() throws {
        let (locations, properties) = try resolve(requested: ["unknown": "/tmp/TestFilesetCatalog/"])
        #expect(locations == ["unknown": "file:/tmp/TestFilesetCatalog"])
        #expect(properties == ["default-location-name": "unknown"])
        #expect(FilesetLocations.normalise("file:///tmp/x") == "file:/tmp/x")
        #expect(FilesetLocations.normalise("s3a://bucket/a/") == "s3a://bucket/a")
    }

    @Test func catalogAndSchemaBasesCombineWithRequestedNames() throws {
        let (locations, _) = try resolve(catalog: ["location": "/tmp/test1"], requested: ["location1": "/tmp/l1", "location2": "s3a://b/l2"],
                                         properties: ["default-location-name": "location1"])
        #expect(locations == ["unknown": "file:/tmp/test1/sch/fs", "location1": "file:/tmp/l1", "location2": "s3a://b/l2"])
        let (schemaOverride, _) = try resolve(catalog: ["location": "/a"], schema: ["location": "/b/custom"])
        #expect(schemaOverride == ["unknown": "file:/b/custom/fs"])
    }

    @Test func placeholdersAreSubstitutedAndUnknownOnesRefused() throws {
        let (locations, _) = try resolve(catalog: ["location-hot": "/w/{{catalog}}/{{schema}}/{{fileset}}-{{ver}}"], properties: ["placeholder-ver": "v2"])
        #expect(locations == ["hot": "file:/w/cat/sch/fs-v2"])
        #expect(throws: CatalogError.self) { try resolve(catalog: ["location": "/w/{{nope}}"]) }
        #expect(throws: CatalogError.self) { try resolve(catalog: ["location": "/w/{{x}}"], properties: ["placeholder-x": "../etc"]) }
    }

    @Test func errorsForMissingLocationsAndDefaultNames() throws {
        #expect(throws: CatalogError.self) { try resolve() }
        #expect(throws: CatalogError.self) { try resolve(type: .external) }
        #expect(throws: CatalogError.self) { try resolve(requested: ["a": "/x", "b": "/y"]) }
        #expect(throws: CatalogError.self) { try resolve(requested: ["a": "/x"], properties: ["default-location-name": "b"]) }
        #expect(throws: CatalogError.self) { try resolve(requested: ["unknown": "/x/../etc"]) }
    }

    @Test func fileLocationAppendsSubPathsExactly() throws {
        #expect(try FilesetLocations.fileLocation("file:/tmp/f", subPath: "/test/test.txt") == "file:/tmp/f/test/test.txt")
        #expect(try FilesetLocations.fileLocation("file:/tmp/f/", subPath: "a/b") == "file:/tmp/f/a/b")
        #expect(try FilesetLocations.fileLocation("s3://b/f", subPath: "  ") == "s3://b/f")
        #expect(try FilesetLocations.fileLocation("file:/tmp/f", subPath: "/dir/") == "file:/tmp/f/dir/")
    }

    @Test(arguments: ["/../etc/passwd", "a/../../b", "..", "/a/./b", "%2e%2e/x", "/a%2Fb", "a\\..\\b", "file:/etc/passwd", "s3://other/x", "//etc",
                      "/a\u{0}b", "/%252e%252e/x", String(repeating: "a/", count: 3000)])
    func subPathsThatCouldEscapeAreRefused(subPath: String) {
        #expect(throws: CatalogError.self) { try FilesetLocations.fileLocation("file:/tmp/f", subPath: subPath) }
    }
}

/// Gravitino types to PostgreSQL types and back.
@Suite struct PostgresTypeMappingTests {
    @Test func primitiveTypesRoundTrip() throws {
        for type in ["boolean", "short", "integer", "long", "float", "double", "decimal(10,2)", "date", "time", "time(3)", "timestamp", "timestamp(6)",
                     "timestamp_tz", "timestamp_tz(3)", "string", "varchar(20)", "char(4)", "binary", "uuid"] {
            let pg = try PostgresTypeMapping.postgresType(.string(type), column: "c")
            let formatted = [
                "short": "smallint", "float": "real", "double": "double precision", "decimal(10,2)": "numeric(10,2)", "time": "time without time zone",
                "time(3)": "time(3) without time zone", "timestamp": "timestamp without time zone", "timestamp(6)": "timestamp(6) without time zone",
                "timestamp_tz": "timestamp with time zone", "timestamp_tz(3)": "timestamp(3) with time zone", "string": "text",
                "varchar(20)": "character varying(20)", "char(4)": "character(4)", "binary": "bytea",
            ][type] ?? pg
            #expect(PostgresTypeMapping.gravitinoType(formatted) == .string(type), "\(type) → \(pg) → \(formatted)")
        }
        #expect(PostgresTypeMapping.gravitinoType("integer[]") == .object(["type": .string("list"), "elementType": .string("integer"), "containsNull": .bool(true)]))
        #expect(PostgresTypeMapping.gravitinoType("jsonb") == .object(["type": .string("unparsed"), "unparsedType": .string("jsonb")]))
        #expect(throws: CatalogError.self) { try PostgresTypeMapping.postgresType(.object(["type": .string("map"), "keyType": .string("string"), "valueType": .string("long")]), column: "m") }
    }
}
