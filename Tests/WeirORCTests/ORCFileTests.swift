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
