import WeirCodecs

/// The deleted row positions (0-based ordinals) of one data file, Paimon's `DeletionVector` in its two on-disk
/// variants (spec/paimon-format.md section 7.6):
///
/// - ``Format/bitmap32`` (`BitmapDeletionVector`, the default): positions up to 2³¹-1 in one 32-bit roaring bitmap;
///   data = magic 1581511376 as int32 **big-endian** + the portable bitmap (run-optimized, as Java writes it).
/// - ``Format/bitmap64`` (`Bitmap64DeletionVector`, `deletion-vectors.bitmap64=true`, Iceberg-compatible):
///   data = magic 1681511377 as int32 **little-endian**, int64 LE count of 32-bit bitmaps, then for each key
///   0..<count an int32 LE key and the portable (run-optimized) bitmap of the positions whose high 32 bits are the
///   key.
///
/// Both are framed as `int32 BE size | data | int32 BE CRC32(data)` in an index file. The index manifest's `f2`
/// (``DeletionVectorMeta/length``) is `size` for the 32-bit variant and the **whole** frame (`size + 8`) for the
/// 64-bit one; readers tell the variants apart by the magic.
public struct DeletionVector: Sendable, Hashable {
    public enum Format: Sendable, Hashable {
        case bitmap32
        case bitmap64
    }

    /// `BitmapDeletionVector.MAGIC_NUMBER`.
    public static let bitmap32Magic: UInt32 = 1_581_511_376
    /// `Bitmap64DeletionVector.MAGIC_NUMBER`.
    public static let bitmap64Magic: UInt32 = 1_681_511_377
    /// `RoaringBitmap32.MAX_VALUE`.
    public static let bitmap32MaxPosition = Int64(Int32.max)
    /// `OptimizedRoaringBitmap64.MAX_VALUE`: key 2³¹-2, low half 2³¹.
    public static let bitmap64MaxPosition = Int64(Int32.max - 1) << 32 | 0x8000_0000

    public let format: Format
    /// Non-empty bitmaps by the high 32 bits of their positions (only key 0 in the 32-bit variant).
    private var bitmaps: [UInt32: RoaringBitmap32]

    public init(format: Format = .bitmap32) {
        self.format = format
        bitmaps = [:]
    }

    /// A vector holding `positions`.
    public init<S: Sequence>(format: Format = .bitmap32, positions: S) throws(TableError) where S.Element == Int64 {
        self.init(format: format)
        for position in positions { try delete(position) }
    }

    /// A 32-bit vector over `bitmap`.
    public init(bitmap: RoaringBitmap32) {
        format = .bitmap32
        bitmaps = bitmap.isEmpty ? [:] : [0: bitmap]
    }

    public var maxPosition: Int64 { format == .bitmap32 ? Self.bitmap32MaxPosition : Self.bitmap64MaxPosition }

    /// Marks `position` deleted; true when it was not yet (Java's `checkedDelete`). A position the variant cannot
    /// hold is an `invalidInput` error.
    @discardableResult
    public mutating func delete(_ position: Int64) throws(TableError) -> Bool {
        guard position >= 0, position <= maxPosition else {
            throw TableError(.invalidInput, "deletion vector",
                             "row position \(position) is outside 0...\(maxPosition) (\(format == .bitmap32 ? "use 'deletion-vectors.bitmap64' for files of more than 2147483647 rows" : "64-bit deletion vector"))")
        }
        return bitmaps[UInt32(position >> 32), default: RoaringBitmap32()].insert(UInt32(truncatingIfNeeded: position))
    }

    public func isDeleted(_ position: Int64) -> Bool {
        guard position >= 0, let bitmap = bitmaps[UInt32(truncatingIfNeeded: position >> 32)] else { return false }
        return bitmap.contains(UInt32(truncatingIfNeeded: position))
    }

    public var isEmpty: Bool { bitmaps.isEmpty }

    /// The number of deleted positions (`_CARDINALITY`).
    public var cardinality: Int64 { bitmaps.values.reduce(0) { $0 + Int64($1.cardinality) } }

    /// Every deleted position of `other` is deleted here too (Java's `merge`); positions this variant cannot
    /// hold are an `invalidInput` error and change nothing.
    public mutating func merge(_ other: DeletionVector) throws(TableError) {
        for (key, bitmap) in other.bitmaps where Int64(key) << 32 | Int64(bitmap.maximum ?? 0) > maxPosition {
            throw TableError(.invalidInput, "deletion vector", "cannot merge positions beyond \(maxPosition) into a \(format) vector")
        }
        for (key, bitmap) in other.bitmaps { bitmaps[key, default: RoaringBitmap32()].formUnion(bitmap) }
    }

    /// The deleted positions, ascending.
    public var positions: [Int64] {
        var out: [Int64] = []
        out.reserveCapacity(Int(cardinality))
        for key in bitmaps.keys.sorted() {
            let high = Int64(key) << 32
            for low in bitmaps[key]!.values { out.append(high | Int64(low)) }
        }
        return out
    }

    // MARK: serialization

    /// The framed vector (`size | data | CRC`) and the value of `f2` for it.
    public func serialized() -> (bytes: [UInt8], length: Int32) {
        var data = ByteWriter()
        switch format {
        case .bitmap32:
            data.putU32BE(Self.bitmap32Magic)
            (bitmaps[0] ?? RoaringBitmap32()).serialize(into: &data, runOptimize: true)
        case .bitmap64:
            data.putU32LE(Self.bitmap64Magic)
            let count = (bitmaps.keys.max().map { Int($0) + 1 }) ?? 0
            data.putU64LE(UInt64(count))
            for key in 0..<count {
                data.putU32LE(UInt32(key))
                (bitmaps[UInt32(key)] ?? RoaringBitmap32()).serialize(into: &data, runOptimize: true)
            }
        }
        let bytes = data.bytes
        var out = ByteWriter(capacity: bytes.count + 8)
        out.putU32BE(UInt32(bytes.count))
        for byte in bytes { out.putU8(byte) }
        out.putU32BE(CRC32.checksum(bytes))
        let length = format == .bitmap32 ? bytes.count : bytes.count + 8
        return (out.bytes, Int32(clamping: length))
    }

    /// Reads the framed vector at `offset` of `bytes` (an index file's content), checking the size against `length`
    /// (`f2`, nil when unknown) by the variant's rule, the CRC and the bitmap. Problems are `corrupt` errors naming
    /// `subject`.
    public static func deserialize(_ bytes: [UInt8], offset: Int, length: Int?, subject: String) throws(TableError) -> DeletionVector {
        func fail(_ message: String) -> TableError { TableError(.corrupt, subject, "deletion vector at byte \(offset): \(message)") }
        guard offset >= 0, offset <= bytes.count - 8 else { throw fail("outside the \(bytes.count)-byte file") }
        func be32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 << 8 | UInt32(bytes[at + $1]) } }
        let size = Int(be32(offset))
        let magicBE = be32(offset + 4)
        let magicLE = magicBE.byteSwapped
        let format: Format
        if magicBE == bitmap32Magic {
            format = .bitmap32
            if let length, length != size { throw fail("its size is \(size) bytes but the index manifest says \(length)") }
        } else if magicLE == bitmap64Magic {
            format = .bitmap64
            if let length, length != size + 8 { throw fail("its size is \(size) bytes (\(size + 8) framed) but the index manifest says \(length)") }
        } else {
            throw fail("unknown magic \(Int32(bitPattern: magicBE)) (expected \(bitmap32Magic) big-endian or \(bitmap64Magic) little-endian)")
        }
        guard size >= 4, size <= bytes.count - offset - 8 else { throw fail("size \(size) does not fit the \(bytes.count)-byte file") }
        let data = Array(bytes[(offset + 4)..<(offset + 4 + size)])
        let stored = be32(offset + 4 + size)
        let computed = CRC32.checksum(data)
        guard stored == computed else {
            throw fail("CRC32 mismatch (stored \(String(stored, radix: 16)), computed \(String(computed, radix: 16)))")
        }
        do throws(RoaringFormatError) {
            switch format {
            case .bitmap32:
                let (bitmap, end) = try RoaringBitmap32.deserialize(data, at: 4)
                guard end == data.count else { throw RoaringFormatError(offset: end - 4, "\(data.count - end) bytes after the bitmap") }
                return DeletionVector(bitmap: bitmap)
            case .bitmap64:
                var vector = DeletionVector(format: .bitmap64)
                var reader = RoaringBitmap32.Reader(bytes: data, start: 4)
                let count = try reader.u64()
                // Each bitmap takes at least a key and an empty bitmap (4 + 8 bytes).
                guard count <= UInt64(Int32.max), Int(count) <= (data.count - reader.position) / 12 else {
                    throw RoaringFormatError(offset: 0, "\(count) bitmaps cannot fit in \(data.count - reader.position) bytes")
                }
                var lastKey: Int64 = -1
                for _ in 0..<Int(count) {
                    let keyAt = reader.relative
                    let key = Int64(Int32(bitPattern: try reader.u32()))
                    guard key >= 0, key <= Int64(Int32.max - 1), key > lastKey else {
                        throw RoaringFormatError(offset: keyAt, "bitmap key \(key) is negative, too large or not ascending")
                    }
                    lastKey = key
                    let (bitmap, end) = try RoaringBitmap32.deserialize(data, at: reader.position)
                    reader.position = end
                    if !bitmap.isEmpty {
                        if key == Int64(Int32.max - 1), let top = bitmap.maximum, top > 0x8000_0000 {
                            throw RoaringFormatError(offset: keyAt, "position beyond \(bitmap64MaxPosition)")
                        }
                        vector.bitmaps[UInt32(key)] = bitmap
                    }
                }
                guard reader.position == data.count else {
                    throw RoaringFormatError(offset: reader.relative, "\(data.count - reader.position) bytes after the bitmaps")
                }
                return vector
            }
        } catch {
            throw fail(error.description)
        }
    }
}
