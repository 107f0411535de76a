import Testing
import WeirColumnar
import WeirPaimon

@Suite struct ManifestTests {
    static func stats(_ s: (min: String, max: String, nullCounts: [Int64?])) throws -> SimpleStats {
        SimpleStats(
            minValues: try SerializationUtils.deserializeBinaryRow(hex(s.min)),
            maxValues: try SerializationUtils.deserializeBinaryRow(hex(s.max)), nullCounts: s.nullCounts)
    }

    /// A fixture entry as the plain record the engine's Avro reader will produce.
    static func entry(_ e: FixtureEntry) throws -> ManifestEntry {
        ManifestEntry(
            kind: try FileKind(byteValue: e.kind), partition: try SerializationUtils.deserializeBinaryRow(hex(e.partition)),
            bucket: e.bucket, totalBuckets: e.totalBuckets,
            file: DataFileMeta(
                fileName: e.fileName, fileSize: e.fileSize, rowCount: e.rowCount,
                minKey: try SerializationUtils.deserializeBinaryRow(hex(e.minKey)), maxKey: try SerializationUtils.deserializeBinaryRow(hex(e.maxKey)),
                keyStats: try stats(e.keyStats), valueStats: try stats(e.valueStats), minSequenceNumber: e.minSequenceNumber,
                maxSequenceNumber: e.maxSequenceNumber, schemaId: e.schemaId, level: e.level, creationTime: 0,
                deleteRowCount: e.deleteRowCount, fileSource: try e.fileSource.map { v throws(PaimonFormatError) in try FileSource(byteValue: v) },
                valueStatsCols: e.valueStatsCols))
    }

    /// Folding each fixture snapshot's entries gives exactly the data files of that snapshot; the latest snapshot's
    /// live files are the data files on disk.
    @Test func fixtureSnapshotsFoldToTheirDataFiles() throws {
        var latest: [String: (Int64, Set<String>)] = [:]
        for snapshot in FixtureManifestData.snapshots {
            let entries = try snapshot.entries.map(Self.entry)
            for entry in entries { try entry.file.validate(subject: snapshot.table) }
            let live = try FileEntries.liveFiles(entries, subject: "\(snapshot.table) snapshot-\(snapshot.snapshotId)")
            #expect(live.count == entries.count, "no deletes in the fixtures")
            let total = live.reduce(Int64(0)) { $0 + $1.file.rowCount }
            let json = try Snapshot(parsing: fixtureBytes("\(snapshot.table)/snapshot/snapshot-\(snapshot.snapshotId)"))
            #expect(json.totalRecordCount == total, "\(snapshot.table) snapshot-\(snapshot.snapshotId) totalRecordCount")
            if (latest[snapshot.table]?.0 ?? 0) < snapshot.snapshotId {
                latest[snapshot.table] = (snapshot.snapshotId, Set(live.map(\.fileName)))
            }
            // Each manifest-list record describes its manifest's entries (they are contiguous, in order).
            var offset = 0
            for meta in snapshot.manifests {
                let count = Int(meta.numAddedFiles + meta.numDeletedFiles)
                let own = Array(entries[offset..<(offset + count)])
                offset += count
                let described = ManifestFileMeta.describing(
                    fileName: meta.fileName, fileSize: 0, entries: own, partitionStats: try Self.stats(meta.partitionStats), schemaId: 0)
                #expect(described.numAddedFiles == meta.numAddedFiles && described.numDeletedFiles == meta.numDeletedFiles)
                #expect(described.minBucket == meta.minBucket && described.maxBucket == meta.maxBucket)
                #expect(described.minLevel == meta.minLevel && described.maxLevel == meta.maxLevel)
                #expect(described.schemaId == meta.schemaId)
            }
            #expect(offset == entries.count)
        }
        for (table, (_, files)) in latest {
            var onDisk = Set<String>()
            func walk(_ directory: String) throws {
                for name in try fixtureFiles(table, directory) {
                    let path = directory.isEmpty ? name : directory + "/" + name
                    if name.hasPrefix("bucket-") || name.contains("=") { try walk(path) }
                    if DataFilePathFactory.parseFileName(name) != nil { onDisk.insert(name) }
                }
            }
            try walk("")
            #expect(files == onDisk, "\(table)")
        }
        #expect(latest.count == 11)
    }

    static func file(_ name: String, level: Int32 = 0) -> DataFileMeta {
        DataFileMeta(
            fileName: name, fileSize: 100, rowCount: 3, minKey: .emptyRow, maxKey: .emptyRow, keyStats: .emptyStats, valueStats: .emptyStats,
            minSequenceNumber: 0, maxSequenceNumber: 2, schemaId: 0, level: level, creationTime: 1, deleteRowCount: 0, fileSource: .append,
            valueStatsCols: [])
    }

    @Test func foldRules() throws {
        let p1 = try BinaryRow(values: [.string("a")], types: [.string])
        let p2 = try BinaryRow(values: [.string("b")], types: [.string])
        func e(_ kind: FileKind, _ name: String, _ partition: BinaryRow, bucket: Int32 = 0, level: Int32 = 0) -> ManifestEntry {
            ManifestEntry(kind: kind, partition: partition, bucket: bucket, totalBuckets: 2, file: Self.file(name, level: level))
        }
        // ADD then DELETE cancels; order of survivors is first insertion.
        let merged = try FileEntries.mergeEntries([
            e(.add, "f1", p1), e(.add, "f2", p1), e(.add, "f3", p2), e(.delete, "f2", p1), e(.add, "f4", p1, bucket: 1),
        ])
        #expect(merged.map(\.fileName) == ["f1", "f3", "f4"])
        // A compaction: the same file name at another level is another identifier.
        let compacted = try FileEntries.liveFiles([
            e(.add, "f1", p1), e(.delete, "f1", p1), e(.add, "f1", p1, level: 5),
        ])
        #expect(compacted.map(\.level) == [5])
        // A DELETE whose ADD is in an earlier (unread) manifest is kept by mergeEntries…
        let delta = try FileEntries.mergeEntries([e(.delete, "old", p1), e(.add, "new", p1)])
        #expect(delta.map(\.kind) == [.delete, .add])
        // …and cancels that ADD when the base is folded first.
        #expect(try FileEntries.liveFiles([e(.add, "old", p1)] + delta).map(\.fileName) == ["new"])
        // Errors.
        let orphan = paimonError { _ = try FileEntries.liveFiles([e(.add, "f1", p1), e(.delete, "f1", p2)], subject: "t snapshot-3") }
        #expect(orphan?.subject == "t snapshot-3")
        #expect(orphan?.message.contains("trying to delete file f1") == true)
        #expect(paimonError { _ = try FileEntries.liveFiles([e(.add, "f1", p1), e(.delete, "f1", p1, level: 1)]) } != nil, "level is part of the identity")
        #expect(paimonError { _ = try FileEntries.liveFiles([e(.add, "f1", p1), e(.delete, "f1", p1, bucket: 1)]) } != nil, "bucket is part of the identity")
        #expect(paimonError { _ = try FileEntries.mergeEntries([e(.add, "f1", p1), e(.add, "f1", p1)]) }?.message.contains("already added") == true)
        #expect(paimonError { _ = try FileEntries.mergeEntries([e(.delete, "f1", p1), e(.add, "f1", p1)]) }?.message.contains("already added") == true)
        // A DELETE of a DELETE-only identifier removes the kept DELETE (Java's map semantics).
        #expect(try FileEntries.mergeEntries([e(.delete, "x", p1), e(.delete, "x", p1)]).isEmpty)
        // Extra files, embedded index and external path are part of the identity.
        var withExtra = e(.delete, "f1", p1)
        withExtra.file.extraFiles = ["f1.index"]
        #expect(paimonError { _ = try FileEntries.liveFiles([e(.add, "f1", p1), withExtra]) } != nil)
        var withPath = e(.delete, "f1", p1)
        withPath.file.externalPath = "s3://b/f1"
        #expect(paimonError { _ = try FileEntries.liveFiles([e(.add, "f1", p1), withPath]) } != nil)
        var withIndex = e(.delete, "f1", p1)
        withIndex.file.embeddedIndex = [1, 2]
        #expect(paimonError { _ = try FileEntries.liveFiles([e(.add, "f1", p1), withIndex]) } != nil)
    }

    @Test func recordsAndTheirAvroFieldNames() throws {
        #expect(DataFileMeta.avroFieldNames.count == 20)
        #expect(DataFileMeta.avroFieldNames.first == "_FILE_NAME" && DataFileMeta.avroFieldNames.last == "_WRITE_COLS")
        #expect(ManifestEntry.avroFieldNames == ["_KIND", "_PARTITION", "_BUCKET", "_TOTAL_BUCKETS", "_FILE"])
        #expect(ManifestFileMeta.avroFieldNames.count == 10 && ManifestFileMeta.avroFieldNamesJava14.count == 12)
        #expect(IndexManifestEntry.avroFieldNames.contains("_DELETIONS_VECTORS_RANGES"))
        #expect(SimpleStats.avroFieldNames == ["_MIN_VALUES", "_MAX_VALUES", "_NULL_COUNTS"])
        #expect(DeletionVectorMeta.avroFieldNames == ["f0", "f1", "f2", "_CARDINALITY"])
        #expect(ManifestEntry.version == 2 && ManifestFileMeta.version == 2 && IndexManifestEntry.version == 1)
        #expect(try FileKind(byteValue: 1) == .delete)
        #expect(paimonError { _ = try FileKind(byteValue: 2) }?.message.contains("unsupported file kind") == true)
        #expect(try FileSource(byteValue: 1) == .compact)
        #expect(paimonError { _ = try FileSource(byteValue: -1) } != nil)

        let append = DataFileMeta.forAppend(
            fileName: "data-x-0.parquet", fileSize: 10, rowCount: 5, valueStats: .emptyStats, minSequenceNumber: 3, maxSequenceNumber: 7,
            schemaId: 1, creationTime: 123, valueStatsCols: [])
        #expect(append.minKey == .emptyRow && append.keyStats == .emptyStats && append.level == 0 && append.deleteRowCount == 0)
        #expect(append.fileSource == .append)
        try append.validate(subject: "manifest-x")
        var bad = append
        bad.minSequenceNumber = 9
        #expect(paimonError { try bad.validate(subject: "manifest-x") }?.message.contains("min sequence number") == true)
        bad = append
        bad.deleteRowCount = 6
        #expect(paimonError { try bad.validate(subject: "manifest-x") } != nil)
        bad = append
        bad.fileName = "../escape"
        #expect(paimonError { try bad.validate(subject: "manifest-x") } != nil)
        bad = append
        bad.valueStats.nullCounts = [0]
        #expect(paimonError { try bad.validate(subject: "manifest-x") }?.subject.contains("_VALUE_STATS") == true)

        let dv = IndexManifestEntry(
            kind: .add, partition: .emptyRow, bucket: 0,
            indexFile: IndexFileMeta(
                indexType: IndexFileMeta.deletionVectorsIndex, fileName: "index-y-0", fileSize: 40, rowCount: 1,
                deletionVectorRanges: [DeletionVectorMeta(dataFileName: "data-x-0.parquet", offset: 1, length: 30, cardinality: 2)]))
        #expect(dv.indexFile.deletionVectorRanges?.first?.cardinality == 2)
    }
}
