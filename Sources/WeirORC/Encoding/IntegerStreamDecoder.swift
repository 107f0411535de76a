/// An integer stream of either RLE version, chosen by the column's encoding kind (DIRECT and DICTIONARY use
/// version 1, DIRECT_V2 and DICTIONARY_V2 version 2).
struct IntegerStreamDecoder {
    private var v1: IntegerRLEv1Decoder?
    private var v2: IntegerRLEv2Decoder?

    init(_ bytes: StreamBytes, signed: Bool, encoding: ORCEncodingKind) {
        if encoding.usesRLEv2 {
            v2 = IntegerRLEv2Decoder(bytes, signed: signed)
        } else {
            v1 = IntegerRLEv1Decoder(bytes, signed: signed)
        }
    }

    mutating func decode(count: Int, into output: UnsafeMutablePointer<Int64>) throws(ORCError) {
        if v2 != nil { try v2!.decode(count: count, into: output) } else { try v1!.decode(count: count, into: output) }
    }

    /// `count` values as a new array.
    mutating func decode(count: Int) throws(ORCError) -> [Int64] {
        var values = [Int64](repeating: 0, count: count)
        try values.withUnsafeMutableBufferPointer { (p) throws(ORCError) in
            if count > 0 { try decode(count: count, into: p.baseAddress!) }
        }
        return values
    }

    mutating func skip(_ count: Int) throws(ORCError) {
        if v2 != nil { try v2!.skip(count) } else { try v1!.skip(count) }
    }

    var isExhausted: Bool { v2?.isExhausted ?? v1!.isExhausted }

    func error(_ message: String) -> ORCError { v2?.cursor.error(message) ?? v1!.cursor.error(message) }
}
