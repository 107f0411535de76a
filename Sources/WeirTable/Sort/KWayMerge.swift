#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WeirColumnar
import WeirPaimon

/// A piece of a sorted run: records in merge order with their normalised sort keys (``SortKeyEncoder``), one key
/// per row, and optionally the user sequence (`sequence.field`) keys.
public struct SortedChunk: Sendable {
    public var batch: KeyValueBatch
    /// One key per row of `batch`: the encoded trimmed primary key.
    public var keys: ByteStrings
    /// One key per row: the encoded `sequence.field` values, or nil when the table has none.
    public var orders: ByteStrings?

    public init(batch: KeyValueBatch, keys: ByteStrings, orders: ByteStrings? = nil) {
        precondition(keys.count == batch.rowCount, "one sort key per row")
        precondition(orders.map { $0.count == batch.rowCount } ?? true, "one order key per row")
        self.batch = batch
        self.keys = keys
        self.orders = orders
    }

    public var rowCount: Int { batch.rowCount }
}

/// A sorted run as the merge pulls it: chunk after chunk (a file read batch by batch, a spilled run, the in-memory
/// part of a write buffer), nil at the end. The chunks of one run together are sorted by (key, order, sequence
/// number, retract before add). Not for concurrent use: one merge reads it from one task.
public struct SortedRun {
    public let nextChunk: () async throws(TableError) -> SortedChunk?

    public init(_ nextChunk: @escaping () async throws(TableError) -> SortedChunk?) {
        self.nextChunk = nextChunk
    }

    /// A run held in memory.
    public static func chunks(_ chunks: [SortedChunk]) -> SortedRun {
        let state = ChunkListState(chunks)
        return SortedRun { () throws(TableError) -> SortedChunk? in state.next() }
    }

    /// A run made of key-value batches, encoding their keys (columns `keyColumns` of the values) and orders
    /// (columns `orderColumns`) as they are pulled.
    public static func encoding(
        _ next: @escaping () async throws(TableError) -> KeyValueBatch?, keyEncoder: SortKeyEncoder, keyColumns: [Int],
        orderEncoder: SortKeyEncoder? = nil, orderColumns: [Int] = []
    ) -> SortedRun {
        SortedRun { () async throws(TableError) -> SortedChunk? in
            guard let batch = try await next() else { return nil }
            return SortedChunk.encode(batch, keyEncoder: keyEncoder, keyColumns: keyColumns,
                                      orderEncoder: orderEncoder, orderColumns: orderColumns)
        }
    }
}

extension SortedChunk {
    /// Encodes the keys (and orders) of `batch`.
    public static func encode(_ batch: KeyValueBatch, keyEncoder: SortKeyEncoder, keyColumns: [Int],
                              orderEncoder: SortKeyEncoder? = nil, orderColumns: [Int] = []) -> SortedChunk {
        var keys = ByteStrings()
        keyEncoder.encode(columns: keyColumns.map { batch.values.columns[$0] }, into: &keys)
        var orders: ByteStrings?
        if let orderEncoder {
            var o = ByteStrings()
            orderEncoder.encode(columns: orderColumns.map { batch.values.columns[$0] }, into: &o)
            orders = o
        }
        return SortedChunk(batch: batch, keys: keys, orders: orders)
    }
}

final class ChunkListState {
    var chunks: [SortedChunk]
    var index = 0
    init(_ chunks: [SortedChunk]) { self.chunks = chunks }
    func next() -> SortedChunk? {
        guard index < chunks.count else { return nil }
        defer { index += 1 }
        let chunk = chunks[index]
        chunks[index] = SortedChunk(batch: KeyValueBatch(sequenceNumbers: [], rowKinds: [], values: ColumnBatch(schema: RowType([]), columns: [])),
                                    keys: ByteStrings())  // release it
        return chunk
    }
}

/// Records of several sorted runs in merge order, as positions into the chunks they came from (no value is
/// copied): record i is row `rows[i]` of `chunks[chunkIndexes[i]]`, taken from run `runs[i]`. Records of one key
/// form a group; a block always holds whole groups.
public struct MergedBlock: Sendable {
    /// The chunks the records point into.
    public internal(set) var chunks: [SortedChunk] = []
    /// For every record: the index of its chunk in ``chunks``.
    public internal(set) var chunkIndexes: [Int32] = []
    /// For every record: its row in that chunk.
    public internal(set) var rows: [Int32] = []
    /// For every record: the index of its run in the merge's input.
    public internal(set) var runs: [Int32] = []
    /// Where each key group starts, plus the record count at the end: group g is records
    /// `groupStarts[g]..<groupStarts[g + 1]`, in (order, sequence number, retract before add) order.
    public internal(set) var groupStarts: [Int32] = [0]

    public init() {}

    public var recordCount: Int { rows.count }
    public var groupCount: Int { groupStarts.count - 1 }

    /// The records of group `g`.
    public func group(_ g: Int) -> Range<Int> { Int(groupStarts[g])..<Int(groupStarts[g + 1]) }

    public func sequenceNumber(ofRecord i: Int) -> Int64 { chunks[Int(chunkIndexes[i])].batch.sequenceNumbers[Int(rows[i])] }
    public func rowKind(ofRecord i: Int) -> RowKind { chunks[Int(chunkIndexes[i])].batch.rowKinds[Int(rows[i])] }

    /// Gathers records (all when nil) into one batch with the values' schema.
    public func gather(records: [Int]? = nil) -> KeyValueBatch {
        if let records {
            return BatchGather.gather(chunks.map(\.batch), sources: records.map { chunkIndexes[$0] }, rows: records.map { rows[$0] })
        }
        return BatchGather.gather(chunks.map(\.batch), sources: chunkIndexes, rows: rows)
    }
}

/// One k-way merge of sorted runs with a loser tree, ordering records by (key bytes, order bytes, sequence number,
/// retract before add, run index) and handing them out in blocks of whole key groups (``MergedBlock``). Runs are
/// pulled a chunk at a time, so memory is one chunk per run plus the block. Used by reads, compaction and the
/// write buffer's spill merge. Not for concurrent use.
public final class KWayMerge {
    /// The least records a block holds before it ends at the next key boundary.
    public let blockRecords: Int
    private var sources: [SortedRun]
    // Cursors, heads and the tree live in raw memory: the per-record loop then touches no class-held array (no
    // exclusivity check, no uniqueness check per record).
    private let cursors: UnsafeMutablePointer<Cursor>
    private let heads: UnsafeMutablePointer<Head>
    private let tree: UnsafeMutablePointer<Int>
    private let k: Int
    private var started = false
    /// Key arenas of chunks finished during the current block (the last record's key may point into one).
    private var retired: [KeyArena] = []

    struct Head {
        var key: UnsafePointer<UInt8>? = nil
        var keyLength = 0
        var prefix: UInt64 = 0
        var order: UnsafePointer<UInt8>? = nil
        var orderLength = 0
        var sequence: Int64 = 0
        var retract = false
        var exhausted = true
    }

    struct Cursor {
        var chunk: SortedChunk?
        /// Owns the memory the pointers below point into.
        var arena: KeyArena?
        var keyData: UnsafeMutablePointer<UInt8>? = nil
        var keyOffsets: UnsafeMutablePointer<Int32>? = nil
        var orderData: UnsafeMutablePointer<UInt8>? = nil
        var orderOffsets: UnsafeMutablePointer<Int32>? = nil
        var sequences: UnsafeMutablePointer<Int64>? = nil
        var retracts: UnsafeMutablePointer<UInt8>? = nil
        var row = 0
        var count = 0
        /// Index of the current chunk in the block being built, or -1 when it is not in it yet.
        var slot: Int32 = -1
    }

    public init(runs: [SortedRun], blockRecords: Int = 4096) {
        self.sources = runs
        self.blockRecords = max(1, blockRecords)
        k = runs.count
        cursors = .allocate(capacity: max(1, runs.count))
        cursors.initialize(repeating: Cursor(), count: max(1, runs.count))
        heads = .allocate(capacity: max(1, runs.count))
        heads.initialize(repeating: Head(), count: max(1, runs.count))
        tree = .allocate(capacity: max(1, runs.count))
        tree.initialize(repeating: -1, count: max(1, runs.count))
    }

    deinit {
        heads.deinitialize(count: max(1, k))
        heads.deallocate()
        cursors.deinitialize(count: max(1, k))
        cursors.deallocate()
        tree.deinitialize(count: max(1, k))
        tree.deallocate()
    }

    /// The next block of whole key groups, or nil when every run is exhausted.
    public func nextBlock() async throws(TableError) -> MergedBlock? {
        if !started {
            started = true
            for r in 0..<k { try await load(r) }
            if k > 0 { tree[0] = build(1) }
        }
        guard k > 0 else { return nil }
        retired.removeAll(keepingCapacity: true)
        var block = MergedBlock()
        block.chunkIndexes.reserveCapacity(blockRecords)
        block.rows.reserveCapacity(blockRecords)
        block.runs.reserveCapacity(blockRecords)
        block.groupStarts = []
        for r in 0..<k {
            if let chunk = cursors[r].chunk {
                cursors[r].slot = Int32(block.chunks.count)
                block.chunks.append(chunk)
            } else {
                cursors[r].slot = -1
            }
        }
        var lastKey: UnsafePointer<UInt8>? = nil
        var lastLength = 0
        var lastPrefix: UInt64 = 0
        var count = 0
        while true {
            let w = tree[0]
            let head = heads[w]
            if head.exhausted { break }
            // Keys of up to 8 bytes are whole in their prefix.
            let newGroup = count == 0
                || head.keyLength != lastLength
                || head.prefix != lastPrefix
                || (lastLength > 8 && memcmp(head.key!, lastKey!, lastLength) != 0)
            if newGroup {
                if count >= blockRecords { break }
                block.groupStarts.append(Int32(count))
            }
            block.chunkIndexes.append(cursors[w].slot)
            block.rows.append(Int32(cursors[w].row))
            block.runs.append(Int32(w))
            count += 1
            lastKey = head.key
            lastLength = head.keyLength
            lastPrefix = head.prefix
            // Advance run w.
            cursors[w].row += 1
            if cursors[w].row < cursors[w].count {
                setHead(w)
            } else {
                if let arena = cursors[w].arena { retired.append(arena) }
                try await load(w)
                if cursors[w].chunk != nil {
                    cursors[w].slot = Int32(block.chunks.count)
                    block.chunks.append(cursors[w].chunk!)
                }
            }
            adjust(w)
        }
        if count == 0 { return nil }
        block.groupStarts.append(Int32(count))
        return block
    }

    /// Drains the merge: every remaining block.
    public func allBlocks() async throws(TableError) -> [MergedBlock] {
        var out: [MergedBlock] = []
        while let block = try await nextBlock() { out.append(block) }
        return out
    }

    // MARK: runs

    /// Loads the next non-empty chunk of run r (or marks it exhausted) and sets its head.
    private func load(_ r: Int) async throws(TableError) {
        while let chunk = try await sources[r].nextChunk() {
            if chunk.rowCount == 0 { continue }
            let arena = KeyArena(chunk)
            cursors[r].chunk = chunk
            cursors[r].arena = arena
            cursors[r].keyData = arena.keyData
            cursors[r].keyOffsets = arena.keyOffsets
            cursors[r].orderData = arena.orderData
            cursors[r].orderOffsets = arena.orderOffsets
            cursors[r].sequences = arena.sequences
            cursors[r].retracts = arena.retracts
            cursors[r].row = 0
            cursors[r].count = chunk.rowCount
            setHead(r)
            return
        }
        cursors[r] = Cursor()
        cursors[r].row = 0
        heads[r] = Head()
        sources[r] = SortedRun { () throws(TableError) -> SortedChunk? in nil }
    }

    @inline(__always)
    private func setHead(_ r: Int) {
        // Raw pointers only: no reference counting per record.
        let row = cursors[r].row
        let keyOffsets = cursors[r].keyOffsets.unsafelyUnwrapped
        let start = Int(keyOffsets[row])
        let length = Int(keyOffsets[row + 1]) - start
        let key = UnsafePointer(cursors[r].keyData.unsafelyUnwrapped + start)
        var head = Head()
        head.key = key
        head.keyLength = length
        head.prefix = prefix(key, length)
        if let orderOffsets = cursors[r].orderOffsets, let orderData = cursors[r].orderData {
            let o = Int(orderOffsets[row])
            head.order = UnsafePointer(orderData + o)
            head.orderLength = Int(orderOffsets[row + 1]) - o
        }
        head.sequence = cursors[r].sequences.unsafelyUnwrapped[row]
        head.retract = cursors[r].retracts.unsafelyUnwrapped[row] != 0
        head.exhausted = false
        heads[r] = head
    }

    @inline(__always)
    private func prefix(_ p: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        if length >= 8 {
            return UInt64(bigEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        }
        var v: UInt64 = 0
        for i in 0..<length { v |= UInt64(p[i]) << (56 - 8 * UInt64(i)) }
        return v
    }

    // MARK: loser tree

    /// True when run a's head goes before run b's head.
    @inline(__always)
    private func less(_ a: Int, _ b: Int) -> Bool {
        let x = heads[a], y = heads[b]
        if x.exhausted { return false }
        if y.exhausted { return true }
        if x.prefix != y.prefix { return x.prefix < y.prefix }
        if x.keyLength != y.keyLength || x.keyLength > 8 {
            let c = compareKeyBytes(x.key, x.keyLength, y.key, y.keyLength)
            if c != 0 { return c < 0 }
        }
        if x.order != nil || y.order != nil {
            let o = compareKeyBytes(x.order, x.orderLength, y.order, y.orderLength)
            if o != 0 { return o < 0 }
        }
        if x.sequence != y.sequence { return x.sequence < y.sequence }
        if x.retract != y.retract { return x.retract }
        return a < b
    }

    /// Plays the tournament below internal node `node`, storing losers; returns the winner.
    private func build(_ node: Int) -> Int {
        if node >= k { return node - k }
        let left = build(2 * node)
        let right = build(2 * node + 1)
        if less(left, right) {
            tree[node] = right
            return left
        }
        tree[node] = left
        return right
    }

    /// Replays the path of leaf `r` after its head changed.
    @inline(__always)
    private func adjust(_ r: Int) {
        var winner = r
        var node = (r + k) >> 1
        while node > 0 {
            let loser = tree[node]
            if less(loser, winner) {
                tree[node] = winner
                winner = loser
            }
            node >>= 1
        }
        tree[0] = winner
    }
}

/// The keys, orders, sequence numbers and kinds of one chunk in memory the merge can point into.
final class KeyArena {
    let keyData: UnsafeMutablePointer<UInt8>
    let keyOffsets: UnsafeMutablePointer<Int32>
    let orderData: UnsafeMutablePointer<UInt8>?
    let orderOffsets: UnsafeMutablePointer<Int32>?
    let sequences: UnsafeMutablePointer<Int64>
    let retracts: UnsafeMutablePointer<UInt8>

    init(_ chunk: SortedChunk) {
        keyData = Self.copy(chunk.keys.data)
        keyOffsets = Self.copy(chunk.keys.offsets)
        if let orders = chunk.orders {
            orderData = Self.copy(orders.data)
            orderOffsets = Self.copy(orders.offsets)
        } else {
            orderData = nil
            orderOffsets = nil
        }
        sequences = Self.copy(chunk.batch.sequenceNumbers)
        let kinds = chunk.batch.rowKinds
        retracts = .allocate(capacity: max(1, kinds.count))
        for (i, kind) in kinds.enumerated() { retracts[i] = kind.isRetract ? 1 : 0 }
    }

    static func copy<T>(_ array: [T]) -> UnsafeMutablePointer<T> {
        let p = UnsafeMutablePointer<T>.allocate(capacity: max(1, array.count))
        array.withUnsafeBufferPointer { b in
            if let base = b.baseAddress { p.initialize(from: base, count: b.count) }
        }
        return p
    }

    deinit {
        keyData.deallocate()
        keyOffsets.deallocate()
        orderData?.deallocate()
        orderOffsets?.deallocate()
        sequences.deallocate()
        retracts.deallocate()
    }
}
