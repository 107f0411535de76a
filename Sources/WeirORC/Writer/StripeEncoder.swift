import WeirColumnar

/// One stream of a column as the encoder produced it: uncompressed bytes and, per row group, the byte offset
/// and the run counts a row-index position records for it.
struct EncodedStream {
    let kind: ORCStreamKind
    var bytes: [UInt8]
    /// Uncompressed offset at the start of each row group; empty for streams without positions (dictionary).
    var offsets: [Int] = []
    /// `countsPerMark` counts per row group, flattened.
    var counts: [UInt64] = []
    let countsPerMark: Int
    /// False for the dictionary streams, which a row index does not position.
    let positioned: Bool
}

/// Everything one column contributes to a stripe.
struct EncodedColumn {
    var streams: [EncodedStream]
    var encoding: ORCColumnEncoding
    var groupStatistics: [StatisticsBuilder]
}

/// Encodes the columns of one stripe: for each ORC column its streams, encoding and per-row-group statistics.
/// Row groups start every `rowIndexStride` rows of the stripe; a nested column's groups start where its
/// parent's do (the first element of the first row of the group, or the first non-null row under a struct).
struct StripeEncoder {
    let options: ORCWriteOptions
    let file: String
    /// Indexed by ORC column id.
    private(set) var columns: [EncodedColumn?]

    init(options: ORCWriteOptions, file: String, columnCount: Int) {
        self.options = options
        self.file = file
        columns = Array(repeating: nil, count: columnCount)
    }

    /// Encodes the root struct (column 0) with `rows` rows and the given top-level columns.
    mutating func encodeRoot(_ fields: [Column], node: ORCTypeNode, rows: Int) throws(ORCError) {
        let stride = options.rowIndexStride > 0 ? options.rowIndexStride : max(rows, 1)
        var starts = Array(stride: stride, upTo: rows)
        starts.append(rows)
        var stats: [StatisticsBuilder] = []
        for g in 0..<(starts.count - 1) {
            var s = StatisticsBuilder(kind: .structure)
            s.count = UInt64(starts[g + 1] - starts[g])
            stats.append(s)
        }
        columns[0] = EncodedColumn(streams: [], encoding: ORCColumnEncoding(kind: .direct), groupStatistics: stats)
        for (child, column) in zip(node.children, fields) {
            try encode(column, node: child, starts: starts)
        }
    }

    private func kindOfStatistics(_ node: ORCTypeNode) -> StatisticsBuilder.Kind {
        switch node.kind {
        case .boolean: .boolean
        case .byte, .short, .int, .long: .integer
        case .float, .double: .floating
        case .string, .char, .varchar: .string
        case .binary: .binary
        case .decimal: .decimal(scale: Int(node.type.scale ?? 0))
        case .date: .date
        case .timestamp, .timestampInstant: .timestamp
        case .list, .map: .collection
        default: .structure
        }
    }

    /// Encodes `column` as ORC column `node.id` (and its children); `starts` holds the first row of each row
    /// group plus the row count at the end.
    private mutating func encode(_ column: Column, node: ORCTypeNode, starts: [Int]) throws(ORCError) {
        let groups = starts.count - 1
        var streams: [EncodedStream] = []
        var stats = (0..<groups).map { _ in StatisticsBuilder(kind: kindOfStatistics(node)) }
        let validity = column.nullCount > 0 ? column.validity : nil

        if let validity {
            var present = BooleanRLEEncoder()
            var offsets: [Int] = [], counts: [UInt64] = []
            for g in 0..<groups {
                offsets.append(present.bytes.count)
                counts.append(UInt64(present.pendingBytes))
                counts.append(UInt64(present.bitCount))
                for row in starts[g]..<starts[g + 1] {
                    let valid = validity[row]
                    present.write(valid)
                    if !valid { stats[g].addNull() }
                }
            }
            present.flush()
            streams.append(EncodedStream(kind: .present, bytes: present.bytes, offsets: offsets, counts: counts, countsPerMark: 2, positioned: true))
        }

        var encoding = ORCColumnEncoding(kind: .directV2)
        switch column.values {
        case .boolean(let bits):
            encoding.kind = .direct
            var encoder = BooleanRLEEncoder()
            var offsets: [Int] = [], counts: [UInt64] = []
            for g in 0..<groups {
                offsets.append(encoder.bytes.count)
                counts.append(UInt64(encoder.pendingBytes))
                counts.append(UInt64(encoder.bitCount))
                for row in starts[g]..<starts[g + 1] where validity?[row] ?? true {
                    encoder.write(bits[row])
                    stats[g].add(boolean: bits[row])
                }
            }
            encoder.flush()
            streams.append(EncodedStream(kind: .data, bytes: encoder.bytes, offsets: offsets, counts: counts, countsPerMark: 2, positioned: true))

        case .int8(let values):
            encoding.kind = .direct
            var encoder = ByteRLEEncoder()
            var offsets: [Int] = [], counts: [UInt64] = []
            values.withUnsafeBufferPointer { v in
                for g in 0..<groups {
                    offsets.append(encoder.bytes.count)
                    counts.append(UInt64(encoder.pendingCount))
                    for row in starts[g]..<starts[g + 1] where validity?[row] ?? true {
                        encoder.write(UInt8(bitPattern: v[row]))
                        stats[g].add(integer: Int64(v[row]))
                    }
                }
            }
            encoder.flush()
            streams.append(EncodedStream(kind: .data, bytes: encoder.bytes, offsets: offsets, counts: counts, countsPerMark: 1, positioned: true))

        case .int16(let values):
            streams.append(encodeIntegers(values, validity: validity, starts: starts, stats: &stats))
        case .int32(let values):
            if case .date = column.type.kind {
                streams.append(encodeIntegers(values, validity: validity, starts: starts, stats: &stats, asDates: true))
            } else {
                streams.append(encodeIntegers(values, validity: validity, starts: starts, stats: &stats))
            }
        case .int64(let values):
            switch column.type.kind {
            case .decimal:
                streams.append(contentsOf: encodeDecimals(values.lazy.map { Int128($0) }, count: values.count, scale: Int(node.type.scale ?? 0), validity: validity, starts: starts, stats: &stats))
            case .timestamp(let p), .timestampLTZ(let p):
                streams.append(contentsOf: encodeTimestamps(values, precision: p, validity: validity, starts: starts, stats: &stats))
            default:
                streams.append(encodeIntegers(values, validity: validity, starts: starts, stats: &stats))
            }
        case .int128(let values):
            streams.append(contentsOf: encodeDecimals(values, count: values.count, scale: Int(node.type.scale ?? 0), validity: validity, starts: starts, stats: &stats))

        case .float32(let values):
            encoding.kind = .direct
            var out: [UInt8] = []
            out.reserveCapacity(values.count * 4)
            var offsets: [Int] = []
            for g in 0..<groups {
                offsets.append(out.count)
                for row in starts[g]..<starts[g + 1] where validity?[row] ?? true {
                    let bits = values[row].bitPattern
                    out.append(UInt8(truncatingIfNeeded: bits))
                    out.append(UInt8(truncatingIfNeeded: bits >> 8))
                    out.append(UInt8(truncatingIfNeeded: bits >> 16))
                    out.append(UInt8(truncatingIfNeeded: bits >> 24))
                    stats[g].add(double: Double(values[row]))
                }
            }
            streams.append(EncodedStream(kind: .data, bytes: out, offsets: offsets, countsPerMark: 0, positioned: true))
        case .float64(let values):
            encoding.kind = .direct
            var out: [UInt8] = []
            out.reserveCapacity(values.count * 8)
            var offsets: [Int] = []
            for g in 0..<groups {
                offsets.append(out.count)
                for row in starts[g]..<starts[g + 1] where validity?[row] ?? true {
                    var bits = values[row].bitPattern
                    for _ in 0..<8 {
                        out.append(UInt8(truncatingIfNeeded: bits))
                        bits >>= 8
                    }
                    stats[g].add(double: values[row])
                }
            }
            streams.append(EncodedStream(kind: .data, bytes: out, offsets: offsets, countsPerMark: 0, positioned: true))

        case .bytes(let strings):
            let isString = node.kind != .binary
            if isString, let dictionary = buildDictionary(strings, validity: validity, count: column.count) {
                encoding = ORCColumnEncoding(kind: .dictionaryV2, dictionarySize: UInt32(dictionary.sortedKeys.count))
                streams.append(contentsOf: encodeDictionary(strings, dictionary, validity: validity, starts: starts, stats: &stats))
            } else {
                streams.append(contentsOf: encodeDirectStrings(strings, validity: validity, starts: starts, stats: &stats))
            }

        case .list(let offsets, let elements):
            let (childOffsets, child) = normalised(offsets: offsets, validity: validity, children: [elements])
            streams.append(encodeLengths(childOffsets, validity: validity, starts: starts, stats: &stats))
            try encode(child[0], node: node.children[0], starts: starts.map { Int(childOffsets[$0]) })
        case .map(let offsets, let keys, let items):
            let (childOffsets, child) = normalised(offsets: offsets, validity: validity, children: [keys, items])
            streams.append(encodeLengths(childOffsets, validity: validity, starts: starts, stats: &stats))
            try encode(child[0], node: node.children[0], starts: starts.map { Int(childOffsets[$0]) })
            try encode(child[1], node: node.children[1], starts: starts.map { Int(childOffsets[$0]) })
        case .row(let children):
            encoding.kind = .direct
            for g in 0..<groups {
                for row in starts[g]..<starts[g + 1] where validity?[row] ?? true { stats[g].addPresent() }
            }
            var childStarts = starts
            var fields = children
            if let validity {
                // ORC stores struct children only for the struct's non-null rows.
                var rows: [Int] = []
                rows.reserveCapacity(validity.setCount)
                var g = 0
                for row in 0..<column.count {
                    while g < starts.count && starts[g] == row {
                        childStarts[g] = rows.count
                        g += 1
                    }
                    if validity[row] { rows.append(row) }
                }
                while g < starts.count {
                    childStarts[g] = rows.count
                    g += 1
                }
                fields = children.map { ColumnAssembly.gather($0, rows) }
            }
            for (child, field) in zip(node.children, fields) {
                try encode(field, node: child, starts: childStarts)
            }
        }
        columns[node.id] = EncodedColumn(streams: streams, encoding: encoding, groupStatistics: stats)
    }

    /// List and map offsets with empty ranges under null rows, and the children cut to match.
    private func normalised(offsets: [Int32], validity: Bitmap?, children: [Column]) -> ([Int32], [Column]) {
        guard let validity else { return (offsets, children) }
        var clean = true
        for row in 0..<(offsets.count - 1) where !validity[row] && offsets[row] != offsets[row + 1] {
            clean = false
            break
        }
        if clean { return (offsets, children) }
        var newOffsets: [Int32] = [0]
        var childRows: [Int] = []
        for row in 0..<(offsets.count - 1) {
            if validity[row] { childRows.append(contentsOf: Int(offsets[row])..<Int(offsets[row + 1])) }
            newOffsets.append(Int32(childRows.count))
        }
        return (newOffsets, children.map { ColumnAssembly.gather($0, childRows) })
    }

    // MARK: integers

    private func encodeIntegers<T: BinaryInteger>(_ values: [T], validity: Bitmap?, starts: [Int], stats: inout [StatisticsBuilder],
                                                  asDates: Bool = false) -> EncodedStream {
        var encoder = IntegerRLEv2Encoder(signed: true)
        var offsets: [Int] = [], counts: [UInt64] = []
        values.withUnsafeBufferPointer { v in
            for g in 0..<(starts.count - 1) {
                offsets.append(encoder.bytes.count)
                counts.append(UInt64(encoder.pendingCount))
                for row in starts[g]..<starts[g + 1] where validity?[row] ?? true {
                    let x = Int64(v[row])
                    encoder.write(x)
                    if asDates { stats[g].add(date: Int32(truncatingIfNeeded: x)) } else { stats[g].add(integer: x) }
                }
            }
        }
        encoder.flush()
        return EncodedStream(kind: .data, bytes: encoder.bytes, offsets: offsets, counts: counts, countsPerMark: 1, positioned: true)
    }

    private func encodeLengths(_ offsets: [Int32], validity: Bitmap?, starts: [Int], stats: inout [StatisticsBuilder]) -> EncodedStream {
        var encoder = IntegerRLEv2Encoder(signed: false)
        var marks: [Int] = [], counts: [UInt64] = []
        for g in 0..<(starts.count - 1) {
            marks.append(encoder.bytes.count)
            counts.append(UInt64(encoder.pendingCount))
            for row in starts[g]..<starts[g + 1] where validity?[row] ?? true {
                let n = Int64(offsets[row + 1] - offsets[row])
                encoder.write(n)
                stats[g].add(children: UInt64(n))
            }
        }
        encoder.flush()
        return EncodedStream(kind: .length, bytes: encoder.bytes, offsets: marks, counts: counts, countsPerMark: 1, positioned: true)
    }

    // MARK: decimals and timestamps

    private func encodeDecimals<C: Collection<Int128>>(_ values: C, count: Int, scale: Int, validity: Bitmap?, starts: [Int],
                                                       stats: inout [StatisticsBuilder]) -> [EncodedStream] where C.Index == Int {
        var data: [UInt8] = []
        data.reserveCapacity(count * 4)
        var scales = IntegerRLEv2Encoder(signed: true)
        var dataOffsets: [Int] = [], scaleOffsets: [Int] = [], scaleCounts: [UInt64] = []
        for g in 0..<(starts.count - 1) {
            dataOffsets.append(data.count)
            scaleOffsets.append(scales.bytes.count)
            scaleCounts.append(UInt64(scales.pendingCount))
            for row in starts[g]..<starts[g + 1] where validity?[row] ?? true {
                let v = values[row]
                DecimalVarint.write(v, into: &data)
                scales.write(Int64(scale))
                stats[g].add(decimal: v)
            }
        }
        scales.flush()
        return [EncodedStream(kind: .data, bytes: data, offsets: dataOffsets, countsPerMark: 0, positioned: true),
                EncodedStream(kind: .secondary, bytes: scales.bytes, offsets: scaleOffsets, counts: scaleCounts, countsPerMark: 1, positioned: true)]
    }

    private func encodeTimestamps(_ values: [Int64], precision: Int, validity: Bitmap?, starts: [Int],
                                  stats: inout [StatisticsBuilder]) -> [EncodedStream] {
        let perSecond: Int64 = precision <= 3 ? 1_000 : precision <= 6 ? 1_000_000 : 1_000_000_000
        let nanosPerUnit = 1_000_000_000 / perSecond
        var seconds = IntegerRLEv2Encoder(signed: true)
        var nanos = IntegerRLEv2Encoder(signed: false)
        var secondOffsets: [Int] = [], secondCounts: [UInt64] = [], nanoOffsets: [Int] = [], nanoCounts: [UInt64] = []
        values.withUnsafeBufferPointer { v in
            for g in 0..<(starts.count - 1) {
                secondOffsets.append(seconds.bytes.count)
                secondCounts.append(UInt64(seconds.pendingCount))
                nanoOffsets.append(nanos.bytes.count)
                nanoCounts.append(UInt64(nanos.pendingCount))
                for row in starts[g]..<starts[g + 1] where validity?[row] ?? true {
                    let x = v[row]
                    var s = x / perSecond
                    var fraction = x % perSecond
                    if fraction < 0 {
                        fraction += perSecond
                        s -= 1
                    }
                    let n = fraction * nanosPerUnit
                    seconds.write(TimestampEncoding.encodeSeconds(s, nanos: n))
                    nanos.write(TimestampEncoding.encodeNanos(n))
                    stats[g].add(timestampMillis: s &* 1000 &+ n / 1_000_000, nanos: Int32(n % 1_000_000))
                }
            }
        }
        seconds.flush()
        nanos.flush()
        return [EncodedStream(kind: .data, bytes: seconds.bytes, offsets: secondOffsets, counts: secondCounts, countsPerMark: 1, positioned: true),
                EncodedStream(kind: .secondary, bytes: nanos.bytes, offsets: nanoOffsets, counts: nanoCounts, countsPerMark: 1, positioned: true)]
    }

    // MARK: strings and binary

    /// Appends the group's string statistics: count, total length, and min and max found by byte comparison.
    private func addStringStatistics(_ strings: ByteStrings, rows: Range<Int>, validity: Bitmap?, into stats: inout StatisticsBuilder) {
        var n = 0, total = 0
        var minRow = -1, maxRow = -1
        strings.data.withUnsafeBufferPointer { data in
            strings.offsets.withUnsafeBufferPointer { offsets in
                func less(_ a: Int, _ b: Int) -> Bool {
                    let aStart = Int(offsets[a]), aEnd = Int(offsets[a + 1])
                    let bStart = Int(offsets[b]), bEnd = Int(offsets[b + 1])
                    let common = min(aEnd - aStart, bEnd - bStart)
                    var i = 0
                    while i < common {
                        let x = data[aStart + i], y = data[bStart + i]
                        if x != y { return x < y }
                        i += 1
                    }
                    return aEnd - aStart < bEnd - bStart
                }
                for row in rows where validity?[row] ?? true {
                    n += 1
                    total += Int(offsets[row + 1] - offsets[row])
                    if minRow < 0 || less(row, minRow) { minRow = row }
                    if maxRow < 0 || less(maxRow, row) { maxRow = row }
                }
            }
        }
        if stats.kind.isBinary {
            stats.count &+= UInt64(n)
            stats.lengthSum &+= Int64(total)
        } else {
            stats.add(strings: n, bytes: total, min: minRow >= 0 ? strings[minRow] : nil, max: maxRow >= 0 ? strings[maxRow] : nil)
        }
    }

    private func encodeDirectStrings(_ strings: ByteStrings, validity: Bitmap?, starts: [Int], stats: inout [StatisticsBuilder]) -> [EncodedStream] {
        var data: [UInt8] = []
        data.reserveCapacity(strings.data.count)
        var lengths = IntegerRLEv2Encoder(signed: false)
        var dataOffsets: [Int] = [], lengthOffsets: [Int] = [], lengthCounts: [UInt64] = []
        for g in 0..<(starts.count - 1) {
            dataOffsets.append(data.count)
            lengthOffsets.append(lengths.bytes.count)
            lengthCounts.append(UInt64(lengths.pendingCount))
            if validity == nil {
                let first = Int(strings.offsets[starts[g]]), last = Int(strings.offsets[starts[g + 1]])
                data.append(contentsOf: strings.data[first..<last])
                for row in starts[g]..<starts[g + 1] { lengths.write(Int64(strings.offsets[row + 1] - strings.offsets[row])) }
            } else {
                for row in starts[g]..<starts[g + 1] where validity![row] {
                    let first = Int(strings.offsets[row]), last = Int(strings.offsets[row + 1])
                    data.append(contentsOf: strings.data[first..<last])
                    lengths.write(Int64(last - first))
                }
            }
            addStringStatistics(strings, rows: starts[g]..<starts[g + 1], validity: validity, into: &stats[g])
        }
        lengths.flush()
        return [EncodedStream(kind: .data, bytes: data, offsets: dataOffsets, countsPerMark: 0, positioned: true),
                EncodedStream(kind: .length, bytes: lengths.bytes, offsets: lengthOffsets, counts: lengthCounts, countsPerMark: 1, positioned: true)]
    }

    struct Dictionary {
        /// The distinct values in byte order.
        var sortedKeys: [ArraySlice<UInt8>]
        /// For each non-null row in order, the index of its value in `sortedKeys`.
        var indices: [Int32]
    }

    /// The sorted dictionary of a column's non-null values, or nil when direct encoding is the better choice
    /// (more distinct values than the threshold allows, or no values).
    private func buildDictionary(_ strings: ByteStrings, validity: Bitmap?, count: Int) -> Dictionary? {
        let nonNull = count - (validity.map { $0.count - $0.setCount } ?? 0)
        guard nonNull > 0, options.dictionaryKeySizeThreshold > 0 else { return nil }
        let keysMax = Int(options.dictionaryKeySizeThreshold * Double(nonNull))
        var ids: [ArraySlice<UInt8>: Int32] = [:]
        var keys: [ArraySlice<UInt8>] = []
        var indices: [Int32] = []
        indices.reserveCapacity(nonNull)
        for row in 0..<count where validity?[row] ?? true {
            let value = strings[row]
            if let id = ids[value] {
                indices.append(id)
            } else {
                guard keys.count < keysMax else { return nil }
                let id = Int32(keys.count)
                ids[value] = id
                keys.append(value)
                indices.append(id)
            }
        }
        let order = keys.indices.sorted { keys[$0].lexicographicallyPrecedes(keys[$1]) }
        var rank = [Int32](repeating: 0, count: keys.count)
        for (position, old) in order.enumerated() { rank[old] = Int32(position) }
        for i in indices.indices { indices[i] = rank[Int(indices[i])] }
        return Dictionary(sortedKeys: order.map { keys[$0] }, indices: indices)
    }

    private func encodeDictionary(_ strings: ByteStrings, _ dictionary: Dictionary, validity: Bitmap?, starts: [Int],
                                  stats: inout [StatisticsBuilder]) -> [EncodedStream] {
        var data = IntegerRLEv2Encoder(signed: false)
        var offsets: [Int] = [], counts: [UInt64] = []
        var next = 0
        for g in 0..<(starts.count - 1) {
            offsets.append(data.bytes.count)
            counts.append(UInt64(data.pendingCount))
            for row in starts[g]..<starts[g + 1] where validity?[row] ?? true {
                data.write(Int64(dictionary.indices[next]))
                next += 1
            }
            addStringStatistics(strings, rows: starts[g]..<starts[g + 1], validity: validity, into: &stats[g])
        }
        data.flush()
        var blob: [UInt8] = []
        var lengths = IntegerRLEv2Encoder(signed: false)
        for key in dictionary.sortedKeys {
            blob.append(contentsOf: key)
            lengths.write(Int64(key.count))
        }
        lengths.flush()
        return [EncodedStream(kind: .data, bytes: data.bytes, offsets: offsets, counts: counts, countsPerMark: 1, positioned: true),
                EncodedStream(kind: .dictionaryData, bytes: blob, countsPerMark: 0, positioned: false),
                EncodedStream(kind: .length, bytes: lengths.bytes, countsPerMark: 0, positioned: false)]
    }
}

extension StatisticsBuilder.Kind {
    var isBinary: Bool {
        if case .binary = self { return true }
        return false
    }
}

extension Array where Element == Int {
    /// 0, stride, 2·stride, ... below `end` (just [0] when end is 0).
    init(stride: Int, upTo end: Int) {
        self = Swift.stride(from: 0, to: Swift.max(end, 1), by: stride).map { $0 }
    }
}
