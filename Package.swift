// swift-tools-version:6.1
// Weir: a lakehouse compute cluster. The targets below follow the layering of DESIGN.md section 2:
// a target imports only what it declares here, and only from layers below it (scripts/check-layering
// and `--explicit-target-dependency-import-check error` enforce both).
import PackageDescription

let package = Package(
    name: "Weir",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "weir", targets: ["weir"]),
        .library(name: "WeirCodecs", targets: ["WeirCodecs"]),
        .library(name: "WeirFileIO", targets: ["WeirFileIO"]),
        .library(name: "WeirColumnar", targets: ["WeirColumnar"]),
        .library(name: "WeirParquet", targets: ["WeirParquet"]),
        .library(name: "WeirORC", targets: ["WeirORC"]),
        .library(name: "WeirAvro", targets: ["WeirAvro"]),
        .library(name: "WeirTextFormats", targets: ["WeirTextFormats"]),
        .library(name: "WeirPaimon", targets: ["WeirPaimon"]),
        .library(name: "WeirTable", targets: ["WeirTable"]),
        .library(name: "WeirProtocol", targets: ["WeirProtocol"]),
        .library(name: "WeirCluster", targets: ["WeirCluster"]),
        .library(name: "WeirJobs", targets: ["WeirJobs"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // C shims: module maps over the system libraries (Debian: libzstd-dev, liblz4-dev, libssl-dev, zlib1g-dev).
        .systemLibrary(name: "CZstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CLZ4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "COpenSSL", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CMalloc"),  // glibc's <malloc.h>, for the executable's allocator settings

        // Codecs (pure: no I/O).
        .target(name: "WeirCodecs", dependencies: ["CZstd", "CLZ4", "CZlib", "COpenSSL"]),

        // In-memory column batches and Paimon's logical types (pure: no I/O).
        .target(name: "WeirColumnar"),

        // Storage.
        .target(
            name: "WeirFileIO",
            dependencies: [
                "WeirCodecs",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // File formats over column batches: Parquet, ORC, Avro (data files and Paimon's manifests), JSONL and CSV.
        .target(name: "WeirParquet", dependencies: ["WeirColumnar", "WeirCodecs", "WeirFileIO"]),
        .target(name: "WeirORC", dependencies: ["WeirColumnar", "WeirCodecs", "WeirFileIO"]),
        .target(name: "WeirAvro", dependencies: ["WeirColumnar", "WeirCodecs", "WeirFileIO"]),
        .target(name: "WeirTextFormats", dependencies: ["WeirColumnar", "WeirCodecs", "WeirFileIO"]),

        // Paimon's on-disk types (pure): schema and snapshot JSON, BinaryRow, buckets, partition paths, file and
        // manifest metadata, options. Names follow Java Paimon.
        .target(name: "WeirPaimon", dependencies: ["WeirColumnar", "WeirCodecs"]),

        // The table engine: write buffer and flush, merge engines, k-way merge reader, commit with conflict
        // detection, scan planning with pruning, expiration, tags, schema evolution.
        .target(
            name: "WeirTable",
            dependencies: ["WeirPaimon", "WeirParquet", "WeirORC", "WeirAvro", "WeirTextFormats", "WeirColumnar", "WeirCodecs", "WeirFileIO"]
        ),

        // The cluster's wire protocol (pure, no sockets): frames, messages, the authenticated handshake.
        .target(name: "WeirProtocol", dependencies: ["WeirCodecs"]),

        // Metadata: the catalog model (metalakes, catalogs, schemas, tables, filesets, models, tags) and its stores
        // (SQLite through GRDB, PostgreSQL through PostgresNIO); later also jobs and cluster state.
        .target(
            name: "WeirCatalog",
            dependencies: [
                "WeirFileIO", "WeirColumnar", "WeirPaimon", "WeirTable",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // HTTP: the Gravitino-compatible REST API (and later cluster status and metrics) on Hummingbird.
        .target(
            name: "WeirHTTP",
            dependencies: [
                "WeirCatalog", "WeirCluster", "WeirFileIO",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The cluster runtime: coordinator (worker registry, scheduler, job and task state in the catalog store) and
        // worker (task slots, executors), over SwiftNIO with the WeirProtocol frames; swift-service-lifecycle services.
        .target(
            name: "WeirCluster",
            dependencies: [
                "WeirProtocol", "WeirCatalog", "WeirFileIO", "WeirCodecs",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),

        // The jobs the cluster runs (ingest, compact, ...): how each splits into tasks, runs them and commits.
        .target(
            name: "WeirJobs",
            dependencies: ["WeirCluster", "WeirTable", "WeirPaimon", "WeirParquet", "WeirTextFormats", "WeirColumnar", "WeirFileIO"]
        ),

        // The `weir` command.
        .executableTarget(
            name: "weir",
            dependencies: [
                "WeirFileIO",
                "WeirCodecs",
                "WeirColumnar",
                "WeirParquet",
                "WeirORC",
                "WeirAvro",
                "WeirTextFormats",
                "WeirPaimon",
                "WeirTable",
                "WeirCatalog",
                "WeirCluster",
                "WeirJobs",
                "WeirHTTP",
                "CMalloc",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Test support: starting real servers (moto, the JuiceFS gateway) on free loopback ports, stopped by PID.
        .target(name: "WeirTestSupport", dependencies: ["WeirFileIO"], path: "Tests/WeirTestSupport"),

        .testTarget(name: "WeirCodecsTests", dependencies: ["WeirCodecs"]),
        .testTarget(name: "WeirColumnarTests", dependencies: ["WeirColumnar"]),
        .testTarget(
            name: "WeirFileIOTests",
            dependencies: [
                "WeirFileIO", "WeirCodecs", "WeirTestSupport",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "WeirParquetTests", dependencies: ["WeirParquet", "WeirColumnar", "WeirCodecs", "WeirFileIO", "WeirTestSupport"]),
        .testTarget(name: "WeirORCTests", dependencies: ["WeirORC", "WeirColumnar", "WeirCodecs", "WeirFileIO", "WeirTestSupport"]),
        .testTarget(name: "WeirAvroTests", dependencies: ["WeirAvro", "WeirColumnar", "WeirCodecs", "WeirFileIO", "WeirTestSupport"]),
        .testTarget(name: "WeirPaimonTests", dependencies: ["WeirPaimon", "WeirColumnar", "WeirCodecs", "WeirTestSupport"]),
        .testTarget(
            name: "WeirTableTests",
            dependencies: ["WeirTable", "WeirPaimon", "WeirParquet", "WeirAvro", "WeirColumnar", "WeirCodecs", "WeirFileIO", "WeirTestSupport"]
        ),
        .testTarget(name: "WeirProtocolTests", dependencies: ["WeirProtocol", "WeirCodecs"]),
        .testTarget(
            name: "WeirClusterTests",
            dependencies: ["WeirCluster", "WeirProtocol", "WeirCatalog", "WeirFileIO", "WeirTestSupport",
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOEmbedded", package: "swift-nio")]
        ),
        .testTarget(
            name: "WeirJobsTests",
            dependencies: ["WeirJobs", "WeirCluster", "WeirTable", "WeirPaimon", "WeirParquet", "WeirColumnar", "WeirFileIO", "WeirTextFormats", "WeirTestSupport"]
        ),
        .testTarget(name: "WeirCatalogTests", dependencies: ["WeirCatalog", "WeirFileIO", "WeirTestSupport"]),
        .testTarget(
            name: "WeirHTTPTests",
            dependencies: [
                "WeirHTTP", "WeirCatalog", "WeirCodecs", "WeirFileIO", "WeirTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "WeirTextFormatsTests", dependencies: ["WeirTextFormats", "WeirColumnar", "WeirCodecs", "WeirFileIO"]),
        // Checks against the real peers from PyPI (pyarrow, duckdb, fastavro, pypaimon), run from .venv-interop.
        .testTarget(
            name: "WeirInteropTests",
            dependencies: ["WeirParquet", "WeirORC", "WeirAvro", "WeirTextFormats", "WeirColumnar", "WeirCodecs", "WeirFileIO",
                           "WeirPaimon", "WeirTable", "WeirCatalog", "WeirHTTP", "WeirTestSupport"],
            path: "Tests/Interop",
            exclude: ["peers", "requirements.txt", "requirements-gravitino.txt"]
        ),
        .testTarget(name: "WeirCLITests", dependencies: ["WeirFileIO", "WeirCodecs", "WeirColumnar", "WeirParquet", "WeirProtocol", "WeirTestSupport"]),
    ]
)
