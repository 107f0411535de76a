import Foundation
import WeirFileIO
import WeirTestSupport

// Helpers shared by the WeirTableTests suites.

/// A seed from the environment (`WEIR_TEST_SEED`) or a fresh one.
func testSeed() -> UInt64 {
    if let text = ProcessInfo.processInfo.environment["WEIR_TEST_SEED"], let seed = UInt64(text) { return seed }
    return UInt64.random(in: 1...UInt64.max)
}

/// The pypaimon fixture database (read-only: copy a table before writing to it).
let fixtureDatabase = URL(fileURLWithPath: PackageRoot.path + "/../shared/fixtures/pypaimon/warehouse/db.db").standardizedFileURL.path

/// A local path (absolute, or a file:// URI) as a storage path.
func localPath(_ text: String) throws -> StoragePath { try StoragePath(parsingLocalOrURI: text, currentDirectory: "/") }
