import Foundation
import Testing
import WeirCatalog
import WeirHTTP
import WeirTestSupport

/// Shapes, codes, type names and transport quirks of the REST API (spec/gravitino-api.md sections 1 to 6).
@Suite struct GravitinoShapeTests {
    @Test func versionHandshakeAndTransportRules() async throws {
        let scratch = try Scratch("http"); defer { scratch.remove() }
        try await APIHarness.withClient(try await APIHarness.service(scratch)) { api in
            let version = try await api.ok("GET", "/api/version")
            let v = version["version"] as? [String: Any]
            #expect(v?["version"] as? String == "1.3.1" && v?["compileDate"] is String && v?["gitCommit"] is String)
            try await api.fails("GET", "/api/version", code: 1000, type: "NotAcceptableException", headers: ["accept": "application/vnd.gravitino.v2+json"])
            #expect(try await api.send("GET", "/api/version", headers: ["accept": "application/vnd.gravitino.v2+json"]).status == 406)
            try await api.fails("GET", "/api/nothing/here", code: 1003, type: "NotFoundException")
            try await api.fails("GET", "/", code: 1003, type: "NotFoundException")
            let wrongMethod = try await api.fails("DELETE", "/api/version", code: 1006, type: "UnsupportedOperationException")
            #expect(wrongMethod.status == 405)
            let close = try await api.send("CLOSE", "/")
            #expect(close.status == 200 && close.text.isEmpty)
            try await api.fails("POST", "/api/metalakes", "{not json", code: 1001, type: "IllegalArgumentException")
            try await api.fails("POST", "/api/metalakes", #"{"name": 5}"#, code: 1001, type: "IllegalArgumentException")
            try await api.fails("POST", "/api/metalakes", #"{"name": "m", "properties": {"a": 1}}"#, code: 1001, type: "IllegalArgumentException")
            try await api.fails("POST", "/api/metalakes", "", code: 1001, type: "IllegalArgumentException")
            let big = #"{"name":"m","comment":""# + String(repeating: "x", count: 1_100_000) + #""}"#
            let tooBig = try await api.fails("POST", "/api/metalakes", big, code: 1001, type: "IllegalArgumentException")
            #expect(tooBig.status == 413)
            try await api.fails("GET", "/api/metalakes/a%ZZ", code: 1001, type: "IllegalArgumentException")
            try await api.fails("GET", "/api/metalakes/a%00b", code: 1001, type: "IllegalArgumentException")
        }
    }

    @Test func metalakeShapesAuditAndInUse() async throws {
        let scratch = try Scratch("http"); defer { scratch.remove() }
        try await APIHarness.withClient(try await APIHarness.service(scratch)) { api in
            let basicAlice = "Basic " + Data("alice:dummy".utf8).base64EncodedString()
            let created = try await api.ok("POST", "/api/metalakes", #"{"name":"ml","comment":"c","properties":{"k":"v"}}"#, headers: ["authorization": basicAlice])
            let m = created["metalake"] as? [String: Any]
            #expect(m?["properties"] as? [String: String] == ["k": "v"])  // echoed exactly, no in-use
            let audit = m?["audit"] as? [String: String]
            #expect(audit?["creator"] == "alice" && audit?["lastModifier"] == "alice")
            #expect(audit?["createTime"]?.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression) != nil)
            let loaded = try await api.ok("GET", "/api/metalakes/ml")["metalake"] as? [String: Any]
            #expect(loaded?["properties"] as? [String: String] == ["k": "v", "in-use": "true"])
            try await api.fails("POST", "/api/metalakes", #"{"name":"ml"}"#, code: 1004, type: "MetalakeAlreadyExistsException")
            try await api.fails("POST", "/api/metalakes", #"{"name":"a/b"}"#, code: 1001, type: "IllegalArgumentException")
            try await api.fails("POST", "/api/metalakes", #"{"name":"a..b"}"#, code: 1001, type: "IllegalArgumentException")
            try await api.fails("POST", "/api/metalakes", #"{"name":"a\u0001b"}"#, code: 1001, type: "IllegalArgumentException")
            // Raw-path splitting: %2F stays inside the segment (a metalake lookup, not an unknown route).
            try await api.fails("GET", "/api/metalakes/a%2Fb", code: 1003, type: "NoSuchMetalakeException")
            let anonymous = try await api.ok("POST", "/api/metalakes", #"{"name":"ml2","comment":null,"properties":null}"#)
            #expect((anonymous["metalake"] as? [String: Any]).flatMap { $0["audit"] as? [String: String] }?["creator"] == "anonymous")
            #expect((anonymous["metalake"] as? [String: Any])?["comment"] is NSNull)  // written as null, not left out
            let renamed = try await api.ok("PUT", "/api/metalakes/ml2", #"{"updates":[{"@type":"rename","newName":"ml3"},{"@type":"setProperty","property":"a","value":"b"}]}"#)
            #expect((renamed["metalake"] as? [String: Any])?["name"] as? String == "ml3")
            try await api.fails("PUT", "/api/metalakes/ml3", #"{"updates":[{"@type":"explode"}]}"#, code: 1001, type: "IllegalArgumentException")
            try await api.fails("PUT", "/api/metalakes/ml3", #"{"updates":[{"@type":"rename","newName":"ml"}]}"#, code: 1004, type: "MetalakeAlreadyExistsException")
            // Drop: in use → 1010; disable (PATCH, case-insensitive header and query booleans) then drop.
            try await api.fails("DELETE", "/api/metalakes/ml3", code: 1010, type: "MetalakeInUseException")
            try await api.ok("PATCH", "/api/metalakes/ml3", #"{"inUse":false}"#)
            try await api.fails("PUT", "/api/metalakes/ml3", #"{"updates":[]}"#, code: 1009, type: "MetalakeNotInUseException")
            #expect((try await api.ok("GET", "/api/metalakes")["metalakes"] as? [[String: Any]])?.count == 2)
            #expect(try await api.ok("DELETE", "/api/metalakes/ml3?force=False")["dropped"] as? Bool == true)
            #expect(try await api.ok("DELETE", "/api/metalakes/ml3")["dropped"] as? Bool == false)
            try await api.ok("POST", "/api/metalakes/ml/catalogs", #"{"name":"c","type":"MODEL","provider":null}"#)
            #expect(try await api.ok("DELETE", "/api/metalakes/ml?force=True")["dropped"] as? Bool == true)
        }
    }

    @Test func catalogsSchemasTablesAndTheirErrors() async throws {
        let scratch = try Scratch("http"); defer { scratch.remove() }
        try await APIHarness.withClient(try await APIHarness.service(scratch)) { api in
            try await api.ok("POST", "/api/metalakes", #"{"name":"ml"}"#)
            let hive = try await api.ok("POST", "/api/metalakes/ml/catalogs", #"{"name":"h","type":"relational","provider":"hive","properties":{"metastore.uris":"thrift://x"}}"#)
            let props = (hive["catalog"] as? [String: Any])?["properties"] as? [String: String]
            #expect(props == ["metastore.uris": "thrift://x", "in-use": "true", "weir.metadata-only": "true"])
            let fileset = try await api.ok("POST", "/api/metalakes/ml/catalogs", #"{"name":"f","type":"fileset","provider":"hadoop","properties":{"location":"/tmp/x"}}"#)
            #expect((fileset["catalog"] as? [String: Any])?["provider"] as? String == "fileset")
            #expect((fileset["catalog"] as? [String: Any])?["properties"] as? [String: String] == ["location": "/tmp/x", "in-use": "true"])
            try await api.fails("POST", "/api/metalakes/ml/catalogs", #"{"name":"r","type":"relational"}"#, code: 1001, type: "IllegalArgumentException")
            try await api.fails("POST", "/api/metalakes/ml/catalogs", #"{"name":"r","type":"graph","provider":"x"}"#, code: 1001, type: "IllegalArgumentException")
            try await api.fails("POST", "/api/metalakes/nope/catalogs", #"{"name":"r","type":"model"}"#, code: 1003, type: "NoSuchMetalakeException")
            try await api.fails("POST", "/api/metalakes/ml/catalogs", #"{"name":"h","type":"model"}"#, code: 1004, type: "CatalogAlreadyExistsException")
            let ids = try await api.ok("GET", "/api/metalakes/ml/catalogs")["identifiers"] as? [[String: Any]]
            #expect(ids?.map { $0["name"] as? String } == ["f", "h"] && ids?.first?["namespace"] as? [String] == ["ml"])
            #expect((try await api.ok("GET", "/api/metalakes/ml/catalogs?details=true")["catalogs"] as? [[String: Any]])?.count == 2)
            try await api.fails("GET", "/api/metalakes/ml/catalogs/nope", code: 1003, type: "NoSuchCatalogException")
            // Schemas and tables.
            try await api.ok("POST", "/api/metalakes/ml/catalogs/h/schemas", #"{"name":"db%20one","properties":{"p":"1"}}"#)
            try await api.ok("GET", "/api/metalakes/ml/catalogs/h/schemas/db%20one")
            try await api.fails("POST", "/api/metalakes/ml/catalogs/h/schemas", #"{"name":"db one"}"#, code: 1004, type: "SchemaAlreadyExistsException")
            let table = #"""
            {"name":"t","comment":"c","columns":[{"name":"id","type":"long","nullable":false,"autoIncrement":true},
              {"name":"v","type":{"type":"map","keyType":"string","valueType":"decimal(10,2)","valueContainsNull":true},"comment":"m"},
              {"name":"d","type":"date","defaultValue":{"type":"literal","dataType":"date","value":"2025-12-03"}}],
             "properties":{"bucket":"4"},"partitioning":[{"strategy":"day","fieldName":["d"]},{"strategy":"bucket","numBuckets":8,"fieldNames":[["id"]]}],
             "distribution":{"strategy":"hash","number":4,"funcArgs":[{"type":"field","fieldName":["id"]}]},
             "sortOrders":[{"sortTerm":{"type":"field","fieldName":["id"]},"direction":"desc","nullOrdering":"nulls_last"}],
             "indexes":[{"indexType":"primary_key","name":"pk","fieldNames":[["id"]]}]}
            """#
            let created = try await api.ok("POST", "/api/metalakes/ml/catalogs/h/schemas/db%20one/tables", table)
            let t = created["table"] as? [String: Any]
            #expect((t?["columns"] as? [[String: Any]])?.count == 3 && t?["properties"] as? [String: String] == ["bucket": "4"])
            #expect(((t?["columns"] as? [[String: Any]])?.first)?["defaultValue"] == nil)
            #expect((t?["indexes"] as? [[String: Any]])?.first?["indexType"] as? String == "PRIMARY_KEY")
            #expect((t?["distribution"] as? [String: Any])?["strategy"] as? String == "hash")
            let tables = try await api.ok("GET", "/api/metalakes/ml/catalogs/h/schemas/db%20one/tables")["identifiers"] as? [[String: Any]]
            #expect(tables?.first?["namespace"] as? [String] == ["ml", "h", "db one"])
            try await api.fails("POST", "/api/metalakes/ml/catalogs/h/schemas/db%20one/tables", table, code: 1004, type: "TableAlreadyExistsException")
            try await api.fails("POST", "/api/metalakes/ml/catalogs/h/schemas/nope/tables", table, code: 1003, type: "NoSuchSchemaException")
            let column = #""columns":[{"name":"id","type":"long"}]"#
            for bad in [column + #","distribution":{"strategy":"zigzag"}"#, column + #","sortOrders":[{"sortTerm":{"type":"field","fieldName":["id"]},"direction":"sideways"}]"#,
                        column + #","partitioning":[{"strategy":"hourly","fieldName":["id"]}]"#, column + #","indexes":[{"indexType":"FOREIGN","fieldNames":[["id"]]}]"#,
                        column + #","partitioning":[{"strategy":"bucket","numBuckets":"8","fieldNames":[["id"]]}]"#,
                        #""columns":[{"name":"x","type":"integer(3)"}]"#, #""columns":[{"name":"x","type":{"type":"list"}}]"#, #""columns":"id""#,
                        #""columns":[{"name":"x","type":"long","defaultValue":{"type":"literal","value":"1"}}]"#] {
                try await api.fails("POST", "/api/metalakes/ml/catalogs/h/schemas/db%20one/tables", #"{"name":"bad","#+bad+"}", code: 1001, type: "IllegalArgumentException")
            }
            #expect((try await api.ok("GET", "/api/metalakes/ml/catalogs/h/schemas/db%20one/tables")["identifiers"] as? [Any])?.count == 1)
            try await api.fails("GET", "/api/metalakes/ml/catalogs/h/schemas/db%20one/tables/nope", code: 1003, type: "NoSuchTableException")
            let altered = try await api.ok("PUT", "/api/metalakes/ml/catalogs/h/schemas/db%20one/tables/t", #"""
            {"updates":[{"@type":"addColumn","fieldName":["n"],"type":"string","comment":null,"position":"first","nullable":true,"autoIncrement":false},
                        {"@type":"updateColumnComment","fieldName":["id"],"newComment":"key"},{"@type":"removeProperty","property":"bucket"}]}
            """#)
            #expect(((altered["table"] as? [String: Any])?["columns"] as? [[String: Any]])?.first?["name"] as? String == "n")
            try await api.fails("PUT", "/api/metalakes/ml/catalogs/h/schemas/db%20one/tables/t", #"{"updates":[{"@type":"addColumn","fieldName":["a","b"],"type":"string"}]}"#,
                                code: 1006, type: "UnsupportedOperationException")
            try await api.fails("DELETE", "/api/metalakes/ml/catalogs/h/schemas/db%20one", code: 1005, type: "NonEmptySchemaException")
            #expect(try await api.ok("DELETE", "/api/metalakes/ml/catalogs/h/schemas/db%20one/tables/t?purge=true")["dropped"] as? Bool == true)
            #expect(try await api.ok("DELETE", "/api/metalakes/ml/catalogs/h/schemas/db%20one/tables/t")["dropped"] as? Bool == false)
            // Tables do not live in fileset catalogs; disabled catalogs refuse their objects.
            try await api.ok("POST", "/api/metalakes/ml/catalogs/f/schemas", #"{"name":"s"}"#)
            try await api.fails("GET", "/api/metalakes/ml/catalogs/f/schemas/s/tables", code: 1006, type: "UnsupportedOperationException")
            try await api.fails("DELETE", "/api/metalakes/ml/catalogs/h", code: 1010, type: "CatalogInUseException")
            try await api.ok("PATCH", "/api/metalakes/ml/catalogs/h", #"{"inUse":false}"#)
            try await api.fails("GET", "/api/metalakes/ml/catalogs/h/schemas", code: 1009, type: "CatalogNotInUseException")
            try await api.fails("DELETE", "/api/metalakes/ml/catalogs/h", code: 1005, type: "NonEmptyCatalogException")
            #expect(try await api.ok("DELETE", "/api/metalakes/ml/catalogs/h?force=true")["dropped"] as? Bool == true)
        }
    }
}
