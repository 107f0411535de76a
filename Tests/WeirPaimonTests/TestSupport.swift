import Foundation
import Testing
import WeirPaimon
import WeirTestSupport

/// The pypaimon 2.1.0 fixture warehouse (CI clones the repository with `shared/` beside it).
let fixtureDatabase = PackageRoot.path + "/../shared/fixtures/pypaimon/warehouse/db.db"

/// The fixture tables (directories of the database).
func fixtureTables() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: fixtureDatabase).filter { !$0.hasPrefix(".") }.sorted()
}

/// The names in `table/<directory>`, sorted.
func fixtureFiles(_ table: String, _ directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: "\(fixtureDatabase)/\(table)/\(directory)").sorted()
}

func fixtureBytes(_ relativePath: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: "\(fixtureDatabase)/\(relativePath)") else {
        throw TestFailure("cannot read fixture \(relativePath) under \(fixtureDatabase)")
    }
    return [UInt8](data)
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Bytes from hex text; spaces, `│` and line breaks are ignored.
func hex(_ text: String) -> [UInt8] {
    let digits = text.unicodeScalars.filter { $0.properties.isASCIIHexDigit }.map { Character($0) }
    precondition(digits.count % 2 == 0, "odd number of hex digits in \(text)")
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
}

func hexString(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

/// The PaimonFormatError `body` throws, nil when it throws nothing; any other error is a test failure.
func paimonError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> PaimonFormatError? {
    do {
        try body()
        return nil
    } catch let error as PaimonFormatError {
        return error
    } catch {
        Issue.record("expected a PaimonFormatError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
