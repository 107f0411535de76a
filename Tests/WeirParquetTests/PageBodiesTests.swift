import Testing
import WeirCodecs
import WeirColumnar
import WeirFileIO
@testable import WeirParquet

/// ``ParquetFileReader/pageBodies(rowGroup:)``: every dictionary and data page of a row group, as stored, with the
/// size it decompresses to.
@Suite struct PageBodiesTests {
    static let schema = RowType([PQ.field(1, "id", DataType(.bigint)), PQ.field(2, "s", .string)])

    static func batch(rows: Int) throws -> ColumnBatch {
        try PQ.batch(schema, (0..<rows).map { [.integer(Int64($0)), .string("value \($0 % 97) of the page test")] })
    }

    @Test func zstdPagesDecompressToTheirStatedSizes() async throws {
        var options = ParquetWriteOptions()
        options.pageRowCountMax = 1_000  // several data pages per chunk
        let (io, path, _) = try await PQ.write(Self.schema, [try Self.batch(rows: 5_000)], options: options)
        let reader = try await ParquetFileReader.open(io: io, path: path)
        let pages = try await reader.pageBodies(rowGroup: 0)
        // Two columns of 5 data pages each, and the string column's dictionary page (the id column's dictionary
        // holds 5,000 distinct values, within the dictionary limit, so it has one too).
        #expect(pages.count >= 10, "\(pages.count) pages")
        #expect(pages.allSatisfy { $0.codec == "ZSTD" })
        var uncompressed = 0
        for page in pages {
            let raw = try Zstd.decompress(page.bytes, uncompressedBytes: page.uncompressedBytes)
            #expect(raw.count == page.uncompressedBytes)
            uncompressed += raw.count
        }
        let group = reader.rowGroups[0]
        // The page bodies are the chunks less their page headers.
        #expect(pages.reduce(0) { $0 + $1.bytes.count } < Int(group.compressedBytes))
        #expect(uncompressed < Int(group.totalByteSize))
        await #expect(throws: ParquetError.self) { try await reader.pageBodies(rowGroup: 1) }
        await reader.close()
    }

    @Test func uncompressedPagesAreTheirOwnBytes() async throws {
        var options = ParquetWriteOptions()
        options.compression = .uncompressed
        let (io, path, _) = try await PQ.write(Self.schema, [try Self.batch(rows: 300)], options: options)
        let reader = try await ParquetFileReader.open(io: io, path: path)
        let pages = try await reader.pageBodies(rowGroup: 0)
        await reader.close()
        #expect(!pages.isEmpty && pages.allSatisfy { $0.codec == "UNCOMPRESSED" && $0.bytes.count == $0.uncompressedBytes })
    }
}
