/// UTF-8 validation without allocating (Unicode 15, table 3-7: no overlong forms, no surrogates, nothing above
/// U+10FFFF), with an eight-bytes-at-a-time path for ASCII. Column batches keep strings as bytes, so the batch
/// decoder checks them here instead of building `String`s.
enum AvroUTF8 {
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var i = 0
        while i < count {
            // ASCII fast path.
            while i + 8 <= count, base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            guard i < count else { return true }
            let b0 = base.load(fromByteOffset: i, as: UInt8.self)
            if b0 < 0x80 { i += 1; continue }
            func at(_ k: Int) -> UInt8? { i + k < count ? base.load(fromByteOffset: i + k, as: UInt8.self) : nil }
            func cont(_ b: UInt8?) -> Bool { b.map { $0 & 0xc0 == 0x80 } ?? false }
            switch b0 {
            case 0xc2...0xdf:
                guard cont(at(1)) else { return false }
                i += 2
            case 0xe0...0xef:
                guard let b1 = at(1) else { return false }
                let ok: Bool
                switch b0 {
                case 0xe0: ok = (0xa0...0xbf).contains(b1)
                case 0xed: ok = (0x80...0x9f).contains(b1)
                default: ok = b1 & 0xc0 == 0x80
                }
                guard ok, cont(at(2)) else { return false }
                i += 3
            case 0xf0...0xf4:
                guard let b1 = at(1) else { return false }
                let ok: Bool
                switch b0 {
                case 0xf0: ok = (0x90...0xbf).contains(b1)
                case 0xf4: ok = (0x80...0x8f).contains(b1)
                default: ok = b1 & 0xc0 == 0x80
                }
                guard ok, cont(at(2)), cont(at(3)) else { return false }
                i += 4
            default:
                return false
            }
        }
        return true
    }
}
