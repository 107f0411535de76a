import WeirFileIO

/// One data block of a container file, decompressed: `recordCount` records in `data`.
public struct AvroBlock: Sendable {
    /// 0 for the first block of the file.
    public var index: Int
    /// Where the block starts in the file (its record count).
    public var offset: Int64
    public var recordCount: Int
    /// Bytes of the block's data as stored (compressed).
    public var storedBytes: Int
    /// The serialized records, decompressed.
    public var data: [UInt8]
}

/// Reads a container file header and then its blocks one by one through a ``ReadableFile``, holding at most one
/// read chunk (``chunkBytes``) plus the current block in memory, whatever the file's size.
///
/// Checks, each an ``AvroError`` naming the file, the block and its offset: the header (see
/// ``AvroContainerHeader``), block record counts ≥ 0, block sizes ≥ 0 and within ``AvroLimits/blockBytesMax``
/// and the file, the sync marker after every block, the decompressed size within
/// ``AvroLimits/blockUncompressedBytesMax``, and that the file ends exactly after a block. I/O failures are the
/// FileIO's own ``FileIOError``s.
final class AvroBlockSource {
    static let chunkBytes = 1 << 20

    let file: any ReadableFile
    let name: String
    let size: Int64
    let limits: AvroLimits
    private(set) var header: AvroContainerHeader!
    private var buffer: [UInt8] = []
    private var bufferStart: Int64 = 0
    private(set) var nextOffset: Int64 = 0
    private(set) var blockIndex = 0

    init(file: any ReadableFile, limits: AvroLimits) {
        self.file = file
        self.name = file.path.description
        self.size = file.size
        self.limits = limits
    }

    func fail(_ location: String, _ message: String) -> AvroError { AvroError(file: name, location: location, message) }

    /// Reads and parses the header.
    func readHeader() async throws {
        let first = Int(min(size, Int64(64 << 10)))
        var parsed = parseHeader(try await bytes(at: 0, count: first))
        if case .failure = parsed, Int64(first) < size {
            // A header longer than the first read: try once more with all the header may hold.
            let all = Int(min(size, Int64(limits.headerBytesMax)))
            if all > first { parsed = parseHeader(try await bytes(at: 0, count: all)) }
        }
        let header = try parsed.get()
        self.header = header
        nextOffset = Int64(header.byteCount)
    }

    private func parseHeader(_ bytes: [UInt8]) -> Result<AvroContainerHeader, AvroError> {
        Result { () throws(AvroError) -> AvroContainerHeader in
            try withAvroBytes(bytes) { (raw) throws(AvroError) in try AvroContainerHeader.parse(raw, limits: limits, file: name) }
        }
    }

    /// The block header at `start`: record count, stored size and the bytes the two varints take.
    private func parseBlockHeader(_ head: [UInt8], start: Int64) -> Result<(Int64, Int64, Int), AvroError> {
        Result { () throws(AvroError) -> (Int64, Int64, Int) in
            try withAvroBytes(head) { (raw) throws(AvroError) -> (Int64, Int64, Int) in
                var cursor = AvroCursor(raw, origin: Int(start))
                let count = try cursor.long()
                let stored = try cursor.long()
                return (count, stored, cursor.offset)
            }
        }
    }

    /// The next block (decompressed), or nil at the end of the file.
    func nextBlock() async throws -> AvroBlock? {
        guard nextOffset < size else { return nil }
        let start = nextOffset
        let location = "block \(blockIndex) at byte \(start)"
        // Two varints: at most 20 bytes.
        let head = try await bytes(at: start, count: Int(min(20, size - start)))
        let count: Int64, stored: Int64, headBytes: Int
        switch parseBlockHeader(head, start: start) {
        case .success(let parsed): (count, stored, headBytes) = parsed
        case .failure(let error): throw fail(location, "block header: \(error.message)")
        }
        guard count >= 0 else { throw fail(location, "negative record count \(count)") }
        guard stored >= 0 else { throw fail(location, "negative block size \(stored)") }
        guard stored <= Int64(limits.blockBytesMax) else {
            throw fail(location, "block of \(stored) bytes is over the limit of \(limits.blockBytesMax)")
        }
        let dataStart = start + Int64(headBytes)
        guard stored + Int64(AvroContainerHeader.syncBytes) <= size - dataStart else {
            throw fail(location, "block of \(stored) bytes and its sync marker run past the end of the file (\(size) bytes)")
        }
        let data = try await bytes(at: dataStart, count: Int(stored))
        let sync = try await bytes(at: dataStart + stored, count: AvroContainerHeader.syncBytes)
        guard sync == header.sync else {
            throw fail(location, "the sync marker after the block does not match the header's")
        }
        let decompressed: [UInt8]
        switch Result(catching: { () throws(AvroError) in try header.codec.decompress(data, uncompressedBytesMax: limits.blockUncompressedBytesMax) }) {
        case .success(let bytes): decompressed = bytes
        case .failure(let error): throw fail(location, error.message)
        }
        nextOffset = dataStart + stored + Int64(AvroContainerHeader.syncBytes)
        let block = AvroBlock(index: blockIndex, offset: start, recordCount: Int(clamping: count), storedBytes: Int(stored), data: decompressed)
        blockIndex += 1
        return block
    }

    /// `count` bytes at `offset` (fewer only at the end of the file), from the buffer when it holds them; otherwise
    /// one read of at least ``chunkBytes`` replaces the buffer, or a read of exactly `count` when that is larger.
    func bytes(at offset: Int64, count: Int) async throws -> [UInt8] {
        let end = offset + Int64(count)
        if offset >= bufferStart, end <= bufferStart + Int64(buffer.count) {
            let from = Int(offset - bufferStart)
            return Array(buffer[from..<(from + count)])
        }
        if count >= Self.chunkBytes {
            let direct = try await file.read(at: offset, count: count)
            guard direct.count == count else {
                throw fail("byte \(offset)", "the file ended after \(direct.count) of \(count) bytes")
            }
            return direct
        }
        buffer = try await file.read(at: offset, count: Self.chunkBytes)
        bufferStart = offset
        guard buffer.count >= count else {
            throw fail("byte \(offset)", "the file ended after \(buffer.count) of \(count) bytes")
        }
        return Array(buffer[0..<count])
    }
}
