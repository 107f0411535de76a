import Testing
import WeirCodecs

enum Samples {
    /// `count` bytes from the generator, 8 per step.
    static func random(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { raw in
            var i = 0
            while i + 8 <= count {
                raw.storeBytes(of: rng.next(), toByteOffset: i, as: UInt64.self)
                i += 8
            }
            var last = rng.next()
            while i < count {
                raw[i] = UInt8(truncatingIfNeeded: last)
                last >>= 8
                i += 1
            }
        }
        return out
    }

    /// Text-like bytes: words drawn from a small vocabulary with numbers mixed in (compresses 2-4x, like real data).
    static func text(_ count: Int, seed: UInt64) -> [UInt8] {
        let words = ["the", "bucket", "snapshot", "manifest", "compaction", "level", "sorted", "run", "paimon",
                     "writer", "reader", "commit", "partition", "row", "key", "value", "sequence", "file"].map { Array($0.utf8) }
        var rng = SplitMix64(seed: seed)
        var out = [UInt8]()
        out.reserveCapacity(count + 16)
        while out.count < count {
            if rng.below(5) == 0 {
                out += Array(String(rng.below(100_000)).utf8)
            } else {
                out += words[rng.below(words.count)]
            }
            out.append(rng.below(12) == 0 ? 0x0a : 0x20)
        }
        return Array(out.prefix(count))
    }

    /// The inputs every codec round-trips: empty, tiny, highly compressible, random, text and large (4 MiB).
    static let roundTrip: [(name: String, bytes: [UInt8])] = [
        ("empty", []),
        ("one byte", [0x61]),
        ("tiny", Array("hello, weir".utf8)),
        ("zeros 256 KiB", [UInt8](repeating: 0, count: 256 * 1024)),
        ("period 3", (0 ..< 100_000).map { UInt8($0 % 3) }),
        ("random 70 KiB", random(70_000, seed: 1)),
        ("text 300 KiB", text(300_000, seed: 2)),
        ("large mixed 4 MiB", large),
    ]

    /// 4 MiB: text with random and zero runs interleaved, so every codec path (literals, copies, chunk boundaries)
    /// is exercised at scale.
    static let large: [UInt8] = {
        var out = [UInt8]()
        out.reserveCapacity(4 << 20)
        var seed: UInt64 = 100
        while out.count < 4 << 20 {
            out += text(200_000, seed: seed)
            out += random(50_000, seed: seed + 1)
            out += [UInt8](repeating: UInt8(seed & 0xff), count: 30_000)
            seed += 2
        }
        return Array(out.prefix(4 << 20))
    }()
}

/// Bytes from a hex string; spaces and newlines are ignored.
func hexBytes(_ s: String) -> [UInt8] {
    let digits = s.utf8.filter { $0 != 0x20 && $0 != 0x0a }
    precondition(digits.count % 2 == 0, "odd number of hex digits")
    func value(_ c: UInt8) -> UInt8 {
        switch c {
        case 0x30 ... 0x39: c - 0x30
        case 0x61 ... 0x66: c - 0x61 + 10
        case 0x41 ... 0x46: c - 0x41 + 10
        default: preconditionFailure("not a hex digit: \(c)")
        }
    }
    var out = [UInt8]()
    var iterator = digits.makeIterator()
    while let hi = iterator.next(), let lo = iterator.next() { out.append(value(hi) << 4 | value(lo)) }
    return out
}

/// What a decoder did with a mutated input.
struct FuzzTally: CustomStringConvertible {
    var decoded = 0
    var rejected = 0
    var kinds: [CodecError.Kind: Int] = [:]
    var violations: [String] = []

    var violationCount: Int { violations.count }
    var description: String {
        "decoded \(decoded), rejected \(rejected) \(kinds), \(violations.count) violations, first: \(violations.prefix(3))"
    }
}

/// How a decoder's output must relate to the valid input's original bytes when it accepts a mutated input.
enum Expectation {
    /// Only the limit is checked (formats without checksums may decode damage into other bytes).
    case boundedOnly
    /// Checksummed formats: a truncated input may only decode to a prefix of `original` (framed formats may be cut
    /// at a chunk boundary), a corrupted one only to `original` itself (damage in ignored header fields).
    case checksummed(original: [UInt8])
    /// Checksummed chunked formats where a damaged chunk type may make a reader skip a whole chunk: a corrupted
    /// input may decode to `original` or to something shorter, never to other bytes of the same length.
    case checksummedChunks(original: [UInt8])
}

/// Feeds `decode` truncations of `valid`: at every length when it has at most `everyMax` bytes, else at the first
/// 64 lengths and 128 random ones. Each must throw a CodecError or return at most `limit` bytes (see `expect`).
/// A crash, hang or unbounded allocation fails the run by itself.
func fuzzTruncations(
    valid: [UInt8], limit: Int, expect: Expectation = .boundedOnly, everyMax: Int = 1024,
    _ decode: ([UInt8]) throws(CodecError) -> [UInt8]
) -> FuzzTally {
    var tally = FuzzTally()
    var lengths = Array(0 ..< min(valid.count, valid.count <= everyMax ? valid.count : 64))
    if valid.count > everyMax {
        var rng = SplitMix64(seed: UInt64(valid.count))
        for _ in 0 ..< 128 { lengths.append(rng.below(valid.count)) }
    }
    for n in lengths {
        check(Array(valid.prefix(n)), "truncated to \(n)", limit: limit, &tally, decode) { out in
            switch expect {
            case .boundedOnly: true
            case .checksummed(let original), .checksummedChunks(let original):
                out.count <= original.count && out[...] == original.prefix(out.count)
            }
        }
    }
    return tally
}

/// Feeds `decode`, for each of `seeds` seeds: (b) `valid` with 1 to 8 random bit flips, (c) with 1 to 4 random bytes
/// overwritten, (d) random bytes of random length, alone and behind a prefix of `valid` (so headers parse). Each
/// must throw a CodecError or return at most `limit` bytes (see `expect`).
func fuzzMutations(
    valid: [UInt8], limit: Int, seeds: Int, expect: Expectation = .boundedOnly,
    _ decode: ([UInt8]) throws(CodecError) -> [UInt8]
) -> FuzzTally {
    var tally = FuzzTally()
    var rng = SplitMix64(seed: 0xF0CC_0000 &+ UInt64(valid.count))
    let sameAsOriginal: ([UInt8]) -> Bool = { out in
        switch expect {
        case .boundedOnly: true
        case .checksummed(let original): out == original
        case .checksummedChunks(let original): out == original || out.count < original.count
        }
    }
    for seed in 0 ..< seeds {
        if !valid.isEmpty {
            var flipped = valid
            for _ in 0 ... rng.below(8) { flipped[rng.below(flipped.count)] ^= 1 << UInt8(rng.below(8)) }
            check(flipped, "seed \(seed) bit flips", limit: limit, &tally, decode, sameAsOriginal)
            var overwritten = valid
            for _ in 0 ... rng.below(4) {
                overwritten[rng.below(overwritten.count)] = UInt8(truncatingIfNeeded: rng.next())
            }
            check(overwritten, "seed \(seed) overwritten bytes", limit: limit, &tally, decode, sameAsOriginal)
        }
        let noise = Samples.random(rng.below(600), seed: rng.next())
        check(noise, "seed \(seed) random bytes", limit: limit, &tally, decode) { _ in true }
        let prefix = Array(valid.prefix(rng.below(min(valid.count, 32) + 1)))
        check(prefix + noise, "seed \(seed) header + random bytes", limit: limit, &tally, decode) { _ in true }
    }
    return tally
}

private func check(
    _ input: [UInt8], _ what: String, limit: Int, _ tally: inout FuzzTally,
    _ decode: ([UInt8]) throws(CodecError) -> [UInt8], _ acceptable: ([UInt8]) -> Bool
) {
    do throws(CodecError) {
        let out = try decode(input)
        tally.decoded += 1
        if out.count > limit { tally.violations.append("\(what): \(out.count) bytes > limit \(limit)") }
        if !acceptable(out) { tally.violations.append("\(what): decoded \(out.count) unexpected bytes") }
    } catch {
        tally.rejected += 1
        tally.kinds[error.kind, default: 0] += 1
        if error.message.isEmpty || error.codec.isEmpty { tally.violations.append("\(what): error without text") }
    }
}

/// Runs `body`, which must throw; returns the error (nil, recorded as a failure, if it did not throw).
func expectCodecError<R>(
    _ kind: CodecError.Kind, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws(CodecError) -> R
) -> CodecError? {
    do throws(CodecError) {
        let result = try body()
        Issue.record("expected a \(kind) error, got \(result)", sourceLocation: sourceLocation)
        return nil
    } catch {
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        return error
    }
}
