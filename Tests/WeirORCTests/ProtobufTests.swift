import Testing
@testable import WeirORC

/// The hand-written protobuf codec against hand-built wire bytes, and every ORC message through a round trip.
@Suite struct ProtobufTests {
    @Test func varintsFromTheProtobufDocumentation() throws {
        // 150 is 0x96 0x01 (protobuf encoding guide); 300 is 0xac 0x02.
        var writer = ProtobufWriter()
        writer.putVarint(150)
        writer.putVarint(300)
        writer.putVarint(UInt64.max)
        #expect(writer.bytes == [0x96, 0x01, 0xac, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])
        var reader = ProtobufReader(writer.bytes, context: "test")
        #expect(try reader.readVarint() == 150)
        #expect(try reader.readVarint() == 300)
        #expect(try reader.readVarint() == UInt64.max)
        #expect(reader.isAtEnd)
    }

    @Test func fieldKeysZigzagFixedAndLengthDelimited() throws {
        var w = ProtobufWriter()
        w.uint64(1, 150)          // 08 96 01
        w.sint64(2, -1)           // 10 01
        w.sint64(2, 1)            // 10 02
        w.int32(3, -2)            // 18 fe ff ff ff ff ff ff ff ff 01
        w.fixed64(4, 0x0102030405060708)
        w.string(5, "ORC")        // 2a 03 4f 52 43
        w.double(6, 1.5)
        #expect(Array(w.bytes[0..<7]) == [0x08, 0x96, 0x01, 0x10, 0x01, 0x10, 0x02])
        #expect(Array(w.bytes[7..<18]) == [0x18, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])
        #expect(Array(w.bytes[18..<27]) == [0x21, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01])
        #expect(Array(w.bytes[27..<32]) == [0x2a, 0x03, 0x4f, 0x52, 0x43])
        var r = ProtobufReader(w.bytes, context: "test")
        var seen: [Int] = []
        while let (field, wire) = try r.nextField() {
            seen.append(field)
            switch field {
            case 1: #expect(try r.readVarint() == 150)
            case 2: let v = try r.readSInt64(); #expect(v == -1 || v == 1)
            case 3: #expect(try r.readInt32() == -2)
            case 4: #expect(try r.readFixed64() == 0x0102030405060708)
            case 5: #expect(try r.readString() == "ORC")
            case 6: #expect(try r.readDouble() == 1.5)
            default: try r.skip(wire)
            }
        }
        #expect(seen == [1, 2, 2, 3, 4, 5, 6])
    }

    /// A postscript built byte by byte: footer length 100, ZSTD, block size 256 KiB, version [0, 12], metadata 5,
    /// writer version 6, magic "ORC" (field 8000: key 64002 = 82 f4 03).
    @Test func postScriptMatchesHandBuiltBytes() throws {
        let bytes: [UInt8] = [0x08, 0x64, 0x10, 0x05, 0x18, 0x80, 0x80, 0x10, 0x22, 0x02, 0x00, 0x0c, 0x28, 0x05, 0x30, 0x06,
                              0x82, 0xf4, 0x03, 0x03, 0x4f, 0x52, 0x43]
        let ps = try ORCPostScript.decode(bytes, context: "postscript")
        #expect(ps.footerLength == 100)
        #expect(ps.compression == .zstd)
        #expect(ps.compressionBlockSize == 262_144)
        #expect(ps.version == [0, 12])
        #expect(ps.metadataLength == 5)
        #expect(ps.writerVersion == 6)
        #expect(ps.magic == "ORC")
        #expect(ps.serialized() == bytes)
        // An unpacked repeated field decodes too: version as two separate varints.
        let unpacked: [UInt8] = [0x20, 0x00, 0x20, 0x0c]
        #expect(try ORCPostScript.decode(unpacked, context: "ps").version == [0, 12])
    }

    @Test func unknownFieldsOfEveryWireTypeAreSkipped() throws {
        var w = ProtobufWriter()
        w.uint64(99, 7)
        w.fixed64(98, 1)
        w.bytes(97, [1, 2, 3])
        var bytes = w.bytes
        bytes += [0x5d, 1, 2, 3, 4]  // field 11, wire type 5 (fixed32)
        var known = ProtobufWriter()
        known.uint64(1, 42)
        bytes += known.bytes
        let info = try ORCStripeInformation.decode(bytes, context: "stripe")
        #expect(info.offset == 42)
    }

    @Test func malformedInputIsAnErrorNamingTheMessage() throws {
        let cases: [([UInt8], String)] = [
            ([0x08], "varint runs past"),
            ([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02], "overflows 64 bits"),
            ([0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], "overflows 64 bits"),
            ([0x4a, 0x05, 0x01], "runs past the end"),
            ([0x0b], "unsupported wire type 3"),
            ([0x00, 0x00], "field number 0"),
            ([0x08 | 2, 0x01, 0x00], "wire type 2, expected 0"),
        ]
        for (bytes, message) in cases {
            do {
                _ = try ORCStripeInformation.decode(bytes, context: "stripes[3]")
                Issue.record("\(bytes) decoded")
            } catch {
                #expect(error.description.contains(message), "\(error)")
                #expect(error.location.hasPrefix("stripes[3]"))
            }
        }
    }

    /// ORC's own messages nest only a few levels, so the limit guards hostile input: a reader refuses to descend
    /// past ``ProtobufReader/depthMax`` length-delimited levels.
    @Test func nestingDeeperThanTheLimitIsRefused() throws {
        var bytes: [UInt8] = []
        for _ in 0..<(ProtobufReader.depthMax + 2) {
            var w = ProtobufWriter()
            w.bytes(1, bytes)
            bytes = w.bytes
        }
        var reader = ProtobufReader(bytes, context: "deep")
        var depth = 0
        do {
            while let _ = try reader.nextField() {
                reader = try reader.nested("m")
                depth += 1
            }
            Issue.record("descended \(depth) levels")
        } catch {
            #expect(depth == ProtobufReader.depthMax)
            #expect(error.description.contains("deeper than \(ProtobufReader.depthMax)"))
        }
    }

    static func sampleStatistics() -> [ORCColumnStatistics] {
        var all: [ORCColumnStatistics] = []
        var s = ORCColumnStatistics()
        s.numberOfValues = 10
        s.hasNull = true
        s.bytesOnDisk = 123
        s.intStatistics = ORCIntegerStatistics(minimum: -5, maximum: Int64.max, sum: nil)
        all.append(s)
        s = ORCColumnStatistics()
        s.doubleStatistics = ORCDoubleStatistics(minimum: -1.5, maximum: .infinity, sum: 3)
        all.append(s)
        s = ORCColumnStatistics()
        s.stringStatistics = ORCStringStatistics(minimum: Array("a".utf8), maximum: Array("zz".utf8), sum: 9, lowerBound: [0x61], upperBound: [0x7b])
        all.append(s)
        s = ORCColumnStatistics()
        s.bucketStatistics = [7]
        all.append(s)
        s = ORCColumnStatistics()
        s.decimalStatistics = ORCDecimalStatistics(minimum: "-1.50", maximum: "99.99", sum: "100.00")
        all.append(s)
        s = ORCColumnStatistics()
        s.dateStatistics = ORCDateStatistics(minimum: -719_162, maximum: 2_932_896)
        all.append(s)
        s = ORCColumnStatistics()
        s.binaryStatistics = 77
        all.append(s)
        s = ORCColumnStatistics()
        s.timestampStatistics = ORCTimestampStatistics(minimum: 1, maximum: 2, minimumUtc: -3, maximumUtc: 4, minimumNanos: 5, maximumNanos: 6)
        all.append(s)
        s = ORCColumnStatistics()
        s.collectionStatistics = ORCCollectionStatistics(minChildren: 0, maxChildren: 9, totalChildren: 30)
        all.append(s)
        return all
    }

    @Test func everyMessageSurvivesARoundTrip() throws {
        var footer = ORCFooter()
        footer.headerLength = 3
        footer.contentLength = 1000
        footer.stripes = [ORCStripeInformation(offset: 3, indexLength: 10, dataLength: 900, footerLength: 50, numberOfRows: 12345)]
        footer.types = [
            ORCType(kind: .struct, subtypes: [1, 2], fieldNames: ["a", "b"]),
            ORCType(kind: .decimal, precision: 38, scale: 6, attributes: [("paimon.id", "0")]),
            ORCType(kind: .varchar, maximumLength: 20, attributes: [("paimon.id", "1"), ("k", "v")]),
        ]
        footer.metadata = [ORCUserMetadataItem(name: "key", value: [0, 1, 255])]
        footer.numberOfRows = 12345
        footer.statistics = Self.sampleStatistics()
        footer.rowIndexStride = 10_000
        footer.writer = 87
        footer.calendar = .prolepticGregorian
        footer.softwareVersion = "Weir 0.1"
        #expect(try ORCFooter.decode(footer.serialized(), context: "footer") == footer)

        let metadata = ORCMetadata(stripeStatistics: [ORCStripeStatistics(columns: Self.sampleStatistics()), ORCStripeStatistics()])
        #expect(try ORCMetadata.decode(metadata.serialized(), context: "metadata") == metadata)

        var stripeFooter = ORCStripeFooter(
            streams: [ORCStream(kind: .rowIndex, column: 0, length: 12), ORCStream(kind: .present, column: 1, length: 3),
                      ORCStream(kind: .dictionaryData, column: 2, length: UInt64(1) << 40)],
            columns: [ORCColumnEncoding(kind: .direct), ORCColumnEncoding(kind: .directV2), ORCColumnEncoding(kind: .dictionaryV2, dictionarySize: 17)],
            writerTimezone: "GMT")
        stripeFooter.columns[1].bloomEncoding = 1
        #expect(try ORCStripeFooter.decode(stripeFooter.serialized(), context: "stripe footer") == stripeFooter)

        let rowIndex = ORCRowIndex(entries: [ORCRowIndexEntry(positions: [0, 0, 0], statistics: Self.sampleStatistics()[0]),
                                             ORCRowIndexEntry(positions: [17, UInt64.max, 3])])
        #expect(try ORCRowIndex.decode(rowIndex.serialized(), context: "row index") == rowIndex)

        var ps = ORCPostScript()
        ps.footerLength = 1
        ps.compression = .lz4
        ps.version = [0, 12]
        ps.magic = "ORC"
        #expect(try ORCPostScript.decode(ps.serialized(), context: "ps") == ps)
    }
}
