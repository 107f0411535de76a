import Testing
import WeirAvro

@Suite struct AvroErrorTests {
    /// Errors name the file, where in it, and what is wrong, in that order.
    @Test func descriptionNamesFileLocationAndProblem() {
        #expect(AvroError(file: "s3://b/t/data-1.x", location: "footer", "truncated").description == "s3://b/t/data-1.x: footer: truncated")
        #expect(AvroError(file: "in-memory", "bad magic").description == "in-memory: bad magic")
    }
}
