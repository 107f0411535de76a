/// Encodes integers with run-length encoding version 2 (ORC v1 spec), choosing per group of values among the
/// four sub-encodings:
///
/// - a run of 3 to 10 equal values is a SHORT_REPEAT; a longer run of equal values a DELTA with width 0;
/// - any other group of up to 512 values (cut where a run of three equal values starts) is written as the
///   smallest of DELTA (monotonic groups), DIRECT (fixed width, aligned to fast widths) and PATCHED_BASE
///   (90th-percentile width plus at most 31 patches for the outliers).
///
/// Values are buffered (at most 512) and encoded when the buffer fills or on ``flush()``; ``pendingCount`` is the
/// number of buffered values, which a row-index position records after the stream's byte offset (a reader seeks
/// to the offset and skips that many values).
struct IntegerRLEv2Encoder {
    let signed: Bool
    private(set) var bytes: [UInt8] = []
    private var pending: [Int64] = []
    private var work: [UInt64] = []
    /// Bit-width histogram of a group, kept to avoid an allocation per group.
    private var histogram = [Int](repeating: 0, count: 65)

    static let groupMax = 512

    init(signed: Bool) {
        self.signed = signed
        pending.reserveCapacity(Self.groupMax)
        work.reserveCapacity(Self.groupMax)
    }

    var pendingCount: Int { pending.count }

    mutating func write(_ value: Int64) {
        pending.append(value)
        if pending.count == Self.groupMax { encodeFront() }
    }

    /// Encodes every buffered value.
    mutating func flush() {
        while !pending.isEmpty { encodeFront() }
    }

    @inline(__always)
    private func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }

    private mutating func putVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    private static func varintLength(_ value: UInt64) -> Int { max(1, (BitWidth.needed(value) + 6) / 7) }

    /// Encodes one group from the front of the buffer and removes it.
    private mutating func encodeFront() {
        let count = pending.count
        var run = 1
        while run < count && run < Self.groupMax && pending[run] == pending[0] { run += 1 }
        if run >= 3 {
            if run <= 10 { writeShortRepeat(pending[0], count: run) } else { writeFixedDelta(pending[0], delta: 0, count: run) }
            pending.removeFirst(run)
            return
        }
        var end = 1
        while end < count {
            if end + 2 < count && pending[end] == pending[end + 1] && pending[end] == pending[end + 2] { break }
            end += 1
        }
        writeLiterals(end)
        pending.removeFirst(end)
    }

    private mutating func writeShortRepeat(_ value: Int64, count: Int) {
        let raw = signed ? zigzag(value) : UInt64(bitPattern: value)
        let width = max(1, (BitWidth.needed(raw) + 7) / 8)
        bytes.append(UInt8((width - 1) << 3 | (count - 3)))
        var shift = (width - 1) * 8
        while shift >= 0 {
            bytes.append(UInt8(truncatingIfNeeded: raw >> UInt64(shift)))
            shift -= 8
        }
    }

    private mutating func writeHeader(type: Int, widthCode: Int, count: Int) {
        let length = count - 1
        bytes.append(UInt8(type << 6 | widthCode << 1 | (length >> 8)))
        bytes.append(UInt8(truncatingIfNeeded: length))
    }

    private mutating func writeFixedDelta(_ base: Int64, delta: Int64, count: Int) {
        writeHeader(type: 3, widthCode: 0, count: count)
        putVarint(signed ? zigzag(base) : UInt64(bitPattern: base))
        putVarint(zigzag(delta))
    }

    /// Writes `pending[0..<n]`, none of which starts a run of three equal values, in the cheapest sub-encoding.
    private mutating func writeLiterals(_ n: Int) {
        // DIRECT
        var maxRaw: UInt64 = 0
        var minValue = pending[0], maxValue = pending[0]
        for i in 0..<n {
            let v = pending[i]
            maxRaw |= signed ? zigzag(v) : UInt64(bitPattern: v)
            if v < minValue { minValue = v }
            if v > maxValue { maxValue = v }
        }
        let directWidth = BitWidth.closestAligned(BitWidth.needed(maxRaw))
        let directCost = 2 + (n * directWidth + 7) / 8

        // DELTA: monotonic, first delta not zero (its sign gives the direction), no overflow.
        var deltaCost = Int.max
        var deltaWidth = 0
        var fixedDelta = false
        var firstDelta: Int64 = 0
        if n >= 2 {
            var increasing = true, decreasing = true, overflow = false
            var maxMagnitude: UInt64 = 0
            var allEqual = true
            let (d0, o0) = pending[1].subtractingReportingOverflow(pending[0])
            firstDelta = d0
            overflow = o0
            if !overflow && d0 != 0 {
                for i in 1..<n {
                    let (d, o) = pending[i].subtractingReportingOverflow(pending[i - 1])
                    if o { overflow = true; break }
                    if d < 0 { increasing = false }
                    if d > 0 { decreasing = false }
                    if d != d0 { allEqual = false }
                    if i >= 2 { maxMagnitude = max(maxMagnitude, d.magnitude) }
                }
                if !overflow && (increasing || decreasing) {
                    fixedDelta = allEqual
                    if !fixedDelta {
                        deltaWidth = BitWidth.closest(BitWidth.needed(maxMagnitude))
                        if deltaWidth == 1 { deltaWidth = 2 }  // width code 0 means "fixed delta" in DELTA runs
                    }
                    let baseRaw = signed ? zigzag(pending[0]) : UInt64(bitPattern: pending[0])
                    deltaCost = 2 + Self.varintLength(baseRaw) + Self.varintLength(zigzag(d0))
                        + (fixedDelta ? 0 : ((n - 2) * deltaWidth + 7) / 8)
                }
            }
        }

        // PATCHED_BASE
        let patched = patchedBasePlan(n, minValue: minValue, maxValue: maxValue)

        if deltaCost <= directCost && deltaCost <= (patched?.cost ?? Int.max) {
            if fixedDelta {
                writeFixedDelta(pending[0], delta: firstDelta, count: n)
            } else {
                writeHeader(type: 3, widthCode: BitWidth.encode(deltaWidth), count: n)
                putVarint(signed ? zigzag(pending[0]) : UInt64(bitPattern: pending[0]))
                putVarint(zigzag(firstDelta))
                work.removeAll(keepingCapacity: true)
                for i in 2..<max(2, n) { work.append((pending[i] &- pending[i - 1]).magnitude) }
                work.withUnsafeBufferPointer { BitPacking.pack($0, width: deltaWidth, into: &bytes) }
            }
        } else if let patched, patched.cost < directCost {
            writePatchedBase(n, plan: patched, base: minValue)
        } else {
            writeHeader(type: 1, widthCode: BitWidth.encode(directWidth), count: n)
            work.removeAll(keepingCapacity: true)
            for i in 0..<n { work.append(signed ? zigzag(pending[i]) : UInt64(bitPattern: pending[i])) }
            work.withUnsafeBufferPointer { BitPacking.pack($0, width: directWidth, into: &bytes) }
        }
    }

    private struct PatchedPlan {
        var width: Int
        var patchWidth: Int
        var gapWidth: Int
        var baseBytes: Int
        var entries: [UInt64]
        var cost: Int
    }

    /// A PATCHED_BASE layout for `pending[0..<n]`, or nil when the values do not suit one (no outliers, too many
    /// patches, a base that does not fit the sign-magnitude field).
    private mutating func patchedBasePlan(_ n: Int, minValue: Int64, maxValue: Int64) -> PatchedPlan? {
        guard n >= 8, minValue != Int64.min else { return nil }
        // Bits needed by each value minus the base, as a histogram.
        for bits in 0...64 { histogram[bits] = 0 }
        for i in 0..<n { histogram[BitWidth.needed(UInt64(bitPattern: pending[i] &- minValue))] += 1 }
        let fullWidth = BitWidth.needed(UInt64(bitPattern: maxValue &- minValue))
        var covered = 0
        var width90 = 0
        let target = (n * 9 + 9) / 10
        for bits in 0...64 {
            covered += histogram[bits]
            if covered >= target { width90 = bits; break }
        }
        let width = BitWidth.closest(width90)
        guard fullWidth - width > 1 else { return nil }
        // Patches: gaps of more than 255 take filler entries (gap 255, patch 0).
        var maxPatch: UInt64 = 0
        var patches: [(gap: Int, patch: UInt64)] = []
        var previous = 0
        for i in 0..<n {
            let adjusted = UInt64(bitPattern: pending[i] &- minValue)
            let patch = adjusted >> UInt64(width)
            guard patch != 0 else { continue }
            var gap = i - previous
            while gap > 255 {
                patches.append((255, 0))
                gap -= 255
            }
            patches.append((gap, patch))
            if patches.count > 31 { return nil }
            maxPatch = max(maxPatch, patch)
            previous = i
        }
        guard !patches.isEmpty, patches.count <= 31 else { return nil }
        let patchWidth = BitWidth.closest(BitWidth.needed(maxPatch))
        let maxGap = patches.map(\.gap).max() ?? 0
        let gapWidth = max(1, BitWidth.needed(UInt64(maxGap)))
        guard patchWidth + gapWidth <= 64 else { return nil }
        let magnitude = minValue.magnitude
        let baseBytes = (BitWidth.needed(magnitude) + 1 + 7) / 8
        guard baseBytes <= 8 else { return nil }
        let entryWidth = BitWidth.closest(patchWidth + gapWidth)
        let entries = patches.map { UInt64($0.gap) << UInt64(patchWidth) | $0.patch }
        let cost = 4 + baseBytes + (n * width + 7) / 8 + (entries.count * entryWidth + 7) / 8
        return PatchedPlan(width: width, patchWidth: patchWidth, gapWidth: gapWidth, baseBytes: baseBytes, entries: entries, cost: cost)
    }

    private mutating func writePatchedBase(_ n: Int, plan: PatchedPlan, base: Int64) {
        writeHeader(type: 2, widthCode: BitWidth.encode(plan.width), count: n)
        bytes.append(UInt8((plan.baseBytes - 1) << 5 | BitWidth.encode(plan.patchWidth)))
        bytes.append(UInt8((plan.gapWidth - 1) << 5 | plan.entries.count))
        var raw = base.magnitude
        if base < 0 { raw |= 1 << UInt64(plan.baseBytes * 8 - 1) }
        var shift = (plan.baseBytes - 1) * 8
        while shift >= 0 {
            bytes.append(UInt8(truncatingIfNeeded: raw >> UInt64(shift)))
            shift -= 8
        }
        let mask: UInt64 = plan.width == 64 ? ~0 : (1 << UInt64(plan.width)) - 1
        work.removeAll(keepingCapacity: true)
        for i in 0..<n { work.append(UInt64(bitPattern: pending[i] &- base) & mask) }
        work.withUnsafeBufferPointer { BitPacking.pack($0, width: plan.width, into: &bytes) }
        plan.entries.withUnsafeBufferPointer { BitPacking.pack($0, width: BitWidth.closest(plan.patchWidth + plan.gapWidth), into: &bytes) }
    }
}
