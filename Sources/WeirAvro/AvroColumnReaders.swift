import WeirColumnar

/// The column readers of the batch decoder: one object per column (and per nested child), each decoding one Avro
/// value straight into its typed buffer, so a batch is decoded without ``AvroValue``s or existential boxes. The
/// objects are built once per file by ``AvroBatchDecoder`` (which checks that the Avro type can be read as the
/// column type) and reused for every block; ``finish()`` hands out the column and starts a new one.
///
/// Validity is only materialised once the first null arrives. A null slot holds a zero value; a null ROW holds
/// nulls in its nullable children and zero values in its NOT NULL ones (as `ColumnBuilder` does).
class AvroColumnReader {
    let type: DataType
    // Readers are confined to one decoding task; unchecked exclusivity keeps the per-value appends free of runtime
    // access checks.
    @exclusivity(unchecked) final var rows = 0
    @exclusivity(unchecked) final var validity: Bitmap? = nil

    init(type: DataType) { self.type = type }

    /// Decodes one present value at the cursor.
    func read(_ c: inout AvroCursor) throws(AvroError) { preconditionFailure("AvroColumnReader.read is abstract") }
    /// Appends a zero value, present or null.
    func appendSlot(valid: Bool) { preconditionFailure("AvroColumnReader.appendSlot is abstract") }
    /// The value buffers so far, leaving them empty.
    func takeValues() -> ColumnValues { preconditionFailure("AvroColumnReader.takeValues is abstract") }

    @inline(__always) final func markPresent() {
        if validity != nil { validity!.append(true) }
        rows += 1
    }

    @inline(__always) final func markSlot(valid: Bool) {
        if valid { markPresent() } else { markNull() }
    }

    final func markNull() {
        if validity == nil { validity = Bitmap(count: rows, value: true) }
        validity!.append(false)
        rows += 1
    }

    /// Values decoded so far (a nullable wrapper reports its inner reader's).
    var count: Int { rows }

    /// The column decoded so far; the reader starts over.
    func finish() -> Column {
        let column = Column(type: type, validity: validity, values: takeValues())
        rows = 0
        validity = nil
        return column
    }

    /// How a child of a null row is filled: null if it may be, else a present zero.
    final func appendForNullParent() { appendSlot(valid: !type.isNullable) }
}

/// `["null", T]`, `[T, "null"]` or `[T]`: reads the branch index, then a null or the value.
final class AvroNullableColumnReader: AvroColumnReader {
    let inner: AvroColumnReader
    let nullBranch: Int64?
    let valueBranch: Int64
    let branchCount: Int
    let path: String

    init(inner: AvroColumnReader, nullBranch: Int?, valueBranch: Int, branchCount: Int, path: String) {
        self.inner = inner
        self.nullBranch = nullBranch.map { Int64($0) }
        self.valueBranch = Int64(valueBranch)
        self.branchCount = branchCount
        self.path = path
        super.init(type: inner.type)
    }

    override func read(_ c: inout AvroCursor) throws(AvroError) {
        let branch = try c.long()
        if branch == valueBranch {
            try inner.read(&c)
        } else if branch == nullBranch {
            guard type.isNullable else { throw c.corrupt("\(path): null in a NOT NULL \(type) column") }
            inner.appendSlot(valid: false)
        } else {
            throw c.corrupt("\(path): union branch \(branch) is outside 0..<\(branchCount)")
        }
    }

    override func appendSlot(valid: Bool) { inner.appendSlot(valid: valid) }
    override func takeValues() -> ColumnValues { inner.takeValues() }
    override var count: Int { inner.count }
    override func finish() -> Column { inner.finish() }
}

final class AvroBooleanColumnReader: AvroColumnReader {
    @exclusivity(unchecked) var values = Bitmap()
    override func read(_ c: inout AvroCursor) throws(AvroError) {
        values.append(try c.boolean())
        markPresent()
    }
    override func appendSlot(valid: Bool) { values.append(false); markSlot(valid: valid) }
    override func takeValues() -> ColumnValues { defer { values = Bitmap() }; return .boolean(values) }
}

/// The physical Avro integer a reader decodes, and how it becomes the column's unit.
enum AvroIntegerSource: Sendable {
    case int
    case long
    /// A long multiplied by the factor (a coarser timestamp unit read into a finer one); overflow is an error.
    case longTimes(Int64)
    /// A long divided by the factor, rounding down (a finer unit into a coarser one).
    case longDividedBy(Int64)

    @inline(__always)
    func read(_ c: inout AvroCursor) throws(AvroError) -> Int64 {
        switch self {
        case .int: return Int64(try c.int())
        case .long: return try c.long()
        case .longTimes(let factor):
            let (product, overflow) = try c.long().multipliedReportingOverflow(by: factor)
            guard !overflow else { throw c.corrupt("value overflows 64 bits when converted to the column's unit") }
            return product
        case .longDividedBy(let factor):
            let v = try c.long()
            let q = v / factor
            return (v % factor != 0 && v < 0) ? q - 1 : q
        }
    }
}

final class AvroInt8ColumnReader: AvroColumnReader {
    @exclusivity(unchecked) var values: [Int8] = []
    override func read(_ c: inout AvroCursor) throws(AvroError) {
        let v = try c.int()
        guard let n = Int8(exactly: v) else { throw c.corrupt("\(v) is out of range for TINYINT") }
        values.append(n)
        markPresent()
    }
    override func appendSlot(valid: Bool) { values.append(0); markSlot(valid: valid) }
    override func takeValues() -> ColumnValues { defer { values = [] }; return .int8(values) }
}

final class AvroInt16ColumnReader: AvroColumnReader {
    @exclusivity(unchecked) var values: [Int16] = []
    override func read(_ c: inout AvroCursor) throws(AvroError) {
        let v = try c.int()
        guard let n = Int16(exactly: v) else { throw c.corrupt("\(v) is out of range for SMALLINT") }
        values.append(n)
        markPresent()
    }
    override func appendSlot(valid: Bool) { values.append(0); markSlot(valid: valid) }
    override func takeValues() -> ColumnValues { defer { values = [] }; return .int16(values) }
}

/// INT, DATE and TIME columns; `timeOfDay` checks 0 ≤ v < 86 400 000 (TIME columns).
final class AvroInt32ColumnReader: AvroColumnReader {
    @exclusivity(unchecked) var values: [Int32] = []
    let source: AvroIntegerSource
    let timeOfDay: Bool

    init(type: DataType, source: AvroIntegerSource, timeOfDay: Bool = false) {
        self.source = source
        self.timeOfDay = timeOfDay
        super.init(type: type)
    }

    override func read(_ c: inout AvroCursor) throws(AvroError) {
        let v: Int32
        if case .int = source {
            v = try c.int()
        } else {
            let wide = try source.read(&c)
            guard let n = Int32(exactly: wide) else { throw c.corrupt("\(wide) is out of range for \(type)") }
            v = n
        }
        if timeOfDay, !(0..<86_400_000).contains(v) { throw c.corrupt("\(v) ms is not a time of day") }
        values.append(v)
        markPresent()
    }
    override func appendSlot(valid: Bool) { values.append(0); markSlot(valid: valid) }
    override func takeValues() -> ColumnValues { defer { values = [] }; return .int32(values) }
}

/// BIGINT, TIMESTAMP and TIMESTAMP_LTZ columns.
final class AvroInt64ColumnReader: AvroColumnReader {
    @exclusivity(unchecked) var values: [Int64] = []
    let source: AvroIntegerSource

    init(type: DataType, source: AvroIntegerSource) {
        self.source = source
        super.init(type: type)
    }

    override func read(_ c: inout AvroCursor) throws(AvroError) {
        if case .long = source { values.append(try c.long()) } else { values.append(try source.read(&c)) }
        markPresent()
    }
    override func appendSlot(valid: Bool) { values.append(0); markSlot(valid: valid) }
    override func takeValues() -> ColumnValues { defer { values = [] }; return .int64(values) }
}

/// The physical Avro number a floating-point column reads.
enum AvroFloatSource: Sendable {
    case int, long, float, double
}

final class AvroFloat32ColumnReader: AvroColumnReader {
    @exclusivity(unchecked) var values: [Float] = []
    let source: AvroFloatSource
    init(type: DataType, source: AvroFloatSource) {
        self.source = source
        super.init(type: type)
    }
    override func read(_ c: inout AvroCursor) throws(AvroError) {
        switch source {
        case .float: values.append(try c.float())
        case .int: values.append(Float(try c.int()))
        case .long: values.append(Float(try c.long()))
        case .double: values.append(Float(try c.double()))
        }
        markPresent()
    }
    override func appendSlot(valid: Bool) { values.append(0); markSlot(valid: valid) }
    override func takeValues() -> ColumnValues { defer { values = [] }; return .float32(values) }
}

final class AvroFloat64ColumnReader: AvroColumnReader {
    @exclusivity(unchecked) var values: [Double] = []
    let source: AvroFloatSource
    init(type: DataType, source: AvroFloatSource) {
        self.source = source
        super.init(type: type)
    }
    override func read(_ c: inout AvroCursor) throws(AvroError) {
        switch source {
        case .double: values.append(try c.double())
        case .float: values.append(Double(try c.float()))
        case .int: values.append(Double(try c.int()))
        case .long: values.append(Double(try c.long()))
        }
        markPresent()
    }
    override func appendSlot(valid: Bool) { values.append(0); markSlot(valid: valid) }
    override func takeValues() -> ColumnValues { defer { values = [] }; return .float64(values) }
}

/// DECIMAL columns from `bytes` or `fixed` decimals: the two's-complement big-endian unscaled value (any length,
/// as long as what is beyond 16 bytes is sign extension), times 10^`scaleUp`, within the column's precision.
final class AvroDecimalColumnReader: AvroColumnReader {
    @exclusivity(unchecked) var small: [Int64] = []
    @exclusivity(unchecked) var large: [Int128] = []
    let fixedSize: Int?
    let scaleUp: Int
    let precision: Int
    let limit: Int128
    let wide: Bool

    init(type: DataType, precision: Int, fixedSize: Int?, scaleUp: Int) {
        self.fixedSize = fixedSize
        self.scaleUp = scaleUp
        self.precision = precision
        var limit: Int128 = 1
        for _ in 0..<precision { limit *= 10 }
        self.limit = limit
        self.wide = precision > 18
        super.init(type: type)
    }

    override func read(_ c: inout AvroCursor) throws(AvroError) {
        let bytes: UnsafeRawBufferPointer
        if let fixedSize { bytes = try c.slice(fixedSize) } else { bytes = try c.bytesSlice() }
        guard var value = Self.unscaled(bytes) else { throw c.corrupt("decimal of \(bytes.count) bytes overflows 128 bits") }
        for _ in 0..<scaleUp {
            let (product, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { throw c.corrupt("decimal overflows \(type)") }
            value = product
        }
        guard value > -limit, value < limit else { throw c.corrupt("decimal has more than the \(precision) digits of \(type)") }
        if wide { large.append(value) } else { small.append(Int64(value)) }
        markPresent()
    }

    /// A two's-complement big-endian integer; nil when it does not fit 128 bits. Empty is 0.
    static func unscaled(_ bytes: UnsafeRawBufferPointer) -> Int128? {
        guard let first = bytes.first else { return 0 }
        let negative = first & 0x80 != 0
        var start = 0
        if bytes.count > 16 {
            let fill: UInt8 = negative ? 0xff : 0
            start = bytes.count - 16
            for i in 0..<start where bytes[i] != fill { return nil }
            guard (bytes[start] & 0x80 != 0) == negative else { return nil }
        }
        var value: UInt128 = negative ? ~0 : 0
        for i in start..<bytes.count { value = value << 8 | UInt128(bytes[i]) }
        return Int128(bitPattern: value)
    }

    override func appendSlot(valid: Bool) {
        if wide { large.append(0) } else { small.append(0) }
        markSlot(valid: valid)
    }
    override func takeValues() -> ColumnValues {
        defer { small = []; large = [] }
        return wide ? .int128(large) : .int64(small)
    }
}

/// CHAR, VARCHAR, BINARY and VARBINARY columns from `string`, `bytes`, `fixed` or `enum` values; character
/// columns check that the bytes are UTF-8.
final class AvroBytesColumnReader: AvroColumnReader {
    enum Source { case lengthPrefixed, fixed(Int), enumeration([[UInt8]]) }
    @exclusivity(unchecked) var values = ByteStrings()
    let source: Source
    let utf8: Bool

    init(type: DataType, source: Source, validateUTF8: Bool) {
        self.source = source
        self.utf8 = validateUTF8
        super.init(type: type)
    }

    override func read(_ c: inout AvroCursor) throws(AvroError) {
        switch source {
        case .lengthPrefixed:
            let start = c.offset
            let bytes = try c.bytesSlice()
            if utf8, !AvroUTF8.isValid(bytes) {
                throw AvroError(file: "", location: "byte \(c.reader.origin + start)", "string of \(bytes.count) bytes is not valid UTF-8")
            }
            try append(bytes, c)
        case .fixed(let n):
            let bytes = try c.slice(n)
            if utf8, !AvroUTF8.isValid(bytes) { throw c.corrupt("fixed value is not valid UTF-8") }
            try append(bytes, c)
        case .enumeration(let symbols):
            let index = try c.int()
            guard index >= 0, Int(index) < symbols.count else { throw c.corrupt("enum index \(index) is outside 0..<\(symbols.count)") }
            try append(symbols[Int(index)], c)
        }
        markPresent()
    }

    @inline(__always)
    private func append(_ bytes: some Collection<UInt8>, _ c: AvroCursor) throws(AvroError) {
        guard values.data.count + bytes.count <= Int(Int32.max) else {
            throw c.corrupt("a byte-string column of one block is limited to 2 GiB")
        }
        values.append(bytes)
    }

    override func appendSlot(valid: Bool) { values.append(EmptyCollection()); markSlot(valid: valid) }
    override func takeValues() -> ColumnValues { defer { values = ByteStrings() }; return .bytes(values) }
}

/// ARRAY columns from Avro arrays.
final class AvroListColumnReader: AvroColumnReader {
    @exclusivity(unchecked) var offsets: [Int32] = [0]
    let element: AvroColumnReader
    let itemBytesMin: Int
    let limits: AvroLimits

    init(type: DataType, element: AvroColumnReader, itemBytesMin: Int, limits: AvroLimits) {
        self.element = element
        self.itemBytesMin = itemBytesMin
        self.limits = limits
        super.init(type: type)
    }

    override func read(_ c: inout AvroCursor) throws(AvroError) {
        try AvroCollectionBlocks.forEach(&c, itemBytesMin: itemBytesMin, limits: limits, childCount: element.count) { (c) throws(AvroError) in
            try element.read(&c)
        }
        offsets.append(Int32(element.count))
        markPresent()
    }
    override func appendSlot(valid: Bool) { offsets.append(offsets.last!); markSlot(valid: valid) }
    override func takeValues() -> ColumnValues {
        defer { offsets = [0] }
        return .list(offsets: offsets, elements: element.finish())
    }
}

/// MAP columns from Avro maps (string keys) or from arrays of key/value records.
final class AvroMapColumnReader: AvroColumnReader {
    /// How one entry is laid out in the file.
    enum Entry {
        /// Avro map: a string key, then the value.
        case mapEntry
        /// A record whose writer fields go to the key (0), the value (1) or are skipped (skip node).
        case record([AvroBatchFieldStep])
    }
    @exclusivity(unchecked) var offsets: [Int32] = [0]
    let keys: AvroColumnReader
    let values: AvroColumnReader
    let entry: Entry
    let itemBytesMin: Int
    let limits: AvroLimits
    let skipper: AvroSkipper

    init(type: DataType, keys: AvroColumnReader, values: AvroColumnReader, entry: Entry, itemBytesMin: Int,
         limits: AvroLimits, skipper: AvroSkipper) {
        self.keys = keys
        self.values = values
        self.entry = entry
        self.itemBytesMin = itemBytesMin
        self.limits = limits
        self.skipper = skipper
        super.init(type: type)
    }

    override func read(_ c: inout AvroCursor) throws(AvroError) {
        try AvroCollectionBlocks.forEach(&c, itemBytesMin: itemBytesMin, limits: limits, childCount: keys.count) { (c) throws(AvroError) in
            switch entry {
            case .mapEntry:
                try keys.read(&c)
                try values.read(&c)
            case .record(let steps):
                for step in steps {
                    switch step {
                    case .child(0): try keys.read(&c)
                    case .child: try values.read(&c)
                    case .skip(let node): try skipper.skip(node, &c)
                    }
                }
            }
        }
        offsets.append(Int32(keys.count))
        markPresent()
    }
    override func appendSlot(valid: Bool) { offsets.append(offsets.last!); markSlot(valid: valid) }
    override func takeValues() -> ColumnValues {
        defer { offsets = [0] }
        return .map(offsets: offsets, keys: keys.finish(), values: values.finish())
    }
}

/// What the batch decoder does with one writer field of a record.
enum AvroBatchFieldStep {
    /// Decode into child column `index`.
    case child(Int)
    /// Skip with the skip node.
    case skip(Int)
}

/// ROW columns (and the top-level record): writer fields in file order go to children or are skipped; children the
/// file does not have get nulls.
final class AvroRowColumnReader: AvroColumnReader {
    let children: [AvroColumnReader]
    let steps: [AvroBatchFieldStep]
    let missing: [Int]
    let skipper: AvroSkipper

    init(type: DataType, children: [AvroColumnReader], steps: [AvroBatchFieldStep], missing: [Int], skipper: AvroSkipper) {
        self.children = children
        self.steps = steps
        self.missing = missing
        self.skipper = skipper
        super.init(type: type)
    }

    override func read(_ c: inout AvroCursor) throws(AvroError) {
        try readFields(&c)
        markPresent()
    }

    /// The fields of one record, without marking this row (the top-level record has no row of its own).
    @inline(__always)
    func readFields(_ c: inout AvroCursor) throws(AvroError) {
        for step in steps {
            switch step {
            case .child(let index): try children[index].read(&c)
            case .skip(let node): try skipper.skip(node, &c)
            }
        }
        for index in missing { children[index].appendSlot(valid: false) }
    }

    override func appendSlot(valid: Bool) {
        for child in children { child.appendForNullParent() }
        markSlot(valid: valid)
    }

    override func takeValues() -> ColumnValues { .row(children.map { $0.finish() }) }
}

/// Skips writer data nobody reads, with the skip nodes of an ``AvroReadProgram``.
final class AvroSkipper {
    var program: AvroReadProgram
    let limits: AvroLimits

    init(program: AvroReadProgram, limits: AvroLimits) {
        self.program = program
        self.limits = limits
    }

    func skip(_ node: Int, _ c: inout AvroCursor) throws(AvroError) {
        try program.skip(node, &c, depth: 0, limits: limits)
    }
}

/// The block loop of arrays and maps for column readers, with the same checks as the generic reader.
enum AvroCollectionBlocks {
    @inline(__always)
    static func forEach(_ c: inout AvroCursor, itemBytesMin: Int, limits: AvroLimits, childCount: Int,
                        _ body: (inout AvroCursor) throws(AvroError) -> Void) throws(AvroError) {
        var total = 0
        while true {
            let (count, _) = try c.blockCount()
            if count == 0 { return }
            if itemBytesMin > 0 {
                guard count <= c.remaining / itemBytesMin else {
                    throw c.corrupt("block of \(count) items cannot fit in the \(c.remaining) bytes that remain")
                }
            } else {
                try c.spendZeroByteItems(count)
            }
            total += count
            guard total <= limits.collectionItemsMax, childCount + total <= Int(Int32.max) else {
                throw c.corrupt("more than \(limits.collectionItemsMax) items in one array or map, or over 2^31 in one block")
            }
            for _ in 0..<count { try body(&c) }
        }
    }
}
