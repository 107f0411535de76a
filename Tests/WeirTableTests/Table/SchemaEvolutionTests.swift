import Testing
import WeirColumnar
import WeirPaimon
@testable import WeirTable

@Suite struct SchemaEvolutionTests {
    func base() throws -> TableSchema {
        try TableSchema.create(
            columns: [.init("dt", .string), .init("id", DataType(.bigint)), .init("qty", DataType(.int)), .init("note", .string)],
            partitionKeys: ["dt"], primaryKeys: ["dt", "id"], options: ["bucket": "2"], timeMillis: 1)
    }

    @Test func addRenameDropWidenKeepFieldIds() throws {
        let s0 = try base()
        let s1 = try SchemaEvolution.apply([
            .addColumn(name: "extra", type: DataType(.int), description: nil),
            .renameColumn(from: "note", to: "comment"),
            .updateColumnType(name: "qty", type: DataType(.bigint)),
            .dropColumn(name: "extra"),
            .addColumn(name: "score", type: DataType(.double), description: "new"),
        ], to: s0, timeMillis: 2)
        #expect(s1.id == 1)
        #expect(s1.fields.map(\.name) == ["dt", "id", "qty", "comment", "score"])
        #expect(s1.fields.map(\.id) == [0, 1, 2, 3, 5], "ids are never reused: the dropped 'extra' had 4")
        #expect(s1.highestFieldId == 5)
        #expect(s1.fields[2].type == DataType(.bigint))
    }

    @Test func keysAndImmutableOptionsAreProtected() throws {
        let s0 = try base()
        func message(_ change: SchemaChange) -> String {
            do { _ = try SchemaEvolution.apply([change], to: s0, timeMillis: 2); return "applied" } catch { return error.description }
        }
        #expect(message(.dropColumn(name: "dt")).contains("cannot drop partition column dt"))
        #expect(message(.renameColumn(from: "id", to: "key")).contains("cannot rename primary key column id"))
        #expect(message(.updateColumnType(name: "qty", type: DataType(.smallint))).contains("only widening"))
        #expect(message(.updateColumnType(name: "note", type: DataType(.int))).contains("only widening"))
        #expect(message(.addColumn(name: "qty", type: DataType(.int), description: nil)).contains("already exists"))
        #expect(message(.addColumn(name: "x", type: DataType(.int, nullable: false), description: nil)).contains("must be nullable"))
        #expect(message(.setOption(key: "bucket", value: "4")).contains("cannot be changed"))
        #expect(message(.dropColumn(name: "nope")).contains("no column named"))
        #expect(message(.setOption(key: "snapshot.num-retained.min", value: "3")) == "applied")
    }

    @Test func wideningRules() {
        #expect(SchemaEvolution.isWidening(from: DataType(.tinyint), to: DataType(.bigint)))
        #expect(SchemaEvolution.isWidening(from: DataType(.int), to: DataType(.double)))
        #expect(!SchemaEvolution.isWidening(from: DataType(.bigint), to: DataType(.double)))
        #expect(SchemaEvolution.isWidening(from: DataType(.decimal(precision: 10, scale: 2)), to: DataType(.decimal(precision: 20, scale: 2))))
        #expect(!SchemaEvolution.isWidening(from: DataType(.decimal(precision: 10, scale: 2)), to: DataType(.decimal(precision: 20, scale: 3))))
        #expect(SchemaEvolution.isWidening(from: DataType(.int, nullable: false), to: DataType(.int)))
        #expect(!SchemaEvolution.isWidening(from: DataType(.int), to: DataType(.int, nullable: false)))
        #expect(SchemaEvolution.isWidening(from: DataType(.varchar(length: 10)), to: .string))
    }
}

@Suite struct TableIdentifierTests {
    @Test func parsesAndRejectsEscapes() throws {
        let id = try TableIdentifier(parsing: "db.orders.v2")
        #expect(id.database == "db" && id.table == "orders.v2")
        for bad in ["nodot", ".t", "db.", "db./x", "db.a/b", "db..", "db.\u{1}x", "../x.t"] {
            #expect(throws: TableError.self, "\(bad.debugDescription) must be rejected") { try TableIdentifier(parsing: bad) }
        }
    }
}
