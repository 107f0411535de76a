/// The bounds every Avro parser and decoder of this module checks, so a file that lies (a huge count, a deep
/// schema, a block size past the end) ends in an ``AvroError`` instead of unbounded memory, time or stack.
///
/// Names follow DESIGN.md section 5 (unit last). The defaults fit every file Paimon (Java or pypaimon) writes with
/// a wide margin; callers with unusual files pass their own.
public struct AvroLimits: Sendable, Equatable {
    /// Longest schema JSON text accepted (`avro.schema` in a header, or a schema given by a caller).
    public var schemaJSONBytesMax: Int
    /// Deepest JSON nesting (objects and arrays) in a schema text; checked before the JSON is parsed.
    public var schemaJSONDepthMax: Int
    /// Deepest nesting of Avro types in a schema (a record inside an array inside a record is depth 3).
    public var schemaDepthMax: Int
    /// Most named types, fields, enum symbols and union branches in one schema, counted together.
    public var schemaNodesMax: Int
    /// Deepest nesting of values while encoding or decoding (bounds recursion through recursive named types).
    public var valueDepthMax: Int
    /// Most items in one array or map value, counted over all of its blocks.
    public var collectionItemsMax: Int
    /// Most records one container block may claim when a record can take zero bytes (for example a record of
    /// nulls), and most array/map items that can take zero bytes decoded from one block, all arrays together;
    /// otherwise the bytes that remain bound every count.
    public var zeroByteRecordsPerBlockMax: Int
    /// Largest container file header (magic, metadata, sync marker).
    public var headerBytesMax: Int
    /// Most entries in the header metadata map.
    public var metadataEntriesMax: Int
    /// Largest stored (compressed) block.
    public var blockBytesMax: Int
    /// Largest block after decompression.
    public var blockUncompressedBytesMax: Int

    public init(
        schemaJSONBytesMax: Int = 4 << 20,
        schemaJSONDepthMax: Int = 256,
        schemaDepthMax: Int = 64,
        schemaNodesMax: Int = 100_000,
        valueDepthMax: Int = 64,
        collectionItemsMax: Int = 16 << 20,
        zeroByteRecordsPerBlockMax: Int = 1 << 20,
        headerBytesMax: Int = 16 << 20,
        metadataEntriesMax: Int = 10_000,
        blockBytesMax: Int = 256 << 20,
        blockUncompressedBytesMax: Int = 64 << 20
    ) {
        self.schemaJSONBytesMax = schemaJSONBytesMax
        self.schemaJSONDepthMax = schemaJSONDepthMax
        self.schemaDepthMax = schemaDepthMax
        self.schemaNodesMax = schemaNodesMax
        self.valueDepthMax = valueDepthMax
        self.collectionItemsMax = collectionItemsMax
        self.zeroByteRecordsPerBlockMax = zeroByteRecordsPerBlockMax
        self.headerBytesMax = headerBytesMax
        self.metadataEntriesMax = metadataEntriesMax
        self.blockBytesMax = blockBytesMax
        self.blockUncompressedBytesMax = blockUncompressedBytesMax
    }

    /// The defaults above.
    public static let `default` = AvroLimits()
}
