/// Decodes integer run-length encoding version 2 (ORC v1 spec, "Integer Run Length Encoding, version 2"): the
/// SHORT_REPEAT, DIRECT, PATCHED_BASE and DELTA sub-encodings, signed (zigzag) or unsigned.
///
/// Values come out as `Int64`; unsigned streams hold their 64-bit pattern. Runs are decoded straight into the
/// caller's buffer when they fit and through a 512-value scratch buffer when a run straddles the end of a
/// request, so a later request (or ``skip(_:)``) continues inside the run. All arithmetic wraps: a corrupt
/// stream yields wrong numbers or an ``ORCError``, never a trap. Every run is at most 512 values, so no input
/// makes the decoder allocate more than its scratch buffer.
struct IntegerRLEv2Decoder {
    var cursor: StreamCursor
    let signed: Bool
    private var scratch: [Int64]
    private var scratchIndex = 0
    private var scratchCount = 0
    private var patches: [Int64]

    static let runLengthMax = 512

    init(_ bytes: StreamBytes, signed: Bool) {
        cursor = bytes.cursor()
        self.signed = signed
        scratch = [Int64](repeating: 0, count: Self.runLengthMax)
        patches = [Int64](repeating: 0, count: 32)
    }

    /// Values decoded from the last run but not yet handed out.
    var pendingCount: Int { scratchCount - scratchIndex }

    /// True when every byte was consumed and no decoded value is left over.
    var isExhausted: Bool { pendingCount == 0 && cursor.isAtEnd }

    /// Decodes the next `count` values into `output`.
    mutating func decode(count: Int, into output: UnsafeMutablePointer<Int64>) throws(ORCError) {
        var filled = 0
        while filled < count && scratchIndex < scratchCount {
            output[filled] = scratch[scratchIndex]
            filled += 1
            scratchIndex += 1
        }
        while filled < count {
            let length = try peekRunLength()
            if length <= count - filled {
                try decodeRun(length: length, into: output + filled)
                filled += length
            } else {
                var buffer = scratch
                scratch = []
                let result: Result<Void, ORCError> = buffer.withUnsafeMutableBufferPointer { pointer in
                    Result { () throws(ORCError) in try decodeRun(length: length, into: pointer.baseAddress!) }
                }
                scratch = buffer
                try result.get()
                scratchCount = length
                scratchIndex = 0
                while filled < count {
                    output[filled] = scratch[scratchIndex]
                    filled += 1
                    scratchIndex += 1
                }
            }
        }
    }

    /// Skips `count` values.
    mutating func skip(_ count: Int) throws(ORCError) {
        var left = count
        let step = min(left, Self.runLengthMax)
        guard step > 0 else { return }
        var sink = [Int64](repeating: 0, count: step)
        while left > 0 {
            let n = min(left, step)
            let result: Result<Void, ORCError> = sink.withUnsafeMutableBufferPointer { pointer in
                Result { () throws(ORCError) in try decode(count: n, into: pointer.baseAddress!) }
            }
            try result.get()
            left -= n
        }
    }

    /// The number of values in the run that starts at the cursor, without consuming it.
    private func peekRunLength() throws(ORCError) -> Int {
        try cursor.require(1)
        let first = Int(cursor.base.load(fromByteOffset: cursor.position, as: UInt8.self))
        if first >> 6 == 0 { return (first & 7) + 3 }
        try cursor.require(2)
        let second = Int(cursor.base.load(fromByteOffset: cursor.position + 1, as: UInt8.self))
        return ((first & 1) << 8 | second) + 1
    }

    @inline(__always)
    private func unzigzag(_ u: UInt64) -> Int64 {
        Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1)
    }

    private mutating func decodeRun(length: Int, into output: UnsafeMutablePointer<Int64>) throws(ORCError) {
        let first = Int(try cursor.readByte())
        switch first >> 6 {
        case 0: // SHORT_REPEAT
            let width = ((first >> 3) & 7) + 1
            let raw = try cursor.readBigEndian(width)
            let value = signed ? unzigzag(raw) : Int64(bitPattern: raw)
            output.update(repeating: value, count: length)
        case 1: // DIRECT
            _ = try cursor.readByte()
            let width = BitWidth.decode((first >> 1) & 0x1f)
            try BitPacking.unpack(&cursor, width: width, count: length, into: output)
            if signed {
                for i in 0..<length { output[i] = unzigzag(UInt64(bitPattern: output[i])) }
            }
        case 2: // PATCHED_BASE
            _ = try cursor.readByte()
            let width = BitWidth.decode((first >> 1) & 0x1f)
            let third = Int(try cursor.readByte())
            let fourth = Int(try cursor.readByte())
            let baseBytes = ((third >> 5) & 7) + 1
            let patchWidth = BitWidth.decode(third & 0x1f)
            let gapWidth = ((fourth >> 5) & 7) + 1
            let patchCount = fourth & 0x1f
            guard patchWidth + gapWidth <= 64 else {
                throw cursor.error("patched-base run: patch width \(patchWidth) plus gap width \(gapWidth) exceeds 64 bits")
            }
            let rawBase = try cursor.readBigEndian(baseBytes)
            let signBit: UInt64 = 1 << UInt64(baseBytes * 8 - 1)
            let base: Int64 = rawBase & signBit != 0 ? 0 &- Int64(bitPattern: rawBase & ~signBit) : Int64(bitPattern: rawBase)
            try BitPacking.unpack(&cursor, width: width, count: length, into: output)
            let entryWidth = BitWidth.closest(patchWidth + gapWidth)
            let patchCursorWidth = entryWidth
            try patches.withUnsafeMutableBufferPointer { (p) throws(ORCError) in
                try BitPacking.unpack(&cursor, width: patchCursorWidth, count: patchCount, into: p.baseAddress!)
            }
            let patchMask: UInt64 = (1 << UInt64(patchWidth)) &- 1
            var index = 0
            for i in 0..<patchCount {
                let entry = UInt64(bitPattern: patches[i])
                let gap = Int(entry >> UInt64(patchWidth))
                let patch = entry & patchMask
                index += gap
                if gap == 255 && patch == 0 { continue }
                guard index < length else {
                    throw cursor.error("patched-base run: patch \(i) lands on value \(index) of a run of \(length)")
                }
                output[index] = Int64(bitPattern: UInt64(bitPattern: output[index]) | patch << UInt64(width))
            }
            for i in 0..<length { output[i] = base &+ output[i] }
        default: // DELTA
            _ = try cursor.readByte()
            let code = (first >> 1) & 0x1f
            let width = code == 0 ? 0 : BitWidth.decode(code)
            let base: Int64 = signed ? try cursor.readSignedVarint() : Int64(bitPattern: try cursor.readVarint())
            let deltaBase = try cursor.readSignedVarint()
            output[0] = base
            guard length > 1 else { return }
            if width == 0 {
                var value = base
                for i in 1..<length {
                    value = value &+ deltaBase
                    output[i] = value
                }
            } else {
                output[1] = base &+ deltaBase
                guard length > 2 else { return }
                try BitPacking.unpack(&cursor, width: width, count: length - 2, into: output + 2)
                var value = output[1]
                if deltaBase < 0 {
                    for i in 2..<length {
                        value = value &- output[i]
                        output[i] = value
                    }
                } else {
                    for i in 2..<length {
                        value = value &+ output[i]
                        output[i] = value
                    }
                }
            }
        }
    }
}
