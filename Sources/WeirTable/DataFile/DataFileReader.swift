import WeirColumnar
import WeirFileIO
import WeirPaimon

/// Reads data files of a table in the table's current schema (spec/paimon-format.md sections 7.1, 7.4, 8, 10.2,
/// 10.3), batch by batch:
///
/// - the format comes from the file name's extension;
/// - every wanted column of the current schema is found in the file's schema (the one of `_SCHEMA_ID`) **by field
///   id**, then in the file by that schema's name (Java reads Parquet by name; pypaimon writes no field ids, Avro has
///   none): renamed columns are found, dropped ones are not read, added ones read as null, and values are converted
///   to the current type (``ColumnCast``: widened integers and floats, decimal precision, timestamp units, …);
/// - only the needed physical columns are decoded; the `_KEY_*` columns are never read (keys come from the value
///   columns, as Java ≥ 1.0 does), so thin-mode files and files with `_KEY_*` read alike;
/// - primary-key files must have `_SEQUENCE_NUMBER` and `_VALUE_KIND` (INT8 from Java, INT32 from pypaimon);
///   append-table files give every row the kind +I and the sequence number `_MIN_SEQUENCE_NUMBER + row`;
/// - the rows read must add up to the file's `_ROW_COUNT`.
///
/// Partition columns are read from the file like any other column. Every error is a ``TableError`` naming the file:
/// `.notFound` when it is missing, `.io` for storage failures, `.corrupt` for anything undecodable.
public final class DataFileReader {
    public let path: StoragePath
    public let file: DataFileMeta
    /// The columns of every batch (the projected fields of the table schema).
    public let readType: RowType
    public let primaryKey: Bool
    private let reader: FormatFileReader
    private let plan: [Source]
    private let sequenceIndex: Int?
    private let kindIndex: Int?
    private var rowsRead: Int64 = 0
    private var finished = false

    enum Source {
        /// Column `index` of the projected physical batch.
        case physical(index: Int)
        case nulls
    }

    public static let sequenceNumberField = "_SEQUENCE_NUMBER"
    public static let valueKindField = "_VALUE_KIND"

    private init(path: StoragePath, file: DataFileMeta, readType: RowType, primaryKey: Bool, reader: FormatFileReader,
                 plan: [Source], sequenceIndex: Int?, kindIndex: Int?) {
        self.path = path
        self.file = file
        self.readType = readType
        self.primaryKey = primaryKey
        self.reader = reader
        self.plan = plan
        self.sequenceIndex = sequenceIndex
        self.kindIndex = kindIndex
    }

    /// Opens the data file `path` described by `file`, written with `fileSchema`, to read the fields `projection`
    /// (indexes into `tableSchema.fields`; all when nil) of `tableSchema`.
    public static func open(io: any FileIO, path: StoragePath, file: DataFileMeta, fileSchema: TableSchema,
                            tableSchema: TableSchema, projection: [Int]? = nil, primaryKey: Bool) async throws(TableError) -> DataFileReader {
        let name = path.description
        let format = try DataFileFormat(fileName: file.fileName)
        let fields = try (projection ?? Array(tableSchema.fields.indices)).map { (i: Int) throws(TableError) -> DataField in
            guard tableSchema.fields.indices.contains(i) else {
                throw TableError(.invalidInput, name, "projection index \(i) is outside the \(tableSchema.fields.count) fields")
            }
            return tableSchema.fields[i]
        }
        let reader = try await FormatFileReader.open(io: io, path: path, format: format)
        do {
            let physical = reader.fileType
            var names: [String] = []
            func slot(_ name: String) -> Int {
                if let i = names.firstIndex(of: name) { return i }
                names.append(name)
                return names.count - 1
            }
            var plan: [Source] = []
            let fileFields = Dictionary(fileSchema.fields.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for field in fields {
                if let old = fileFields[field.id], physical.index(of: old.name) != nil {
                    plan.append(.physical(index: slot(old.name)))
                } else if fileFields[field.id] == nil || field.type.isNullable {
                    // Added after the file was written (or absent from it): nulls.
                    guard field.type.isNullable else {
                        throw TableError(.corrupt, name, "column \(field.name) (id \(field.id)) is NOT NULL but the file has no values for it")
                    }
                    plan.append(.nulls)
                } else {
                    throw TableError(.corrupt, name, "the file lacks the NOT NULL column \(fileFields[field.id]!.name)")
                }
            }
            var sequenceIndex: Int?
            var kindIndex: Int?
            if primaryKey {
                guard physical.index(of: sequenceNumberField) != nil else {
                    throw TableError(.corrupt, name, "the primary-key data file has no \(sequenceNumberField) column")
                }
                guard physical.index(of: valueKindField) != nil else {
                    throw TableError(.corrupt, name, "the primary-key data file has no \(valueKindField) column")
                }
                sequenceIndex = slot(sequenceNumberField)
                kindIndex = slot(valueKindField)
            }
            if names.isEmpty, let first = physical.fields.first {
                // Only columns the file lacks: read its narrowest-looking first column to count the rows.
                _ = slot(first.name)
            }
            if let stated = reader.footerRowCount, stated != file.rowCount {
                throw TableError(.corrupt, name, "the file holds \(stated) rows but its metadata says \(file.rowCount)")
            }
            try await reader.project(names)
            return DataFileReader(path: path, file: file, readType: RowType(fields), primaryKey: primaryKey, reader: reader,
                                  plan: plan, sequenceIndex: sequenceIndex, kindIndex: kindIndex)
        } catch let error as TableError {
            await reader.close()
            throw error
        } catch {
            await reader.close()
            throw TableError(.corrupt, name, "\(error)")
        }
    }

    /// ``open(io:path:file:fileSchema:tableSchema:projection:primaryKey:)`` under the name the engine's callers use.
    public static func read(io: any FileIO, path: StoragePath, file: DataFileMeta, fileSchema: TableSchema,
                            tableSchema: TableSchema, projection: [Int]? = nil, primaryKey: Bool) async throws(TableError) -> DataFileReader {
        try await open(io: io, path: path, file: file, fileSchema: fileSchema, tableSchema: tableSchema, projection: projection,
                       primaryKey: primaryKey)
    }

    /// The next batch (in the table's schema, projected), nil at the end; the reader closes itself at the end or on
    /// an error.
    public func next() async throws(TableError) -> KeyValueBatch? {
        guard !finished else { return nil }
        do {
            while true {
                guard let batch = try await reader.nextBatch() else {
                    finished = true
                    await reader.close()
                    guard rowsRead == file.rowCount else {
                        throw TableError(.corrupt, path.description, "read \(rowsRead) rows but the file's metadata says \(file.rowCount)")
                    }
                    return nil
                }
                let rows = batch.rowCount
                if rows == 0 { continue }
                let out = try convert(batch)
                rowsRead += Int64(rows)
                guard rowsRead <= file.rowCount else {
                    throw TableError(.corrupt, path.description, "more rows than the file's metadata says (\(file.rowCount))")
                }
                return out
            }
        } catch {
            if !finished {
                finished = true
                await reader.close()
            }
            throw error as? TableError ?? TableError(.corrupt, path.description, "\(error)")
        }
    }

    /// Every remaining batch.
    public func readAll() async throws(TableError) -> [KeyValueBatch] {
        var out: [KeyValueBatch] = []
        while let batch = try await next() { out.append(batch) }
        return out
    }

    /// Stops reading early.
    public func close() async {
        if !finished {
            finished = true
            await reader.close()
        }
    }

    /// This file as a sorted run for ``KWayMerge`` (keys from the value columns `keyColumns` of the read type).
    public func sortedRun(keyEncoder: SortKeyEncoder, keyColumns: [Int], orderEncoder: SortKeyEncoder? = nil,
                          orderColumns: [Int] = []) -> SortedRun {
        SortedRun.encoding({ () async throws(TableError) -> KeyValueBatch? in try await self.next() },
                           keyEncoder: keyEncoder, keyColumns: keyColumns, orderEncoder: orderEncoder, orderColumns: orderColumns)
    }

    private func convert(_ batch: ColumnBatch) throws(TableError) -> KeyValueBatch {
        let name = path.description
        let rows = batch.rowCount
        var columns: [Column] = []
        columns.reserveCapacity(plan.count)
        for (source, field) in zip(plan, readType.fields) {
            switch source {
            case .physical(let index):
                columns.append(try ColumnCast.cast(batch.columns[index], to: field.type, context: "\(name), column \(field.name)"))
            case .nulls:
                columns.append(ColumnCast.nullColumn(field.type, count: rows))
            }
        }
        let values = ColumnBatch(schema: readType, columns: columns)
        var sequences: [Int64]
        var kinds: [RowKind]
        if let sequenceIndex, let kindIndex {
            let seqColumn = batch.columns[sequenceIndex]
            guard seqColumn.nullCount == 0 else { throw TableError(.corrupt, name, "\(Self.sequenceNumberField) has nulls") }
            switch seqColumn.values {
            case .int64(let v): sequences = v
            case .int32(let v): sequences = v.map { Int64($0) }
            default: throw TableError(.corrupt, name, "\(Self.sequenceNumberField) is \(seqColumn.type), not BIGINT")
            }
            let kindColumn = batch.columns[kindIndex]
            guard kindColumn.nullCount == 0 else { throw TableError(.corrupt, name, "\(Self.valueKindField) has nulls") }
            kinds = []
            kinds.reserveCapacity(rows)
            func append(_ byte: Int64) throws(TableError) {
                guard let b = Int8(exactly: byte), let kind = RowKind(rawValue: b) else {
                    throw TableError(.corrupt, name, "\(Self.valueKindField) value \(byte) is not a row kind (0...3)")
                }
                kinds.append(kind)
            }
            switch kindColumn.values {
            case .int8(let v): for x in v { try append(Int64(x)) }
            case .int16(let v): for x in v { try append(Int64(x)) }
            case .int32(let v): for x in v { try append(Int64(x)) }
            case .int64(let v): for x in v { try append(x) }
            default: throw TableError(.corrupt, name, "\(Self.valueKindField) is \(kindColumn.type), not TINYINT")
            }
        } else {
            let first = file.minSequenceNumber + rowsRead
            sequences = (0..<Int64(rows)).map { first + $0 }
            kinds = Array(repeating: .insert, count: rows)
        }
        return KeyValueBatch(sequenceNumbers: sequences, rowKinds: kinds, values: values)
    }
}

extension DataFileReader: AsyncSequence, AsyncIteratorProtocol {
    public typealias Element = KeyValueBatch
    public typealias Failure = TableError

    /// The reader is its own iterator: iterate it once.
    public func makeAsyncIterator() -> DataFileReader { self }
}
