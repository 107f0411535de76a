import Foundation
import Testing
import WeirFileIO
import WeirPaimon
import WeirTestSupport
@testable import WeirTable

func sampleSnapshot(_ id: Int64, time: Int64 = 1_700_000_000_000, user: String = "u", identifier: Int64 = Int64.max) -> Snapshot {
    Snapshot(id: id, schemaId: 0, baseManifestList: "manifest-list-a-\(id)", deltaManifestList: "manifest-list-b-\(id)",
             commitUser: user, commitIdentifier: identifier, commitKind: .append, timeMillis: time,
             totalRecordCount: 0, deltaRecordCount: 0)
}

@Suite struct SnapshotStoreTests {
    @Test func tryCreateIsCreateIfAbsentAndMovesLatest() async throws {
        let (io, paths) = try memoryTable()
        let store = SnapshotStore(io: io, paths: paths)
        #expect(try await store.latestId() == nil)
        #expect(try await store.latest() == nil)
        #expect(try await store.tryCreate(sampleSnapshot(1)))
        #expect(try await store.tryCreate(sampleSnapshot(1, user: "other")) == false)
        #expect(try await store.snapshot(1).commitUser == "u", "the first writer's snapshot stays")
        #expect(String(decoding: try await io.readAll(paths.latestHint), as: UTF8.self) == "1")
        #expect(try await store.tryCreate(sampleSnapshot(2)))
        #expect(try await store.latestId() == 2)
        #expect(try await store.ids() == [1, 2])
    }

    @Test func staleOrGarbledHintsFallBackToListing() async throws {
        let (io, paths) = try memoryTable()
        let store = SnapshotStore(io: io, paths: paths)
        for id in Int64(1)...4 { #expect(try await store.tryCreate(sampleSnapshot(id))) }
        try await io.write(paths.latestHint, Array("2".utf8), overwrite: true)
        #expect(try await store.latestId() == 4, "snapshot-3 exists, so LATEST=2 is stale")
        try await io.write(paths.latestHint, Array("garbage".utf8), overwrite: true)
        #expect(try await store.latestId() == 4)
        try await io.write(paths.latestHint, Array("9".utf8), overwrite: true)
        #expect(try await store.latestId() == 4, "LATEST names a snapshot that does not exist")
        #expect(try await store.earliestId() == 1)
        try await store.writeEarliestHint(3)
        #expect(try await store.earliestId() == 3, "EARLIEST is trusted when its snapshot exists")
        _ = try await store.delete(1)
        _ = try await store.delete(2)
        _ = try await store.delete(3)
        #expect(try await store.earliestId() == 4, "a stale EARLIEST falls back to listing")
        // Temp and unrelated files in snapshot/ are not snapshots.
        try await io.write(try paths.snapshotDirectory.appending(".snapshot-5.1234.tmp"), [1], overwrite: false)
        #expect(try await store.ids() == [4])
    }

    @Test func garbledOrMissingSnapshotsAreErrorsNamingTheFile() async throws {
        let (io, paths) = try memoryTable()
        let store = SnapshotStore(io: io, paths: paths)
        try await io.write(paths.snapshot(1), Array("{\"id\": 1, \"schemaId\": ".utf8), overwrite: false)
        let garbled = await tableError { () throws(TableError) in _ = try await store.snapshot(1) }
        #expect(garbled?.kind == .corrupt)
        #expect(garbled?.subject.hasSuffix("snapshot/snapshot-1") == true)
        try await io.write(paths.snapshot(2), Array(sampleSnapshot(7).toJson().utf8), overwrite: false)
        let wrongId = await tableError { () throws(TableError) in _ = try await store.snapshot(2) }
        #expect(wrongId?.kind == .corrupt)
        #expect(wrongId?.message.contains("7") == true)
        let missing = await tableError { () throws(TableError) in _ = try await store.snapshot(3) }
        #expect(missing?.kind == .notFound)
        #expect(missing?.subject.hasSuffix("snapshot/snapshot-3") == true)
        #expect(try await store.snapshotIfExists(3) == nil)
    }

    @Test func timeTravel() async throws {
        let (io, paths) = try memoryTable()
        let store = SnapshotStore(io: io, paths: paths)
        #expect(try await store.snapshot(atOrBefore: 0) == nil)
        for id in Int64(1)...9 { #expect(try await store.tryCreate(sampleSnapshot(id, time: id * 100))) }
        #expect(try await store.snapshot(atOrBefore: 50)?.id == 1, "before everything: the earliest")
        for id in Int64(1)...9 {
            #expect(try await store.snapshot(atOrBefore: id * 100)?.id == id)
            #expect(try await store.snapshot(atOrBefore: id * 100 + 99)?.id == id)
        }
        #expect(try await store.snapshot(atOrBefore: 10_000)?.id == 9)
    }
}

@Suite struct SchemaAndTableTests {
    @Test func createTableWritesSchemaZeroOnce() async throws {
        let (io, paths) = try memoryTable()
        let schema = try TestSchemas.primaryKey()
        try await createTable(io, paths, schema)
        let store = SchemaStore(io: io, paths: paths)
        #expect(try await store.latest() == schema)
        #expect(try await store.ids() == [0])
        let again = await tableError { () throws(TableError) in try await TableCreation.create(io: io, root: paths.root, schema: schema) }
        #expect(again?.kind == .alreadyExists)
        #expect(again?.subject == paths.root.description)
        // Evolution: the next schema is created once.
        let next = try schema.addingColumn("extra", type: .string, timeMillis: 1)
        #expect(try await store.tryCreate(next))
        #expect(try await store.tryCreate(next) == false)
        #expect(try await store.latest()?.id == 1)
    }

    @Test func garbledSchemaNamesTheFile() async throws {
        let (io, paths) = try memoryTable()
        try await io.write(paths.schema(0), Array("{\"version\": 3".utf8), overwrite: false)
        let error = await tableError { () throws(TableError) in _ = try await SchemaStore(io: io, paths: paths).latest() }
        #expect(error?.kind == .corrupt)
        #expect(error?.subject.hasSuffix("schema/schema-0") == true)
    }

    @Test func fixtureSchemasParse() async throws {
        for table in try fixtureTables() {
            let paths = try TablePaths(root: try localPath(fixtureDatabase + "/" + table))
            #expect(try await SchemaStore(io: LocalFileIO(), paths: paths).latest() != nil, "\(table)")
        }
    }
}

@Suite struct TagStoreTests {
    @Test func tagWithoutRetentionIsThePlainSnapshotJSON() async throws {
        let (io, paths) = try memoryTable()
        let tags = TagStore(io: io, paths: paths)
        let snapshot = sampleSnapshot(3)
        try await tags.create(name: "release-1", snapshot: snapshot)
        let text = String(decoding: try await io.readAll(try paths.tag("release-1")), as: UTF8.self)
        #expect(text == snapshot.toJson())
        #expect(try await tags.tag("release-1") == TableTag(name: "release-1", snapshot: snapshot))
        let duplicate = await tableError { () throws(TableError) in try await tags.create(name: "release-1", snapshot: snapshot) }
        #expect(duplicate?.kind == .alreadyExists)
    }

    @Test func tagWithRetentionWritesJavaTimeFields() async throws {
        let (io, paths) = try memoryTable()
        let tags = TagStore(io: io, paths: paths)
        let created = LocalDateTime(year: 1969, month: 1, day: 1, hour: 0, minute: 0, second: 0, nanosecond: 123_456_789)
        try await tags.create(name: "t", snapshot: sampleSnapshot(1), timeRetained: .seconds(5), createTime: created)
        let text = String(decoding: try await io.readAll(try paths.tag("t")), as: UTF8.self)
        // Java's TagTest: LocalDateTime as an array, Duration as decimal seconds.
        #expect(text.hasSuffix("""
          "tagCreateTime" : [ 1969, 1, 1, 0, 0, 0, 123456789 ],
          "tagTimeRetained" : 5.000000000
        }
        """))
        let read = try #require(try await tags.tag("t"))
        #expect(read.createTime == created)
        #expect(read.timeRetained == .seconds(5))
        #expect(read.snapshot == sampleSnapshot(1))
        // Seconds and nanos are omitted when zero, as Jackson does.
        #expect(TableTag(name: "x", snapshot: sampleSnapshot(1), createTime: LocalDateTime(year: 2024, month: 3, day: 9, hour: 10, minute: 5),
                         timeRetained: .milliseconds(1500)).toJson().contains("[ 2024, 3, 9, 10, 5 ],\n  \"tagTimeRetained\" : 1.500000000"))
    }

    @Test func javaWrittenTagFormsParse() throws {
        let base = sampleSnapshot(2).toJson().dropLast(2)
        let iso = Array((base + ",\n  \"tagCreateTime\" : \"2024-05-06T07:08:09.5\",\n  \"tagTimeRetained\" : \"PT1H30M\"\n}").utf8)
        let tag = try TableTag(name: "a", parsing: iso, subject: "tag-a")
        #expect(tag.createTime == LocalDateTime(year: 2024, month: 5, day: 6, hour: 7, minute: 8, second: 9, nanosecond: 500_000_000))
        #expect(tag.timeRetained == .seconds(5400))
        let bad = Array((base + ",\n  \"tagTimeRetained\" : \"soon\"\n}").utf8)
        #expect(throws: TableError.self) { try TableTag(name: "a", parsing: bad, subject: "tag-a") }
    }

    @Test func listDeleteAndNames() async throws {
        let (io, paths) = try memoryTable()
        let tags = TagStore(io: io, paths: paths)
        try await tags.create(name: "b", snapshot: sampleSnapshot(5))
        try await tags.create(name: "a", snapshot: sampleSnapshot(5))
        try await tags.create(name: "z", snapshot: sampleSnapshot(2))
        let listed = try await tags.list()
        #expect(listed.map(\.name) == ["z", "a", "b"])
        #expect(listed.map(\.snapshot.id) == [2, 5, 5])
        #expect(try await tags.taggedSnapshots().map(\.id) == [2, 5])
        #expect(try await tags.delete("a"))
        #expect(try await tags.delete("a") == false)
        #expect(try await tags.tag("a") == nil)
        for bad in ["", "  ", "12", "a/b", "x\u{1}"] {
            let error = await tableError { () throws(TableError) in try await tags.create(name: bad, snapshot: sampleSnapshot(1)) }
            #expect(error?.kind == .invalidInput, "tag name '\(bad)'")
        }
    }

    @Test func localDateTimeConversions() {
        let t = LocalDateTime(epochMillis: 1_700_000_000_123, utcOffsetSeconds: 3600)
        #expect(t == LocalDateTime(year: 2023, month: 11, day: 14, hour: 23, minute: 13, second: 20, nanosecond: 123_000_000))
        #expect(t.epochMillis(utcOffsetSeconds: 3600) == 1_700_000_000_123)
        #expect(LocalDateTime(epochMillis: -1).description == "1969-12-31T23:59:59.999")
        #expect(LocalDateTime(year: 2024, month: 2, day: 29, hour: 1, minute: 2).description == "2024-02-29T01:02")
    }
}
