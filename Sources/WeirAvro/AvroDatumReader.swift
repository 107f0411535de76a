/// Decodes Avro binary data written with `writerSchema` into ``AvroValue``s of `readerSchema` (the writer's own
/// schema when none is given), resolving the two as ``AvroReadProgram`` describes.
///
/// Limits (``AvroLimits``): every length is checked against the bytes that remain; an array or map may hold at
/// most ``AvroLimits/collectionItemsMax`` items, and a block count is refused when its items could not fit in
/// the remaining bytes (or, for items that can take zero bytes, exceeds ``AvroLimits/zeroByteRecordsPerBlockMax``);
/// values nest at most ``AvroLimits/valueDepthMax`` deep. Failures are ``AvroError``s whose location is the byte
/// offset; the file is filled in by the container reader.
public struct AvroDatumReader: Sendable {
    public let writerSchema: AvroSchema
    public let readerSchema: AvroSchema
    let program: AvroReadProgram
    let limits: AvroLimits

    /// Compiles the reader; fails when the schemas cannot be resolved (see ``AvroReadProgram``).
    public init(writerSchema: AvroSchema, readerSchema: AvroSchema? = nil, limits: AvroLimits = .default) throws(AvroError) {
        self.writerSchema = writerSchema
        self.readerSchema = readerSchema ?? writerSchema
        self.program = try AvroReadProgram(writer: writerSchema, reader: readerSchema ?? writerSchema)
        self.limits = limits
    }

    /// The fewest bytes one datum of the writer schema takes.
    public var datumBytesMin: Int { program.datumBytesMin }

    /// Decodes exactly one datum from `bytes`; bytes left over are an error.
    public func decode(_ bytes: some Collection<UInt8>) throws(AvroError) -> AvroValue {
        let array = Array(bytes)
        return try withAvroBytes(array) { (raw) throws(AvroError) -> AvroValue in
            var cursor = AvroCursor(raw)
            cursor.zeroByteItemsBudget = limits.zeroByteRecordsPerBlockMax
            let value = try read(&cursor)
            guard cursor.isAtEnd else { throw cursor.corrupt("\(cursor.remaining) bytes after the datum") }
            return value
        }
    }

    /// Decodes one datum at the cursor.
    func read(_ cursor: inout AvroCursor) throws(AvroError) -> AvroValue {
        try read(program.root, &cursor, depth: 0)
    }

    private func read(_ node: Int, _ c: inout AvroCursor, depth: Int) throws(AvroError) -> AvroValue {
        switch program.nodes[node] {
        case .null: return .null
        case .boolean: return .boolean(try c.boolean())
        case .int: return .int(try c.int())
        case .long: return .long(try c.long())
        case .float: return .float(try c.float())
        case .double: return .double(try c.double())
        case .bytes: return .bytes(try c.bytes())
        case .string: return .string(try c.string())
        case .intAsLong: return .long(Int64(try c.int()))
        case .intAsFloat: return .float(Float(try c.int()))
        case .intAsDouble: return .double(Double(try c.int()))
        case .longAsFloat: return .float(Float(try c.long()))
        case .longAsDouble: return .double(Double(try c.long()))
        case .floatAsDouble: return .double(Double(try c.float()))
        case .stringAsBytes: return .bytes(try c.bytes())
        case .bytesAsString: return .string(try c.string())
        case .fixed(let size): return .fixed(Array(try c.slice(size)))
        case .enumeration(let readerSymbols, let writerSymbols):
            let index = try c.int()
            guard index >= 0, Int(index) < readerSymbols.count else {
                throw c.corrupt("enum index \(index) is outside 0..<\(readerSymbols.count)")
            }
            guard let symbol = readerSymbols[Int(index)] else {
                throw c.corrupt("enum symbol '\(writerSymbols[Int(index)])' is not in the reader's enum, which has no default")
            }
            return .enumeration(symbol)
        case .array(let item, let itemBytesMin):
            try checkDepth(depth, c)
            var items: [AvroValue] = []
            try forEachItem(&c, itemBytesMin: itemBytesMin) { (c) throws(AvroError) in
                items.append(try read(item, &c, depth: depth + 1))
            } reserve: { items.reserveCapacity(items.count + $0) }
            return .array(items)
        case .map(let value, let valueBytesMin):
            try checkDepth(depth, c)
            var entries: [AvroMapEntry] = []
            try forEachItem(&c, itemBytesMin: valueBytesMin + 1) { (c) throws(AvroError) in
                let key = try c.string()
                entries.append(AvroMapEntry(key: key, value: try read(value, &c, depth: depth + 1)))
            } reserve: { entries.reserveCapacity(entries.count + $0) }
            return .map(entries)
        case .record(let steps, let defaults, let fieldCount):
            try checkDepth(depth, c)
            var fields = [AvroValue](repeating: .null, count: fieldCount)
            for step in steps {
                switch step {
                case .read(let child, let index): fields[index] = try read(child, &c, depth: depth + 1)
                case .skip(let child): try program.skip(child, &c, depth: depth + 1, limits: limits)
                }
            }
            for (index, value) in defaults { fields[index] = value }
            return .record(fields)
        case .writerUnion(let branches, let failures):
            try checkDepth(depth, c)
            let index = try c.long()
            guard index >= 0, index < Int64(branches.count) else {
                throw c.corrupt("union branch \(index) is outside 0..<\(branches.count)")
            }
            guard let branch = branches[Int(index)] else { throw c.corrupt(failures[Int(index)] ?? "unreadable union branch") }
            let value = try read(branch.node, &c, depth: depth + 1)
            if let readerBranch = branch.readerBranch { return .union(branch: readerBranch, value: value) }
            return value
        case .readerUnion(let branch, let child):
            return .union(branch: branch, value: try read(child, &c, depth: depth + 1))
        case .skipBytesFixed, .skipVarint, .skipBoolean, .skipLengthPrefixed, .skipArray, .skipMap, .skipRecord, .skipUnion, .placeholder:
            throw c.corrupt("internal: a skip node used for reading")
        }
    }

    @inline(__always)
    private func checkDepth(_ depth: Int, _ c: AvroCursor) throws(AvroError) {
        guard depth < limits.valueDepthMax else { throw c.corrupt("value nests deeper than \(limits.valueDepthMax) levels") }
    }

    /// Runs `body` once per item of an array or map value, block by block, checking each block count against the
    /// bytes remaining and the limits before `reserve` is told how many items come.
    private func forEachItem(_ c: inout AvroCursor, itemBytesMin: Int,
                             _ body: (inout AvroCursor) throws(AvroError) -> Void,
                             reserve: (Int) -> Void) throws(AvroError) {
        var total = 0
        while true {
            let (count, _) = try c.blockCount()
            if count == 0 { return }
            try program.checkCount(count, total: total, itemBytesMin: itemBytesMin, &c, limits: limits)
            total += count
            reserve(min(count, c.remaining + 1))
            for _ in 0..<count { try body(&c) }
        }
    }
}

/// Skipping writer data (shared by the generic reader and the column-batch decoder).
extension AvroReadProgram {
    @inline(__always)
    func checkDepth(_ depth: Int, _ c: AvroCursor, limits: AvroLimits) throws(AvroError) {
        guard depth < limits.valueDepthMax else { throw c.corrupt("value nests deeper than \(limits.valueDepthMax) levels") }
    }

    @inline(__always)
    func checkCount(_ count: Int, total: Int, itemBytesMin: Int, _ c: inout AvroCursor, limits: AvroLimits) throws(AvroError) {
        if itemBytesMin > 0 {
            guard count <= c.remaining / itemBytesMin else {
                throw c.corrupt("block of \(count) items cannot fit in the \(c.remaining) bytes that remain")
            }
        } else {
            try c.spendZeroByteItems(count)
        }
        guard total + count <= limits.collectionItemsMax else {
            throw c.corrupt("more than \(limits.collectionItemsMax) items in one array or map")
        }
    }

    /// Moves past one datum of a skip node.
    func skip(_ node: Int, _ c: inout AvroCursor, depth: Int, limits: AvroLimits) throws(AvroError) {
        switch nodes[node] {
        case .skipBytesFixed(let n): try c.skip(n)
        case .skipVarint: _ = try c.long()
        case .skipBoolean: _ = try c.boolean()
        case .skipLengthPrefixed: try c.skip(try c.length())
        case .skipArray(let item, let itemBytesMin):
            try checkDepth(depth, c, limits: limits)
            try skipItems(&c, itemBytesMin: itemBytesMin, limits: limits) { (c) throws(AvroError) in try skip(item, &c, depth: depth + 1, limits: limits) }
        case .skipMap(let value, let valueBytesMin):
            try checkDepth(depth, c, limits: limits)
            try skipItems(&c, itemBytesMin: valueBytesMin + 1, limits: limits) { (c) throws(AvroError) in
                try c.skip(try c.length())
                try skip(value, &c, depth: depth + 1, limits: limits)
            }
        case .skipRecord(let children):
            try checkDepth(depth, c, limits: limits)
            for child in children { try skip(child, &c, depth: depth + 1, limits: limits) }
        case .skipUnion(let children):
            try checkDepth(depth, c, limits: limits)
            let index = try c.long()
            guard index >= 0, index < Int64(children.count) else {
                throw c.corrupt("union branch \(index) is outside 0..<\(children.count)")
            }
            try skip(children[Int(index)], &c, depth: depth + 1, limits: limits)
        default:
            throw c.corrupt("internal: a read node used for skipping")
        }
    }

    /// Skips the blocks of an array or map; a block that states its byte size is skipped in one step.
    private func skipItems(_ c: inout AvroCursor, itemBytesMin: Int, limits: AvroLimits, _ body: (inout AvroCursor) throws(AvroError) -> Void) throws(AvroError) {
        var total = 0
        while true {
            let (count, size) = try c.blockCount()
            if count == 0 { return }
            try checkCount(count, total: total, itemBytesMin: itemBytesMin, &c, limits: limits)
            total += count
            if let size {
                try c.skip(size)
            } else {
                for _ in 0..<count { try body(&c) }
            }
        }
    }
}
