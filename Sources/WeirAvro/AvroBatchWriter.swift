import WeirColumnar
import WeirFileIO

/// Writes column batches as one Avro object container file in Paimon's mapping of their row type
/// (``AvroSchema/init(paimonRowType:)``), streaming: each batch's records are encoded straight from its column buffers
/// into the current block, and a block is compressed and handed to the file once it holds
/// ``AvroFileWriter/blockBytes``, so memory stays about one block whatever the size of the file.
///
/// A batch whose columns differ from the row type (names and types), or that fails `ColumnBatch.validate()`, is
/// refused before any of it is encoded, and the writer stays usable. Nothing is visible at the path until ``close()``
/// succeeds; a failure while writing aborts the file and the writer refuses further calls. ``bytesWritten`` plus
/// ``bytesBuffered`` is the file's size so far, the pending block counted uncompressed (at most about one block).
/// Not for concurrent use.
public final class AvroBatchWriter {
    /// The Paimon row type of the batches.
    public let rowType: RowType
    /// The Avro schema in the header.
    public let schema: AvroSchema
    private let writer: AvroFileWriter

    /// A writer over an open file (which it then owns: ``close()`` publishes it, ``abort()`` discards it).
    /// `metadata` keys must not start with `avro.`.
    public init(file: any WritableFile, rowType: RowType, codec: AvroCodec = .zstandard(level: 1),
                metadata: [String: [UInt8]] = [:], blockBytes: Int = AvroFileWriter.defaultBlockBytes) throws {
        self.rowType = rowType
        schema = try Self.avroSchema(rowType, file: file.path.description)
        writer = try AvroFileWriter(file: file, schema: schema, codec: codec, metadata: metadata, blockBytes: blockBytes)
    }

    /// Creates `path` on `io` and returns a writer over it (the file is aborted if the writer cannot be made).
    public static func create(io: any FileIO, path: StoragePath, rowType: RowType, codec: AvroCodec = .zstandard(level: 1),
                              overwrite: Bool, metadata: [String: [UInt8]] = [:],
                              blockBytes: Int = AvroFileWriter.defaultBlockBytes) async throws -> AvroBatchWriter {
        // Checked before the file exists, so a schema Avro cannot hold leaves nothing behind.
        _ = try avroSchema(rowType, file: path.description)
        let file = try await io.create(path, overwrite: overwrite)
        do {
            return try AvroBatchWriter(file: file, rowType: rowType, codec: codec, metadata: metadata, blockBytes: blockBytes)
        } catch {
            await file.abort()
            throw error
        }
    }

    static func avroSchema(_ rowType: RowType, file: String) throws -> AvroSchema {
        do {
            try rowType.validate()
            return try AvroSchema(paimonRowType: rowType)
        } catch let error as AvroError {
            throw AvroError(file: file, location: "schema" + (error.location.isEmpty ? "" : ", " + error.location), error.message)
        } catch let error as ColumnarError {
            throw AvroError(file: file, location: "schema", error.description)
        }
    }

    /// Checks that `batch` can be written (the row type's names and types, a valid batch); throws otherwise.
    public func check(_ batch: ColumnBatch) throws(AvroError) {
        let name = writer.file.path.description
        guard batch.schema.fieldNames == rowType.fieldNames, batch.schema.fields.map(\.type) == rowType.fields.map(\.type) else {
            throw AvroError(file: name, location: "batch", "the batch's columns \(batch.schema.fields.map { "\($0.name) \($0.type)" }) do not match the schema")
        }
        do {
            try batch.validate()
        } catch {
            throw AvroError(file: name, location: "batch", error.description)
        }
    }

    /// Appends the rows of `batch`, flushing blocks as they fill.
    public func write(_ batch: ColumnBatch) async throws {
        try check(batch)
        guard batch.rowCount > 0 else { return }
        let writers = AvroBatchEncoder.writers(for: batch)
        do {
            try await writer.appendEncoded(count: batch.rowCount) { (row, out) throws(AvroError) in
                for w in writers { w.write(row, &out) }
            }
        } catch {
            await writer.abort()
            throw error
        }
    }

    /// Records written so far.
    public var rowCount: Int { writer.recordCount }

    /// Blocks handed to the file so far.
    public var blockCount: Int { writer.blockCount }

    /// Bytes handed to the file so far (the header goes with the first block).
    public var bytesWritten: Int64 { writer.bytesWritten }

    /// Bytes not yet handed to the file: the pending block's records, uncompressed, and the header until the first
    /// block is written.
    public var bytesBuffered: Int { writer.bytesBuffered }

    /// ``bytesWritten`` plus ``bytesBuffered``.
    public var estimatedFileBytes: Int64 { bytesWritten + Int64(bytesBuffered) }

    /// Writes the pending block and publishes the file.
    public func close() async throws -> AvroWriteSummary {
        let bytes = try await writer.close()
        return AvroWriteSummary(path: writer.file.path, schema: schema, codec: writer.codec, rowCount: writer.recordCount,
                                blockCount: writer.blockCount, bytes: bytes)
    }

    /// Discards everything; nothing becomes visible.
    public func abort() async {
        await writer.abort()
    }
}
