import Foundation
import WeirFileIO
import WeirTestSupport

// Helpers shared by the WeirTableTests suites.

/// A seeded generator (SplitMix64) so failures can be replayed from the printed seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A seed from the environment (`WEIR_TEST_SEED`) or a fresh one.
func testSeed() -> UInt64 {
    if let text = ProcessInfo.processInfo.environment["WEIR_TEST_SEED"], let seed = UInt64(text) { return seed }
    return UInt64.random(in: 1...UInt64.max)
}

/// The pypaimon fixture database (read-only: copy a table before writing to it).
let fixtureDatabase = URL(fileURLWithPath: PackageRoot.path + "/../shared/fixtures/pypaimon/warehouse/db.db").standardizedFileURL.path

/// A local path (absolute, or a file:// URI) as a storage path.
func localPath(_ text: String) throws -> StoragePath { try StoragePath(parsingLocalOrURI: text, currentDirectory: "/") }
