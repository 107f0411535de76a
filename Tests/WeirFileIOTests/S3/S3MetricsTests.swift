import CoreMetrics
import Foundation
import Synchronization
import Testing
import WeirFileIO
import WeirTestSupport

/// A swift-metrics backend that adds up counters by label and dimensions, bootstrapped once for the whole test
/// process (the weir coordinator bootstraps Prometheus the same way; nothing else in the tests bootstraps).
final class CountingMetrics: MetricsFactory, Sendable {
    static let shared: CountingMetrics = {
        let metrics = CountingMetrics()
        MetricsSystem.bootstrap(metrics)
        return metrics
    }()

    let counts = Mutex<[String: Int64]>([:])

    static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        label + "{" + dimensions.map { "\($0.0)=\($0.1)" }.sorted().joined(separator: ",") + "}"
    }

    func value(_ label: String, _ dimensions: [(String, String)]) -> Int64 {
        counts.withLock { $0[Self.key(label, dimensions)] ?? 0 }
    }

    final class Handler: CounterHandler, RecorderHandler, TimerHandler, Sendable {
        let key: String
        let metrics: CountingMetrics
        init(_ key: String, _ metrics: CountingMetrics) { self.key = key; self.metrics = metrics }
        func increment(by amount: Int64) { metrics.counts.withLock { $0[key, default: 0] += amount } }
        func reset() {}
        func record(_ value: Int64) {}
        func record(_ value: Double) {}
        func recordNanoseconds(_ duration: Int64) {}
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler { Handler(Self.key(label, dimensions), self) }
    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler { Handler(Self.key(label, dimensions), self) }
    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler { Handler(Self.key(label, dimensions), self) }
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}

/// The FileIO metrics the coordinator serves on `/metrics`: S3 requests, the failed ones, and retries. Other suites
/// send S3 requests at the same time, so the checks are lower bounds on what this test's own requests add.
@Suite(.moto) struct S3MetricsTests {
    @Test func requestsErrorsAndRetriesAreCounted() async throws {
        let metrics = CountingMetrics.shared
        let requests = { (operation: String) in metrics.value("weir_fileio_requests_total", [("scheme", "s3"), ("operation", operation)]) }
        let errors = { (operation: String) in metrics.value("weir_fileio_errors_total", [("scheme", "s3"), ("operation", operation)]) }
        let retries = { metrics.value("weir_fileio_retries_total", [("scheme", "s3")]) }
        let (io, _) = try S3FaultTests.fileIO(rules: [.init([.putObject], .status(503), limit: 2)], seed: 7, attemptsMax: 5)
        let bucket = S3TestSupport.bucketName("metrics")
        try await S3FaultTests.cleanFileIO().createBucket(bucket)
        let path = try StoragePath(parsing: "s3://\(bucket)/counted")

        let before = (put: requests("putObject"), putErrors: errors("putObject"), retries: retries(), get: requests("getObject"))
        try await S3TestSupport.put(io, path, [1, 2, 3], overwrite: true)
        #expect(try await S3TestSupport.get(io, path, chunkBytes: 1024) == [1, 2, 3])
        #expect(requests("putObject") - before.put >= 3, "two answered 503, the third stored the object")
        #expect(errors("putObject") - before.putErrors >= 2)
        #expect(retries() - before.retries >= 2)
        #expect(requests("getObject") - before.get >= 1)
    }
}
