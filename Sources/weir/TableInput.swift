import ArgumentParser
import WeirColumnar
import WeirFileIO
import WeirPaimon
import WeirParquet
import WeirTable
import WeirTextFormats

/// Reads the input of `weir table write` into batches of the table's row type, with the row kinds from the
/// table's `rowkind.field` or from the op column.
enum TableInput {
    struct Batch {
        var values: ColumnBatch
        /// nil: every row is +I.
        var rowKinds: [RowKind]?
    }

    static func read(io: any FileIO, path: StoragePath, format formatChoice: InputFormat?, schema: TableSchema, opColumn: String) async throws -> [Batch] {
        let tableType = schema.logicalRowType
        let kindFromTable = schema.options[CoreOptions.rowkindField.key]
        let format: InputFormat
        if let given = formatChoice { format = given } else { format = try await detect(io: io, path: path) }
        var readType = tableType
        let opInSchema = kindFromTable == nil && tableType.index(of: opColumn) == nil
        if opInSchema {
            readType = RowType(tableType.fields + [DataField(id: Int(Int32.max) - 10, name: opColumn, type: .string)])
        }
        let raw: [ColumnBatch]
        switch format {
        case .jsonl, .csv:
            raw = try await TextFile.readBatches(io: io, path: path, format: format == .csv ? .csv : .jsonl, schema: readType)
        case .parquet:
            let (fileType, batches) = try await ParquetFile.readBatches(io: io, path: path)
            raw = try batches.map { try conform($0, fileType: fileType, to: readType, file: path) }
        }
        let kindColumn = kindFromTable.flatMap { readType.index(of: $0) } ?? (opInSchema ? readType.fields.count - 1 : nil)
        return try raw.filter { $0.rowCount > 0 }.map { batch in
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
                            throw ValidationError("\(path): row \(row + 1): column \(readType.fields[kindColumn].name): \"\(text)\" is not a row kind (+I, -U, +U, -D)")
                        }
                        any = true
                        parsed.append(kind)
                    default:
                        throw ValidationError("\(path): column \(readType.fields[kindColumn].name) must hold strings like +I or -D")
                    }
                }
                if any { kinds = parsed }
            }
            let values = opInSchema ? ColumnBatch(schema: tableType, columns: Array(batch.columns.dropLast())) : batch
            return Batch(values: values, rowKinds: kinds)
        }
    }

    static func detect(io: any FileIO, path: StoragePath) async throws -> InputFormat {
        switch try await ConvertibleFormat.sniff(io: io, path: path) {
        case .parquet: return .parquet
        case .csv: return .csv
        case .jsonl: return .jsonl
        case .orc, .avro: throw ValidationError("\(path): table input is JSONL, CSV or Parquet")
        }
    }

    /// The Parquet batch with columns reordered by name to `target` (missing ones NULL); a column whose type
    /// differs is converted value by value, with an error naming the row and column if a value does not fit.
    static func conform(_ batch: ColumnBatch, fileType: RowType, to target: RowType, file: StoragePath) throws -> ColumnBatch {
        var columns: [Column] = []
        for field in target.fields {
            guard let index = fileType.index(of: field.name) else {
                var builder = ColumnBuilder(type: field.type)
                for row in 0..<batch.rowCount {
                    do { try builder.append(.null) } catch {
                        throw ValidationError("\(file): row \(row + 1): column \(field.name) is NOT NULL and missing from the file")
                    }
                }
                columns.append(builder.finish())
                continue
            }
            let source = batch.columns[index]
            if source.type.nullable(true) == field.type.nullable(true) {
                var column = source
                column.type = field.type
                if !field.type.isNullable, source.nullCount > 0 {
                    throw ValidationError("\(file): column \(field.name) is NOT NULL in the table but has NULLs")
                }
                columns.append(column)
                continue
            }
            var builder = ColumnBuilder(type: field.type)
            for row in 0..<batch.rowCount {
                do { try builder.append(convert(source.value(at: row), from: source.type, to: field.type)) } catch {
                    throw ValidationError("\(file): row \(row + 1): column \(field.name): \(error)")
                }
            }
            columns.append(builder.finish())
        }
        return ColumnBatch(schema: target, columns: columns)
    }

    /// Values between compatible types (integers of other widths, integers to floating point, TIMESTAMP units).
    static func convert(_ value: Value, from: DataType, to: DataType) -> Value {
        switch (value, to.kind) {
        case (.integer(let n), .double): return .double(Double(n))
        case (.integer(let n), .float): return .float(Float(n))
        case (.float(let f), .double): return .double(Double(f))
        case (.timestamp(let t), .timestamp(let p)), (.timestamp(let t), .timestampLTZ(let p)):
            let fromPrecision: Int
            switch from.kind {
            case .timestamp(let q), .timestampLTZ(let q): fromPrecision = q
            default: return value
            }
            func unit(_ p: Int) -> Int64 { p <= 3 ? 1_000 : p <= 6 ? 1_000_000 : 1_000_000_000 }
            let a = unit(fromPrecision), b = unit(p)
            return .timestamp(a == b ? t : (a < b ? t * (b / a) : t / (a / b)))
        default: return value
        }
    }
}
