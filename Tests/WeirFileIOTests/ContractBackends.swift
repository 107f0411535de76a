import Foundation
import Testing
import WeirCodecs
import WeirFileIO
import WeirTestSupport

/// The backends the FileIO contract suite runs on. Each test gets a fresh, empty root on its backend.
enum ContractBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case local, memory, moto, juiceFS

    var testDescription: String { rawValue }

    /// A FileIO and a fresh root directory on it, removed by ``ContractContext/cleanUp()``.
    func makeContext() async throws -> ContractContext {
        let unique = UUID().uuidString.prefix(8).lowercased()
        switch self {
        case .local:
            let scratch = try Scratch("contract")
            return ContractContext(io: LocalFileIO(), root: try StoragePath(parsing: "file://" + scratch.path), cleanUp: { scratch.remove() })
        case .memory:
            return ContractContext(io: MemoryFileIO(), root: try StoragePath(parsing: "memory://contract/\(unique)"), cleanUp: {})
        case .moto:
            // A small part size so the 12 MiB streamed write goes through multipart upload.
            return try await Self.s3Context(S3FileIO(configuration: try CurrentServer.requireMoto().configuration(partBytes: 5 << 20)))
        case .juiceFS:
            var configuration = try CurrentServer.requireJuiceFS().configuration()
            configuration.partBytes = 5 << 20
            configuration.multipartThresholdBytes = 5 << 20
            return try await Self.s3Context(S3FileIO(configuration: configuration))
        }
    }

    /// A fresh bucket per test context, emptied and left behind for the server's scratch folder to take away.
    private static func s3Context(_ io: S3FileIO) async throws -> ContractContext {
        let bucket = S3TestSupport.bucketName("contract")
        try await io.createBucket(bucket)
        let root = try StoragePath(parsing: "s3://\(bucket)/root")
        return ContractContext(io: io, root: root, cleanUp: { _ = try? await io.delete(root, recursive: true) })
    }
}

struct ContractContext: Sendable {
    let io: any FileIO
    let root: StoragePath
    let cleanUp: @Sendable () async -> Void

    func path(_ relative: String) throws -> StoragePath { try root.appending(relative) }
}

/// Deterministic bytes for test content.
func testBytes(count: Int, seed: UInt64) -> [UInt8] {
    var generator = SplitMix64(seed: seed)
    var out = [UInt8]()
    out.reserveCapacity(count + 8)
    while out.count < count {
        withUnsafeBytes(of: generator.next().littleEndian) { out.append(contentsOf: $0) }
    }
    return Array(out.prefix(count))
}
