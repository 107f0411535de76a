import WeirColumnar
import WeirFileIO

/// What ``AvroFile/write(io:path:schema:batches:codec:overwrite:metadata:blockBytes:)`` wrote.
public struct AvroWriteSummary: Sendable, Equatable {
    public var path: StoragePath
    /// The Avro schema in the header (Paimon's mapping of the row type).
    public var schema: AvroSchema
    public var codec: AvroCodec
    public var rowCount: Int
    public var blockCount: Int
    /// The file's size.
    public var bytes: Int64
}

/// The entry points the `weir file` command and the table engine call for Avro files: inspection, reading and
/// writing column batches through Paimon's type mapping (``AvroSchema/init(paimonRowType:)``). Generic records
/// go through ``AvroFileReader`` and ``AvroFileWriter``.
public enum AvroFile {
    /// A human-readable description of the file: size, codec, the writer schema (pretty JSON), its Paimon row type
    /// when it has one, the metadata keys with their sizes, and the blocks (count, records per block, stored and
    /// uncompressed bytes). Reads every block (to count and decompress it) but decodes no record.
    public static func inspect(io: any FileIO, path: StoragePath, limits: AvroLimits = .default) async throws -> String {
        let file = try await io.openForReading(path)
        let source = AvroBlockSource(file: file, limits: limits)
        do {
            try await source.readHeader()
            let header = source.header!
            var records: [Int] = []
            var stored: [Int] = []
            var uncompressed: [Int] = []
            while let block = try await source.nextBlock() {
                records.append(block.recordCount)
                stored.append(block.storedBytes)
                uncompressed.append(block.data.count)
            }
            await file.close()
            var out = "file: \(path)\n"
            out += "size: \(file.size) bytes (header \(header.byteCount))\n"
            out += "codec: \(header.codec.name)\n"
            out += "sync: \(header.sync.map { hexByte($0) }.joined())\n"
            out += "schema:\n\(header.schema.json(pretty: true))\n"
            if let rowType = try? header.schema.paimonRowType() {
                out += "row type: " + rowType.fields.map { "\($0.name) \($0.type)" }.joined(separator: ", ") + "\n"
            } else {
                out += "row type: none (the schema has types Paimon cannot hold)\n"
            }
            out += "metadata:\n"
            for key in header.metadata.keys.sorted() {
                out += "  \(key): \(header.metadata[key]!.count) bytes"
                if !key.hasPrefix(AvroContainerHeader.reservedKeyPrefix), let text = String(validating: header.metadata[key]!, as: UTF8.self),
                   text.count <= 80, text.unicodeScalars.allSatisfy({ $0.value >= 0x20 }) {
                    out += " \"\(text)\""
                }
                out += "\n"
            }
            out += "blocks: \(records.count)\n"
            out += "records: \(records.reduce(0, +))\(list(records))\n"
            out += "stored bytes: \(stored.reduce(0, +))\(list(stored))\n"
            out += "uncompressed bytes: \(uncompressed.reduce(0, +))\(list(uncompressed))\n"
            return out
        } catch {
            await file.close()
            throw error
        }
    }

    /// " (per block: a, b, c)" for up to 20 blocks, the first 20 and a count beyond.
    private static func list(_ values: [Int]) -> String {
        guard values.count > 1 else { return "" }
        let shown = values.prefix(20).map(String.init).joined(separator: ", ")
        return " (per block: \(shown)\(values.count > 20 ? ", … \(values.count - 20) more" : ""))"
    }

    private static func hexByte(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String(digits[Int(b >> 4)]) + String(digits[Int(b & 15)])
    }

    /// Every record of the file as column batches (one per block) with the file's row type, keeping only the
    /// `projection` fields (top-level names, in that order) when given.
    public static func readBatches(io: any FileIO, path: StoragePath, projection: [String]? = nil,
                                   limits: AvroLimits = .default) async throws -> (RowType, [ColumnBatch]) {
        let reader = try await AvroBatchReader.open(io: io, path: path, projection: projection, limits: limits)
        return (reader.rowType, try await reader.readAll())
    }

    /// Every record of the file as column batches of `readType` (fields matched by name; see ``AvroBatchDecoder``
    /// for the conversions), as a Paimon table reads its data files.
    public static func readBatches(io: any FileIO, path: StoragePath, readType: RowType,
                                   limits: AvroLimits = .default) async throws -> [ColumnBatch] {
        let reader = try await AvroBatchReader.open(io: io, path: path, readType: readType, limits: limits)
        return try await reader.readAll()
    }

    /// Writes `batches` (each with exactly the fields and types of `schema`) as one Avro file in Paimon's mapping
    /// of `schema` (through ``AvroBatchWriter``). Every batch is checked before the file is created, and nothing is
    /// visible at `path` unless the whole write succeeds.
    public static func write(io: any FileIO, path: StoragePath, schema: RowType, batches: [ColumnBatch],
                             codec: AvroCodec = .zstandard(level: 1), overwrite: Bool,
                             metadata: [String: [UInt8]] = [:],
                             blockBytes: Int = AvroFileWriter.defaultBlockBytes) async throws -> AvroWriteSummary {
        let name = path.description
        _ = try AvroBatchWriter.avroSchema(schema, file: name)
        for (index, batch) in batches.enumerated() {
            guard batch.schema.fieldNames == schema.fieldNames, batch.schema.fields.map(\.type) == schema.fields.map(\.type) else {
                throw AvroError(file: name, location: "batch \(index)", "the batch's columns \(batch.schema.fields.map { "\($0.name) \($0.type)" }) do not match the schema")
            }
            do {
                try batch.validate()
            } catch {
                throw AvroError(file: name, location: "batch \(index)", error.description)
            }
        }
        let writer = try await AvroBatchWriter.create(io: io, path: path, rowType: schema, codec: codec, overwrite: overwrite,
                                                      metadata: metadata, blockBytes: blockBytes)
        do {
            for batch in batches { try await writer.write(batch) }
            return try await writer.close()
        } catch {
            await writer.abort()
            throw error
        }
    }
}
