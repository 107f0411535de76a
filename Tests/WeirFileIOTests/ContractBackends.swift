import Foundation
import WeirFileIO
import WeirTestSupport

/// The backends the FileIO contract suite runs on. Each test gets a fresh, empty root on its backend.
enum ContractBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case local, memory

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
        }
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

import Testing
