import WeirColumnar
import WeirPaimon

/// Exact min, max and null count of one column over the rows written to a file, gathered on the typed buffers
/// (no per-row ``Value``); ``result(mode:)`` applies a `metadata.stats-mode` the way Java converts a format's own
/// statistics (`SimpleColStatsCollector.convert`). Min/max follow Java's `compareTo`: numbers numerically (FLOAT
/// and DOUBLE as `Float.compare`: -0.0 below 0.0, NaN largest), strings by unsigned UTF-8 bytes; BINARY and nested
/// types get null counts only, as Java's collectors do.
struct ColumnStatsAccumulator {
    let type: DataType
    var nullCount: Int64 = 0
    private var state: State = .empty

    private enum State {
        case empty
        case boolean(min: Bool, max: Bool)
        case integer(min: Int64, max: Int64)
        case wide(min: Int128, max: Int128)
        case float(min: Float, max: Float)
        case double(min: Double, max: Double)
        case bytes(min: [UInt8], max: [UInt8])
    }

    init(type: DataType) { self.type = type }

    var comparable: Bool {
        switch type.kind {
        case .binary, .varbinary, .array, .multiset, .map, .row: return false
        default: return true
        }
    }

    mutating func add(_ column: Column, rows: Range<Int>) {
        let validity = column.validity
        if let validity {
            for r in rows where !validity[r] { nullCount += 1 }
        }
        guard comparable else { return }
        @inline(__always) func present(_ r: Int) -> Bool { validity.map { $0[r] } ?? true }
        switch column.values {
        case .boolean(let bits):
            var lo: Bool? = nil, hi: Bool? = nil
            if case .boolean(let a, let b) = state { lo = a; hi = b }
            for r in rows where present(r) {
                let b = bits[r]
                if lo == nil || (!b && lo!) { lo = b }
                if hi == nil || (b && !hi!) { hi = b }
            }
            if let lo, let hi { state = .boolean(min: lo, max: hi) }
        case .int8(let v): addIntegers(v, rows, validity)
        case .int16(let v): addIntegers(v, rows, validity)
        case .int32(let v): addIntegers(v, rows, validity)
        case .int64(let v): addIntegers(v, rows, validity)
        case .int128(let v):
            var lo: Int128? = nil, hi: Int128? = nil
            if case .wide(let a, let b) = state { lo = a; hi = b }
            v.withUnsafeBufferPointer { p in
                for r in rows where present(r) {
                    let x = p[r]
                    if lo == nil || x < lo! { lo = x }
                    if hi == nil || x > hi! { hi = x }
                }
            }
            if let lo, let hi { state = .wide(min: lo, max: hi) }
        case .float32(let v):
            var lo: Float? = nil, hi: Float? = nil
            if case .float(let a, let b) = state { lo = a; hi = b }
            v.withUnsafeBufferPointer { p in
                for r in rows where present(r) {
                    let x = p[r]
                    if lo == nil || SortKeyEncoder.orderedBits(x) < SortKeyEncoder.orderedBits(lo!) { lo = x }
                    if hi == nil || SortKeyEncoder.orderedBits(x) > SortKeyEncoder.orderedBits(hi!) { hi = x }
                }
            }
            if let lo, let hi { state = .float(min: lo, max: hi) }
        case .float64(let v):
            var lo: Double? = nil, hi: Double? = nil
            if case .double(let a, let b) = state { lo = a; hi = b }
            v.withUnsafeBufferPointer { p in
                for r in rows where present(r) {
                    let x = p[r]
                    if lo == nil || SortKeyEncoder.orderedBits(x) < SortKeyEncoder.orderedBits(lo!) { lo = x }
                    if hi == nil || SortKeyEncoder.orderedBits(x) > SortKeyEncoder.orderedBits(hi!) { hi = x }
                }
            }
            if let lo, let hi { state = .double(min: lo, max: hi) }
        case .bytes(let strings):
            var lo: [UInt8]? = nil, hi: [UInt8]? = nil
            if case .bytes(let a, let b) = state { lo = a; hi = b }
            var loRow = -1, hiRow = -1
            strings.offsets.withUnsafeBufferPointer { offsets in
                strings.data.withUnsafeBufferPointer { data in
                    // Track the rows of the extremes in this column; copy their bytes once at the end.
                    var loStart = 0, loLength = 0, hiStart = 0, hiLength = 0
                    var haveLo = false, haveHi = false
                    if let lo { haveLo = true; _ = lo }
                    if let hi { haveHi = true; _ = hi }
                    for r in rows where present(r) {
                        let start = Int(offsets[r]), length = Int(offsets[r + 1]) - start
                        let base = data.baseAddress.map { $0 + start }
                        let belowLo: Bool
                        if loRow >= 0 {
                            belowLo = compareKeyBytes(base, length, data.baseAddress.map { $0 + loStart }, loLength) < 0
                        } else if haveLo {
                            belowLo = lo!.withUnsafeBufferPointer { compareKeyBytes(base, length, $0.baseAddress, $0.count) } < 0
                        } else {
                            belowLo = true
                        }
                        if belowLo { loRow = r; loStart = start; loLength = length; haveLo = true }
                        let aboveHi: Bool
                        if hiRow >= 0 {
                            aboveHi = compareKeyBytes(base, length, data.baseAddress.map { $0 + hiStart }, hiLength) > 0
                        } else if haveHi {
                            aboveHi = hi!.withUnsafeBufferPointer { compareKeyBytes(base, length, $0.baseAddress, $0.count) } > 0
                        } else {
                            aboveHi = true
                        }
                        if aboveHi { hiRow = r; hiStart = start; hiLength = length; haveHi = true }
                    }
                }
            }
            if loRow >= 0 { lo = Array(strings[loRow]) }
            if hiRow >= 0 { hi = Array(strings[hiRow]) }
            if let lo, let hi { state = .bytes(min: lo, max: hi) }
        case .list, .map, .row:
            break
        }
    }

    private mutating func addIntegers<T: FixedWidthInteger>(_ v: [T], _ rows: Range<Int>, _ validity: Bitmap?) {
        var lo: Int64 = .max, hi: Int64 = .min
        var any = false
        if case .integer(let a, let b) = state { lo = a; hi = b; any = true }
        v.withUnsafeBufferPointer { p in
            if let validity {
                for r in rows where validity[r] {
                    let x = Int64(p[r])
                    lo = Swift.min(lo, x)
                    hi = Swift.max(hi, x)
                    any = true
                }
            } else if !rows.isEmpty {
                any = true
                for r in rows {
                    let x = Int64(p[r])
                    lo = Swift.min(lo, x)
                    hi = Swift.max(hi, x)
                }
            }
        }
        if any { state = .integer(min: lo, max: hi) }
    }

    /// The exact stats (mode `full`).
    var full: SimpleColStats {
        SimpleColStats(min: value(min: true), max: value(min: false), nullCount: nullCount)
    }

    /// The stats in `mode`.
    func result(mode: SimpleColStatsCollector.Mode) -> SimpleColStats {
        SimpleColStatsCollector(mode: mode).convert(full)
    }

    private func value(min: Bool) -> Value? {
        switch state {
        case .empty: return nil
        case .boolean(let a, let b): return .boolean(min ? a : b)
        case .integer(let a, let b):
            let x = min ? a : b
            switch type.kind {
            case .date: return .date(days: Int32(truncatingIfNeeded: x))
            case .time: return .time(millis: Int32(truncatingIfNeeded: x))
            case .timestamp, .timestampLTZ: return .timestamp(x)
            case .decimal(_, let s): return .decimal(unscaled: Int128(x), scale: s)
            default: return .integer(x)
            }
        case .wide(let a, let b):
            guard case .decimal(_, let s) = type.kind else { return nil }
            return .decimal(unscaled: min ? a : b, scale: s)
        case .float(let a, let b): return .float(min ? a : b)
        case .double(let a, let b): return .double(min ? a : b)
        case .bytes(let a, let b):
            guard type.isCharacterString else { return nil }
            return .string(String(decoding: min ? a : b, as: UTF8.self))
        }
    }
}

/// Stats of several columns of one file.
struct FileStatsCollector {
    var columns: [ColumnStatsAccumulator]

    init(types: [DataType]) {
        columns = types.map { ColumnStatsAccumulator(type: $0) }
    }

    mutating func add(_ batch: [Column], rows: Range<Int>) {
        for i in columns.indices { columns[i].add(batch[i], rows: rows) }
    }

    func results(modes: [SimpleColStatsCollector.Mode]) -> [SimpleColStats] {
        zip(columns, modes).map { $0.result(mode: $1) }
    }
}
