import Foundation
import Testing
import WeirCatalog
import WeirCodecs
import WeirHTTP
import WeirTestSupport

/// Seeded random and malformed requests (paths, methods, bodies, headers): the API never answers 500, every
/// answer is JSON with `code` (and `type` and `message` on errors), and the store stays consistent: listing
/// metalakes always works and matches a model kept from the successful answers.
@Suite struct RandomRequestPropertyTests {
    static let requestsPerSeed = 700

    @Test(arguments: [UInt64(1), 2, 3]) func neverA500AndTheStoreStaysConsistent(seed: UInt64) async throws {
        let scratch = try Scratch("fuzz"); defer { scratch.remove() }
        let service = try await APIHarness.service(scratch)
        try await APIHarness.withClient(service) { api in
            var rng = SplitMix64(seed: seed)
            var model = Set<String>()
            let names = ["m1", "m2", "c1", "s1", "t1", "a%2Fb", "..", "%2E%2E", "", "%00", "x y", "%C3%A9", "%FF", String(repeating: "n", count: 300), "0", "-1"]
            let words = ["api", "metalakes", "catalogs", "schemas", "tables", "filesets", "models", "versions", "aliases", "tags", "objects",
                         "location", "uri", "column", "table", "catalog", "credentials", "testConnection"]
            let methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "CLOSE", "OPTIONS", "FOO"]
            func pick<T>(_ list: [T]) -> T { list[Int(rng.next() % UInt64(list.count))] }
            func path() -> String {
                switch rng.next() % 4 {
                case 0:  // structured: a real route shape with random names
                    let shapes = ["/api/metalakes", "/api/metalakes/#", "/api/metalakes/#/catalogs", "/api/metalakes/#/catalogs/#",
                                  "/api/metalakes/#/catalogs/#/schemas", "/api/metalakes/#/catalogs/#/schemas/#/tables",
                                  "/api/metalakes/#/catalogs/#/schemas/#/filesets/#/location?sub_path=#",
                                  "/api/metalakes/#/catalogs/#/schemas/#/models/#/versions/#", "/api/metalakes/#/tags",
                                  "/api/metalakes/#/objects/#/#/tags", "/api/version"]
                    var p = pick(shapes)
                    while let r = p.range(of: "#") { p.replaceSubrange(r, with: pick(names)) }
                    return p
                case 1:
                    return "/" + (0..<Int(rng.next() % 8)).map { _ in rng.next() % 3 == 0 ? pick(names) : pick(words) }.joined(separator: "/")
                case 2:
                    return "/api/metalakes?" + pick(["force=True", "details=TRUE", "x=%", "=&&=", "force"])
                default:
                    return "/api/" + String((0..<Int(rng.next() % 40)).map { _ in Character(UnicodeScalar(UInt8(33 + rng.next() % 94))) })
                        .replacingOccurrences(of: "#", with: "%23").replacingOccurrences(of: "?", with: "%3F")
            }
            }
            func body() -> String? {
                switch rng.next() % 10 {
                case 0: return nil
                case 1: return #"{"name":"\#(pick(["m1", "m2", "m3"]))","comment":"c","properties":{"k":"v"}}"#
                case 2: return #"{"name":"\#(pick(names))","type":"\#(pick(["relational", "fileset", "model", "MODEL", "graph", ""]))","provider":"\#(pick(["hive", "", "hadoop", "jdbc-postgresql"]))"}"#
                case 3: return #"{"updates":[{"@type":"\#(pick(["rename", "setProperty", "removeProperty", "updateComment", "boom", ""]))","newName":"\#(pick(["m1", "m2", "m4", "a/b"]))","property":"p","value":"v"}]}"#
                case 4: return #"{"inUse":\#(pick(["true", "false", "\"yes\"", "null", "1"]))}"#
                case 5: return String(repeating: "[", count: Int(rng.next() % 400)) + String(repeating: "]", count: Int(rng.next() % 400))
                case 6: return #"{"name":\#(pick(["1", "null", "[]", "{}", "true", "\"\\u0000\""]))}"#
                case 7: return String((0..<Int(rng.next() % 200)).map { _ in Character(UnicodeScalar(UInt8(rng.next() % 128))) })
                case 8: return #"{"name":"t","columns":[{"name":"id","type":\#(pick(["\"long\"", "\"varchar(x)\"", "{\"type\":\"struct\"}", "7", "{\"type\":\"list\",\"elementType\":\"int\"}"]))}],"partitioning":[{"strategy":"\#(pick(["identity", "bucket", "x"]))","fieldName":["id"]}]}"#
                default: return #"{"uris":{"unknown":"s3://b/x"},"aliases":[\#(pick(["\"a\"", "1", "\"0\"", "null"]))],"tagsToAdd":["x"]}"#
                }
            }
            for i in 0..<Self.requestsPerSeed {
                var headers: [String: String] = [:]
                if rng.next() % 8 == 0 { headers["accept"] = pick(["application/vnd.gravitino.v2+json", "text/html", "application/vnd.gravitino.v1+json", "*/*"]) }
                if rng.next() % 8 == 0 { headers["authorization"] = pick(["Basic " + Data("u\(i):p".utf8).base64EncodedString(), "Basic ###", "Bearer x.y.z", "Basic", "Basic " + Data(":p".utf8).base64EncodedString()]) }
                let method = pick(methods), target = path()
                let answer = try await api.send(method, target, body(), headers: headers)
                #expect(answer.status != 500, "request \(i): \(method) \(target) → \(answer)")
                if answer.status == 200 {
                    if method != "CLOSE" { #expect(answer.code == 0, "request \(i): \(method) \(target) → \(answer)") }
                } else {
                    let message = answer.json?["message"] as? String ?? "", type = answer.type ?? ""
                    #expect(answer.code != nil && !type.isEmpty && !message.isEmpty, "request \(i): \(method) \(target) → \(answer)")
                }
                // Keep the model from successful metalake answers.
                let segments = target.split(separator: "?")[0].split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                if answer.status == 200, segments.count >= 3, segments[1] == "api", segments[2] == "metalakes" {
                    if segments.count == 3, method == "POST", let name = (answer["metalake"] as? [String: Any])?["name"] as? String {
                        model.insert(name)
                    } else if segments.count == 4, let old = segments[3].removingPercentEncoding {
                        if method == "DELETE", answer["dropped"] as? Bool == true { model.remove(old) }
                        if method == "PUT", let name = (answer["metalake"] as? [String: Any])?["name"] as? String {
                            model.remove(old)
                            model.insert(name)
                        }
                    }
                }
                let listed = try await api.send("GET", "/api/metalakes")
                #expect(listed.status == 200, "after request \(i): \(listed)")
                let names = Set((listed["metalakes"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
                #expect(names == model, "after request \(i) (\(method) \(target)): listed \(names.sorted()), model \(model.sorted())")
                if names != model { break }
            }
        }
        // The store itself agrees after the run (a fresh connection).
        let reopened = SQLCatalogStore(backend: try SQLiteBackend(path: scratch.path + "/catalog.db"))
        _ = try await reopened.listMetalakes()
        await reopened.close()
        await service.close()
    }
}
