import Testing
import WeirFileIO
@testable import WeirTable

@Suite struct TableErrorTests {
    @Test func descriptionNamesTheSubject() {
        #expect(TableError(.invalidInput, "line 17", "column price: \"abc\" is not a DECIMAL(10,2)").description
                == "line 17: column price: \"abc\" is not a DECIMAL(10,2)")
        #expect(TableError(.conflict, "", "File deletion conflicts detected").description == "File deletion conflicts detected")
    }

    @Test func missingFileBecomesNotFound() {
        let error = TableError.io(FileIOError(.notFound, path: "snapshot/snapshot-3", "no such file"), "db.t")
        #expect(error.kind == .notFound)
        #expect(TableError.io(FileIOError(.transient, path: "x", "reset"), "db.t").kind == .io)
    }
}
