import WeirCodecs
import WeirColumnar

/// The decoded content of one leaf column chunk: its level entries and its non-null values in physical form.
struct LeafChunk: Sendable {
    /// Definition level per entry; empty when the leaf's maximum definition level is 0 (every entry is a value).
    var defLevels: [UInt8] = []
    /// Repetition level per entry; empty when the leaf's maximum repetition level is 0.
    var repLevels: [UInt8] = []
    /// The values of the entries whose definition level is the maximum, in order.
    var values: PhysicalValues
    /// The number of level entries.
    var entryCount = 0
}

/// Decodes the pages of one column chunk held in memory: an optional dictionary page first, then data pages v1 or v2
/// with any encoding of ``Encoding`` that applies to the physical type, index pages skipped.
///
/// Checks: page sizes against the chunk and ``ParquetReadOptions/pageBytesMax``; CRCs when present; level values
/// against the maximum levels; value counts against the page (`num_rows` of v2 pages, `num_nulls` as a bound) and the chunk
/// (`num_values`); dictionary indices against the dictionary; entries against
/// ``ParquetReadOptions/valuesPerColumnChunkMax``. Errors name the page's file offset.
struct ColumnChunkDecoder {
    let leaf: LeafColumn
    let codec: CompressionKind
    let options: ParquetReadOptions
    private var dictionary: PhysicalValues?
    private var chunk: LeafChunk
    private var indices: [UInt32] = []
    private var sawDataPage = false

    /// Decodes the chunk whose bytes are `bytes` (starting at file offset `fileOffset`), which must hold `numValues`
    /// level entries. `uncompressedBytes` is the size the footer claims for the chunk's pages once decompressed: only a
    /// hint for sizing the byte-array buffer up front (capped by ``ParquetReadOptions/byteArrayBytesPerColumnChunkMax``).
    static func decode(_ bytes: UnsafeRawBufferPointer, fileOffset: Int64, leaf: LeafColumn, codec: CompressionKind,
                       numValues: Int, uncompressedBytes: Int64, options: ParquetReadOptions) throws(ParquetError) -> LeafChunk {
        var decoder = ColumnChunkDecoder(leaf: leaf, codec: codec, options: options)
        return try decoder.run(bytes, fileOffset: fileOffset, numValues: numValues, uncompressedBytes: uncompressedBytes)
    }

    private init(leaf: LeafColumn, codec: CompressionKind, options: ParquetReadOptions) {
        self.leaf = leaf
        self.codec = codec
        self.options = options
        chunk = LeafChunk(values: .empty(for: leaf.physical))
    }

    private mutating func run(_ bytes: UnsafeRawBufferPointer, fileOffset: Int64, numValues: Int,
                              uncompressedBytes: Int64) throws(ParquetError) -> LeafChunk {
        guard numValues >= 0, numValues <= options.valuesPerColumnChunkMax else {
            throw ParquetError.corrupt("the chunk claims \(numValues) values; the limit is \(options.valuesPerColumnChunkMax)")
        }
        // Size the buffers once for the whole chunk (growing them page by page copies and faults in every page of
        // memory again). Within the limits of the options; a file that claims more than it holds wastes only address
        // space, which is never touched.
        if numValues > 0 && !bytes.isEmpty {
            if leaf.maxDef > 0 { chunk.defLevels.reserveCapacity(numValues) }
            if leaf.maxRep > 0 { chunk.repLevels.reserveCapacity(numValues) }
            let byteHint = Int(clamping: max(0, min(uncompressedBytes, Int64(min(options.byteArrayBytesPerColumnChunkMax, byteStringsBytesMax)))))
            chunk.values.reserve(values: numValues, bytes: byteHint)
        }
        var position = 0
        while chunk.entryCount < numValues {
            guard position < bytes.count else {
                throw ParquetError.corrupt("the column chunk ends after \(chunk.entryCount) of its \(numValues) values")
            }
            let pageOffset = fileOffset + Int64(position)
            do throws(ParquetError) {
                let page = try PageHeaderScan(bytes, at: position, fileOffset: fileOffset, options: options)
                let header = page.header
                let body = UnsafeRawBufferPointer(rebasing: bytes[page.bodyStart ..< page.bodyEnd])
                position = page.bodyEnd
                if options.verifyPageChecksums, let crc = header.crc {
                    let actual = CRC32.checksum(body)
                    guard actual == UInt32(bitPattern: crc) else {
                        throw ParquetError.corrupt("page CRC is \(String(actual, radix: 16)), the header says \(String(UInt32(bitPattern: crc), radix: 16))")
                    }
                }
                switch PageType(rawValue: header.type) {
                case .dictionaryPage?:
                    try readDictionaryPage(header, body)
                case .dataPage?:
                    try readDataPageV1(header, body, numValues: numValues)
                case .dataPageV2?:
                    try readDataPageV2(header, body, numValues: numValues)
                case .indexPage?:
                    break
                case nil:
                    throw ParquetError.corrupt("unknown page type \(header.type)")
                }
            } catch {
                throw error.in(file: "", location: "page at \(pageOffset)")
            }
        }
        return chunk
    }

    // MARK: pages

    private mutating func readDictionaryPage(_ header: PageHeader, _ body: UnsafeRawBufferPointer) throws(ParquetError) {
        guard let dictionaryHeader = header.dictionaryPageHeader else {
            throw ParquetError.corrupt("dictionary page without a dictionary page header")
        }
        guard !sawDataPage, dictionary == nil else { throw ParquetError.corrupt("a dictionary page after the first page") }
        guard dictionaryHeader.encoding == Encoding.plain.rawValue || dictionaryHeader.encoding == Encoding.plainDictionary.rawValue else {
            throw ParquetError.corrupt("dictionary page encoded \(Encoding.name(dictionaryHeader.encoding)), not PLAIN")
        }
        guard leaf.physical != .boolean else { throw ParquetError.corrupt("a dictionary page in a BOOLEAN column") }
        let count = Int(dictionaryHeader.numValues)
        guard count >= 0 else { throw ParquetError.corrupt("dictionary of \(count) values") }
        let physical = leaf.physical, typeLength = leaf.typeLength, bytesMax = options.byteArrayBytesPerColumnChunkMax
        dictionary = try PageDecompression.withDecompressed(body, codec: codec, uncompressedBytes: Int(header.uncompressedPageSize)) {
            (data) throws(ParquetError) -> PhysicalValues in
            var values = PhysicalValues.empty(for: physical)
            _ = try PlainDecoder.decode(data, count: count, type: physical, typeLength: typeLength, into: &values,
                                        bytesMax: bytesMax)
            return values
        }
    }

    private mutating func readDataPageV1(_ header: PageHeader, _ body: UnsafeRawBufferPointer, numValues: Int) throws(ParquetError) {
        guard let page = header.dataPageHeader else { throw ParquetError.corrupt("data page without a data page header") }
        sawDataPage = true
        let entries = try checkEntries(page.numValues, numValues: numValues)
        try PageDecompression.withDecompressed(body, codec: codec, uncompressedBytes: Int(header.uncompressedPageSize)) {
            (data) throws(ParquetError) in
            var cursor = ByteCursor(data)
            if leaf.maxRep > 0 {
                try readLevelsV1(&cursor, encoding: page.repetitionLevelEncoding, count: entries, max: leaf.maxRep,
                                 into: &chunk.repLevels, what: "repetition levels")
            }
            var present = entries
            if leaf.maxDef > 0 {
                try readLevelsV1(&cursor, encoding: page.definitionLevelEncoding, count: entries, max: leaf.maxDef,
                                 into: &chunk.defLevels, what: "definition levels")
                present = countPresent(from: chunk.defLevels.count - entries)
            }
            try readValues(cursor.rest, encoding: page.encoding, count: present)
        }
        chunk.entryCount += entries
    }

    private mutating func readDataPageV2(_ header: PageHeader, _ body: UnsafeRawBufferPointer, numValues: Int) throws(ParquetError) {
        guard let page = header.dataPageHeaderV2 else { throw ParquetError.corrupt("data page v2 without its header") }
        sawDataPage = true
        let entries = try checkEntries(page.numValues, numValues: numValues)
        let repBytes = Int(page.repetitionLevelsByteLength), defBytes = Int(page.definitionLevelsByteLength)
        guard repBytes >= 0, defBytes >= 0, repBytes + defBytes <= body.count,
              repBytes + defBytes <= Int(header.uncompressedPageSize) else {
            throw ParquetError.corrupt("data page v2 level lengths \(repBytes) + \(defBytes) exceed the page")
        }
        if leaf.maxRep > 0 {
            try readLevels(UnsafeRawBufferPointer(rebasing: body[0..<repBytes]), count: entries, max: leaf.maxRep,
                           into: &chunk.repLevels, what: "repetition levels")
        } else if repBytes != 0 {
            throw ParquetError.corrupt("data page v2 has repetition levels in a column without repetition")
        }
        var present = entries
        if leaf.maxDef > 0 {
            try readLevels(UnsafeRawBufferPointer(rebasing: body[repBytes ..< repBytes + defBytes]), count: entries,
                           max: leaf.maxDef, into: &chunk.defLevels, what: "definition levels")
            present = countPresent(from: chunk.defLevels.count - entries)
        }
        // num_nulls is not checked against the levels: writers disagree on what it counts in nested columns (pyarrow
        // counts only some of the entries below the maximum level); the levels decide.
        guard page.numNulls >= 0, Int(page.numNulls) <= entries else {
            throw ParquetError.corrupt("data page v2 says \(page.numNulls) nulls in \(entries) values")
        }
        let rows = leaf.maxRep > 0 ? chunk.repLevels[(chunk.repLevels.count - entries)...].reduce(0) { $0 + ($1 == 0 ? 1 : 0) } : entries
        guard Int(page.numRows) == rows else {
            throw ParquetError.corrupt("data page v2 says \(page.numRows) rows, its levels hold \(rows)")
        }
        let values = UnsafeRawBufferPointer(rebasing: body[(repBytes + defBytes)...])
        let valuesSize = Int(header.uncompressedPageSize) - repBytes - defBytes
        let valuesCodec = page.isCompressed ? codec : .uncompressed
        try PageDecompression.withDecompressed(values, codec: valuesCodec, uncompressedBytes: valuesSize) {
            (data) throws(ParquetError) in
            try readValues(data, encoding: page.encoding, count: present)
        }
        chunk.entryCount += entries
    }

    private func checkEntries(_ claimed: Int32, numValues: Int) throws(ParquetError) -> Int {
        let entries = Int(claimed)
        guard entries >= 0 else { throw ParquetError.corrupt("page of \(entries) values") }
        guard entries <= numValues - chunk.entryCount else {
            throw ParquetError.corrupt("page of \(entries) values overruns the chunk's \(numValues) (\(chunk.entryCount) read)")
        }
        return entries
    }

    /// The number of entries from `start` on whose definition level is the maximum.
    private func countPresent(from start: Int) -> Int {
        let maxDef = UInt8(leaf.maxDef)
        return chunk.defLevels.withUnsafeBufferPointer { levels in
            var n = 0
            for i in start ..< levels.count where levels[i] == maxDef { n += 1 }
            return n
        }
    }

    // MARK: levels

    private func readLevelsV1(_ cursor: inout ByteCursor, encoding: Int32, count: Int, max: Int,
                              into levels: inout [UInt8], what: String) throws(ParquetError) {
        switch Encoding(rawValue: encoding) {
        case .rle?:
            let length = Int(try cursor.readU32LE(what + " length"))
            let data = try cursor.take(length, what)
            try readLevels(data, count: count, max: max, into: &levels, what: what)
        case .bitPacked?:
            let width = BitPacking.width(of: UInt64(max))
            let (values, used) = try LegacyBitPacked.decode(cursor.rest, count: count, bitWidth: width)
            try cursor.skip(used, what)
            for v in values where Int(v) > max {
                throw ParquetError.corrupt("\(what): level \(v) above the maximum \(max)")
            }
            levels += values
        default:
            throw ParquetError.corrupt("\(what) encoded \(Encoding.name(encoding)), not RLE or BIT_PACKED")
        }
    }

    /// Decodes `count` RLE/bit-packed levels from `data`, appending them to `levels` and checking them against `max`.
    private func readLevels(_ data: UnsafeRawBufferPointer, count: Int, max: Int, into levels: inout [UInt8],
                            what: String) throws(ParquetError) {
        guard count > 0 else { return }
        var decoder = try RLEHybridDecoder(data, bitWidth: BitPacking.width(of: UInt64(max)))
        let start = levels.count
        levels.append(contentsOf: repeatElement(0, count: count))
        let limit = UInt8(max)
        var bad: UInt8?
        try levels.withUnsafeMutableBufferPointer { (buffer) throws(ParquetError) in
            let tail = UnsafeMutableBufferPointer(rebasing: buffer[start...])
            try decoder.decode(into: tail)
            for level in tail where level > limit { bad = level; break }
        }
        if let bad { throw ParquetError.corrupt("\(what): level \(bad) above the maximum \(max)") }
    }

    // MARK: values

    private mutating func readValues(_ data: UnsafeRawBufferPointer, encoding raw: Int32, count: Int) throws(ParquetError) {
        guard let encoding = Encoding(rawValue: raw) else { throw ParquetError.corrupt("unknown value encoding \(raw)") }
        let physical = leaf.physical
        func unsupported() -> ParquetError {
            ParquetError.corrupt("encoding \(encoding) does not apply to \(physical) values")
        }
        switch encoding {
        case .plain:
            _ = try PlainDecoder.decode(data, count: count, type: physical, typeLength: leaf.typeLength, into: &chunk.values,
                                        bytesMax: options.byteArrayBytesPerColumnChunkMax)
        case .plainDictionary, .rleDictionary:
            try readDictionaryIndices(data, count: count)
        case .rle:
            guard physical == .boolean else { throw unsupported() }
            var cursor = ByteCursor(data)
            let length = Int(try cursor.readU32LE("RLE boolean length"))
            var decoder = try RLEHybridDecoder(try cursor.take(length, "RLE booleans"), bitWidth: 1)
            guard var values = chunk.values.takeBoolean() else { throw unsupported() }
            let start = values.count
            values.append(contentsOf: repeatElement(0, count: count))
            try values.withUnsafeMutableBufferPointer { (buffer) throws(ParquetError) in
                try decoder.decode(into: UnsafeMutableBufferPointer(rebasing: buffer[start...]))
            }
            chunk.values = .boolean(values)
        case .deltaBinaryPacked:
            switch physical {
            case .int64:
                guard var values = chunk.values.takeInt64() else { throw unsupported() }
                _ = try DeltaBinaryPacked.decode(data, count: count, into: &values)
                chunk.values = .int64(values)
            case .int32:
                guard var values = chunk.values.takeInt32() else { throw unsupported() }
                let (wide, _) = try DeltaBinaryPacked.decode(data, count: count)
                values.reserveGrowing(count)
                for v in wide { values.append(Int32(truncatingIfNeeded: v)) }
                chunk.values = .int32(values)
            default: throw unsupported()
            }
        case .deltaLengthByteArray:
            guard physical == .byteArray, var strings = chunk.values.takeBytes() else { throw unsupported() }
            _ = try DeltaByteArray.decodeLengths(data, count: count, into: &strings, bytesMax: options.byteArrayBytesPerColumnChunkMax)
            chunk.values = .bytes(strings)
        case .deltaByteArray:
            guard physical == .byteArray || physical == .fixedLenByteArray, var strings = chunk.values.takeBytes() else {
                throw unsupported()
            }
            _ = try DeltaByteArray.decode(data, count: count,
                                          fixedLength: physical == .fixedLenByteArray ? leaf.typeLength : nil, into: &strings,
                                          bytesMax: options.byteArrayBytesPerColumnChunkMax)
            chunk.values = .bytes(strings)
        case .byteStreamSplit:
            let width: Int
            switch physical {
            case .float, .int32: width = 4
            case .double, .int64: width = 8
            case .fixedLenByteArray: width = leaf.typeLength
            default: throw unsupported()
            }
            let interleaved = try ByteStreamSplit.decode(data, count: count, width: width)
            try interleaved.withRawBytes { (raw) throws(ParquetError) in
                _ = try PlainDecoder.decode(raw, count: count, type: physical, typeLength: leaf.typeLength, into: &chunk.values,
                                            bytesMax: options.byteArrayBytesPerColumnChunkMax)
            }
        case .bitPacked:
            throw unsupported()
        }
    }

    private mutating func readDictionaryIndices(_ data: UnsafeRawBufferPointer, count: Int) throws(ParquetError) {
        guard count > 0 else { return }
        guard let dictionary else { throw ParquetError.corrupt("dictionary-encoded page without a dictionary page") }
        var cursor = ByteCursor(data)
        let width = Int(try cursor.readU8("dictionary index bit width"))
        var decoder = try RLEHybridDecoder(cursor.rest, bitWidth: width)
        if indices.count < count { indices = [UInt32](repeating: 0, count: count) }
        let dictionaryCount = dictionary.count
        var largest: UInt32 = 0
        try indices.withUnsafeMutableBufferPointer { (buffer) throws(ParquetError) in
            let slice = UnsafeMutableBufferPointer(rebasing: buffer[0..<count])
            try decoder.decode(into: slice)
            for index in slice where index > largest { largest = index }
        }
        guard Int(largest) < dictionaryCount else {
            throw ParquetError.corrupt("dictionary index \(largest) out of range (the dictionary has \(dictionaryCount) values)")
        }
        try gather(from: dictionary, count: count)
    }

    /// Appends `dictionary[indices[i]]` for i < count (indices already checked).
    private mutating func gather(from dictionary: PhysicalValues, count: Int) throws(ParquetError) {
        func mismatch() -> ParquetError { ParquetError.corrupt("internal: dictionary and values differ in type") }
        try indices.withBuffer { (idx) throws(ParquetError) in
            switch dictionary {
            case .boolean: throw mismatch()
            case .int32(let d):
                guard var out = chunk.values.takeInt32() else { throw mismatch() }
                out.reserveGrowing(count)
                d.withUnsafeBufferPointer { d in for i in 0..<count { out.append(d[Int(idx[i])]) } }
                chunk.values = .int32(out)
            case .int64(let d):
                guard var out = chunk.values.takeInt64() else { throw mismatch() }
                out.reserveGrowing(count)
                d.withUnsafeBufferPointer { d in for i in 0..<count { out.append(d[Int(idx[i])]) } }
                chunk.values = .int64(out)
            case .float(let d):
                guard var out = chunk.values.takeFloat() else { throw mismatch() }
                out.reserveGrowing(count)
                d.withUnsafeBufferPointer { d in for i in 0..<count { out.append(d[Int(idx[i])]) } }
                chunk.values = .float(out)
            case .double(let d):
                guard var out = chunk.values.takeDouble() else { throw mismatch() }
                out.reserveGrowing(count)
                d.withUnsafeBufferPointer { d in for i in 0..<count { out.append(d[Int(idx[i])]) } }
                chunk.values = .double(out)
            case .bytes(let d):
                guard var out = chunk.values.takeBytes() else { throw mismatch() }
                var total = 0
                for i in 0..<count {
                    let k = Int(idx[i])
                    total += Int(d.offsets[k + 1] - d.offsets[k])
                }
                let bytesMax = min(options.byteArrayBytesPerColumnChunkMax, byteStringsBytesMax)
                guard out.data.count + total <= bytesMax else {
                    throw ParquetError.corrupt("byte-array values exceed \(bytesMax) bytes in one column chunk")
                }
                out.data.reserveGrowing(total)
                out.offsets.reserveGrowing(count)
                d.data.withUnsafeBytes { data in
                    for i in 0..<count {
                        let k = Int(idx[i])
                        let start = Int(d.offsets[k]), end = Int(d.offsets[k + 1])
                        out.data.append(contentsOf: UnsafeRawBufferPointer(rebasing: data[start..<end]))
                        out.offsets.append(Int32(out.data.count))
                    }
                }
                chunk.values = .bytes(out)
            }
        }
    }
}
