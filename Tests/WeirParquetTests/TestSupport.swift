import Testing
import WeirColumnar
import WeirFileIO
@testable import WeirParquet

/// Helpers shared by the Parquet tests: building batches from values, writing to and reading from memory.
enum PQ {
    static func field(_ id: Int, _ name: String, _ type: DataType) -> DataField { DataField(id: id, name: name, type: type) }

    /// A batch with `schema` from rows of values (through ``ColumnBuilder``, so the layout is the reference one).
    static func batch(_ schema: RowType, _ rows: [[Value]]) throws -> ColumnBatch {
        var builders = schema.fields.map { ColumnBuilder(type: $0.type) }
        for row in rows {
            precondition(row.count == builders.count)
            for i in builders.indices { try builders[i].append(row[i]) }
        }
        return ColumnBatch(schema: schema, columns: builders.map { $0.finish() })
    }

    /// Every row of `batches` as values.
    static func rows(_ batches: [ColumnBatch]) -> [[Value]] {
        batches.flatMap { b in (0..<b.rowCount).map { r in b.columns.map { $0.value(at: r) } } }
    }

    static func path(_ name: String) -> StoragePath { try! StoragePath(parsing: "memory://pq/\(name)") }

    /// Writes `batches` with `options` to a fresh in-memory file and returns the store, path and summary.
    static func write(_ schema: RowType, _ batches: [ColumnBatch], options: ParquetWriteOptions = ParquetWriteOptions(),
                      name: String = "t.parquet") async throws -> (MemoryFileIO, StoragePath, ParquetWriteSummary) {
        let io = MemoryFileIO()
        let path = path(name)
        let summary = try await ParquetFile.write(io: io, path: path, schema: schema, batches: batches, options: options, overwrite: false)
        return (io, path, summary)
    }

    /// The bytes of a file written with `options`.
    static func bytes(_ schema: RowType, _ batches: [ColumnBatch], options: ParquetWriteOptions = ParquetWriteOptions()) async throws -> [UInt8] {
        let (io, path, _) = try await write(schema, batches, options: options)
        return try await io.readAll(path)
    }

    /// Writes and reads back; returns the schema read and the rows.
    static func roundTrip(_ schema: RowType, _ batches: [ColumnBatch], options: ParquetWriteOptions = ParquetWriteOptions())
        async throws -> (RowType, [ColumnBatch]) {
        let (io, path, _) = try await write(schema, batches, options: options)
        return try await ParquetFile.readBatches(io: io, path: path)
    }
}

