import Testing
import WeirCatalog

@Suite struct CatalogErrorTests {
    @Test func describesWithItsMessage() {
        let error = CatalogError(.notFound, .metalake, "Metalake m1 does not exist")
        #expect(error.description == "Metalake m1 does not exist" && error.kind == .notFound && error.subject == .metalake)
    }
}
