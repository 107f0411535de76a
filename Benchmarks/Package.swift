// swift-tools-version:6.1
// Release-build benchmarks of Weir, run beside their peers by `Benchmarks/run` (figures and ratios from one run).
import PackageDescription

let package = Package(
    name: "WeirBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Weir", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "codec-bench",
            dependencies: [.product(name: "WeirCodecs", package: "Weir")],
            path: "Sources/CodecBench"
        ),
        .executableTarget(
            name: "parquet-bench",
            dependencies: [
                .product(name: "WeirParquet", package: "Weir"),
                .product(name: "WeirColumnar", package: "Weir"),
                .product(name: "WeirFileIO", package: "Weir"),
            ],
            path: "Sources/ParquetBench"
        ),
    ]
)
