import Testing
import WeirColumnar
import WeirFileIO
@testable import WeirORC

/// Row-index positions are what a reader seeking to a row group needs: for every row group and every stream of
/// the column, seeking to the recorded chunk and offset and skipping the recorded counts lands exactly on the
/// group's first value.
@Suite struct ORCRowIndexTests {
    static let schema = RowType([
        DataField(id: 0, name: "id", type: DataType(.bigint, nullable: false)),
        DataField(id: 1, name: "maybe", type: DataType(.int)),
        DataField(id: 2, name: "name", type: .string),
        DataField(id: 3, name: "color", type: .string),
        DataField(id: 4, name: "flag", type: DataType(.boolean)),
        DataField(id: 5, name: "price", type: DataType(.decimal(precision: 12, scale: 2))),
        DataField(id: 6, name: "at", type: DataType(.timestamp(precision: 6))),
        DataField(id: 7, name: "score", type: DataType(.double)),
        DataField(id: 8, name: "tiny", type: DataType(.tinyint)),
        DataField(id: 9, name: "tags", type: DataType(.array(element: DataType(.int)))),
    ])

    static let rows = 7_345
    static let stride = 1_000

    static func batch() throws -> ColumnBatch {
        var b = schema.fields.map { ColumnBuilder(type: $0.type) }
        var seed: UInt64 = 7
        func next() -> UInt64 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return seed >> 17
        }
        for i in 0..<rows {
            try b[0].append(.integer(Int64(i)))
            try b[1].append(i % 3 == 0 ? .null : .integer(Int64(next() % 100_000) - 50_000))
            try b[2].append(i % 7 == 0 ? .null : .string("name-\(next() % 1_000_000)"))
            try b[3].append(.string(["red", "green", "blue"][Int(next() % 3)]))
            try b[4].append(i % 5 == 0 ? .null : .boolean(next() % 2 == 0))
            try b[5].append(i % 4 == 0 ? .null : .decimal(unscaled: Int128(next() % 10_000_000) - 5_000_000, scale: 2))
            try b[6].append(i % 6 == 0 ? .null : .timestamp(Int64(next() % 4_000_000_000_000_000) - 1_000_000_000_000_000))
            try b[7].append(i % 9 == 0 ? .null : .double(Double(next() % 1000) / 8))
            try b[8].append(.integer(Int64(next() % 256) - 128))
            try b[9].append(i % 8 == 0 ? .null : .list((0..<Int(next() % 4)).map { _ in .integer(Int64(next() % 1000)) }))
        }
        return ColumnBatch(schema: schema, columns: b.map { $0.finish() })
    }

    /// How a stream of a column is positioned: the counts after the byte offset, and how to decode it.
    enum Shape { case present, integers(signed: Bool), bytes, booleans, raw }

    /// The streams of a column in row-index order with their shapes.
    static func shapes(_ kind: ORCTypeKind, encoding: ORCEncodingKind, hasPresent: Bool) -> [(ORCStreamKind, Shape)] {
        var out: [(ORCStreamKind, Shape)] = hasPresent ? [(.present, .present)] : []
        switch kind {
        case .long, .int: out.append((.data, .integers(signed: true)))
        case .string: out += encoding.isDictionary ? [(.data, .integers(signed: false))] : [(.data, .raw), (.length, .integers(signed: false))]
        case .boolean: out.append((.data, .booleans))
        case .byte: out.append((.data, .bytes))
        case .decimal: out += [(.data, .raw), (.secondary, .integers(signed: true))]
        case .timestamp: out += [(.data, .integers(signed: true)), (.secondary, .integers(signed: false))]
        case .double: out.append((.data, .raw))
        case .list: out.append((.length, .integers(signed: false)))
        default: break
        }
        return out
    }

    @Test(arguments: [ORCCompression.zstd(), .none])
    func positionsSeekToEachRowGroup(_ compression: ORCCompression) async throws {
        let batch = try Self.batch()
        let options = ORCWriteOptions(compression: compression, compressionBlockSize: 1024, stripeSizeBytes: 200_000, rowIndexStride: Self.stride)
        let bytes = try await ORCTestSupport.fileBytes([batch], schema: Self.schema, options: options)
        let reader = try await ORCTestSupport.open(bytes)
        #expect(reader.stripes.count >= 2)
        let decompressor = reader.decompressor
        var firstRow = 0
        var checked = 0
        for stripe in reader.stripes {
            let footer = try await reader.stripeFooter(stripe.index)
            // Stream locations.
            var offset = Int(stripe.information.offset)
            var located: [Int: (Int, Int)] = [:]
            for stream in footer.streams {
                located[StripeStreams.key(Int(stream.column), stream.kind)] = (offset, Int(stream.length))
                offset += Int(stream.length)
            }
            for (fieldIndex, node) in reader.root.children.enumerated() where node.kind != .map {
                let column = batch.columns[fieldIndex]
                let encoding = footer.columns[node.id].kind
                let hasPresent = located[StripeStreams.key(node.id, .present)] != nil
                #expect(hasPresent == (column.nullCount > 0))
                let index = try await reader.rowIndex(stripe: stripe.index, column: node.id)
                for (group, entry) in index.entries.enumerated() {
                    let startRow = firstRow + group * Self.stride
                    var used = 0
                    func take() throws -> Int {
                        guard used < entry.positions.count else { throw ORCError(file: "test", "column \(node.id) group \(group): positions run out") }
                        used += 1
                        return Int(entry.positions[used - 1])
                    }
                    for (kind, shape) in Self.shapes(node.kind, encoding: encoding, hasPresent: hasPresent) {
                        let (start, length) = try #require(located[StripeStreams.key(node.id, kind)])
                        let whole = try decompressor.decompress(bytes[start..<(start + length)], bytesMax: 1 << 30, context: "test")
                        // Seek.
                        var tail: [UInt8]
                        var uncompressedOffset: Int
                        if compression == .none {
                            uncompressedOffset = try take()
                            tail = Array(whole[uncompressedOffset...])
                        } else {
                            let chunk = try take()
                            let inChunk = try take()
                            let fromChunk = try decompressor.decompress(bytes[(start + chunk)..<(start + length)], bytesMax: 1 << 30, context: "test")
                            tail = Array(fromChunk[inChunk...])
                            uncompressedOffset = whole.count - fromChunk.count + inChunk
                        }
                        let stream = StreamBytes(tail, context: "seek")
                        // The value (or bit) index the group starts at in this stream.
                        let nonNullBefore = (firstRow..<startRow).filter { !column.isNull($0) }.count
                        let valueIndex = kind == .present ? startRow - firstRow : nonNullBefore
                        switch shape {
                        case .present, .booleans:
                            var full = BooleanRLEDecoder(StreamBytes(whole, context: "full"))
                            try full.skip(valueIndex)
                            var seek = BooleanRLEDecoder(stream)
                            let skipBytes = try take(), skipBits = try take()
                            try seek.skip(skipBytes * 8 + skipBits)
                            #expect(try seek.next() == full.next(), "column \(node.id) \(kind) group \(group)")
                        case .bytes:
                            var full = ByteRLEDecoder(StreamBytes(whole, context: "full"))
                            try full.skip(valueIndex)
                            var seek = ByteRLEDecoder(stream)
                            try seek.skip(try take())
                            #expect(try seek.next() == full.next(), "column \(node.id) \(kind) group \(group)")
                        case .integers(let signed):
                            var full = IntegerStreamDecoder(StreamBytes(whole, context: "full"), signed: signed, encoding: .directV2)
                            try full.skip(valueIndex)
                            var seek = IntegerStreamDecoder(stream, signed: signed, encoding: .directV2)
                            try seek.skip(try take())
                            #expect(try seek.decode(count: 1) == full.decode(count: 1), "column \(node.id) \(kind) group \(group)")
                        case .raw:
                            // The byte offset is where value number `valueIndex` starts.
                            var expectedOffset = 0
                            switch node.kind {
                            case .double: expectedOffset = valueIndex * 8
                            case .string:
                                guard case .bytes(let strings) = column.values else { break }
                                for row in firstRow..<startRow where !column.isNull(row) { expectedOffset += strings[row].count }
                            case .decimal:
                                var cursor = StreamBytes(whole, context: "full").cursor()
                                for _ in 0..<valueIndex { _ = try DecimalVarint.read(&cursor) }
                                expectedOffset = cursor.position
                            default: break
                            }
                            #expect(uncompressedOffset == expectedOffset, "column \(node.id) \(kind) group \(group)")
                        }
                        checked += 1
                    }
                    #expect(used == entry.positions.count, "column \(node.id) group \(group): positions left over")
                }
            }
            firstRow += stripe.rowCount
        }
        #expect(firstRow == Self.rows)
        #expect(checked > 100)
    }
}
