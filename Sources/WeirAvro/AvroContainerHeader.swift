import WeirCodecs

/// The header of an Avro object container file (Avro 1.11, "Object Container Files"): the magic `Obj\x01`, the
/// file metadata as an Avro `map<bytes>` (at least `avro.schema`; `avro.codec` absent means `null`), then the
/// 16-byte sync marker that also ends every block.
public struct AvroContainerHeader: Sendable, Equatable {
    public static let magic: [UInt8] = [0x4f, 0x62, 0x6a, 0x01]
    public static let syncBytes = 16
    /// Metadata keys starting with this are reserved for Avro.
    public static let reservedKeyPrefix = "avro."

    /// The writer's schema (parsed from `avro.schema`).
    public var schema: AvroSchema
    /// The codec of every block (from `avro.codec`).
    public var codec: AvroCodec
    /// Every metadata entry, including `avro.schema` and `avro.codec`.
    public var metadata: [String: [UInt8]]
    /// The 16-byte sync marker.
    public var sync: [UInt8]
    /// Bytes from the start of the file to the first block.
    public var byteCount: Int

    /// The metadata entries that are not `avro.*`.
    public var userMetadata: [String: [UInt8]] { metadata.filter { !$0.key.hasPrefix(Self.reservedKeyPrefix) } }

    /// The `avro.schema` text as stored.
    public var schemaText: String { String(decoding: metadata["avro.schema"] ?? [], as: UTF8.self) }

    /// Parses a header from the start of `bytes`; errors name `file` and say what is wrong where.
    static func parse(_ bytes: UnsafeRawBufferPointer, limits: AvroLimits, file: String) throws(AvroError) -> AvroContainerHeader {
        func fail(_ message: String, at offset: Int) -> AvroError { AvroError(file: file, location: "header, byte \(offset)", message) }
        guard bytes.count >= 4 else { throw fail("\(bytes.count) bytes is too short for an Avro file", at: 0) }
        guard Array(bytes[0..<4]) == magic else {
            throw fail("not an Avro object container file (magic \(bytes[0..<4].map { String($0, radix: 16) }), expected 4f 62 6a 01)", at: 0)
        }
        var cursor = AvroCursor(UnsafeRawBufferPointer(rebasing: bytes[4...]), origin: 4)
        var metadata: [String: [UInt8]] = [:]
        do throws(AvroError) {
            while true {
                let (count, _) = try cursor.blockCount()
                if count == 0 { break }
                // Each entry takes at least two bytes (two lengths).
                guard count <= cursor.remaining / 2, metadata.count + count <= limits.metadataEntriesMax else {
                    throw fail("metadata block of \(count) entries is over the limit or longer than the header", at: cursor.offset + 4)
                }
                for _ in 0..<count {
                    let key = try cursor.string()
                    let value = try cursor.bytes()
                    guard metadata[key] == nil else { throw fail("metadata key '\(key.prefix(80))' appears twice", at: cursor.offset + 4) }
                    metadata[key] = value
                }
            }
        } catch {
            var e = error
            if e.file.isEmpty { e.file = file }
            if !e.location.hasPrefix("header") { e.location = "header, " + (e.location.isEmpty ? "metadata" : e.location) }
            throw e
        }
        let syncStart = 4 + cursor.offset
        guard bytes.count - syncStart >= syncBytes else {
            throw fail("the header ends before its 16-byte sync marker", at: syncStart)
        }
        let sync = Array(bytes[syncStart..<(syncStart + syncBytes)])
        guard let schemaBytes = metadata["avro.schema"] else { throw fail("the header has no avro.schema entry", at: 4) }
        var schema: AvroSchema
        do throws(AvroError) {
            schema = try AvroSchema.parse(bytes: schemaBytes, limits: limits, source: file)
        } catch {
            var e = error
            e.location = "header avro.schema" + (e.location.isEmpty ? "" : ", " + e.location)
            throw e
        }
        let codec: AvroCodec
        if let codecBytes = metadata["avro.codec"] {
            guard let name = String(validating: codecBytes, as: UTF8.self) else { throw fail("avro.codec is not UTF-8", at: 4) }
            codec = try AvroCodec(name: name, file: file)
        } else {
            codec = .null
        }
        return AvroContainerHeader(schema: schema, codec: codec, metadata: metadata, sync: sync, byteCount: syncStart + syncBytes)
    }

    /// The header bytes for a new file.
    static func encode(schemaJSON: String, codec: AvroCodec, userMetadata: [String: [UInt8]], sync: [UInt8]) -> [UInt8] {
        var out = ByteWriter(capacity: 64 + schemaJSON.utf8.count)
        out.putBytes(magic)
        var entries: [(String, [UInt8])] = [("avro.schema", Array(schemaJSON.utf8)), ("avro.codec", Array(codec.name.utf8))]
        for key in userMetadata.keys.sorted() { entries.append((key, userMetadata[key]!)) }
        out.putZigZagVarint(Int64(entries.count))
        for (key, value) in entries {
            out.putAvroBytes(key.utf8)
            out.putAvroBytes(value)
        }
        out.putU8(0)
        out.putBytes(sync)
        return out.bytes
    }
}
