import Metrics

/// What the FileIO layer reports through swift-metrics (nothing is recorded until the process bootstraps a metrics
/// backend; the coordinator serves them on `/metrics`):
/// - `weir_fileio_requests_total{scheme, operation}`: requests sent to an object store, one per HTTP attempt;
/// - `weir_fileio_errors_total{scheme, operation}`: of those, the ones that failed in transport or got a 5xx or 429
///   answer (a 404 for a missing object is an answer, not an error);
/// - `weir_fileio_retries_total{scheme}`: retries after a retryable failure, of requests and of interrupted reads.
/// Local-disk calls are system calls, not requests, and are not counted.
public enum FileIOMetrics {
    static func request(scheme: String, operation: String) {
        Counter(label: "weir_fileio_requests_total", dimensions: [("scheme", scheme), ("operation", operation)]).increment()
    }

    static func error(scheme: String, operation: String) {
        Counter(label: "weir_fileio_errors_total", dimensions: [("scheme", scheme), ("operation", operation)]).increment()
    }

    static func retry(scheme: String) {
        Counter(label: "weir_fileio_retries_total", dimensions: [("scheme", scheme)]).increment()
    }
}
