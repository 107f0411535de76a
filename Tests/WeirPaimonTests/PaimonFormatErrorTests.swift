import Testing
import WeirPaimon

@Suite struct PaimonFormatErrorTests {
    @Test func namesTheSubjectFirst() {
        #expect(PaimonFormatError("snapshot-7", "missing \"schemaId\"").description == "snapshot-7: missing \"schemaId\"")
    }
}
