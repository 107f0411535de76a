import Testing
import WeirColumnar
import WeirFileIO
@testable import WeirParquet

/// Broken and hostile files, each built from a valid one with one precise change: every read ends in a
/// ``ParquetError`` that names the file, where, and what (never a trap, a hang or an unbounded allocation).
@Suite struct BadFileTests {
    static func validFile(options: ParquetWriteOptions = ParquetWriteOptions(compression: .uncompressed)) async throws -> [UInt8] {
        let schema = RowType([Schemas.f(0, "id", DataType(.bigint, nullable: false)), Schemas.f(1, "s", .string),
                              Schemas.f(2, "tags", DataType(.array(element: DataType(.int))))])
        let rows: [[Value]] = (0..<200).map { i in [.integer(Int64(i)), i % 5 == 0 ? .null : .string("v\(i % 9)"),
                                                   .list((0..<(i % 3)).map { .integer(Int64($0)) })] }
        return try await PQ.bytes(schema, [try PQ.batch(schema, rows)], options: options)
    }

    /// Reads `bytes` completely and returns the error, failing the test when there is none.
    @discardableResult
    static func failure(_ bytes: [UInt8], _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) -> ParquetError? {
        do {
            _ = try ParquetFile.readBatches(bytes: bytes, name: "bad.parquet")
            Issue.record("read without an error; expected \(expected)", sourceLocation: sourceLocation)
            return nil
        } catch {
            #expect(error.file == "bad.parquet", sourceLocation: sourceLocation)
            #expect(error.description.contains(expected), "\(error)", sourceLocation: sourceLocation)
            return error
        }
    }

    @Test func everyTruncationFails() async throws {
        let file = try await Self.validFile()
        for length in 0..<file.count {
            do {
                _ = try ParquetFile.readBatches(bytes: Array(file.prefix(length)), name: "cut")
                Issue.record("a file cut to \(length) bytes read")
            } catch {
                #expect(error.file == "cut")
            }
        }
        // Through a FileIO too, with a short file.
        let io = MemoryFileIO()
        try await io.write(PQ.path("short.parquet"), Array(file.prefix(11)), overwrite: false)
        do {
            _ = try await ParquetFileReader.open(io: io, path: PQ.path("short.parquet"))
            Issue.record("opened")
        } catch {
            #expect(error.description == "memory://pq/short.parquet: footer: 11 bytes is too short for a Parquet file (at least 12)")
        }
    }

    @Test func magicAndFooterLength() async throws {
        let file = try await Self.validFile()
        var wrongEnd = file
        wrongEnd[file.count - 1] = 0x32
        Self.failure(wrongEnd, "does not end with the Parquet magic")
        var wrongStart = file
        wrongStart[0] = 0x51
        Self.failure(wrongStart, "does not start with the Parquet magic")
        var encrypted = file
        encrypted.replaceSubrange((file.count - 4)..., with: parquetEncryptedMagic)
        Self.failure(encrypted, "encrypted")
        var pastStart = file
        pastStart.replaceSubrange((file.count - 8)..<(file.count - 4), with: [0xff, 0xff, 0xff, 0x7f])
        Self.failure(pastStart, "reaches past the start")
        var shorter = file
        let length = Int(UInt32(file[file.count - 8]) | UInt32(file[file.count - 7]) << 8)
        shorter.replaceSubrange((file.count - 8)..<(file.count - 6), with: [UInt8(truncatingIfNeeded: length - 9), UInt8((length - 9) >> 8)])
        Self.failure(shorter, "thrift")
        var overLimit: ParquetReadOptions = ParquetReadOptions()
        overLimit.footerBytesMax = 16
        #expect(throws: ParquetError.self) { _ = try ParquetFile.readBatches(bytes: file, options: overLimit) }
    }

    @Test func lyingFooterMetadata() async throws {
        let file = try await Self.validFile()
        Self.failure(try FileSurgery.editingMetadata(file) { $0.rowGroups[0].numRows = 1_000_000_000_000 }, "claims 1000000000000 rows")
        Self.failure(try FileSurgery.editingMetadata(file) { $0.rowGroups[0].numRows = 199 }, "the row group has 199 rows")
        Self.failure(try FileSurgery.editingMetadata(file) { $0.rowGroups[0].numRows = -1 }, "claims -1 rows")
        Self.failure(try FileSurgery.editingMetadata(file) { $0.rowGroups[0].columns[0].metaData!.totalCompressedSize = 1 << 40 },
                     "claims 1099511627776 bytes")
        Self.failure(try FileSurgery.editingMetadata(file) { $0.rowGroups[0].columns[1].metaData!.totalCompressedSize += 100_000 },
                     "outside the data")
        Self.failure(try FileSurgery.editingMetadata(file) { $0.rowGroups[0].columns[0].metaData!.dataPageOffset = 2 }, "outside the data")
        Self.failure(try FileSurgery.editingMetadata(file) { $0.rowGroups[0].columns[0].metaData!.numValues = 1 << 40 }, "claims 1099511627776 values")
        Self.failure(try FileSurgery.editingMetadata(file) { $0.rowGroups[0].columns[0].metaData!.numValues = 250 }, "ends after 200 of its 250 values")
        Self.failure(try FileSurgery.editingMetadata(file) { $0.rowGroups[0].columns[0].metaData!.codec = 42 }, "unknown codec 42")
        Self.failure(try FileSurgery.editingMetadata(file) { $0.rowGroups[0].columns[0].metaData!.codec = CompressionKind.brotli.rawValue }, "BROTLI")
        Self.failure(try FileSurgery.editingMetadata(file) { $0.rowGroups[0].columns[0].metaData!.type = 1 }, "stored as type 1")
        Self.failure(try FileSurgery.editingMetadata(file) { $0.rowGroups[0].columns[0].metaData!.pathInSchema = ["x"] }, "path")
        Self.failure(try FileSurgery.editingMetadata(file) { $0.rowGroups[0].columns.removeLast() }, "2 column chunks for 3 leaf columns")
        Self.failure(try FileSurgery.editingMetadata(file) { $0.rowGroups[0].columns[0].metaData = nil }, "has no metadata")
        Self.failure(try FileSurgery.editingMetadata(file) { $0.rowGroups[0].columns[0].filePath = "other.parquet" }, "another file")
    }

    @Test func badSchemas() async throws {
        let file = try await Self.validFile()
        Self.failure(try FileSurgery.editingMetadata(file) { $0.schema[0].numChildren = 9 }, "claims 9 children")
        Self.failure(try FileSurgery.editingMetadata(file) { $0.schema.append(SchemaElement(name: "extra", type: .int32)) }, "beyond its tree")
        Self.failure(try FileSurgery.editingMetadata(file) { $0.schema[1].name = "" }, "unnamed field")
        Self.failure(try FileSurgery.editingMetadata(file) { $0.schema[1].repetition = nil }, "no valid repetition")
        Self.failure(try FileSurgery.editingMetadata(file) { $0.schema[2].name = "id" }, "duplicate field name 'id'")
        Self.failure(try FileSurgery.editingMetadata(file) { $0.schema[2].logicalType = .float16 }, "column 's' is BYTE_ARRAY FLOAT16")
        Self.failure(try FileSurgery.editingMetadata(file) { $0.schema[1].logicalType = .null }, "UNKNOWN (always null)")
        Self.failure(try FileSurgery.editingMetadata(file) { $0.schema[1].type = 99 }, "unknown physical type 99")
        Self.failure(try FileSurgery.editingMetadata(file) { $0.schema[1].logicalType = .decimal(scale: 5, precision: 40) }, "DECIMAL(40, 5)")
        Self.failure(try FileSurgery.editingMetadata(file) { $0.schema[3].logicalType = .map; $0.schema[3].convertedType = nil }, "MAP 'tags'")
        Self.failure(try FileSurgery.editingMetadata(file) { $0.schema[4].repetition = Repetition.optional.rawValue }, "exactly one repeated child")
        // A schema nested 40 groups deep.
        Self.failure(try FileSurgery.editingMetadata(file) { metadata in
            var elements = [SchemaElement(name: "m", numChildren: 1)]
            for i in 0..<40 { elements.append(SchemaElement(name: "g\(i)", repetition: .optional, numChildren: 1)) }
            elements.append(SchemaElement(name: "leaf", type: .int32, repetition: .optional))
            metadata.schema = elements
            metadata.rowGroups = []
        }, "nests deeper than 32")
    }

    @Test func lyingPageHeaders() async throws {
        let file = try await Self.validFile()
        // Column 0 (id): PLAIN_DICTIONARY, so page 0 is the dictionary page and page 1 the data page.
        Self.failure(try FileSurgery.editingPageHeader(file, column: 0, page: 1) { $0.compressedPageSize += 1_000 }, "the chunk has")
        Self.failure(try FileSurgery.editingPageHeader(file, column: 0, page: 1) { $0.compressedPageSize = -1 }, "claims -1 bytes")
        Self.failure(try FileSurgery.editingPageHeader(file, column: 0, page: 1) { $0.uncompressedPageSize = Int32.max }, "the limit is")
        Self.failure(try FileSurgery.editingPageHeader(file, column: 0, page: 1) { $0.uncompressedPageSize += 1 }, "uncompressed")
        Self.failure(try FileSurgery.editingPageHeader(file, column: 0, page: 1) { $0.dataPageHeader!.numValues = 201 }, "overruns the chunk")
        Self.failure(try FileSurgery.editingPageHeader(file, column: 0, page: 1) { $0.dataPageHeader!.numValues = 150 }, "ends after 150 of its 200")
        Self.failure(try FileSurgery.editingPageHeader(file, column: 0, page: 1) { $0.dataPageHeader!.encoding = 77 }, "unknown value encoding 77")
        Self.failure(try FileSurgery.editingPageHeader(file, column: 0, page: 1) { $0.dataPageHeader!.encoding = Encoding.deltaLengthByteArray.rawValue },
                     "does not apply to INT64")
        Self.failure(try FileSurgery.editingPageHeader(file, column: 1, page: 1) { $0.dataPageHeader!.definitionLevelEncoding = 0 }, "not RLE")
        Self.failure(try FileSurgery.editingPageHeader(file, column: 0, page: 1) { $0.dataPageHeader = nil }, "without a data page header")
        Self.failure(try FileSurgery.editingPageHeader(file, column: 0, page: 1) { $0.type = 9 }, "unknown page type 9")
        Self.failure(try FileSurgery.editingPageHeader(file, column: 0, page: 1) { $0.crc = 12345 }, "CRC")
        // A dictionary that claims fewer values than the indices use; one with more values than its bytes hold.
        Self.failure(try FileSurgery.editingPageHeader(file, column: 0, page: 0) { $0.dictionaryPageHeader!.numValues = 1 }, "out of range")
        Self.failure(try FileSurgery.editingPageHeader(file, column: 0, page: 0) { $0.dictionaryPageHeader!.numValues = 100_000 }, "need 800000 bytes")
        Self.failure(try FileSurgery.editingPageHeader(file, column: 0, page: 0) { $0.type = PageType.dataPage.rawValue }, "without a data page header")
        // A data page turned PLAIN: its dictionary indices are read as values past the end of the page.
        Self.failure(try FileSurgery.editingPageHeader(file, column: 0, page: 1) { $0.dataPageHeader!.encoding = 0 }, "need 1600 bytes")
        // The uncompressed page size as a 4 GiB varint: not an i32.
        var bytes = try FileSurgery.editingPageHeader(file, column: 0, page: 1) { $0.uncompressedPageSize = 0x7eadbeef }
        let pages = try FileSurgery.pages(bytes, rowGroup: 0, column: 0)
        let at = pages[1].offset
        if let i = (at ..< at + pages[1].headerBytes).first(where: { bytes[$0] == 0x15 && bytes[$0 + 1] == 0xDE }) {
            bytes[i + 5] = 0x1f  // zigzag(0x7eadbeef) has 5 bytes; make the last one overflow 32 bits
            Self.failure(bytes, "out of range")
        } else {
            Issue.record("no uncompressed size field found")
        }
    }

    @Test func badCompressedPages() async throws {
        for compression in [ParquetWriteOptions.Compression.snappy, .gzip, .zstd(level: 1), .lz4Raw] {
            let file = try await Self.validFile(options: ParquetWriteOptions(compression: compression))
            let page = try FileSurgery.pages(file, rowGroup: 0, column: 1)[1]
            var corrupt = file
            let bodyStart = page.offset + page.headerBytes
            for i in bodyStart ..< bodyStart + Int(page.header.compressedPageSize) { corrupt[i] ^= 0x5a }
            Self.failure(corrupt, "page")
        }
        // With checksums the CRC catches it first.
        let checked = try await Self.validFile(options: ParquetWriteOptions(compression: .zstd(level: 1), pageChecksums: true))
        let page = try FileSurgery.pages(checked, rowGroup: 0, column: 2)[1]
        var corrupt = checked
        corrupt[page.offset + page.headerBytes + 3] ^= 1
        Self.failure(corrupt, "CRC")
        #expect(try ParquetFile.readBatches(bytes: checked).1[0].rowCount == 200)
    }

    @Test func levelsAndValuesOutOfRange() throws {
        typealias F = FileSurgery
        let elements = [SchemaElement(name: "m", numChildren: 1), SchemaElement(name: "a", type: .int32, repetition: .optional)]
        // A definition level of 3 in a column whose maximum is 2 (written with a wider leaf description, same bit width).
        let nestedElements = [SchemaElement(name: "m", numChildren: 1), SchemaElement(name: "g", repetition: .optional, numChildren: 1),
                              SchemaElement(name: "a", type: .int32, repetition: .optional)]
        let deep = try FileSurgery.build(elements: nestedElements, leaves: [
            (F.leaf(["g", "a"], .int32, .int32, maxDef: 3, maxRep: 0, type: DataType(.int)), F.batch(def: [3, 1], .int32([1]))),
        ], rows: 2)
        Self.failure(deep, "level 3 above the maximum 2")
        // An RLE run of level 3 where levels have one bit.
        let wideRun = try FileSurgery.build(elements: elements, leaves: [
            (F.leaf(["a"], .int32, .int32, maxDef: 3, maxRep: 0, type: DataType(.int)),
             F.batch(def: [3, 3, 3, 3, 3, 3, 3, 3, 3, 1], .int32([1, 2, 3, 4, 5, 6, 7, 8, 9]))),
        ], rows: 10)
        Self.failure(wideRun, "RLE run value 3 is wider than 1 bits")
        // Repetition levels in a column without repetition (the leaf's first entry repeats).
        let repeated = try FileSurgery.build(elements: [SchemaElement(name: "m", numChildren: 1),
                                                        SchemaElement(name: "a", type: .int32, repetition: .repeated)], leaves: [
            (F.leaf(["a"], .int32, .int32, maxDef: 1, maxRep: 1, type: DataType(.int)), F.batch(def: [1, 1], rep: [1, 0], .int32([1, 2]))),
        ], rows: 1)
        Self.failure(repeated, "starts with repetition level 1")
        // TINYINT values out of range.
        let wide = try FileSurgery.build(elements: [SchemaElement(name: "m", numChildren: 1),
                                                    SchemaElement(name: "a", type: .int32, repetition: .required, convertedType: .int8)], leaves: [
            (F.leaf(["a"], .int32, .int32, maxDef: 0, maxRep: 0, type: DataType(.int, nullable: false)), F.batch(def: [], .int32([1, 300]))),
        ], rows: 2)
        Self.failure(wide, "300 is out of range for TINYINT")
        // A 17-byte decimal that does not fit 128 bits.
        var big = ByteStrings()
        big.append([0x01] + [UInt8](repeating: 0, count: 16))
        let decimal = try FileSurgery.build(elements: [SchemaElement(name: "m", numChildren: 1),
                                                       SchemaElement(name: "d", type: .byteArray, repetition: .required, convertedType: .decimal, scale: 0, precision: 38)], leaves: [
            (F.leaf(["d"], .byteArray, .bytes, maxDef: 0, maxRep: 0, type: DataType.bytes.nullable(false)), F.batch(def: [], .bytes(big))),
        ], rows: 1)
        Self.failure(decimal, "does not fit 128 bits")
    }
}
