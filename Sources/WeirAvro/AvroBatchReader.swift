import WeirColumnar
import WeirFileIO

/// Streams an Avro container file as ``ColumnBatch``es, one batch per block (blocks of no records are passed
/// over), holding one read chunk and one block at a time. See ``AvroBatchDecoder`` for which Avro types read into
/// which columns. Not for concurrent use; ``close()`` when done (``readAll(rowsMax:)`` closes for you).
public final class AvroBatchReader {
    public let path: StoragePath
    public let header: AvroContainerHeader
    /// The columns every batch has.
    public let rowType: RowType
    let source: AvroBlockSource
    let decoder: AvroBatchDecoder

    private init(path: StoragePath, source: AvroBlockSource, decoder: AvroBatchDecoder) {
        self.path = path
        self.source = source
        self.header = source.header
        self.decoder = decoder
        self.rowType = decoder.rowType
    }

    /// Opens `path`, reads its header and prepares the column readers. `projection` keeps only the named top-level
    /// fields, in that order; `readType` reads into that row type instead of the file's own (fields by name).
    public static func open(io: any FileIO, path: StoragePath, projection: [String]? = nil, readType: RowType? = nil,
                            limits: AvroLimits = .default) async throws -> AvroBatchReader {
        let file = try await io.openForReading(path)
        do {
            let source = AvroBlockSource(file: file, limits: limits)
            try await source.readHeader()
            let decoder = try AvroBatchDecoder(writerSchema: source.header.schema, readType: readType, projection: projection,
                                               limits: limits, file: path.description)
            return AvroBatchReader(path: path, source: source, decoder: decoder)
        } catch {
            await file.close()
            throw error
        }
    }

    /// The next batch (the records of the next non-empty block); nil at the end of the file.
    public func next() async throws -> ColumnBatch? {
        while let block = try await source.nextBlock() {
            if block.recordCount == 0 {
                guard block.data.isEmpty else {
                    throw AvroError(file: path.description, location: "block \(block.index) at byte \(block.offset)",
                                    "a block of no records holds \(block.data.count) bytes")
                }
                continue
            }
            return try decoder.decode(block)
        }
        return nil
    }

    /// Every remaining batch, refusing more than `rowsMax` rows in all; closes the reader.
    public func readAll(rowsMax: Int = 100_000_000) async throws -> [ColumnBatch] {
        do {
            var batches: [ColumnBatch] = []
            var rows = 0
            while let batch = try await next() {
                rows += batch.rowCount
                guard rows <= rowsMax else { throw AvroError(file: path.description, "more than \(rowsMax) rows") }
                batches.append(batch)
            }
            await close()
            return batches
        } catch {
            await close()
            throw error
        }
    }

    public func close() async {
        await source.file.close()
    }
}
