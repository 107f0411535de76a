import Testing
import WeirColumnar
import WeirFileIO
import WeirPaimon
@testable import WeirTable

/// Files roll at `target-file-size` from the sizes the format writers report (bytes written plus buffered), in every
/// format: no file but the last ends far below the target, none goes past it by more than the rolling slack.
@Suite struct RollingSizeTests {
    static let fields = [
        DataField(id: 0, name: "id", type: DataType(.bigint, nullable: false)),
        DataField(id: 1, name: "s", type: .string),
        DataField(id: 2, name: "x", type: DataType(.double)),
    ]

    /// `count` rows from `first` on: ids, 24 hex digits of a mixed id (compresses about half), a double.
    static func batch(first: Int, count: Int) -> ColumnBatch {
        var strings = ByteStrings()
        let digits = Array("0123456789abcdef".utf8)
        for i in first..<(first + count) {
            var h = UInt64(i) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            for k in 0..<24 { strings.data.append(digits[Int((h >> UInt64(4 * (k % 12))) & 15) ^ (k / 12)]) }
            strings.offsets.append(Int32(strings.data.count))
        }
        let rowType = RowType(fields)
        return ColumnBatch(schema: rowType, columns: [
            Column(type: fields[0].type, validity: nil, values: .int64((first..<(first + count)).map { Int64($0) })),
            Column(type: fields[1].type, validity: nil, values: .bytes(strings)),
            Column(type: fields[2].type, validity: nil, values: .float64((first..<(first + count)).map { Double($0) * 0.25 })),
        ])
    }

    @Test(arguments: DataFileFormat.allCases) func filesEndNearTheTarget(format: DataFileFormat) async throws {
        let io = MemoryFileIO()
        let directory = try StoragePath(parsing: "memory://rolling/bucket-0")
        let target = 96 << 10
        let table = try TableSchema(id: 0, fields: Self.fields, highestFieldId: 2, partitionKeys: [], primaryKeys: [],
                                    options: ["file.format": format.rawValue, "target-file-size": "96 kb"], timeMillis: 0)
        let writer = try AppendFileWriter(io: io, directory: directory, schema: table, nextSequenceNumber: 0)
        var written = 0
        for size in [5000, 1, 12_000, 3000, 20_000] {
            try await writer.write(Self.batch(first: written, count: size))
            written += size
        }
        let files = try await writer.close()
        #expect(files.count >= 4, "\(files.map(\.fileSize))")
        #expect(files.reduce(0) { $0 + $1.rowCount } == Int64(written))
        for (n, file) in files.enumerated() {
            let size = try await io.status(try directory.appending(file.fileName)).size
            #expect(file.fileSize == size)
            // Past the target by at most the last slice (1/64 of it) and the footer.
            #expect(size <= Int64(target + target / 64 + 4096), "file \(n) of \(files.count): \(size) bytes")
            if n < files.count - 1 {
                // Parquet counts its open pages uncompressed (as parquet-mr's data size does) and a page here is
                // larger than a file, so its files end at about the compressed size of a target's worth of encoded
                // rows; Avro counts its pending block (64 KiB) uncompressed.
                let floor = format == .parquet ? target / 4 : target * 3 / 4
                #expect(size >= Int64(floor), "file \(n) of \(files.count): \(size) bytes")
            }
        }
    }
}
