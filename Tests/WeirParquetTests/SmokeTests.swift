import Testing
import WeirColumnar
@testable import WeirParquet

@Suite struct SmokeTests {
    @Test func flatRoundTrip() async throws {
        let schema = RowType([PQ.field(0, "id", DataType(.bigint, nullable: false)), PQ.field(1, "name", .string),
                              PQ.field(2, "d", DataType(.decimal(precision: 10, scale: 2)))])
        let batch = try PQ.batch(schema, [[.integer(1), .string("a"), .decimal(unscaled: 123, scale: 2)],
                                          [.integer(2), .null, .null],
                                          [.integer(3), .string(""), .decimal(unscaled: -5, scale: 2)]])
        let (readSchema, batches) = try await PQ.roundTrip(schema, [batch])
        #expect(readSchema.fields.map(\.name) == ["id", "name", "d"])
        #expect(PQ.rows(batches) == PQ.rows([batch]))
    }
}
