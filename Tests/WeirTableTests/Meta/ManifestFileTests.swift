import Foundation
import Testing
import WeirAvro
import WeirColumnar
import WeirFileIO
import WeirPaimon
import WeirTestSupport
@testable import WeirTable

/// Spec section 4.8: the manifest schema Java 1.3 writes, verbatim.
let specManifestSchema = """
{"type":"record","name":"org.apache.paimon.avro.generated.record","fields":[
 {"name":"_VERSION","type":"int"},{"name":"_KIND","type":"int"},{"name":"_PARTITION","type":"bytes"},
 {"name":"_BUCKET","type":"int"},{"name":"_TOTAL_BUCKETS","type":"int"},
 {"name":"_FILE","type":{"type":"record","name":"org.apache.paimon.avro.generated.record__FILE","fields":[
  {"name":"_FILE_NAME","type":"string"},{"name":"_FILE_SIZE","type":"long"},{"name":"_ROW_COUNT","type":"long"},
  {"name":"_MIN_KEY","type":"bytes"},{"name":"_MAX_KEY","type":"bytes"},
  {"name":"_KEY_STATS","type":{"type":"record","name":"org.apache.paimon.avro.generated.record__FILE__KEY_STATS","fields":[
    {"name":"_MIN_VALUES","type":"bytes"},{"name":"_MAX_VALUES","type":"bytes"},
    {"name":"_NULL_COUNTS","type":["null",{"type":"array","items":["null","long"]}],"default":null}]}},
  {"name":"_VALUE_STATS","type":{"type":"record","name":"org.apache.paimon.avro.generated.record__FILE__VALUE_STATS","fields":[
    {"name":"_MIN_VALUES","type":"bytes"},{"name":"_MAX_VALUES","type":"bytes"},
    {"name":"_NULL_COUNTS","type":["null",{"type":"array","items":["null","long"]}],"default":null}]}},
  {"name":"_MIN_SEQUENCE_NUMBER","type":"long"},{"name":"_MAX_SEQUENCE_NUMBER","type":"long"},
  {"name":"_SCHEMA_ID","type":"long"},{"name":"_LEVEL","type":"int"},
  {"name":"_EXTRA_FILES","type":{"type":"array","items":"string"}},
  {"name":"_CREATION_TIME","type":["null",{"type":"long","logicalType":"timestamp-millis"}],"default":null},
  {"name":"_DELETE_ROW_COUNT","type":["null","long"],"default":null},
  {"name":"_EMBEDDED_FILE_INDEX","type":["null","bytes"],"default":null},
  {"name":"_FILE_SOURCE","type":["null","int"],"default":null},
  {"name":"_VALUE_STATS_COLS","type":["null",{"type":"array","items":"string"}],"default":null},
  {"name":"_EXTERNAL_PATH","type":["null","string"],"default":null},
  {"name":"_FIRST_ROW_ID","type":["null","long"],"default":null},
  {"name":"_WRITE_COLS","type":["null",{"type":"array","items":"string"}],"default":null}]}}]}
"""

/// Spec sections 4.3 and 4.8 (manifest list), written out from the field table.
let specManifestListSchema = """
{"type":"record","name":"org.apache.paimon.avro.generated.record","fields":[
 {"name":"_VERSION","type":"int"},{"name":"_FILE_NAME","type":"string"},{"name":"_FILE_SIZE","type":"long"},
 {"name":"_NUM_ADDED_FILES","type":"long"},{"name":"_NUM_DELETED_FILES","type":"long"},
 {"name":"_PARTITION_STATS","type":{"type":"record","name":"org.apache.paimon.avro.generated.record__PARTITION_STATS","fields":[
   {"name":"_MIN_VALUES","type":"bytes"},{"name":"_MAX_VALUES","type":"bytes"},
   {"name":"_NULL_COUNTS","type":["null",{"type":"array","items":["null","long"]}],"default":null}]}},
 {"name":"_SCHEMA_ID","type":"long"},
 {"name":"_MIN_BUCKET","type":["null","int"],"default":null},{"name":"_MAX_BUCKET","type":["null","int"],"default":null},
 {"name":"_MIN_LEVEL","type":["null","int"],"default":null},{"name":"_MAX_LEVEL","type":["null","int"],"default":null}]}
"""

/// Spec sections 4.5 and 4.8 (index manifest).
let specIndexManifestSchema = """
{"type":"record","name":"org.apache.paimon.avro.generated.record","fields":[
 {"name":"_VERSION","type":"int"},{"name":"_KIND","type":"int"},{"name":"_PARTITION","type":"bytes"},{"name":"_BUCKET","type":"int"},
 {"name":"_INDEX_TYPE","type":"string"},{"name":"_FILE_NAME","type":"string"},{"name":"_FILE_SIZE","type":"long"},
 {"name":"_ROW_COUNT","type":"long"},
 {"name":"_DELETIONS_VECTORS_RANGES","type":["null",{"type":"array","items":["null",{"type":"record",
   "name":"org.apache.paimon.avro.generated.record__DELETIONS_VECTORS_RANGES","fields":[
   {"name":"f0","type":"string"},{"name":"f1","type":"int"},{"name":"f2","type":"int"},
   {"name":"_CARDINALITY","type":["null","long"],"default":null}]}]}],"default":null},
 {"name":"_EXTERNAL_PATH","type":["null","string"],"default":null}]}
"""

@Suite struct ManifestFileTests {
    static let partitionType = RowType([DataField(id: 0, name: "p", type: .string), DataField(id: 1, name: "n", type: DataType(.int))])

    static func richEntries() throws -> [ManifestEntry] {
        let types = partitionType.fields.map(\.type)
        let keyType = [DataType(.bigint, nullable: false)]
        func row(_ p: String, _ n: Int64?) throws -> BinaryRow { try BinaryRow(values: [.string(p), n.map { .integer($0) } ?? .null], types: types) }
        var full = entry("data-1.parquet", partition: try row("a", 1), bucket: 3, totalBuckets: 4, level: 2, rowCount: 7,
                         minKey: try key(1), maxKey: try key(9), schemaId: 2, fileSize: 4242)
        full.file.keyStats = SimpleStats(minValues: try key(1), maxValues: try key(9), nullCounts: [0])
        full.file.valueStats = SimpleStats(
            minValues: try BinaryRow(values: [.integer(1), .string("x")], types: [DataType(.bigint), .string]),
            maxValues: try BinaryRow(values: [.integer(9), .null], types: [DataType(.bigint), .string]), nullCounts: [0, nil])
        full.file.valueStatsCols = ["id", "name"]
        full.file.extraFiles = ["data-1.parquet.index"]
        full.file.embeddedIndex = [1, 2, 3]
        full.file.fileSource = .compact
        full.file.deleteRowCount = 2
        full.file.externalPath = "s3://bucket/ext/data-1.parquet"
        full.file.firstRowId = 100
        full.file.writeCols = ["id"]
        _ = keyType
        var bare = entry("data-2.parquet", partition: try row("b", nil), bucket: 0, totalBuckets: 4, rowCount: 1, schemaId: 1)
        bare.file.creationTime = nil
        bare.file.deleteRowCount = nil
        bare.file.fileSource = nil
        bare.file.valueStatsCols = nil
        var deleted = entry("data-0.parquet", partition: try row("a", 3), bucket: 1, totalBuckets: 4, level: 5)
        deleted.kind = .delete
        return [full, bare, deleted]
    }

    @Test(arguments: ["zstd", "deflate", "snappy", "null"])
    func manifestRoundTripsEveryField(compression: String) async throws {
        let (io, paths) = try memoryTable()
        let entries = try Self.richEntries()
        let meta = try await ManifestFile.write(io: io, paths: paths, entries: entries, partitionType: Self.partitionType,
                                                schemaId: 0, options: CoreOptions(["manifest.compression": compression]))
        let path = try paths.manifest(meta.fileName)
        #expect(meta.fileName.hasPrefix("manifest-") && meta.fileName.hasSuffix("-0"))
        #expect(try await io.status(path).size == meta.fileSize)
        #expect(try await ManifestFile.read(io: io, path: path) == entries)
        let header = try await AvroFileReader.open(io: io, path: path).header
        #expect(header.codec.name == (compression == "zstd" ? "zstandard" : compression))
        // The list record describes the file.
        #expect(meta.numAddedFiles == 2 && meta.numDeletedFiles == 1)
        #expect(meta.schemaId == 2)
        #expect(meta.minBucket == 0 && meta.maxBucket == 3 && meta.minLevel == 0 && meta.maxLevel == 5)
        let nullable = Self.partitionType.fields.map { $0.type.nullable(true) }
        #expect(try meta.partitionStats.minValues.values(types: nullable) == [.string("a"), .integer(1)])
        #expect(try meta.partitionStats.maxValues.values(types: nullable) == [.string("b"), .integer(3)])
        #expect(meta.partitionStats.nullCounts == [0, 1])
    }

    @Test func emptyManifestListIsAValidFile() async throws {
        let (io, paths) = try memoryTable()
        let list = try await ManifestList.write(io: io, paths: paths, metas: [], options: CoreOptions([:]))
        #expect(list.fileName.hasPrefix("manifest-list-"))
        #expect(try await io.status(try paths.manifest(list.fileName)).size == list.size)
        #expect(try await ManifestList.read(io: io, paths: paths, fileName: list.fileName).isEmpty)
    }

    @Test func manifestListRoundTrips() async throws {
        let (io, paths) = try memoryTable()
        let a = try await ManifestFile.write(io: io, paths: paths, entries: try Self.richEntries(), partitionType: Self.partitionType,
                                             schemaId: 0, options: CoreOptions([:]))
        let b = ManifestFileMeta(fileName: "manifest-old-0", fileSize: 12, numAddedFiles: 0, numDeletedFiles: 0,
                                 partitionStats: .emptyStats, schemaId: 4)
        let list = try await ManifestList.write(io: io, paths: paths, metas: [a, b], options: CoreOptions([:]))
        #expect(try await ManifestList.read(io: io, paths: paths, fileName: list.fileName) == [a, b])
    }

    @Test func indexManifestRoundTrips() async throws {
        let (io, paths) = try memoryTable()
        let dv = IndexManifestEntry(kind: .add, partition: try partition("x"), bucket: 1, indexFile: IndexFileMeta(
            indexType: IndexFileMeta.deletionVectorsIndex, fileName: "index-a-0", fileSize: 99, rowCount: 2,
            deletionVectorRanges: [DeletionVectorMeta(dataFileName: "data-1.parquet", offset: 1, length: 20, cardinality: 3),
                                   DeletionVectorMeta(dataFileName: "data-2.parquet", offset: 29, length: 22, cardinality: nil)],
            externalPath: "s3://b/index-a-0"))
        let hash = IndexManifestEntry(kind: .add, partition: .emptyRow, bucket: 0, indexFile: IndexFileMeta(
            indexType: IndexFileMeta.hashIndex, fileName: "index-b-0", fileSize: 8, rowCount: 2))
        let file = try await IndexManifestFile.write(io: io, paths: paths, entries: [dv, hash], options: CoreOptions([:]))
        #expect(file.fileName.hasPrefix("index-manifest-"))
        #expect(try await IndexManifestFile.read(io: io, paths: paths, fileName: file.fileName) == [dv, hash])
    }

    @Test func writtenSchemasAreSpecSection4_8FieldByField() async throws {
        let (io, paths) = try memoryTable()
        let manifest = try await ManifestFile.write(io: io, paths: paths, entries: try Self.richEntries(),
                                                    partitionType: Self.partitionType, schemaId: 0, options: CoreOptions([:]))
        let list = try await ManifestList.write(io: io, paths: paths, metas: [manifest], options: CoreOptions([:]))
        let index = try await IndexManifestFile.write(io: io, paths: paths, entries: [], options: CoreOptions([:]))
        for (name, specText) in [(manifest.fileName, specManifestSchema), (list.fileName, specManifestListSchema),
                                 (index.fileName, specIndexManifestSchema)] {
            let written = try await AvroFileReader.open(io: io, path: try paths.manifest(name)).header.schema
            let spec = try AvroSchema.parse(specText)
            try expectSameFields(written, spec, path: name)
            #expect(written == spec, "\(name)")
        }
    }

    /// Names, types (logical types included), union branch order and defaults, recursively.
    func expectSameFields(_ a: AvroSchema, _ b: AvroSchema, path: String) throws {
        switch (a.kind, b.kind) {
        case (.record(let x), .record(let y)):
            #expect(x.fields.map(\.name) == y.fields.map(\.name), "\(path) field names")
            for (f, g) in zip(x.fields, y.fields) {
                #expect(f.defaultValue == g.defaultValue, "\(path).\(f.name) default")
                try expectSameFields(f.type, g.type, path: path + "." + f.name)
            }
        case (.union(let x), .union(let y)):
            #expect(x.count == y.count, "\(path) union size")
            #expect(x.first?.kind == .null, "\(path): null is the first branch")
            for (i, (f, g)) in zip(x, y).enumerated() { try expectSameFields(f, g, path: "\(path)[\(i)]") }
        case (.array(let x), .array(let y)):
            try expectSameFields(x, y, path: path + "[]")
        default:
            #expect(a.typeName == b.typeName && a.logicalType == b.logicalType, "\(path): \(a) vs \(b)")
        }
    }

    @Test func nullCountsAreAlwaysAnArray() async throws {
        let (io, paths) = try memoryTable()
        // Empty stats everywhere: _NULL_COUNTS must still be written as an (empty) array, never null.
        let meta = try await ManifestFile.write(io: io, paths: paths, entries: [entry("data-1.parquet")],
                                                partitionType: RowType([]), schemaId: 0, options: CoreOptions([:]))
        let list = try await ManifestList.write(io: io, paths: paths, metas: [meta], options: CoreOptions([:]))
        let records = try await AvroFileReader.readAll(io: io, path: try paths.manifest(meta.fileName)).records
        let file = try #require(records.first?.recordFields?[5].recordFields)
        for stats in [file[5], file[6]] {
            let nullCounts = try #require(stats.recordFields?[2])
            guard case .union(let branch, let value) = nullCounts else { Issue.record("not a union"); return }
            #expect(branch == 1)
            #expect(value.arrayItems == [])
        }
        let listRecords = try await AvroFileReader.readAll(io: io, path: try paths.manifest(list.fileName)).records
        let partitionStats = try #require(listRecords.first?.recordFields?[5].recordFields)
        #expect(partitionStats[2] == .union(branch: 1, value: .array([])))
    }

    // MARK: bad input

    @Test func truncatedManifestIsCorruptAndNamesTheFile() async throws {
        let (io, paths) = try memoryTable()
        let meta = try await ManifestFile.write(io: io, paths: paths, entries: try Self.richEntries(),
                                                partitionType: Self.partitionType, schemaId: 0, options: CoreOptions([:]))
        let path = try paths.manifest(meta.fileName)
        let bytes = try await io.readAll(path)
        for cut in [bytes.count - 5, bytes.count / 2, 3] {
            try await io.write(path, Array(bytes.prefix(cut)), overwrite: true)
            let error = await tableError { () throws(TableError) in _ = try await ManifestFile.read(io: io, path: path) }
            #expect(error?.kind == .corrupt, "cut at \(cut)")
            #expect(error?.subject.contains(meta.fileName) == true)
        }
    }

    @Test func wrongVersionIsCorruptAndNamesTheFile() async throws {
        let (io, paths) = try memoryTable()
        let path = try paths.manifest("manifest-old-0")
        var record = ManifestAvro.encode(entry("data-1.parquet"))
        guard case .record(var fields) = record else { return }
        fields[0] = .int(1)
        record = .record(fields)
        _ = try await ManifestAvro.writeRecords(io: io, path: path, schema: ManifestAvro.manifestEntrySchema, codec: .null, records: [record])
        let error = await tableError { () throws(TableError) in _ = try await ManifestFile.read(io: io, path: path) }
        #expect(error?.kind == .corrupt)
        #expect(error?.subject.contains("manifest-old-0") == true)
        #expect(error?.message.contains("_VERSION 1") == true)
    }

    @Test func missingNotNullFieldIsAnError() async throws {
        let (io, paths) = try memoryTable()
        // A list record without _FILE_SIZE (NOT NULL, no default) cannot be read, as in Java.
        let schema = try AvroSchema.parse(#"{"type":"record","name":"r","fields":[{"name":"_VERSION","type":"int"},{"name":"_FILE_NAME","type":"string"}]}"#)
        let path = try paths.manifest("manifest-list-bad-0")
        _ = try await ManifestAvro.writeRecords(io: io, path: path, schema: schema, codec: .null, records: [.record([.int(2), .string("m")])])
        let error = await tableError { () throws(TableError) in _ = try await ManifestList.read(io: io, path: path) }
        #expect(error?.kind == .corrupt)
        #expect(error?.subject.contains("manifest-list-bad-0") == true)
        #expect(error?.message.contains("_FILE_SIZE") == true)
    }

    @Test func fileNamesFromManifestsCannotLeaveTheirDirectory() async throws {
        let (_, paths) = try memoryTable()
        for bad in ["../schema/schema-0", "a/b", "..", "", "x\u{1}"] {
            let error = await tableError { () throws(TableError) in _ = try paths.manifest(bad) }
            #expect(error?.kind == .invalidInput, "\(bad)")
        }
        let error = await tableError { () throws(TableError) in _ = try paths.bucketDirectory(partitionPath: "../x/", bucket: 0) }
        #expect(error?.kind == .invalidInput)
        #expect(try paths.bucketDirectory(partitionPath: "dt=2024-01-01/h=1/", bucket: 3).key.hasSuffix("t/dt=2024-01-01/h=1/bucket-3"))
        #expect(try paths.bucketDirectory(partitionPath: "", bucket: -2).key.hasSuffix("t/bucket-postpone"))
    }
}
