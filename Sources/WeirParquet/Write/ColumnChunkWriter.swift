import WeirCodecs
import WeirColumnar

/// A finished column chunk, ready to be written at some file offset.
struct EncodedChunk {
    /// The chunk's bytes in pieces to write one after the other: the dictionary page (if any) first, then the data
    /// pages (several to a piece; see ``ByteSegments``). Never gathered into one buffer, which would copy it.
    var pieces: [[UInt8]]
    /// The bytes of all `pieces`.
    var byteCount: Int
    /// The length of the dictionary page (header and body) at the start, or nil without one.
    var dictionaryPageBytes: Int?
    var encodings: [Int32]
    var numValues: Int64
    var totalUncompressedSize: Int64
    var statistics: Statistics?
    /// Bounds and nulls for the writer's summary.
    var min: StatBound?
    var max: StatBound?
    var nullCount: Int64
}

/// Encodes one leaf column of one row group into pages (data page v1), in memory.
///
/// Pages end at row boundaries once they hold ``ParquetWriteOptions/pageBytes`` of levels and values or
/// ``ParquetWriteOptions/pageRowCountMax`` rows (checked after each slice of rows, whose size adapts to the bytes per
/// row seen so far). Values are dictionary-encoded (`PLAIN_DICTIONARY` pages, RLE/bit-packed indices) while the
/// dictionary's PLAIN size stays within ``ParquetWriteOptions/dictionaryPageBytes``; then the current page is closed and
/// the rest of the chunk is PLAIN. Levels are RLE/bit-packed with a 4-byte length. BOOLEAN and INT96 are always PLAIN.
/// Statistics (min, max, null count) are computed from the Paimon values; no allocation per value.
struct ColumnChunkWriter {
    let leaf: LeafColumn
    let options: ParquetWriteOptions

    private enum Mode { case fixedDictionary, byteDictionary, plain }
    private var mode: Mode
    private var fixed = FixedWidthDictionary()
    private var bytesDictionary = ByteDictionary()
    private var dictionaryUsed = false
    private var plainUsed = false

    // The page being built.
    private var pageDef: [UInt8] = []
    private var pageRep: [UInt8] = []
    private var pagePlain: [UInt8] = []
    private var pageBools: [UInt8] = []
    private var pageIndices: [UInt32] = []
    private var pageEntries = 0
    private var pageRows = 0
    private var pageIsDictionary = false

    // The chunk so far.
    private var dataPages = ByteSegments()
    private var uncompressedTotal: Int64 = 0
    private var entries: Int64 = 0
    private var nulls: Int64 = 0
    private var minBound: StatBound?
    private var maxBound: StatBound?
    private var pieceRows = 256

    init(leaf: LeafColumn, options: ParquetWriteOptions) {
        self.leaf = leaf
        self.options = options
        if !options.dictionary || leaf.physical == .boolean || leaf.physical == .int96 {
            mode = .plain
        } else if leaf.physical == .byteArray || leaf.physical == .fixedLenByteArray {
            mode = .byteDictionary
        } else {
            mode = .fixedDictionary
        }
        pageIsDictionary = mode != .plain
    }

    /// Bytes buffered for this chunk (pages, the page being built, the dictionary).
    var bufferedBytes: Int { dataPages.count + pageBytesEstimate + dictionaryPlainBytes }

    private var dictionaryPlainBytes: Int {
        switch mode {
        case .fixedDictionary: fixed.count * physicalWidth
        case .byteDictionary: bytesDictionary.plainBytes(fixedLength: leaf.physical == .fixedLenByteArray ? leaf.typeLength : nil)
        case .plain: dictionaryUsed ? (leaf.physical == .byteArray || leaf.physical == .fixedLenByteArray
                                       ? bytesDictionary.plainBytes(fixedLength: nil) : fixed.count * physicalWidth) : 0
        }
    }

    private var physicalWidth: Int {
        switch leaf.physical {
        case .boolean: 1
        case .int32, .float: 4
        case .int64, .double: 8
        case .int96: 12
        case .byteArray, .fixedLenByteArray: leaf.typeLength
        }
    }

    private var pageBytesEstimate: Int {
        let levelBits = (leaf.maxDef > 0 ? 2 : 0) + (leaf.maxRep > 0 ? 2 : 0)
        return pagePlain.count + (pageBools.count + 7) / 8 + pageIndices.count * 2 + pageEntries * levelBits / 8
    }

    // MARK: appending

    mutating func append(_ batch: LeafBatch) throws(ParquetError) {
        var entry = 0
        var value = batch.valueRange.lowerBound
        let n = batch.entryCount
        let maxDef = UInt8(leaf.maxDef)
        while entry < n {
            let wanted = max(1, min(options.pageRowCountMax - pageRows, pieceRows))
            var end: Int
            var rows: Int
            if leaf.maxRep == 0 {
                end = min(n, entry + wanted)
                rows = end - entry
            } else {
                end = entry + 1
                rows = 1
                while end < n {
                    if batch.repLevels[end] == 0 {
                        if rows == wanted { break }
                        rows += 1
                    }
                    end += 1
                }
            }
            var present = end - entry
            if leaf.maxDef > 0 {
                present = 0
                for i in entry..<end where batch.defLevels[i] == maxDef { present += 1 }
                pageDef.append(contentsOf: batch.defLevels[entry..<end])
            }
            if leaf.maxRep > 0 { pageRep.append(contentsOf: batch.repLevels[entry..<end]) }
            let before = pageBytesEstimate
            try encode(batch.values, value ..< value + present)
            nulls += Int64(end - entry - present)
            pageEntries += end - entry
            pageRows += rows
            entries += Int64(end - entry)
            entry = end
            value += present
            // Adapt the slice to about a tenth of a page.
            let perRow = max(1, (pageBytesEstimate - before) / max(rows, 1))
            pieceRows = max(1, min(8192, options.pageBytes / 10 / perRow))
            if pageBytesEstimate >= options.pageBytes || pageRows >= options.pageRowCountMax {
                try flushPage()
            }
            if mode != .plain && dictionaryPlainBytes > options.dictionaryPageBytes {
                // Fall back to PLAIN: close the page that still uses the dictionary.
                if pageEntries > 0 { try flushPage() }
                dictionaryUsed = dictionaryUsed || fixed.count > 0 || bytesDictionary.count > 0
                mode = .plain
                pageIsDictionary = false
            }
        }
    }

    private mutating func noteBounds(_ lo: StatBound, _ hi: StatBound) {
        if minBound == nil || lo.compare(minBound!) == -1 { minBound = lo }
        if maxBound == nil || hi.compare(maxBound!) == 1 { maxBound = hi }
    }

    private mutating func noteIntegers(_ lo: Int128, _ hi: Int128) { noteBounds(.integer(lo), .integer(hi)) }

    /// Encodes `values[range]` into the page, in the current mode, and updates the bounds.
    private mutating func encode(_ values: ColumnValues, _ range: Range<Int>) throws(ParquetError) {
        guard !range.isEmpty else { return }
        func mismatch() -> ParquetError { ParquetError.corrupt("internal: \(leaf.pathString) values do not match the column type") }
        switch (leaf.conversion, values) {
        case (.boolean, .boolean(let bits)):
            var anyTrue = false, anyFalse = false
            for i in range {
                let bit = bits[i]
                pageBools.append(bit ? 1 : 0)
                if bit { anyTrue = true } else { anyFalse = true }
            }
            noteIntegers(anyFalse ? 0 : 1, anyTrue ? 1 : 0)
        case (.int32ToInt8, .int8(let v)):
            try encodeInt32(v, range) { Int32($0) }
        case (.int32ToInt16, .int16(let v)):
            try encodeInt32(v, range) { Int32($0) }
        case (.int32, .int32(let v)):
            try encodeInt32(v, range) { $0 }
        case (.int32ToInt64, .int64(let v)):
            // DECIMAL(p ≤ 9): the unscaled values must fit INT32 (a column built by hand may hold anything).
            for i in range where Int32(exactly: v[i]) == nil {
                throw ParquetError.corrupt("column \(leaf.pathString): decimal \(v[i]) does not fit \(leaf.type)")
            }
            try encodeInt32(v, range) { Int32(truncatingIfNeeded: $0) }
        case (.int64, .int64(let v)) where leaf.physical == .int96:
            var lo = Int64.max, hi = Int64.min
            for i in range {
                let nanos = v[i]
                lo = min(lo, nanos)
                hi = max(hi, nanos)
                var day = nanos / nanosPerDay
                var ofDay = nanos % nanosPerDay
                if ofDay < 0 {
                    ofDay += nanosPerDay
                    day -= 1
                }
                withUnsafeBytes(of: UInt64(bitPattern: ofDay).littleEndian) { pagePlain.append(contentsOf: $0) }
                withUnsafeBytes(of: UInt32(truncatingIfNeeded: day + julianDayOfUnixEpoch).littleEndian) { pagePlain.append(contentsOf: $0) }
            }
            plainUsed = true
            noteIntegers(Int128(lo), Int128(hi))
        case (.int64, .int64(let v)):
            var lo = Int64.max, hi = Int64.min
            v.withUnsafeBufferPointer { b in
                for i in range {
                    lo = min(lo, b[i])
                    hi = max(hi, b[i])
                }
            }
            noteIntegers(Int128(lo), Int128(hi))
            if mode == .fixedDictionary {
                for i in range { pageIndices.append(fixed.index(of: UInt64(bitPattern: v[i]))) }
                dictionaryUsed = true
            } else {
                v.withUnsafeBytes { raw in pagePlain.append(contentsOf: raw[(range.lowerBound * 8) ..< (range.upperBound * 8)]) }
                plainUsed = true
            }
        case (.float, .float32(let v)):
            var lo = Double.infinity, hi = -Double.infinity, any = false
            for i in range where !v[i].isNaN {
                lo = min(lo, Double(v[i]))
                hi = max(hi, Double(v[i]))
                any = true
            }
            if any { noteBounds(.real(lo), .real(hi)) }
            if mode == .fixedDictionary {
                for i in range { pageIndices.append(fixed.index(of: UInt64(v[i].bitPattern))) }
                dictionaryUsed = true
            } else {
                v.withUnsafeBytes { raw in pagePlain.append(contentsOf: raw[(range.lowerBound * 4) ..< (range.upperBound * 4)]) }
                plainUsed = true
            }
        case (.double, .float64(let v)):
            var lo = Double.infinity, hi = -Double.infinity, any = false
            for i in range where !v[i].isNaN {
                lo = min(lo, v[i])
                hi = max(hi, v[i])
                any = true
            }
            if any { noteBounds(.real(lo), .real(hi)) }
            if mode == .fixedDictionary {
                for i in range { pageIndices.append(fixed.index(of: v[i].bitPattern)) }
                dictionaryUsed = true
            } else {
                v.withUnsafeBytes { raw in pagePlain.append(contentsOf: raw[(range.lowerBound * 8) ..< (range.upperBound * 8)]) }
                plainUsed = true
            }
        case (.bytes, .bytes(let strings)):
            var lo = range.lowerBound, hi = range.lowerBound
            strings.data.withUnsafeBytes { data in
                strings.offsets.withUnsafeBufferPointer { offsets in
                    func slice(_ i: Int) -> UnsafeRawBufferPointer {
                        UnsafeRawBufferPointer(rebasing: data[Int(offsets[i]) ..< Int(offsets[i + 1])])
                    }
                    var loBytes = slice(lo), hiBytes = loBytes
                    for i in range {
                        let s = slice(i)
                        if Self.compareBytes(s, loBytes) < 0 { lo = i; loBytes = s }
                        if Self.compareBytes(s, hiBytes) > 0 { hi = i; hiBytes = s }
                    }
                    if mode == .byteDictionary {
                        pageIndices.reserveGrowing(range.count)
                        for i in range { pageIndices.append(bytesDictionary.index(of: slice(i))) }
                    } else {
                        Self.appendPlain(offsets, data, range, to: &pagePlain)
                    }
                }
            }
            if mode == .byteDictionary { dictionaryUsed = true } else { plainUsed = true }
            noteBounds(.bytes(Array(strings[lo])), .bytes(Array(strings[hi])))
        case (.bigEndianToInt128, .int128(let v)):
            var lo = Int128.max, hi = Int128.min
            let width = leaf.typeLength
            var scratch = [UInt8](repeating: 0, count: width)
            let bound = Int128(1) << (8 * width - 1)
            for i in range {
                let x = v[i]
                guard width >= 16 || (x >= -bound && x < bound) else {
                    throw ParquetError.corrupt("column \(leaf.pathString): decimal \(x) does not fit \(width) bytes")
                }
                lo = min(lo, x)
                hi = max(hi, x)
                Self.bigEndian(x, into: &scratch)
                if mode == .byteDictionary {
                    scratch.withUnsafeBytes { pageIndices.append(bytesDictionary.index(of: $0)) }
                } else {
                    pagePlain.append(contentsOf: scratch)
                }
            }
            if mode == .byteDictionary { dictionaryUsed = true } else { plainUsed = true }
            noteIntegers(lo, hi)
        default:
            throw mismatch()
        }
    }

    /// INT32 physical values from any integer storage.
    private mutating func encodeInt32<T: FixedWidthInteger>(_ v: [T], _ range: Range<Int>, _ convert: (T) -> Int32) throws(ParquetError) {
        var lo = Int32.max, hi = Int32.min
        if mode == .fixedDictionary {
            for i in range {
                let x = convert(v[i])
                lo = min(lo, x)
                hi = max(hi, x)
                pageIndices.append(fixed.index(of: UInt64(UInt32(bitPattern: x))))
            }
            dictionaryUsed = true
        } else {
            if T.self == Int32.self {
                v.withUnsafeBytes { raw in pagePlain.append(contentsOf: raw[(range.lowerBound * 4) ..< (range.upperBound * 4)]) }
                for i in range {
                    let x = convert(v[i])
                    lo = min(lo, x)
                    hi = max(hi, x)
                }
            } else {
                for i in range {
                    let x = convert(v[i])
                    lo = min(lo, x)
                    hi = max(hi, x)
                    withUnsafeBytes(of: x.littleEndian) { pagePlain.append(contentsOf: $0) }
                }
            }
            plainUsed = true
        }
        noteIntegers(Int128(lo), Int128(hi))
    }

    /// Unsigned lexicographic order of two byte strings: -1, 0 or 1 (eight bytes at a time).
    static func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = min(a.count, b.count)
        var i = 0
        while i + 8 <= n {
            let x = UInt64(bigEndian: a.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let y = UInt64(bigEndian: b.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            if x != y { return x < y ? -1 : 1 }
            i += 8
        }
        while i < n {
            if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
            i += 1
        }
        return a.count < b.count ? -1 : a.count == b.count ? 0 : 1
    }

    /// Appends the PLAIN encoding of the byte strings `range` (a 4-byte little-endian length, then the bytes, each)
    /// to `out`: one resize, then copies straight into it.
    static func appendPlain(_ offsets: UnsafeBufferPointer<Int32>, _ data: UnsafeRawBufferPointer, _ range: Range<Int>,
                            to out: inout [UInt8]) {
        let start = out.count
        let bytes = Int(offsets[range.upperBound] - offsets[range.lowerBound]) + 4 * range.count
        out.reserveGrowing(bytes)
        out.append(contentsOf: repeatElement(0, count: bytes))
        out.withUnsafeMutableBytes { raw in
            var at = start
            for i in range {
                let from = Int(offsets[i]), length = Int(offsets[i + 1]) - from
                raw.storeBytes(of: UInt32(truncatingIfNeeded: length).littleEndian, toByteOffset: at, as: UInt32.self)
                at += 4
                if length > 0 {
                    (raw.baseAddress! + at).copyMemory(from: data.baseAddress! + from, byteCount: length)
                }
                at += length
            }
        }
    }

    /// `value` as `out.count` big-endian two's complement bytes.
    static func bigEndian(_ value: Int128, into out: inout [UInt8]) {
        var v = value
        for i in stride(from: out.count - 1, through: 0, by: -1) {
            out[i] = UInt8(truncatingIfNeeded: v)
            v >>= 8
        }
    }

    // MARK: pages

    private mutating func flushPage() throws(ParquetError) {
        guard pageEntries > 0 else { return }
        guard pageEntries <= Int(Int32.max) else {
            throw ParquetError.corrupt("column \(leaf.pathString): a page of \(pageEntries) values is over the format's limit")
        }
        var body: [UInt8] = []
        body.reserveCapacity(pageBytesEstimate + 64)
        func levels(_ levels: [UInt8], max: Int) {
            let lengthAt = body.count
            body.append(contentsOf: [0, 0, 0, 0])
            RLEHybridEncoder.encode(levels, bitWidth: BitPacking.width(of: UInt64(max)), into: &body)
            let length = UInt32(body.count - lengthAt - 4)
            withUnsafeBytes(of: length.littleEndian) { raw in
                for k in 0..<4 { body[lengthAt + k] = raw[k] }
            }
        }
        if leaf.maxRep > 0 { levels(pageRep, max: leaf.maxRep) }
        if leaf.maxDef > 0 { levels(pageDef, max: leaf.maxDef) }
        let encoding: Encoding
        if pageIsDictionary && !pageIndices.isEmpty {
            let size = mode == .byteDictionary ? bytesDictionary.count : fixed.count
            let width = max(1, BitPacking.width(of: UInt64(max(size - 1, 0))))
            body.append(UInt8(width))
            RLEHybridEncoder.encode(pageIndices, bitWidth: width, into: &body)
            encoding = .plainDictionary
        } else if leaf.physical == .boolean {
            BitPacking.pack(pageBools.lazy.map { UInt64($0) }, width: 1, into: &body)
            encoding = .plain
            plainUsed = true
        } else {
            body.append(contentsOf: pagePlain)
            encoding = .plain
            plainUsed = true
        }
        let header = PageHeader(type: PageType.dataPage.rawValue, uncompressedPageSize: 0, compressedPageSize: 0, crc: nil,
                                dataPageHeader: DataPageHeader(numValues: Int32(pageEntries), encoding: encoding.rawValue,
                                                               definitionLevelEncoding: Encoding.rle.rawValue,
                                                               repetitionLevelEncoding: Encoding.rle.rawValue))
        let page = try encodePage(header, body: body)
        uncompressedTotal += page.uncompressedBytes
        dataPages.append(page.header, page.body)
        pageDef.removeAll(keepingCapacity: true)
        pageRep.removeAll(keepingCapacity: true)
        pagePlain.removeAll(keepingCapacity: true)
        pageBools.removeAll(keepingCapacity: true)
        pageIndices.removeAll(keepingCapacity: true)
        pageEntries = 0
        pageRows = 0
    }

    /// Compresses `body` and completes `header` with the sizes (and CRC); returns the header's bytes, the compressed
    /// body and the page's uncompressed size (header included).
    private func encodePage(_ header: PageHeader, body: [UInt8]) throws(ParquetError) -> (header: [UInt8], body: [UInt8], uncompressedBytes: Int64) {
        guard body.count <= Int(Int32.max) else {
            throw ParquetError.corrupt("column \(leaf.pathString): a page of \(body.count) bytes is over the 2 GiB page limit")
        }
        let compressed: [UInt8]
        do {
            compressed = try options.compression.codec.compress(body)
        } catch {
            throw ParquetError.corrupt("column \(leaf.pathString): compressing a page failed: \(error)")
        }
        guard compressed.count <= Int(Int32.max) else {
            throw ParquetError.corrupt("column \(leaf.pathString): a compressed page of \(compressed.count) bytes is over 2 GiB")
        }
        var header = header
        header.uncompressedPageSize = Int32(body.count)
        header.compressedPageSize = Int32(compressed.count)
        if options.pageChecksums { header.crc = Int32(bitPattern: CRC32.checksum(compressed)) }
        let headerBytes = header.thriftBytes()
        return (headerBytes, compressed, Int64(headerBytes.count + body.count))
    }

    /// Closes the last page and returns the chunk (dictionary page first).
    mutating func finish() throws(ParquetError) -> EncodedChunk {
        try flushPage()
        var pieces: [[UInt8]] = []
        var dictionaryLength: Int?
        var encodings: [Int32] = []
        let hasDictionary = dictionaryUsed
        if hasDictionary {
            var plain: [UInt8] = []
            let count: Int
            if leaf.physical == .byteArray || leaf.physical == .fixedLenByteArray {
                let strings = bytesDictionary.strings
                count = strings.count
                plain.reserveCapacity(bytesDictionary.plainBytes(fixedLength: nil))
                for i in 0..<count {
                    let value = strings[i]
                    if leaf.physical == .byteArray {
                        withUnsafeBytes(of: UInt32(value.count).littleEndian) { plain.append(contentsOf: $0) }
                    }
                    plain.append(contentsOf: value)
                }
            } else {
                count = fixed.count
                let width = physicalWidth
                plain.reserveCapacity(count * width)
                for key in fixed.values {
                    withUnsafeBytes(of: key.littleEndian) { plain.append(contentsOf: $0[0..<width]) }
                }
            }
            let header = PageHeader(type: PageType.dictionaryPage.rawValue, uncompressedPageSize: 0, compressedPageSize: 0,
                                    crc: nil, dictionaryPageHeader: DictionaryPageHeader(numValues: Int32(count),
                                                                                         encoding: Encoding.plainDictionary.rawValue))
            let page = try encodePage(header, body: plain)
            uncompressedTotal += page.uncompressedBytes
            dictionaryLength = page.header.count + page.body.count
            pieces += [page.header, page.body]
            encodings.append(Encoding.plainDictionary.rawValue)
        }
        if plainUsed || !hasDictionary { encodings.append(Encoding.plain.rawValue) }
        if leaf.maxDef > 0 || leaf.maxRep > 0 { encodings.append(Encoding.rle.rawValue) }
        let dataBytes = dataPages.count
        pieces += dataPages.take()
        return EncodedChunk(pieces: pieces, byteCount: (dictionaryLength ?? 0) + dataBytes, dictionaryPageBytes: dictionaryLength, encodings: encodings, numValues: entries,
                            totalUncompressedSize: uncompressedTotal, statistics: options.statistics ? parquetStatistics() : nil,
                            min: minBound, max: maxBound, nullCount: nulls)
    }

    /// The chunk's statistics in Parquet's binary form (min/max left out for INT96 and for byte strings over
    /// ``ParquetWriteOptions/statisticsValueBytesMax``).
    private func parquetStatistics() -> Statistics {
        var stats = Statistics(nullCount: nulls)
        guard let lo = minBound, let hi = maxBound, let minBytes = encodeBound(lo, isMax: false),
              let maxBytes = encodeBound(hi, isMax: true) else { return stats }
        stats.minValue = minBytes
        stats.maxValue = maxBytes
        switch leaf.physical {
        case .boolean, .int32, .int64, .float, .double:
            stats.min = minBytes
            stats.max = maxBytes
        default:
            break
        }
        return stats
    }

    private func encodeBound(_ bound: StatBound, isMax: Bool) -> [UInt8]? {
        switch (leaf.physical, bound) {
        case (.boolean, .integer(let i)): return [i != 0 ? 1 : 0]
        case (.int32, .integer(let i)): return withUnsafeBytes(of: Int32(truncatingIfNeeded: i).littleEndian) { Array($0) }
        case (.int64, .integer(let i)): return withUnsafeBytes(of: Int64(truncatingIfNeeded: i).littleEndian) { Array($0) }
        case (.float, .real(let d)):
            // -0.0 as the lower bound and +0.0 as the upper bound of a zero, as the format asks.
            let f = d == 0 ? (isMax ? Float(0) : -Float(0)) : Float(d)
            return withUnsafeBytes(of: f.bitPattern.littleEndian) { Array($0) }
        case (.double, .real(let d)):
            let v = d == 0 ? (isMax ? 0.0 : -0.0) : d
            return withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) }
        case (.byteArray, .bytes(let b)):
            return b.count <= options.statisticsValueBytesMax ? b : nil
        case (.fixedLenByteArray, .integer(let i)):
            var out = [UInt8](repeating: 0, count: leaf.typeLength)
            Self.bigEndian(i, into: &out)
            return out
        default:
            return nil
        }
    }
}
