import Foundation
import Hummingbird
import Logging
import Prometheus
import WeirCatalog
import WeirCluster

/// The coordinator's HTTP port: the status page (`GET /`), the status as JSON (`GET /api/cluster/status`, also at
/// `GET /status`: workers with their connection state, slots, running attempts and last heartbeat; jobs with their
/// progress; refused connections), Prometheus metrics
/// (`GET /metrics`), the job API (`/api/weir/jobs...`, below) and, for every other `/api/...` path, the Gravitino
/// catalog API over the same catalog store.
///
/// Job API (JSON; errors `{"error": "..."}` with a 4xx, never a 500 for bad input):
/// - `GET /api/weir/config` → `{"warehouse": URI}`;
/// - `POST /api/weir/jobs` `{"kind": "ingest", "spec": {...}}` → the job (201);
/// - `GET /api/weir/jobs?limit=N` → `{"jobs": [...]}` newest first (N ≤ 1000, default 50);
/// - `GET /api/weir/jobs/{id}` → the job with its progress (tasks done/total, rows, bytes);
/// - `POST /api/weir/jobs/{id}/cancel` → the job.
public struct CoordinatorAPI: HTTPResponder {
    public typealias Context = BasicRequestContext

    public static let requestBodyBytesMax = GravitinoAPI.requestBodyBytesMax
    public static let jobsLimitMax = 1000
    /// Where the status is served as JSON (the old `/status` answers the same).
    public static let statusPath = "/api/cluster/status"

    let coordinator: Coordinator
    let catalog: GravitinoAPI
    /// The warehouse the coordinator's jobs write to (`GET /api/weir/config`), so `weir submit` needs only table names.
    let warehouse: String
    let logger: Logger

    /// The process's swift-metrics registry, emitted after the status gauges on `/metrics` (nil: none bootstrapped).
    let registry: PrometheusCollectorRegistry?

    public init(coordinator: Coordinator, catalog: CatalogService, warehouse: String, registry: PrometheusCollectorRegistry? = nil,
                logger: Logger = Logger(label: "weir.coordinator.http")) {
        self.coordinator = coordinator
        self.registry = registry
        self.catalog = GravitinoAPI(service: catalog, logger: logger)
        self.warehouse = warehouse
        self.logger = logger
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        if !path.hasPrefix("/api/weir/") && path != "/api/weir" && path != Self.statusPath
            && (path.hasPrefix("/api/") || path == "/api" || request.method.rawValue == "CLOSE") {
            return try await catalog.respond(to: request, context: context)
        }
        var request = request
        let body: [UInt8]
        do {
            var buffer = try await request.collectBody(upTo: Self.requestBodyBytesMax)
            body = buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch {
            return Self.response(Self.error(413, "the request body is larger than \(Self.requestBodyBytesMax) bytes"))
        }
        return Self.response(await handle(method: request.method.rawValue, path: path, query: request.uri.query, body: body))
    }

    static func response(_ answer: APIResponse) -> Response {
        return Response(status: HTTPResponse.Status(code: answer.status), headers: [.contentType: answer.contentType],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }

    /// Answers one request without transport (tests use it directly).
    public func handle(method: String, path: String, query: String?, body: [UInt8]) async -> APIResponse {
        let method = method.uppercased()
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        switch (method, segments) {
        case ("GET", []):
            return APIResponse(status: 200, body: Array(StatusPage.render(await coordinator.status()).utf8), contentType: "text/html; charset=utf-8")
        case ("GET", ["status"]), ("GET", ["api", "cluster", "status"]):
            return Self.encoded(200, await coordinator.status())
        case ("GET", ["metrics"]):
            var body = Array(ClusterMetrics.render(await coordinator.status()).utf8)
            registry?.emit(into: &body)
            return APIResponse(status: 200, body: body, contentType: "text/plain; version=0.0.4")
        case ("GET", ["api", "weir", "config"]):
            return Self.encoded(200, ["warehouse": warehouse])
        case ("POST", ["api", "weir", "jobs"]):
            return await submit(body)
        case ("GET", ["api", "weir", "jobs"]):
            var limit = 50
            for pair in (query ?? "").split(separator: "&") where pair.hasPrefix("limit=") {
                guard let n = Int(pair.dropFirst(6)), (1...Self.jobsLimitMax).contains(n) else {
                    return Self.error(400, "limit must be a number in 1...\(Self.jobsLimitMax)")
                }
                limit = n
            }
            do {
                let jobs = try await coordinator.jobs(limit: limit)
                let status = await coordinator.status()
                return Self.encoded(200, JobList(jobs: jobs.map { JobView($0, status) }))
            } catch {
                return Self.failure(error)
            }
        case ("GET", let s) where s.count == 4 && s[0] == "api" && s[1] == "weir" && s[2] == "jobs":
            do {
                guard let job = try await coordinator.job(s[3]) else { return Self.error(404, "no job with id \(s[3].prefix(80))") }
                return Self.encoded(200, JobView(job, await coordinator.status(), tasks: try await coordinator.tasks(jobId: job.id)))
            } catch {
                return Self.failure(error)
            }
        case ("POST", let s) where s.count == 5 && s[0] == "api" && s[1] == "weir" && s[2] == "jobs" && s[4] == "cancel":
            do {
                return Self.encoded(200, JobView(try await coordinator.cancel(s[3]), await coordinator.status()))
            } catch {
                return Self.failure(error)
            }
        default:
            return Self.error(404, "no endpoint \(method) \(path.prefix(200)) (see /, \(Self.statusPath), /metrics, /api/weir/jobs)")
        }
    }

    struct SubmitBody: Decodable {
        var kind: String
        var spec: JSONValue
    }

    func submit(_ body: [UInt8]) async -> APIResponse {
        let request: SubmitBody
        do {
            request = try JSONDecoder().decode(SubmitBody.self, from: Data(body))
        } catch {
            return Self.error(400, "the body must be {\"kind\": \"...\", \"spec\": {...}}: \(error)")
        }
        do {
            let spec = Array(try JSONEncoder().encode(request.spec))
            let job = try await coordinator.submit(kind: request.kind, spec: spec)
            return Self.encoded(201, JobView(job, await coordinator.status()))
        } catch {
            return Self.failure(error)
        }
    }

    static func failure(_ error: any Error) -> APIResponse {
        if let error = error as? ClusterError {
            switch error.kind {
            case .noSuchJob: return Self.error(404, error.description)
            case .unknownJobKind, .invalidSpec, .tooLateToCancel, .notResumed: return Self.error(400, error.description)
            default: return Self.error(500, error.description)
            }
        }
        return Self.error(500, "\(error)")
    }

    static func encoded<T: Encodable>(_ status: Int, _ value: T) -> APIResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(value) else { return error(500, "unencodable answer") }
        return APIResponse(status: status, body: Array(data), contentType: "application/json")
    }

    static func error(_ status: Int, _ message: String) -> APIResponse {
        let data = (try? JSONEncoder().encode(["error": message])) ?? Data(#"{"error":"unencodable"}"#.utf8)
        return APIResponse(status: status, body: Array(data), contentType: "application/json")
    }
}

/// A job as the API shows it: the record (spec as JSON) with the scheduler's progress figures.
struct JobView: Encodable {
    var id: String
    var kind: String
    var state: String
    var stage: Int
    var spec: JSONValue?
    var createdMs: Int64
    var updatedMs: Int64
    var message: String?
    var tasksTotal: Int
    var tasksDone: Int
    var tasksRunning: Int
    var tasksFailed: Int
    var rows: UInt64
    var bytes: UInt64
    var tasks: [TaskView]?

    init(_ job: JobRecord, _ status: ClusterStatus, tasks: [TaskRecord]? = nil) {
        id = job.id
        kind = job.kind
        state = job.state.rawValue
        stage = job.stage
        spec = try? JSONDecoder().decode(JSONValue.self, from: Data(job.spec))
        createdMs = job.createdMs
        updatedMs = job.updatedMs
        message = job.message
        let live = status.jobs.first { $0.id == job.id }
        if let tasks {
            tasksTotal = tasks.count
            tasksDone = tasks.filter { $0.state == .succeeded }.count
            tasksRunning = tasks.filter { $0.state == .assigned }.count
            tasksFailed = tasks.filter { $0.state == .failed }.count
            rows = tasks.reduce(0) { $0 + $1.rows }
            bytes = tasks.reduce(0) { $0 + $1.bytes }
            self.tasks = tasks.map(TaskView.init)
        } else {
            tasksTotal = live?.tasksTotal ?? 0
            tasksDone = live?.tasksDone ?? 0
            tasksRunning = live?.tasksRunning ?? 0
            tasksFailed = live?.tasksFailed ?? 0
            rows = live?.rows ?? 0
            bytes = live?.bytes ?? 0
            self.tasks = nil
        }
        if let live { state = live.state.rawValue; stage = live.stage }
    }
}

struct TaskView: Encodable {
    var taskId: String
    var stage: Int
    var kind: String
    var state: String
    var attempt: UInt64
    var workerId: String?
    var rows: UInt64
    var bytes: UInt64
    var error: String?

    init(_ t: TaskRecord) {
        taskId = t.taskId
        stage = t.stage
        kind = t.kind
        state = t.state.rawValue
        attempt = t.attempt
        workerId = t.workerId
        rows = t.rows
        bytes = t.bytes
        error = t.error
    }
}

struct JobList: Encodable {
    var jobs: [JobView]
}
