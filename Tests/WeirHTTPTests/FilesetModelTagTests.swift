import Foundation
import Testing
import WeirCatalog
import WeirHTTP
import WeirTestSupport

/// Filesets on real storage, models and versions, tags and associations, through the API.
@Suite struct FilesetModelTagTests {
    @Test func managedFilesetsAreCreatedResolvedAndRemoved() async throws {
        let scratch = try Scratch("http"); defer { scratch.remove() }
        let root = scratch.path + "/lake"
        try await APIHarness.withClient(try await APIHarness.service(scratch, warehouse: "file://" + scratch.path + "/warehouse")) { api in
            try await api.ok("POST", "/api/metalakes", #"{"name":"ml"}"#)
            try await api.ok("POST", "/api/metalakes/ml/catalogs", #"{"name":"fs","type":"fileset","properties":{"location":"\#(root)"}}"#)
            try await api.ok("POST", "/api/metalakes/ml/catalogs/fs/schemas", #"{"name":"s"}"#)
            let created = try await api.ok("POST", "/api/metalakes/ml/catalogs/fs/schemas/s/filesets",
                                           #"{"name":"f","type":"managed","storageLocations":{"hot":"\#(root)/hot/{{fileset}}"},"properties":{"default-location-name":"hot"}}"#)
            let f = created["fileset"] as? [String: Any]
            #expect(f?["storageLocations"] as? [String: String] == ["unknown": "file:\(root)/s/f", "hot": "file:\(root)/hot/f"])
            #expect(f?["storageLocation"] as? String == "file:\(root)/s/f")
            var isDirectory: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: root + "/s/f", isDirectory: &isDirectory) && isDirectory.boolValue)
            #expect(FileManager.default.fileExists(atPath: root + "/hot/f"))
            let base = "/api/metalakes/ml/catalogs/fs/schemas/s/filesets/f/location"
            #expect(try await api.ok("GET", base + "?sub_path=%2Fa%2Fb.txt")["fileLocation"] as? String == "file:\(root)/hot/f/a/b.txt")
            #expect(try await api.ok("GET", base + "?sub_path=a+b&location_name=unknown")["fileLocation"] as? String == "file:\(root)/s/f/a b")
            #expect(try await api.ok("GET", base + "?sub_path=")["fileLocation"] as? String == "file:\(root)/hot/f")
            try await api.fails("GET", base + "?sub_path=x&location_name=cold", code: 1003, type: "NoSuchLocationNameException")
            try await api.fails("GET", base + "?sub_path=%2F", code: 1002, type: "RuntimeException", headers: ["filesetdataoperation": "RENAME"])
            try await api.fails("GET", base, code: 1001, type: "IllegalArgumentException")
            for escape in ["%2F..%2F..%2Fetc", "..", "a%2F.%2Fb", "%252e%252e", "file:%2Fetc", "a%5C..%5Cb"] {
                try await api.fails("GET", base + "?sub_path=" + escape, code: 1001, type: "IllegalArgumentException")
            }
            try await api.fails("GET", "/api/metalakes/ml/catalogs/fs/schemas/s/filesets/nope", code: 1003, type: "NoSuchFilesetException")
            try await api.fails("POST", "/api/metalakes/ml/catalogs/fs/schemas/s/filesets", #"{"name":"f","type":"managed"}"#, code: 1004, type: "FilesetAlreadyExistsException")
            try await api.fails("POST", "/api/metalakes/ml/catalogs/fs/schemas/s/filesets", #"{"name":"g","type":"MANAGED?"}"#, code: 1001, type: "IllegalArgumentException")
            try await api.fails("POST", "/api/metalakes/ml/catalogs/fs/schemas/s/filesets", #"{"name":"g","type":"external"}"#, code: 1001, type: "IllegalArgumentException")
            try await api.fails("POST", "/api/metalakes/ml/catalogs/fs/schemas/s/filesets", #"{"name":"g","storageLocations":{"unknown":"\#(root)/../etc"}}"#, code: 1001, type: "IllegalArgumentException")
            let removed = try await api.ok("PUT", "/api/metalakes/ml/catalogs/fs/schemas/s/filesets/f", #"{"updates":[{"@type":"updateComment","newComment":null},{"@type":"setProperty","property":"k","value":"v"}]}"#)
            #expect((removed["fileset"] as? [String: Any])?["properties"] as? [String: String] == ["default-location-name": "hot", "k": "v"])
            #expect(try await api.ok("DELETE", "/api/metalakes/ml/catalogs/fs/schemas/s/filesets/f")["dropped"] as? Bool == true)
            #expect(!FileManager.default.fileExists(atPath: root + "/s/f") && !FileManager.default.fileExists(atPath: root + "/hot/f"))
            // With no catalog or schema location, the server's warehouse is the base.
            try await api.ok("POST", "/api/metalakes/ml/catalogs", #"{"name":"bare","type":"fileset"}"#)
            try await api.ok("POST", "/api/metalakes/ml/catalogs/bare/schemas", #"{"name":"s"}"#)
            let w = try await api.ok("POST", "/api/metalakes/ml/catalogs/bare/schemas/s/filesets", #"{"name":"g"}"#)
            #expect((w["fileset"] as? [String: Any])?["storageLocations"] as? [String: String] == ["unknown": "file:\(scratch.path)/warehouse/bare/s/g"])
            #expect(FileManager.default.fileExists(atPath: scratch.path + "/warehouse/bare/s/g"))
        }
    }

    @Test func modelsVersionsAliasesAndURIs() async throws {
        let scratch = try Scratch("http"); defer { scratch.remove() }
        try await APIHarness.withClient(try await APIHarness.service(scratch)) { api in
            try await api.ok("POST", "/api/metalakes", #"{"name":"ml"}"#)
            try await api.ok("POST", "/api/metalakes/ml/catalogs", #"{"name":"m","type":"model","provider":""}"#)
            try await api.ok("POST", "/api/metalakes/ml/catalogs/m/schemas", #"{"name":"s"}"#)
            let base = "/api/metalakes/ml/catalogs/m/schemas/s/models"
            try await api.fails("GET", base + "/llm", code: 1003, type: "NoSuchModelException")
            try await api.fails("GET", "/api/metalakes/ml/catalogs/m/schemas/nope/models/llm", code: 1003, type: "NoSuchModelException")
            try await api.fails("POST", "/api/metalakes/ml/catalogs/m/schemas/nope/models", #"{"name":"llm"}"#, code: 1003, type: "NoSuchSchemaException")
            let model = try await api.ok("POST", base, #"{"name":"llm","comment":null,"properties":null}"#)
            #expect((model["model"] as? [String: Any])?["latestVersion"] as? Int == 0)
            #expect((model["model"] as? [String: Any])?["properties"] as? [String: String] == [:])
            try await api.fails("GET", base + "/llm/versions/0", code: 1003, type: "NoSuchModelVersionException")
            let link = try await api.ok("POST", base + "/llm/versions", #"{"uris":{"unknown":"s3://b/v0","hf":"hf://x"},"aliases":["prod"],"comment":"v0","properties":{"default-uri-name":"hf"}}"#)
            #expect(link.json?.keys.sorted() == ["code"])
            try await api.fails("POST", base + "/llm/versions", #"{"uris":{"unknown":"s3://b/v1"},"aliases":["prod"]}"#, code: 1004, type: "ModelVersionAliasesAlreadyExistException")
            try await api.fails("POST", base + "/nope/versions", #"{"uris":{"unknown":"s3://b/v1"}}"#, code: 1003, type: "NoSuchModelException")
            try await api.ok("POST", base + "/llm/versions", #"{"uris":{"unknown":"s3://b/v1"}}"#)
            let v0 = try await api.ok("GET", base + "/llm/aliases/prod")["modelVersion"] as? [String: Any]
            #expect(v0?["version"] as? Int == 0 && v0?["uri"] as? String == "s3://b/v0" && v0?["aliases"] as? [String] == ["prod"])
            let v1 = try await api.ok("GET", base + "/llm/versions/1")["modelVersion"] as? [String: Any]
            #expect(v1?["aliases"] as? [String] == [] && v1?["properties"] as? [String: String] == [:])
            #expect(try await api.ok("GET", base + "/llm/versions")["versions"] as? [Int] == [0, 1])
            #expect((try await api.ok("GET", base + "/llm/versions?details=true")["infos"] as? [Any])?.count == 2)
            #expect(try await api.ok("GET", base + "/llm/versions/0/uri")["uri"] as? String == "hf://x")
            #expect(try await api.ok("GET", base + "/llm/aliases/prod/uri?uriName=unknown")["uri"] as? String == "s3://b/v0")
            try await api.fails("GET", base + "/llm/versions/0/uri?uriName=nope", code: 1003, type: "NoSuchModelVersionURINameException")
            try await api.fails("GET", base + "/llm/versions/x", code: 1001, type: "IllegalArgumentException")
            let changed = try await api.ok("PUT", base + "/llm/versions/1", #"{"updates":[{"@type":"updateAliases","aliasesToAdd":["new"],"aliasesToRemove":[]},{"@type":"addUri","uriName":"b","uri":"s3://b"},{"@type":"updateUri","newUri":"s3://b/v1b","uriName":null}]}"#)
            #expect((changed["modelVersion"] as? [String: Any])?["uris"] as? [String: String] == ["unknown": "s3://b/v1b", "b": "s3://b"])
            try await api.fails("GET", base + "/llm/versions/1/uri", code: 1001, type: "IllegalArgumentException")
            #expect(try await api.ok("DELETE", base + "/llm/versions/0")["dropped"] as? Bool == true)
            #expect(try await api.ok("DELETE", base + "/llm/aliases/prod")["dropped"] as? Bool == false)
            try await api.ok("POST", base + "/llm/versions", #"{"uris":{"unknown":"s3://b/v2"}}"#)
            #expect(try await api.ok("GET", base + "/llm/versions")["versions"] as? [Int] == [1, 2])
            try await api.ok("PUT", base + "/llm", #"{"updates":[{"@type":"rename","newName":"llm2"}]}"#)
            #expect((try await api.ok("GET", base + "/llm2")["model"] as? [String: Any])?["latestVersion"] as? Int == 3)
            #expect(try await api.ok("DELETE", base + "/llm")["dropped"] as? Bool == false)
            #expect(try await api.ok("DELETE", "/api/metalakes/ml/catalogs/m/schemas/nope/models/llm2")["dropped"] as? Bool == false)
        }
    }

    @Test func tagsInheritAndAssociationsFollowTheRules() async throws {
        let scratch = try Scratch("http"); defer { scratch.remove() }
        try await APIHarness.withClient(try await APIHarness.service(scratch)) { api in
            try await api.ok("POST", "/api/metalakes", #"{"name":"ml"}"#)
            try await api.ok("POST", "/api/metalakes/ml/catalogs", #"{"name":"c","type":"relational","provider":"hive","properties":{"metastore.uris":"thrift://127.0.0.1:9083"}}"#)
            try await api.ok("POST", "/api/metalakes/ml/catalogs/c/schemas", #"{"name":"s"}"#)
            try await api.ok("POST", "/api/metalakes/ml/catalogs/c/schemas/s/tables", #"{"name":"t","columns":[{"name":"id","type":"long"}]}"#)
            for tag in ["a", "b"] { try await api.ok("POST", "/api/metalakes/ml/tags", #"{"name":"\#(tag)","comment":"tag \#(tag)","properties":{}}"#) }
            try await api.fails("POST", "/api/metalakes/ml/tags", #"{"name":"a"}"#, code: 1004, type: "TagAlreadyExistsException")
            #expect(try await api.ok("GET", "/api/metalakes/ml/tags")["names"] as? [String] == ["a", "b"])
            #expect(try await api.ok("POST", "/api/metalakes/ml/objects/catalog/c/tags", #"{"tagsToAdd":["a"],"tagsToRemove":[]}"#)["names"] as? [String] == ["a"])
            #expect(try await api.ok("POST", "/api/metalakes/ml/objects/column/c.s.t.id/tags", #"{"tagsToAdd":["b","a"],"tagsToRemove":["a"]}"#)["names"] as? [String] == ["b"])
            try await api.fails("POST", "/api/metalakes/ml/objects/column/c.s.t.id/tags", #"{"tagsToAdd":["b"]}"#, code: 1004, type: "TagAlreadyAssociatedException")
            try await api.fails("POST", "/api/metalakes/ml/objects/table/c.s.nope/tags", #"{"tagsToAdd":["b"]}"#, code: 1003, type: "NoSuchMetadataObjectException")
            try await api.fails("POST", "/api/metalakes/ml/objects/topic/c.s.t/tags", #"{"tagsToAdd":["b"]}"#, code: 1001, type: "IllegalArgumentException")
            try await api.fails("POST", "/api/metalakes/ml/objects/planet/c/tags", #"{"tagsToAdd":["b"]}"#, code: 1001, type: "IllegalArgumentException")
            let tags = try await api.ok("GET", "/api/metalakes/ml/objects/column/c.s.t.id/tags?details=true")["tags"] as? [[String: Any]]
            #expect(tags?.map { "\($0["name"] as? String ?? "?"):\($0["inherited"] as? Bool ?? false)" } == ["b:false", "a:true"])
            #expect((try await api.ok("GET", "/api/metalakes/ml/objects/table/c.s.t/tags/a")["tag"] as? [String: Any])?["inherited"] as? Bool == true)
            try await api.fails("GET", "/api/metalakes/ml/objects/table/c.s.t/tags/b", code: 1003, type: "NoSuchTagException")
            let objects = try await api.ok("GET", "/api/metalakes/ml/tags/b/objects")["metadataObjects"] as? [[String: String]]
            #expect(objects == [["type": "column", "fullName": "c.s.t.id"]])
            let catalog = try await api.ok("GET", "/api/metalakes/ml/catalogs/c")["catalog"] as? [String: Any]
            #expect((catalog?["properties"] as? [String: String])?["weir.metadata-only"] == "true")
            try await api.ok("PUT", "/api/metalakes/ml/tags/b", #"{"updates":[{"@type":"rename","newName":"b2"}]}"#)
            #expect(try await api.ok("DELETE", "/api/metalakes/ml/tags/b2")["dropped"] as? Bool == true)
            #expect(try await api.ok("GET", "/api/metalakes/ml/objects/column/c.s.t.id/tags")["names"] as? [String] == ["a"])
            try await api.fails("GET", "/api/metalakes/ml/tags/b2", code: 1003, type: "NoSuchTagException")
        }
    }
}
