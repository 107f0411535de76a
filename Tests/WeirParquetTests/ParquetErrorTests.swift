import Testing
import WeirParquet

@Suite struct ParquetErrorTests {
    /// Errors name the file, where in it, and what is wrong, in that order.
    @Test func descriptionNamesFileLocationAndProblem() {
        #expect(ParquetError(file: "s3://b/t/data-1.x", location: "footer", "truncated").description == "s3://b/t/data-1.x: footer: truncated")
        #expect(ParquetError(file: "in-memory", "bad magic").description == "in-memory: bad magic")
    }
}
