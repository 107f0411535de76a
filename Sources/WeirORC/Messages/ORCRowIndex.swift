/// `RowIndex`: the ROW_INDEX stream of one column in one stripe, one entry per row group
/// (ORC v1 spec, "Row Group Index").
public struct ORCRowIndex: Sendable, Equatable, ProtobufMessage {
    public var entries: [ORCRowIndexEntry] = []

    public init(entries: [ORCRowIndexEntry] = []) {
        self.entries = entries
    }

    init(reading r: inout ProtobufReader) throws(ORCError) {
        while let (field, wire) = try r.nextField() {
            if field == 1 {
                try r.expect(wire, .lengthDelimited, field: field)
                entries.append(try .decodeNested(&r, name: "entry[\(entries.count)]"))
            } else {
                try r.skip(wire)
            }
        }
    }

    func write(to w: inout ProtobufWriter) {
        for entry in entries { w.message(1, entry) }
    }
}

/// `RowIndexEntry`: where each of the column's streams stands at the start of a row group, and the group's
/// statistics. Positions are concatenated per stream in the fixed order of the column's encoding: for each
/// stream the chunk offset in the compressed stream (compressed files only), the byte offset in the
/// uncompressed bytes, then the values to skip in the current run (RLE streams) and, for booleans, the bits.
public struct ORCRowIndexEntry: Sendable, Equatable, ProtobufMessage {
    public var positions: [UInt64] = []
    public var statistics: ORCColumnStatistics?

    public init(positions: [UInt64] = [], statistics: ORCColumnStatistics? = nil) {
        self.positions = positions
        self.statistics = statistics
    }

    init(reading r: inout ProtobufReader) throws(ORCError) {
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: try r.readRepeatedVarint(wire, into: &positions)
            case 2: try r.expect(wire, .lengthDelimited, field: field); statistics = try .decodeNested(&r, name: "statistics")
            default: try r.skip(wire)
            }
        }
    }

    func write(to w: inout ProtobufWriter) {
        w.packedVarints(1, positions)
        if let statistics { w.message(2, statistics) }
    }
}
