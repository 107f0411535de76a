import Foundation
import Testing
import WeirCatalog
import WeirTestSupport

/// The ``CatalogStore`` contract, run on SQLite and on a real PostgreSQL 15.
@Suite(.postgres) struct StoreContractTests {
    let alice = Caller("alice"), bob = Caller("bob")

    @Test(arguments: StoreKind.allCases) func migrationsRunOnceInOrderAndRollBackWhole(kind: StoreKind) async throws {
        let scratch = try Scratch("store"); defer { scratch.remove() }
        let backend = try await StoreFactory.backend(kind, label: "migrations", scratch: scratch)
        let migrator = Migrator(backend: backend)
        let first = try await migrator.migrate(CatalogMigrations.all)
        #expect(first.map { "\($0.module)/\($0.version)" } == ["catalog/1"])
        let again = try await migrator.migrate(CatalogMigrations.all)
        #expect(again.isEmpty)
        let jobs = [
            Migration(module: "jobs", version: 1, summary: "jobs table") { _ in ["CREATE TABLE test_jobs (id BIGINT PRIMARY KEY, state TEXT NOT NULL)"] },
            Migration(module: "jobs", version: 2, summary: "a column") { _ in ["ALTER TABLE test_jobs ADD COLUMN worker TEXT"] },
        ]
        let applied = try await migrator.migrate(CatalogMigrations.all + jobs.reversed())
        #expect(applied.map { "\($0.module)/\($0.version)" } == ["jobs/1", "jobs/2"])
        #expect(try await migrator.appliedVersions() == ["catalog": 1, "jobs": 2])
        // A migration whose second statement fails leaves neither its first statement's table nor a version row.
        let broken = Migration(module: "broken", version: 1, summary: "fails halfway") { _ in
            ["CREATE TABLE test_half (id BIGINT)", "CREATE TABLE test_half (id BIGINT)"]
        }
        await #expect(throws: (any Error).self) { try await migrator.migrate([broken]) }
        #expect(try await migrator.appliedVersions()["broken"] == nil)
        try await backend.transaction { tx in try await tx.execute("CREATE TABLE test_half (id BIGINT)", []) }  // absent, so this works
        // Gaps in a module's numbering are refused before anything runs.
        let gap = Migration(module: "gap", version: 2, summary: "no 1") { _ in [] }
        await #expect(throws: CatalogError.self) { try await migrator.migrate([gap]) }
        await backend.close()
    }

    @Test(arguments: StoreKind.allCases) func concurrentCreatesOfOneNameLeaveExactlyOne(kind: StoreKind) async throws {
        let scratch = try Scratch("store"); defer { scratch.remove() }
        let store = try await StoreFactory.store(kind, label: "race", scratch: scratch)
        let sibling = try StoreFactory.sibling(of: store)
        // 16 creators over two connections (pools) per name, for a metalake, a catalog, a schema and a model version alias.
        func race(_ attempt: @escaping @Sendable (SQLCatalogStore, Int) async throws -> Void) async -> (wins: Int, exists: Int, other: [String]) {
            await withTaskGroup(of: Result<Void, any Error>.self) { group in
                for i in 0..<16 {
                    let s = i % 2 == 0 ? store : sibling
                    group.addTask { do { try await attempt(s, i); return .success(()) } catch { return .failure(error) } }
                }
                var wins = 0, exists = 0
                var other: [String] = []
                for await result in group {
                    switch result {
                    case .success: wins += 1
                    case .failure(let error as CatalogError) where error.kind == .alreadyExists: exists += 1
                    case .failure(let error): other.append("\(error)")
                    }
                }
                return (wins, exists, other)
            }
        }
        let metalakes = await race { s, _ in _ = try await s.createMetalake(name: "ml", comment: nil, properties: [:], caller: .anonymous) }
        #expect(metalakes.wins == 1 && metalakes.exists == 15 && metalakes.other.isEmpty, "\(metalakes)")
        let catalogs = await race { s, _ in
            _ = try await s.createCatalog(CatalogPath("ml", "cat"), type: .model, provider: "model", comment: nil, properties: [:], caller: .anonymous)
        }
        #expect(catalogs.wins == 1 && catalogs.exists == 15 && catalogs.other.isEmpty, "\(catalogs)")
        let schemas = await race { s, _ in _ = try await s.createSchema(SchemaPath("ml", "cat", "sch"), comment: nil, properties: [:], caller: .anonymous) }
        #expect(schemas.wins == 1 && schemas.exists == 15 && schemas.other.isEmpty, "\(schemas)")
        let model = ObjectPath("ml", "cat", "sch", "m")
        _ = try await store.registerModel(model, comment: nil, properties: [:], caller: .anonymous)
        let aliases = await race { s, i in _ = try await s.linkModelVersion(model, uris: ["unknown": "s3://b/\(i)"], aliases: ["prod"], comment: nil, properties: [:], caller: .anonymous) }
        #expect(aliases.wins == 1 && aliases.exists == 15 && aliases.other.isEmpty, "\(aliases)")
        // Links without aliases all win, with distinct version numbers.
        let links = await race { s, i in _ = try await s.linkModelVersion(model, uris: ["unknown": "s3://b/x\(i)"], aliases: [], comment: nil, properties: [:], caller: .anonymous) }
        #expect(links.wins == 16 && links.other.isEmpty, "\(links)")
        let versions = try await store.listModelVersions(model).map(\.version)
        #expect(versions == Array(0..<17), "\(versions)")
        #expect(try await store.listMetalakes().map(\.name) == ["ml"])
        await sibling.close()
        await store.close()
    }

    @Test(arguments: StoreKind.allCases) func auditFieldsRecordCreatorAndLastModifier(kind: StoreKind) async throws {
        let scratch = try Scratch("store"); defer { scratch.remove() }
        let clock = TestClock()
        let store = try await StoreFactory.store(kind, label: "audit", scratch: scratch, clock: clock)
        let created = try await store.createMetalake(name: "ml", comment: "c", properties: ["k": "v"], caller: alice)
        let t0 = clock.now
        #expect(created.audit == AuditInfo(creator: "alice", createTime: t0, lastModifier: "alice", lastModifiedTime: t0))
        clock.advance(1_234)
        let altered = try await store.alterMetalake("ml", changes: [.setProperty("k", "w"), .updateComment("d")], caller: bob)
        let loaded = try await store.metalake("ml")
        #expect(altered.audit == loaded.audit)
        #expect(loaded.audit == AuditInfo(creator: "alice", createTime: t0, lastModifier: "bob", lastModifiedTime: clock.now))
        #expect(loaded.properties == ["k": "w"] && loaded.comment == "d")
        // Every kind carries audit through its store round trip.
        _ = try await store.createCatalog(CatalogPath("ml", "c"), type: .relational, provider: "hive", comment: nil, properties: [:], caller: alice)
        _ = try await store.createSchema(SchemaPath("ml", "c", "s"), comment: nil, properties: [:], caller: alice)
        clock.advance(10)
        let table = Table(name: "t", comment: nil, columns: [Column(name: "id", type: .string("long"))], properties: [:], audit: .created(by: "x", at: .distantPast))
        _ = try await store.createTable(SchemaPath("ml", "c", "s"), table, caller: alice)
        clock.advance(10)
        let altTable = try await store.alterTable(ObjectPath("ml", "c", "s", "t"), changes: [.setProperty("a", "b")], caller: bob)
        #expect(altTable.audit.creator == "alice" && altTable.audit.lastModifier == "bob")
        #expect(altTable.audit.lastModifiedTime.millisecondsSince1970 - altTable.audit.createTime.millisecondsSince1970 == 10)
        #expect(try await store.table(ObjectPath("ml", "c", "s", "t")).audit == altTable.audit)
        _ = try await store.createTag(metalake: "ml", name: "pii", comment: nil, properties: [:], caller: bob)
        #expect(try await store.tag(metalake: "ml", name: "pii").audit.creator == "bob")
        await store.close()
    }

    @Test(arguments: StoreKind.allCases) func metalakeAndCatalogRules(kind: StoreKind) async throws {
        let scratch = try Scratch("store"); defer { scratch.remove() }
        let store = try await StoreFactory.store(kind, label: "rules", scratch: scratch)
        _ = try await store.createMetalake(name: "ml", comment: nil, properties: [:], caller: alice)
        await expectCatalogError(.alreadyExists, .metalake) { try await store.createMetalake(name: "ml", comment: nil, properties: [:], caller: alice) }
        await expectCatalogError(.illegalArgument) { try await store.createMetalake(name: "a/b", comment: nil, properties: [:], caller: alice) }
        await expectCatalogError(.illegalArgument) { try await store.createMetalake(name: "a..b", comment: nil, properties: [:], caller: alice) }
        await expectCatalogError(.illegalArgument) { try await store.createMetalake(name: String(repeating: "x", count: 300), comment: nil, properties: [:], caller: alice) }
        let cat = CatalogPath("ml", "c")
        _ = try await store.createCatalog(cat, type: .fileset, provider: "fileset", comment: nil, properties: ["location": "/tmp/x"], caller: alice)
        _ = try await store.createSchema(SchemaPath("ml", "c", "s"), comment: nil, properties: [:], caller: alice)
        // In use: drops need disabling or force; non-empty needs force.
        await expectCatalogError(.inUse, .catalog) { try await store.dropCatalog(cat, force: false) }
        try await store.setCatalogInUse(cat, false, caller: alice)
        await expectCatalogError(.notInUse, .catalog) { try await store.listSchemas(cat) }
        await expectCatalogError(.notInUse, .catalog) { try await store.alterCatalog(cat, changes: [.setProperty("a", "b")], caller: alice) }
        #expect(try await store.catalog(cat).inUse == false)
        await expectCatalogError(.nonEmpty, .catalog) { try await store.dropCatalog(cat, force: false) }
        try await store.setCatalogInUse(cat, true, caller: alice)
        // Rename onto a taken name fails; rename moves the children along.
        _ = try await store.createCatalog(CatalogPath("ml", "d"), type: .model, provider: "model", comment: nil, properties: [:], caller: alice)
        await expectCatalogError(.alreadyExists, .catalog) { try await store.alterCatalog(cat, changes: [.rename("d")], caller: alice) }
        _ = try await store.alterCatalog(cat, changes: [.rename("c2")], caller: alice)
        #expect(try await store.listSchemas(CatalogPath("ml", "c2")).map(\.name) == ["s"])
        // Metalake: disabled refuses what is below it; drop rules.
        try await store.setMetalakeInUse("ml", false, caller: alice)
        await expectCatalogError(.notInUse, .metalake) { try await store.listCatalogs(metalake: "ml") }
        await expectCatalogError(.notInUse, .metalake) { try await store.alterMetalake("ml", changes: [.updateComment("x")], caller: alice) }
        await expectCatalogError(.nonEmpty, .metalake) { try await store.dropMetalake("ml", force: false) }
        #expect(try await store.dropMetalake("nope", force: false) == false)
        try await store.setMetalakeInUse("ml", true, caller: alice)
        await expectCatalogError(.inUse, .metalake) { try await store.dropMetalake("ml", force: false) }
        #expect(try await store.dropMetalake("ml", force: true) == true)
        #expect(try await store.listMetalakes().isEmpty)
        // Nothing of the dropped metalake is left behind.
        let leftovers = try await store.backend.transaction { tx in try await tx.query("SELECT COUNT(*) FROM catalog_entities", []) }
        #expect(leftovers.first?.first == .integer(0))
        await store.close()
    }

    @Test(arguments: StoreKind.allCases) func schemasTablesAndFilesets(kind: StoreKind) async throws {
        let scratch = try Scratch("store"); defer { scratch.remove() }
        let store = try await StoreFactory.store(kind, label: "objects", scratch: scratch)
        _ = try await store.createMetalake(name: "ml", comment: nil, properties: [:], caller: alice)
        _ = try await store.createCatalog(CatalogPath("ml", "rel"), type: .relational, provider: "hive", comment: nil, properties: [:], caller: alice)
        let schema = SchemaPath("ml", "rel", "db")
        _ = try await store.createSchema(schema, comment: "db", properties: ["a": "1"], caller: alice)
        await expectCatalogError(.alreadyExists, .schema) { try await store.createSchema(schema, comment: nil, properties: [:], caller: alice) }
        await expectCatalogError(.notFound, .schema) { try await store.schema(SchemaPath("ml", "rel", "nope")) }
        await expectCatalogError(.notFound, .catalog) { try await store.schema(SchemaPath("ml", "nope", "db")) }
        let columns = [
            Column(name: "id", type: .string("long"), comment: "key", nullable: false, autoIncrement: true),
            Column(name: "name", type: .string("varchar(20)"), defaultValue: .object(["type": .string("literal"), "dataType": .string("varchar(20)"), "value": .string("x")])),
            Column(name: "tags", type: .object(["type": .string("list"), "elementType": .string("string"), "containsNull": .bool(true)])),
            Column(name: "dt", type: .string("date")),
        ]
        let table = Table(name: "t", comment: "tbl", columns: columns, properties: ["bucket": "4"],
                          partitioning: [try Partitioning(json: .object(["strategy": .string("IDENTITY"), "fieldName": .array([.string("dt")])]))],
                          distribution: Distribution(strategy: .hash, number: 4, funcArgs: [.object(["type": .string("field"), "fieldName": .array([.string("id")])])]),
                          sortOrders: [SortOrder(sortTerm: .object(["type": .string("field"), "fieldName": .array([.string("id")])]), direction: .desc, nullOrdering: .nullsLast)],
                          indexes: [TableIndex(indexType: .primaryKey, name: "pk", fieldNames: [["id"]])], audit: .created(by: "", at: .distantPast))
        let created = try await store.createTable(schema, table, caller: alice)
        let loaded = try await store.table(ObjectPath(schema, "t"))
        #expect(loaded == created)
        #expect(loaded.partitioning.first?.strategy == "identity")
        #expect(loaded.columns == columns && loaded.distribution.number == 4 && loaded.indexes.first?.name == "pk")
        await expectCatalogError(.illegalArgument) {
            try await store.createTable(schema, Table(name: "bad", comment: nil, columns: [Column(name: "x", type: .string("nosuchtype"))], properties: [:], audit: created.audit), caller: alice)
        }
        await expectCatalogError(.illegalArgument) {
            try await store.createTable(schema, Table(name: "dup", comment: nil, columns: [Column(name: "x", type: .string("long")), Column(name: "X", type: .string("long"))], properties: [:], audit: created.audit), caller: alice)
        }
        let altered = try await store.alterTable(ObjectPath(schema, "t"), changes: [
            .addColumn(Column(name: "v", type: .string("double")), path: ["v"], position: .after("id")),
            .renameColumn(path: ["name"], newName: "title"),
            .updateColumnNullability(path: ["title"], nullable: false),
            .deleteColumn(path: ["nope"], ifExists: true),
            .updateComment("new"),
            .removeProperty("bucket"),
            .rename(newName: "t2", newSchema: nil),
        ], caller: bob)
        #expect(altered.columns.map(\.name) == ["id", "v", "title", "tags", "dt"])
        #expect(altered.name == "t2" && altered.comment == "new" && altered.properties.isEmpty)
        await expectCatalogError(.illegalArgument) { try await store.alterTable(ObjectPath(schema, "t2"), changes: [.deleteColumn(path: ["nope"], ifExists: false)], caller: bob) }
        #expect(try await store.listTables(schema) == ["t2"])
        await expectCatalogError(.nonEmpty, .schema) { try await store.dropSchema(schema, cascade: false) }
        #expect(try await store.dropTable(ObjectPath(schema, "t2")) == true)
        #expect(try await store.dropTable(ObjectPath(schema, "t2")) == false)
        #expect(try await store.dropSchema(schema, cascade: false) == true)
        #expect(try await store.dropSchema(schema, cascade: false) == false)
        // Filesets: records with locations; drop returns what was dropped.
        _ = try await store.createCatalog(CatalogPath("ml", "fs"), type: .fileset, provider: "fileset", comment: nil, properties: [:], caller: alice)
        let fsSchema = SchemaPath("ml", "fs", "s")
        _ = try await store.createSchema(fsSchema, comment: nil, properties: [:], caller: alice)
        let fileset = Fileset(name: "f", comment: nil, type: .external, storageLocations: ["unknown": "file:/tmp/f"],
                              properties: ["default-location-name": "unknown"], audit: created.audit)
        _ = try await store.createFileset(fsSchema, fileset, caller: alice)
        await expectCatalogError(.alreadyExists, .fileset) { try await store.createFileset(fsSchema, fileset, caller: alice) }
        await expectCatalogError(.illegalArgument) { try await store.alterFileset(ObjectPath(fsSchema, "f"), changes: [.setProperty("default-location-name", "other")], caller: alice) }
        let f2 = try await store.alterFileset(ObjectPath(fsSchema, "f"), changes: [.updateComment("c"), .rename("g")], caller: bob)
        #expect(f2.name == "g" && f2.comment == "c" && f2.storageLocations == ["unknown": "file:/tmp/f"])
        #expect(try await store.dropFileset(ObjectPath(fsSchema, "g"))?.storageLocations == ["unknown": "file:/tmp/f"])
        #expect(try await store.dropFileset(ObjectPath(fsSchema, "g")) == nil)
        await store.close()
    }

    @Test(arguments: StoreKind.allCases) func modelVersionsAndAliases(kind: StoreKind) async throws {
        let scratch = try Scratch("store"); defer { scratch.remove() }
        let store = try await StoreFactory.store(kind, label: "models", scratch: scratch)
        _ = try await store.createMetalake(name: "ml", comment: nil, properties: [:], caller: alice)
        _ = try await store.createCatalog(CatalogPath("ml", "m"), type: .model, provider: "model", comment: nil, properties: [:], caller: alice)
        _ = try await store.createSchema(SchemaPath("ml", "m", "s"), comment: nil, properties: [:], caller: alice)
        let model = ObjectPath("ml", "m", "s", "llm")
        await expectCatalogError(.notFound, .model) { try await store.model(ObjectPath("ml", "m", "nope", "llm")) }
        await expectCatalogError(.notFound, .modelVersion) { try await store.modelVersion(model, .version(0)) }
        #expect(try await store.registerModel(model, comment: nil, properties: [:], caller: alice).latestVersion == 0)
        let v0 = try await store.linkModelVersion(model, uris: ["unknown": "s3://b/v0", "hf": "hf://m"], aliases: ["a", "b"], comment: "first", properties: [:], caller: alice)
        #expect(v0.version == 0)
        await expectCatalogError(.alreadyExists, .modelVersion) {
            try await store.linkModelVersion(model, uris: ["unknown": "s3://b/x"], aliases: ["b"], comment: nil, properties: [:], caller: alice)
        }
        #expect(try await store.model(model).latestVersion == 1)  // the failed link changed nothing
        #expect(try await store.modelVersion(model, .alias("b")).uris == ["unknown": "s3://b/v0", "hf": "hf://m"])
        #expect(try await store.dropModelVersion(model, .version(0)) == true)
        let v1 = try await store.linkModelVersion(model, uris: ["unknown": "s3://b/v1"], aliases: ["a"], comment: nil, properties: [:], caller: alice)
        #expect(v1.version == 1)  // numbers are never reused
        let changed = try await store.alterModelVersion(model, .alias("a"), changes: [
            .updateAliases(add: ["c"], remove: ["a"]), .addURI(name: "x", uri: "s3://x"), .updateURI(name: "unknown", uri: "s3://b/v1b"),
            .setProperty("p", "q"),
        ], caller: bob)
        #expect(changed.aliases.sorted() == ["c"] && changed.uris == ["unknown": "s3://b/v1b", "x": "s3://x"] && changed.audit.lastModifier == "bob")
        await expectCatalogError(.notFound, .modelVersion) { try await store.modelVersion(model, .alias("a")) }
        await expectCatalogError(.notFound, .modelVersionURI) { try await store.alterModelVersion(model, .version(1), changes: [.removeURI(name: "nope")], caller: bob) }
        _ = try await store.alterModel(model, changes: [.rename("llm2")], caller: bob)
        #expect(try await store.listModelVersions(ObjectPath("ml", "m", "s", "llm2")).map(\.version) == [1])
        #expect(try await store.dropModel(ObjectPath("ml", "m", "s", "llm2")) == true)
        let rows = try await store.backend.transaction { tx in try await tx.query("SELECT COUNT(*) FROM catalog_model_versions", []) }
        #expect(rows.first?.first == .integer(0))
        await store.close()
    }

    @Test(arguments: StoreKind.allCases) func tagsAndAssociations(kind: StoreKind) async throws {
        let scratch = try Scratch("store"); defer { scratch.remove() }
        let store = try await StoreFactory.store(kind, label: "tags", scratch: scratch)
        _ = try await store.createMetalake(name: "ml", comment: nil, properties: [:], caller: alice)
        _ = try await store.createCatalog(CatalogPath("ml", "c"), type: .relational, provider: "hive", comment: nil, properties: [:], caller: alice)
        _ = try await store.createSchema(SchemaPath("ml", "c", "s"), comment: nil, properties: [:], caller: alice)
        let table = Table(name: "t", comment: nil, columns: [Column(name: "id", type: .string("long"))], properties: [:], audit: .created(by: "", at: .distantPast))
        _ = try await store.createTable(SchemaPath("ml", "c", "s"), table, caller: alice)
        for name in ["gold", "pii", "raw"] { _ = try await store.createTag(metalake: "ml", name: name, comment: nil, properties: [:], caller: alice) }
        await expectCatalogError(.alreadyExists, .tag) { try await store.createTag(metalake: "ml", name: "pii", comment: nil, properties: [:], caller: alice) }
        let catalog = MetadataObject(type: .catalog, fullName: "c")
        let column = MetadataObject(type: .column, fullName: "c.s.t.id")
        #expect(try await store.associateTags(metalake: "ml", object: catalog, add: ["gold"], remove: []) == ["gold"])
        #expect(try await store.associateTags(metalake: "ml", object: column, add: ["pii", "raw"], remove: ["raw"]) == ["pii"])
        await expectCatalogError(.alreadyExists, .tagAssociation) { try await store.associateTags(metalake: "ml", object: column, add: ["pii"], remove: []) }
        await expectCatalogError(.notFound, .metadataObject) { try await store.associateTags(metalake: "ml", object: MetadataObject(type: .column, fullName: "c.s.t.nope"), add: ["pii"], remove: []) }
        await expectCatalogError(.notFound, .metadataObject) { try await store.associateTags(metalake: "ml", object: catalog, add: ["nope"], remove: []) }
        let seen = try await store.tags(metalake: "ml", object: column)
        #expect(seen.map { "\($0.tag.name):\($0.inherited)" } == ["pii:false", "gold:true"])
        #expect(try await store.objects(metalake: "ml", tag: "pii") == [column])
        _ = try await store.alterCatalog(CatalogPath("ml", "c"), changes: [.rename("c2")], caller: alice)
        #expect(try await store.objects(metalake: "ml", tag: "pii") == [MetadataObject(type: .column, fullName: "c2.s.t.id")])
        #expect(try await store.dropTag(metalake: "ml", name: "gold") == true)
        #expect(try await store.tags(metalake: "ml", object: MetadataObject(type: .column, fullName: "c2.s.t.id")).map(\.tag.name) == ["pii"])
        #expect(try await store.dropTable(ObjectPath("ml", "c2", "s", "t")))
        let links = try await store.backend.transaction { tx in try await tx.query("SELECT COUNT(*) FROM catalog_tag_links", []) }
        #expect(links.first?.first == .integer(0))
        await store.close()
    }
}
