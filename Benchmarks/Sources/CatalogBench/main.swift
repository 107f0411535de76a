// catalog-bench: requests per second and latency percentiles of the catalog REST API under concurrent clients.
//
//   catalog-bench URI [--clients 16] [--requests 20000] [--seconds 20]
//
// Sets up a metalake with a relational catalog (one table of 12 columns) and a fileset catalog (one fileset), then
// for each operation (load-table, get-file-location) runs the given number of requests from `--clients`
// concurrent HTTP/1.1 keep-alive clients (AsyncHTTPClient), stopping early at `--seconds`. Loopback only.
// Prints one JSON line per operation: {"op", "requests", "seconds", "rps", "p50_ms", "p99_ms", "errors"}.
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

struct Options {
    var uri = "http://127.0.0.1:8090"
    var clients = 16
    var requests = 20_000
    var seconds = 20.0

    init(_ args: [String]) throws {
        var it = args.dropFirst().makeIterator()
        while let arg = it.next() {
            switch arg {
            case "--clients": clients = Int(it.next() ?? "") ?? clients
            case "--requests": requests = Int(it.next() ?? "") ?? requests
            case "--seconds": seconds = Double(it.next() ?? "") ?? seconds
            default: uri = arg
            }
        }
        guard let url = URL(string: uri), let host = url.host, host == "127.0.0.1" || host == "localhost" || host == "::1" else {
            throw BenchError("the server must be on loopback, not \(uri)")
        }
        guard (1...256).contains(clients), (1...10_000_000).contains(requests), seconds > 0, seconds <= 600 else {
            throw BenchError("clients 1...256, requests 1...10000000, seconds up to 600")
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

let headers: HTTPHeaders = ["Accept": "application/vnd.gravitino.v1+json", "Content-Type": "application/json"]

func call(_ client: HTTPClient, _ method: HTTPMethod, _ url: String, _ body: String? = nil) async throws -> (Int, String) {
    var request = HTTPClientRequest(url: url)
    request.method = method
    request.headers = headers
    if let body { request.body = .bytes(ByteBuffer(string: body)) }
    let response = try await client.execute(request, timeout: .seconds(30))
    let bytes = try await response.body.collect(upTo: 1 << 20)
    return (Int(response.status.code), String(buffer: bytes))
}

func setUp(_ client: HTTPClient, _ base: String, lake: String) async throws {
    let steps: [(String, String)] = [
        ("/api/metalakes", #"{"name":"bench","comment":"catalog-bench"}"#),
        ("/api/metalakes/bench/catalogs", #"{"name":"rel","type":"relational","provider":"hive","properties":{"metastore.uris":"thrift://127.0.0.1:9083"}}"#),
        ("/api/metalakes/bench/catalogs/rel/schemas", #"{"name":"db"}"#),
        ("/api/metalakes/bench/catalogs/rel/schemas/db/tables", """
            {"name":"events","comment":"bench","columns":[\((0..<12).map { #"{"name":"c\#($0)","type":"\#(["long", "string", "decimal(10,2)", "timestamp_tz(3)"][$0 % 4])","comment":"column \#($0)"}"# }.joined(separator: ","))],
             "properties":{"bucket":"8","owner":"bench"},"partitioning":[{"strategy":"identity","fieldName":["c1"]}],
             "distribution":{"strategy":"hash","number":8,"funcArgs":[{"type":"field","fieldName":["c0"]}]},"sortOrders":[],"indexes":[]}
            """),
        ("/api/metalakes/bench/catalogs", #"{"name":"files","type":"fileset","properties":{"location":"\#(lake)"}}"#),
        ("/api/metalakes/bench/catalogs/files/schemas", #"{"name":"raw"}"#),
        ("/api/metalakes/bench/catalogs/files/schemas/raw/filesets", #"{"name":"logs","type":"managed"}"#),
    ]
    for (path, body) in steps {
        let (status, text) = try await call(client, .POST, base + path, body)
        guard status == 200 else { throw BenchError("set-up POST \(path) answered \(status): \(text.prefix(300))") }
    }
}

func measure(_ client: HTTPClient, op: String, url: String, options: Options) async throws -> String {
    let deadline = ContinuousClock.now + .milliseconds(Int64(options.seconds * 1000))
    let perClient = (options.requests + options.clients - 1) / options.clients
    let start = ContinuousClock.now
    let results = try await withThrowingTaskGroup(of: ([Double], Int).self) { group in
        for _ in 0..<options.clients {
            group.addTask {
                var latencies: [Double] = []
                latencies.reserveCapacity(perClient)
                var errors = 0
                for _ in 0..<perClient {
                    if ContinuousClock.now > deadline { break }
                    let t0 = ContinuousClock.now
                    let (status, _) = try await call(client, .GET, url)
                    let elapsed = ContinuousClock.now - t0
                    if status != 200 { errors += 1 }
                    latencies.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
                }
                return (latencies, errors)
            }
        }
        var all: [Double] = []
        var errors = 0
        for try await (latencies, e) in group {
            all += latencies
            errors += e
        }
        return (all, errors)
    }
    let wall = ContinuousClock.now - start
    let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
    let sorted = results.0.sorted()
    func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
    return String(format: #"{"op":"%@","requests":%d,"seconds":%.2f,"rps":%.0f,"p50_ms":%.3f,"p99_ms":%.3f,"errors":%d}"#,
                  op, sorted.count, seconds, Double(sorted.count) / seconds, percentile(0.50), percentile(0.99), results.1)
}

let options = try Options(CommandLine.arguments)
var configuration = HTTPClient.Configuration()
configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: options.clients)
let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
do {
    let lake = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-bench-\(UUID().uuidString.prefix(8))").path
    try await setUp(client, options.uri, lake: lake)
    let table = options.uri + "/api/metalakes/bench/catalogs/rel/schemas/db/tables/events"
    let location = options.uri + "/api/metalakes/bench/catalogs/files/schemas/raw/filesets/logs/location?sub_path=%2Fyear%3D2026%2Fpart-0001.parquet"
    // Warm-up: one request each, checked.
    let (s1, t1) = try await call(client, .GET, table)
    let (s2, t2) = try await call(client, .GET, location)
    guard s1 == 200, s2 == 200, t2.contains("part-0001.parquet") else { throw BenchError("warm-up failed: \(s1) \(t1.prefix(200)) / \(s2) \(t2.prefix(200))") }
    print(try await measure(client, op: "load-table", url: table, options: options))
    print(try await measure(client, op: "get-file-location", url: location, options: options))
    try? FileManager.default.removeItem(atPath: lake)
    try await client.shutdown().get()
} catch {
    _ = try? await client.shutdown().get()
    FileHandle.standardError.write(Data("catalog-bench: \(error)\n".utf8))
    exit(1)
}
