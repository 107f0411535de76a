import WeirColumnar

/// The decompressed streams of one stripe that a read needs, by column id and kind, with the stripe's column
/// encodings.
struct StripeStreams {
    var streams: [Int: StreamBytes] = [:]
    let encodings: [ORCColumnEncoding]
    /// "stripe 3": where errors happen.
    let context: String

    static func key(_ column: Int, _ kind: ORCStreamKind) -> Int { column << 8 | Int(kind.rawValue & 0xff) }

    func optional(_ column: Int, _ kind: ORCStreamKind) -> StreamBytes? { streams[Self.key(column, kind)] }

    func required(_ column: Int, _ kind: ORCStreamKind, path: String) throws(ORCError) -> StreamBytes {
        guard let stream = streams[Self.key(column, kind)] else {
            throw ORCError(file: "", location: "\(context), column \(column) (\(path))", "the \(kind) stream is missing")
        }
        return stream
    }

    func encoding(_ column: Int) -> ORCColumnEncoding { encodings[column] }
}

/// Decodes the columns of one stripe from its streams into ``Column`` values of the requested Paimon types.
///
/// Contract: every stream is read with bounds checks and must hold exactly the values the stripe's row count
/// (and the parent columns' lengths) call for: a stream that ends early, holds values past that count, encodes
/// a length, dictionary index, scale or nanosecond count that is out of range, or a value that does not fit the
/// target type is an ``ORCError`` naming the stripe, column and stream. Allocation is bounded by the row count
/// (checked against ``ORCReadLimits/stripeRowsMax`` by the caller), ``ORCReadLimits/stripeValuesMax`` for
/// nested values and ``ORCReadLimits/streamBytesMax`` for string bytes.
struct ColumnDecoder {
    let streams: StripeStreams
    let limits: ORCReadLimits

    func error(_ node: ORCTypeNode, _ path: String, _ message: String) -> ORCError {
        ORCError(file: "", location: "\(streams.context), column \(node.id) (\(path))", message)
    }

    /// Column `node` read as `target`, `count` rows.
    func decode(_ node: ORCTypeNode, as target: DataType, count: Int, path: String) throws(ORCError) -> Column {
        var validity: Bitmap?
        var present = count
        if let stream = streams.optional(node.id, .present) {
            var decoder = BooleanRLEDecoder(stream)
            let (bitmap, set) = try Self.readBits(&decoder, count: count)
            guard decoder.isExhausted else { throw error(node, path, "the PRESENT stream holds more than \(count) values") }
            if set < count {
                guard target.isNullable else { throw error(node, path, "\(count - set) nulls in a column read as NOT NULL \(target)") }
                validity = bitmap
                present = set
            }
        }
        let dense = try decodeDense(node, as: target, count: present, path: path)
        guard let validity else { return dense }
        return ColumnExpansion.expand(dense, validity)
    }

    /// `count` bits of a boolean stream as a bitmap, and how many are set.
    static func readBits(_ decoder: inout BooleanRLEDecoder, count: Int) throws(ORCError) -> (Bitmap, Int) {
        let wordCount = (count + 63) >> 6
        var words = [UInt64](repeating: 0, count: wordCount)
        let set = try words.withUnsafeMutableBufferPointer { (p) throws(ORCError) -> Int in
            count == 0 ? 0 : try decoder.decode(count: count, into: p.baseAddress!, start: 0)
        }
        return (makeBitmap(words, count: count, setCount: set), set)
    }

    /// A ``Bitmap`` with the bits of `words`, built by touching only the minority bits.
    static func makeBitmap(_ words: [UInt64], count: Int, setCount: Int) -> Bitmap {
        if setCount * 2 >= count {
            var bitmap = Bitmap(count: count, value: true)
            for (w, word) in words.enumerated() {
                var zeros = ~word
                if w == words.count - 1 && count & 63 != 0 { zeros &= (1 << UInt64(count & 63)) - 1 }
                while zeros != 0 {
                    let bit = zeros.trailingZeroBitCount
                    bitmap[w << 6 | bit] = false
                    zeros &= zeros - 1
                }
            }
            return bitmap
        }
        var bitmap = Bitmap(count: count, value: false)
        for (w, word) in words.enumerated() {
            var ones = word
            while ones != 0 {
                let bit = ones.trailingZeroBitCount
                bitmap[w << 6 | bit] = true
                ones &= ones - 1
            }
        }
        return bitmap
    }

    // MARK: dense values

    private func decodeDense(_ node: ORCTypeNode, as target: DataType, count: Int, path: String) throws(ORCError) -> Column {
        let encoding = streams.encoding(node.id)
        let values: ColumnValues
        switch node.kind {
        case .boolean:
            var decoder = BooleanRLEDecoder(try streams.required(node.id, .data, path: path))
            let (bits, _) = try Self.readBits(&decoder, count: count)
            guard decoder.isExhausted else { throw error(node, path, "the DATA stream holds more than \(count) values") }
            values = .boolean(bits)
        case .byte:
            var decoder = ByteRLEDecoder(try streams.required(node.id, .data, path: path))
            var bytes = [UInt8](repeating: 0, count: count)
            try bytes.withUnsafeMutableBufferPointer { (p) throws(ORCError) in
                if count > 0 { try decoder.decode(count: count, into: p.baseAddress!) }
            }
            guard decoder.isExhausted else { throw error(node, path, "the DATA stream holds more than \(count) values") }
            values = try integers(bytes.map { Int64(Int8(bitPattern: $0)) }, as: target, node: node, path: path)
        case .short, .int, .long, .date:
            let raw = try readIntegers(node, .data, signed: true, count: count, encoding: encoding, path: path)
            values = try integers(raw, as: target, node: node, path: path)
        case .float, .double:
            let stream = try streams.required(node.id, .data, path: path)
            let width = node.kind == .float ? 4 : 8
            guard stream.count == count * width else {
                throw error(node, path, "the DATA stream has \(stream.count) bytes for \(count) values of \(width) bytes")
            }
            let base = stream.buffer
            if node.kind == .float {
                let floats = (0..<count).map { Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
                if case .double = target.kind { values = .float64(floats.map(Double.init)) } else { values = .float32(floats) }
            } else {
                values = .float64((0..<count).map { Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) })
            }
        case .string, .varchar, .char, .binary:
            values = .bytes(encoding.kind.isDictionary
                ? try dictionaryStrings(node, count: count, encoding: encoding, path: path)
                : try directStrings(node, count: count, encoding: encoding, path: path))
        case .decimal:
            values = try decimals(node, as: target, count: count, encoding: encoding, path: path)
        case .timestamp, .timestampInstant:
            values = try timestamps(node, as: target, count: count, encoding: encoding, path: path)
        case .list:
            guard case .array(let elementType) = target.kind else { throw error(node, path, "cannot read a list as \(target)") }
            let offsets = try lengths(node, count: count, encoding: encoding, path: path)
            let elements = try decode(node.children[0], as: elementType, count: Int(offsets[count]), path: path + "[]")
            values = .list(offsets: offsets, elements: elements)
        case .map:
            guard case .map(let keyType, let valueType) = target.kind else { throw error(node, path, "cannot read a map as \(target)") }
            let offsets = try lengths(node, count: count, encoding: encoding, path: path)
            let keys = try decode(node.children[0], as: keyType, count: Int(offsets[count]), path: path + ".key")
            guard keys.nullCount == 0 else { throw error(node, path, "\(keys.nullCount) null map keys") }
            let items = try decode(node.children[1], as: valueType, count: Int(offsets[count]), path: path + ".value")
            values = .map(offsets: offsets, keys: keys, values: items)
        case .struct:
            guard case .row(let fields) = target.kind else { throw error(node, path, "cannot read a struct as \(target)") }
            var children: [Column] = []
            for field in fields {
                if let index = node.type.fieldNames.firstIndex(of: field.name) {
                    children.append(try decode(node.children[index], as: field.type, count: count, path: path + "." + field.name))
                } else {
                    children.append(ColumnExpansion.nulls(field.type, count: count))
                }
            }
            values = .row(children)
        default:
            throw error(node, path, "ORC \(node.kind) columns are not supported")
        }
        return Column(type: target, validity: nil, values: values)
    }

    // MARK: integers

    private func readIntegers(_ node: ORCTypeNode, _ kind: ORCStreamKind, signed: Bool, count: Int, encoding: ORCColumnEncoding,
                              path: String) throws(ORCError) -> [Int64] {
        guard encoding.kind.rawValue <= ORCEncodingKind.dictionaryV2.rawValue else {
            throw error(node, path, "unsupported column encoding \(encoding.kind)")
        }
        var decoder = IntegerStreamDecoder(try streams.required(node.id, kind, path: path), signed: signed, encoding: encoding.kind)
        let values = try decoder.decode(count: count)
        guard decoder.isExhausted else { throw decoder.error("the \(kind) stream holds more than \(count) values") }
        return values
    }

    private func integers(_ raw: [Int64], as target: DataType, node: ORCTypeNode, path: String) throws(ORCError) -> ColumnValues {
        func narrow<T: FixedWidthInteger>(_: T.Type, _ name: String) throws(ORCError) -> [T] {
            var out = [T](repeating: 0, count: raw.count)
            for (i, v) in raw.enumerated() {
                guard let x = T(exactly: v) else { throw error(node, path, "value \(v) at row \(i) does not fit \(name)") }
                out[i] = x
            }
            return out
        }
        switch target.kind {
        case .tinyint: return .int8(try narrow(Int8.self, "TINYINT"))
        case .smallint: return .int16(try narrow(Int16.self, "SMALLINT"))
        case .int, .date, .time: return .int32(try narrow(Int32.self, "\(target)"))
        case .bigint: return .int64(raw)
        default: throw error(node, path, "cannot read integers as \(target)")
        }
    }

    /// LENGTH stream values turned into `count + 1` offsets; lengths must be non-negative and their total within
    /// ``ORCReadLimits/stripeValuesMax``.
    private func lengths(_ node: ORCTypeNode, count: Int, encoding: ORCColumnEncoding, path: String) throws(ORCError) -> [Int32] {
        let lengths = try readIntegers(node, .length, signed: false, count: count, encoding: encoding, path: path)
        let cap = min(limits.stripeValuesMax, Int(Int32.max))
        var offsets = [Int32](repeating: 0, count: count + 1)
        var total = 0
        for (i, length) in lengths.enumerated() {
            guard length >= 0, length <= cap - total else {
                throw error(node, path, "lengths add up to more than \(cap) values (row \(i): \(UInt64(bitPattern: length)))")
            }
            total += Int(length)
            offsets[i + 1] = Int32(total)
        }
        return offsets
    }

    // MARK: strings

    private func directStrings(_ node: ORCTypeNode, count: Int, encoding: ORCColumnEncoding, path: String) throws(ORCError) -> ByteStrings {
        let data = try streams.required(node.id, .data, path: path)
        let offsets = try lengths(node, count: count, encoding: encoding, path: path)
        let total = Int(offsets[count])
        guard total == data.count else {
            throw error(node, path, "lengths add up to \(total) bytes but the DATA stream has \(data.count)")
        }
        return ByteStrings(offsets: offsets, data: Array(data.buffer))
    }

    private func dictionaryStrings(_ node: ORCTypeNode, count: Int, encoding: ORCColumnEncoding, path: String) throws(ORCError) -> ByteStrings {
        guard let size = encoding.dictionarySize.map(Int.init) else { throw error(node, path, "dictionary encoding without a dictionary size") }
        guard size <= limits.stripeValuesMax else { throw error(node, path, "dictionary of \(size) entries is over the limit of \(limits.stripeValuesMax)") }
        let entryOffsets = try lengths(node, count: size, encoding: encoding, path: path)
        let blob = streams.optional(node.id, .dictionaryData)
        let blobCount = blob?.count ?? 0
        guard Int(entryOffsets[size]) == blobCount else {
            throw error(node, path, "dictionary lengths add up to \(entryOffsets[size]) bytes but DICTIONARY_DATA has \(blobCount)")
        }
        let indices = try readIntegers(node, .data, signed: false, count: count, encoding: encoding, path: path)
        var total = 0
        let cap = min(limits.streamBytesMax, Int(Int32.max))
        for (i, index) in indices.enumerated() {
            guard index >= 0, index < size else { throw error(node, path, "dictionary index \(UInt64(bitPattern: index)) at row \(i) is outside 0..<\(size)") }
            let length = Int(entryOffsets[Int(index) + 1] - entryOffsets[Int(index)])
            guard length <= cap - total else { throw error(node, path, "the column's strings exceed \(cap) bytes") }
            total += length
        }
        var offsets = [Int32](repeating: 0, count: count + 1)
        var data = [UInt8](repeating: 0, count: total)
        if let blob, total > 0 {
            data.withUnsafeMutableBytes { out in
                var at = 0
                for (i, index) in indices.enumerated() {
                    let start = Int(entryOffsets[Int(index)]), end = Int(entryOffsets[Int(index) + 1])
                    if end > start {
                        out.baseAddress!.advanced(by: at).copyMemory(from: blob.buffer.baseAddress!.advanced(by: start), byteCount: end - start)
                    }
                    at += end - start
                    offsets[i + 1] = Int32(at)
                }
            }
        }
        return ByteStrings(offsets: offsets, data: data)
    }

    // MARK: decimals and timestamps

    static let powersOfTen: [Int128] = {
        var powers: [Int128] = [1]
        for _ in 1...38 { powers.append(powers.last! * 10) }
        return powers
    }()

    private func decimals(_ node: ORCTypeNode, as target: DataType, count: Int, encoding: ORCColumnEncoding, path: String) throws(ORCError) -> ColumnValues {
        guard case .decimal(let precision, let scale) = target.kind else { throw error(node, path, "cannot read a decimal as \(target)") }
        let scales = try readIntegers(node, .secondary, signed: true, count: count, encoding: encoding, path: path)
        var cursor = try streams.required(node.id, .data, path: path).cursor()
        let limit = Self.powersOfTen[precision]
        var wide = [Int128](repeating: 0, count: count)
        for i in 0..<count {
            var v = try DecimalVarint.read(&cursor)
            let from = scales[i]
            guard (0...38).contains(from) else { throw error(node, path, "scale \(from) at row \(i) is outside 0...38") }
            if from < scale {
                let (product, overflow) = v.multipliedReportingOverflow(by: Self.powersOfTen[scale - Int(from)])
                guard !overflow else { throw error(node, path, "value at row \(i) does not fit \(target)") }
                v = product
            } else if from > scale {
                let divisor = Self.powersOfTen[Int(from) - scale]
                let (q, r) = v.quotientAndRemainder(dividingBy: divisor)
                v = q
                if r.magnitude * 2 >= divisor.magnitude { v += v < 0 || (q == 0 && r < 0) ? -1 : 1 }
            }
            guard v > -limit && v < limit else { throw error(node, path, "value at row \(i) does not fit \(target)") }
            wide[i] = v
        }
        guard cursor.isAtEnd else { throw cursor.error("the DATA stream holds more than \(count) values") }
        return precision <= 18 ? .int64(wide.map { Int64($0) }) : .int128(wide)
    }

    private func timestamps(_ node: ORCTypeNode, as target: DataType, count: Int, encoding: ORCColumnEncoding, path: String) throws(ORCError) -> ColumnValues {
        let precision: Int
        switch target.kind {
        case .timestamp(let p), .timestampLTZ(let p): precision = p
        default: throw error(node, path, "cannot read a timestamp as \(target)")
        }
        let perSecond: Int64 = precision <= 3 ? 1_000 : precision <= 6 ? 1_000_000 : 1_000_000_000
        let nanosPerUnit = 1_000_000_000 / perSecond
        let seconds = try readIntegers(node, .data, signed: true, count: count, encoding: encoding, path: path)
        let nanos = try readIntegers(node, .secondary, signed: false, count: count, encoding: encoding, path: path)
        var out = [Int64](repeating: 0, count: count)
        for i in 0..<count {
            guard let n = TimestampEncoding.decodeNanos(nanos[i]) else {
                throw error(node, path, "nanoseconds value \(nanos[i]) at row \(i) is not valid")
            }
            guard let s = TimestampEncoding.decodeSeconds(seconds[i], nanos: n) else {
                throw error(node, path, "seconds value \(seconds[i]) at row \(i) is out of range")
            }
            // Floor division (the nanoseconds may be negative: pyarrow before 1970), in 128 bits so that values
            // near the ends of the range do not overflow on the way.
            let total = Int128(s) * Int128(perSecond) + Int128(n) / Int128(nanosPerUnit) - (n % nanosPerUnit < 0 ? 1 : 0)
            guard let value = Int64(exactly: total) else {
                throw error(node, path, "timestamp at row \(i) is out of the range of \(target)")
            }
            out[i] = value
        }
        return .int64(out)
    }
}
