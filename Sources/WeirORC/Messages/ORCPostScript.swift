/// `PostScript`: the uncompressed end of the file that says how to read the rest (ORC v1 spec, "Postscript").
/// Its serialized length is stored in the file's last byte, so it must stay under 256 bytes.
public struct ORCPostScript: Sendable, Equatable, ProtobufMessage {
    public var footerLength: UInt64 = 0
    public var compression: ORCCompressionKind = .none
    /// The largest uncompressed size of one compression chunk; absent means 256 KiB.
    public var compressionBlockSize: UInt64?
    /// The file format version, `[0, 12]` for ORC v1.
    public var version: [UInt32] = []
    public var metadataLength: UInt64 = 0
    /// The writer's version (6 and up for writers other than ORC Java).
    public var writerVersion: UInt32?
    /// Bytes of encrypted stripe statistics before the metadata (column encryption only).
    public var stripeStatisticsLength: UInt64 = 0
    /// `"ORC"` in every file since Hive 0.12.
    public var magic: String?

    /// The block size readers assume when the field is absent.
    public static let defaultCompressionBlockSize: UInt64 = 256 * 1024

    public init() {}

    init(reading r: inout ProtobufReader) throws(ORCError) {
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: try r.expect(wire, .varint, field: field); footerLength = try r.readVarint()
            case 2: try r.expect(wire, .varint, field: field); compression = ORCCompressionKind(rawValue: try r.readUInt32())
            case 3: try r.expect(wire, .varint, field: field); compressionBlockSize = try r.readVarint()
            case 4:
                var values: [UInt64] = []
                try r.readRepeatedVarint(wire, into: &values)
                for v in values {
                    guard let narrow = UInt32(exactly: v) else { throw r.error("version number \(v) is out of range") }
                    version.append(narrow)
                }
            case 5: try r.expect(wire, .varint, field: field); metadataLength = try r.readVarint()
            case 6: try r.expect(wire, .varint, field: field); writerVersion = try r.readUInt32()
            case 7: try r.expect(wire, .varint, field: field); stripeStatisticsLength = try r.readVarint()
            case 8000: try r.expect(wire, .lengthDelimited, field: field); magic = try r.readString()
            default: try r.skip(wire)
            }
        }
    }

    func write(to w: inout ProtobufWriter) {
        w.uint64(1, footerLength)
        w.uint32(2, compression.rawValue)
        if let compressionBlockSize { w.uint64(3, compressionBlockSize) }
        w.packedVarints(4, version.map(UInt64.init))
        w.uint64(5, metadataLength)
        if let writerVersion { w.uint32(6, writerVersion) }
        if stripeStatisticsLength != 0 { w.uint64(7, stripeStatisticsLength) }
        if let magic { w.string(8000, magic) }
    }
}
