import WeirColumnar
import WeirFileIO
import WeirPaimon
import WeirParquet
import WeirTextFormats

/// Reads input files for a table write (`weir table write`, cluster ingest tasks) into batches of the table's row
/// type with their row kinds: JSON Lines and CSV in the value encoding of ``ValueJSON`` (errors name the line and
/// column), Parquet with columns matched by name and converted where the types are compatible (errors name the
/// row and column). Row kinds come from the table's `rowkind.field` column, else from the input column named
/// `opColumn` (`+I`, `-U`, `+U`, `-D`; not a table column), else every row is +I.
public enum TableInput {
    public enum Format: String, Sendable, CaseIterable { case jsonl, csv, parquet }

    public struct Batch: Sendable {
        public var values: ColumnBatch
        /// nil: every row is +I.
        public var rowKinds: [RowKind]?
    }

    public static let defaultOpColumn = "_op"

    /// The format of `path`: Parquet by its magic bytes, else JSONL or CSV by extension.
    public static func detect(io: any FileIO, path: StoragePath) async throws(TableError) -> Format {
        let head: [UInt8] = try await storage("read \(path)") {
            let file = try await io.openForReading(path)
            let bytes = try await file.read(at: 0, count: 4)
            await file.close()
            return bytes
        }
        if head == Array("PAR1".utf8) { return .parquet }
        let name = path.name.lowercased()
        if name.hasSuffix(".csv") { return .csv }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") || name.hasSuffix(".json") { return .jsonl }
        throw TableError(.invalidInput, path.description, "not a Parquet file (by its first bytes) and not named .jsonl, .ndjson, .json or .csv")
    }

    /// The rows of `path` as batches of the table's row type. `parquetRowGroups`: only these row groups of a Parquet
    /// file (one part of a file that several readers share; row numbers in errors still count from the file's start).
    public static func read(io: any FileIO, path: StoragePath, format formatChoice: Format? = nil, schema: TableSchema,
                            opColumn: String = defaultOpColumn, parquetRowGroups: Range<Int>? = nil) async throws(TableError) -> [Batch] {
        let subject = path.description
        let tableType = schema.logicalRowType
        let kindFromTable = schema.options[CoreOptions.rowkindField.key]
        let format: Format
        if let given = formatChoice { format = given } else { format = try await detect(io: io, path: path) }
        var readType = tableType
        let opInSchema = kindFromTable == nil && tableType.index(of: opColumn) == nil
        if opInSchema {
            readType = RowType(tableType.fields + [DataField(id: Int(Int32.max) - 10, name: opColumn, type: .string)])
        }
        let raw: [ColumnBatch]
        var rowBase = 0
        switch format {
        case .jsonl, .csv:
            raw = try await storage(subject) {
                try await TextFile.readBatches(io: io, path: path, format: format == .csv ? .csv : .jsonl, schema: readType)
            }
        case .parquet:
            let (fileType, batches): (RowType, [ColumnBatch])
            do {
                if let rowGroups = parquetRowGroups {
                    (fileType, batches, rowBase) = try await readRowGroups(io: io, path: path, rowGroups)
                } else {
                    (fileType, batches) = try await ParquetFile.readBatches(io: io, path: path)
                }
            } catch {
                throw TableError(.invalidInput, subject, error.description)
            }
            raw = try batches.map { (batch) throws(TableError) -> ColumnBatch in try conform(batch, fileType: fileType, to: readType, subject: subject) }
        }
        let kindColumn = kindFromTable.flatMap { readType.index(of: $0) } ?? (opInSchema ? readType.fields.count - 1 : nil)
        var out: [Batch] = []
        for batch in raw where batch.rowCount > 0 {
            var kinds: [RowKind]? = nil
            if let kindColumn {
                let column = batch.columns[kindColumn]
                var parsed: [RowKind] = []
                parsed.reserveCapacity(batch.rowCount)
                var any = false
                for row in 0..<batch.rowCount {
                    switch column.value(at: row) {
                    case .null: parsed.append(.insert)
                    case .string(let text):
                        guard let kind = RowKind(shortString: text) else {
                            throw TableError(.invalidInput, subject, "row \(rowBase + row + 1): column \(readType.fields[kindColumn].name): \"\(text)\" is not a row kind (+I, -U, +U, -D)")
                        }
                        any = true
                        parsed.append(kind)
                    default:
                        throw TableError(.invalidInput, subject, "column \(readType.fields[kindColumn].name) must hold strings like +I or -D")
                    }
                }
                if any { kinds = parsed }
            }
            let values = opInSchema ? ColumnBatch(schema: tableType, columns: Array(batch.columns.dropLast())) : batch
            out.append(Batch(values: values, rowKinds: kinds))
            rowBase += batch.rowCount
        }
        return out
    }

    /// Row groups `rowGroups` of a Parquet file, one batch each, and the number of rows before them in the file.
    static func readRowGroups(io: any FileIO, path: StoragePath, _ rowGroups: Range<Int>) async throws(ParquetError) -> (RowType, [ColumnBatch], Int) {
        let reader = try await ParquetFileReader.open(io: io, path: path)
        do throws(ParquetError) {
            let count = reader.rowGroups.count
            guard rowGroups.lowerBound >= 0, rowGroups.upperBound <= count else {
                throw ParquetError(file: reader.name, location: "row groups \(rowGroups)", "the file has \(count) row groups")
            }
            var batches: [ColumnBatch] = []
            for index in rowGroups { batches.append(try await reader.read(rowGroup: index)) }
            await reader.close()
            let before = reader.rowGroups[..<rowGroups.lowerBound].reduce(0) { $0 + Int($1.rowCount) }
            return (reader.schema, batches, before)
        } catch {
            await reader.close()
            throw error
        }
    }

    /// The Parquet batch with columns reordered by name to `target` (missing ones NULL); a column whose type
    /// differs is converted as schema evolution converts file columns (``ColumnCast``), with an error naming the
    /// column if it cannot be.
    static func conform(_ batch: ColumnBatch, fileType: RowType, to target: RowType, subject: String) throws(TableError) -> ColumnBatch {
        var columns: [Column] = []
        for field in target.fields {
            guard let index = fileType.index(of: field.name) else {
                guard field.type.isNullable else {
                    throw TableError(.invalidInput, subject, "column \(field.name) is NOT NULL and missing from the file")
                }
                columns.append(ColumnCast.nullColumn(field.type, count: batch.rowCount))
                continue
            }
            let source = batch.columns[index]
            if !field.type.isNullable, source.nullCount > 0 {
                throw TableError(.invalidInput, subject, "column \(field.name) is NOT NULL in the table but has NULLs")
            }
            do {
                columns.append(try ColumnCast.cast(source, to: field.type, context: "column \(field.name)"))
            } catch {
                throw TableError(.invalidInput, subject, error.description)
            }
        }
        return ColumnBatch(schema: target, columns: columns)
    }
}
