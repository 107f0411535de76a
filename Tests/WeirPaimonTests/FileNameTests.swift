import Testing
import WeirPaimon

@Suite struct FileNameTests {
    static let uuid = "37adf80d-0f33-489c-9e8a-408435fa477f"

    @Test func dataAndChangelogFileNames() throws {
        #expect(try DataFilePathFactory.newFileName(uuid: Self.uuid, count: 0, formatIdentifier: "parquet") == "data-\(Self.uuid)-0.parquet")
        #expect(try DataFilePathFactory.newFileName(prefix: "changelog-", uuid: Self.uuid, count: 12, formatIdentifier: "orc", fileCompression: "zstd")
            == "changelog-\(Self.uuid)-12.orc")
        #expect(try DataFilePathFactory.newFileName(uuid: Self.uuid, count: 1, formatIdentifier: "parquet", fileCompression: "zstd", fileSuffixIncludeCompression: true)
            == "data-\(Self.uuid)-1.zst.parquet")
        #expect(try DataFilePathFactory.newFileName(uuid: Self.uuid, count: 1, formatIdentifier: "avro", fileCompression: "none", fileSuffixIncludeCompression: true)
            == "data-\(Self.uuid)-1.avro")
        #expect(try DataFilePathFactory.newFileName(uuid: Self.uuid, count: 2, formatIdentifier: "json", fileCompression: "gzip") == "data-\(Self.uuid)-2.json.gz")
        #expect(try DataFilePathFactory.newFileName(uuid: Self.uuid, count: 2, formatIdentifier: "csv", fileCompression: "brotli") == "data-\(Self.uuid)-2.csv.brotli")

        for name in ["data-\(Self.uuid)-0.parquet", "data-\(Self.uuid)-1.zst.parquet", "data-\(Self.uuid)-2.json.gz", "data-\(Self.uuid)-3.orc"] {
            let parsed = try #require(DataFilePathFactory.parseFileName(name))
            #expect(parsed.uuid == Self.uuid)
            #expect(try DataFilePathFactory.newFileName(uuid: parsed.uuid, count: parsed.count, formatIdentifier: "x").hasPrefix("data-\(Self.uuid)-\(parsed.count)."))
        }
        #expect(DataFilePathFactory.parseFileName("data-\(Self.uuid)-7.parquet")?.count == 7)
        #expect(DataFilePathFactory.parseFileName("changelog-\(Self.uuid)-0.parquet", prefix: "changelog-")?.extensions == "parquet")
        #expect(DataFilePathFactory.parseFileName("data-\(Self.uuid)-0.parquet.index")?.isFileIndex == true)
        for bad in ["data-\(Self.uuid)-.parquet", "data-\(Self.uuid)-0", "data-\(Self.uuid)-x.parquet", "data-not-a-uuid-0.parquet",
                    "manifest-\(Self.uuid)-0", "data-\(Self.uuid)-0.", ".data-\(Self.uuid)-0.parquet.\(Self.uuid).tmp"] {
            #expect(DataFilePathFactory.parseFileName(bad) == nil, "\(bad)")
        }
        #expect(try DataFilePathFactory.formatIdentifier(fileName: "data-\(Self.uuid)-0.parquet") == "parquet")
        #expect(try DataFilePathFactory.formatIdentifier(fileName: "data-\(Self.uuid)-0.zst.parquet") == "parquet")
        #expect(try DataFilePathFactory.formatIdentifier(fileName: "data-\(Self.uuid)-0.json.gz") == "json")
        #expect(try DataFilePathFactory.formatIdentifier(fileName: "data-\(Self.uuid)-0.csv.ZST") == "csv")
        #expect(paimonError { _ = try DataFilePathFactory.formatIdentifier(fileName: "noextension") } != nil)
        #expect(paimonError { _ = try DataFilePathFactory.formatIdentifier(fileName: "only.gz") } != nil)
        #expect(paimonError { _ = try DataFilePathFactory.formatIdentifier(fileName: "gz") } != nil)
        #expect(paimonError { _ = try DataFilePathFactory.newFileName(uuid: "nope", count: 0, formatIdentifier: "parquet") }?.message.contains("UUID") == true)
        #expect(paimonError { _ = try DataFilePathFactory.newFileName(uuid: Self.uuid, count: -1, formatIdentifier: "parquet") } != nil)
        #expect(DataFilePathFactory.fileIndexFileName(dataFileName: "data-\(Self.uuid)-0.parquet") == "data-\(Self.uuid)-0.parquet.index")
    }

    @Test func manifestIndexAndStatisticsFileNames() throws {
        #expect(try FileStorePathFactory.manifestFileName(uuid: Self.uuid, count: 0) == "manifest-\(Self.uuid)-0")
        #expect(try FileStorePathFactory.manifestListFileName(uuid: Self.uuid, count: 1) == "manifest-list-\(Self.uuid)-1")
        #expect(try FileStorePathFactory.indexManifestFileName(uuid: Self.uuid, count: 0) == "index-manifest-\(Self.uuid)-0")
        #expect(try FileStorePathFactory.indexFileName(uuid: Self.uuid, count: 3) == "index-\(Self.uuid)-3")
        #expect(try FileStorePathFactory.statisticsFileName(uuid: Self.uuid, count: 0) == "stat-\(Self.uuid)-0")
        #expect(FileStorePathFactory.parseManifestDirectoryFile("manifest-\(Self.uuid)-0") == .manifest(uuid: Self.uuid, count: 0))
        #expect(FileStorePathFactory.parseManifestDirectoryFile("manifest-list-\(Self.uuid)-4") == .manifestList(uuid: Self.uuid, count: 4))
        #expect(FileStorePathFactory.parseManifestDirectoryFile("index-manifest-\(Self.uuid)-2") == .indexManifest(uuid: Self.uuid, count: 2))
        #expect(FileStorePathFactory.parseManifestDirectoryFile("manifest-\(Self.uuid)") == nil)
        #expect(FileStorePathFactory.parseIndexFileName("index-\(Self.uuid)-9")?.count == 9)
        // Every file in the fixtures' manifest and index directories parses (pypaimon's index manifests have no counter).
        for table in try fixtureTables() {
            for name in try fixtureFiles(table, "manifest") {
                #expect(FileStorePathFactory.parseManifestDirectoryFile(name) != nil, "\(table)/manifest/\(name)")
            }
        }
        #expect(FileStorePathFactory.parseManifestDirectoryFile("index-manifest-c742cccd-82fa-4feb-b19d-4fcadeaae4de")
            == .indexManifest(uuid: "c742cccd-82fa-4feb-b19d-4fcadeaae4de", count: nil))
        for name in try fixtureFiles("pk_dynamic_bucket", "index") {
            #expect(FileStorePathFactory.parseIndexFileName(name) != nil)
        }
    }

    @Test func bucketsAndDataFilesOfTheFixtures() throws {
        #expect(FileStorePathFactory.bucketDirectoryName(0) == "bucket-0")
        #expect(FileStorePathFactory.bucketDirectoryName(-2) == "bucket-postpone")
        #expect(FileStorePathFactory.parseBucketDirectoryName("bucket-postpone") == -2)
        #expect(FileStorePathFactory.parseBucketDirectoryName("bucket-17") == 17)
        for bad in ["bucket-", "bucket--1", "bucket-x", "bucket-99999999999", "dt=1"] {
            #expect(FileStorePathFactory.parseBucketDirectoryName(bad) == nil, "\(bad)")
        }
        #expect(FileStorePathFactory.relativeBucketPath(partitionPath: "dt=2024-01-01/", bucket: 1) == "dt=2024-01-01/bucket-1")
        #expect(FileStorePathFactory.relativeBucketPath(partitionPath: "", bucket: 0) == "bucket-0")
        var dataFiles = 0
        for snapshot in FixtureManifestData.snapshots {
            for entry in snapshot.entries {
                let parsed = try #require(DataFilePathFactory.parseFileName(entry.fileName), "\(entry.fileName)")
                #expect(parsed.count == 0)
                let format = try DataFilePathFactory.formatIdentifier(fileName: entry.fileName)
                #expect(["parquet", "orc", "avro"].contains(format))
                dataFiles += 1
            }
        }
        #expect(dataFiles > 0)
    }

    @Test func versionedMetadataFileNames() throws {
        #expect(SnapshotManager.snapshotFileName(12) == "snapshot-12")
        #expect(SnapshotManager.parseSnapshotFileName("snapshot-12") == 12)
        #expect(SnapshotManager.parseSnapshotFileName("snapshot-") == nil)
        #expect(SnapshotManager.parseSnapshotFileName("LATEST") == nil)
        #expect(SnapshotManager.parseSnapshotFileName(".snapshot-3.\(Self.uuid).tmp") == nil)
        #expect(SnapshotManager.parseSnapshotFileName("snapshot-3x") == nil)
        #expect(SchemaManager.schemaFileName(0) == "schema-0")
        #expect(SchemaManager.parseSchemaFileName("schema-5") == 5)
        #expect(ChangelogManager.changelogFileName(3) == "changelog-3")
        #expect(ChangelogManager.parseChangelogFileName("changelog-3") == 3)
        #expect(try TagManager.tagFileName("release_2024") == "tag-release_2024")
        #expect(TagManager.parseTagFileName("tag-release_2024") == "release_2024")
        for bad in ["", "  ", "a/b", "123"] {
            #expect(paimonError { _ = try TagManager.tagFileName(bad) } != nil, "\(bad)")
        }
        #expect(try BranchManager.branchDirectoryName("dev") == "branch-dev")
        #expect(BranchManager.parseBranchDirectoryName("branch-dev") == "dev")
        #expect(ConsumerManager.consumerFileName("c1") == "consumer-c1")
        for table in try fixtureTables() {
            for name in try fixtureFiles(table, "snapshot") where name.hasPrefix("snapshot-") {
                #expect(SnapshotManager.parseSnapshotFileName(name) != nil)
            }
        }
    }
}
