import Testing
import WeirCodecs
import WeirColumnar
import WeirFileIO
import WeirPaimon
@testable import WeirTable

/// Deletion vectors in both variants against hand-computed frames, index files written and read back (ranges,
/// CRCs, version byte), and the bucket maintainer's index changes through a real commit.
@Suite struct DeletionVectorTests {
    @Test func bitmap32FrameByHand() throws {
        let vector = try DeletionVector(positions: [5, 1, 3, 3])
        #expect(vector.cardinality == 3 && vector.isDeleted(3) && !vector.isDeleted(2) && !vector.isDeleted(-1))
        // data = magic 1581511376 BE + bitmap {1, 3, 5}; frame = size BE | data | CRC32 BE; f2 = size.
        let data = hexBytes("5e43f2d0 3a300000 01000000 0000 0200 10000000 0100 0300 0500")
        #expect(data.count == 26 && CRC32.checksum(data) == 0xf392_91eb)
        let (bytes, length) = vector.serialized()
        #expect(bytes == hexBytes("0000001a") + data + hexBytes("f39291eb"))
        #expect(length == 26)
        let back = try DeletionVector.deserialize(bytes, offset: 0, length: 26, subject: "t")
        #expect(back == vector && back.format == .bitmap32 && back.positions == [1, 3, 5])
    }

    @Test func bitmap64FrameByHand() throws {
        let vector = try DeletionVector(format: .bitmap64, positions: [1, (1 << 32) + 7])
        // data = magic 1681511377 LE, count 2 (LE int64), key 0 + bitmap {1}, key 1 + bitmap {7}; f2 = whole frame.
        let data = hexBytes("""
            d1d33964 0200000000000000 00000000 3a300000 01000000 0000 0000 10000000 0100
            01000000 3a300000 01000000 0000 0000 10000000 0700
            """)
        #expect(data.count == 56 && CRC32.checksum(data) == 0x89de_f464)
        let (bytes, length) = vector.serialized()
        #expect(bytes == hexBytes("00000038") + data + hexBytes("89def464"))
        #expect(length == 64)
        let back = try DeletionVector.deserialize(bytes, offset: 0, length: 64, subject: "t")
        #expect(back == vector && back.format == .bitmap64 && back.positions == [1, (1 << 32) + 7])
        #expect(back.isDeleted((1 << 32) + 7) && !back.isDeleted(7))
        // A 32-bit vector refuses positions past 2^31-1; the 64-bit one takes them.
        var small = DeletionVector()
        #expect(throws: TableError.self) { try small.delete(Int64(Int32.max) + 1) }
        #expect(try small.delete(Int64(Int32.max)))
        var large = DeletionVector(format: .bitmap64)
        #expect(try large.delete(DeletionVector.bitmap64MaxPosition))
        #expect(throws: TableError.self) { try large.delete(DeletionVector.bitmap64MaxPosition + 1) }
        // Gaps between keys: Java writes every key up to the largest, empty ones as empty bitmaps.
        let sparse = try DeletionVector(format: .bitmap64, positions: [3 << 32])
        let sparseBack = try DeletionVector.deserialize(sparse.serialized().bytes, offset: 0, length: nil, subject: "t")
        #expect(sparseBack == sparse && sparseBack.positions == [3 << 32])
    }

    @Test func mergeKeepsTheVariantsLimits() throws {
        var wide = try DeletionVector(format: .bitmap64, positions: [1 << 40])
        try wide.merge(try DeletionVector(positions: [2, 3]))
        #expect(wide.positions == [2, 3, 1 << 40] && wide.format == .bitmap64)
        var narrow = try DeletionVector(positions: [1])
        try narrow.merge(try DeletionVector(format: .bitmap64, positions: [5, Int64(Int32.max)]))
        #expect(narrow.positions == [1, 5, Int64(Int32.max)])
        #expect(throws: TableError.self) { try narrow.merge(wide) }
        #expect(throws: TableError.self) { try narrow.merge(try DeletionVector(format: .bitmap64, positions: [Int64(Int32.max) + 1])) }
        #expect(narrow.positions == [1, 5, Int64(Int32.max)])
    }

    @Test func corruptFramesAreErrors() throws {
        let vector = try DeletionVector(positions: [1, 2, 3])
        let (bytes, length) = vector.serialized()
        func fails(_ bytes: [UInt8], length: Int?, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
            do {
                _ = try DeletionVector.deserialize(bytes, offset: 0, length: length, subject: "index/x")
                Issue.record("decoded a corrupt frame", sourceLocation: sourceLocation)
            } catch {
                #expect(error.kind == .corrupt && error.description.contains(fragment), "\(error)", sourceLocation: sourceLocation)
            }
        }
        fails(bytes, length: Int(length) + 1, "index manifest says")
        var flipped = bytes
        flipped[flipped.count - 6] ^= 0x01
        fails(flipped, length: Int(length), "CRC32 mismatch")
        var magic = bytes
        magic[4] = 0
        fails(magic, length: Int(length), "unknown magic")
        fails(Array(bytes.dropLast(2)), length: Int(length), "does not fit")
        fails(Array(bytes.prefix(5)), length: nil, "outside")
        // A 64-bit vector's f2 is the whole frame: its size alone is wrong.
        let wide = try DeletionVector(format: .bitmap64, positions: [9]).serialized()
        fails(wide.bytes, length: Int(wide.length) - 8, "index manifest says")
        // Bitmap64 count larger than the bytes could hold.
        var data = hexBytes("d1d33964 ffffff7f00000000")
        var frame = ByteWriter()
        frame.putU32BE(UInt32(data.count))
        for byte in data { frame.putU8(byte) }
        frame.putU32BE(CRC32.checksum(data))
        fails(frame.bytes, length: nil, "cannot fit")
        // Keys not ascending.
        data = hexBytes("d1d33964 0200000000000000 01000000 3a30000000000000 00000000 3a30000000000000")
        frame = ByteWriter()
        frame.putU32BE(UInt32(data.count))
        for byte in data { frame.putU8(byte) }
        frame.putU32BE(CRC32.checksum(data))
        fails(frame.bytes, length: nil, "not ascending")
    }

    static func paths() throws -> (MemoryFileIO, TablePaths) {
        (MemoryFileIO(), try TablePaths(root: try StoragePath(parsing: "memory://dv\(UInt32.random(in: 0...UInt32.max))/db.db/t")))
    }

    @Test func indexFileRoundTrip() async throws {
        let (io, paths) = try Self.paths()
        let vectors = [
            "data-b-0.parquet": try DeletionVector(positions: [0, 7, 100_000]),
            "data-a-0.parquet": try DeletionVector(positions: Array(0..<5000)),
            "data-empty-0.parquet": DeletionVector(),
            "data-c-0.parquet": try DeletionVector(format: .bitmap64, positions: [4, 1 << 33]),
        ]
        let meta = try #require(try await DeletionVectorIndexFile.write(io: io, paths: paths, vectors: vectors))
        #expect(meta.indexType == "DELETION_VECTORS" && meta.fileName.hasPrefix("index-") && meta.rowCount == 3)
        let bytes = try await io.readAll(try paths.index(meta.fileName))
        #expect(bytes.first == 1 && Int64(bytes.count) == meta.fileSize)
        let ranges = try #require(meta.deletionVectorRanges)
        // Name order, the first right after the version byte, each next right after the previous frame.
        #expect(ranges.map(\.dataFileName) == ["data-a-0.parquet", "data-b-0.parquet", "data-c-0.parquet"])
        #expect(ranges[0].offset == 1)
        #expect(Int(ranges[1].offset) == 1 + Int(ranges[0].length) + 8)  // 32-bit: f2 excludes size and CRC
        #expect(Int(ranges[2].offset) == Int(ranges[1].offset) + Int(ranges[1].length) + 8)
        #expect(Int(ranges[2].offset) + Int(ranges[2].length) == bytes.count)  // 64-bit: f2 is the whole frame
        #expect(ranges.map(\.cardinality) == [5000, 3, 2])

        let read = try await DeletionVectorIndexFile.read(io: io, paths: paths, file: meta)
        #expect(read == vectors.filter { !$0.value.isEmpty })
        let entry = DeletionVectorIndexFile.entry(partition: .emptyRow, bucket: 0, file: meta)
        let files = DeletionVectorIndexFile.deletionFiles([entry])[BucketKey(partition: .emptyRow, bucket: 0)] ?? [:]
        let some = files.filter { $0.key != "data-a-0.parquet" }
        #expect(try await DeletionVectorIndexFile.read(io: io, paths: paths, deletionFiles: some) == vectors.filter { some[$0.key] != nil })

        // Every vector empty: no file.
        #expect(try await DeletionVectorIndexFile.write(io: io, paths: paths, vectors: ["x": DeletionVector()]) == nil)

        // A damaged file is a corrupt error naming it; an unknown version is unsupported.
        var damaged = bytes
        damaged[Int(ranges[1].offset) + 9] ^= 0xff
        try await io.write(try paths.index(meta.fileName), damaged, overwrite: true)
        await #expect(throws: TableError.self) { try await DeletionVectorIndexFile.read(io: io, paths: paths, file: meta) }
        damaged = bytes
        damaged[0] = 2
        try await io.write(try paths.index(meta.fileName), damaged, overwrite: true)
        do {
            _ = try await DeletionVectorIndexFile.read(io: io, paths: paths, file: meta)
            Issue.record("read a version-2 file")
        } catch {
            #expect(error.kind == .unsupported)
        }
    }

    @Test func deletionFilterDropsMarkedPositionsAcrossBatches() throws {
        let schema = RowType([DataField(id: 0, name: "v", type: DataType(.bigint))])
        func batch(_ range: Range<Int64>) -> KeyValueBatch {
            var builder = ColumnBuilder(type: DataType(.bigint))
            for v in range { try! builder.append(.integer(v)) }
            return KeyValueBatch(sequenceNumbers: Array(range), rowKinds: Array(repeating: .insert, count: range.count),
                                 values: ColumnBatch(schema: schema, columns: [builder.finish()]))
        }
        var filter = DeletionFilter(try DeletionVector(positions: [0, 4, 5, 9, 10, 19]))
        let kept = [batch(0..<6), batch(6..<10), batch(10..<20), batch(20..<25)].map { filter.apply($0).sequenceNumbers }
        #expect(kept == [[1, 2, 3], [6, 7, 8], [11, 12, 13, 14, 15, 16, 17, 18], [20, 21, 22, 23, 24]])
    }

    @Test func maintainerReplacesTheBucketIndexFileThroughCommits() async throws {
        let io = MemoryFileIO()
        let warehouse = Warehouse(io: io, root: try StoragePath(parsing: "memory://dvm/wh"))
        let schema = try TableSchema.create(columns: [TableSchema.Column("k", DataType(.bigint, nullable: false)), TableSchema.Column("v", DataType.string)],
                                            partitionKeys: [], primaryKeys: ["k"],
                                            options: ["bucket": "2", "deletion-vectors.enabled": "true"], timeMillis: 1_700_000_000_000)
        try await warehouse.createDatabase("db")
        let table = try await warehouse.createTable(try TableIdentifier(database: "db", table: "t"), schema: schema)
        let reader = SnapshotReader(io: io, paths: table.paths)

        var bucket0 = DeletionVectorsMaintainer(partition: .emptyRow, bucket: 0)
        let unchanged = try await bucket0.prepareCommit(io: io, paths: table.paths)  // nothing changed
        #expect(unchanged.newIndexFiles.isEmpty && unchanged.deletedIndexFiles.isEmpty)
        #expect(try bucket0.notifyNewDeletion(fileName: "data-x-0.parquet", position: 3))
        #expect(try !bucket0.notifyNewDeletion(fileName: "data-x-0.parquet", position: 3))
        try bucket0.notifyNewDeletion(fileName: "data-y-0.parquet", position: 0)
        var bucket1 = DeletionVectorsMaintainer(partition: .emptyRow, bucket: 1)
        try bucket1.notifyNewDeletion(fileName: "data-z-0.parquet", position: 8)
        let first0 = try await bucket0.prepareCommit(io: io, paths: table.paths)
        let first1 = try await bucket1.prepareCommit(io: io, paths: table.paths)
        #expect(first0.newIndexFiles.count == 1 && first0.deletedIndexFiles.isEmpty)
        _ = try await table.commit(CommitMessage(newIndexFiles: first0.newIndexFiles + first1.newIndexFiles), commitUser: "u", identifier: 1, kind: .compact)
        let snapshot1 = try #require(try await table.snapshots.latest())
        let live1 = try await reader.indexEntries(snapshot1)
        #expect(Set(live1.map(\.indexFile.fileName)) == Set((first0.newIndexFiles + first1.newIndexFiles).map(\.indexFile.fileName)))

        // Restore bucket 0 from the snapshot, drop one file's vector, add to another: one new file, the old deleted.
        var restored = try await DeletionVectorsMaintainer.restore(io: io, paths: table.paths, partition: .emptyRow, bucket: 0, indexEntries: live1)
        #expect(restored.vectors == bucket0.vectors)
        #expect(restored.deletionVector(of: "data-x-0.parquet")?.positions == [3])
        restored.removeDeletionVector(of: "data-y-0.parquet")
        try restored.mergeNewDeletion(fileName: "data-x-0.parquet", vector: try DeletionVector(positions: [4, 5]))
        let second = try await restored.prepareCommit(io: io, paths: table.paths)
        #expect(second.deletedIndexFiles.map(\.indexFile.fileName) == first0.newIndexFiles.map(\.indexFile.fileName))
        #expect(second.deletedIndexFiles.allSatisfy { $0.kind == .delete })
        _ = try await table.commit(CommitMessage(newIndexFiles: second.newIndexFiles, deletedIndexFiles: second.deletedIndexFiles),
                                   commitUser: "u", identifier: 2, kind: .compact)
        let live2 = try await reader.indexEntries(try #require(try await table.snapshots.latest()))
        #expect(Set(live2.map(\.indexFile.fileName)) == Set((second.newIndexFiles + first1.newIndexFiles).map(\.indexFile.fileName)))
        let vectors = try await DeletionVectorIndexFile.read(io: io, paths: table.paths, file: second.newIndexFiles[0].indexFile)
        #expect(vectors.mapValues(\.positions) == ["data-x-0.parquet": [3, 4, 5]])

        // Removing the last vector: only the deletion of the old file.
        restored.removeDeletionVector(of: "data-x-0.parquet")
        let third = try await restored.prepareCommit(io: io, paths: table.paths)
        #expect(third.newIndexFiles.isEmpty && third.deletedIndexFiles.map(\.indexFile.fileName) == second.newIndexFiles.map(\.indexFile.fileName))
        _ = try await table.commit(CommitMessage(deletedIndexFiles: third.deletedIndexFiles), commitUser: "u", identifier: 3, kind: .compact)
        let live3 = try await reader.indexEntries(try #require(try await table.snapshots.latest()))
        #expect(live3.map(\.indexFile.fileName) == first1.newIndexFiles.map(\.indexFile.fileName))
    }
}
