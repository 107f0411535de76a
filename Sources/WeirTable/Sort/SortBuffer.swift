#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import WeirColumnar
import WeirFileIO
import WeirPaimon
import WeirParquet

/// The write buffer of a primary-key writer (Java's `SortBufferWriteBuffer` over a `BinaryExternalSortBuffer`):
/// records are appended as they come (their sequence numbers already assigned), kept in memory below
/// `write-buffer-size`, and when the buffer is full either sorted and spilled to a scratch directory as one sorted
/// run (`write-buffer-spillable`, the default) or refused (``append(_:)`` returns false: the caller flushes).
/// ``sortedRuns()`` gives the in-memory rows sorted by (key bytes, order bytes, sequence number, retract before
/// add) plus every spilled run, for one ``KWayMerge``.
///
/// Spilled runs are Parquet files (uncompressed-fast LZ4, one row group per chunk) holding the encoded keys next to
/// the values, so reading them back re-encodes nothing. The scratch directory is removed by ``close()`` (or, as a
/// last resort, when the buffer is dropped). Not for concurrent use.
public final class SortBuffer {
    public let valueType: RowType
    public let keyEncoder: SortKeyEncoder
    public let keyColumns: [Int]
    public let orderEncoder: SortKeyEncoder?
    public let orderColumns: [Int]
    /// The most bytes held in memory (an estimate from the column buffers and the keys).
    public let memoryLimit: Int
    public let spillable: Bool
    /// Rows per chunk of a sorted run.
    public let chunkRows: Int
    public let scratchDirectory: StoragePath

    private let io = LocalFileIO()
    /// The value batches rows were appended from (whole input batches: a row refers to its batch and row).
    private var sources: [ColumnBatch] = []
    private var keys = ByteStrings()
    private var orders: ByteStrings?
    private var sequences: [Int64] = []
    private var kinds: [RowKind] = []
    private var retracts: [UInt8] = []
    private var batchOf: [Int32] = []
    private var rowOf: [Int32] = []
    private var valueBytes = 0
    private var spills: [StoragePath] = []
    private var spillCounter = 0
    private var spilledRows = 0
    /// Whether the in-memory rows' sequence numbers rise strictly in append order (then equal keys are already
    /// in merge order by position).
    private var sequencesAscending = true
    private var closed = false

    /// - Parameters:
    ///   - valueType: the columns of the appended batches.
    ///   - keyColumns: indexes of the key columns in `valueType` (the trimmed primary key).
    ///   - orderColumns: indexes of the `sequence.field` columns, compared after the key (nulls first, descending
    ///     when `orderDescending`).
    ///   - scratchDirectory: where spills go (a fresh directory under the system's temporary directory when nil);
    ///     it is created on the first spill and removed with everything in it by ``close()``.
    public init(valueType: RowType, keyColumns: [Int], orderColumns: [Int] = [], orderDescending: Bool = false,
                memoryLimit: Int, spillable: Bool = true, scratchDirectory: StoragePath? = nil, chunkRows: Int = 4096) throws(TableError) {
        for i in keyColumns + orderColumns where !valueType.fields.indices.contains(i) {
            throw TableError(.invalidInput, "sort buffer", "column index \(i) is outside the \(valueType.fields.count) columns")
        }
        self.valueType = valueType
        self.keyColumns = keyColumns
        self.orderColumns = orderColumns
        keyEncoder = try SortKeyEncoder(types: keyColumns.map { valueType.fields[$0].type })
        let orderEncoder = try orderColumns.isEmpty ? nil
            : SortKeyEncoder(types: orderColumns.map { valueType.fields[$0].type }, descending: orderDescending)
        self.orderEncoder = orderEncoder
        if orderEncoder != nil { orders = ByteStrings() }
        self.memoryLimit = max(1, memoryLimit)
        self.spillable = spillable
        self.chunkRows = max(1, chunkRows)
        if let scratchDirectory {
            self.scratchDirectory = scratchDirectory
        } else {
            let base = FileManager.default.temporaryDirectory.path
            do {
                self.scratchDirectory = try StoragePath(parsingLocalOrURI: base, currentDirectory: "/")
                    .appending("weir-sort-" + UUID().uuidString.lowercased())
            } catch {
                throw TableError(.io, base, error.description)
            }
        }
    }

    /// A buffer for a primary-key table: keys = trimmed primary key, order = `sequence.field` (with
    /// `sequence.field.sort-order`), limit = `write-buffer-size`, `write-buffer-spillable`.
    public convenience init(schema: TableSchema, options: CoreOptions? = nil, scratchDirectory: StoragePath? = nil,
                            chunkRows: Int = 4096) throws(TableError) {
        let options = options ?? schema.coreOptions
        let type = schema.logicalRowType
        func index(_ name: String) throws(TableError) -> Int {
            guard let i = type.index(of: name) else { throw TableError(.invalidTable, "schema-\(schema.id)", "no column \(name)") }
            return i
        }
        var keyColumns: [Int] = []
        for name in schema.trimmedPrimaryKeys { keyColumns.append(try index(name)) }
        var orderColumns: [Int] = []
        for name in options.sequenceField() { orderColumns.append(try index(name)) }
        let descending: Bool
        let limit: Int64
        let spillable: Bool
        do {
            descending = try options.sequenceFieldSortOrder() == .descending
            limit = try options.writeBufferSize()
            spillable = try options.writeBufferSpillable()
        } catch {
            throw TableError(.invalidTable, error.subject, error.message)
        }
        try self.init(valueType: type, keyColumns: keyColumns, orderColumns: orderColumns, orderDescending: descending,
                      memoryLimit: Int(clamping: limit), spillable: spillable, scratchDirectory: scratchDirectory, chunkRows: chunkRows)
    }

    deinit {
        if !closed, !spills.isEmpty {
            try? FileManager.default.removeItem(atPath: scratchDirectory.localPath)
        }
    }

    /// Rows held in memory.
    public var memoryRowCount: Int { sequences.count }
    /// Rows held in memory and in spills.
    public var rowCount: Int { sequences.count + spilledRows }
    public var isEmpty: Bool { rowCount == 0 }
    /// How many sorted runs went to disk.
    public var spillCount: Int { spills.count }
    /// The estimated bytes in memory.
    public var memoryBytes: Int {
        valueBytes + keys.data.count + 4 * keys.offsets.count + (orders.map { $0.data.count + 4 * $0.offsets.count } ?? 0)
            + 17 * sequences.count
    }

    /// Takes `batch` (values with ``valueType``). Returns false, taking nothing, when the buffer is not spillable
    /// and the batch does not fit (an empty buffer takes any batch); spills when spillable and full.
    @discardableResult
    public func append(_ batch: KeyValueBatch) async throws(TableError) -> Bool {
        try await append(values: batch.values, rows: nil, sequenceNumbers: batch.sequenceNumbers, rowKinds: batch.rowKinds)
    }

    /// Takes rows `rows` of `values` (all rows when nil), with one sequence number and kind per taken row, without
    /// copying the values (the buffer keeps `values` and gathers the rows when it sorts them out). Returns false,
    /// taking nothing, like ``append(_:)``. The memory counted is what a copy of the taken rows would take, so a
    /// batch split among several buffers (one per bucket) is counted about once in all.
    @discardableResult
    public func append(values: ColumnBatch, rows: [Int32]?, sequenceNumbers: [Int64], rowKinds: [RowKind]) async throws(TableError) -> Bool {
        guard !closed else { throw TableError(.invalidInput, "sort buffer", "the buffer is closed") }
        guard values.schema.fields.map(\.type) == valueType.fields.map(\.type) else {
            throw TableError(.invalidInput, "sort buffer", "the batch's columns are not the buffer's")
        }
        let n = rows?.count ?? values.rowCount
        precondition(sequenceNumbers.count == n && rowKinds.count == n, "one sequence number and kind per row")
        guard n > 0 else { return true }
        // What a gathered copy of the taken rows would count (``KeyValueBatch/estimatedBytes``).
        let bytes = (rows.map { rows in values.columns.reduce(0) { $0 + $1.estimatedBytes(rows: rows) } } ?? values.estimatedBytes) + 9 * n
        if !spillable, sequences.count > 0, memoryBytes + bytes + 40 * n > memoryLimit { return false }
        let b = Int32(sources.count)
        sources.append(values)
        valueBytes += bytes
        func columns(_ indexes: [Int]) -> [Column] {
            guard let rows else { return indexes.map { values.columns[$0] } }
            return indexes.map { BatchGather.take(values.columns[$0], rows: rows) }
        }
        keyEncoder.encode(columns: columns(keyColumns), into: &keys)
        if let orderEncoder {
            orderEncoder.encode(columns: columns(orderColumns), into: &orders!)
        }
        if sequencesAscending {
            var last = sequences.last ?? .min
            for s in sequenceNumbers {
                if s <= last { sequencesAscending = false; break }
                last = s
            }
        }
        sequences.append(contentsOf: sequenceNumbers)
        kinds.append(contentsOf: rowKinds)
        retracts.append(contentsOf: rowKinds.map { $0.isRetract ? 1 : 0 })
        batchOf.append(contentsOf: repeatElement(b, count: n))
        if let rows {
            rowOf.append(contentsOf: rows)
        } else {
            rowOf.append(contentsOf: (0..<Int32(n)))
        }
        if spillable, memoryBytes > memoryLimit {
            try await spill()
        }
        return true
    }

    /// The sorted runs of everything appended: spilled runs, then the in-memory rows. Read them before appending
    /// more or clearing.
    public func sortedRuns() async throws(TableError) -> [SortedRun] {
        var runs: [SortedRun] = []
        for path in spills { runs.append(try await spillRun(path)) }
        if !sequences.isEmpty {
            let order = sortedOrder()
            let state = MemoryRunState(buffer: self, order: order)
            runs.append(SortedRun { () throws(TableError) -> SortedChunk? in state.next() })
        }
        return runs
    }

    /// Forgets every row and deletes the spilled runs (after a flush); the buffer can be used again.
    public func clear() async {
        resetMemory()
        for path in spills { _ = try? await io.delete(path, recursive: false) }
        spills = []
        spilledRows = 0
    }

    /// Clears the buffer and removes the scratch directory.
    public func close() async {
        await clear()
        if !closed {
            closed = true
            _ = try? await io.delete(scratchDirectory, recursive: true)
        }
    }

    private func resetMemory() {
        sources = []
        keys = ByteStrings()
        orders = orderEncoder == nil ? nil : ByteStrings()
        sequences = []
        sequencesAscending = true
        kinds = []
        retracts = []
        batchOf = []
        rowOf = []
        valueBytes = 0
    }

    // MARK: sorting

    struct Entry {
        var prefix: UInt64
        var index: Int32
    }

    /// The buffered rows' indexes in merge order.
    func sortedOrder() -> [Int32] {
        let n = sequences.count
        if let width = keyEncoder.fixedLength, width <= 8, orders == nil, sequencesAscending, n < Int(Int32.max) {
            return radixOrder(keyWidth: width)
        }
        var entries = [Entry](repeating: Entry(prefix: 0, index: 0), count: n)
        keys.offsets.withUnsafeBufferPointer { keyOffsets in
            keys.data.withUnsafeBufferPointer { keyData in
                for i in 0..<n {
                    let start = Int(keyOffsets[i]), length = Int(keyOffsets[i + 1]) - start
                    var v: UInt64 = 0
                    if length >= 8 {
                        v = UInt64(bigEndian: UnsafeRawPointer(keyData.baseAddress! + start).loadUnaligned(as: UInt64.self))
                    } else {
                        for j in 0..<length { v |= UInt64(keyData[start + j]) << (56 - 8 * UInt64(j)) }
                    }
                    entries[i] = Entry(prefix: v, index: Int32(i))
                }
                let emptyOffsets: [Int32] = [0]
                let emptyData: [UInt8] = []
                let orderOffsetsArray = orders?.offsets ?? emptyOffsets
                let orderDataArray = orders?.data ?? emptyData
                let hasOrders = orders != nil
                orderOffsetsArray.withUnsafeBufferPointer { orderOffsets in
                    orderDataArray.withUnsafeBufferPointer { orderData in
                        sequences.withUnsafeBufferPointer { seq in
                            retracts.withUnsafeBufferPointer { retract in
                                entries.withUnsafeMutableBufferPointer { e in
                                    e.sort { x, y in
                                        if x.prefix != y.prefix { return x.prefix < y.prefix }
                                        let a = Int(x.index), b = Int(y.index)
                                        let aStart = Int(keyOffsets[a]), bStart = Int(keyOffsets[b])
                                        let c = compareKeyBytes(keyData.baseAddress.map { $0 + aStart }, Int(keyOffsets[a + 1]) - aStart,
                                                                keyData.baseAddress.map { $0 + bStart }, Int(keyOffsets[b + 1]) - bStart)
                                        if c != 0 { return c < 0 }
                                        if hasOrders {
                                            let oa = Int(orderOffsets[a]), ob = Int(orderOffsets[b])
                                            let o = compareKeyBytes(orderData.baseAddress.map { $0 + oa }, Int(orderOffsets[a + 1]) - oa,
                                                                    orderData.baseAddress.map { $0 + ob }, Int(orderOffsets[b + 1]) - ob)
                                            if o != 0 { return o < 0 }
                                        }
                                        if seq[a] != seq[b] { return seq[a] < seq[b] }
                                        if retract[a] != retract[b] { return retract[a] > retract[b] }
                                        return a < b
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return entries.map(\.index)
    }

    /// ``sortedOrder()`` for keys of one fixed width ≤ 8 bytes and rising sequence numbers: a stable LSD radix
    /// sort of the keys read as big-endian numbers (their byte order), one pass per key byte that varies, so
    /// equal keys keep their append (= sequence) order.
    func radixOrder(keyWidth: Int) -> [Int32] {
        let n = sequences.count
        var values = [UInt64](repeating: 0, count: n)
        keys.data.withUnsafeBytes { data in
            for i in 0..<n {
                var v: UInt64 = 0
                let start = i * keyWidth
                for j in 0..<keyWidth { v = v << 8 | UInt64(data[start + j]) }
                values[i] = v
            }
        }
        var order = (0..<Int32(n)).map { $0 }
        var nextValues = [UInt64](repeating: 0, count: n)
        var nextOrder = [Int32](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 256)
        for pass in 0..<keyWidth {
            let shift = UInt64(8 * pass)
            for i in 0..<256 { counts[i] = 0 }
            for v in values { counts[Int((v >> shift) & 0xFF)] += 1 }
            if counts.contains(n) { continue }  // every key has this byte: nothing to order
            var total = 0
            for i in 0..<256 {
                let c = counts[i]
                counts[i] = total
                total += c
            }
            values.withUnsafeBufferPointer { values in
                order.withUnsafeBufferPointer { order in
                    nextValues.withUnsafeMutableBufferPointer { nextValues in
                        nextOrder.withUnsafeMutableBufferPointer { nextOrder in
                            counts.withUnsafeMutableBufferPointer { counts in
                                for i in 0..<n {
                                    let v = values[i]
                                    let d = Int((v >> shift) & 0xFF)
                                    let at = counts[d]
                                    counts[d] = at + 1
                                    nextValues[at] = v
                                    nextOrder[at] = order[i]
                                }
                            }
                        }
                    }
                }
            }
            swap(&values, &nextValues)
            swap(&order, &nextOrder)
        }
        return order
    }

    /// Whether buffered rows `a` and `b` have the same key (the primary key; not the order columns).
    func sameKey(_ a: Int32, _ b: Int32) -> Bool {
        keys.offsets.withUnsafeBufferPointer { offsets in
            keys.data.withUnsafeBufferPointer { data in
                let aStart = Int(offsets[Int(a)]), bStart = Int(offsets[Int(b)])
                let aLength = Int(offsets[Int(a) + 1]) - aStart, bLength = Int(offsets[Int(b) + 1]) - bStart
                return aLength == bLength && (aLength == 0 || memcmp(data.baseAddress! + aStart, data.baseAddress! + bStart, aLength) == 0)
            }
        }
    }

    /// The kind of buffered row `i`.
    func rowKind(_ i: Int32) -> RowKind { kinds[Int(i)] }

    /// Whether every row is in memory (nothing was spilled).
    var inMemoryOnly: Bool { spills.isEmpty }

    /// The buffered rows `indexes`, in that order, as one batch.
    func gather<C: Collection<Int32>>(_ indexes: C) -> KeyValueBatch {
        let sourceIndexes = indexes.map { batchOf[Int($0)] }
        let rows = indexes.map { rowOf[Int($0)] }
        let values = BatchGather.gather(sources, schema: sources.first?.schema ?? valueType, sources: sourceIndexes, rows: rows)
        return KeyValueBatch(sequenceNumbers: indexes.map { sequences[Int($0)] }, rowKinds: indexes.map { kinds[Int($0)] }, values: values)
    }

    /// The chunk of the buffered rows `order[range]`.
    func chunk(_ order: ArraySlice<Int32>) -> SortedChunk {
        let batch = gather(order)
        let indexes = Array(order)
        let chunkKeys = BatchGather.gatherBytes([keys], sources: [Int32](repeating: 0, count: indexes.count), rows: indexes)
        let chunkOrders = orders.map { BatchGather.gatherBytes([$0], sources: [Int32](repeating: 0, count: indexes.count), rows: indexes) }
        return SortedChunk(batch: batch, keys: chunkKeys, orders: chunkOrders)
    }

    final class MemoryRunState {
        let buffer: SortBuffer
        let order: [Int32]
        var position = 0
        init(buffer: SortBuffer, order: [Int32]) {
            self.buffer = buffer
            self.order = order
        }
        func next() -> SortedChunk? {
            guard position < order.count else { return nil }
            let end = min(order.count, position + buffer.chunkRows)
            defer { position = end }
            return buffer.chunk(order[position..<end])
        }
    }

    // MARK: spilling

    var spillType: RowType {
        var fields: [DataField] = [
            DataField(id: Int(Int32.max) - 10, name: "k", type: DataType(.varbinary(length: DataType.lengthMax), nullable: false)),
        ]
        if orderEncoder != nil {
            fields.append(DataField(id: Int(Int32.max) - 11, name: "o", type: DataType(.varbinary(length: DataType.lengthMax), nullable: false)))
        }
        fields.append(DataField(id: Int(Int32.max) - 12, name: "s", type: DataType(.bigint, nullable: false)))
        fields.append(DataField(id: Int(Int32.max) - 13, name: "r", type: DataType(.tinyint, nullable: false)))
        for (i, field) in valueType.fields.enumerated() {
            fields.append(DataField(id: field.id, name: "c\(i)", type: field.type))
        }
        return RowType(fields)
    }

    /// Sorts the in-memory rows and writes them as one run.
    private func spill() async throws(TableError) {
        let order = sortedOrder()
        let path: StoragePath
        do {
            path = try scratchDirectory.appending("spill-\(spillCounter).parquet")
        } catch {
            throw TableError(.io, scratchDirectory.description, error.description)
        }
        spillCounter += 1
        let type = spillType
        let name = path.description
        let file: any WritableFile
        do {
            try await io.mkdirs(scratchDirectory)
            file = try await io.create(path, overwrite: true)
        } catch {
            throw tableError(error, file: name, writing: true)
        }
        let writer: ParquetFileWriter
        do {
            writer = try ParquetFileWriter(file: file, schema: type, options: ParquetWriteOptions(
                compression: .lz4Raw, rowGroupBytes: Int.max / 4, dictionary: false, statistics: false))
        } catch {
            await file.abort()
            throw tableError(error, file: name, writing: true)
        }
        do {
            var start = 0
            while start < order.count {
                let end = min(order.count, start + chunkRows)
                let c = chunk(order[start..<end])
                var columns: [Column] = [Column(type: type.fields[0].type, validity: nil, values: .bytes(c.keys))]
                if let o = c.orders { columns.append(Column(type: type.fields[1].type, validity: nil, values: .bytes(o))) }
                columns.append(Column(type: DataType(.bigint, nullable: false), validity: nil, values: .int64(c.batch.sequenceNumbers)))
                columns.append(Column(type: DataType(.tinyint, nullable: false), validity: nil, values: .int8(c.batch.rowKinds.map(\.rawValue))))
                columns += c.batch.values.columns
                try await writer.write(ColumnBatch(schema: type, columns: columns))
                try await writer.finishRowGroup()
                start = end
            }
            _ = try await writer.close()
        } catch {
            await writer.abort()
            throw tableError(error, file: name, writing: true)
        }
        spills.append(path)
        spilledRows += order.count
        resetMemory()
    }

    /// A spilled run read back row group by row group.
    private func spillRun(_ path: StoragePath) async throws(TableError) -> SortedRun {
        let name = path.description
        let reader: ParquetFileReader
        do {
            reader = try await ParquetFileReader.open(io: io, path: path)
        } catch {
            throw tableError(error, file: name)
        }
        let state = SpillRunState(reader: reader, groups: reader.rowGroups.count, valueType: valueType,
                                  hasOrders: orderEncoder != nil, name: name)
        return SortedRun { () async throws(TableError) -> SortedChunk? in try await state.next() }
    }

    final class SpillRunState {
        let reader: ParquetFileReader
        let groups: Int
        let valueType: RowType
        let hasOrders: Bool
        let name: String
        var group = 0

        init(reader: ParquetFileReader, groups: Int, valueType: RowType, hasOrders: Bool, name: String) {
            self.reader = reader
            self.groups = groups
            self.valueType = valueType
            self.hasOrders = hasOrders
            self.name = name
        }

        func next() async throws(TableError) -> SortedChunk? {
            guard group < groups else {
                await reader.close()
                return nil
            }
            let batch: ColumnBatch
            do {
                batch = try await reader.read(rowGroup: group)
            } catch {
                await reader.close()
                throw tableError(error, file: name)
            }
            group += 1
            var c = 0
            func bytes(_ column: Column) throws(TableError) -> ByteStrings {
                guard case .bytes(let s) = column.values else { throw TableError(.corrupt, name, "spilled keys are not bytes") }
                return s
            }
            let keys = try bytes(batch.columns[c]); c += 1
            var orders: ByteStrings?
            if hasOrders { orders = try bytes(batch.columns[c]); c += 1 }
            guard case .int64(let sequences) = batch.columns[c].values else { throw TableError(.corrupt, name, "spilled sequence numbers") }
            c += 1
            guard case .int8(let kindBytes) = batch.columns[c].values else { throw TableError(.corrupt, name, "spilled row kinds") }
            c += 1
            var kinds: [RowKind] = []
            kinds.reserveCapacity(kindBytes.count)
            for k in kindBytes {
                guard let kind = RowKind(rawValue: k) else { throw TableError(.corrupt, name, "spilled row kind \(k)") }
                kinds.append(kind)
            }
            var values: [Column] = []
            for (i, field) in valueType.fields.enumerated() {
                values.append(try ColumnCast.cast(batch.columns[c + i], to: field.type, context: "\(name), column \(field.name)"))
            }
            let kv = KeyValueBatch(sequenceNumbers: sequences, rowKinds: kinds, values: ColumnBatch(schema: valueType, columns: values))
            return SortedChunk(batch: kv, keys: keys, orders: orders)
        }
    }
}

extension Column {
    /// ``estimatedBytes`` of the column `BatchGather.take(self, rows:)` would make, without making it (flat
    /// types exactly; nested ones as the rows' share of this column's bytes).
    func estimatedBytes(rows: [Int32]) -> Int {
        let n = rows.count
        var validityBytes = 0
        if let validity, rows.contains(where: { !validity[Int($0)] }) { validityBytes = (n + 7) / 8 }
        switch values {
        case .boolean: return validityBytes + (n + 7) / 8
        case .int8: return validityBytes + n
        case .int16: return validityBytes + 2 * n
        case .int32, .float32: return validityBytes + 4 * n
        case .int64, .float64: return validityBytes + 8 * n
        case .int128: return validityBytes + 16 * n
        case .bytes(let strings):
            var data = 0
            strings.offsets.withUnsafeBufferPointer { offsets in
                for row in rows { data += Int(offsets[Int(row) + 1] - offsets[Int(row)]) }
            }
            return validityBytes + 4 * (n + 1) + data
        case .list, .map, .row:
            return Int((Double(estimatedBytes) * Double(n) / Double(max(1, count))).rounded(.up))
        }
    }
}
