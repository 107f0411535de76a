/// Limits for reading a Parquet file, which is input from outside: every allocation the reader makes is bounded by the
/// file's size or by one of these. A file that needs more fails with a ``ParquetError`` saying which limit.
public struct ParquetReadOptions: Sendable, Equatable {
    /// The longest footer (FileMetaData) accepted, in bytes.
    public var footerBytesMax: Int
    /// The largest uncompressed page accepted, in bytes (a page header claiming more is refused before allocating).
    public var pageBytesMax: Int
    /// The longest column chunk fetched in one piece, in bytes.
    public var columnChunkBytesMax: Int
    /// The most level entries (values, nulls included) one column chunk may hold, and the most rows in a row group.
    public var valuesPerColumnChunkMax: Int
    /// The most level entries all the column chunks of one row-group read may hold together (what the claimed value
    /// counts of the projected chunks add up to).
    public var valuesPerRowGroupMax: Int
    /// The most bytes of byte-array values (strings, binaries, decimals as bytes) one column chunk may decode to.
    public var byteArrayBytesPerColumnChunkMax: Int
    /// The deepest nesting of groups in the schema.
    public var schemaDepthMax: Int
    /// Check page CRCs where the writer stored them.
    public var verifyPageChecksums: Bool
    /// Limits of the Thrift decoder (footer and page headers).
    public var thrift: ThriftLimits

    public init(footerBytesMax: Int = 16 << 20, pageBytesMax: Int = 256 << 20, columnChunkBytesMax: Int = 1 << 30,
                valuesPerColumnChunkMax: Int = 64 << 20, valuesPerRowGroupMax: Int = 512 << 20,
                byteArrayBytesPerColumnChunkMax: Int = 1 << 30, schemaDepthMax: Int = 32, verifyPageChecksums: Bool = true,
                thrift: ThriftLimits = ThriftLimits()) {
        self.footerBytesMax = footerBytesMax
        self.pageBytesMax = pageBytesMax
        self.columnChunkBytesMax = columnChunkBytesMax
        self.valuesPerColumnChunkMax = valuesPerColumnChunkMax
        self.valuesPerRowGroupMax = valuesPerRowGroupMax
        self.byteArrayBytesPerColumnChunkMax = byteArrayBytesPerColumnChunkMax
        self.schemaDepthMax = schemaDepthMax
        self.verifyPageChecksums = verifyPageChecksums
        self.thrift = thrift
    }

    /// Small limits for fuzzing and tests of hostile input (1 MiB pages, 1 Mi values per chunk and 4 Mi per row-group
    /// read, 32 MiB of byte-array values per chunk, 8 MiB chunks).
    public static var small: ParquetReadOptions {
        ParquetReadOptions(footerBytesMax: 4 << 20, pageBytesMax: 1 << 20, columnChunkBytesMax: 8 << 20,
                           valuesPerColumnChunkMax: 1 << 20, valuesPerRowGroupMax: 4 << 20,
                           byteArrayBytesPerColumnChunkMax: 32 << 20, schemaDepthMax: 16,
                           thrift: ThriftLimits(depthMax: 32, stringBytesMax: 1 << 20, listElementsMax: 1 << 16,
                                                totalBytesMax: 4 << 20))
    }
}
