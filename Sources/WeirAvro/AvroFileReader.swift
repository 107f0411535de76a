import WeirFileIO

/// Reads the records of an Avro object container file as ``AvroValue``s, block by block (what Paimon's manifest
/// lists, manifests and index manifests need).
///
/// The file is streamed: at most one read chunk (1 MiB) and one block are held at a time (see
/// ``AvroBlockSource``). Records are decoded with the file's own schema, or resolved to `readerSchema` when one is
/// given (see ``AvroReadProgram`` for the rules). Every problem with the content is an ``AvroError`` naming the
/// file, the block and the record; I/O problems are the FileIO's ``FileIOError``s.
///
/// Not for concurrent use; call ``close()`` when done (the read helpers below close for you).
public final class AvroFileReader {
    public let path: StoragePath
    public let header: AvroContainerHeader
    /// The schema the records are returned in.
    public let readerSchema: AvroSchema
    let source: AvroBlockSource
    let datumReader: AvroDatumReader
    let limits: AvroLimits

    /// The writer's schema, from the header.
    public var writerSchema: AvroSchema { header.schema }

    private init(path: StoragePath, source: AvroBlockSource, readerSchema: AvroSchema?, limits: AvroLimits) throws(AvroError) {
        self.path = path
        self.source = source
        self.header = source.header
        self.limits = limits
        do {
            datumReader = try AvroDatumReader(writerSchema: source.header.schema, readerSchema: readerSchema, limits: limits)
        } catch {
            var e = error
            e.file = path.description
            e.message = "the reader schema does not resolve against the file's schema: " + e.message
            throw e
        }
        self.readerSchema = datumReader.readerSchema
    }

    /// Opens `path` and reads its header.
    public static func open(io: any FileIO, path: StoragePath, readerSchema: AvroSchema? = nil,
                            limits: AvroLimits = .default) async throws -> AvroFileReader {
        let file = try await io.openForReading(path)
        do {
            let source = AvroBlockSource(file: file, limits: limits)
            try await source.readHeader()
            return try AvroFileReader(path: path, source: source, readerSchema: readerSchema, limits: limits)
        } catch {
            await file.close()
            throw error
        }
    }

    /// The next block, decompressed but not decoded; nil at the end of the file.
    public func nextBlock() async throws -> AvroBlock? {
        try await source.nextBlock()
    }

    /// The records of the next block; nil at the end of the file.
    public func nextRecords() async throws -> [AvroValue]? {
        guard let block = try await source.nextBlock() else { return nil }
        return try decode(block)
    }

    /// Decodes the records of `block` (one that this reader returned).
    public func decode(_ block: AvroBlock) throws(AvroError) -> [AvroValue] {
        let location = "block \(block.index) at byte \(block.offset)"
        try Self.checkRecordCount(block, datumBytesMin: datumReader.datumBytesMin, limits: limits, file: path.description)
        var records: [AvroValue] = []
        records.reserveCapacity(block.recordCount)
        try withAvroBytes(block.data) { (raw) throws(AvroError) in
            var cursor = AvroCursor(raw)
            cursor.zeroByteItemsBudget = limits.zeroByteRecordsPerBlockMax
            for index in 0..<block.recordCount {
                do throws(AvroError) {
                    records.append(try datumReader.read(&cursor))
                } catch {
                    throw AvroError(file: path.description, location: "\(location), record \(index), \(error.location) of the block", error.message)
                }
            }
            guard cursor.isAtEnd else {
                throw AvroError(file: path.description, location: location,
                                "\(cursor.remaining) bytes left after the block's \(block.recordCount) records")
            }
        }
        return records
    }

    /// A block's record count must be plausible before anything is decoded: each record takes at least
    /// `datumBytesMin` bytes, or, when a record can be empty, the count is bounded by
    /// ``AvroLimits/zeroByteRecordsPerBlockMax``.
    static func checkRecordCount(_ block: AvroBlock, datumBytesMin: Int, limits: AvroLimits, file: String) throws(AvroError) {
        let location = "block \(block.index) at byte \(block.offset)"
        if datumBytesMin > 0 {
            guard block.recordCount <= block.data.count / datumBytesMin else {
                throw AvroError(file: file, location: location,
                                "\(block.recordCount) records cannot fit in the block's \(block.data.count) bytes")
            }
        } else if block.recordCount > limits.zeroByteRecordsPerBlockMax {
            throw AvroError(file: file, location: location,
                            "\(block.recordCount) records that may be empty is over the limit of \(limits.zeroByteRecordsPerBlockMax)")
        }
    }

    /// Every remaining record, refusing more than `recordsMax`; closes the reader.
    public func readAll(recordsMax: Int = 10_000_000) async throws -> [AvroValue] {
        do {
            var all: [AvroValue] = []
            while let records = try await nextRecords() {
                guard all.count + records.count <= recordsMax else {
                    throw AvroError(file: path.description, "more than \(recordsMax) records")
                }
                all += records
            }
            await close()
            return all
        } catch {
            await close()
            throw error
        }
    }

    /// Releases the file.
    public func close() async {
        await source.file.close()
    }

    /// Reads every record of the file at `path` (see ``readAll(recordsMax:)``).
    public static func readAll(io: any FileIO, path: StoragePath, readerSchema: AvroSchema? = nil,
                               limits: AvroLimits = .default, recordsMax: Int = 10_000_000) async throws -> (header: AvroContainerHeader, records: [AvroValue]) {
        let reader = try await open(io: io, path: path, readerSchema: readerSchema, limits: limits)
        let records = try await reader.readAll(recordsMax: recordsMax)
        return (reader.header, records)
    }
}
