import WeirCodecs

/// A malformed portable roaring bitmap: what is wrong and the byte offset (from the start of the bitmap) where
/// it was found.
public struct RoaringFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public let offset: Int
    public let message: String

    public init(offset: Int, _ message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "roaring bitmap at byte \(offset): \(message)" }
}

/// A compressed set of unsigned 32-bit integers (a Roaring bitmap) with the portable serialization of
/// https://github.com/RoaringBitmap/RoaringFormatSpec, which Java's `org.roaringbitmap.RoaringBitmap`, CRoaring and
/// pyroaring read and write; Paimon's deletion vectors hold one.
///
/// Values are split by their high 16 bits into containers, kept in key order: an *array* container (sorted 16-bit
/// low halves) up to 4096 values, a *bitmap* container (1024 64-bit words) above. The in-memory form is canonical
/// (the container kind follows from the cardinality), so two bitmaps are equal exactly when they hold the same
/// values. Run containers are read (and turned into the canonical kind) and, with `runOptimize`, written wherever
/// they are smaller — Java's `runOptimize()` rule, which Paimon applies before every serialization.
///
/// Serialized form (all little-endian): cookie `12346` + container count, or `12347 | (count-1) << 16` + a bitset of
/// run containers; per container the key and cardinality-1 (16 bits each); container offsets (always after cookie
/// 12346, after 12347 only from 4 containers on); then the containers: arrays as 16-bit values, bitmaps as 1024
/// 64-bit words, runs as a 16-bit run count and (start, length-1) pairs.
///
/// Decoding is bounded: every count is checked against the bytes left before anything is allocated, and any
/// inconsistency (unknown cookie, keys out of order, unsorted array, a bitmap or run container whose content
/// disagrees with its recorded cardinality, overlapping runs, truncation) is a ``RoaringFormatError``.
public struct RoaringBitmap32: Sendable, Hashable, Sequence {
    /// `SERIAL_COOKIE_NO_RUNCONTAINER`.
    public static let serialCookieNoRunContainer: UInt32 = 12346
    /// `SERIAL_COOKIE`.
    public static let serialCookie: UInt32 = 12347
    /// `NO_OFFSET_THRESHOLD`: with run containers, offsets are written from this many containers on.
    public static let noOffsetThreshold = 4
    /// The largest array container.
    static let arrayMaxCardinality = 4096
    static let bitmapWords = 1024

    enum Container: Sendable, Hashable {
        /// Sorted, distinct low halves; 1...4096 of them.
        case array([UInt16])
        /// 1024 words (bit `v % 64` of word `v / 64`), and the number of bits set (> 4096).
        case bitmap([UInt64], Int)

        var cardinality: Int {
            switch self {
            case .array(let values): return values.count
            case .bitmap(_, let count): return count
            }
        }

        func contains(_ low: UInt16) -> Bool {
            switch self {
            case .array(let values): return RoaringBitmap32.search(values, low).found
            case .bitmap(let words, _): return words[Int(low >> 6)] & (1 << UInt64(low & 63)) != 0
            }
        }

        /// The number of runs of consecutive values.
        var runCount: Int {
            switch self {
            case .array(let values):
                guard var previous = values.first else { return 0 }
                var runs = 1
                for value in values.dropFirst() {
                    if value != previous &+ 1 { runs += 1 }
                    previous = value
                }
                return runs
            case .bitmap(let words, _):
                var runs = 0
                var carry: UInt64 = 0  // the last bit of the previous word
                for word in words {
                    // a run starts at every set bit whose lower neighbour is clear
                    runs += (word & ~((word << 1) | carry)).nonzeroBitCount
                    carry = word >> 63
                }
                return runs
            }
        }

        /// The runs as (start, length - 1) pairs.
        var runs: [(UInt16, UInt16)] {
            var out: [(UInt16, UInt16)] = []
            var start = -1
            var previous = -2
            func add(_ value: Int) {
                if value == previous + 1 {
                    previous = value
                    return
                }
                if start >= 0 { out.append((UInt16(start), UInt16(previous - start))) }
                start = value
                previous = value
            }
            forEachLow { add(Int($0)) }
            if start >= 0 { out.append((UInt16(start), UInt16(previous - start))) }
            return out
        }

        func forEachLow(_ body: (UInt16) -> Void) {
            switch self {
            case .array(let values):
                for value in values { body(value) }
            case .bitmap(let words, _):
                for (index, word) in words.enumerated() {
                    var bits = word
                    while bits != 0 {
                        body(UInt16(index * 64 + bits.trailingZeroBitCount))
                        bits &= bits - 1
                    }
                }
            }
        }

        /// A bitmap container's words for any container.
        var words: [UInt64] {
            switch self {
            case .bitmap(let words, _): return words
            case .array(let values):
                var words = [UInt64](repeating: 0, count: RoaringBitmap32.bitmapWords)
                for value in values { words[Int(value >> 6)] |= 1 << UInt64(value & 63) }
                return words
            }
        }

        /// The canonical container for a set of words holding `count` bits.
        static func fromWords(_ words: [UInt64], count: Int) -> Container {
            if count > RoaringBitmap32.arrayMaxCardinality { return .bitmap(words, count) }
            var values: [UInt16] = []
            values.reserveCapacity(count)
            Container.bitmap(words, count).forEachLow { values.append($0) }
            return .array(values)
        }
    }

    /// The high halves of the containers, ascending.
    private(set) var keys: [UInt16] = []
    private(set) var containers: [Container] = []

    public init() {}

    /// A bitmap of `values` (any order, duplicates allowed).
    public init<S: Sequence>(_ values: S) where S.Element == UInt32 {
        for value in values { insert(value) }
    }

    /// The number of values.
    public var cardinality: Int { containers.reduce(0) { $0 + $1.cardinality } }

    public var isEmpty: Bool { containers.isEmpty }

    /// The number of containers.
    public var containerCount: Int { containers.count }

    public func contains(_ value: UInt32) -> Bool {
        let (index, found) = Self.search(keys, UInt16(truncatingIfNeeded: value >> 16))
        return found && containers[index].contains(UInt16(truncatingIfNeeded: value))
    }

    /// Adds `value`; true when it was not in the set (Java's `checkedAdd`).
    @discardableResult
    public mutating func insert(_ value: UInt32) -> Bool {
        let key = UInt16(truncatingIfNeeded: value >> 16)
        let low = UInt16(truncatingIfNeeded: value)
        // Appending in ascending order is the common case (positions of a file in order): no search.
        if let last = keys.last, last == key, case .array(var values) = containers[containers.count - 1], let top = values.last, low > top,
           values.count < Self.arrayMaxCardinality {
            containers[containers.count - 1] = .array([])  // drop the reference so the append does not copy
            values.append(low)
            containers[containers.count - 1] = .array(values)
            return true
        }
        let (index, found) = Self.search(keys, key)
        guard found else {
            keys.insert(key, at: index)
            containers.insert(.array([low]), at: index)
            return true
        }
        switch containers[index] {
        case .array(var values):
            let (at, present) = Self.search(values, low)
            if present { return false }
            containers[index] = .array([])
            values.insert(low, at: at)
            if values.count > Self.arrayMaxCardinality {
                containers[index] = .bitmap(Container.array(values).words, values.count)
            } else {
                containers[index] = .array(values)
            }
            return true
        case .bitmap(var words, let count):
            let bit: UInt64 = 1 << UInt64(low & 63)
            if words[Int(low >> 6)] & bit != 0 { return false }
            containers[index] = .array([])
            words[Int(low >> 6)] |= bit
            containers[index] = .bitmap(words, count + 1)
            return true
        }
    }

    /// Adds every value of `other` (Java's `or`).
    public mutating func formUnion(_ other: RoaringBitmap32) {
        var keys: [UInt16] = []
        var containers: [Container] = []
        keys.reserveCapacity(self.keys.count + other.keys.count)
        var i = 0
        var j = 0
        while i < self.keys.count || j < other.keys.count {
            if j == other.keys.count || (i < self.keys.count && self.keys[i] < other.keys[j]) {
                keys.append(self.keys[i])
                containers.append(self.containers[i])
                i += 1
            } else if i == self.keys.count || other.keys[j] < self.keys[i] {
                keys.append(other.keys[j])
                containers.append(other.containers[j])
                j += 1
            } else {
                keys.append(self.keys[i])
                containers.append(Self.union(self.containers[i], other.containers[j]))
                i += 1
                j += 1
            }
        }
        self.keys = keys
        self.containers = containers
    }

    public func union(_ other: RoaringBitmap32) -> RoaringBitmap32 {
        var copy = self
        copy.formUnion(other)
        return copy
    }

    static func union(_ a: Container, _ b: Container) -> Container {
        if case .array(let x) = a, case .array(let y) = b, x.count + y.count <= arrayMaxCardinality {
            var out: [UInt16] = []
            out.reserveCapacity(x.count + y.count)
            var i = 0
            var j = 0
            while i < x.count || j < y.count {
                if j == y.count || (i < x.count && x[i] < y[j]) {
                    out.append(x[i]); i += 1
                } else if i == x.count || y[j] < x[i] {
                    out.append(y[j]); j += 1
                } else {
                    out.append(x[i]); i += 1; j += 1
                }
            }
            return .array(out)
        }
        var words = a.words
        let other = b.words
        var count = 0
        for index in 0..<bitmapWords {
            words[index] |= other[index]
            count += words[index].nonzeroBitCount
        }
        return Container.fromWords(words, count: count)
    }

    /// The values, ascending.
    public var values: [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(cardinality)
        for (key, container) in zip(keys, containers) {
            let high = UInt32(key) << 16
            container.forEachLow { out.append(high | UInt32($0)) }
        }
        return out
    }

    public func makeIterator() -> IndexingIterator<[UInt32]> { values.makeIterator() }

    /// The smallest value, nil when empty.
    public var minimum: UInt32? {
        guard let key = keys.first else { return nil }
        var low: UInt16 = 0
        switch containers[0] {
        case .array(let values): low = values[0]
        case .bitmap(let words, _):
            let index = words.firstIndex { $0 != 0 }!
            low = UInt16(index * 64 + words[index].trailingZeroBitCount)
        }
        return UInt32(key) << 16 | UInt32(low)
    }

    /// The largest value, nil when empty.
    public var maximum: UInt32? {
        guard let key = keys.last else { return nil }
        var low: UInt16 = 0
        switch containers[containers.count - 1] {
        case .array(let values): low = values[values.count - 1]
        case .bitmap(let words, _):
            let index = words.lastIndex { $0 != 0 }!
            low = UInt16(index * 64 + 63 - words[index].leadingZeroBitCount)
        }
        return UInt32(key) << 16 | UInt32(low)
    }

    /// Binary search: the index of `value` in sorted `array`, or where it would go.
    static func search(_ array: [UInt16], _ value: UInt16) -> (index: Int, found: Bool) {
        var low = 0
        var high = array.count
        while low < high {
            let mid = (low + high) >> 1
            if array[mid] < value { low = mid + 1 } else { high = mid }
        }
        return (low, low < array.count && array[low] == value)
    }

    // MARK: portable serialization

    /// How each container would be written: as a run container when `runOptimize` and that is strictly smaller.
    private func layout(runOptimize: Bool) -> [Bool] {
        containers.map { container in
            guard runOptimize else { return false }
            let current: Int
            switch container {
            case .array(let values): current = 2 * values.count
            case .bitmap: current = 8 * Self.bitmapWords
            }
            return 2 + 4 * container.runCount < current
        }
    }

    /// The number of bytes ``serialized(runOptimize:)`` returns.
    public func serializedSize(runOptimize: Bool = true) -> Int {
        let runs = layout(runOptimize: runOptimize)
        var size = headerSize(runs: runs)
        for (container, isRun) in zip(containers, runs) { size += Self.containerSize(container, run: isRun) }
        return size
    }

    private func headerSize(runs: [Bool]) -> Int {
        let count = containers.count
        if runs.contains(true) {
            return 4 + (count + 7) / 8 + 4 * count + (count >= Self.noOffsetThreshold ? 4 * count : 0)
        }
        return 8 + 8 * count
    }

    private static func containerSize(_ container: Container, run: Bool) -> Int {
        if run { return 2 + 4 * container.runCount }
        switch container {
        case .array(let values): return 2 * values.count
        case .bitmap: return 8 * bitmapWords
        }
    }

    /// The portable serialization. With `runOptimize` (Java Paimon's behaviour) containers whose run encoding is
    /// smaller are written as run containers (cookie 12347); otherwise only array and bitmap containers are written
    /// (cookie 12346), which every reader of the format understands.
    public func serialized(runOptimize: Bool = true) -> [UInt8] {
        var out = ByteWriter()
        serialize(into: &out, runOptimize: runOptimize)
        return out.bytes
    }

    public func serialize(into out: inout ByteWriter, runOptimize: Bool = true) {
        let runs = layout(runOptimize: runOptimize)
        let hasRun = runs.contains(true)
        let count = containers.count
        out.reserveCapacity(out.count + serializedSize(runOptimize: runOptimize))
        if hasRun {
            out.putU32LE(Self.serialCookie | UInt32(count - 1) << 16)
            var flags = [UInt8](repeating: 0, count: (count + 7) / 8)
            for (index, isRun) in runs.enumerated() where isRun { flags[index / 8] |= 1 << UInt8(index % 8) }
            for byte in flags { out.putU8(byte) }
        } else {
            out.putU32LE(Self.serialCookieNoRunContainer)
            out.putU32LE(UInt32(count))
        }
        for (key, container) in zip(keys, containers) {
            out.putU16LE(key)
            out.putU16LE(UInt16(container.cardinality - 1))
        }
        if !hasRun || count >= Self.noOffsetThreshold {
            var offset = headerSize(runs: runs)
            for (container, isRun) in zip(containers, runs) {
                out.putU32LE(UInt32(offset))
                offset += Self.containerSize(container, run: isRun)
            }
        }
        for (container, isRun) in zip(containers, runs) {
            if isRun {
                let pairs = container.runs
                out.putU16LE(UInt16(pairs.count))
                for (start, lengthMinusOne) in pairs {
                    out.putU16LE(start)
                    out.putU16LE(lengthMinusOne)
                }
                continue
            }
            switch container {
            case .array(let values): for value in values { out.putU16LE(value) }
            case .bitmap(let words, _): for word in words { out.putU64LE(word) }
            }
        }
    }

    /// Decodes a bitmap that fills `bytes` exactly (trailing bytes are an error).
    public init(portable bytes: [UInt8]) throws(RoaringFormatError) {
        let (bitmap, end) = try Self.deserialize(bytes, at: 0)
        guard end == bytes.count else {
            throw RoaringFormatError(offset: end, "\(bytes.count - end) bytes after the bitmap")
        }
        self = bitmap
    }

    /// Decodes the bitmap starting at `start` of `bytes`; returns it and the offset just after it.
    /// Error offsets are relative to `start`.
    public static func deserialize(_ bytes: [UInt8], at start: Int) throws(RoaringFormatError) -> (RoaringBitmap32, end: Int) {
        var reader = Reader(bytes: bytes, start: start)
        let cookie = try reader.u32()
        let count: Int
        var runFlags: [UInt8] = []
        var hasOffsets = true
        if cookie & 0xFFFF == serialCookie {
            count = Int(cookie >> 16) + 1
            runFlags = try reader.bytes((count + 7) / 8)
            hasOffsets = count >= noOffsetThreshold
        } else if cookie == serialCookieNoRunContainer {
            let declared = try reader.u32()
            guard declared <= 65536 else {
                throw RoaringFormatError(offset: 4, "\(declared) containers (at most 65536)")
            }
            count = Int(declared)
        } else {
            throw RoaringFormatError(offset: 0, "unknown cookie \(cookie) (expected \(serialCookieNoRunContainer) or \(serialCookie) in the low 16 bits)")
        }
        // The headers must fit before anything is allocated.
        try reader.need(4 * count + (hasOffsets ? 4 * count : 0), what: "headers of \(count) containers")
        var keys: [UInt16] = []
        var cardinalities: [Int] = []
        keys.reserveCapacity(count)
        cardinalities.reserveCapacity(count)
        for index in 0..<count {
            let at = reader.relative
            let key = try reader.u16()
            let cardinality = Int(try reader.u16()) + 1
            if let previous = keys.last, key <= previous {
                throw RoaringFormatError(offset: at, "container \(index) has key \(key) after key \(previous) (keys must ascend)")
            }
            keys.append(key)
            cardinalities.append(cardinality)
        }
        if hasOffsets { try reader.skip(4 * count) }  // offsets: readers of the format go sequentially
        var containers: [Container] = []
        containers.reserveCapacity(count)
        for index in 0..<count {
            let isRun = !runFlags.isEmpty && runFlags[index / 8] & (1 << UInt8(index % 8)) != 0
            let cardinality = cardinalities[index]
            let at = reader.relative
            if isRun {
                let runCount = Int(try reader.u16())
                guard runCount > 0 else { throw RoaringFormatError(offset: at, "run container \(index) has no runs") }
                try reader.need(4 * runCount, what: "\(runCount) runs of container \(index)")
                var words = [UInt64](repeating: 0, count: bitmapWords)
                var total = 0
                var next = 0  // the smallest start the next run may have
                for _ in 0..<runCount {
                    let start = Int(try reader.u16())
                    let length = Int(try reader.u16()) + 1
                    guard start >= next, start + length <= 65536 else {
                        throw RoaringFormatError(offset: at, "run container \(index) has overlapping, unsorted or oversized runs")
                    }
                    setRange(&words, start, start + length)
                    total += length
                    next = start + length + 1
                }
                guard total == cardinality else {
                    throw RoaringFormatError(offset: at, "run container \(index) holds \(total) values but its header says \(cardinality)")
                }
                containers.append(Container.fromWords(words, count: total))
            } else if cardinality <= arrayMaxCardinality {
                try reader.need(2 * cardinality, what: "array container \(index) of \(cardinality) values")
                var values: [UInt16] = []
                values.reserveCapacity(cardinality)
                for _ in 0..<cardinality {
                    let value = try reader.u16()
                    if let previous = values.last, value <= previous {
                        throw RoaringFormatError(offset: at, "array container \(index) is not strictly ascending")
                    }
                    values.append(value)
                }
                containers.append(.array(values))
            } else {
                try reader.need(8 * bitmapWords, what: "bitmap container \(index)")
                var words: [UInt64] = []
                words.reserveCapacity(bitmapWords)
                var total = 0
                for _ in 0..<bitmapWords {
                    let word = try reader.u64()
                    total += word.nonzeroBitCount
                    words.append(word)
                }
                guard total == cardinality else {
                    throw RoaringFormatError(offset: at, "bitmap container \(index) holds \(total) values but its header says \(cardinality)")
                }
                containers.append(.bitmap(words, total))
            }
        }
        var bitmap = RoaringBitmap32()
        bitmap.keys = keys
        bitmap.containers = containers
        return (bitmap, reader.position)
    }

    static func setRange(_ words: inout [UInt64], _ from: Int, _ to: Int) {
        var value = from
        while value < to {
            let word = value >> 6
            let bit = value & 63
            let span = Swift.min(64 - bit, to - value)
            let mask: UInt64 = span == 64 ? ~0 : ((1 << UInt64(span)) - 1) << UInt64(bit)
            words[word] |= mask
            value += span
        }
    }

    /// Bounded little-endian reads over a byte array.
    struct Reader {
        let bytes: [UInt8]
        let start: Int
        var position: Int

        init(bytes: [UInt8], start: Int) {
            self.bytes = bytes
            self.start = start
            position = start
        }

        var relative: Int { position - start }

        func need(_ count: Int, what: String) throws(RoaringFormatError) {
            guard count >= 0, count <= bytes.count - position else {
                throw RoaringFormatError(offset: relative, "truncated: \(what) need \(count) bytes, \(Swift.max(0, bytes.count - position)) left")
            }
        }

        mutating func skip(_ count: Int) throws(RoaringFormatError) {
            try need(count, what: "skip")
            position += count
        }

        mutating func bytes(_ count: Int) throws(RoaringFormatError) -> [UInt8] {
            try need(count, what: "run flags")
            defer { position += count }
            return Array(bytes[position..<position + count])
        }

        mutating func u16() throws(RoaringFormatError) -> UInt16 {
            try need(2, what: "a 16-bit value")
            defer { position += 2 }
            return UInt16(bytes[position]) | UInt16(bytes[position + 1]) << 8
        }

        mutating func u32() throws(RoaringFormatError) -> UInt32 {
            try need(4, what: "a 32-bit value")
            var value: UInt32 = 0
            for i in 0..<4 { value |= UInt32(bytes[position + i]) << (8 * UInt32(i)) }
            position += 4
            return value
        }

        mutating func u64() throws(RoaringFormatError) -> UInt64 {
            try need(8, what: "a 64-bit value")
            var value: UInt64 = 0
            for i in 0..<8 { value |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
            position += 8
            return value
        }
    }
}
