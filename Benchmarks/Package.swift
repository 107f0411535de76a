// swift-tools-version:6.1
// Release-build benchmarks of Weir, run beside their peers by `Benchmarks/run` (figures and ratios from one run).
import PackageDescription

let package = Package(
    name: "WeirBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Weir", path: ".."),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // Wall-clock and CPU time and resource usage, as every benchmark measures itself.
        .target(name: "BenchClock", path: "Sources/BenchClock"),
        .executableTarget(
            name: "codec-bench",
            dependencies: [.product(name: "WeirCodecs", package: "Weir")],
            path: "Sources/CodecBench"
        ),
        .executableTarget(
            name: "parquet-bench",
            dependencies: [
                "BenchClock",
                .product(name: "WeirParquet", package: "Weir"),
                .product(name: "WeirColumnar", package: "Weir"),
                .product(name: "WeirFileIO", package: "Weir"),
            ],
            path: "Sources/ParquetBench"
        ),
        // The Paimon table benchmark (load, update, merged read) run beside pypaimon and pypaimon-rust by `Benchmarks/run table`.
        .executableTarget(
            name: "table-bench",
            dependencies: [
                "BenchClock",
                .product(name: "WeirTable", package: "Weir"),
                .product(name: "WeirPaimon", package: "Weir"),
                .product(name: "WeirParquet", package: "Weir"),
                .product(name: "WeirColumnar", package: "Weir"),
                .product(name: "WeirFileIO", package: "Weir"),
            ],
            path: "Sources/TableBench"
        ),
        // Full compaction of one primary-key bucket beside its zstd ceiling, and point-lookup read amplification (`Benchmarks/run compact`).
        .executableTarget(
            name: "compact-bench",
            dependencies: [
                "BenchClock",
                .product(name: "WeirTable", package: "Weir"),
                .product(name: "WeirPaimon", package: "Weir"),
                .product(name: "WeirParquet", package: "Weir"),
                .product(name: "WeirCodecs", package: "Weir"),
                .product(name: "WeirColumnar", package: "Weir"),
                .product(name: "WeirFileIO", package: "Weir"),
            ],
            path: "Sources/CompactBench"
        ),
        // Load generator for the catalog REST API (run against a real `weir catalog serve` by `Benchmarks/run catalog`).
        .executableTarget(
            name: "catalog-bench",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Sources/CatalogBench"
        ),
    ]
)
