import WeirCodecs
import WeirFileIO

/// Writes an Avro object container file to a ``WritableFile``: the header (`avro.schema` as compact JSON,
/// `avro.codec`, the caller's metadata, a random 16-byte sync marker), then blocks of records, each flushed once
/// its serialized records reach ``blockBytes`` (about 64 KiB by default, as Java's `DataFileWriter`), compressed
/// with the codec and followed by the sync marker.
///
/// Nothing is visible at the path until ``close()`` succeeds (the FileIO contract); ``abort()`` discards
/// everything. Records are encoded when appended, so a value that does not fit the schema fails at
/// ``append(_:)`` with an ``AvroError`` and leaves the file as it was. Not for concurrent use.
public final class AvroFileWriter {
    public static let defaultBlockBytes = 64 << 10

    public let schema: AvroSchema
    public let codec: AvroCodec
    public let blockBytes: Int
    let file: any WritableFile
    let datumWriter: AvroDatumWriter
    let headerBytes: [UInt8]
    let sync: [UInt8]
    private var block = ByteWriter(capacity: 0)
    private var blockRecords = 0
    private var wroteHeader = false
    private var finished = false
    /// Records appended so far.
    public private(set) var recordCount = 0
    /// Blocks written so far.
    public private(set) var blockCount = 0
    /// Bytes handed to the file so far (the file's size once closed).
    public private(set) var bytesWritten: Int64 = 0
    /// Bytes not yet handed to the file: the pending block's records, uncompressed, and the header until the first
    /// block is written.
    public var bytesBuffered: Int { block.count + (wroteHeader ? 0 : headerBytes.count) }

    /// A writer over an open file. `metadata` keys must not start with `avro.`; `sync` (16 bytes) is random when
    /// nil. The schema is checked by printing and parsing it back, so the header always holds a valid schema.
    public init(file: any WritableFile, schema: AvroSchema, codec: AvroCodec = .null, metadata: [String: [UInt8]] = [:],
                sync: [UInt8]? = nil, blockBytes: Int = AvroFileWriter.defaultBlockBytes, limits: AvroLimits = .default) throws(AvroError) {
        let name = file.path.description
        let json = schema.json()
        let reparsed: AvroSchema
        do {
            reparsed = try AvroSchema.parse(json, limits: limits, source: name)
        } catch {
            throw AvroError(file: name, location: "schema" + (error.location.isEmpty ? "" : ", " + error.location), error.message)
        }
        guard reparsed == schema else {
            throw AvroError(file: name, location: "schema", "the schema does not survive printing and parsing (check names and references)")
        }
        if let key = metadata.keys.first(where: { $0.hasPrefix(AvroContainerHeader.reservedKeyPrefix) }) {
            throw AvroError(file: name, location: "metadata", "key '\(key)' is reserved for Avro")
        }
        guard blockBytes > 0 else { throw AvroError(file: name, "blockBytes must be positive") }
        if let sync, sync.count != AvroContainerHeader.syncBytes {
            throw AvroError(file: name, "a sync marker has 16 bytes, not \(sync.count)")
        }
        var generator = SystemRandomNumberGenerator()
        let marker = sync ?? (0..<AvroContainerHeader.syncBytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
        // Validate the codec's level now rather than at the first flush.
        _ = try codec.compress([1, 2, 3])
        self.file = file
        self.schema = schema
        self.codec = codec
        self.blockBytes = blockBytes
        self.sync = marker
        self.datumWriter = try AvroDatumWriter(schema: schema, limits: limits)
        self.headerBytes = AvroContainerHeader.encode(schemaJSON: json, codec: codec, userMetadata: metadata, sync: marker)
        self.block = ByteWriter(capacity: min(blockBytes, 1 << 20) + 4096)
    }

    /// Creates `path` on `io` and returns a writer over it.
    public static func create(io: any FileIO, path: StoragePath, schema: AvroSchema, codec: AvroCodec = .null,
                              metadata: [String: [UInt8]] = [:], overwrite: Bool, blockBytes: Int = defaultBlockBytes,
                              limits: AvroLimits = .default) async throws -> AvroFileWriter {
        let file = try await io.create(path, overwrite: overwrite)
        do {
            return try AvroFileWriter(file: file, schema: schema, codec: codec, metadata: metadata, blockBytes: blockBytes, limits: limits)
        } catch {
            await file.abort()
            throw error
        }
    }

    /// Appends one record (a value of ``schema``).
    public func append(_ value: AvroValue) async throws {
        try checkOpen()
        do {
            try datumWriter.encode(value, into: &block)
        } catch {
            throw AvroError(file: file.path.description, location: "record \(recordCount), \(error.location)", error.message)
        }
        try await recordEncoded()
    }

    /// Appends `count` records that `encodeRecord` serializes itself (the column-batch encoder), flushing blocks as
    /// ``append(_:)`` does. A failure in `encodeRecord` leaves a partial record behind, so it aborts the file.
    func appendEncoded(count: Int, _ encodeRecord: (Int, inout ByteWriter) throws(AvroError) -> Void) async throws {
        try checkOpen()
        for index in 0..<count {
            do {
                try encodeRecord(index, &block)
            } catch {
                await abort()
                throw error
            }
            blockRecords += 1
            recordCount += 1
            if block.count >= blockBytes { try await flush() }
        }
    }

    private func recordEncoded() async throws {
        blockRecords += 1
        recordCount += 1
        if block.count >= blockBytes { try await flush() }
    }

    private func checkOpen() throws {
        guard !finished else { throw AvroError(file: file.path.description, "the writer is closed") }
    }

    /// Writes the pending block (and, the first time, the header).
    private func flush() async throws {
        var out = ByteWriter(capacity: block.count + 64 + (wroteHeader ? 0 : headerBytes.count))
        if !wroteHeader { out.putBytes(headerBytes) }
        if blockRecords > 0 {
            let stored: [UInt8]
            do {
                stored = try codec.compress(block.bytes)
            } catch {
                throw AvroError(file: file.path.description, location: "block \(blockCount)", error.message)
            }
            out.putZigZagVarint(Int64(blockRecords))
            out.putZigZagVarint(Int64(stored.count))
            out.putBytes(stored)
            out.putBytes(sync)
            blockCount += 1
        }
        guard !out.isEmpty else { return }
        try await file.write(out.bytes)
        wroteHeader = true
        bytesWritten += Int64(out.count)
        block.removeAll()
        blockRecords = 0
    }

    /// Writes what is pending and makes the file visible. Returns the file's size in bytes.
    @discardableResult
    public func close() async throws -> Int64 {
        try checkOpen()
        do {
            try await flush()
            finished = true
            try await file.close()
        } catch {
            finished = true
            await file.abort()
            throw error
        }
        return bytesWritten
    }

    /// Discards everything; nothing becomes visible.
    public func abort() async {
        finished = true
        await file.abort()
    }
}
