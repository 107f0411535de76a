// swift-tools-version:6.1
// libFuzzer targets for Weir's decoders (one per file format, and the cluster protocol). Build and run with `Fuzz/run FORMAT [SECONDS]`,
// which compiles with `-sanitize=fuzzer,address`; not part of the test suite (the test suite runs a fixed
// corpus of mutated files instead).
import PackageDescription

let fuzzSettings: [SwiftSetting] = [.unsafeFlags(["-sanitize=fuzzer,address", "-parse-as-library"])]
let fuzzLinker: [LinkerSetting] = [.unsafeFlags(["-sanitize=fuzzer,address"])]

let package = Package(
    name: "WeirFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Weir", path: "..")],
    targets: [
        .executableTarget(name: "ParquetFuzz", dependencies: [.product(name: "WeirParquet", package: "Weir")],
                          swiftSettings: fuzzSettings, linkerSettings: fuzzLinker),
        .executableTarget(name: "ORCFuzz", dependencies: [.product(name: "WeirORC", package: "Weir")],
                          swiftSettings: fuzzSettings, linkerSettings: fuzzLinker),
        .executableTarget(name: "AvroFuzz", dependencies: [.product(name: "WeirAvro", package: "Weir")],
                          swiftSettings: fuzzSettings, linkerSettings: fuzzLinker),
        .executableTarget(name: "ProtocolFuzz", dependencies: [.product(name: "WeirProtocol", package: "Weir")],
                          swiftSettings: fuzzSettings, linkerSettings: fuzzLinker),
    ]
)
