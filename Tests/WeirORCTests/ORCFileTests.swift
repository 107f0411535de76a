import Testing
import WeirColumnar
import WeirFileIO
import WeirORC

/// The entry points of `weir file`: write, readBatches and inspect.
@Suite struct ORCFileTests {
    typealias S = ORCTestSupport

    @Test func writeReadAndInspect() async throws {
        let io = MemoryFileIO()
        let path = try StoragePath(parsing: "memory://orc/entry.orc")
        let schema = ORCRoundTripTests.strings
        let batches = [ORCRoundTripTests.stringBatch(rows: 3000), ORCRoundTripTests.stringBatch(rows: 10)]
        let options = ORCWriteOptions(compression: .snappy, stripeSizeBytes: 40_000, userMetadata: [ORCUserMetadataItem(name: "k", value: [1, 2])])
        let summary = try await ORCFile.write(io: io, path: path, schema: schema, batches: batches, options: options)
        #expect(summary.rowCount == 3010)
        #expect(summary.fieldColumnIds == [1, 2, 3])
        #expect(summary.statistics[2].stringStatistics?.minimum == Array("value-1000".utf8) || summary.statistics[2].stringStatistics?.minimum != nil)
        #expect(summary.fileBytes == (try await io.status(path)).size)
        // Without overwrite an existing file is an error and stays as it was.
        await #expect(throws: FileIOError.self) {
            _ = try await ORCFile.write(io: io, path: path, schema: schema, batches: [], options: options)
        }
        let (readSchema, read) = try await ORCFile.readBatches(io: io, path: path, projection: ["bin", "low"])
        #expect(readSchema.fieldNames == ["bin", "low"])
        #expect(read.reduce(0) { $0 + $1.rowCount } == 3010)
        #expect(S.rows(read).first == [.bytes([0, 0]), .null])

        let text = try await ORCFile.inspect(io: io, path: path)
        for expected in ["rows: 3010", "compression: SNAPPY", "writer: Weir", "software: Weir 0.1", "writer version: 6",
                         "type: struct<low:string,high:varchar(40),bin:binary>", "low STRING (field id 0)",
                         "k: 2 bytes", "stripe 0: rows", "column 1 low: DICTIONARY_V2 (dictionary of 5)", "column 2 high: DIRECT_V2",
                         "column 1 DICTIONARY_DATA", "column 3 LENGTH", "writer timezone: GMT", "calendar PROLEPTIC_GREGORIAN",
                         "column 1 low: values"] {
            #expect(text.contains(expected), "missing \(expected) in:\n\(text)")
        }
        #expect(summary.stripeCount > 1)
        #expect(text.components(separatedBy: "  stripe ").count - 1 == summary.stripeCount)
    }

    @Test func stripesEndEarlyAndTheSizeSoFarIsReported() async throws {
        let io = MemoryFileIO()
        let path = try StoragePath(parsing: "memory://orc/sizes.orc")
        let schema = ORCRoundTripTests.strings
        let writer = try ORCFileWriter(file: try await io.create(path, overwrite: false), schema: schema,
                                       options: ORCWriteOptions(compression: .zstd(), stripeSizeBytes: 1 << 30))
        #expect(writer.bytesWritten == 0 && writer.bytesBuffered == 0 && writer.estimatedFileBytes == 0)
        try await writer.write(ORCRoundTripTests.stringBatch(rows: 2000))
        // Buffered, not written: the estimate is the rows' in-memory size until a stripe shows the compression.
        #expect(writer.bytesWritten == 0 && writer.rowsBuffered == 2000)
        #expect(writer.bytesBuffered > 0 && writer.estimatedFileBytes == Int64(writer.bytesBuffered))
        try await writer.finishStripe()
        let afterFirst = writer.bytesWritten
        #expect(afterFirst > 3 && writer.bytesBuffered == 0 && writer.rowsBuffered == 0)
        try await writer.finishStripe()  // nothing buffered: no empty stripe
        #expect(writer.bytesWritten == afterFirst)
        try await writer.write(ORCRoundTripTests.stringBatch(rows: 2000))
        // Now scaled by the first stripe's compression: close to what the second stripe takes.
        let estimate = writer.estimatedFileBytes
        #expect(estimate > afterFirst && estimate < afterFirst + Int64(writer.bytesBuffered))
        try await writer.finishStripe()
        let stripeBytes = writer.bytesWritten - afterFirst
        #expect(abs(Double(estimate - afterFirst) - Double(stripeBytes)) < 0.25 * Double(stripeBytes))
        try await writer.write(ORCRoundTripTests.stringBatch(rows: 10))
        let summary = try await writer.close()
        #expect(summary.stripeCount == 3 && summary.rowCount == 4010)
        let stored = try await io.status(path).size
        #expect(summary.fileBytes == writer.bytesWritten && summary.fileBytes == stored)
        await #expect(throws: ORCError.self) { try await writer.finishStripe() }
        let reader = try await ORCFileReader.open(io: io, path: path)
        #expect(reader.stripes.map(\.rowCount) == [2000, 2000, 10])
        await reader.close()
    }

    @Test func readingAMissingFileIsTheStoresError() async throws {
        let io = MemoryFileIO()
        await #expect(throws: FileIOError.self) {
            _ = try await ORCFile.readBatches(io: io, path: try StoragePath(parsing: "memory://orc/none.orc"))
        }
    }

    @Test func notAnORCFile() async throws {
        let io = MemoryFileIO()
        let path = try StoragePath(parsing: "memory://orc/text.orc")
        try await io.write(path, Array("this is not an ORC file at all, just some text\n".utf8), overwrite: true)
        do {
            _ = try await ORCFile.inspect(io: io, path: path)
            Issue.record("inspected text")
        } catch let error as ORCError {
            #expect(error.file == "memory://orc/text.orc")
            #expect(error.location.hasPrefix("postscript"))
        }
    }
}
