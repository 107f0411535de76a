/// Integer run-length encoding version 1 (ORC v1 spec, "Integer Run Length Encoding, version 1"), used by the
/// DIRECT and DICTIONARY encodings of files from Hive 0.11 writers: a control byte 0...127 starts a run of
/// `control + 3` values with a fixed delta (-128...127) from a varint base; -128...-1 starts `-control` varint
/// literals. Signed streams zigzag their varints.
struct IntegerRLEv1Decoder {
    var cursor: StreamCursor
    let signed: Bool
    private var runRemaining = 0
    private var runValue: Int64 = 0
    private var runDelta: Int64 = 0
    private var literalsRemaining = 0

    init(_ bytes: StreamBytes, signed: Bool) {
        cursor = bytes.cursor()
        self.signed = signed
    }

    var isExhausted: Bool { runRemaining == 0 && literalsRemaining == 0 && cursor.isAtEnd }

    private mutating func readValue() throws(ORCError) -> Int64 {
        signed ? try cursor.readSignedVarint() : Int64(bitPattern: try cursor.readVarint())
    }

    mutating func decode(count: Int, into output: UnsafeMutablePointer<Int64>) throws(ORCError) {
        var filled = 0
        while filled < count {
            if runRemaining > 0 {
                let n = min(runRemaining, count - filled)
                var value = runValue
                for i in 0..<n {
                    output[filled + i] = value
                    value = value &+ runDelta
                }
                runValue = value
                runRemaining -= n
                filled += n
            } else if literalsRemaining > 0 {
                let n = min(literalsRemaining, count - filled)
                for i in 0..<n { output[filled + i] = try readValue() }
                literalsRemaining -= n
                filled += n
            } else {
                let control = Int8(bitPattern: try cursor.readByte())
                if control >= 0 {
                    runRemaining = Int(control) + 3
                    runDelta = Int64(Int8(bitPattern: try cursor.readByte()))
                    runValue = try readValue()
                } else {
                    literalsRemaining = -Int(control)
                }
            }
        }
    }

    mutating func skip(_ count: Int) throws(ORCError) {
        var sink: Int64 = 0
        for _ in 0..<count { try decode(count: 1, into: &sink) }
    }
}

/// The RLE version 1 encoder: runs of 3 to 130 values with a fixed delta in -128...127, otherwise literal
/// groups of up to 128 varints. Weir writes version 2; this encoder exists for tests and tools that need
/// version 1 streams.
struct IntegerRLEv1Encoder {
    let signed: Bool
    private(set) var bytes: [UInt8] = []

    init(signed: Bool) { self.signed = signed }

    private mutating func putValue(_ v: Int64) {
        var u = signed ? UInt64(bitPattern: (v << 1) ^ (v >> 63)) : UInt64(bitPattern: v)
        while u >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: u) | 0x80)
            u >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: u))
    }

    /// Encodes all of `values`.
    mutating func write(_ values: [Int64]) {
        var i = 0
        var literalStart = 0
        func runLength(at start: Int) -> (Int, Int64) {
            guard start + 2 < values.count else { return (0, 0) }
            let (delta, overflow) = values[start + 1].subtractingReportingOverflow(values[start])
            guard !overflow, (-128...127).contains(delta) else { return (0, 0) }
            var n = 2
            while start + n < values.count && n < 130 {
                let (d, o) = values[start + n].subtractingReportingOverflow(values[start + n - 1])
                if o || d != delta { break }
                n += 1
            }
            return n >= 3 ? (n, delta) : (0, 0)
        }
        func flushLiterals(upTo end: Int) {
            var start = literalStart
            while start < end {
                let n = min(128, end - start)
                bytes.append(UInt8(bitPattern: Int8(-n)))
                for k in start..<(start + n) { putValue(values[k]) }
                start += n
            }
        }
        while i < values.count {
            let (n, delta) = runLength(at: i)
            if n >= 3 {
                flushLiterals(upTo: i)
                bytes.append(UInt8(n - 3))
                bytes.append(UInt8(bitPattern: Int8(delta)))
                putValue(values[i])
                i += n
                literalStart = i
            } else {
                i += 1
            }
        }
        flushLiterals(upTo: values.count)
    }
}
